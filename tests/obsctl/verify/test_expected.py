"""verify expects exactly what the program creates: `obsctl.verify.expected` against the offline plans of
the example org, account-region by account-region (names, and the values the checks compare)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from inventory.load import STACKS_DIR
from obsctl.verify.expected import ExpectedRegion
from obsctl.verify.run import account_regions
from tests.conftest import resources

WORKLOAD_STACKS = ("payments-prod", "research-dev")


def _targets() -> list[ExpectedRegion]:
    return account_regions(WORKLOAD_STACKS, STACKS_DIR)[0]


def _in(plan: dict[str, Any], type_: str, region: str) -> list[dict[str, Any]]:
    return [r["inputs"] for r in resources(plan, type_) if r["inputs"].get("region") == region]


def _by(items: list[dict[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    return {item[key]: item for item in items}


@pytest.fixture(scope="module")
def targets() -> list[ExpectedRegion]:
    return _targets()


@pytest.mark.parametrize("index", range(5), ids=lambda i: f"account-region-{i}")
def test_alarms_dashboards_filters_and_queries_are_the_plans(
    example_plans: dict[str, dict[str, Any]], targets: list[ExpectedRegion], index: int
) -> None:
    expected = targets[index]
    plan, region = example_plans[expected.stack], expected.region
    monitoring = expected.monitoring
    alarms = _by(_in(plan, "aws:cloudwatch/metricAlarm:MetricAlarm", region), "name")
    assert sorted(alarms) == sorted(spec.name for spec in monitoring.metric_alarms)
    for spec in monitoring.metric_alarms:
        found = alarms[spec.name]
        assert (found["comparisonOperator"], found["evaluationPeriods"], found.get("threshold")) == (
            spec.comparison_operator,
            spec.evaluation_periods,
            spec.threshold,
        )
        assert found["alarmActions"] == [expected.topic_arn(spec.tier or "")]
    composites = _by(_in(plan, "aws:cloudwatch/compositeAlarm:CompositeAlarm", region), "alarmName")
    assert {name: c["alarmRule"] for name, c in composites.items()} == {
        spec.name: spec.rule for spec in monitoring.composite_alarms
    }
    dashboards = _by(_in(plan, "aws:cloudwatch/dashboard:Dashboard", region), "dashboardName")
    assert {name: json.loads(d["dashboardBody"]) for name, d in dashboards.items()} == {
        d.name: json.loads(d.body) for d in monitoring.dashboards
    }
    filters = _in(plan, "aws:cloudwatch/logMetricFilter:LogMetricFilter", region)
    assert sorted((f["name"], f["pattern"], f["logGroupName"]) for f in filters) == sorted(
        (f.spec.name, f.spec.pattern, f.log_group) for f in monitoring.metric_filters
    )
    queries = _in(plan, "aws:cloudwatch/queryDefinition:QueryDefinition", region)
    assert sorted((q["name"], tuple(q["logGroupNames"])) for q in queries) == sorted(
        (q.name, (q.log_group,)) for q in monitoring.saved_queries
    )


@pytest.mark.parametrize("index", range(5), ids=lambda i: f"account-region-{i}")
def test_logging_storage_trail_and_routing_are_the_plans(
    example_plans: dict[str, dict[str, Any]], targets: list[ExpectedRegion], index: int
) -> None:
    expected = targets[index]
    plan, region = example_plans[expected.stack], expected.region
    [config] = _in(plan, "aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration", region)
    logging = config["loggingConfig"]
    assert logging["cloudwatchConfig"]["logGroupName"] == expected.logging.log_group
    assert logging["cloudwatchConfig"]["roleArn"] == expected.logging.role_arn
    assert logging["cloudwatchConfig"]["largeDataDeliveryS3Config"] == {
        "bucketName": expected.logging.bucket,
        "keyPrefix": expected.logging.large_data_prefix,
    }
    assert logging["s3Config"] == {"bucketName": expected.logging.bucket, "keyPrefix": expected.logging.prefix}
    assert {k: v for k, v in logging.items() if k.endswith("DataDeliveryEnabled")} == expected.logging.data_types

    groups = _in(plan, "aws:cloudwatch/logGroup:LogGroup", region)
    assert sorted((g["name"], g["retentionInDays"], g["deletionProtectionEnabled"]) for g in groups) == sorted(
        (g.name, g.retention_days, g.deletion_protected) for g in expected.log_groups
    )
    [alias] = _in(plan, "aws:kms/alias:Alias", region)
    assert alias["name"] == expected.key_alias

    lifecycles = _by(_in(plan, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", region), "bucket")
    policies = _by(_in(plan, "aws:s3/bucketPolicy:BucketPolicy", region), "bucket")
    assert sorted(lifecycles) == sorted(b.name for b in expected.buckets)
    for bucket in expected.buckets:
        [rule] = lifecycles[bucket.name]["rules"]
        [wanted] = bucket.lifecycle
        assert wanted["Expiration"]["Days"] == rule["expiration"]["days"]
        assert wanted["Transitions"] == [
            {"Days": t["days"], "StorageClass": t["storageClass"]} for t in rule["transitions"]
        ]
        assert (
            wanted["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"]
            == (rule["abortIncompleteMultipartUpload"]["daysAfterInitiation"])
        )
        statements = json.loads(policies[bucket.name]["policy"])["Statement"]
        assert all(deny in statements for deny in bucket.deny_statements)

    trails = _in(plan, "aws:cloudtrail/trail:Trail", region)
    if expected.trail is None:
        assert trails == []
    else:
        [trail] = trails
        assert (trail["name"], trail["s3BucketName"], trail["cloudWatchLogsGroupArn"], trail["isMultiRegionTrail"]) == (
            expected.trail.name,
            expected.trail.bucket,
            expected.trail.log_group_arn,
            True,
        )

    topics = _by(_in(plan, "aws:sns/topic:Topic", region), "name")
    assert sorted(topics) == sorted(t.name for t in expected.topics)
    topic_policies = {p["arn"]: json.loads(p["policy"]) for p in _in(plan, "aws:sns/topicPolicy:TopicPolicy", region)}
    subs = _in(plan, "aws:sns/topicSubscription:TopicSubscription", region)
    for topic in expected.topics:
        assert topic_policies[topic.arn] == topic.policy
        assert sorted((s["protocol"], s["endpoint"]) for s in subs if s["topic"] == topic.arn) == sorted(
            (s.protocol, s.endpoint) for s in topic.subscriptions
        )

    links = _in(plan, "aws:oam/link:Link", region)
    assert [link["resourceTypes"] for link in links] == [list(expected.shared_resource_types)]
    assert all(
        link["sinkIdentifier"].startswith(f"arn:aws:oam:{region}:{expected.monitoring_account_id}:") for link in links
    )

    budgets = resources(plan, "aws:budgets/budget:Budget")
    if expected.budget is None:
        assert region != expected.account.home_region or budgets == []
    else:
        [budget] = [b["inputs"] for b in budgets]
        assert (budget["name"], float(budget["limitAmount"])) == (expected.budget.name, expected.budget.limit_usd)
        assert sorted(n["threshold"] for n in budget["notifications"]) == sorted(
            n.threshold_pct for n in expected.budget.notifications
        )


def test_every_account_region_of_the_example_org_is_covered(targets: list[ExpectedRegion]) -> None:
    assert [(t.stack, t.region) for t in targets] == [
        ("payments-prod", "us-east-1"),
        ("payments-prod", "eu-west-1"),
        ("research-dev", "us-west-2"),
        ("research-dev", "eu-central-1"),
        ("research-dev", "ap-southeast-2"),
    ]
