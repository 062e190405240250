"""`obsctl verify` as an operator runs it: the example org's two accounts through STS, JSON records, exit codes,
one clear line for bad input and credentials."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from typer.testing import CliRunner, Result

from inventory.load import STACKS_DIR
from obsctl.aws.session import Sessions
from obsctl.cli import app
from obsctl.verify.checks.base import Check, Verdict
from obsctl.verify.run import ACCESS_CHECK, account_regions, exit_code, verify_all, verify_region
from tests.obsctl.aws.bad_flags import BAD_SESSION_FLAGS
from tests.obsctl.moto_server import MotoServer
from tests.obsctl.verify.deploy import Seeder, deploy_all
from vocabulary import names

RECORD_KEYS = {"stack", "account_id", "region", "check", "resource", "status", "detail"}


def verify(*args: str) -> Result:
    return CliRunner().invoke(app, ["verify", *args], catch_exceptions=False)


@pytest.fixture
def example_org(moto: MotoServer, tmp_path: Path) -> Path:
    """The example org deployed into moto: payments-prod (2 regions) and research-dev (3), two accounts."""
    stacks = tmp_path / "stacks"
    shutil.copytree(STACKS_DIR, stacks)
    deploy_all(Seeder(moto), account_regions(["payments-prod", "research-dev"], stacks)[0])
    return stacks


def test_all_stacks_of_two_accounts_pass_and_every_record_is_written(
    moto: MotoServer, example_org: Path, tmp_path: Path
) -> None:
    out = tmp_path / "verify.json"
    result = verify("--all", "--stacks-dir", str(example_org), "--endpoint-url", moto.endpoint, "--json", str(out))
    assert result.exit_code == 0, result.output
    records: list[dict[str, Any]] = json.loads(out.read_text())
    assert all(set(record) == RECORD_KEYS for record in records)
    assert {(r["account_id"], r["region"]) for r in records} == {
        ("111111111111", "us-east-1"),
        ("111111111111", "eu-west-1"),
        ("222222222222", "us-west-2"),
        ("222222222222", "eu-central-1"),
        ("222222222222", "ap-southeast-2"),
    }
    assert {r["status"] for r in records} == {"pass", "skip"}
    assert "monitoring: the monitoring account's stack; verify checks workload accounts only" in result.output
    assert "5 account-regions" in result.output


def test_a_defect_fails_the_run_and_json_to_stdout_stays_clean(moto: MotoServer, example_org: Path) -> None:
    moto.client("cloudtrail", account_id="222222222222", region="us-west-2").stop_logging(Name=names.TRAIL_NAME)
    result = verify("--stack", "research-dev", "--stacks-dir", str(example_org), "--endpoint-url", moto.endpoint,
                    "--json", "-")  # fmt: skip
    assert result.exit_code == 1
    records = json.loads(result.stdout)
    failed = [(r["region"], r["check"], r["resource"]) for r in records if r["status"] == "fail"]
    assert failed == [("us-west-2", "trail.logging", names.TRAIL_NAME)]
    assert "trail.logging" in result.stderr  # the table goes to stderr when JSON goes to stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "Give exactly one of --stack NAME or --all."),
        (("--stack", "x", "--all"), "Give exactly one of --stack NAME or --all."),
        (("--stack", "payments-prd"), "no such stack 'payments-prd'; fix: use one of: monitoring, payments-prod"),
        (("--all", "--smoke"), "--smoke sends one Converse request per account-region"),
    ],
)
def test_bad_input_is_one_message_and_exit_2(args: tuple[str, ...], message: str) -> None:
    result = verify(*args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_missing_operator_credentials_are_one_line_and_exit_2(no_operator_credentials: MotoServer) -> None:
    result = verify("--stack", "payments-prod", "--endpoint-url", no_operator_credentials.endpoint)
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0
    assert "sts:GetCallerIdentity (operator credentials) failed in us-east-1: no AWS credentials found" in result.stderr


class _Unassumable(Sessions):
    def for_role(self, role_arn: str) -> Any:
        message = f"User is not authorized to perform: sts:AssumeRole on resource: {role_arn}"
        raise ClientError({"Error": {"Code": "AccessDenied", "Message": message}}, "AssumeRole")


def test_a_role_that_cannot_be_assumed_is_one_error_record_and_exit_2() -> None:
    [expected, _] = account_regions(["payments-prod"], STACKS_DIR)[0]
    result = verify_region(_Unassumable(), expected)
    [record] = result.records
    assert (record.check, record.status) == (ACCESS_CHECK, "error")
    assert record.detail.startswith(
        "sts:AssumeRole arn:aws:iam::111111111111:role/bedrock-observability-deploy failed in account 111111111111: "
        "AccessDenied"
    )
    assert "; fix: " in record.detail and result.access_problem == record.detail
    assert exit_code([result]) == 2


def test_smoke_against_an_endpoint_without_converse_is_skipped_with_the_reason(
    moto: MotoServer, example_org: Path
) -> None:
    result = verify("--stack", "payments-prod", "--stacks-dir", str(example_org), "--endpoint-url", moto.endpoint,
                    "--smoke", "--yes", "--json", "-")  # fmt: skip
    assert result.exit_code == 0, result.output
    smoke = [r for r in json.loads(result.stdout) if r["check"].startswith("smoke.")]
    assert [(r["region"], r["check"], r["status"]) for r in smoke] == [
        ("us-east-1", "smoke.converse", "skip"),
        ("eu-west-1", "smoke.converse", "skip"),
    ]
    assert all("Converse is not implemented by the endpoint" in r["detail"] for r in smoke)


def test_the_readme_table_lists_every_check() -> None:
    from inventory.load import PROJECT_DIR
    from obsctl.verify.checks import ALL_CHECKS

    section = (PROJECT_DIR / "README.md").read_text().split("### What verify checks")[1].split("\n## ")[0]
    assert [check.name for check in ALL_CHECKS if f"| `{check.name}`" not in section] == []


# --- options that cannot work: one line, exit 2, before any AWS call ---------------------------------------


@pytest.mark.parametrize(("flags", "message"), BAD_SESSION_FLAGS)
def test_a_bad_endpoint_or_profile_is_one_line_and_exit_2(
    moto: MotoServer, flags: tuple[str, ...], message: str
) -> None:
    result = verify("--stack", "payments-prod", *flags)
    assert result.exit_code == 2
    assert result.stderr.startswith(message) and result.stderr.strip().count("\n") == 0


def test_an_unreachable_endpoint_is_said_in_seconds_not_as_a_disabled_region(moto: MotoServer) -> None:
    started = time.perf_counter()
    result = verify("--stack", "payments-prod", "--endpoint-url", "http://127.0.0.1:9")
    assert time.perf_counter() - started < 15  # ~55-86 s of adaptive retries before
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "sts:GetCallerIdentity (operator credentials) failed in us-east-1: cannot reach http://127.0.0.1:9/ "
        "(EndpointConnectionError); fix: check the network"
    )
    assert "enable the region" not in result.stderr


def test_an_unwritable_json_path_is_refused_before_any_aws_call(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    # The endpoint is unreachable: had verify called AWS first, it would say so instead.
    for target, message in (
        (blocker / "out.json", f"cannot write into {blocker} (it is a file); fix: choose a writable --json path"),
        (tmp_path, f"--json {str(tmp_path)!r} is a directory; fix: give a file path, e.g. build/verify.json"),
    ):
        result = verify("--stack", "payments-prod", "--endpoint-url", "http://127.0.0.1:9", "--json", str(target))
        assert result.exit_code == 2
        assert result.stderr.strip() == message


def test_the_json_file_is_written_whole_or_not_at_all(
    moto: MotoServer, example_org: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "verify.json"
    out.write_text("previous run\n")

    def interrupted(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", interrupted)
    result = verify("--stack", "payments-prod", "--stacks-dir", str(example_org), "--endpoint-url", moto.endpoint,
                    "--json", str(out))  # fmt: skip
    assert result.exit_code == 2
    assert f"cannot write {out} (No space left on device)" in result.stderr
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".verify.json")] == []  # no temp file left
    assert out.read_text() == "previous run\n"


# --- a region not enabled for the account ----------------------------------------------------------------------


class _AnySessions(Sessions):
    def for_role(self, role_arn: str) -> Any:
        return object()  # the checks below never call AWS


def _token_refused_in(region: str) -> Check[Any]:
    """A check answered as AWS answers in a region not enabled for the account (and passing elsewhere)."""

    def evaluate(live: Any, expected: Any, item: Any) -> Verdict:
        if expected.region == region:
            message = "The security token included in the request is invalid."
            raise ClientError({"Error": {"Code": "UnrecognizedClientException", "Message": message}}, "DescribeKey")
        return Verdict("pass", "ok", resource=f"arn:aws:kms:{expected.region}:{expected.account_id}:key/1")

    return Check("key.state", "kms:DescribeKey", "", lambda e: ["alias"], str, evaluate)


def test_a_token_refused_in_one_region_while_the_role_works_elsewhere_is_a_region_not_enabled() -> None:
    targets = account_regions(["payments-prod"], STACKS_DIR)[0]  # us-east-1, eu-west-1
    results = verify_all(_AnySessions(), targets, concurrency=2, checks=[_token_refused_in("eu-west-1")])
    home, other = results
    assert home.access_problem is None
    assert [(r.resource, r.status) for r in home.records] == [("arn:aws:kms:us-east-1:111111111111:key/1", "pass")]
    assert other.access_problem == (
        "kms:DescribeKey failed in account 111111111111, eu-west-1: UnrecognizedClientException: The security token "
        "included in the request is invalid.; the deploy role works in us-east-1, so eu-west-1 is probably not "
        "enabled for account 111111111111; fix: enable the region (Account settings > AWS Regions) or remove it "
        "from the inventory"
    )
    assert [(r.check, r.detail) for r in other.records] == [(ACCESS_CHECK, other.access_problem)]
    assert exit_code(results) == 2


def test_a_token_refused_everywhere_is_still_a_credentials_problem() -> None:
    targets = account_regions(["payments-prod"], STACKS_DIR)[0][1:]  # eu-west-1 only
    [result] = verify_all(_AnySessions(), targets, concurrency=1, checks=[_token_refused_in("eu-west-1")])
    assert result.access_problem is not None and "not enabled" not in result.access_problem
    assert "fix: refresh the operator's credentials" in result.access_problem
