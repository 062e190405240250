"""`verify --smoke`: one Converse request (bedrock-runtime stubbed with botocore's Stubber: moto has no
Converse), then its request id awaited in the invocation log group and under the bucket prefix of a real
moto server, where the test delivers it the way Bedrock would (a log event, a gzipped JSON-lines object)."""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from obsctl.aws.session import Sessions
from obsctl.verify.run import RegionResult, verify_region
from obsctl.verify.shapes import ExpectedRegion
from obsctl.verify.smoke import MAX_TOKENS, PROMPT, S3_LAYOUT, SmokeSettings, _Delivery, smoke
from tests.fake_clock import FakeClock
from tests.obsctl.moto_server import MotoServer
from tests.obsctl.verify.deploy import Seeder
from tests.obsctl.verify.inventories import MODEL, account, home_regions, organisation
from vocabulary import names

REQUEST_ID = "5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b"


@pytest.fixture
def expected() -> ExpectedRegion:
    return home_regions(organisation([account("smoke-test", "300000000000")]))[0]


@pytest.fixture
def seeder(moto: MotoServer, expected: ExpectedRegion) -> Seeder:
    """Only the two destinations the smoke test reads: the invocation log group and bucket."""
    seeder = Seeder(moto)
    logs = seeder.client(expected.account_id, "logs", expected.region)
    logs.create_log_group(logGroupName=expected.logging.log_group)
    logs.create_log_stream(logGroupName=expected.logging.log_group, logStreamName=names.BEDROCK_LOG_STREAM)
    seeder.client(expected.account_id, "s3", expected.region).create_bucket(Bucket=expected.logging.bucket)
    return seeder


