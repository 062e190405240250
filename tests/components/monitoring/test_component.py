"""RegionalMonitoring under the plan recorder: children, regions, parents, routing, queries, filters."""

from __future__ import annotations

import json
from typing import Any

import pytest

from components.alerting.component import TYPE_TOKEN as ALERT_TOPIC
from components.monitoring.component import TYPE_TOKEN, RegionalMonitoring, RegionalMonitoringArgs
from components.monitoring.context import RegionContext, TrailLocation
from inventory.monitoring import MonitoringSettings
from tests.components.monitoring.common import region
from tests.harness import ACCOUNT_ID, Recorded, run

REGION = "eu-west-1"
KEY = f"arn:aws:kms:{REGION}:{ACCOUNT_ID}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
MODELS = ["anthropic.claude-3-5-sonnet-20240620-v1:0", "us.anthropic.claude-3-haiku-20240307-v1:0"]
SETTINGS = MonitoringSettings.model_validate(
    {
        "notifications": {
            "warning": {"emails": ["ml-team@example.com"]},
            "critical": {
                "emails": ["oncall@example.com"],
                "https_endpoints": ["https://events.pagerduty.com/integration/abc123/enqueue"],
                "sms_numbers": ["+14155550100"],
            },
        },
        "budget": {"monthly_limit_usd": 2500},
    }
)


TRAIL_HERE = TrailLocation(REGION, "/aws/cloudtrail/payments")


def _region(trail: TrailLocation | None = TRAIL_HERE, settings: MonitoringSettings = SETTINGS) -> RegionContext:
    return region(settings, tuple(MODELS), trail)


def _regional(
    trail: TrailLocation | None = TRAIL_HERE, settings: MonitoringSettings = SETTINGS
) -> tuple[Recorded, dict[str, Any]]:
    def build() -> dict[str, Any]:
        component = RegionalMonitoring(
            f"payments-prod-{REGION}", RegionalMonitoringArgs(context=_region(trail, settings), kms_key_arn=KEY)
        )
        return {"warning": component.warning_topic_arn, "critical": component.critical_topic_arn}

    return run(build)


@pytest.fixture(scope="module")
def regional() -> tuple[Recorded, dict[str, Any], None]:
    mocks, outputs = _regional()
    return mocks, outputs, None


def test_outputs_are_the_regional_topic_arns(regional) -> None:
    _, outputs, _ = regional
    assert outputs == {
        tier: f"arn:aws:sns:{REGION}:{ACCOUNT_ID}:bedrock-payments-prod-{REGION}-alerts-{tier}"
        for tier in ("warning", "critical")
    }


def test_every_child_is_parented_and_pinned_to_the_region(regional) -> None:
    mocks, _, _ = regional
    (component,) = mocks.of_type(TYPE_TOKEN)
    # The tier topics' resources are children of the component's AlertTopic children.
    topics = {t.urn for t in mocks.of_type(ALERT_TOPIC) if t.parent == component.urn}
    assert len(topics) == 2
    children = [r for r in mocks.resources if not r.type.startswith("bedrockobs:")]
    assert len(children) > 30
    for resource in children:
        assert resource.inputs.get("region") == REGION, resource.name
        assert resource.parent == component.urn or resource.parent in topics, resource.name
        assert resource.name.startswith(f"payments-prod-{REGION}-")


def test_expected_resource_counts(regional) -> None:
    mocks, _, _ = regional
    count = lambda typ: len(mocks.of_type(typ))  # noqa: E731
    assert count("aws:sns/topic:Topic") == 2
    assert count("aws:sns/topicPolicy:TopicPolicy") == 2
    assert count("aws:sns/topicSubscription:TopicSubscription") == 4
    assert count("aws:cloudwatch/dashboard:Dashboard") == 3
    # per model: 4 kinds x 2 tiers + 2 anomaly; + 1 delivery + 3 CloudTrail alarms
    assert count("aws:cloudwatch/metricAlarm:MetricAlarm") == 10 * len(MODELS) + 4
    assert count("aws:cloudwatch/compositeAlarm:CompositeAlarm") == len(MODELS)
    assert count("aws:cloudwatch/logMetricFilter:LogMetricFilter") == 3
    assert count("aws:cloudwatch/queryDefinition:QueryDefinition") == 5


