"""Check outcomes moto cannot produce (it confirms subscriptions at once and cannot hold composite alarms),
from AWS-shaped responses; and the JSON-shaped policy comparison AWS's reformatting must not break."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pytest

from obsctl.verify.checks.base import normalise_policy, statements_by_sid
from obsctl.verify.checks.monitoring import _composite_alarm
from obsctl.verify.checks.routing import PENDING, _subscriptions
from obsctl.verify.expected import ExpectedRegion
from tests.obsctl.verify.inventories import account, home_regions, organisation


@dataclass
class _Session:
    endpoint_url: str | None


@dataclass
class _Live:
    """Canned responses by operation, as Live.get returns them."""

    responses: dict[str, Any]
    session: _Session = field(default_factory=lambda: _Session(None))

    def get(self, service: str, operation: str, **params: Any) -> Any:
        return self.responses.get(operation)


@pytest.fixture(scope="module")
def expected() -> ExpectedRegion:
    return home_regions(organisation([account("unit", "400000000000")]))[0]


def _critical(expected: ExpectedRegion) -> Any:
    return next(topic for topic in expected.topics if topic.tier == "critical")


def test_a_pending_confirmation_fails_naming_the_subscriber(expected: ExpectedRegion) -> None:
    topic = _critical(expected)
    subscriptions = [
        {"Protocol": "email", "Endpoint": "UNIT-oncall@example.com", "SubscriptionArn": PENDING},
        {"Protocol": "https", "Endpoint": "https://pager.example.com/x", "SubscriptionArn": f"{topic.arn}:1"},
        {"Protocol": "email", "Endpoint": "someone@example.com", "SubscriptionArn": f"{topic.arn}:2"},
    ]
    live = _Live(
        {"get_topic_attributes": {"Attributes": {}}, "list_subscriptions_by_topic": {"Subscriptions": subscriptions}}
    )
    verdict = _subscriptions(live, expected, topic)  # type: ignore[arg-type]
    assert verdict.status == "fail"
    assert verdict.detail == "pending confirmation (alerts do not reach them yet): email:unit-oncall@example.com"
    live.responses["list_subscriptions_by_topic"]["Subscriptions"][0]["SubscriptionArn"] = f"{topic.arn}:0"
    verdict = _subscriptions(live, expected, topic)  # type: ignore[arg-type]
    assert verdict.status == "pass"
    assert verdict.detail == "2 confirmed; also subscribed, not in the inventory: email:someone@example.com"


def test_a_missing_composite_fails_against_aws_and_is_skipped_only_on_an_emulator(expected: ExpectedRegion) -> None:
    spec = expected.monitoring.composite_alarms[0]
    aws = _Live({"describe_alarms": {"CompositeAlarms": [], "MetricAlarms": []}})
    assert _composite_alarm(aws, expected, spec).status == "fail"  # type: ignore[arg-type]
    emulator = _Live(aws.responses, _Session("http://127.0.0.1:5000"))
    assert _composite_alarm(emulator, expected, spec).status == "skip"  # type: ignore[arg-type]
    topic = expected.topic_arn("critical")
    found = {"AlarmName": spec.name, "AlarmRule": spec.rule, "ActionsEnabled": True, "AlarmActions": [topic],
             "OKActions": [topic]}  # fmt: skip
    aws.responses["describe_alarms"]["CompositeAlarms"] = [found]
    assert _composite_alarm(aws, expected, spec).status == "pass"  # type: ignore[arg-type]
    found["AlarmRule"] = 'ALARM("something-else")'
    verdict = _composite_alarm(aws, expected, spec)  # type: ignore[arg-type]
    assert verdict.status == "fail" and verdict.detail.startswith("rule: expected 'ALARM(")


def test_policies_compare_equal_however_aws_lays_them_out() -> None:
    ours = {"Sid": "S", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": ["b", "a"]}
    aws = json.dumps(
        {"Statement": {"Resource": ["a", "b"], "Action": ["s3:*"], "Principal": "*", "Effect": "Deny", "Sid": "S"}}
    )
    assert statements_by_sid(aws) == {"S": normalise_policy(ours)}
    assert statements_by_sid(None) == {}