def _runtime(error_code: str | None = None) -> Callable[[Any, str], Any]:
    client = boto3.client("bedrock-runtime", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    stub = Stubber(client)
    request = {
        "modelId": MODEL,
        "messages": [{"role": "user", "content": [{"text": PROMPT}]}],
        "inferenceConfig": {"maxTokens": MAX_TOKENS, "temperature": 0},
    }
    if error_code:
        stub.add_client_error("converse", error_code, "not allowed", 403, expected_params=request)
    else:
        response = {
            "output": {"message": {"role": "assistant", "content": [{"text": "ok"}]}},
            "stopReason": "end_turn",
            "usage": {"inputTokens": 12, "outputTokens": 1, "totalTokens": 13},
            "metrics": {"latencyMs": 210},
            "ResponseMetadata": {"RequestId": REQUEST_ID},
        }
        stub.add_response("converse", response, expected_params=request)
    stub.activate()
    return lambda session, region: client


def _deliver(seeder: Seeder, expected: ExpectedRegion, where: set[str]) -> None:
    """What Bedrock writes for the request: a log event in the group, a .json.gz object under the prefix."""
    record = json.dumps({"schemaType": "ModelInvocationLog", "requestId": REQUEST_ID, "modelId": MODEL})
    if "cloudwatch" in where:
        seeder.client(expected.account_id, "logs", expected.region).put_log_events(
            logGroupName=expected.logging.log_group,
            logStreamName=names.BEDROCK_LOG_STREAM,
            logEvents=[{"timestamp": int(time.time() * 1000), "message": record}],
        )
    if "s3" in where:
        now = datetime.now(UTC)
        prefix = S3_LAYOUT.format(
            prefix=expected.logging.prefix, account=expected.account_id, region=expected.region, day=now
        )
        s3 = seeder.client(expected.account_id, "s3", expected.region)
        s3.put_object(
            Bucket=expected.logging.bucket, Key=f"{prefix}older.json.gz", Body=gzip.compress(b'{"requestId": "x"}\n')
        )
        s3.put_object(
            Bucket=expected.logging.bucket,
            Key=f"{prefix}{now:%H}/batch.json.gz",
            Body=gzip.compress(record.encode() + b"\n"),
        )


def _smoke(moto: MotoServer, expected: ExpectedRegion, settings: SmokeSettings) -> dict[str, tuple[str, str]]:
    result: RegionResult = verify_region(
        Sessions(endpoint_url=moto.endpoint), expected, checks=(), extra=smoke(settings)
    )
    return {r.check: (r.status, r.detail) for r in result.records}


def test_the_request_id_is_found_in_both_destinations_with_the_delay(
    moto: MotoServer, expected: ExpectedRegion, seeder: Seeder
) -> None:
    waits: list[float] = []
    clock = FakeClock()

    def deliver_while_waiting(seconds: float) -> None:
        # Bedrock delivers while verify waits: CloudWatch first, S3 on the next poll.
        waits.append(seconds)
        clock.sleep(seconds)
        _deliver(seeder, expected, {"cloudwatch"} if len(waits) == 1 else {"s3"})

    records = _smoke(
        moto,
        expected,
        SmokeSettings(
            timeout_seconds=30, poll_seconds=0.5, runtime_client=_runtime(), sleep=deliver_while_waiting, clock=clock
        ),
    )
    assert records["smoke.converse"] == ("pass", f"request id {REQUEST_ID}")
    status, detail = records["smoke.cloudwatch-delivery"]
    assert status == "pass" and detail.startswith(f"delivered to {expected.logging.log_group} ")
    assert detail.endswith(" 0.5s after the request"), detail
    status, detail = records["smoke.s3-delivery"]
    assert status == "pass" and detail.startswith(f"delivered to s3://{expected.logging.bucket}/invocation-logs ")
    assert detail.endswith(" 1.0s after the request"), detail
    assert len(waits) == 2  # waited, found CloudWatch, waited again, found S3, stopped


def test_nothing_delivered_fails_after_the_bounded_wait(
    moto: MotoServer, expected: ExpectedRegion, seeder: Seeder
) -> None:
    _deliver(seeder, expected, {"s3"})
    clock = FakeClock()
    settings = SmokeSettings(
        timeout_seconds=0.25, poll_seconds=0.125, runtime_client=_runtime(), sleep=clock.sleep, clock=clock
    )
    records = _smoke(moto, expected, settings)
    status, detail = records["smoke.cloudwatch-delivery"]
    assert status == "fail" and "not in /bedrock-observability/model-invocations within 0s" in detail
    assert records["smoke.s3-delivery"][0] == "pass"
    assert clock.now == 0.25  # polled until the timeout, then stopped


def test_a_refused_converse_is_an_error_with_the_reason(
    moto: MotoServer, expected: ExpectedRegion, seeder: Seeder
) -> None:
    records = _smoke(moto, expected, SmokeSettings(runtime_client=_runtime("AccessDeniedException")))
    status, detail = records["smoke.converse"]
    assert status == "error"
    assert detail.startswith("bedrock:Converse failed in us-east-1: AccessDeniedException: not allowed; fix: grant")
    assert set(records) == {"smoke.converse"}


class _StubbedLive:
    def __init__(self, client: Any) -> None:
        self._client = client

    def client(self, service: str, region: str | None = None) -> Any:
        return self._client


@pytest.mark.parametrize("found", [True, False])
def test_the_log_group_is_paged_past_empty_pages_with_a_token(expected: ExpectedRegion, found: bool) -> None:
    logs = boto3.client("logs", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    sent_at = 1_800_000_000.0
    request = {
        "logGroupName": expected.logging.log_group,
        "startTime": int((sent_at - 120) * 1000),
        "filterPattern": f'"{REQUEST_ID}"',
    }
    event = {"logStreamName": names.BEDROCK_LOG_STREAM, "timestamp": 1, "message": REQUEST_ID, "eventId": "1"}
    with Stubber(logs) as stub:
        # AWS searched part of the group: no event yet, a token to go on with.
        stub.add_response("filter_log_events", {"events": [], "nextToken": "t1"}, request)
        stub.add_response("filter_log_events", {"events": [], "nextToken": "t2"}, {**request, "nextToken": "t1"})
        last = {"events": [event], "nextToken": "t3"} if found else {"events": []}  # found: t3 never asked
        stub.add_response("filter_log_events", last, {**request, "nextToken": "t2"})
        delivery = _Delivery(_StubbedLive(logs), expected, REQUEST_ID, sent_at)  # type: ignore[arg-type]
        assert delivery.in_log_group() is found
        stub.assert_no_pending_responses()  # every page read, and (found) none after the event
