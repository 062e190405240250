"""The management dashboard of the monitoring account, `<prefix>-management` (pure builder): the seeds' fourth
audience. Per region, because metric math evaluates inside one region (the header says so):

- estimated cost per day of all accounts and of the top 10 accounts, against the budget pace of the region's
  accounts (their monthly budgets / 30.4);
- the last 14 days' estimated cost, its 30-day projection and that projection in % of those budgets;
- success rate per day (100 minus the alarms' error-rate formula) against the SLA target of the inventory;
- invocations and tokens per day.

A widget may hold at most one Metrics Insights query (GetMetricData runs one per request), so cost, success
rate and tokens read each account's series explicitly (`accountId`, CloudWatch cross-account observability):
one metric per account x priced model x token kind for cost, three model-less series per account for the
success rate, four token kinds for tokens (a prompt-cache kind is two metrics, one per spelling of its name,
summed); invocations are one Metrics Insights query. Where a region's accounts need more metrics than its
share of the dashboard's quotas (2,500 metrics, 256 KiB, 500 per widget, 1,024-character expressions), the
region gets the compact version instead: top 10 accounts by input tokens and invocations, one Metrics Insights
query each, and a note saying where cost and errors are.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from components.cloudwatch import expressions
from components.cloudwatch.dashboard import Dashboard, Layout
from components.cloudwatch.widgets import Expression, HorizontalAnnotation, MetricRef, MetricWidget, TextWidget
from components.org_monitoring.refs import WorkloadRef, accounts_in_region
from inventory.models import model_callable_in
from inventory.org_monitoring import OrgMonitoringSettings
from inventory.pricing import Pricing
from vocabulary import bedrock, names
from vocabulary.limits import (
    DASHBOARD_BODY_BUDGET_BYTES,
    MAX_EXPRESSION_CHARS,
    MAX_METRICS_PER_DASHBOARD,
    MAX_METRICS_PER_WIDGET,
)

DAYS = 14
DAY = 86_400
DAYS_PER_MONTH = 30.4
TOP_ACCOUNTS = 10
_RANGE = f"-P{DAYS}D"
_TARGET_COLOR = "#2ca02c"
_TOKENS = (
    bedrock.INPUT_TOKENS,
    bedrock.OUTPUT_TOKENS,
    bedrock.CACHE_READ_INPUT_TOKENS,
    bedrock.CACHE_WRITE_INPUT_TOKENS,
)
_REQUESTS = (("i", bedrock.INVOCATIONS), ("e", bedrock.CLIENT_ERRORS), ("s", bedrock.SERVER_ERRORS))
_TOO_MANY = "too many accounts x priced models here to read each account on one dashboard."


def dashboard_name(settings: OrgMonitoringSettings) -> str:
    return names.org_dashboard_name(settings.dashboard_name_prefix, names.ORG_MANAGEMENT_DASHBOARD)


def region_budget(workloads: Sequence[WorkloadRef], region: str) -> float:
    """The monthly budgets of the accounts that use `region` (an account in several regions counts in each)."""
    return sum(w.monthly_budget_usd or 0 for w in accounts_in_region(workloads, region))


def _read(account: WorkloadRef, metric: str, qid: str, model: str | None = None) -> MetricRef:
    """One series of one source account, hidden: model-less ("Across all model IDs") without `model`."""
    dims = ((bedrock.MODEL_DIMENSION, model),) if model else ()
    return MetricRef(
        namespace=bedrock.NAMESPACE,
        metric_name=metric,
        dimensions=dims,
        account_id=account.account_id,
        id=qid,
        visible=False,
    )


def _reads(account: WorkloadRef, metric: str, qid: str, model: str | None = None) -> list[MetricRef]:
    """`_read`, except that a prompt-cache metric is read under both spellings of its name
    (`bedrock.cache_spellings`) as `<qid>_0`, `<qid>_1` (`_read_ids`), which the caller adds up."""
    return [
        _read(account, name, q, model)
        for name, q in zip(bedrock.cache_spellings(metric), _read_ids(metric, qid), strict=True)
    ]


def _read_ids(metric: str, qid: str) -> tuple[str, ...]:
    n = len(bedrock.cache_spellings(metric))
    return (qid,) if n == 1 else tuple(f"{qid}_{i}" for i in range(n))


def _all(ids: Sequence[str]) -> str:
    return f"SUM([{','.join(ids)}])"


def _account_costs(
    accounts: Sequence[WorkloadRef], region: str, pricing: Pricing
) -> tuple[list[MetricRef | Expression], list[str]]:
    """Per account: its priced models' token series and its cost expression `c<a>` (hidden)."""
    entries: list[MetricRef | Expression] = []
    cost_ids: list[str] = []
    for a, account in enumerate(accounts):
        terms = []
        for m, model in enumerate(x for x in account.models if model_callable_in(x, region)):
            price = pricing.price_for(model)
            if price is None:
                continue
            kinds = (("i", bedrock.INPUT_TOKENS), ("o", bedrock.OUTPUT_TOKENS))
            if price.prices_cache:
                kinds += (("r", bedrock.CACHE_READ_INPUT_TOKENS), ("w", bedrock.CACHE_WRITE_INPUT_TOKENS))
            filled = {}
            for k, metric in kinds:
                qid = f"{k}{a}x{m}"
                entries += _reads(account, metric, qid, model)
                reads = [expressions.fill(q, compact=True) for q in _read_ids(metric, qid)]
                filled[k] = reads[0] if len(reads) == 1 else f"({'+'.join(reads)})"
            cache = {"cache_read": filled.get("r"), "cache_write": filled.get("w")}
            terms.append(expressions.token_cost(price, filled["i"], filled["o"], **cache, compact=True))
        if terms:
            cost_ids.append(f"c{a}")
            cost = expressions.usd(terms, compact=True)
            entries.append(Expression(expression=cost, id=f"c{a}", label=account.name, visible=False))
    return entries, cost_ids


