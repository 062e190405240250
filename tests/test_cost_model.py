"""The cost model's arithmetic against hand-counted plans, with a fixed price table (us-east-1 list prices)."""

from __future__ import annotations

import math
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inventory.cost import CostAssumptions
from obsctl.cost import report
from obsctl.cost.estimate import Context, estimate
from obsctl.cost.lifecycle import UNBOUNDED_DAYS, Lifecycle, Tier, from_inputs
from obsctl.cost.model import DAYS_PER_MONTH, read_resources
from obsctl.cost.prices import PriceError, PriceTable, load_prices
from obsctl.cost.traffic import log_group_of

ACCOUNT = "123456789012"
REGIONS = ("us-east-1", "eu-west-1")


def _regional(usd: float, per: float = 1) -> dict[str, Any]:
    return {"source": "test", "unit": "unit", "per": per, "regions": dict.fromkeys(REGIONS, usd)}


def _everywhere(usd: float, per: float = 1) -> dict[str, Any]:
    return {"source": "test", "unit": "unit", "per": per, "usd": usd}


def _allowance(value: float) -> dict[str, Any]:
    return {"source": "test", "unit": "unit", "value": value}


# The us-east-1 figures of obsctl/cost/prices.yaml, fixed here so the hand counts below stay valid when
# the real table is refreshed.
PRICES = PriceTable.model_validate(
    {
        "sources": {"test": {"page": "https://aws.amazon.com/pricing/", "read": "2026-12-03"}},
        "prices": {
            "cloudwatch.alarm_metric": _regional(0.10),
            "cloudwatch.alarm_metric_high_resolution": _regional(0.30),
            "cloudwatch.metrics_insights_alarm_metric": _regional(0.10),
            "cloudwatch.composite_alarm": _regional(0.50),
            "cloudwatch.dashboard": _everywhere(3.00),
            "cloudwatch.custom_metric": _regional(0.30),
            "cloudwatch.cross_account_observability": _everywhere(0),
            "cloudwatch.logs_ingestion": _regional(0.50),
            "cloudwatch.logs_storage": _regional(0.03),
            "s3.storage.STANDARD": _regional(0.023),
            "s3.storage.STANDARD_IA": _regional(0.0125),
            "s3.put_request": _regional(0.005, per=1000),
            "s3.transition.STANDARD_IA": _regional(0.01, per=1000),
            "kms.key": _everywhere(1.00),
            "kms.rotation": _everywhere(1.00),
            "kms.request": _everywhere(0.03, per=10_000),
            "cloudtrail.management_event_first_copy": _everywhere(0, per=100_000),
            "cloudtrail.management_event": _regional(2.00, per=100_000),
            "cloudtrail.data_event": _regional(0.10, per=100_000),
            "sns.email": _regional(2.00, per=100_000),
            "sns.http": _regional(0.60, per=1_000_000),
            "budgets.budget": _everywhere(0),
            "budgets.action_enabled_budget_day": _everywhere(0.10),
            "grafana.editor": _everywhere(9.00),
            "grafana.viewer": _everywhere(5.00),
        },
        "allowances": {
            "cloudwatch.free_dashboards_per_account": _allowance(3),
            "budgets.free_action_enabled_budgets": _allowance(2),
            "s3.minimum_days.STANDARD": _allowance(0),
            "s3.minimum_days.STANDARD_IA": _allowance(30),
            "s3.bucket_key_kms_request_share": _allowance(0.01),
            "logs.kms_requests_per_log_group_day": _allowance(288),
        },
    }
)

PROVIDER = "urn:pulumi:t::p::pulumi:providers:aws::acct"


