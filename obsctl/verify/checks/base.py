"""A check is one table row: name, the API it reads, what passes, what it is applied to, and a comparison."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from obsctl.verify.live import Live
from obsctl.verify.shapes import ExpectedRegion

Status = Literal["pass", "fail", "skip", "error"]
T = TypeVar("T")


@dataclass(frozen=True)
class Verdict:
    status: Status
    detail: str = ""
    # The record's resource when only the live state names it (an OAM link's ARN); else the check's own.
    resource: str | None = None


def passed(detail: str = "") -> Verdict:
    return Verdict("pass", detail)


def failed(detail: str) -> Verdict:
    return Verdict("fail", detail)


def skipped(detail: str) -> Verdict:
    return Verdict("skip", detail)


@dataclass(frozen=True)
class Check(Generic[T]):
    name: str
    api: str
    passes: str
    items: Callable[[ExpectedRegion], Sequence[T]]
    resource: Callable[[T], str]
    evaluate: Callable[[Live, ExpectedRegion, T], Verdict]
    # What an emulator (moto 5.2.5) cannot answer for this check; empty when it can.
    emulator_gap: str = ""


def one(value: Callable[[ExpectedRegion], Any]) -> Callable[[ExpectedRegion], Sequence[Any]]:
    """`items` for a check applied once per account-region (or not at all when `value` is None)."""

    def items(expected: ExpectedRegion) -> Sequence[Any]:
        item = value(expected)
        return [] if item is None else [item]

    return items


def compare(pairs: Sequence[tuple[str, Any, Any]], ok: str = "") -> Verdict:
    """Fail naming every (what, expected, actual) that differs; pass otherwise."""
    diffs = [
        f"{what}: expected {expected!r}, found {actual!r}" for what, expected, actual in pairs if expected != actual
    ]
    return failed("; ".join(diffs)) if diffs else passed(ok)


def regional_key(live: Live, expected: ExpectedRegion) -> str:
    """ARN of the region's key (through its alias), or a marker that compares unequal to any ARN."""
    described = live.get("kms", "describe_key", KeyId=expected.key_alias)
    return described["KeyMetadata"]["Arn"] if described else f"<{expected.key_alias}: missing>"


def normalise_policy(value: Any) -> Any:
    """Policy JSON as AWS may return it: one-element lists as scalars, lists order-free."""
    if isinstance(value, dict):
        return {k: normalise_policy(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [normalise_policy(v) for v in value]
        if len(items) == 1:
            return items[0]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    return value


def statements_by_sid(document: str | None) -> dict[str, Any]:
    if not document:
        return {}
    statements = json.loads(document).get("Statement", [])
    statements = statements if isinstance(statements, list) else [statements]
    return {s.get("Sid", ""): normalise_policy(s) for s in statements}


def policy_differences(
    wanted: Sequence[dict[str, Any]], found: dict[str, Any], ours: set[str] | None = None
) -> list[str]:
    """Each wanted statement missing from or different in `found` (statements by Sid), and each found
    statement whose Sid the program does not write (`ours`: by default the wanted ones)."""
    problems = []
    for statement in wanted:
        actual = found.get(statement.get("Sid", ""))
        if actual != normalise_policy(statement):
            problems.append(f"{statement.get('Sid')} {'missing' if actual is None else f'differs: {actual}'}")
    ours = {statement.get("Sid", "") for statement in wanted} if ours is None else ours
    return problems + [f"statement not written by the program: {sid or '(no Sid)'}" for sid in found if sid not in ours]