def _cost_per_day(region: str, costs: list[MetricRef | Expression], cost_ids: list[str], budget: float) -> MetricWidget:
    pace = (HorizontalAnnotation(label="budget pace", value=round(budget / DAYS_PER_MONTH, 2)),) if budget else ()
    return MetricWidget(
        title=f"{region} - estimated cost per day: all accounts and the top {TOP_ACCOUNTS}, vs budget pace (USD)",
        region=region,
        period=DAY,
        metrics=(
            *costs,
            Expression(expression=_all(cost_ids), id="total", label="All accounts"),
            Expression(expression=f"SORT([{','.join(cost_ids)}], SUM, DESC, {TOP_ACCOUNTS})", id="top", label=""),
        ),
        annotations=pace,
        y_axis_min=0,
        start=_RANGE,
    )


def _cost_summary(region: str, costs: list[MetricRef | Expression], cost_ids: list[str], budget: float) -> MetricWidget:
    projection = expressions.math_number(DAYS_PER_MONTH / DAYS)
    entries = [
        *costs,
        Expression(expression=_all(cost_ids), id="total", label=f"USD, last {DAYS} days"),
        Expression(expression=f"total * {projection}", id="month", label="USD per 30 days at this rate"),
    ]
    if budget:
        share = f"100 * month / {expressions.math_number(budget)}"
        entries.append(Expression(expression=share, id="share", label="% of the budgets"))
    return MetricWidget(
        title=f"{region} - estimated cost, {DAYS}-day total and 30-day projection",
        region=region,
        view="singleValue",
        set_period_to_time_range=True,
        metrics=tuple(entries),
        start=_RANGE,
    )


def _success_rate(region: str, accounts: Sequence[WorkloadRef], settings: OrgMonitoringSettings) -> MetricWidget:
    reads = [_read(w, metric, f"{k}{a}") for a, w in enumerate(accounts) for k, metric in _REQUESTS]
    totals = [
        Expression(expression=_all([f"{k}{a}" for a in range(len(accounts))]), id=f"t{k}", visible=False)
        for k, _ in _REQUESTS
    ]
    rate = expressions.success_rate("ti", ("te", "ts"), settings.alarms.account_min_invocations)
    target = settings.management.sla_success_rate_pct
    return MetricWidget(
        title=f"{region} - success rate per day vs SLA {target:g}% (all accounts)",
        region=region,
        period=DAY,
        metrics=(*reads, *totals, Expression(expression=rate, id="success", label="Success rate %")),
        annotations=(HorizontalAnnotation(label="SLA target", value=target, color=_TARGET_COLOR),),
        start=_RANGE,
    )


def _invocations() -> Expression:
    """Invocations of every linked account: the widget's one Metrics Insights query."""
    return Expression(
        expression=expressions.insights_sum(bedrock.INVOCATIONS), id="inv", label="Invocations", max_series=1
    )


def _token_ids(accounts: Sequence[WorkloadRef]) -> list[str]:
    """Every token series read per account: a prompt-cache kind under both spellings of its name."""
    return [q for a in range(len(accounts)) for t, metric in enumerate(_TOKENS) for q in _read_ids(metric, f"k{a}x{t}")]


def _trend(region: str, accounts: Sequence[WorkloadRef]) -> MetricWidget:
    reads = [
        r for a, w in enumerate(accounts) for t, metric in enumerate(_TOKENS) for r in _reads(w, metric, f"k{a}x{t}")
    ]
    return MetricWidget(
        title=f"{region} - invocations and tokens per day (all accounts)",
        region=region,
        period=DAY,
        metrics=(
            _invocations(),
            *reads,
            Expression(
                expression=_all(_token_ids(accounts)),
                id="tokens",
                label="Tokens: input + output + prompt cache (right)",
                y_axis="right",
            ),
        ),
        right_y_axis_label="tokens",
        start=_RANGE,
    )


