"""The management dashboard of the monitoring account, `<prefix>-management` (pure builder): the seeds' fourth
audience. Per region, because metric math and Metrics Insights evaluate inside one region (the header says so):

- estimated cost per day against the budget pace of the region's accounts (their monthly budgets / 30.4);
- the last 14 days' estimated cost, its 30-day projection and that projection in % of those budgets;
- success rate per day (100 minus the alarms' error-rate formula) against the SLA target of the inventory;
- invocations and tokens per day;
- the top 10 accounts by estimated cost over the last 14 days.

Region aggregates are Metrics Insights queries: one series each at any org size. Metrics Insights reads two
weeks of data, hence the 14-day window. Cost per account needs one metric per account x priced model x token
kind (each naming its `AccountId`); where that does not fit the region's share of CloudWatch's metric quotas,
the widget ranks accounts by input tokens instead (one Metrics Insights query grouped by account) and says so.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from components.cloudwatch import expressions
from components.cloudwatch.dashboard import Dashboard, Layout
from components.cloudwatch.widgets import Expression, HorizontalAnnotation, MetricRef, MetricWidget, TextWidget
from components.org_monitoring.dashboards import cost_terms
from components.org_monitoring.pricing import PricedModel, priced_models
from components.org_monitoring.refs import WorkloadRef, accounts_in_region
from inventory.models import model_callable_in
from inventory.monitoring import Pricing
from inventory.org_monitoring import OrgMonitoringSettings
from vocabulary import bedrock, names
from vocabulary.limits import (
    DASHBOARD_BODY_BUDGET_BYTES,
    MAX_EXPRESSION_CHARS,
    MAX_METRICS_PER_DASHBOARD,
    MAX_METRICS_PER_WIDGET,
)

DAYS = 14  # Metrics Insights reads at most two weeks
DAY = 86_400
DAYS_PER_MONTH = 30.4
TOP_ACCOUNTS = 10
_RANGE = f"-P{DAYS}D"
_TARGET_COLOR = "#2ca02c"


def dashboard_name(settings: OrgMonitoringSettings) -> str:
    return names.org_dashboard_name(settings.dashboard_name_prefix, names.ORG_MANAGEMENT_DASHBOARD)


def region_budget(workloads: Sequence[WorkloadRef], region: str) -> float:
    """The monthly budgets of the accounts that use `region` (an account in several regions counts in each)."""
    return sum(w.monthly_budget_usd or 0 for w in accounts_in_region(workloads, region))


def _insights(metric: str, qid: str, label: str, *, visible: bool = True, period: int | None = DAY) -> Expression:
    return Expression(
        expression=expressions.insights_sum(metric),
        id=qid,
        label=label,
        visible=None if visible else False,
        period=period,
        max_series=1,
    )


def _daily_cost(region: str, priced: Sequence[PricedModel], budget: float) -> MetricWidget:
    entries, terms = cost_terms(priced, period=DAY)
    entries.append(Expression(expression=expressions.usd(terms, compact=True), id="cost", label="Estimated USD / day"))
    pace = (HorizontalAnnotation(label="budget pace", value=round(budget / DAYS_PER_MONTH, 2)),) if budget else ()
    return MetricWidget(
        title=f"{region} - estimated cost per day vs budget pace (USD)",
        region=region,
        period=DAY,
        metrics=tuple(entries),
        annotations=pace,
        y_axis_min=0,
        start=_RANGE,
    )


def _cost_summary(region: str, priced: Sequence[PricedModel], budget: float) -> MetricWidget:
    entries, terms = cost_terms(priced, period=None)
    projection = expressions.math_number(DAYS_PER_MONTH / DAYS)
    entries += [
        Expression(expression=expressions.usd(terms, compact=True), id="total", label=f"USD, last {DAYS} days"),
        Expression(expression=f"total * {projection}", id="month", label="USD per 30 days at this rate"),
    ]
    if budget:
        entries.append(
            Expression(
                expression=f"100 * month / {expressions.math_number(budget)}", id="share", label="% of the budgets"
            )
        )
    return MetricWidget(
        title=f"{region} - estimated cost, {DAYS}-day total and 30-day projection",
        region=region,
        view="singleValue",
        set_period_to_time_range=True,
        metrics=tuple(entries),
        start=_RANGE,
    )


def _success_rate(region: str, settings: OrgMonitoringSettings) -> MetricWidget:
    rate = expressions.success_rate("inv", ("cli", "srv"), settings.alarms.account_min_invocations)
    target = settings.management.sla_success_rate_pct
    return MetricWidget(
        title=f"{region} - success rate per day vs SLA {target:g}% (all accounts)",
        region=region,
        period=DAY,
        metrics=(
            _insights(bedrock.INVOCATIONS, "inv", "Invocations", visible=False),
            _insights(bedrock.CLIENT_ERRORS, "cli", "Client errors", visible=False),
            _insights(bedrock.SERVER_ERRORS, "srv", "Server errors", visible=False),
            Expression(expression=rate, id="success", label="Success rate %"),
        ),
        annotations=(HorizontalAnnotation(label="SLA target", value=target, color=_TARGET_COLOR),),
        start=_RANGE,
    )


def _trend(region: str) -> MetricWidget:
    kinds = (
        (bedrock.INPUT_TOKENS, "tin"),
        (bedrock.OUTPUT_TOKENS, "tout"),
        (bedrock.CACHE_READ_INPUT_TOKENS, "tcr"),
        (bedrock.CACHE_WRITE_INPUT_TOKENS, "tcw"),
    )
    return MetricWidget(
        title=f"{region} - invocations and tokens per day (all accounts)",
        region=region,
        period=DAY,
        metrics=(
            _insights(bedrock.INVOCATIONS, "inv", "Invocations"),
            *(_insights(metric, qid, metric, visible=False) for metric, qid in kinds),
            Expression(
                expression=expressions.filled_sum([qid for _, qid in kinds]),
                id="tokens",
                label="Tokens: input + output + prompt cache (right)",
                y_axis="right",
            ),
        ),
        right_y_axis_label="tokens",
        start=_RANGE,
    )


def _account_costs(
    region: str, workloads: Sequence[WorkloadRef], pricing: Pricing
) -> tuple[list[MetricRef | Expression], list[str]]:
    """Per account of the region: its priced models' token metrics (with AccountId) and its cost expression."""
    entries: list[MetricRef | Expression] = []
    cost_ids: list[str] = []
    for a, account in enumerate(accounts_in_region(workloads, region)):
        terms = []
        for m, model in enumerate(x for x in account.models if model_callable_in(x, region)):
            price = pricing.price_for(model)
            if price is None:
                continue
            kinds = (("i", bedrock.INPUT_TOKENS), ("o", bedrock.OUTPUT_TOKENS))
            if price.prices_cache:
                kinds += (("r", bedrock.CACHE_READ_INPUT_TOKENS), ("w", bedrock.CACHE_WRITE_INPUT_TOKENS))
            ids = {k: f"{k}{a}x{m}" for k, _ in kinds}
            entries += [
                MetricRef(
                    namespace=bedrock.NAMESPACE,
                    metric_name=metric,
                    dimensions=((bedrock.MODEL_DIMENSION, model),),
                    account_id=account.account_id,
                    id=ids[k],
                    visible=False,
                )
                for k, metric in kinds
            ]
            filled = {k: expressions.fill(q, compact=True) for k, q in ids.items()}
            cache = {"cache_read": filled.get("r"), "cache_write": filled.get("w")}
            terms.append(expressions.token_cost(price, filled["i"], filled["o"], **cache, compact=True))
        if terms:
            cost_ids.append(f"c{a}")
            entries.append(
                Expression(
                    expression=expressions.usd(terms, compact=True), id=f"c{a}", label=account.name, visible=False
                )
            )
    return entries, cost_ids