def _plan(resources: list[tuple[str, str, dict[str, Any]]], region: str = "us-east-1") -> dict[str, Any]:
    """A minimal `pulumi preview --json` document: one provider for ACCOUNT, then the given resources."""
    provider = {"type": "pulumi:providers:aws", "urn": PROVIDER, "custom": True, "provider": ""}
    provider["inputs"] = {"region": region, "allowedAccountIds": [ACCOUNT]}
    steps = [{"op": "create", "newState": provider}]
    for type_, name, inputs in resources:
        urn = f"urn:pulumi:t::p::{type_}::{name}"
        state = {"type": type_, "urn": urn, "custom": True, "provider": f"{PROVIDER}::uuid", "inputs": inputs}
        steps.append({"op": "create", "newState": state})
    return {"steps": steps}


def _metric(name: str, period: int = 300) -> dict[str, Any]:
    return {"metricName": name, "namespace": "AWS/Bedrock", "period": period, "stat": "Sum"}


ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
SMALL_STACK = [
    # Alarms: 1 + 3 + 3 (anomaly: the metric and the band's two bounds) standard metrics = 7; 1 high-resolution;
    # 1 Metrics Insights alarm analysing 4 series (Context below) = 4; 1 composite.
    (ALARM, "latency", {"metricName": "InvocationLatency", "period": 300}),
    (
        ALARM,
        "error-rate",
        {
            "metricQueries": [
                {"id": "inv", "metric": _metric("Invocations", 60)},
                {"id": "ce", "metric": _metric("InvocationClientErrors", 60)},
                {"id": "se", "metric": _metric("InvocationServerErrors", 60)},
                {"id": "rate", "expression": "100 * (ce + se) / inv", "returnData": True},
            ]
        },
    ),
    (
        ALARM,
        "anomaly",
        {
            "metricQueries": [
                {"id": "m1", "metric": _metric("Invocations")},
                {"id": "band", "expression": "ANOMALY_DETECTION_BAND(m1, 3)"},
            ]
        },
    ),
    (ALARM, "fast", {"metricName": "InvocationThrottles", "period": 10}),
    (
        ALARM,
        "org",
        {"metricQueries": [{"id": "q", "expression": 'SELECT SUM(Invocations) FROM SCHEMA("AWS/Bedrock")'}]},
    ),
    ("aws:cloudwatch/compositeAlarm:CompositeAlarm", "both", {"alarmRule": "ALARM(a) AND ALARM(b)"}),
    # 4 dashboards, 3 free per account: 1 billed (account-wide, region '').
    *(("aws:cloudwatch/dashboard:Dashboard", f"d{i}", {"dashboardName": f"d{i}"}) for i in range(4)),
    # 2 metric filters: 2 custom metrics.
    *(("aws:cloudwatch/logMetricFilter:LogMetricFilter", f"f{i}", {"name": f"f{i}"}) for i in range(2)),
    # 1 key with rotation: 1 key-month + 2 billed rotated versions.
    ("aws:kms/key:Key", "key", {"enableKeyRotation": True}),
    ("aws:cloudwatch/logGroup:LogGroup", "logs", {"name": "/logs", "retentionInDays": 30, "kmsKeyId": "k"}),
    ("aws:s3/bucket:Bucket", "bucket", {"bucket": "logs-bucket"}),
    (
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        "bucket",
        {
            "bucket": "logs-bucket",
            "rules": [
                {
                    "status": "Enabled",
                    "filter": {"prefix": ""},
                    "transitions": [{"days": 30, "storageClass": "STANDARD_IA"}],
                    "expiration": {"days": 60},
                    "noncurrentVersionExpiration": {"noncurrentDays": 30},  # not versioned: no effect
                }
            ],
        },
    ),
    (
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "bucket",
        {
            "bucket": "logs-bucket",
            "rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms"}, "bucketKeyEnabled": True}],
        },
    ),
    (
        "aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration",
        "logging",
        {
            "loggingConfig": {
                "cloudwatchConfig": {
                    "logGroupName": "/logs",
                    "largeDataDeliveryS3Config": {"bucketName": "logs-bucket", "keyPrefix": "large"},
                },
                "s3Config": {"bucketName": "logs-bucket", "keyPrefix": "logs"},
            }
        },
    ),
    ("aws:sns/topic:Topic", "alerts", {"name": "alerts", "kmsMasterKeyId": "k"}),
    *(
        (
            "aws:sns/topicSubscription:TopicSubscription",
            f"s{i}",
            {"topic": f"arn:aws:sns:us-east-1:{ACCOUNT}:alerts", "protocol": protocol},
        )
        for i, protocol in enumerate(("email", "email", "https"))
    ),
    ("aws:budgets/budget:Budget", "budget", {"budgetType": "COST"}),
    ("aws:oam/link:Link", "link", {"sinkIdentifier": "arn"}),
]

