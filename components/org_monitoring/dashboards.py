"""Aggregate CloudWatch dashboards of the monitoring account (pure builders, no Pulumi).

Layout (all dashboards are global; every widget names the region its metrics live in):
- `<prefix>-overview`: per region, invocations, client errors, server errors, throttles, input and output
  tokens and the top models of the whole organisation, each from one Metrics Insights query that aggregates
  over every linked account server-side (one returned series per line, so the dashboard stays tiny at any org
  size), plus the status of every region-wide org alarm.
- `<prefix>-<region>`: per account of that region, invocations, errors, throttles, p95 latency and tokens,
  using SEARCH over the model-less Bedrock series ("Across all model IDs"): one series per linked account,
  picked up automatically as accounts are onboarded; then the region's estimated cost, one widget per price
  line (`price_lines`).

One Metrics Insights query per widget: GetMetricData runs one per request and a widget is drawn with one
request (`vocabulary.limits.MAX_INSIGHTS_QUERIES_PER_WIDGET`, checked by `Dashboard.check_limits`). Hence one
widget per overview line, and per price line for cost: metric math over several SELECTs cannot run at all.

Why split: CloudWatch counts every metric a SEARCH retrieves against 500 per widget and 2500 per
dashboard. Per-account data for 200 accounts x 10 regions in one dashboard would retrieve ~14,000
series; one dashboard per region retrieves at most 7 x 201 + 2 per price line (7 SEARCHes, one series per
account plus the monitoring account). Every dashboard is built from the shared typed model
(`components.cloudwatch.dashboard`) and checked against its quota constants when built.

Metric math evaluates within a single region: a widget can not add us-east-1 and eu-west-1 series, and
percentiles can not be merged across accounts or regions. Both facts are stated on the dashboards.
"""

from __future__ import annotations

from collections.abc import Sequence

from components.cloudwatch import expressions
from components.cloudwatch.dashboard import Dashboard, Layout, chunks
from components.cloudwatch.widgets import AlarmStatusWidget, Expression, MetricWidget, TextWidget
from components.org_monitoring.price_lines import CELL_HEIGHT, price_line_rows
from components.org_monitoring.pricing import priced_models, unpriced_models
from components.org_monitoring.refs import WorkloadRef, accounts_in_region
from inventory.org_monitoring import OrgMonitoringSettings
from inventory.pricing import MAX_PRICED_MODELS, Pricing
from vocabulary import bedrock, names
from vocabulary.limits import (
    MAX_ALARMS_PER_ALARM_WIDGET,
    MAX_METRICS_PER_WIDGET,
    MAX_SEARCH_RESULTS,
)

OVERVIEW_PERIOD = 300
TOP_MODELS = 10
_ACCOUNT_LABEL = "${PROP('AccountLabel')}"
# The widest per-account widgets (errors, tokens) hold two SEARCHes, one series per linked account each.
_SEARCHES_PER_WIDEST_WIDGET = 2


# --- expressions ----------------------------------------------------------------------------------------


def _expr(
    expression: str, qid: str, label: str, *, max_series: int = 1, visible: bool = True, period: int | None = None
) -> Expression:
    """`max_series`: worst-case series the expression returns (1 for an aggregate or plain math)."""
    return Expression(
        expression=expression,
        id=qid,
        label=label,
        visible=None if visible else False,
        period=period,
        max_series=max_series,
    )


# --- widget builders ------------------------------------------------------------------------------------

LIMITATION_NOTE = (
    "**Cross-region limits.** CloudWatch metric math and SEARCH evaluate inside one region, so there is no "
    "single org-wide line: each region has its own widgets and org totals are the sum of the regional "
    "widgets. Percentiles (p95 latency) can not be combined across accounts or regions and are shown per "
    "account on the regional dashboards. Metrics Insights widgets show at most the last two weeks. "
    "Estimated cost = tokens x the org-wide price table `defaults.monitoring.pricing` in `stacks/org.yaml` "
    "(an inference profile uses its base model's price; models without a price are left out); not a bill, "
    "see Cost Explorer."
)


def _price_note(pricing: Pricing, workloads: Sequence[WorkloadRef]) -> str:
    unpriced = unpriced_models(pricing, workloads)
    if not pricing.models:
        return (
            "\n\nNo model has a price in `defaults.monitoring.pricing.models` (up to "
            f"{MAX_PRICED_MODELS} models): no estimated cost is shown."
        )
    if not unpriced:
        return ""
    return (
        "\n\nPrice unknown (not in the estimated cost): "
        + ", ".join(f"`{m}`" for m in unpriced)
        + "; add them to `defaults.monitoring.pricing.models`."
    )


