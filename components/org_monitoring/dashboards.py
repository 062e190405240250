"""Aggregate CloudWatch dashboards of the monitoring account (pure builders, no Pulumi).

Layout (all dashboards are global; every widget names the region its metrics live in):
- `<prefix>-overview`: per region, requests/errors/throttles, tokens and estimated cost, top models, for
  the whole organisation, using Metrics Insights queries that aggregate over every linked account
  server-side (one returned series per line, so the dashboard stays tiny at any org size), plus the status
  of every region-wide org alarm.
- `<prefix>-<region>`: per account of that region, invocations, errors, throttles, p95 latency, tokens and
  estimated cost, using SEARCH over the model-less Bedrock series ("Across all model IDs"): one series per
  linked account, picked up automatically as accounts are onboarded.

Why split: CloudWatch counts every metric a SEARCH retrieves against 500 per widget and 2500 per
dashboard. Per-account data for 200 accounts x 10 regions in one dashboard would retrieve ~14,000
series; one dashboard per region retrieves at most 7 x 201 + 23 = 1,430 (7 SEARCHes, one series per
account plus the monitoring account, and the 23 cost entries). Every dashboard is built from the shared
typed model (`components.cloudwatch.dashboard`) and checked against its quota constants when built.

Metric math evaluates within a single region: a widget can not add us-east-1 and eu-west-1 series, and
percentiles can not be merged across accounts or regions. Both facts are stated on the dashboards.
"""

from __future__ import annotations

from collections.abc import Sequence

from components.cloudwatch import expressions
from components.cloudwatch.dashboard import Dashboard, Layout, chunks
from components.cloudwatch.widgets import AlarmStatusWidget, Expression, MetricWidget, TextWidget
from components.org_monitoring.pricing import PricedModel, priced_models, unpriced_models
from components.org_monitoring.refs import WorkloadRef, accounts_in_region
from inventory.monitoring import MAX_PRICED_MODELS, Pricing
from inventory.org_monitoring import OrgMonitoringSettings
from vocabulary import bedrock, names
from vocabulary.limits import (
    MAX_ALARMS_PER_ALARM_WIDGET,
    MAX_METRICS_PER_WIDGET,
    MAX_SEARCH_RESULTS,
)

OVERVIEW_PERIOD = 300
COST_PERIOD = 3600
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
    "account on the regional dashboards. Metrics Insights widgets cover the most recent 3 hours. "
    "Estimated cost = tokens x the org-wide price table `defaults.monitoring.pricing` in `stacks/org.yaml` "
    "(an inference profile uses its base model's price; models without a price are left out); not a bill, "
    "see Cost Explorer."
)


# Per token kind: (query id prefix, metric, label) of the per-model cost inputs; cache kinds only for models
# whose price has cache prices.
_TOKEN_KINDS = (("i", bedrock.INPUT_TOKENS, "in"), ("o", bedrock.OUTPUT_TOKENS, "out"))
_CACHE_KINDS = (
    ("r", bedrock.CACHE_READ_INPUT_TOKENS, "cache read"),
    ("w", bedrock.CACHE_WRITE_INPUT_TOKENS, "cache write"),
)


def cost_terms(priced: Sequence[PricedModel], period: int | None = COST_PERIOD) -> tuple[list[Expression], list[str]]:
    """Hidden Metrics Insights token sums of every priced model (all accounts of the region) and one cost
    term each, at the model's own prices (prompt-cache tokens where the price has cache prices)."""
    entries: list[Expression] = []
    terms: list[str] = []
    for i, model in enumerate(priced):
        kinds = _TOKEN_KINDS + (_CACHE_KINDS if model.price.prices_cache else ())
        for prefix, metric, label in kinds:
            query = expressions.insights_sum(metric, model_ids=model.model_ids)
            entries.append(_expr(query, f"{prefix}{i}", f"{label} {model.key}", visible=False, period=period))
        filled = {prefix: expressions.fill(f"{prefix}{i}", compact=True) for prefix, _, _ in kinds}
        cache = {"cache_read": filled.get("r"), "cache_write": filled.get("w")}
        terms.append(expressions.token_cost(model.price, filled["i"], filled["o"], **cache, compact=True))
    return entries, terms


