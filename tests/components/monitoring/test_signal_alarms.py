"""Quota headroom, OTPS, escalation and guardrail alarms: what each sends passes botocore's PutMetricAlarm model,
reads only documented metrics and dimensions, and follows the inventory."""

from __future__ import annotations

from typing import Any

import pytest

from components.cloudwatch.alarms import MetricAlarmSpec
from components.monitoring import capacity
from components.monitoring.escalation import escalation_alarms
from components.monitoring.guardrails import guardrail_alarms
from components.monitoring.model_alarms import all_model_alarms
from components.monitoring.specs import regional_specs
from inventory.monitoring import MonitoringSettings
from tests.components.monitoring.common import MODELS, REGION, SIGNALS, TOPICS, check_valid, region, requests_of
from vocabulary import arns, bedrock, names

MODEL = MODELS[0]
PREFIX = f"bedrock-payments-prod-{REGION}-{names.model_slug(MODEL)}-"


def _settings(**changes: Any) -> MonitoringSettings:
    return MonitoringSettings.model_validate({**SIGNALS, **changes})


def _all(settings: MonitoringSettings | None = None) -> list[MetricAlarmSpec]:
    specs = regional_specs(region(settings or _settings()))
    return list(specs.metric_alarms)


def _one(specs: list[MetricAlarmSpec], suffix: str) -> MetricAlarmSpec:
    (spec,) = [s for s in specs if s.name == PREFIX + suffix]
    return spec


