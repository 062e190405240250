"""Alarm specifications: values come from config, tiers route correctly, and every alarm passes botocore's
own PutMetricAlarm / PutCompositeAlarm (and PutMetricFilter) parameter validation.

Requests are what Pulumi actually sends: specs are rendered with their `pulumi_args`, registered under the mock
runtime, and the resulting engine inputs converted to the API request (tests/botocore_requests.py); the
example plans' alarms and budgets go through the same converter."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from components.cloudwatch.alarms import MetricAlarmSpec
from components.monitoring import queries
from components.monitoring.context import TrailLocation
from components.monitoring.model_alarms import all_model_alarms
from components.monitoring.specs import regional_specs
from inventory.monitoring import MonitoringSettings
from tests.botocore_requests import COMPOSITE_ALARM, METRIC_ALARM, REQUESTS, request_of, validate
from tests.components.monitoring.common import (
    MODELS,
    REGION,
    SIGNALS,
    TOPICS,
    check_valid,
    params_of,
    region,
    requests_of,
)
from tests.conftest import resources
from vocabulary import bedrock, names

QUERY_DEFINITION = "aws:cloudwatch/queryDefinition:QueryDefinition"


def _alarms(settings: MonitoringSettings | None = None, models: tuple[str, ...] = MODELS):
    return all_model_alarms(region(settings, models))


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
    requests = requests_of([*metric_alarms, *composites])
    assert len(requests) == len(metric_alarms) + len(composites)
    for spec in metric_alarms:
        check_valid("cloudwatch", "PutMetricAlarm", requests[spec.name])
    for spec in composites:
        check_valid("cloudwatch", "PutCompositeAlarm", requests[spec.name])


def test_every_alarm_and_budget_of_every_example_plan_passes_botocore_validation(example_plans: dict) -> None:
    """What the program sends: every MetricAlarm, CompositeAlarm and Budget of every example plan (workload and
    monitoring stacks), converted from its engine inputs to the API request."""
    counts: dict[str, Counter[str]] = {}
    for stack, plan in example_plans.items():
        counts[stack] = Counter()
        for step in plan["steps"]:
            state = step["newState"]
            if state["type"] in REQUESTS:
                service, operation, params = request_of(state["type"], state["inputs"])
                assert validate(service, operation, params) == [], state["urn"]
                counts[stack][state["type"]] += 1
    assert counts.pop("monitoring")[METRIC_ALARM] > 0
    assert counts and all(c[t] > 0 for c in counts.values() for t in REQUESTS), counts


_SAVED_QUERY = re.compile(r"saved query '(Bedrock/[^']+)' \(Logs Insights in ([a-z0-9-]+)\)")


def test_every_saved_query_an_alarm_names_exists_where_it_says(example_plans: dict) -> None:
    """Runbook text must point at real saved queries: console name and region, in that account's plan."""
    mentioned = 0
    slugs = [*queries.invocation_log_queries(), *queries.trail_queries()]
    for stack, plan in example_plans.items():
        saved = {(q["inputs"]["name"], q["inputs"]["region"]) for q in resources(plan, QUERY_DEFINITION)}
        for state in resources(plan, METRIC_ALARM) + resources(plan, COMPOSITE_ALARM):
            description = state["inputs"]["alarmDescription"]
            found = _SAVED_QUERY.findall(description)
            # Every mention of a saved query has the checked form; internal slugs never reach the on-call.
            assert len(found) == description.count("Bedrock/") == description.count("saved query"), description
            assert not [q.slug for q in slugs if q.slug in description], description
            for name, saved_in in found:
                assert (name, saved_in) in saved, (stack, state["urn"], name, saved_in)
            mentioned += len(found)
    assert mentioned > 0


def test_without_an_account_trail_no_alarm_names_the_trail_query() -> None:
    home = TrailLocation("us-east-1", "/aws/cloudtrail")
    with_trail = _alarms_of(trail=home)
    without = _alarms_of(trail=None)
    failures = f"Bedrock/payments-prod/{queries.FAILURES_BY_CODE_TITLE}' (Logs Insights in us-east-1)"
    assert any(failures in s.description for s in with_trail)
    assert not any(queries.FAILURES_BY_CODE_TITLE in s.description for s in without)
    assert any("organisation trail" in s.description for s in without)


def _alarms_of(trail: TrailLocation | None) -> list[MetricAlarmSpec]:
    return all_model_alarms(region(trail=trail))[0]


def test_botocore_validation_catches_a_broken_alarm() -> None:
    """The validator really checks: types, lengths, enums and action counts are reported."""
    params = params_of(_alarms()[0][0])
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
    requests = requests_of(specs)

    def params(suffix: str) -> dict[str, Any]:
        return requests[_by_suffix(specs, suffix).name]

    latency = params("latency-p95-warning")
    assert latency["Threshold"] == 1234 and latency["Period"] == 120
    assert latency["EvaluationPeriods"] == 4 and latency["DatapointsToAlarm"] == 2
    assert params("latency-p95-critical")["Threshold"] == 4321
    rate = params("error-rate-warning")
    assert rate["Threshold"] == 2.5
    assert "inv >= 77" in next(q["Expression"] for q in rate["Metrics"] if q["ReturnData"])
    assert {q["MetricStat"]["Period"] for q in rate["Metrics"] if "MetricStat" in q} == {120}
    assert params("throttles-critical")["Threshold"] == 30
    assert params("tokens-warning")["Threshold"] == 50_000
    assert _seconds_to_fire(params("tokens-warning")) == 240


