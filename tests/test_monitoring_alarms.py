"""Alarm specifications: values come from config, tiers route correctly, and every alarm passes botocore's
own PutMetricAlarm / PutCompositeAlarm (and PutMetricFilter) parameter validation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from components.monitoring import naming, security
from components.monitoring.alarms import AlarmContext, MetricAlarmSpec, all_model_alarms
from inventory.monitoring import MonitoringSettings
from tests.monitoring_botocore import validate

REGION = "eu-west-1"
TOPICS = {
    "warning": f"arn:aws:sns:{REGION}:111122223333:bedrock-payments-prod-{REGION}-alerts-warning",
    "critical": f"arn:aws:sns:{REGION}:111122223333:bedrock-payments-prod-{REGION}-alerts-critical",
}
MODELS = (
    "anthropic.claude-3-5-sonnet-20240620-v1:0",
    "us.anthropic.claude-3-5-sonnet-20240620-v1:0",
    "amazon.titan-embed-text-v2:0",
)


def _validate(service: str, operation: str, params: dict[str, Any]) -> None:
    problems = validate(service, operation, params)
    assert not problems, problems


def _alarms(settings: MonitoringSettings | None = None, models: tuple[str, ...] = MODELS):
    return all_model_alarms("payments-prod", REGION, models, settings or MonitoringSettings())


def _by_suffix(specs: list[MetricAlarmSpec], suffix: str) -> MetricAlarmSpec:
    matches = [s for s in specs if s.name.endswith(suffix) and s.model_id == MODELS[0]]
    assert len(matches) == 1, [s.name for s in matches]
    return matches[0]


SETTINGS_VARIANTS = {
    "defaults": MonitoringSettings(),
    "no-anomaly-no-composite": MonitoringSettings.model_validate(
        {"anomaly_detection": {"enabled": False}, "composite": {"enabled": False}}
    ),
    "server-errors-only-warning-ok": MonitoringSettings.model_validate(
        {"alarms": {"error_rate_includes_client_errors": False}, "warning_ok_actions": True}
    ),
    "composite-on-critical": MonitoringSettings.model_validate({"composite": {"children_tier": "critical"}}),
}


@pytest.mark.parametrize("variant", sorted(SETTINGS_VARIANTS))
def test_every_alarm_passes_botocore_validation(variant: str) -> None:
    metric_alarms, composites = _alarms(SETTINGS_VARIANTS[variant])
    assert metric_alarms and (composites or variant == "no-anomaly-no-composite")
    for spec in metric_alarms:
        _validate("cloudwatch", "PutMetricAlarm", spec.api_params(TOPICS))
    for spec in composites:
        _validate("cloudwatch", "PutCompositeAlarm", spec.api_params(TOPICS))


def test_security_alarms_and_filters_pass_botocore_validation() -> None:
    ctx = AlarmContext(account_name="payments-prod", region=REGION, settings=MonitoringSettings())
    pairs = security.security_alarms(ctx)
    filters = [f for f, _ in pairs]
    for spec in [*(a for _, a in pairs), security.delivery_failure_alarm(ctx)]:
        _validate("cloudwatch", "PutMetricAlarm", spec.api_params(TOPICS))
    for f in filters:
        _validate(
            "logs",
            "PutMetricFilter",
            {
                "logGroupName": "/aws/cloudtrail/payments",
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


def test_botocore_validation_catches_a_broken_alarm() -> None:
    """The validator really checks: types, lengths, enums and action counts are reported."""
    params = _alarms()[0][0].api_params(TOPICS)
    assert validate("cloudwatch", "PutMetricAlarm", params) == []
    broken = dict(
        params,
        AlarmDescription="x" * 2000,
        ComparisonOperator="Above",
        Threshold="high",
        AlarmActions=[TOPICS["critical"]] * 6,
    )
    report = " ".join(validate("cloudwatch", "PutMetricAlarm", broken))
    for member in ("AlarmDescription", "ComparisonOperator", "Threshold", "AlarmActions"):
        assert member in report


def test_thresholds_and_periods_come_from_config() -> None:
    settings = MonitoringSettings.model_validate(
        {
            "alarms": {
                "warning": {
                    "latency_p95_ms": 1234,
                    "error_rate_pct": 2.5,
                    "throttles_per_minute": 3,
                    "tokens_per_minute": 50_000,
                    "evaluation": {"period_seconds": 120, "evaluation_periods": 4, "datapoints_to_alarm": 2},
                },
                "critical": {
                    "latency_p95_ms": 4321,
                    "error_rate_pct": 9,
                    "throttles_per_minute": 30,
                    "tokens_per_minute": 900_000,
                },
                "error_rate_min_invocations": 77,
            }
        }
    )
    specs, _ = _alarms(settings)
    latency = _by_suffix(specs, "latency-p95-warning").api_params(TOPICS)
    assert latency["Threshold"] == 1234 and latency["Period"] == 120
    assert latency["EvaluationPeriods"] == 4 and latency["DatapointsToAlarm"] == 2
    assert _by_suffix(specs, "latency-p95-critical").api_params(TOPICS)["Threshold"] == 4321
    rate = _by_suffix(specs, "error-rate-warning").api_params(TOPICS)
    assert rate["Threshold"] == 2.5
    assert "inv >= 77" in next(q["Expression"] for q in rate["Metrics"] if q["ReturnData"])
    assert {q["MetricStat"]["Period"] for q in rate["Metrics"] if "MetricStat" in q} == {120}
    assert _by_suffix(specs, "throttles-critical").api_params(TOPICS)["Threshold"] == 30
    assert _by_suffix(specs, "tokens-warning").api_params(TOPICS)["Threshold"] == 50_000
    assert _by_suffix(specs, "tokens-warning").seconds_to_fire == 240


def test_percentile_alarms_use_extended_statistics() -> None:
    params = _by_suffix(_alarms()[0], "latency-p95-critical").api_params(TOPICS)
    assert params["ExtendedStatistic"] == "p95" and "Statistic" not in params
    assert params["MetricName"] == naming.LATENCY
    assert params["EvaluateLowSampleCountPercentile"] == "ignore"


def test_ratio_alarms_use_metric_math_with_one_returned_series() -> None:
    for suffix in ("error-rate-critical", "throttles-warning", "tokens-critical"):
        params = _by_suffix(_alarms()[0], suffix).api_params(TOPICS)
        assert "MetricName" not in params
        assert sum(q["ReturnData"] for q in params["Metrics"]) == 1


def test_only_documented_bedrock_metrics_and_the_modelid_dimension() -> None:
    for spec in _alarms()[0]:
        params = spec.api_params(TOPICS)
        stats = [q["MetricStat"]["Metric"] for q in params.get("Metrics", []) if "MetricStat" in q]
        if "MetricName" in params:
            stats.append(params)
        for metric in stats:
            assert metric["Namespace"] == naming.NAMESPACE
            assert metric["MetricName"] in naming.PER_MODEL_METRICS
            assert metric["Dimensions"] == [{"Name": "ModelId", "Value": spec.model_id}]


def test_tiers_route_to_their_topic_and_critical_alarms_announce_recovery() -> None:
    metric_alarms, composites = _alarms()
    for spec in [*metric_alarms, *composites]:
        params = spec.api_params(TOPICS)
        assert params["AlarmActions"] == [TOPICS[spec.tier]]
        assert spec.name.endswith(spec.tier) or spec.key.endswith("anomaly")
        if spec.tier == "critical":
            assert params["OKActions"] == [TOPICS["critical"]]
        else:
            assert params["OKActions"] == []
    with_ok = _alarms(SETTINGS_VARIANTS["server-errors-only-warning-ok"])[0]
    assert all(s.api_params(TOPICS)["OKActions"] for s in with_ok)


def test_every_alarm_is_explained_and_handles_missing_data_explicitly() -> None:
    ctx = AlarmContext(account_name="payments-prod", region=REGION, settings=MonitoringSettings())
    metric_alarms, composites = _alarms()
    everything = [
        *metric_alarms,
        *(alarm for _, alarm in security.security_alarms(ctx)),
        security.delivery_failure_alarm(ctx),
    ]
    for spec in everything:
        params = spec.api_params(TOPICS)
        assert params["TreatMissingData"] in {"missing", "ignore", "breaching", "notBreaching"}
        assert "Check first" in spec.description and "Meaning" in spec.description
        assert REGION in spec.description and "payments-prod" in spec.description
    for spec in composites:
        assert "Check first" in spec.description


def test_anomaly_alarms_use_a_band_threshold() -> None:
    specs = [s for s in _alarms()[0] if s.key.endswith("anomaly") and s.model_id == MODELS[0]]
    operators = {s.key.split("-")[-2]: s.comparison_operator for s in specs}
    assert operators == {
        "invocations": "LessThanLowerOrGreaterThanUpperThreshold",
        "tokens": "GreaterThanUpperThreshold",
    }
    for spec in specs:
        params = spec.api_params(TOPICS)
        band = next(q for q in params["Metrics"] if q["Id"] == params["ThresholdMetricId"])
        assert band["Expression"].startswith("ANOMALY_DETECTION_BAND(m1, 3")
        assert "Threshold" not in params
    disabled = _alarms(MonitoringSettings.model_validate({"anomaly_detection": {"enabled": False}}))[0]
    assert not [s for s in disabled if s.key.endswith("anomaly")]


def test_composite_pages_only_when_latency_and_errors_degrade_together() -> None:
    metric_alarms, composites = _alarms()
    names = {s.name for s in metric_alarms}
    assert len(composites) == len(MODELS)
    composite = composites[0]
    assert composite.tier == "critical" and " AND " in composite.rule and " OR " not in composite.rule
    referenced = [part.split('"')[1] for part in composite.rule.split("ALARM(")[1:]]
    assert len(referenced) == 2 and set(referenced) <= names
    assert all(r.endswith("-warning") for r in referenced)
    critical_children = _alarms(SETTINGS_VARIANTS["composite-on-critical"])[1][0]
    assert all(c.endswith("critical") for c in critical_children.children)


def test_alarm_names_are_unique_deterministic_and_scoped() -> None:
    first, second = _alarms()[0], _alarms()[0]
    names = [s.name for s in first]
    assert names == [s.name for s in second]
    assert len(names) == len(set(names))
    assert all(n.startswith(f"bedrock-payments-prod-{REGION}-") and len(n) <= 255 for n in names)
    assert all(":" not in n for n in names)


def test_duplicate_models_do_not_duplicate_alarms() -> None:
    once = _alarms(models=(MODELS[0],))[0]
    twice = _alarms(models=(MODELS[0], MODELS[0]))[0]
    assert [s.name for s in once] == [s.name for s in twice]


def test_metric_filter_patterns_cover_the_security_events() -> None:
    ctx = AlarmContext(account_name="payments-prod", region=REGION, settings=MonitoringSettings())
    patterns = {f.key: f.pattern for f in security.metric_filters(ctx)}
    assert "DeleteModelInvocationLoggingConfiguration" in patterns["logging-changes"]
    assert "PutModelInvocationLoggingConfiguration" in patterns["logging-changes"]
    assert "AccessDenied*" in patterns["access-denied"]
    assert "UpdateGuardrail" in patterns["guardrail-or-access-changes"]
    assert all('$.eventSource = "bedrock.amazonaws.com"' in p for p in patterns.values())


def test_access_denied_threshold_and_tier_come_from_config() -> None:
    settings = MonitoringSettings.model_validate(
        {"security": {"access_denied_threshold": 42, "access_denied_tier": "critical"}}
    )
    ctx = AlarmContext(account_name="payments-prod", region=REGION, settings=settings)
    alarm = next(a for _, a in security.security_alarms(ctx) if "access-denied" in a.key)
    params = alarm.api_params(TOPICS)
    assert params["Threshold"] == 42 and params["AlarmActions"] == [TOPICS["critical"]]


def test_docs_time_to_fire_table_matches_the_defaults() -> None:
    """The README promises how fast each alarm fires; keep it true when defaults change."""
    doc = (Path(__file__).parents[1] / "README.md").read_text()
    rows = {line.split("`")[1]: line for line in doc.splitlines() if line.startswith("| `")}
    metric_alarms, composites = _alarms()
    for spec in [*metric_alarms, *composites]:
        if spec.model_id != MODELS[0]:
            continue
        kind = spec.name.removeprefix(f"bedrock-payments-prod-{REGION}-{naming.model_slug(MODELS[0])}-")
        assert f"| {spec.seconds_to_fire // 60} min |" in rows[kind], kind


def test_delivery_failure_alarm_sums_every_invocation_log_destination() -> None:
    ctx = AlarmContext(account_name="payments-prod", region=REGION, settings=MonitoringSettings())
    spec = security.delivery_failure_alarm(ctx)
    params = spec.api_params(TOPICS)
    read = {q["MetricStat"]["Metric"]["MetricName"] for q in params["Metrics"] if "MetricStat" in q}
    assert read == {
        "ModelInvocationLogsCloudWatchDeliveryFailure",
        "ModelInvocationLogsS3DeliveryFailure",
        "ModelInvocationLargeDataS3DeliveryFailure",
    }
    assert all(q["MetricStat"]["Metric"]["Dimensions"] == [] for q in params["Metrics"] if "MetricStat" in q)
    [total] = [q for q in params["Metrics"] if q["ReturnData"]]
    assert total["Expression"] == "FILL(cwlogs, 0) + FILL(s3, 0) + FILL(largedata, 0)"
    assert params["Threshold"] == 0 and params["ComparisonOperator"] == "GreaterThanThreshold"
    for destination in ("CloudWatch Logs", "S3", "large data"):
        assert destination in spec.description
    _validate("cloudwatch", "PutMetricAlarm", params)