def _full(
    region: str, workloads: Sequence[WorkloadRef], settings: OrgMonitoringSettings, pricing: Pricing
) -> list[tuple[MetricWidget, int]] | str:
    """The region's widgets reading each account, or why the region gets the compact version."""
    accounts = accounts_in_region(workloads, region)
    costs, cost_ids = _account_costs(accounts, region, pricing)
    if not cost_ids:
        return "no model has a price in `defaults.monitoring.pricing.models`."
    # Expressions naming one series per account (x 4 token kinds) must stay within CloudWatch's limit.
    texts = [_all(cost_ids), _all(_token_ids(accounts)), *(e.expression for e in costs if isinstance(e, Expression))]
    if max(len(text) for text in texts) + len(", SUM, DESC, 10") > MAX_EXPRESSION_CHARS:
        return _TOO_MANY
    budget = region_budget(workloads, region)
    return [
        (_cost_per_day(region, costs, cost_ids, budget), 16),
        (_cost_summary(region, costs, cost_ids, budget), 8),
        (_success_rate(region, accounts, settings), 12),
        (_trend(region, accounts), 12),
    ]


def _compact(region: str, reason: str) -> list[tuple[MetricWidget | TextWidget, int]]:
    by_account = expressions.insights_sum(bedrock.INPUT_TOKENS, group_by="AWS.AccountId", limit=TOP_ACCOUNTS)
    top = MetricWidget(
        title=f"{region} - top {TOP_ACCOUNTS} accounts by input tokens per day",
        region=region,
        period=DAY,
        metrics=(Expression(expression=by_account, id="top", max_series=TOP_ACCOUNTS),),
        start=_RANGE,
    )
    invocations = MetricWidget(
        title=f"{region} - invocations per day (all accounts)",
        region=region,
        period=DAY,
        metrics=(_invocations(),),
        start=_RANGE,
    )
    note = TextWidget(
        markdown=f"**{region}: {reason}** Estimated cost per account is on each account's `-cost-usage` "
        "dashboard; errors by account on this region's org dashboard and in the org error-rate alarms."
    )
    return [(top, 10), (invocations, 8), (note, 6)]


def _fits(widgets: Sequence[tuple[MetricWidget, int]], metrics: int, size: int) -> bool:
    bodies = [w for w, _ in widgets]
    return (
        sum(w.metric_count for w in bodies) <= metrics
        and max(w.metric_count for w in bodies) <= MAX_METRICS_PER_WIDGET
        and all(
            len(e.expression) <= MAX_EXPRESSION_CHARS for w in bodies for e in w.metrics if isinstance(e, Expression)
        )
        and sum(len(json.dumps(w.render(), separators=(",", ":"))) for w in bodies) <= size
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
            "Estimated cost = tokens x the org-wide price table (`defaults.monitoring.pricing`), not a bill: billed "
            "cost is in AWS Budgets and Cost Explorer. Per region, because metric math cannot combine regions: add "
            f"the regions up for the org. Last {DAYS} days. Budget pace = the monthly budgets of a region's accounts "
            f"/ {DAYS_PER_MONTH} days (an account in several regions counts in each). SLA target: "
            f"{settings.management.sla_success_rate_pct:g}% of invocations without a client or server error "
            "(`monitoring_account.settings.management.sla_success_rate_pct`).\n\n"
            + "\n".join(rows)
            + f"\n\nTotal monthly budget: USD {total:,.2f} ({', '.join(regions)})."
        )
    )


def build_management(
    regions: Sequence[str], workloads: Sequence[WorkloadRef], settings: OrgMonitoringSettings, pricing: Pricing
) -> Dashboard:
    layout = Layout()
    header = _header(regions, workloads, settings)
    layout.full(5 + min(len(workloads), 30) // 2, header)
    # Each region's share of the dashboard's metric quota and body budget (after the header and the placement
    # of its widgets).
    share = MAX_METRICS_PER_DASHBOARD // max(len(regions), 1)
    size = (DASHBOARD_BODY_BUDGET_BYTES - len(json.dumps(header.render()))) // max(len(regions), 1) - 600
    for region in regions:
        layout.full(1, TextWidget(markdown=f"### {region}"))
        full = _full(region, workloads, settings, pricing)
        if not isinstance(full, str) and _fits(full, share, size):
            layout.row(6, *full)
        else:
            layout.row(6, *_compact(region, full if isinstance(full, str) else _TOO_MANY))
    return Dashboard(name=dashboard_name(settings), widgets=layout.widgets, start=_RANGE)
