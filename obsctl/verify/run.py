"""Run every check for every account-region of the selected stacks: deploy role assumed through STS,
account-regions concurrently (bounded, progress on stderr), one record per check and resource."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml
from botocore.exceptions import ClientError

from inventory.errors import ConfigError
from inventory.load import PROJECT_NAME, StackTarget, WorkloadStack, resolve_stack
from obsctl.aws.errors import classify, explain
from obsctl.aws.parallel import map_bounded
from obsctl.aws.session import Sessions
from obsctl.verify.checks import ALL_CHECKS
from obsctl.verify.checks.base import Check, Verdict
from obsctl.verify.expected import expected_region
from obsctl.verify.live import Live
from obsctl.verify.shapes import ExpectedRegion

ACCESS_CHECK = "access"
# What an account-region that is not enabled answers for credentials that work in the account's other
# regions (OptInRequired is rare): the token is not recognised there.
_TOKEN_REJECTED = frozenset({"UnrecognizedClientException", "InvalidClientTokenId"})


@dataclass(frozen=True)
class Record:
    stack: str
    account_id: str
    region: str
    check: str
    resource: str
    status: str
    detail: str


@dataclass
class RegionResult:
    expected: ExpectedRegion
    records: list[Record] = field(default_factory=list)
    calls: int = 0
    seconds: float = 0.0
    # One line when the account-region could not be checked at all (role not assumable, region disabled,
    # expired credentials): verify exits 2.
    access_problem: str | None = None
    # (the API that failed, AWS's error code, AWS's reason) of an access problem raised by a check
    access_error: tuple[str, str, str] | None = None


class _Abort(Exception):
    """Stop this account-region: its credentials or region do not work (every further call would fail)."""

    def __init__(self, message: str, api: str, error: BaseException) -> None:
        super().__init__(message)
        code = error.response.get("Error", {}).get("Code", "") if isinstance(error, ClientError) else ""
        self.error = (api, str(code), classify(error)[1])


# --- which account-regions -------------------------------------------------------------------------------


def stack_names(stacks_dir: Path) -> list[str]:
    return sorted(p.name[len("Pulumi.") : -len(".yaml")] for p in stacks_dir.glob("Pulumi.*.yaml"))


def load_stack(stack: str, stacks_dir: Path) -> StackTarget:
    """The stack's account and org, validated by the program's own `resolve_stack`."""
    known = stack_names(stacks_dir)
    path = stacks_dir / f"Pulumi.{stack}.yaml"
    if stack not in known:  # only names of existing stack files: nothing else becomes a path
        raise ConfigError(str(stacks_dir), [f"no such stack {stack!r}; fix: use one of: {', '.join(known) or 'none'}"])
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ConfigError(str(path), [f"cannot be read ({str(error).splitlines()[0]})"]) from None
    config = data.get("config") if isinstance(data, dict) else None
    if not isinstance(config, dict):
        raise ConfigError(str(path), ["expected a top-level 'config:' mapping"])
    # As Pulumi hands config to programs: strings as-is, structured values as JSON.
    values = {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in config.items()}
    inventory_key = f"{PROJECT_NAME}:inventory"
    values[inventory_key] = str(stacks_dir / values.get(inventory_key, "org.yaml"))
    return resolve_stack(stack, values)


def account_regions(stacks: Sequence[str], stacks_dir: Path) -> tuple[list[ExpectedRegion], list[str]]:
    """What to check, and a note per stack that has nothing to check (the monitoring stack)."""
    regions: list[ExpectedRegion] = []
    notes: list[str] = []
    for stack in stacks:
        target = load_stack(stack, stacks_dir)
        if not isinstance(target, WorkloadStack):
            notes.append(f"{stack}: the monitoring account's stack; verify checks workload accounts only")
            continue
        account = target.account
        regions += [expected_region(stack, target.org, account, region) for region in account.regions]
    return regions, notes


# --- checking one account-region -----------------------------------------------------------------------------


def _verdict(check: Check[Any], live: Live, expected: ExpectedRegion, item: Any) -> Verdict:
    try:
        return check.evaluate(live, expected, item)
    except Exception as error:
        kind, reason = classify(error)  # a bug (not an AWS error) is re-raised here
        if kind == "unsupported":
            return Verdict("skip", f"{reason} (an emulator); real AWS answers this check")
        if kind in ("credentials", "region", "unreachable"):
            where = f"account {expected.account_id}, {expected.region}"
            raise _Abort(str(explain(error, check.api, where)), check.api, error) from None
        return Verdict("error", str(explain(error, check.api, expected.region)))


def _record(expected: ExpectedRegion, check: str, resource: str, verdict: Verdict) -> Record:
    return Record(expected.stack, expected.account_id, expected.region, check, resource, verdict.status, verdict.detail)


def verify_region(
    sessions: Sessions,
    expected: ExpectedRegion,
    checks: Sequence[Check[Any]] = ALL_CHECKS,
    extra: Callable[[Live, ExpectedRegion], list[tuple[str, str, Verdict]]] | None = None,
) -> RegionResult:
    """Every check of one account-region; `extra` (the smoke test) runs after them with the same session."""
    started = time.perf_counter()
    result = RegionResult(expected)
    role = expected.account.deploy_role_arn
    try:
        session = sessions.for_role(role)
    except Exception as error:
        problem = str(explain(error, f"sts:AssumeRole {role}", f"account {expected.account_id}"))
        return _aborted(result, problem, started)
    live = Live(session, expected.region)
    try:
        for check in checks:
            for item in check.items(expected):
                verdict = _verdict(check, live, expected, item)
                resource = verdict.resource or check.resource(item)
                result.records.append(_record(expected, check.name, resource, verdict))
        if extra is not None:
            result.records += [_record(expected, name, res, verdict) for name, res, verdict in extra(live, expected)]
    except _Abort as abort:
        result.access_error = abort.error
        return _aborted(result, str(abort), started, live.calls)
    result.calls = live.calls
    result.seconds = time.perf_counter() - started
    return result


def _aborted(result: RegionResult, problem: str, started: float, calls: int = 0) -> RegionResult:
    result.access_problem = problem
    result.records.append(
        _record(result.expected, ACCESS_CHECK, result.expected.account.deploy_role_arn, Verdict("error", problem))
    )
    result.calls = calls
    result.seconds = time.perf_counter() - started
    return result


def verify_all(
    sessions: Sessions,
    targets: Sequence[ExpectedRegion],
    concurrency: int,
    extra: Callable[[Live, ExpectedRegion], list[tuple[str, str, Verdict]]] | None = None,
    checks: Sequence[Check[Any]] = ALL_CHECKS,
) -> list[RegionResult]:
    def one(expected: ExpectedRegion) -> RegionResult:
        return verify_region(sessions, expected, checks, extra=extra)

    return disabled_regions(map_bounded(one, targets, concurrency, "verifying account-regions"))


def disabled_regions(results: Sequence[RegionResult]) -> list[RegionResult]:
    """An account-region whose calls are refused with an unrecognised or invalid token while the same deploy
    role works in other regions of the account is most likely a region not enabled for the account (opt-in
    regions answer so): say that, instead of "refresh the credentials"."""
    worked: dict[str, list[str]] = {}
    for result in results:
        if result.access_problem is None:
            worked.setdefault(result.expected.account.deploy_role_arn, []).append(result.expected.region)
    for result in results:
        others = worked.get(result.expected.account.deploy_role_arn)
        if result.access_error is None or result.access_error[1] not in _TOKEN_REJECTED or not others:
            continue
        api, _code, reason = result.access_error
        e = result.expected
        result.access_problem = (
            f"{api} failed in account {e.account_id}, {e.region}: {reason}; the deploy role works in "
            f"{', '.join(others)}, so {e.region} is probably not enabled for account {e.account_id}; fix: enable "
            "the region (Account settings > AWS Regions) or remove it from the inventory"
        )
        result.records = [
            replace(r, detail=result.access_problem) if r.check == ACCESS_CHECK else r for r in result.records
        ]
    return list(results)


def exit_code(results: Sequence[RegionResult]) -> int:
    """2: an account-region could not be checked (credentials, role, region); 1: a check failed or could not
    run (fail/error); 0: everything passed or was skipped with a reason."""
    if any(r.access_problem for r in results):
        return 2
    return 1 if any(rec.status in ("fail", "error") for r in results for rec in r.records) else 0