def test_percentile_alarms_use_extended_statistics() -> None:
    params = params_of(_by_suffix(_alarms()[0], "latency-p95-critical"))
    assert params["ExtendedStatistic"] == "p95" and "Statistic" not in params
    assert params["MetricName"] == bedrock.LATENCY
    assert params["EvaluateLowSampleCountPercentile"] == "ignore"


def test_ratio_alarms_use_metric_math_with_one_returned_series() -> None:
    specs = _alarms()[0]
    requests = requests_of(specs)
    for suffix in ("error-rate-critical", "throttles-warning", "tokens-critical"):
        params = requests[_by_suffix(specs, suffix).name]
        assert "MetricName" not in params
        assert sum(q["ReturnData"] for q in params["Metrics"]) == 1


def test_only_documented_bedrock_metrics_and_the_modelid_dimension() -> None:
    specs = _alarms()[0]
    requests = requests_of(specs)
    for spec in specs:
        params = requests[spec.name]
        stats = [q["MetricStat"]["Metric"] for q in params.get("Metrics", []) if "MetricStat" in q]
        if "MetricName" in params:
            stats.append(params)
        for metric in stats:
            assert metric["Namespace"] == bedrock.NAMESPACE
            assert metric["MetricName"] in bedrock.PER_MODEL_METRICS
            assert metric["Dimensions"] == [{"Name": "ModelId", "Value": spec.model_id}]


def test_tiers_route_to_their_topic_and_critical_alarms_announce_recovery() -> None:
    metric_alarms, composites = _alarms()
    requests = requests_of([*metric_alarms, *composites])
    for spec in [*metric_alarms, *composites]:
        params = requests[spec.name]
        assert params["AlarmActions"] == [TOPICS[spec.tier]]
        assert spec.name.endswith(spec.tier) or spec.key.endswith("anomaly")
        if spec.tier == "critical":
            assert params["OKActions"] == [TOPICS["critical"]]
        else:
            assert params["OKActions"] == []
    with_ok = _alarms(SETTINGS_VARIANTS["server-errors-only-warning-ok"])[0]
    assert all(params["OKActions"] for params in requests_of(with_ok).values())


def test_anomaly_alarms_use_a_band_threshold() -> None:
    specs = [s for s in _alarms()[0] if s.key.endswith("anomaly") and s.model_id == MODELS[0]]
    operators = {s.key.split("-")[-2]: s.comparison_operator for s in specs}
    assert operators == {
        "invocations": "LessThanLowerOrGreaterThanUpperThreshold",
        "tokens": "GreaterThanUpperThreshold",
    }
    requests = requests_of(specs)
    for spec in specs:
        params = requests[spec.name]
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


def _seconds_to_fire(params: dict[str, Any]) -> int:
    """Minimum time from fault onset to ALARM of a PutMetricAlarm request: period x datapoints to alarm."""
    period = params.get("Period") or min(q["MetricStat"]["Period"] for q in params["Metrics"] if "MetricStat" in q)
    return period * params["DatapointsToAlarm"]


def test_docs_time_to_fire_table_matches_the_defaults() -> None:
    """The README promises how fast each alarm fires; keep it true when defaults change. Computed from what
    the alarms send (period x datapoints to alarm; a composite fires with its slower child), with every signal
    configured at its defaults (a quota, OTPS, escalation, a guardrail)."""
    doc = (Path(__file__).parents[3] / "README.md").read_text()
    rows = {line.split("`")[1]: line for line in doc.splitlines() if line.startswith("| `")}
    specs = regional_specs(region(MonitoringSettings.model_validate(SIGNALS), models=(MODELS[0],)))
    metric_alarms, composites = list(specs.model_alarms + specs.escalation_alarms), specs.composite_alarms
    requests = requests_of([*metric_alarms, *composites, *specs.guardrail_alarms])
    by_key = {spec.key: spec for spec in metric_alarms}
    fire = {spec.name: _seconds_to_fire(requests[spec.name]) for spec in metric_alarms}
    for spec in composites:
        fire[spec.name] = max(fire[by_key[child].name] for child in spec.children)
    checked = set()
    for name, seconds in fire.items():
        kind = name.removeprefix(f"bedrock-payments-prod-{REGION}-{names.model_slug(MODELS[0])}-")
        if "-escalation-" in kind:
            # `<kind>-escalation-15m`: exactly the delay after its critical alarm would fire.
            delay = kind.rsplit("-escalation-", 1)[1]
            minutes = int(delay.removesuffix("m"))
            assert seconds == fire[name.replace(f"escalation-{delay}", "critical")] + minutes * 60, kind
            kind = f"<kind>-escalation-{delay}"
            assert f"| critical + {minutes} min |" in rows[kind], kind
        else:
            assert f"| {seconds // 60} min |" in rows[kind], kind
        checked.add(kind)
    (guardrail,) = specs.guardrail_alarms
    row = rows["guardrail-<id>-v<version>-interventions-anomaly"]
    assert f"| {_seconds_to_fire(requests[guardrail.name]) // 60} min |" in row
    assert {"tpm-quota-critical", "otps-warning", "<kind>-escalation-30m"} <= checked