def _top_accounts(
    region: str, workloads: Sequence[WorkloadRef], pricing: Pricing, metrics: int, size: int
) -> MetricWidget:
    """Accounts ranked by estimated cost when their metrics fit `metrics` and `size` bytes, else by tokens."""
    entries, cost_ids = _account_costs(region, workloads, pricing)
    ranking = f"SORT([{','.join(cost_ids)}], SUM, DESC, {TOP_ACCOUNTS})"
    common = {"region": region, "view": "bar", "set_period_to_time_range": True, "start": _RANGE}
    if cost_ids and len(entries) + 1 <= metrics and len(ranking) <= MAX_EXPRESSION_CHARS:
        by_cost = MetricWidget(
            title=f"{region} - top {TOP_ACCOUNTS} accounts by estimated cost, last {DAYS} days (USD)",
            metrics=(*entries, Expression(expression=ranking, id="top", label="")),
            **common,  # type: ignore[arg-type]
        )
        if len(json.dumps(by_cost.render(), separators=(",", ":"))) <= size:
            return by_cost
    by_account = expressions.insights_sum(bedrock.INPUT_TOKENS, group_by="AWS.AccountId", limit=TOP_ACCOUNTS)
    return MetricWidget(
        title=f"{region} - top {TOP_ACCOUNTS} accounts by input tokens, last {DAYS} days (too many accounts x "
        "models here to price each account)",
        metrics=(Expression(expression=by_account, id="top", max_series=TOP_ACCOUNTS),),
        **common,  # type: ignore[arg-type]
    )