# Chosen so the volumes are round: 16,384 invocations/day, a quarter of them (4,096) large.
SMALL_TRAFFIC = CostAssumptions(
    invocations_per_day=16_384,
    avg_payload_kb=64,
    large_payload_share=0.25,
    large_payload_kb=128,
    large_record_stub_kb=64,
    compression_ratio=0.4,
    log_objects_per_day=904,
    notifications_per_topic_per_month=100,
)
MONTH = DAYS_PER_MONTH  # 730 h / 24 = 30.41667 days


def _small_estimate(**changes: float) -> dict[str, Any]:
    traffic = SMALL_TRAFFIC.model_copy(update=changes)
    return estimate(_plan(SMALL_STACK), Context(lambda _: traffic, lambda _a, _r: 4), PRICES)


def _quantities(result: dict[str, Any]) -> dict[str, float]:
    totals: dict[str, float] = {}
    for item in result["items"]:
        totals[item["price"]] = totals.get(item["price"], 0) + item["quantity"]
    return totals


def test_small_stack_counted_by_hand() -> None:
    result = _small_estimate()
    q = _quantities(result)
    # Logs: 12,288 normal records x 64 KB + 4,096 large records x 64 KB stub = 1,048,576 KB = 1 GB a day.
    gb_month = 1 * MONTH
    # Bucket: 4,096 large payloads x 128 KB = 0.5 GB, plus the gzip copy of every record
    # (12,288 x 64 + 4,096 x 128 KB = 1.25 GB) x 0.4 = 0.5 GB: 1 GB a day; 4,096 + 904 = 5,000 objects a day.
    objects_month = 5_000 * MONTH
    expected = {
        "cloudwatch.alarm_metric": 7,
        "cloudwatch.alarm_metric_high_resolution": 1,
        "cloudwatch.metrics_insights_alarm_metric": 4,
        "cloudwatch.composite_alarm": 1,
        "cloudwatch.dashboard": 1,
        "cloudwatch.custom_metric": 2,
        "kms.key": 1,
        "kms.rotation": 2,
        "cloudwatch.logs_ingestion": gb_month,
        # 30 days retention x 1 GB x 0.4 compressed = 12 GB stored.
        "cloudwatch.logs_storage": 12,
        # Standard for 30 days (30 GB), then Standard-IA until expiry at 60 (30 GB); not versioned.
        "s3.storage.STANDARD": 30,
        "s3.storage.STANDARD_IA": 30,
        "s3.transition.STANDARD_IA": objects_month,
        "s3.put_request": objects_month,
        # KMS a day: 5,000 objects x 1 % (S3 Bucket Key) + 288 (encrypted log group); plus 100 notifications.
        "kms.request": (50 + 288) * MONTH + 100,
        # 100 notifications x 2 email subscribers; x 1 HTTPS subscriber.
        "sns.email": 200,
        "sns.http": 100,
        "budgets.budget": 1,
        "cloudwatch.cross_account_observability": 1,
    }
    assert q.keys() == expected.keys()
    for key, quantity in expected.items():
        assert q[key] == pytest.approx(quantity), key
    # USD: alarms 7 x 0.10 + 0.30 + 4 x 0.10 + 0.50 = 1.90; dashboards 3.00; custom metrics 0.60;
    # keys 1.00 + 2 x 1.00 = 3.00; logs ingestion 30.41667 x 0.50 = 15.20833; logs storage 12 x 0.03 = 0.36;
    # S3 storage 30 x 0.023 + 30 x 0.0125 = 1.065; S3 requests 152,083.3 x (0.01 + 0.005) / 1000 = 2.28125;
    # KMS requests 10,380.8 x 0.03 / 10,000 = 0.03114; SNS 200 x 2 / 100,000 + 100 x 0.6 / 1e6 = 0.00406.
    assert result["components"] == pytest.approx(
        {
            "alarms": 1.90,
            "dashboards": 3.00,
            "custom metrics": 0.60,
            "logs ingestion": 15.21,
            "logs storage": 0.36,
            "s3 storage": 1.065,
            "s3 requests": 2.28,
            "kms": 3.03,
            "sns": 0.0,
            "budgets": 0.0,
            "oam": 0.0,
        },
        abs=0.006,  # components are rounded to cents
    )
    assert result["monthlyUsd"] == pytest.approx(27.45)
    # The dashboards are billed once per account (region ''); everything else where it lives.
    assert {(p["account"], p["region"]) for p in result["places"]} == {(ACCOUNT, ""), (ACCOUNT, "us-east-1")}
    assert sum(p["monthlyUsd"] for p in result["places"]) == pytest.approx(result["monthlyUsd"], abs=0.01)