def test_topics_are_kms_encrypted_and_publish_is_limited_to_this_account(regional) -> None:
    mocks, _, _ = regional
    for topic in mocks.of_type("aws:sns/topic:Topic"):
        assert topic.inputs["kmsMasterKeyId"] == KEY
    for policy in mocks.of_type("aws:sns/topicPolicy:TopicPolicy"):
        document = json.loads(policy.inputs["policy"])
        principals = {s["Principal"]["Service"] for s in document["Statement"]}
        expected = {"cloudwatch.amazonaws.com"} | ({"budgets.amazonaws.com"} if "critical" in policy.name else set())
        assert principals == expected
        for statement in document["Statement"]:
            assert statement["Effect"] == "Allow" and statement["Action"] == "sns:Publish"
            assert statement["Resource"] == policy.inputs["arn"]
            assert statement["Condition"]["StringEquals"] == {"aws:SourceAccount": ACCOUNT_ID}
            assert ACCOUNT_ID in statement["Condition"]["ArnLike"]["aws:SourceArn"]


def test_subscriptions_come_from_config(regional) -> None:
    mocks, _, _ = regional
    subs = {
        (s.inputs["protocol"], s.inputs["endpoint"]): s
        for s in mocks.of_type("aws:sns/topicSubscription:TopicSubscription")
    }
    assert set(subs) == {
        ("email", "ml-team@example.com"),
        ("email", "oncall@example.com"),
        ("https", "https://events.pagerduty.com/integration/abc123/enqueue"),
        ("sms", "+14155550100"),
    }
    assert subs[("https", "https://events.pagerduty.com/integration/abc123/enqueue")].inputs["endpointAutoConfirms"]
    assert subs[("email", "ml-team@example.com")].inputs["topic"].endswith("alerts-warning")
    # addresses do not leak into resource names
    assert not any("@" in s.name or "pagerduty" in s.name for s in subs.values())


def test_alarms_notify_topics_of_their_own_region(regional) -> None:
    mocks, _, _ = regional
    for alarm in mocks.of_type("aws:cloudwatch/metricAlarm:MetricAlarm") + mocks.of_type(
        "aws:cloudwatch/compositeAlarm:CompositeAlarm"
    ):
        actions = alarm.inputs["alarmActions"]
        assert len(actions) == 1 and actions[0].startswith(f"arn:aws:sns:{REGION}:{ACCOUNT_ID}:")
        tier = alarm.inputs["tags"]["Severity"]
        assert actions[0].endswith(f"alerts-{tier}")
        assert alarm.inputs.get("okActions", []) == ([actions[0]] if tier == "critical" else [])
        assert alarm.inputs.get("treatMissingData") or alarm.type.endswith("CompositeAlarm")


INVOCATION_LOG_QUERIES = {
    "Usage summary by model",
    "Latest invocations with token counts",
    "Invocations per minute by model",
    "Top identities by tokens",
}
TRAIL_FAILURES_QUERY = "Failed invocations by region, error code and model (CloudTrail)"


def test_saved_queries_target_the_invocation_log_and_failures_the_trail(regional) -> None:
    mocks, _, _ = regional
    queries = {
        q.inputs["name"].rsplit("/", 1)[-1]: q for q in mocks.of_type("aws:cloudwatch/queryDefinition:QueryDefinition")
    }
    assert set(queries) == INVOCATION_LOG_QUERIES | {TRAIL_FAILURES_QUERY}
    for title in INVOCATION_LOG_QUERIES:
        assert queries[title].inputs["logGroupNames"] == ["/aws/bedrock/model-invocations"]
        # The documented invocation log schema has no error field.
        assert "errorCode" not in queries[title].inputs["queryString"]
    failures = queries[TRAIL_FAILURES_QUERY].inputs
    assert failures["logGroupNames"] == ["/aws/cloudtrail/payments"] and failures["region"] == REGION
    assert 'eventSource = "bedrock.amazonaws.com"' in failures["queryString"]
    assert "by awsRegion, errorCode, requestParameters.modelId" in failures["queryString"]


