"""Alarms (metric and composite), dashboards, CloudTrail metric filters and saved queries, as the program's
builders define them."""

from __future__ import annotations

import json
from typing import Any

from components.cloudwatch.alarms import CompositeAlarmSpec, MetricAlarmSpec
from obsctl.verify.checks.base import Check, Verdict, compare, failed, passed, skipped
from obsctl.verify.live import Live
from obsctl.verify.shapes import Dashboard, ExpectedRegion, MetricFilter, SavedQuery


def _alarms(live: Live, expected: ExpectedRegion, kind: str) -> dict[str, dict[str, Any]]:
    """Every alarm of the account-region with the platform's prefix, one (paginated) call for both kinds."""
    response = live.get(
        "cloudwatch",
        "describe_alarms",
        AlarmNamePrefix=f"{expected.alarm_prefix}-",
        AlarmTypes=["MetricAlarm", "CompositeAlarm"],
    )
    return {alarm["AlarmName"]: alarm for alarm in (response or {}).get(kind, [])}


def _actions(expected: ExpectedRegion, tier: str, notify_ok: bool, found: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    topic = expected.topic_arn(tier)
    return [
        ("actions enabled", True, found.get("ActionsEnabled")),
        ("alarm actions", [topic], found.get("AlarmActions")),
        ("OK actions", [topic] if notify_ok else [], found.get("OKActions") or []),
    ]


def _queries(queries: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(id, metric name or expression) of a metric-math alarm, comparable with the spec's."""
    out = []
    for query in queries:
        metric = (query.get("MetricStat") or {}).get("Metric", {}).get("MetricName")
        out.append((query.get("Id", ""), query.get("Expression") or metric or ""))
    return out


def _metric_alarm(live: Live, expected: ExpectedRegion, spec: MetricAlarmSpec) -> Verdict:
    found = _alarms(live, expected, "MetricAlarms").get(spec.name)
    if found is None:
        return failed("alarm does not exist")
    assert spec.tier is not None  # every workload alarm notifies a tier topic
    pairs = [
        *_actions(expected, spec.tier, spec.notify_ok, found),
        ("comparison", spec.comparison_operator, found.get("ComparisonOperator")),
        ("evaluation periods", spec.evaluation_periods, found.get("EvaluationPeriods")),
        ("datapoints to alarm", spec.datapoints_to_alarm, found.get("DatapointsToAlarm")),
        ("treat missing data", spec.treat_missing_data, found.get("TreatMissingData")),
        ("threshold", spec.threshold, found.get("Threshold") if spec.threshold is not None else None),
        ("threshold metric", spec.threshold_metric_id, found.get("ThresholdMetricId")),
    ]
    if spec.metrics:
        wanted = [(q.id, q.expression or (q.metric.metric_name if q.metric else "")) for q in spec.metrics]
        pairs.append(("metric queries", wanted, _queries(found.get("Metrics") or [])))
    else:
        pairs.append(("metric", spec.metric_name, found.get("MetricName")))
    return compare(pairs, f"notifies the {spec.tier} topic")


def _composite_alarm(live: Live, expected: ExpectedRegion, spec: CompositeAlarmSpec) -> Verdict:
    found = _alarms(live, expected, "CompositeAlarms").get(spec.name)
    if found is None and live.session.endpoint_url and spec.name in _alarms(live, expected, "MetricAlarms"):
        # moto (no PutCompositeAlarm) holds a composite seeded through PutMetricAlarm and lists it among the
        # metric alarms, without its rule: it exists; only the composite's own details are AWS's to check.
        return skipped(
            "exists; the endpoint (an emulator) does not show a composite's rule and actions; AWS checks them"
        )
    if found is None:
        return failed("composite alarm does not exist")
    pairs = [*_actions(expected, spec.tier, spec.notify_ok, found), ("rule", spec.rule, found.get("AlarmRule"))]
    return compare(pairs, f"notifies the {spec.tier} topic")


def _dashboard(live: Live, expected: ExpectedRegion, dashboard: Dashboard) -> Verdict:
    response = live.get("cloudwatch", "get_dashboard", DashboardName=dashboard.name)
    if response is None:
        return failed("dashboard does not exist")
    if json.loads(response.get("DashboardBody") or "{}") != json.loads(dashboard.body):
        return failed("body differs from the program's (edited in the console? `pulumi up` restores it)")
    return passed("body as the program builds it")


def _metric_filter(live: Live, expected: ExpectedRegion, item: MetricFilter) -> Verdict:
    spec = item.spec
    response = live.get("logs", "describe_metric_filters", logGroupName=item.log_group, filterNamePrefix=spec.name)
    found = next((f for f in (response or {}).get("metricFilters", []) if f.get("filterName") == spec.name), None)
    if found is None:
        return failed(f"metric filter does not exist on {item.log_group}")
    transformation = (found.get("metricTransformations") or [{}])[0]
    return compare(
        [
            ("pattern", spec.pattern, found.get("filterPattern")),
            ("metric", spec.metric_name, transformation.get("metricName")),
            ("namespace", spec.metric_namespace, transformation.get("metricNamespace")),
        ],
        f"publishes {spec.metric_namespace}/{spec.metric_name}",
    )


def _saved_query(live: Live, expected: ExpectedRegion, query: SavedQuery) -> Verdict:
    prefix = query.name.rsplit("/", 1)[0] + "/"
    response = live.get("logs", "describe_query_definitions", queryDefinitionNamePrefix=prefix)
    found = next((q for q in (response or {}).get("queryDefinitions", []) if q.get("name") == query.name), None)
    if found is None:
        return failed("saved query does not exist")
    return compare([("log groups", [query.log_group], found.get("logGroupNames"))], f"on {query.log_group}")


CHECKS: tuple[Check[Any], ...] = (
    Check(
        "alarm",
        "cloudwatch:DescribeAlarms",
        "exists; actions on the tier topic; comparison, threshold, windows, metrics as the builders define",
        lambda e: e.monitoring.metric_alarms,
        lambda spec: spec.name,
        _metric_alarm,
    ),
    Check(
        "alarm.composite",
        "cloudwatch:DescribeAlarms",
        "exists with the builders' rule and actions",
        lambda e: e.monitoring.composite_alarms,
        lambda spec: spec.name,
        _composite_alarm,
        "moto has no PutCompositeAlarm: with --endpoint-url the alarm must exist (else fail); rule and actions skipped",
    ),
    Check(
        "dashboard",
        "cloudwatch:GetDashboard",
        "exists; body equal to the builders'",
        lambda e: e.monitoring.dashboards,
        lambda d: d.name,
        _dashboard,
    ),
    Check(
        "metric-filter",
        "logs:DescribeMetricFilters",
        "exists on the trail log group with the builders' pattern and metric",
        lambda e: e.monitoring.metric_filters,
        lambda f: f.spec.name,
        _metric_filter,
    ),
    Check(
        "saved-query",
        "logs:DescribeQueryDefinitions",
        "exists on its log group",
        lambda e: e.monitoring.saved_queries,
        lambda q: q.name,
        _saved_query,
        "moto does not implement query definitions: skipped",
    ),
)
