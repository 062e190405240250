"""verify expects exactly what the program creates: `obsctl.verify.expected` against the offline plans of
the example org, account-region by account-region (names, and the values the checks compare)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from inventory.load import STACKS_DIR
from inventory.models import Organisation
from obsctl.verify.expected import expected_region
from obsctl.verify.run import account_regions
from obsctl.verify.shapes import ExpectedRegion
from tests.conftest import org_data, resources
from vocabulary import names

OBJECT_LOCK = "bucketObjectLockConfiguration"
ACCOUNT_PAB = "accountPublicAccessBlock:AccountPublicAccessBlock"

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

    _assert_buckets(plan, expected)
    _assert_security_options(plan, expected)

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
        assert [s["insightType"] for s in trail.get("insightSelectors") or []] == list(expected.trail.insights)

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


def _aws(value: Any) -> Any:
    """Plan inputs (camelCase) as the AWS API spells them (PascalCase; `id` is `ID`)."""
    if isinstance(value, dict):
        return {("ID" if k == "id" else k[:1].upper() + k[1:]): _aws(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_aws(v) for v in value]
    return value


def _assert_buckets(plan: dict[str, Any], expected: ExpectedRegion) -> None:
    """Every log bucket of the account-region, and every setting verify compares, equal to the plan's."""
    region = expected.region

    def by_bucket(type_: str) -> dict[str, dict[str, Any]]:
        return _by(_in(plan, f"aws:s3/{type_}", region), "bucket")

    buckets, policies = by_bucket("bucket:Bucket"), by_bucket("bucketPolicy:BucketPolicy")
    lifecycles = by_bucket("bucketLifecycleConfiguration:BucketLifecycleConfiguration")
    encryption = by_bucket("bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")
    loggings, locks = (
        by_bucket("bucketLogging:BucketLogging"),
        by_bucket(f"{OBJECT_LOCK}:BucketObjectLockConfiguration"),
    )
    assert sorted(buckets) == sorted(b.name for b in expected.buckets)
    assert [b.role for b in expected.buckets][-1] == names.ACCESS_LOGS_ROLE
    for bucket in expected.buckets:
        assert buckets[bucket.name]["tags"] == {names.BUCKET_ROLE_TAG: bucket.role}
        [rule] = encryption[bucket.name]["rules"]
        assert (rule["applyServerSideEncryptionByDefault"]["sseAlgorithm"], rule.get("bucketKeyEnabled", False)) == (
            bucket.sse_algorithm,
            bucket.bucket_key,
        )
        assert _aws(lifecycles[bucket.name]["rules"]) == list(bucket.lifecycle)
        assert lifecycles[bucket.name]["transitionDefaultMinimumObjectSize"] == bucket.minimum_object_size
        statements = json.loads(policies[bucket.name]["policy"])["Statement"]
        assert statements == list(bucket.policy)
        assert bucket.tls_only in statements and (bucket.kms_uploads_only in statements) == (
            bucket.role != "access-logs"
        )
        logging = loggings.get(bucket.name)
        wanted = bucket.access_logging
        assert (logging is None) == (wanted is None)
        if logging and wanted:
            assert (logging["targetBucket"], logging["targetPrefix"], _aws(logging["targetObjectKeyFormat"])) == (
                wanted.target_bucket,
                wanted.prefix,
                wanted.key_format,
            )
        lock = locks.get(bucket.name)
        assert (_aws(lock["rule"]) if lock else None) == bucket.object_lock


def _assert_security_options(plan: dict[str, Any], expected: ExpectedRegion) -> None:
    """Key policy (AWS Budgets in the home region only), data protection, account-wide public access block."""
    [key] = _in(plan, "aws:kms/key:Key", expected.region)
    assert json.loads(key["policy"])["Statement"] == list(expected.key_policy)
    policies = _in(plan, "aws:cloudwatch/logDataProtectionPolicy:LogDataProtectionPolicy", expected.region)
    assert [(p["logGroupName"], json.loads(p["policyDocument"])) for p in policies] == (
        [(expected.logging.log_group, expected.data_protection)] if expected.data_protection else []
    )
    account_pab = [r for r in resources(plan, f"aws:s3/{ACCOUNT_PAB}") if expected.account_public_access_block]
    if expected.region == expected.account.home_region:
        assert (
            len(resources(plan, f"aws:s3/{ACCOUNT_PAB}"))
            == len(account_pab)
            == int(expected.account_public_access_block)
        )


def test_every_option_on_is_still_the_plan(plan_inventory: Callable[..., Any]) -> None:
    """Object Lock, Insights, the account-wide public access block and data protection without a findings log
    group: off in the example org, so planned here from an edited copy."""
    data = org_data()
    research = next(a for a in data["workload_accounts"] if a["name"] == "research-dev")
    research["settings"]["audit"].update(
        object_lock={"enabled": True, "mode": "COMPLIANCE", "retention_days": 30},
        insights=["ApiCallRateInsight", "ApiErrorRateInsight"],
    )
    research["settings"]["account_public_access_block"] = True
    research["settings"]["invocation_logging"]["data_protection"] = {"enabled": True, "findings_destination": "none"}
    plan = plan_inventory(data, "research-dev")
    org = Organisation.model_validate(data)
    account = next(a for a in org.workload_accounts if a.name == "research-dev")
    targets = [expected_region("research-dev", org, account, region) for region in account.regions]
    home = targets[0]
    assert home.trail is not None and home.trail.insights == ("ApiCallRateInsight", "ApiErrorRateInsight")
    assert [b.object_lock for b in home.buckets if b.object_lock] == [
        {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": 30}}
    ]
    assert [t.account_public_access_block for t in targets] == [True, False, False]
    assert all(t.data_protection for t in targets)
    for expected in targets:
        assert [g.name for g in expected.log_groups] == [names.INVOCATION_LOG_GROUP] + (
            [names.TRAIL_LOG_GROUP] if expected is home else []
        )
        _assert_buckets(plan, expected)
        _assert_security_options(plan, expected)
        [trail] = _in(plan, "aws:cloudtrail/trail:Trail", home.region)
        assert [s["insightType"] for s in trail["insightSelectors"]] == list(home.trail.insights)


def test_every_account_region_of_the_example_org_is_covered(targets: list[ExpectedRegion]) -> None:
    assert [(t.stack, t.region) for t in targets] == [
        ("payments-prod", "us-east-1"),
        ("payments-prod", "eu-west-1"),
        ("research-dev", "us-west-2"),
        ("research-dev", "eu-central-1"),
        ("research-dev", "ap-southeast-2"),
    ]
