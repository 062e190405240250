"""Fixed monthly parts, counted from the plan's resources: alarms, dashboards, metrics, keys, free services.

CloudWatch bills a metric alarm per metric it reads (a metric-math alarm counts each metric of its
expression; an anomaly-detection alarm counts 3 per metric: the metric and the band's two bounds), a
composite alarm per alarm, and dashboards beyond a free allowance per account.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from obsctl.cost.model import DAYS_PER_MONTH, LineItem, Pricer, Resource, group_by_place, of_type

METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
COMPOSITE_ALARM = "aws:cloudwatch/compositeAlarm:CompositeAlarm"
DASHBOARD = "aws:cloudwatch/dashboard:Dashboard"
METRIC_FILTER = "aws:cloudwatch/logMetricFilter:LogMetricFilter"
KMS_KEY = "aws:kms/key:Key"
OAM_TYPES = ("aws:oam/sink:Sink", "aws:oam/link:Link")
BUDGET = "aws:budgets/budget:Budget"
BUDGET_ACTION = "aws:budgets/budgetAction:BudgetAction"
GRAFANA_WORKSPACE = "aws:grafana/workspace:Workspace"
# Rotation creates a new backing key a year; KMS bills the first two rotations (steady state from year 3).
BILLED_ROTATIONS = 2

# Alarm kinds -> price key of one billed alarm metric.
ALARM_PRICES = {
    "standard": "cloudwatch.alarm_metric",
    "high_resolution": "cloudwatch.alarm_metric_high_resolution",
    "metrics_insights": "cloudwatch.metrics_insights_alarm_metric",
}


def alarm_metrics(inputs: dict[str, Any], insights_series: int) -> tuple[str, float]:
    """(kind, billed alarm metrics) of one metric alarm, from its inputs."""
    queries = inputs.get("metricQueries") or []
    if not queries:
        return ("high_resolution" if inputs.get("period", 60) < 60 else "standard", 1)
    expressions = [str(q.get("expression") or "").strip().upper() for q in queries]
    if any(e.startswith("SELECT") for e in expressions):
        # A Metrics Insights alarm is billed per metric its query analyses.
        return "metrics_insights", insights_series
    metrics = [q["metric"] for q in queries if q.get("metric")]
    high = any((m.get("period") or 60) < 60 for m in metrics)
    billed = len(metrics) * (3 if any("ANOMALY_DETECTION_BAND" in e for e in expressions) else 1)
    return ("high_resolution" if high else "standard"), billed


def alarm_items(
    resources: list[Resource], pricer: Pricer, insights_series: Callable[[str, str], int]
) -> list[LineItem]:
    items = []
    for (account, region), here in group_by_place(of_type(resources, METRIC_ALARM, COMPOSITE_ALARM)).items():
        billed: Counter[str] = Counter()
        alarms: Counter[str] = Counter()
        for alarm in here:
            if alarm.type == COMPOSITE_ALARM:
                alarms["composite"] += 1
                continue
            kind, metrics = alarm_metrics(alarm.inputs, insights_series(account, region))
            billed[kind] += metrics
            alarms[kind] += 1
        for kind, metrics in sorted(billed.items()):
            what = f"{kind.replace('_', ' ')} alarm metrics ({alarms[kind]} alarms)"
            items.append(pricer.item(account, region, "alarms", what, metrics, ALARM_PRICES[kind]))
        if alarms["composite"]:
            composite = alarms["composite"]
            items.append(
                pricer.item(account, region, "alarms", "composite alarms", composite, "cloudwatch.composite_alarm")
            )
    return items


def dashboard_items(resources: list[Resource], pricer: Pricer) -> list[LineItem]:
    items = []
    per_account = Counter(r.account for r in of_type(resources, DASHBOARD))
    for account, count in sorted(per_account.items()):
        free = pricer.allowance("cloudwatch.free_dashboards_per_account")
        what = f"dashboards beyond the {free:g} free per account ({count} in the plan)"
        items.append(pricer.item(account, "", "dashboards", what, max(0.0, count - free), "cloudwatch.dashboard"))
    return items


def metric_filter_items(resources: list[Resource], pricer: Pricer) -> list[LineItem]:
    items = []
    for (account, region), filters in group_by_place(of_type(resources, METRIC_FILTER)).items():
        # One custom metric per filter: the transformations here set no dimensions (each dimension value
        # would be one more metric).
        what = f"custom metrics from {len(filters)} log metric filters"
        items.append(pricer.item(account, region, "custom metrics", what, len(filters), "cloudwatch.custom_metric"))
    return items


def kms_key_items(resources: list[Resource], pricer: Pricer) -> list[LineItem]:
    items = []
    for (account, region), keys in group_by_place(of_type(resources, KMS_KEY)).items():
        items.append(pricer.item(account, region, "kms", "customer managed keys", len(keys), "kms.key"))
        rotating = sum(1 for key in keys if key.inputs.get("enableKeyRotation"))
        if rotating:
            what = f"rotated key versions ({rotating} keys x {BILLED_ROTATIONS} billed rotations, steady state)"
            items.append(pricer.item(account, region, "kms", what, rotating * BILLED_ROTATIONS, "kms.rotation"))
    return items


def free_items(resources: list[Resource], pricer: Pricer) -> list[LineItem]:
    """Resources AWS does not charge for, listed at 0 so the breakdown shows they were counted."""
    items = []
    for (account, region), links in group_by_place(of_type(resources, *OAM_TYPES)).items():
        what = f"cross-account observability ({len(links)} OAM sinks/links)"
        items.append(pricer.item(account, region, "oam", what, len(links), "cloudwatch.cross_account_observability"))
    for (account, region), budgets in group_by_place(of_type(resources, BUDGET)).items():
        items.append(pricer.item(account, region, "budgets", "budgets (no actions)", len(budgets), "budgets.budget"))
    per_account = Counter(r.account for r in of_type(resources, BUDGET_ACTION))
    for account, actions in sorted(per_account.items()):
        free = pricer.allowance("budgets.free_action_enabled_budgets")
        what = f"budget actions beyond the {free:g} free (action-days)"
        days = max(0.0, actions - free) * DAYS_PER_MONTH
        items.append(pricer.item(account, "", "budgets", what, days, "budgets.action_enabled_budget_day"))
    return items


def grafana_items(resources: list[Resource], pricer: Pricer, assume: Callable[[str], Any]) -> list[LineItem]:
    items = []
    for workspace in of_type(resources, GRAFANA_WORKSPACE):
        users = assume(workspace.account)
        place = (workspace.account, workspace.region)
        items.append(pricer.item(*place, "grafana", "editor/admin users", users.grafana_editors, "grafana.editor"))
        items.append(pricer.item(*place, "grafana", "viewer users", users.grafana_viewers, "grafana.viewer"))
    return items


def all_fixed(
    resources: list[Resource],
    pricer: Pricer,
    insights_series: Callable[[str, str], int],
    assume: Callable[[str], Any],
) -> Iterable[LineItem]:
    yield from alarm_items(resources, pricer, insights_series)
    yield from dashboard_items(resources, pricer)
    yield from metric_filter_items(resources, pricer)
    yield from kms_key_items(resources, pricer)
    yield from free_items(resources, pricer)
    yield from grafana_items(resources, pricer, assume)