def _cost_widget(region: str, priced: Sequence[PricedModel]) -> MetricWidget:
    """Tokens and estimated cost of the whole region (all accounts): priced models only, each at its own
    price; models without a price count in the token lines but not in the cost ("price unknown")."""
    entries: list[Expression] = [
        _expr(expressions.insights_sum(bedrock.INPUT_TOKENS), "tin", "Input tokens", period=COST_PERIOD),
        _expr(expressions.insights_sum(bedrock.OUTPUT_TOKENS), "tout", "Output tokens", period=COST_PERIOD),
    ]
    model_entries, terms = cost_terms(priced)
    entries += model_entries
    if terms:
        # Right axis: USD per hour is orders of magnitude below the token counts on the left axis.
        entries.append(
            Expression(
                expression=expressions.usd(terms, compact=True),
                id="cost",
                label="Estimated USD / hour (priced models)",
                y_axis="right",
            )
        )
    return MetricWidget(
        title=f"{region} - tokens and estimated cost, all accounts",
        region=region,
        period=COST_PERIOD,
        metrics=tuple(entries),
        right_y_axis_label="USD",
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


def _region_overview_row(region: str, priced: Sequence[PricedModel]) -> list[tuple[MetricWidget, int]]:
    p = OVERVIEW_PERIOD
    requests = MetricWidget(
        title=f"{region} - requests, all accounts",
        region=region,
        period=p,
        metrics=(
            _expr(expressions.insights_sum(bedrock.INVOCATIONS), "inv", "Invocations", period=p),
            _expr(expressions.insights_sum(bedrock.CLIENT_ERRORS), "cli", "Client errors", period=p),
            _expr(expressions.insights_sum(bedrock.SERVER_ERRORS), "srv", "Server errors", period=p),
            _expr(expressions.insights_sum(bedrock.THROTTLES), "thr", "Throttles", period=p),
        ),
    )
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
    return [(requests, 8), (_cost_widget(region, priced), 8), (top_models, 8)]


def region_dashboard_name(settings: OrgMonitoringSettings, region: str) -> str:
    return names.org_dashboard_name(settings.dashboard_name_prefix, region)


def overview_dashboard_name(settings: OrgMonitoringSettings) -> str:
    return names.org_dashboard_name(settings.dashboard_name_prefix, "overview")


def build_overview(
    regions: Sequence[str],
    settings: OrgMonitoringSettings,
    region_wide_alarm_arns: Sequence[str],
    pricing: Pricing,
    workloads: Sequence[WorkloadRef] = (),
) -> Dashboard:
    priced = priced_models(pricing, workloads)
    links = " - ".join(f"[{r}](#dashboards:name={region_dashboard_name(settings, r)})" for r in regions)
    layout = Layout()
    layout.full(
        5,
        TextWidget(
            markdown="# Amazon Bedrock - organisation overview\nManaged by Pulumi (bedrock-observability, "
            f"monitoring stack); edits in the console are overwritten.\n\nPer-account detail: {links}\n\n"
            + LIMITATION_NOTE
            + _price_note(pricing, workloads)
        ),
    )
    for chunk in chunks(list(region_wide_alarm_arns), MAX_ALARMS_PER_ALARM_WIDGET):
        layout.full(3, AlarmStatusWidget(title="Org alarms (all regions)", alarm_arns=chunk))
    for region in regions:
        layout.row(6, *_region_overview_row(region, priced))
    return Dashboard(name=overview_dashboard_name(settings), widgets=layout.widgets, start="-PT3H")


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

    def graph(title: str, *metrics: Expression) -> tuple[MetricWidget, int]:
        return MetricWidget(title=f"{region} - {title} by account", region=region, period=p, metrics=metrics), 8

    panels = [
        graph("invocations", search(bedrock.INVOCATIONS, "Sum", "inv", label)),
        graph(
            "errors",
            search(bedrock.CLIENT_ERRORS, "Sum", "cli", f"client - {label}"),
            search(bedrock.SERVER_ERRORS, "Sum", "srv", f"server - {label}"),
        ),
        graph("throttles", search(bedrock.THROTTLES, "Sum", "thr", label)),
        graph("p95 latency (ms)", search(bedrock.LATENCY, "p95", "p95", label)),
        graph(
            "tokens",
            search(bedrock.INPUT_TOKENS, "Sum", "tin", f"input - {label}"),
            search(bedrock.OUTPUT_TOKENS, "Sum", "tout", f"output - {label}"),
        ),
        (_cost_widget(region, priced_models(pricing, workloads)), 8),
    ]
    layout = Layout()
    layout.full(
        4,
        TextWidget(
            markdown=f"# Amazon Bedrock - {region}, per account\nOne line per linked account (label = OAM "
            f"account label). Back to the [overview](#dashboards:name={overview_dashboard_name(settings)})."
            " Estimated cost is the region total over priced models: metric math can not apply per-model "
            "prices per account (each account's own `-cost-usage` dashboard shows its estimated cost)."
            "\n\n" + LIMITATION_NOTE
        ),
    )
    for start in range(0, len(panels), 3):
        layout.row(7, *panels[start : start + 3])
    return Dashboard(name=region_dashboard_name(settings, region), widgets=layout.widgets, start="-PT12H")


def _too_big_fix(dashboard: Dashboard, overview: bool) -> str:
    if overview:
        return (
            "The overview holds three widgets per region and one alarm widget per "
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
