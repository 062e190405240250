"""`obsctl onboard --preflight` against a real moto server process (the account reached through STS)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from botocore.stub import Stubber
from typer.testing import Result

from inventory.load import load_organisation
from obsctl.onboard.preflight import Target, _models
from tests.obsctl.aws.bad_flags import BAD_SESSION_FLAGS
from tests.obsctl.moto_server import MotoServer
from tests.obsctl.onboard.conftest import snapshot

ACCOUNT = "333333333333"


def _findings(result: Result) -> dict[tuple[str, str], dict[str, str]]:
    """(region, check) -> finding, from `--json`."""
    return {(f["region"], f["check"]): f for f in json.loads(result.stdout)["preflight"]}


def _line(finding: dict[str, str]) -> str:
    return f"{finding['status']} {finding['detail']}"


def test_a_ready_account_passes_and_is_written(moto: MotoServer, stacks: Path, onboard: Callable[..., Result]) -> None:
    result = onboard("--preflight", "--json", "--endpoint-url", moto.endpoint)
    assert result.exit_code == 0, result.output
    rows = {key: _line(f) for key, f in _findings(result).items()}
    assert rows[("-", "deploy-role")].startswith("pass assumed arn:aws:iam::333333333333:role/")
    assert rows[("us-east-1", "logging.existing")].startswith("pass")
    assert rows[("us-east-1", "cloudtrail.trails")].startswith("pass 0 of 5")
    assert rows[("-", "budget.existing")].startswith("pass")
    # What moto does not implement is reported as skipped, with the reason, never as passed.
    assert rows[("ap-northeast-1", "bedrock.reachable")].startswith("skip ListFoundationModels is not implemented")
    assert rows[("ap-northeast-1", "bedrock.model anthropic.claude-3-haiku-20240307-v1:0")].startswith("skip")
    assert rows[("us-east-1", "oam.link")].startswith("skip ListLinks is not implemented")
    # The profile of another geography is not checked where it cannot be called.
    assert ("ap-northeast-1", "bedrock.model us.anthropic.claude-3-7-sonnet-20250219-v1:0") not in rows
    assert (stacks / "Pulumi.fraud-prod.yaml").exists()


def _seed_collisions(moto: MotoServer) -> None:
    s3 = moto.client("s3", account_id=ACCOUNT)
    moto.client("logs", account_id=ACCOUNT).create_log_group(logGroupName="legacy-invocations")
    s3.create_bucket(Bucket="legacy-invocation-logs")
    moto.client("bedrock", account_id=ACCOUNT).put_model_invocation_logging_configuration(
        loggingConfig={
            "cloudWatchConfig": {"logGroupName": "legacy-invocations", "roleArn": f"arn:aws:iam::{ACCOUNT}:role/x"},
            "s3Config": {"bucketName": "legacy-invocation-logs", "keyPrefix": "old"},
            "textDataDeliveryEnabled": True,
        }
    )
    trails = moto.client("cloudtrail", account_id=ACCOUNT)
    for index in range(5):
        s3.create_bucket(Bucket=f"existing-trail-bucket-{index}")
        trails.create_trail(Name=f"existing-trail-{index}", S3BucketName=f"existing-trail-bucket-{index}")
    moto.client("budgets", account_id=ACCOUNT).create_budget(
        AccountId=ACCOUNT,
        Budget={
            "BudgetName": "bedrock-fraud-prod-monthly",
            "BudgetLimit": {"Amount": "10", "Unit": "USD"},
            "TimeUnit": "MONTHLY",
            "BudgetType": "COST",
        },
    )


def test_collisions_warn_with_import_commands_and_a_full_region_fails(
    moto: MotoServer, stacks: Path, onboard: Callable[..., Result]
) -> None:
    _seed_collisions(moto)
    before = snapshot(stacks)
    text = onboard("--preflight", "--endpoint-url", moto.endpoint)
    assert text.exit_code == 1 and "preflight failed: nothing written" in text.stderr
    result = onboard("--preflight", "--json", "--endpoint-url", moto.endpoint)
    assert result.exit_code == 1
    assert snapshot(stacks) == before  # a failed preflight writes nothing
    findings = _findings(result)
    rows = {key: _line(f) for key, f in findings.items()}
    assert rows[("us-east-1", "cloudtrail.trails")].startswith("fail 5 trails apply to us-east-1")
    logging = rows[("us-east-1", "logging.existing")]
    assert (
        logging.startswith("warn") and "legacy-invocations" in logging and "s3://legacy-invocation-logs/old" in logging
    )
    assert rows[("ap-northeast-1", "logging.existing")].startswith("pass")
    assert rows[("-", "budget.existing")].startswith("warn bedrock-fraud-prod-monthly exists")
    # Import commands name the resource where the program creates it (logical name, parent, provider).
    expected = (
        "pulumi import --stack fraud-prod aws:bedrockmodel/invocationLoggingConfiguration:"
        "InvocationLoggingConfiguration fraud-prod-us-east-1-invocations-configuration us-east-1 --parent "
        "'parent=urn:pulumi:fraud-prod::bedrock-observability::bedrockobs:account:WorkloadObservability"
        "$bedrockobs:logging:InvocationLogging::fraud-prod-us-east-1-invocations' --provider "
        "provider=urn:pulumi:fraud-prod::bedrock-observability::pulumi:providers:aws::aws-fraud-prod"
    )
    assert findings[("us-east-1", "logging.existing")]["command"] == expected
    budget = findings[("-", "budget.existing")]["command"]
    assert (
        "aws:budgets/budget:Budget fraud-prod-budget-bedrock-budget 333333333333:bedrock-fraud-prod-monthly" in budget
    )
    assert budget in text.stdout  # printed whole, for copy and paste


def test_missing_operator_credentials_are_one_line_and_exit_2(
    no_operator_credentials: MotoServer, stacks: Path, onboard: Callable[..., Result]
) -> None:
    moto = no_operator_credentials
    before = snapshot(stacks)
    result = onboard("--preflight", "--endpoint-url", moto.endpoint)
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0
    assert "no AWS credentials found; fix: refresh the operator's credentials" in result.stderr
    assert snapshot(stacks) == before


# --- the model checks, with a stubbed Bedrock (moto has no ListFoundationModels) ---------------------------


class _StubSession:
    def __init__(self, client: Any) -> None:
        self._client = client

    def client(self, service: str, region: str) -> Any:
        return self._client


def test_each_model_is_checked_in_each_region(stacks: Path, onboard: Callable[..., Result]) -> None:
    import boto3

    assert (
        onboard(
            models="anthropic.claude-3-haiku-20240307-v1:0,us.anthropic.claude-3-7-sonnet-20250219-v1:0,"
            "meta.llama-missing-v1:0"
        ).exit_code
        == 0
    )
    org = load_organisation(stacks / "org.yaml")
    account = org.workload("fraud-prod")
    assert account is not None
    bedrock = boto3.client("bedrock", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    with Stubber(bedrock) as stub:
        stub.add_response(
            "list_foundation_models",
            {
                "modelSummaries": [
                    {
                        "modelArn": "arn:aws:bedrock:us-east-1::foundation-model/a",
                        "modelId": "anthropic.claude-3-haiku-20240307-v1:0",
                    }
                ]
            },
        )
        stub.add_response(
            "get_inference_profile",
            {
                "inferenceProfileName": "p",
                "inferenceProfileArn": "arn:aws:bedrock:us-east-1:1:inference-profile/p",
                "models": [{"modelArn": "arn:aws:bedrock:us-east-1::foundation-model/x"}],
                "inferenceProfileId": "us.anthropic.claude-3-7-sonnet-20250219-v1:0",
                "status": "ACTIVE",
                "type": "SYSTEM_DEFINED",
            },
            {"inferenceProfileIdentifier": "us.anthropic.claude-3-7-sonnet-20250219-v1:0"},
        )
        findings = _models(Target(account, org, _StubSession(bedrock), imports=None), "us-east-1")  # type: ignore[arg-type]
    by_check = {f.check: (f.status, f.detail) for f in findings}
    assert by_check["bedrock.reachable"] == ("pass", "ListFoundationModels: 1 models offered")
    assert by_check["bedrock.model anthropic.claude-3-haiku-20240307-v1:0"][0] == "pass"
    assert by_check["bedrock.model us.anthropic.claude-3-7-sonnet-20250219-v1:0"] == (
        "pass",
        "inference profile exists in the region",
    )
    status, detail = by_check["bedrock.model meta.llama-missing-v1:0"]
    assert status == "fail" and "not offered in us-east-1; fix:" in detail


@pytest.mark.parametrize(("flags", "message"), BAD_SESSION_FLAGS)
def test_a_bad_endpoint_or_profile_is_one_line_exit_2_and_nothing_written(
    moto: MotoServer, stacks: Path, onboard: Callable[..., Result], flags: tuple[str, ...], message: str
) -> None:
    before = snapshot(stacks)
    result = onboard("--preflight", *flags)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "Traceback" not in result.output
    assert result.stderr.strip().startswith("onboard refused, nothing written")
    assert snapshot(stacks) == before


def test_an_unreachable_endpoint_is_said_in_seconds(
    moto: MotoServer, stacks: Path, onboard: Callable[..., Result]
) -> None:
    before = snapshot(stacks)
    started = time.perf_counter()
    result = onboard("--preflight", "--endpoint-url", "http://127.0.0.1:9")
    assert time.perf_counter() - started < 15
    assert result.exit_code == 2
    reason = "cannot reach http://127.0.0.1:9/ (EndpointConnectionError); fix: check the network"
    assert f"failed in us-east-1: {reason}" in result.stderr
    assert snapshot(stacks) == before