# The overview's lines per region: (query id, metric, title), each its own widget (one Insights query each).
_REQUEST_LINES = (
    ("inv", bedrock.INVOCATIONS, "invocations"),
    ("cli", bedrock.CLIENT_ERRORS, "client errors"),
    ("srv", bedrock.SERVER_ERRORS, "server errors"),
    ("thr", bedrock.THROTTLES, "throttles"),
)
_TOKEN_LINES = (("tin", bedrock.INPUT_TOKENS, "input tokens"), ("tout", bedrock.OUTPUT_TOKENS, "output tokens"))


def _insights_widget(region: str, qid: str, metric: str, title: str) -> MetricWidget:
    """One org-wide line of the region: the sum over every linked account, one Metrics Insights query."""
    p = OVERVIEW_PERIOD
    return MetricWidget(
        title=f"{region} - {title}, all accounts",
        region=region,
        period=p,
        metrics=(_expr(expressions.insights_sum(metric), qid, title.capitalize(), period=p),),
    )


def _region_overview_rows(region: str) -> list[list[tuple[MetricWidget, int]]]:
    p = OVERVIEW_PERIOD
    top_models = MetricWidget(
        title=f"{region} - top {TOP_MODELS} models by invocations, all accounts",
        region=region,
        view="bar",
        period=p,
        metrics=(
            _expr(
                expressions.insights_sum(bedrock.INVOCATIONS, group_by=bedrock.MODEL_DIMENSION, limit=TOP_MODELS),
                "top",
                "${PROP('Dim.ModelId')}",
                max_series=TOP_MODELS,
                period=p,
            ),
        ),
    )
    requests = [(_insights_widget(region, *line), 24 // len(_REQUEST_LINES)) for line in _REQUEST_LINES]
    tokens = [(_insights_widget(region, *line), 8) for line in _TOKEN_LINES]
    return [requests, [*tokens, (top_models, 8)]]


def region_dashboard_name(settings: OrgMonitoringSettings, region: str) -> str:
    return names.org_dashboard_name(settings.dashboard_name_prefix, region)


def overview_dashboard_name(settings: OrgMonitoringSettings) -> str:
    return names.org_dashboard_name(settings.dashboard_name_prefix, "overview")


def _cost_pointer(settings: OrgMonitoringSettings) -> str:
    management = names.org_dashboard_name(settings.dashboard_name_prefix, names.ORG_MANAGEMENT_DASHBOARD)
    totals = (
        f" Totals per day against the budgets: [management view](#dashboards:name={management})."
        if settings.management.enabled
        else ""
    )
    return (
        "**Estimated cost** is on each region's dashboard, one widget per price line (model x token kind): a "
        "widget can hold one Metrics Insights query, so no widget can add a region's models up for every org "
        f"size.{totals}"
    )


def build_overview(
    regions: Sequence[str],
    settings: OrgMonitoringSettings,
    region_wide_alarm_arns: Sequence[str],
    pricing: Pricing,
    workloads: Sequence[WorkloadRef] = (),
) -> Dashboard:
    links = " - ".join(f"[{r}](#dashboards:name={region_dashboard_name(settings, r)})" for r in regions)
    layout = Layout()
    layout.full(
        6,
        TextWidget(
            markdown="# Amazon Bedrock - organisation overview\nManaged by Pulumi (bedrock-observability, "
            f"monitoring stack); edits in the console are overwritten.\n\nPer-account detail and estimated cost: "
            f"{links}\n\n{_cost_pointer(settings)}\n\n" + LIMITATION_NOTE + _price_note(pricing, workloads)
        ),
    )
    for chunk in chunks(list(region_wide_alarm_arns), MAX_ALARMS_PER_ALARM_WIDGET):
        layout.full(3, AlarmStatusWidget(title="Org alarms (all regions)", alarm_arns=chunk))
    for region in regions:
        detail = f"[per account and estimated cost](#dashboards:name={region_dashboard_name(settings, region)})"
        layout.full(1, TextWidget(markdown=f"### {region}, all accounts - {detail}"))
        for row in _region_overview_rows(region):
            layout.row(5, *row)
    return Dashboard(name=overview_dashboard_name(settings), widgets=layout.widgets, start="-PT3H")


def _cost_heading(region: str, pricing: Pricing, workloads: Sequence[WorkloadRef]) -> TextWidget:
    return TextWidget(
        markdown=f"### {region} - estimated cost over the selected time range, all accounts (USD)\n"
        "One widget per price line: the tokens of one model (and the inference profiles priced as it) and one "
        "kind, all accounts of the region, and tokens x its price. CloudWatch runs one Metrics Insights query "
        "per widget, so a model's or the region's total is the sum of its cells (`-cost-usage` dashboards: per "
        "account)." + _price_note(pricing, workloads)
    )


def build_region_dashboard(
    region: str, workloads: Sequence[WorkloadRef], settings: OrgMonitoringSettings, pricing: Pricing
) -> Dashboard:
    # +1: the monitoring account's own series also match the search; a SEARCH returns at most 500 series.
    per_search = min(len(accounts_in_region(workloads, region)) + 1, MAX_SEARCH_RESULTS)
    p = OVERVIEW_PERIOD
    label = _ACCOUNT_LABEL

    def search(metric_name: str, stat: str, qid: str, series_label: str) -> Expression:
        # `{AWS/Bedrock}` with no dimension names matches only the model-less aggregate series: exactly one
        # per account (monitoring account included), so the count is bounded by the inventory.
        return _expr(expressions.search(metric_name, stat, p), qid, series_label, max_series=per_search)

    def graph(title: str, *metrics: Expression) -> MetricWidget:
        return MetricWidget(title=f"{region} - {title} by account", region=region, period=p, metrics=metrics)

    layout = Layout()
    layout.full(
        4,
        TextWidget(
            markdown=f"# Amazon Bedrock - {region}, per account\nOne line per linked account (label = OAM "
            f"account label). Back to the [overview](#dashboards:name={overview_dashboard_name(settings)})."
            " Estimated cost (below) is per price line for all accounts: per-model prices cannot be applied per "
            "account at this scale (each account's own `-cost-usage` dashboard shows its estimated cost)."
            "\n\n" + LIMITATION_NOTE
        ),
    )
    layout.row(
        7,
        (graph("invocations", search(bedrock.INVOCATIONS, "Sum", "inv", label)), 8),
        (
            graph(
                "errors",
                search(bedrock.CLIENT_ERRORS, "Sum", "cli", f"client - {label}"),
                search(bedrock.SERVER_ERRORS, "Sum", "srv", f"server - {label}"),
            ),
            8,
        ),
        (graph("throttles", search(bedrock.THROTTLES, "Sum", "thr", label)), 8),
    )
    tokens = graph(
        "tokens",
        search(bedrock.INPUT_TOKENS, "Sum", "tin", f"input - {label}"),
        search(bedrock.OUTPUT_TOKENS, "Sum", "tout", f"output - {label}"),
    )
    layout.row(7, (graph("p95 latency (ms)", search(bedrock.LATENCY, "p95", "p95", label)), 12), (tokens, 12))
    layout.full(3, _cost_heading(region, pricing, workloads))
    for row in price_line_rows(region, priced_models(pricing, workloads)):
        layout.row(CELL_HEIGHT, *row)
    return Dashboard(name=region_dashboard_name(settings, region), widgets=layout.widgets, start="-PT12H")


def _too_big_fix(dashboard: Dashboard, overview: bool) -> str:
    if overview:
        return (
            "The overview holds eight widgets per region and one alarm widget per "
            f"{MAX_ALARMS_PER_ALARM_WIDGET} org alarms: split the regions across several overview dashboards."
        )
    limit = MAX_METRICS_PER_WIDGET // _SEARCHES_PER_WIDEST_WIDGET - 1
    return (
        f"The per-account dashboard {dashboard.name!r} retrieves one series per linked account of its region "
        f"in every SEARCH (up to {_SEARCHES_PER_WIDEST_WIDGET} per widget), so a region holds at most {limit} "
        "workload accounts: split its accounts across more dashboards (e.g. SEARCH filtered on "
        ":aws.AccountId) or drop per-account panels; the Metrics Insights overview is unaffected."
    )


def build_dashboards(
    regions: Sequence[str],
    workloads: Sequence[WorkloadRef],
    settings: OrgMonitoringSettings,
    region_wide_alarm_arns: Sequence[str],
    pricing: Pricing | None = None,
) -> list[Dashboard]:
    """Overview + one per-account dashboard per region, each checked against CloudWatch's quotas
    (`Dashboard.check_limits`): an organisation too large for them fails here, naming the limit and the fix."""
    pricing = pricing or Pricing()
    dashboards = [build_overview(regions, settings, region_wide_alarm_arns, pricing, workloads)] + [
        build_region_dashboard(r, workloads, settings, pricing) for r in regions
    ]
    for i, dashboard in enumerate(dashboards):
        dashboard.check_limits(fix=_too_big_fix(dashboard, overview=i == 0))
    return dashboards