TRAIL = "aws:cloudtrail/trail:Trail"
CONFIG = "aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration"
TRAIL_STACK = [
    (CONFIG, "logging-use1", {"region": "us-east-1", "loggingConfig": {}}),
    (CONFIG, "logging-euw1", {"region": "eu-west-1", "loggingConfig": {}}),
    (
        TRAIL,
        "audit",
        {
            "isMultiRegionTrail": True,
            "enableLogFileValidation": True,
            "kmsKeyId": "k",
            "s3BucketName": "trail-bucket",
            "cloudWatchLogsGroupArn": f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/trail:*",
            "advancedEventSelectors": [
                {"fieldSelectors": [{"field": "eventCategory", "equals": ["Management"]}]},
                {
                    "fieldSelectors": [
                        {"field": "eventCategory", "equals": ["Data"]},
                        {"field": "resources.type", "equals": ["AWS::Bedrock::Guardrail"]},
                    ]
                },
            ],
        },
    ),
    # A second trail in the account: its management events are an additional, billed copy.
    (TRAIL, "second", {"s3BucketName": "other-bucket"}),
    ("aws:cloudwatch/logGroup:LogGroup", "trail-logs", {"name": "/trail", "retentionInDays": 90}),
    ("aws:s3/bucket:Bucket", "trail-bucket", {"bucket": "trail-bucket"}),
]


def test_trails_counted_by_hand() -> None:
    traffic = CostAssumptions(
        invocations_per_day=10_000,
        other_management_events_per_day=5_000,
        data_events_per_invocation=0.5,
        trail_event_kb=1,
        compression_ratio=0.1,
    )
    result = estimate(_plan(TRAIL_STACK), Context(lambda _: traffic), PRICES)
    trail = [i for i in result["items"] if i["component"] == "cloudtrail"]
    # Multi-region trail: 5,000 other + 2 regions x 10,000 invocations (management events) = 25,000 a day,
    # free as the account's first copy; data events 20,000 x 0.5 = 10,000 a day.
    # The second trail (home region only, no selectors = management events): 5,000 + 10,000 = 15,000 a day.
    assert [(i["price"], i["quantity"]) for i in trail] == [
        ("cloudtrail.management_event_first_copy", pytest.approx(25_000 * MONTH)),
        ("cloudtrail.data_event", pytest.approx(10_000 * MONTH)),
        ("cloudtrail.management_event", pytest.approx(15_000 * MONTH)),
    ]
    # 304,166.7 data events x 0.10 / 100k + 456,250 additional management events x 2.00 / 100k = 9.429
    assert result["components"]["cloudtrail"] == pytest.approx(0.30 + 9.13, abs=0.01)
    # The trail's log group: 35,000 events x 1 KB a day, kept 90 days.
    gb_day = 35_000 / 1024**2
    q = _quantities(result)
    assert q["cloudwatch.logs_ingestion"] == pytest.approx(gb_day * MONTH)
    assert q["cloudwatch.logs_storage"] == pytest.approx(gb_day * 90 * 0.1)
    # Bucket without lifecycle: no steady state, one year shown; 2 regions x (288 files + 24 digests) a day.
    assert q["s3.storage.STANDARD"] == pytest.approx(gb_day * 0.1 * UNBOUNDED_DAYS)
    assert q["s3.put_request"] == pytest.approx(2 * 312 * MONTH)
    # CloudTrail encrypts each file with its own data key: one KMS request per file.
    assert q["kms.request"] == pytest.approx(2 * 312 * MONTH)
    assert result["notPriced"] == []