def _queries(params: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {q["Id"]: q for q in params["Metrics"]}


@pytest.mark.parametrize("usage_metric", ["estimated", "token_counts"])
def test_every_new_alarm_passes_botocore_validation(usage_metric: str) -> None:
    quotas = {**SIGNALS["quotas"], "usage_metric": usage_metric}
    any_traffic = {MODEL: {"warning_below": 40, "critical_below": 20, "traffic": "any"}}
    for settings in (_settings(quotas=quotas), _settings(quotas=quotas, otps={"models": any_traffic})):
        specs = _all(settings)
        new = [s for s in specs if any(k in s.name for k in ("tpm-quota", "otps", "escalation", "guardrail"))]
        # Quota and OTPS in 2 tiers; 2 delays x the critical kinds (6 for MODEL, 4 for each other); 1 guardrail.
        assert len(new) == 2 + 2 + 2 * (6 + 4 + 4) + 1
        requests = requests_of(new)
        for spec in new:
            check_valid("cloudwatch", "PutMetricAlarm", requests[spec.name])
            assert len(spec.name) <= 255 and len(spec.description) <= 1024


def test_quota_alarms_compare_estimated_use_per_minute_with_the_inventorys_quota() -> None:
    specs = _all()
    warning, critical = (
        requests_of([s])[s.name] for s in (_one(specs, "tpm-quota-warning"), _one(specs, "tpm-quota-critical"))
    )
    assert (warning["Threshold"], critical["Threshold"]) == (80, 95)
    assert (warning["EvaluationPeriods"], warning["DatapointsToAlarm"]) == (5, 5)  # 5 of 5 one-minute periods
    assert (critical["EvaluationPeriods"], critical["DatapointsToAlarm"]) == (5, 3)
    queries = _queries(critical)
    stat = queries["quse"]["MetricStat"]
    assert stat["Metric"]["MetricName"] == bedrock.ESTIMATED_TPM_QUOTA_USAGE == "EstimatedTPMQuotaUsage"
    assert stat["Metric"]["Dimensions"] == [{"Name": "ModelId", "Value": MODEL}]
    assert (stat["Stat"], stat["Period"]) == ("Sum", 60)
    assert queries["quota"]["Expression"] == "100 * (FILL(quse, 0)) / (PERIOD(quse) / 60) / 400000"
    assert "approximation" in critical["AlarmDescription"] and "400,000" in critical["AlarmDescription"]
    # Only where the inventory has a quota: not for the other models, not in another region.
    assert not [s for s in specs if "tpm-quota" in s.name and s.model_id != MODEL]
    elsewhere = region(_settings()).model_copy(update={"region": "us-east-1"})
    assert not capacity.quota_alarms(elsewhere, MODEL)


def test_token_count_quota_use_adds_cache_writes_and_burns_output_down() -> None:
    quotas = {
        "usage_metric": "token_counts",
        "models": {MODEL: {"tokens_per_minute": {REGION: 400_000}, "output_burndown_rate": 5}},
    }
    critical = requests_of([_one(_all(_settings(quotas=quotas)), "tpm-quota-critical")])
    (params,) = critical.values()
    queries = _queries(params)
    # Cache writes under both spellings of the metric, each filled, so whichever Bedrock publishes counts.
    assert [queries[q]["MetricStat"]["Metric"]["MetricName"] for q in ("qin", "qcw", "qcwt", "qout")] == [
        bedrock.INPUT_TOKENS,
        "CacheWriteInputTokens",
        "CacheWriteInputTokenCount",
        bedrock.OUTPUT_TOKENS,
    ]
    assert queries["quota"]["Expression"] == (
        "100 * (FILL(qin, 0) + FILL(qcw, 0) + FILL(qcwt, 0) + FILL(qout, 0) * 5) / (PERIOD(qin) / 60) / 400000"
    )


def test_otps_is_the_aws_pages_formula_and_fires_below_its_thresholds() -> None:
    specs = _all()
    requests = requests_of([_one(specs, "otps-warning"), _one(specs, "otps-critical")])
    warning, critical = requests[PREFIX + "otps-warning"], requests[PREFIX + "otps-critical"]
    assert (warning["Threshold"], critical["Threshold"]) == (40, 20)
    for params in (warning, critical):
        assert params["ComparisonOperator"] == "LessThanThreshold"
        assert (params["EvaluationPeriods"], params["DatapointsToAlarm"]) == (5, 3)  # the page's 3 of 5
        queries = _queries(params)
        # OTPS = OutputTokenCount / (InvocationLatency - TimeToFirstToken) * 1000, every input at p50, 300 s.
        assert queries["otps"]["Expression"] == "otok / (olat - ottft) * 1000"
        metrics = {q: queries[q]["MetricStat"] for q in ("otok", "olat", "ottft")}
        assert {q: m["Metric"]["MetricName"] for q, m in metrics.items()} == {
            "otok": bedrock.OUTPUT_TOKENS,
            "olat": bedrock.LATENCY,
            "ottft": bedrock.TIME_TO_FIRST_TOKEN,
        }
        assert {(m["Stat"], m["Period"]) for m in metrics.values()} == {("p50", 300)}
    assert "streaming calls only" in critical["AlarmDescription"]
    any_traffic = _settings(otps={"models": {MODEL: {"warning_below": 40, "critical_below": 20, "traffic": "any"}}})
    (params,) = requests_of([_one(_all(any_traffic), "otps-critical")]).values()
    assert _queries(params)["otps"]["Expression"] == "otok / olat * 1000"
    assert bedrock.TIME_TO_FIRST_TOKEN not in str(params)


def test_otps_can_replace_the_p95_latency_alarms_and_then_makes_the_composite_slow_signal() -> None:
    replace = _settings(
        otps={"models": {MODEL: {"warning_below": 40, "critical_below": 20, "replaces_latency_p95": True}}}
    )
    metric_alarms, composites = all_model_alarms(region(replace))
    mine = {s.name.removeprefix(PREFIX) for s in metric_alarms if s.model_id == MODEL}
    assert not {"latency-p95-warning", "latency-p95-critical"} & mine and "otps-warning" in mine
    others = {s.name for s in metric_alarms if s.model_id == MODELS[2]}
    assert any(n.endswith("latency-p95-warning") for n in others)  # only the configured model
    composite = next(c for c in composites if c.model_id == MODEL)
    assert composite.rule == f'ALARM("{PREFIX}otps-warning") AND ALARM("{PREFIX}error-rate-warning")'
    # No escalation of a latency alarm that does not exist.
    assert not [s for s in _all(replace) if s.name.startswith(PREFIX + "latency-p95-escalation")]


def _fire_seconds(params: dict[str, Any]) -> int:
    period = params.get("Period") or min(q["MetricStat"]["Period"] for q in params["Metrics"] if "MetricStat" in q)
    return period * params["DatapointsToAlarm"]


def test_escalation_is_the_critical_alarm_with_a_longer_window_on_the_escalation_topic() -> None:
    specs = _all()
    requests = requests_of(specs)
    escalations = [s for s in specs if "-escalation-" in s.name]
    kinds = {s.name.removeprefix(PREFIX).rsplit("-escalation-", 1)[0] for s in escalations if s.model_id == MODEL}
    assert kinds == set(names.ESCALATED_ALARMS)  # every critical kind of a model with a quota and OTPS
    assert len(escalations) == 2 * (6 + 4 + 4)  # per delay: 6 kinds for MODEL, 4 for each other model
    for spec in escalations:
        kind, delay = spec.name.removeprefix(f"bedrock-payments-prod-{REGION}-").rsplit("-escalation-", 1)
        minutes = int(delay.removesuffix("m"))
        escalation, critical = requests[spec.name], requests[spec.name.replace(f"escalation-{delay}", "critical")]
        # The same condition: metrics, expression, threshold, comparison and missing-data handling.
        for key in ("Metrics", "MetricName", "Dimensions", "Threshold", "ComparisonOperator", "TreatMissingData"):
            assert escalation.get(key) == critical.get(key), (spec.name, key)
        extra = escalation["EvaluationPeriods"] - critical["EvaluationPeriods"]
        assert extra == escalation["DatapointsToAlarm"] - critical["DatapointsToAlarm"] > 0
        assert _fire_seconds(escalation) - _fire_seconds(critical) == minutes * 60, kind
        assert escalation["AlarmActions"] == escalation["OKActions"] == [TOPICS["escalation"]]
        assert {"Key": "Severity", "Value": "escalation"} in escalation["Tags"]
        assert f"still failing {minutes} minutes after it paged" in escalation["AlarmDescription"]


def test_escalation_rounds_a_delay_up_to_whole_periods_and_is_off_by_default() -> None:
    five_minutes = {"alarms": {"critical": {"evaluation": {"period_seconds": 300, "evaluation_periods": 3}}}}
    settings = _settings(escalation={"enabled": True, "after_minutes": [7]}, **five_minutes)
    (params,) = requests_of([_one(_all(settings), "error-rate-escalation-7m")]).values()
    assert (params["EvaluationPeriods"], params["DatapointsToAlarm"]) == (3 + 2, 3 + 2)  # 7 min -> 2 periods
    assert not escalation_alarms(region(), all_model_alarms(region())[0])
    assert "escalation" not in regional_specs(region()).topic_names


def test_guardrail_surges_alarm_on_an_anomaly_band_with_the_documented_dimensions() -> None:
    ctx = region(_settings())
    (spec,) = guardrail_alarms(ctx)  # the guardrail of us-east-1 is not watched in eu-west-1
    assert spec.name == f"bedrock-payments-prod-{REGION}-guardrail-q7k2m9x4b1za-v3-interventions-anomaly"
    params = requests_of([spec])[spec.name]
    assert params["ComparisonOperator"] == "GreaterThanUpperThreshold" and params["ThresholdMetricId"] == "band"
    stat = _queries(params)["m1"]["MetricStat"]
    assert stat["Metric"]["Namespace"] == "AWS/Bedrock/Guardrails"
    assert stat["Metric"]["MetricName"] == "InvocationsIntervened"
    assert {d["Name"]: d["Value"] for d in stat["Metric"]["Dimensions"]} == {
        "GuardrailArn": arns.guardrail_arn(REGION, "111122223333", "q7k2m9x4b1za"),
        "GuardrailVersion": "3",
    }
    assert _queries(params)["band"]["Expression"] == "ANOMALY_DETECTION_BAND(m1, 3)"
    assert params["AlarmActions"] == [TOPICS["warning"]]


# The metric names of the AWS/Bedrock runtime page, copied by hand from the page (not from `vocabulary`), so a
# typo or a guessed name in vocabulary/bedrock.py fails here:
# https://docs.aws.amazon.com/bedrock/latest/userguide/monitoring-runtime-metrics.html
# ("Amazon Bedrock runtime metrics" table and "Model invocation logging CloudWatch metrics" list).
AWS_PAGE_RUNTIME_METRICS = frozenset(
    {
        "Invocations",
        "InvocationLatency",
        "InvocationClientErrors",
        "InvocationServerErrors",
        "InvocationThrottles",
        "InputTokenCount",
        "LegacyModelInvocations",
        "OutputTokenCount",
        "OutputImageCount",
        "TimeToFirstToken",
        "EstimatedTPMQuotaUsage",
        "CacheReadInputTokens",
        "CacheWriteInputTokens",
    }
)
AWS_PAGE_LOG_DELIVERY_METRICS = frozenset(
    {
        "ModelInvocationLogsCloudWatchDeliverySuccess",
        "ModelInvocationLogsCloudWatchDeliveryFailure",
        "ModelInvocationLogsS3DeliverySuccess",
        "ModelInvocationLogsS3DeliveryFailure",
        "ModelInvocationLargeDataS3DeliverySuccess",
        "ModelInvocationLargeDataS3DeliveryFailure",
    }
)
# Read besides the page's cache names (README "Prompt caching"): the spelling quoted from the token-burndown
# page and used by public dashboards, always next to the page's name and added to it.
OTHER_CACHE_SPELLINGS = {
    "CacheReadInputTokenCount": "CacheReadInputTokens",
    "CacheWriteInputTokenCount": "CacheWriteInputTokens",
}


def test_vocabulary_names_the_metrics_as_the_aws_page_does() -> None:
    documented = {
        bedrock.INVOCATIONS, bedrock.LATENCY, bedrock.TIME_TO_FIRST_TOKEN, bedrock.CLIENT_ERRORS,
        bedrock.SERVER_ERRORS, bedrock.THROTTLES, bedrock.INPUT_TOKENS, bedrock.OUTPUT_TOKENS,
        bedrock.ESTIMATED_TPM_QUOTA_USAGE, bedrock.CACHE_READ_INPUT_TOKENS, bedrock.CACHE_WRITE_INPUT_TOKENS,
    }  # fmt: skip
    assert documented <= AWS_PAGE_RUNTIME_METRICS
    assert bedrock.CACHE_READ_INPUT_TOKENS == "CacheReadInputTokens"
    assert bedrock.CACHE_WRITE_INPUT_TOKENS == "CacheWriteInputTokens"
    assert set(bedrock.LOG_DELIVERY_METRICS) == AWS_PAGE_LOG_DELIVERY_METRICS
    assert set(bedrock.LOG_DELIVERY_FAILURE_METRICS) == {m for m in AWS_PAGE_LOG_DELIVERY_METRICS if "Failure" in m}
    # Every per-model name read is on the page, but for the other spelling of the cache metrics, read with the
    # page's name first.
    extra = bedrock.PER_MODEL_METRICS - AWS_PAGE_RUNTIME_METRICS
    assert extra == set(OTHER_CACHE_SPELLINGS)
    for other, documented_name in OTHER_CACHE_SPELLINGS.items():
        assert bedrock.cache_spellings(documented_name) == (documented_name, other)


def test_only_documented_metrics_and_dimensions() -> None:
    token_counts = {
        "usage_metric": "token_counts",
        "models": {MODEL: {"tokens_per_minute": {REGION: 400_000}, "output_burndown_rate": 5}},
    }
    for params in requests_of(_all() + _all(_settings(quotas=token_counts))).values():
        stats = [q["MetricStat"]["Metric"] for q in params.get("Metrics", []) if "MetricStat" in q]
        if "MetricName" in params:
            stats.append(params)
        names_read = {m["MetricName"] for m in stats}
        for metric in stats:
            if metric["Namespace"] == bedrock.GUARDRAILS_NAMESPACE:
                assert metric["MetricName"] in bedrock.GUARDRAIL_METRICS
                assert {d["Name"] for d in metric["Dimensions"]} == {"GuardrailArn", "GuardrailVersion"}
            elif metric["Namespace"] == bedrock.NAMESPACE:
                name = metric["MetricName"]
                assert name in AWS_PAGE_RUNTIME_METRICS | AWS_PAGE_LOG_DELIVERY_METRICS | set(OTHER_CACHE_SPELLINGS)
                # The other cache spelling only beside the page's name, in the same alarm.
                assert name not in OTHER_CACHE_SPELLINGS or OTHER_CACHE_SPELLINGS[name] in names_read
