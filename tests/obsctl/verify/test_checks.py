"""Check outcomes moto cannot produce (it confirms subscriptions at once, cannot hold composite alarms or data
protection policies, returns no access log key format and a fixed minimum object size), from AWS-shaped
responses; and the JSON-shaped policy comparison AWS's reformatting must not break."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pytest

from obsctl.verify.checks.base import normalise_policy, statements_by_sid
from obsctl.verify.checks.logging import CHECKS as LOGGING_CHECKS
from obsctl.verify.checks.logging import _data_protection
from obsctl.verify.checks.monitoring import _composite_alarm
from obsctl.verify.checks.routing import CHECKS as ROUTING
from obsctl.verify.checks.routing import PENDING, _subscriptions
from obsctl.verify.checks.storage import _access_log_format, _lifecycle
from obsctl.verify.shapes import ExpectedRegion
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


def test_a_missing_composite_fails_on_aws_and_an_emulator_whose_gaps_are_skipped(expected: ExpectedRegion) -> None:
    spec = expected.monitoring.composite_alarms[0]
    aws = _Live({"describe_alarms": {"CompositeAlarms": [], "MetricAlarms": []}})
    assert _composite_alarm(aws, expected, spec).status == "fail"  # type: ignore[arg-type]
    emulator = _Live(aws.responses, _Session("http://127.0.0.1:5000"))
    verdict = _composite_alarm(emulator, expected, spec)  # type: ignore[arg-type]
    assert (verdict.status, verdict.detail) == ("fail", "composite alarm does not exist")  # on an emulator too
    # moto lists a composite seeded through PutMetricAlarm among the metric alarms, without its rule.
    emulator.responses["describe_alarms"]["MetricAlarms"] = [{"AlarmName": spec.name}]
    verdict = _composite_alarm(emulator, expected, spec)  # type: ignore[arg-type]
    assert verdict.status == "skip" and verdict.detail.startswith("exists; the endpoint (an emulator)")
    aws.responses["describe_alarms"]["MetricAlarms"] = []
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


# --- what moto cannot answer: data protection, access log key format, the minimum object size ------------------


@pytest.fixture(scope="module")
def with_options() -> ExpectedRegion:
    return home_regions(organisation([account("unit", "400000000000", options=True)]))[0]


def test_data_protection_passes_as_written_and_fails_missing_or_narrowed(with_options: ExpectedRegion) -> None:
    wanted = with_options.data_protection
    assert wanted is not None
    group = with_options.logging.log_group
    live = _Live({"get_data_protection_policy": {"logGroupIdentifier": group, "policyDocument": json.dumps(wanted)}})
    verdict = _data_protection(live, with_options, group)  # type: ignore[arg-type]
    assert (verdict.status, verdict.detail) == ("pass", "audits and masks 8 identifiers")
    live.responses["get_data_protection_policy"] = {"logGroupIdentifier": group}  # AWS: no policy on the group
    verdict = _data_protection(live, with_options, group)  # type: ignore[arg-type]
    assert (verdict.status, verdict.detail) == (
        "fail",
        "no data protection policy: prompts and responses are not masked",
    )
    narrowed = json.loads(json.dumps(wanted))
    narrowed["Statement"][1]["DataIdentifier"] = narrowed["Statement"][1]["DataIdentifier"][:1]  # masks one only
    live.responses["get_data_protection_policy"]["policyDocument"] = json.dumps(narrowed)
    verdict = _data_protection(live, with_options, group)  # type: ignore[arg-type]
    assert verdict.status == "fail" and verdict.detail.startswith("mask differs: ")


def test_access_log_key_format_fails_against_aws_and_is_skipped_only_on_an_emulator(
    with_options: ExpectedRegion,
) -> None:
    bucket = with_options.buckets[0]
    assert bucket.access_logging is not None
    enabled = {"TargetBucket": bucket.access_logging.target_bucket, "TargetPrefix": bucket.access_logging.prefix}
    aws = _Live({"get_bucket_logging": {"LoggingEnabled": enabled}})
    verdict = _access_log_format(aws, with_options, bucket)  # type: ignore[arg-type]
    assert verdict.status == "fail" and verdict.detail.startswith("key format: expected {'PartitionedPrefix'")
    emulator = _Live(aws.responses, _Session("http://127.0.0.1:5000"))
    assert _access_log_format(emulator, with_options, bucket).status == "skip"  # type: ignore[arg-type]
    enabled["TargetObjectKeyFormat"] = {"PartitionedPrefix": {"PartitionDateSource": "EventTime"}}
    assert _access_log_format(aws, with_options, bucket).status == "pass"  # type: ignore[arg-type]
    enabled["TargetObjectKeyFormat"] = {"SimplePrefix": {}}
    assert _access_log_format(emulator, with_options, bucket).status == "fail"  # type: ignore[arg-type]


def test_a_lifecycle_moving_small_files_fails(with_options: ExpectedRegion) -> None:
    """moto always reports all_storage_classes_128K; AWS reports what was set."""
    bucket = with_options.buckets[0]
    response = {"Rules": list(bucket.lifecycle), "TransitionDefaultMinimumObjectSize": "all_storage_classes_128K"}
    live = _Live({"get_bucket_lifecycle_configuration": response})
    assert _lifecycle(live, with_options, bucket).status == "pass"  # type: ignore[arg-type]
    response["TransitionDefaultMinimumObjectSize"] = "varies_by_storage_class"
    verdict = _lifecycle(live, with_options, bucket)  # type: ignore[arg-type]
    assert verdict.detail == (
        "minimum object size: expected 'all_storage_classes_128K', found 'varies_by_storage_class'"
    )


def test_the_oam_row_names_the_link_or_the_sinks_it_should_link_to(expected: ExpectedRegion) -> None:
    [check] = [c for c in ROUTING if c.name == "oam.link"]
    [item] = check.items(expected)
    sinks = f"arn:aws:oam:{expected.region}:{expected.monitoring_account_id}:sink/*"
    assert check.resource(item) == sinks  # the record's resource while no link is found
    live = _Live({"list_links": {"Items": []}})
    missing = check.evaluate(live, expected, item)  # type: ignore[arg-type]
    assert (missing.status, missing.resource) == ("fail", None)
    sink = sinks.replace("*", "abc")
    link = f"arn:aws:oam:{expected.region}:{expected.account_id}:link/xyz"
    types = sorted(expected.shared_resource_types)
    live.responses["list_links"]["Items"] = [{"Arn": link, "SinkArn": sink, "ResourceTypes": types}]
    found = check.evaluate(live, expected, item)  # type: ignore[arg-type]
    assert (found.status, found.resource, found.detail) == ("pass", link, f"to {sink}")


def test_key_rows_name_the_alias_with_its_region_and_account(expected: ExpectedRegion) -> None:
    rows = [c for c in LOGGING_CHECKS if c.name.startswith("key.")]
    assert len(rows) == 3
    alias = f"arn:aws:kms:{expected.region}:{expected.account_id}:alias/bedrock-observability"
    assert {c.resource(item) for c in rows for item in c.items(expected)} == {alias}