def _header(regions: Sequence[str], workloads: Sequence[WorkloadRef], settings: OrgMonitoringSettings) -> TextWidget:
    rows = ["| Account | Monthly budget (USD) | Regions |", "|---|---|---|"]
    for w in workloads:
        budget = "no budget" if w.monthly_budget_usd is None else f"{w.monthly_budget_usd:,.2f}"
        rows.append(f"| {w.name} ({w.account_id}) | {budget} | {', '.join(w.regions)} |")
    total = sum(w.monthly_budget_usd or 0 for w in workloads)
    return TextWidget(
        markdown=(
            "# Amazon Bedrock - management view\nManaged by Pulumi (bedrock-observability, monitoring stack). "
            f"Estimated cost = tokens x the org-wide price table (`defaults.monitoring.pricing`), not a bill: billed "
            "cost is in AWS Budgets and Cost Explorer. Per region, because metric math cannot combine regions: add "
            f"the regions up for the org. Metrics Insights reads {DAYS} days, hence the window. Budget pace = the "
            f"monthly budgets of a region's accounts / {DAYS_PER_MONTH} days (an account in several regions counts "
            f"in each). SLA target: {settings.management.sla_success_rate_pct:g}% of invocations without a client or "
            f"server error (`monitoring_account.settings.management.sla_success_rate_pct`).\n\n"
            + "\n".join(rows)
            + f"\n\nTotal monthly budget: USD {total:,.2f} ({', '.join(regions)})."
        )
    )


def build_management(
    regions: Sequence[str], workloads: Sequence[WorkloadRef], settings: OrgMonitoringSettings, pricing: Pricing
) -> Dashboard:
    priced = priced_models(pricing, workloads)
    layout = Layout()
    header = _header(regions, workloads, settings)
    layout.full(5 + min(len(workloads), 30) // 2, header)
    # Each region's share of the dashboard's metric quota and body budget (after the header, and the placement
    # of its six widgets).
    share = MAX_METRICS_PER_DASHBOARD // max(len(regions), 1)
    size_share = (DASHBOARD_BODY_BUDGET_BYTES - len(json.dumps(header.render()))) // max(len(regions), 1) - 600
    for region in regions:
        budget = region_budget(workloads, region)
        health = [_success_rate(region, settings), _trend(region)]
        layout.full(1, TextWidget(markdown=f"### {region}"))
        if priced:
            cost = [_daily_cost(region, priced, budget), _cost_summary(region, priced, budget)]
            used = sum(w.metric_count for w in (*cost, *health))
            size = sum(len(json.dumps(w.render(), separators=(",", ":"))) for w in (*cost, *health))
            top = _top_accounts(
                region, workloads, pricing, min(MAX_METRICS_PER_WIDGET, share - used), size_share - size
            )
            layout.row(6, (cost[0], 16), (cost[1], 8))
            layout.row(6, (health[0], 8), (health[1], 8), (top, 8))
        else:
            note = "No model has a price in `defaults.monitoring.pricing.models`: no estimated cost."
            layout.row(6, (health[0], 9), (health[1], 9), (TextWidget(markdown=note), 6))
    return Dashboard(name=dashboard_name(settings), widgets=layout.widgets, start=_RANGE)