# What `pulumi preview --json` shows for a value known only after apply (obsctl.policy.plan.UNKNOWN).
PREVIEW_UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


@pytest.mark.parametrize("value", [PREVIEW_UNKNOWN, "arn:aws:s3:::not-a-log-group", 42])
def test_trail_log_group_the_plan_does_not_name_is_said_not_priced(value: object) -> None:
    stack = [
        (t, n, {**inputs, "cloudWatchLogsGroupArn": value} if n == "audit" else inputs) for t, n, inputs in TRAIL_STACK
    ]
    result = estimate(_plan(stack), Context(lambda _: CostAssumptions()), PRICES)
    # Nothing reaches the log group (it has no other source), and the estimate says what it left out.
    assert "cloudwatch.logs_ingestion" not in _quantities(result)
    [note] = result["notPriced"]
    assert note.startswith(f"trail audit ({ACCOUNT} us-east-1): CloudTrail events to its log group, ")
    assert f"cloudWatchLogsGroupArn {value!r} is not a log group ARN (unknown at preview?)" in note
    assert "not priced: trail audit" in report.heading(result)


@pytest.mark.parametrize(
    ("value", "group"),
    [
        (f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/trail:*", (ACCOUNT, "us-east-1", "/trail")),
        (f"arn:aws:logs:eu-west-1:{ACCOUNT}:log-group:/a/b", (ACCOUNT, "eu-west-1", "/a/b")),
        (f"arn:aws-cn:logs:us-east-1:{ACCOUNT}:log-group:/trail:*", None),  # not this platform's partition
        (f"arn:aws:logs:us-east-1:{ACCOUNT}:destination:/trail", None),
        ("arn:aws:logs:us-east-1", None),
        (PREVIEW_UNKNOWN, None),
        (None, None),
    ],
)
def test_log_group_of(value: object, group: tuple[str, str, str] | None) -> None:
    assert log_group_of(value) == group


def test_budget_actions_and_grafana_users() -> None:
    plan = _plan(
        [
            ("aws:budgets/budget:Budget", "b", {}),
            *(("aws:budgets/budgetAction:BudgetAction", f"a{i}", {}) for i in range(3)),
            ("aws:grafana/workspace:Workspace", "w", {"name": "bedrock"}),
        ]
    )
    result = estimate(plan, Context(lambda _: CostAssumptions(grafana_editors=2, grafana_viewers=10)), PRICES)
    # Budgets: free without actions; 3 action-enabled, 2 free: 1 x 30.41667 days x 0.10 = 3.04.
    # Grafana: 2 editors x 9 + 10 viewers x 5 = 68.
    assert result["components"] == {"grafana": 68.0, "budgets": pytest.approx(3.04)}
    assert {i["region"] for i in result["items"] if i["component"] == "budgets"} == {""}


def test_region_without_a_price_is_a_clear_error() -> None:
    with pytest.raises(PriceError) as refused:
        estimate(_plan(SMALL_STACK, region="ap-south-1"), Context(lambda _: SMALL_TRAFFIC), PRICES)
    message = str(refused.value)
    price = re.search(r"no price for (cloudwatch\.\w+) \(.*\) in region 'ap-south-1'", message)
    assert price, message
    assert "fix: add the ap-south-1 list price from https://aws.amazon.com/pricing/" in message
    assert f"prices.{price.group(1)}.regions" in message


def test_unknown_storage_class_is_a_clear_error() -> None:
    stack = [r for r in SMALL_STACK if r[0] != "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"]
    lifecycle = {
        "bucket": "logs-bucket",
        "rules": [{"status": "Enabled", "transitions": [{"days": 30, "storageClass": "GLACIER"}]}],
    }
    stack.append(("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "b", lifecycle))
    with pytest.raises(PriceError, match=r"no allowance 's3\.minimum_days\.GLACIER'"):
        estimate(_plan(stack), Context(lambda _: SMALL_TRAFFIC), PRICES)


def test_the_real_price_table_prices_every_key_in_the_same_regions() -> None:
    # A region is either fully priced or refused: never priced for some parts and silently skipped for others.
    table = load_prices()
    regional = [p for p in table.prices.values() if p.regions is not None]
    regions = {frozenset(p.regions or {}) for p in regional}
    assert len(regions) == 1 and {"us-east-1", "eu-west-1", "us-west-2", "eu-central-1", "ap-southeast-2"} <= set(
        next(iter(regions))
    )
    assert set(PRICES.prices) <= set(table.prices)
    for key in PRICES.prices:
        # The fixed test prices above are the real table's us-east-1 figures.
        assert table.usd(key, "us-east-1") == PRICES.usd(key, "us-east-1"), key


def test_malformed_price_table_is_refused(tmp_path) -> None:
    path = tmp_path / "prices.yaml"
    path.write_text("sources: {}\nprices:\n  x: {source: nowhere, unit: u, usd: -1}\n")
    with pytest.raises(PriceError, match=r"malformed: .*prices\.x\.usd.*not a non-negative"):
        load_prices.__wrapped__(path)


@pytest.mark.parametrize(
    ("lifecycle", "versioned", "tiers"),
    [
        # The audit default: IA 30, Glacier IR 90, Deep Archive 365, expiry 2557, versioned (+30 days noncurrent).
        (
            {"transitions": [(30, "STANDARD_IA"), (90, "GLACIER_IR"), (365, "DEEP_ARCHIVE")], "expire": 2557},
            True,
            [("STANDARD", 30), ("STANDARD_IA", 60), ("GLACIER_IR", 275), ("DEEP_ARCHIVE", 2222)],
        ),
        # Expiry before the last transition: that transition never happens.
        (
            {"transitions": [(30, "STANDARD_IA"), (90, "GLACIER_IR")], "expire": 60},
            False,
            [("STANDARD", 30), ("STANDARD_IA", 30)],
        ),
        # No lifecycle rule: everything stays in Standard; no steady state, one year shown.
        ({"transitions": [], "expire": None}, False, [("STANDARD", UNBOUNDED_DAYS)]),
    ],
)
def test_lifecycle_tiers(lifecycle: dict[str, Any], versioned: bool, tiers: list[tuple[str, int]]) -> None:
    rules = []
    if lifecycle["expire"] is not None:
        rule = {
            "status": "Enabled",
            "transitions": [{"days": d, "storageClass": c} for d, c in lifecycle["transitions"]],
            "expiration": {"days": lifecycle["expire"]},
            "noncurrentVersionExpiration": {"noncurrentDays": 30},
        }
        rules.append(rule)
    parsed = from_inputs({"rules": rules} if rules else None, versioned)
    assert [(t.storage_class, t.days) for t in parsed.tiers()] == tiers


def test_short_stay_is_billed_the_class_minimum() -> None:
    # Standard-IA from day 30, Glacier IR from day 40: 10 days in IA, billed 30 (the IA minimum).
    stack = [r for r in SMALL_STACK if r[0] != "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"]
    rule = {
        "status": "Enabled",
        "transitions": [{"days": 30, "storageClass": "STANDARD_IA"}],
        "expiration": {"days": 40},
    }
    stack.append(
        (
            "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
            "b",
            {"bucket": "logs-bucket", "rules": [rule]},
        )
    )
    result = estimate(_plan(stack), Context(lambda _: SMALL_TRAFFIC, lambda _a, _r: 4), PRICES)
    ia = [i for i in result["items"] if i["price"] == "s3.storage.STANDARD_IA"]
    # Two streams of 0.5 GB a day each (large payloads, log files), each billed 30 days: 30 GB-months.
    assert sum(i["quantity"] for i in ia) == pytest.approx(30)
    assert len(ia) == 2 and all("billed 30 days minimum" in i["what"] for i in ia)
    assert Lifecycle(((30, "STANDARD_IA"),), 40, 0).tiers() == [
        Tier("STANDARD", 30, False),
        Tier("STANDARD_IA", 10, True),
    ]


def test_resources_are_placed_by_provider_and_region_input() -> None:
    plan = _plan(
        [
            ("aws:kms/key:Key", "k", {"region": "eu-west-1"}),
            ("aws:iam/role:Role", "r", {}),
            ("aws:cloudwatch/dashboard:Dashboard", "d", {"region": "eu-west-1"}),
        ]
    )
    # A real preview may carry provider inputs JSON-encoded.
    plan["steps"][0]["newState"]["inputs"]["allowedAccountIds"] = f'["{ACCOUNT}"]'
    assert [(r.account, r.region) for r in read_resources(plan)] == [
        (ACCOUNT, "eu-west-1"),
        (ACCOUNT, ""),
        (ACCOUNT, ""),
    ]


@settings(max_examples=60)
@given(
    low=st.floats(min_value=0, max_value=1e7, allow_nan=False),
    extra=st.floats(min_value=0, max_value=1e7, allow_nan=False),
    payload=st.floats(min_value=0, max_value=100, allow_nan=False),
    share=st.floats(min_value=0, max_value=1, allow_nan=False),
)
def test_cost_grows_with_traffic_and_fixed_parts_do_not_move(
    low: float, extra: float, payload: float, share: float
) -> None:
    def run(invocations: float) -> dict[str, Any]:
        return _small_estimate(invocations_per_day=invocations, avg_payload_kb=payload, large_payload_share=share)

    quiet, busy = run(low), run(low + extra)
    assert busy["monthlyUsd"] >= quiet["monthlyUsd"]
    assert all(math.isfinite(i["monthlyUsd"]) and i["monthlyUsd"] >= 0 for i in busy["items"])
    for fixed in ("alarms", "dashboards", "custom metrics"):
        assert busy["components"][fixed] == quiet["components"][fixed]


@pytest.mark.parametrize(
    ("minimum_object_size", "tiers"),
    [
        # S3's default: objects under 128 KB never transition; they stay in Standard until they expire.
        (None, [("STANDARD", 400)]),
        ("all_storage_classes_128K", [("STANDARD", 400)]),
        # Under varies_by_storage_class they still move to Deep Archive (not to Standard-IA or Glacier IR).
        ("varies_by_storage_class", [("STANDARD", 180), ("DEEP_ARCHIVE", 220)]),
    ],
)
def test_small_objects_follow_the_transition_minimum_object_size(
    minimum_object_size: str | None, tiers: list[tuple[str, int]]
) -> None:
    inputs: dict[str, Any] = {
        "rules": [
            {
                "status": "Enabled",
                "transitions": [
                    {"days": 30, "storageClass": "STANDARD_IA"},
                    {"days": 90, "storageClass": "GLACIER_IR"},
                    {"days": 180, "storageClass": "DEEP_ARCHIVE"},
                ],
                "expiration": {"days": 400},
            }
        ]
    }
    if minimum_object_size:
        inputs["transitionDefaultMinimumObjectSize"] = minimum_object_size
    lifecycle = from_inputs(inputs, versioned=False)
    assert [(t.storage_class, t.days) for t in lifecycle.tiers(object_kb=72)] == tiers
    # 128 KB and larger: every transition happens.
    assert [t.storage_class for t in lifecycle.tiers(object_kb=128)] == [
        "STANDARD",
        "STANDARD_IA",
        "GLACIER_IR",
        "DEEP_ARCHIVE",
    ]
