"""`verify --smoke --yes`: the end-to-end onboarding check of one account-region.

Sends one small Converse request to the region's first model, then waits (bounded) until Bedrock has
delivered its invocation log: the response's request id in the invocation log group, and in an object
under the bucket's invocation-log prefix. Reports each delivery delay. Costs one tiny model call.
"""

from __future__ import annotations

import gzip
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from obsctl.aws.errors import classify, explain
from obsctl.aws.session import AccountSession
from obsctl.verify.checks.base import Verdict, failed, passed, skipped
from obsctl.verify.live import Live
from obsctl.verify.shapes import ExpectedRegion

PROMPT = "Reply with the single word: ok"
MAX_TOKENS = 8
# Where Bedrock writes invocation logs under the configured prefix (Bedrock user guide, "Model invocation
# logging"; the bucket policy grants the same AWSLogs/<account>/BedrockModelInvocationLogs/ path).
S3_LAYOUT = "{prefix}/AWSLogs/{account}/BedrockModelInvocationLogs/{region}/{day:%Y/%m/%d}/"
# Objects written shortly before the request cannot hold it; a little slack for clock skew.
_CLOCK_SKEW_SECONDS = 120


def default_runtime(session: AccountSession, region: str) -> Any:
    return session.client("bedrock-runtime", region)


@dataclass(frozen=True)
class SmokeSettings:
    timeout_seconds: float = 600.0
    poll_seconds: float = 5.0
    runtime_client: Callable[[AccountSession, str], Any] = default_runtime
    # How the wait is timed (tests pass a clock that moves only when `sleep` is called).
    sleep: Callable[[float], None] = field(default=time.sleep)
    clock: Callable[[], float] = field(default=time.monotonic)


class _Delivery:
    """Polls one destination until it holds the request id."""

    def __init__(self, live: Live, expected: ExpectedRegion, request_id: str, sent_at: float) -> None:
        self.live, self.expected, self.request_id, self.sent_at = live, expected, request_id, sent_at
        self._seen_keys: set[str] = set()

    def in_log_group(self) -> bool:
        """FilterLogEvents pages until an event matches or no nextToken is left: AWS may answer a page with no
        event and a token (it searched only part of the log streams or of the time range)."""
        pages = (
            self.live.client("logs")
            .get_paginator("filter_log_events")
            .paginate(
                logGroupName=self.expected.logging.log_group,
                startTime=int((self.sent_at - _CLOCK_SKEW_SECONDS) * 1000),
                filterPattern=f'"{self.request_id}"',
            )
        )
        return any(page.get("events") for page in pages)  # stops at the first page with an event

    def in_bucket(self) -> bool:
        s3 = self.live.client("s3")
        logging = self.expected.logging
        days = {datetime.fromtimestamp(t, UTC).date() for t in (self.sent_at, time.time())}
        for day in sorted(days):
            prefix = S3_LAYOUT.format(
                prefix=logging.prefix, account=self.expected.account_id, region=self.expected.region, day=day
            )
            for page in s3.get_paginator("list_objects_v2").paginate(Bucket=logging.bucket, Prefix=prefix):
                for item in page.get("Contents", []):
                    if self._holds_request(s3, logging.bucket, item):
                        return True
        return False

    def _holds_request(self, s3: Any, bucket: str, item: dict[str, Any]) -> bool:
        key = item["Key"]
        if key in self._seen_keys or item["LastModified"].timestamp() < self.sent_at - _CLOCK_SKEW_SECONDS:
            return False
        self._seen_keys.add(key)
        body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        if body[:2] == b"\x1f\x8b":  # gzip magic: Bedrock writes .json.gz
            body = gzip.decompress(body)
        return self.request_id.encode() in body


def _converse(settings: SmokeSettings, live: Live, model: str) -> str:
    runtime = settings.runtime_client(live.session, live.region)
    response = runtime.converse(
        modelId=model,
        messages=[{"role": "user", "content": [{"text": PROMPT}]}],
        inferenceConfig={"maxTokens": MAX_TOKENS, "temperature": 0},
    )
    return str(response["ResponseMetadata"]["RequestId"])


def _wait(settings: SmokeSettings, delivery: _Delivery, started: float) -> dict[str, float | None]:
    """Seconds after the request at which each destination held it (None: not within the timeout)."""
    found: dict[str, float | None] = {"cloudwatch": None, "s3": None}
    probes = {"cloudwatch": delivery.in_log_group, "s3": delivery.in_bucket}
    while True:
        for destination, probe in probes.items():
            if found[destination] is None and probe():
                found[destination] = settings.clock() - started
        if all(v is not None for v in found.values()) or settings.clock() - started >= settings.timeout_seconds:
            return found
        settings.sleep(settings.poll_seconds)


def _delivered(seconds: float | None, where: str, timeout: float) -> Verdict:
    if seconds is None:
        return failed(f"request id not in {where} within {timeout:.0f}s (check the delivery-failure alarm)")
    return passed(f"delivered to {where} {seconds:.1f}s after the request")


def smoke(settings: SmokeSettings) -> Callable[[Live, ExpectedRegion], list[tuple[str, str, Verdict]]]:
    def run(live: Live, expected: ExpectedRegion) -> list[tuple[str, str, Verdict]]:
        models = expected.account.models_in(expected.region)
        if not models:
            return [("smoke.converse", expected.region, skipped("no model of the account is callable here"))]
        model = models[0]
        started, sent_at = settings.clock(), time.time()
        try:
            request_id = _converse(settings, live, model)
        except Exception as error:
            kind, _ = classify(error)
            status = "skip" if kind == "unsupported" else "error"
            return [
                ("smoke.converse", model, Verdict(status, str(explain(error, "bedrock:Converse", expected.region))))
            ]
        logging = expected.logging
        sent = ("smoke.converse", model, passed(f"request id {request_id}"))
        try:
            found = _wait(settings, _Delivery(live, expected, request_id, sent_at), started)
        except Exception as error:
            kind, _ = classify(error)
            problem = Verdict(
                "skip" if kind == "unsupported" else "error", str(explain(error, "smoke", expected.region))
            )
            return [sent, ("smoke.delivery", logging.log_group, problem)]
        return [
            sent,
            (
                "smoke.cloudwatch-delivery",
                logging.log_group,
                _delivered(found["cloudwatch"], logging.log_group, settings.timeout_seconds),
            ),
            (
                "smoke.s3-delivery",
                f"s3://{logging.bucket}/{logging.prefix}",
                _delivered(found["s3"], f"s3://{logging.bucket}/{logging.prefix}", settings.timeout_seconds),
            ),
        ]

    return run
