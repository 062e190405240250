"""Hand-countable plans and a fixed price table (us-east-1 list prices) for the cost model's tests."""

from __future__ import annotations

from typing import Any

from inventory.cost import CostAssumptions
from obsctl.cost.estimate import Context, estimate
from obsctl.cost.model import DAYS_PER_MONTH
from obsctl.cost.prices import PriceTable

ACCOUNT = "123456789012"
REGIONS = ("us-east-1", "eu-west-1")


def regional(usd: float, per: float = 1) -> dict[str, Any]:
    return {"source": "test", "unit": "unit", "per": per, "regions": dict.fromkeys(REGIONS, usd)}


def everywhere(usd: float, per: float = 1) -> dict[str, Any]:
    return {"source": "test", "unit": "unit", "per": per, "usd": usd}


def allowance(value: float) -> dict[str, Any]:
    return {"source": "test", "unit": "unit", "value": value}


# The us-east-1 figures of obsctl/cost/prices.yaml, fixed here so the hand counts below stay valid when
# the real table is refreshed.
PRICES = PriceTable.model_validate(
    {
        "sources": {"test": {"page": "https://aws.amazon.com/pricing/", "read": "2026-12-03"}},
        "prices": {
            "cloudwatch.alarm_metric": regional(0.10),
            "cloudwatch.alarm_metric_high_resolution": regional(0.30),
            "cloudwatch.metrics_insights_alarm_metric": regional(0.10),
            "cloudwatch.composite_alarm": regional(0.50),
            "cloudwatch.dashboard": everywhere(3.00),
            "cloudwatch.custom_metric": regional(0.30),
            "cloudwatch.cross_account_observability": everywhere(0),
            "cloudwatch.logs_ingestion": regional(0.50),
            "cloudwatch.logs_storage": regional(0.03),
            "s3.storage.STANDARD": regional(0.023),
            "s3.storage.STANDARD_IA": regional(0.0125),
            "s3.put_request": regional(0.005, per=1000),
            "s3.transition.STANDARD_IA": regional(0.01, per=1000),
            "kms.key": everywhere(1.00),
            "kms.rotation": everywhere(1.00),
            "kms.request": everywhere(0.03, per=10_000),
            "cloudtrail.management_event_first_copy": everywhere(0, per=100_000),
            "cloudtrail.management_event": regional(2.00, per=100_000),
            "cloudtrail.data_event": regional(0.10, per=100_000),
            "sns.email": regional(2.00, per=100_000),
            "sns.http": regional(0.60, per=1_000_000),
            "budgets.budget": everywhere(0),
            "budgets.action_enabled_budget_day": everywhere(0.10),
            "grafana.editor": everywhere(9.00),
            "grafana.viewer": everywhere(5.00),
        },
        "allowances": {
            "cloudwatch.free_dashboards_per_account": allowance(3),
            "budgets.free_action_enabled_budgets": allowance(2),
            "s3.minimum_days.STANDARD": allowance(0),
            "s3.minimum_days.STANDARD_IA": allowance(30),
            "s3.bucket_key_kms_request_share": allowance(0.01),
            "logs.kms_requests_per_log_group_day": allowance(288),
        },
    }
)

PROVIDER = "urn:pulumi:t::p::pulumi:providers:aws::acct"


def plan_of(resources: list[tuple[str, str, dict[str, Any]]], region: str = "us-east-1") -> dict[str, Any]:
    """A minimal `pulumi preview --json` document: one provider for ACCOUNT, then the given resources."""
    provider = {"type": "pulumi:providers:aws", "urn": PROVIDER, "custom": True, "provider": ""}
    provider["inputs"] = {"region": region, "allowedAccountIds": [ACCOUNT]}
    steps = [{"op": "create", "newState": provider}]
    for type_, name, inputs in resources:
        urn = f"urn:pulumi:t::p::{type_}::{name}"
        state = {"type": type_, "urn": urn, "custom": True, "provider": f"{PROVIDER}::uuid", "inputs": inputs}
        steps.append({"op": "create", "newState": state})
    return {"steps": steps}


def metric(name: str, period: int = 300) -> dict[str, Any]:
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
                {"id": "inv", "metric": metric("Invocations", 60)},
                {"id": "ce", "metric": metric("InvocationClientErrors", 60)},
                {"id": "se", "metric": metric("InvocationServerErrors", 60)},
                {"id": "rate", "expression": "100 * (ce + se) / inv", "returnData": True},
            ]
        },
    ),
    (
        ALARM,
        "anomaly",
        {
            "metricQueries": [
                {"id": "m1", "metric": metric("Invocations")},
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


def small_estimate(**changes: float) -> dict[str, Any]:
    traffic = SMALL_TRAFFIC.model_copy(update=changes)
    return estimate(plan_of(SMALL_STACK), Context(lambda _: traffic, lambda _a, _r: 4), PRICES)


def quantities(result: dict[str, Any]) -> dict[str, float]:
    totals: dict[str, float] = {}
    for item in result["items"]:
        totals[item["price"]] = totals.get(item["price"], 0) + item["quantity"]
    return totals
