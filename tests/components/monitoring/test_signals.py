"""Security signals (CloudTrail metric filters and their alarms, one table row each) and the invocation-log
delivery alarm: values from config, every request valid for botocore, every alarm explained."""

from __future__ import annotations

from components.monitoring.context import TrailLocation
from components.monitoring.model_alarms import all_model_alarms
from components.monitoring.signals import SIGNALS, delivery_failure_alarm, security_signals
from inventory.monitoring import MonitoringSettings
from tests.components.monitoring.common import REGION, TOPICS, check_valid, params_of, region, requests_of
from vocabulary import names

TRAIL_HERE = TrailLocation(REGION, "/aws/cloudtrail/payments")


def test_security_alarms_and_filters_pass_botocore_validation() -> None:
    ctx = region(trail=TRAIL_HERE)
    pairs = security_signals(ctx)
    filters = [s.filter for s in pairs]
    for params in requests_of([*(s.alarm for s in pairs), delivery_failure_alarm(ctx)]).values():
        check_valid("cloudwatch", "PutMetricAlarm", params)
    for f in filters:
        assert f.log_group_name == "/aws/cloudtrail/payments"
        check_valid(
            "logs",
            "PutMetricFilter",
            {
                "logGroupName": f.log_group_name,
                "filterName": f.name,
                "filterPattern": f.pattern,
                "metricTransformations": [
                    {
                        "metricName": f.metric_name,
                        "metricNamespace": f.metric_namespace,
                        "metricValue": "1",
                        "defaultValue": 0.0,
                    }
                ],
            },
        )


def test_every_alarm_is_explained_and_handles_missing_data_explicitly() -> None:
    ctx = region(trail=TRAIL_HERE)
    metric_alarms, composites = all_model_alarms(region())
    everything = [
        *metric_alarms,
        *(s.alarm for s in security_signals(ctx)),
        delivery_failure_alarm(ctx),
    ]
    requests = requests_of(everything)
    for spec in everything:
        params = requests[spec.name]
        assert params["TreatMissingData"] in {"missing", "ignore", "breaching", "notBreaching"}
        assert "Check first" in spec.description and "Meaning" in spec.description
        assert REGION in spec.description and "payments-prod" in spec.description
    for spec in composites:
        assert "Check first" in spec.description


def test_metric_filter_patterns_cover_the_security_events() -> None:
    ctx = region(trail=TRAIL_HERE)
    patterns = {s.filter.key: s.filter.pattern for s in security_signals(ctx)}
    assert "DeleteModelInvocationLoggingConfiguration" in patterns["logging-changes"]
    assert "PutModelInvocationLoggingConfiguration" in patterns["logging-changes"]
    assert "AccessDenied*" in patterns["access-denied"]
    assert "UpdateGuardrail" in patterns["guardrail-or-access-changes"]
    assert all('$.eventSource = "bedrock.amazonaws.com"' in p for p in patterns.values())


def test_access_denied_threshold_and_tier_come_from_config() -> None:
    settings = MonitoringSettings.model_validate(
        {"security": {"access_denied_threshold": 42, "access_denied_tier": "critical"}}
    )
    ctx = region(settings, trail=TRAIL_HERE)
    alarm = next(s.alarm for s in security_signals(ctx) if "access-denied" in s.alarm.key)
    params = params_of(alarm)
    assert params["Threshold"] == 42 and params["AlarmActions"] == [TOPICS["critical"]]


def test_delivery_failure_alarm_sums_every_invocation_log_destination() -> None:
    ctx = region(trail=TRAIL_HERE)
    spec = delivery_failure_alarm(ctx)
    params = params_of(spec)
    read = {q["MetricStat"]["Metric"]["MetricName"] for q in params["Metrics"] if "MetricStat" in q}
    assert read == {
        "ModelInvocationLogsCloudWatchDeliveryFailure",
        "ModelInvocationLogsS3DeliveryFailure",
        "ModelInvocationLargeDataS3DeliveryFailure",
    }
    assert all(not q["MetricStat"]["Metric"].get("Dimensions") for q in params["Metrics"] if "MetricStat" in q)
    [total] = [q for q in params["Metrics"] if q["ReturnData"]]
    assert total["Expression"] == "FILL(cwlogs, 0) + FILL(s3, 0) + FILL(largedata, 0)"
    assert params["Threshold"] == 0 and params["ComparisonOperator"] == "GreaterThanThreshold"
    for destination in ("CloudWatch Logs", "S3", "large data"):
        assert destination in spec.description
    check_valid("cloudwatch", "PutMetricAlarm", params)


def test_one_signal_per_security_name_kind_and_only_where_the_trail_log_group_is() -> None:
    assert tuple(s.key for s in SIGNALS) == names.SECURITY_SIGNALS
    assert {s.key: s.metric_name for s in SIGNALS} == names.SECURITY_SIGNAL_METRICS
    built = security_signals(region(trail=TRAIL_HERE))
    assert [s.filter.key for s in built] == list(names.SECURITY_SIGNALS)
    # Each alarm reads exactly the metric its filter publishes.
    assert all(
        (s.alarm.namespace, s.alarm.metric_name) == (s.filter.metric_namespace, s.filter.metric_name) for s in built
    )
    assert security_signals(region(trail=TrailLocation("us-east-1", "/aws/cloudtrail/payments"))) == ()
    assert security_signals(region(trail=None)) == ()
    off = MonitoringSettings.model_validate({"security": {"enabled": False}})
    assert security_signals(region(off, trail=TRAIL_HERE)) == ()