TRAIL_ELSEWHERE = TrailLocation("us-east-1", "/aws/cloudtrail/payments")


@pytest.mark.parametrize("trail", [TRAIL_ELSEWHERE, None], ids=["trail-in-another-region", "no-account-trail"])
def test_no_trail_failures_query_outside_the_trail_region(trail: TrailLocation | None) -> None:
    mocks, _ = _regional(trail=trail)
    queries = mocks.of_type("aws:cloudwatch/queryDefinition:QueryDefinition")
    assert {q.inputs["name"].rsplit("/", 1)[-1] for q in queries} == INVOCATION_LOG_QUERIES
    assert all(q.inputs["logGroupNames"] == ["/aws/bedrock/model-invocations"] for q in queries)


def test_failures_widget_reads_the_home_trail_from_other_regions() -> None:
    mocks, _ = run(
        lambda: {
            "arn": RegionalMonitoring(
                f"payments-prod-{REGION}",
                RegionalMonitoringArgs(context=_region(TRAIL_ELSEWHERE), kms_key_arn=KEY),
            ).critical_topic_arn
        }
    )
    operations = next(
        d
        for d in mocks.of_type("aws:cloudwatch/dashboard:Dashboard")
        if d.inputs["dashboardName"].endswith("operations")
    )
    (widget,) = [w for w in json.loads(operations.inputs["dashboardBody"])["widgets"] if w["type"] == "log"]
    assert widget["properties"]["region"] == "us-east-1"
    assert f'awsRegion = "{REGION}"' in widget["properties"]["query"]
    assert not mocks.of_type("aws:cloudwatch/logMetricFilter:LogMetricFilter")  # not the trail's region


@pytest.mark.parametrize("trail", [TRAIL_ELSEWHERE, None], ids=["trail-in-another-region", "no-account-trail"])
def test_metric_filters_only_with_a_trail_log_group(trail: TrailLocation | None) -> None:
    mocks, _ = _regional(trail=trail)
    assert not mocks.of_type("aws:cloudwatch/logMetricFilter:LogMetricFilter")
    alarms = mocks.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")
    assert not [a for a in alarms if "security" in a.inputs["name"]]
    assert [a for a in alarms if "delivery-failure" in a.inputs["name"]]
    security = next(
        d for d in mocks.of_type("aws:cloudwatch/dashboard:Dashboard") if d.inputs["dashboardName"].endswith("security")
    )
    assert "SOURCE" not in security.inputs["dashboardBody"]


def test_names_are_deterministic(regional) -> None:
    mocks, _, _ = regional
    again, _ = _regional()

    def names(m: Recorded) -> list[tuple[str, str, str]]:
        # registration order is asynchronous; the set of (type, logical name, AWS name) must be stable
        return sorted((r.type, r.name, str(r.inputs.get("name") or r.inputs.get("alarmName"))) for r in m.resources)

    assert names(mocks) == names(again)
    assert len({n[1] for n in names(mocks)}) == len(mocks.resources)


def test_regional_monitoring_exposes_the_critical_topic_policy() -> None:
    def build() -> dict[str, Any]:
        component = RegionalMonitoring(
            f"payments-prod-{REGION}", RegionalMonitoringArgs(context=_region(trail=None), kms_key_arn=KEY)
        )
        return {"urn": component.critical_topic_policy.urn, "topic": component.critical_topic_policy.arn}

    _, outputs = run(build)
    assert outputs["urn"].endswith(f"::payments-prod-{REGION}-alerts-critical-policy")
    assert outputs["topic"].endswith(f"bedrock-payments-prod-{REGION}-alerts-critical")
