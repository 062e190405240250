"""The cost & usage dashboard of one workload region: token volume and *estimated* cost from the price table."""

from __future__ import annotations

from components.cloudwatch import expressions
from components.cloudwatch.dashboard import Dashboard, Layout
from components.cloudwatch.widgets import Expression, LogWidget, MetricRef, MetricWidget, TextWidget
from components.monitoring import queries
from components.monitoring.context import RegionContext
from components.monitoring.dashboards.common import COST_PERIOD, header, model_reads, model_search, model_sums
from inventory.pricing import ModelPrice
from vocabulary import bedrock, names

# Per token kind: (metric, query id prefix in the cost widgets, in the token widget).
_COST_SERIES = {
    "input": (bedrock.INPUT_TOKENS, "cin", "tin"),
    "output": (bedrock.OUTPUT_TOKENS, "cout", "tout"),
    "cache_read": (bedrock.CACHE_READ_INPUT_TOKENS, "ccr", "tcr"),
    "cache_write": (bedrock.CACHE_WRITE_INPUT_TOKENS, "ccw", "tcw"),
}
_ALL_KINDS = tuple(_COST_SERIES)
_UNCACHED_KINDS = ("input", "output")


def _usd(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def _price_note(ctx: RegionContext) -> str:
    lines = [
        "| Model | USD / 1K input | USD / 1K output | USD / 1K cache read | USD / 1K cache write |",
        "|---|---|---|---|---|",
    ]
    for model in ctx.models:
        price = ctx.settings.pricing.price_for(model)
        if price is None:
            lines.append(f"| {model} | price unknown | price unknown | | |")
            continue
        cells = (
            price.input_per_1k_tokens_usd,
            price.output_per_1k_tokens_usd,
            price.cache_read_per_1k_tokens_usd,
            price.cache_write_per_1k_tokens_usd,
        )
        lines.append(f"| {model} | " + " | ".join(_usd(c) for c in cells) + " |")
    lines.append(
        "\nPrompt-cache tokens count where a model has cache prices (`-`: not priced, so a model's cache tokens "
        "are left out of its estimate)."
    )
    return "\n".join(lines)


def _cache_priced(ctx: RegionContext) -> tuple[str, ...]:
    """Models whose price includes prompt-cache prices: their cache tokens are counted, priced and rated."""
    return tuple(m for m in ctx.models if (p := ctx.settings.pricing.price_for(m)) is not None and p.prices_cache)


def _tokens(ctx: RegionContext) -> MetricWidget:
    """Tokens by model per hour: input + output, plus cache reads and writes of cache-priced models."""
    cached = _cache_priced(ctx)
    entries: list[MetricRef | Expression] = []
    for i, model in enumerate(ctx.models):
        kinds = _ALL_KINDS if model in cached else _UNCACHED_KINDS
        series = tuple((_COST_SERIES[k][0], _COST_SERIES[k][2]) for k in kinds)
        entries += model_sums((model,), series, "tok", start=i)
    return MetricWidget(
        title="Tokens by model (input + output + prompt cache, per hour)",
        region=ctx.region,
        period=COST_PERIOD,
        stacked=True,
        metrics=tuple(entries),
    )


def _cost_metrics(ctx: RegionContext, priced: list[tuple[int, str, ModelPrice]]) -> tuple[MetricRef | Expression, ...]:
    entries: list[MetricRef | Expression] = []
    for i, model, price in priced:
        series = {kind: f"{prefix}{i}" for kind, (_, prefix, _) in _COST_SERIES.items()}
        kinds = _ALL_KINDS if price.prices_cache else _UNCACHED_KINDS
        filled: dict[str, str] = {}
        for k in kinds:
            refs, ids = model_reads(_COST_SERIES[k][0], model, series[k])
            entries += refs
            filled[k] = expressions.filled_sum(ids) if len(ids) == 1 else f"({expressions.filled_sum(ids)})"
        cost = expressions.token_cost(
            price,
            filled["input"],
            filled["output"],
            cache_read=filled.get("cache_read"),
            cache_write=filled.get("cache_write"),
        )
        entries.append(Expression(id=f"cost{i}", expression=expressions.usd([cost]), label=f"{model} (USD)"))
    return tuple(entries)


def _cache_hit_rate(ctx: RegionContext) -> MetricWidget | None:
    models = _cache_priced(ctx)
    if not models:
        return None
    entries: list[MetricRef | Expression] = []
    for i, model in enumerate(models):
        reads = (
            model_reads(bedrock.CACHE_READ_INPUT_TOKENS, model, f"hr{i}"),
            model_reads(bedrock.CACHE_WRITE_INPUT_TOKENS, model, f"hw{i}"),
            model_reads(bedrock.INPUT_TOKENS, model, f"hi{i}"),
        )
        entries += [ref for refs, _ in reads for ref in refs]
        (_, read_ids), (_, write_ids), (_, (input_id,)) = reads
        hit_rate = expressions.cache_hit_rate(read_ids, write_ids, input_id)
        entries.append(Expression(id=f"hit{i}", expression=hit_rate, label=model))
    return MetricWidget(
        title="Prompt cache hit rate by model (% of input tokens read from the cache, per hour)",
        region=ctx.region,
        period=COST_PERIOD,
        metrics=tuple(entries),
        y_axis_min=0,
    )


def cost_dashboard(ctx: RegionContext) -> Dashboard:
    layout = Layout()
    intro = header(
        ctx,
        "Bedrock cost & usage",
        "For the cost owner and managers: token volume and *estimated* on-demand cost from the configured "
        "price table (billed cost is in AWS Budgets / Cost Explorer; batch, provisioned throughput and "
        "discounts are not reflected).",
    )
    header_height = 2 if not ctx.models else 3 + min(len(ctx.models), 30)
    layout.full(header_height, TextWidget(markdown=intro.markdown + "\n\n" + _price_note(ctx)))
    if ctx.models:
        tokens = _tokens(ctx)
    else:
        tokens = MetricWidget(
            title="Output tokens by model (all models, per hour)",
            region=ctx.region,
            period=COST_PERIOD,
            stacked=True,
            metrics=(model_search(bedrock.OUTPUT_TOKENS, "Sum", COST_PERIOD, ""),),
        )
    priced = [(i, m, p) for i, m in enumerate(ctx.models) if (p := ctx.settings.pricing.price_for(m)) is not None]
    cost_widgets: list[tuple[MetricWidget | TextWidget, int]] = []
    if priced:
        cost_metrics = _cost_metrics(ctx, priced)
        cost_widgets.append(
            (
                MetricWidget(
                    title="Estimated cost by model (USD per hour)",
                    region=ctx.region,
                    period=COST_PERIOD,
                    stacked=True,
                    metrics=cost_metrics,
                    y_axis_label="USD",
                ),
                12,
            )
        )
        layout.row(6, (tokens, 12), *cost_widgets)
        layout.row(
            6,
            (
                MetricWidget(
                    title="Estimated cost over the selected time range (USD)",
                    region=ctx.region,
                    period=COST_PERIOD,
                    view="singleValue",
                    set_period_to_time_range=True,
                    metrics=cost_metrics,
                ),
                12,
            ),
            (_top_identities(ctx), 12),
        )
    else:
        layout.row(
            6,
            (tokens, 12),
            (
                TextWidget(
                    markdown="### Estimated cost\nNo model in this region has a price in `monitoring.pricing.models`; "
                    "add prices to see estimated cost."
                ),
                12,
            ),
        )
        layout.full(6, _top_identities(ctx))
    cache_hits = _cache_hit_rate(ctx)
    if cache_hits is not None:
        layout.full(6, cache_hits)
    layout.full(
        6,
        LogWidget(
            title="Usage summary by model (invocation log)",
            region=ctx.region,
            log_group_names=(ctx.invocation_log_group_name,),
            query=queries.usage_summary_by_model(),
        ),
    )
    return Dashboard(
        name=names.dashboard_name(ctx.account_name, ctx.region, "cost-usage"), widgets=layout.widgets, start="-P7D"
    )


def _top_identities(ctx: RegionContext) -> LogWidget:
    return LogWidget(
        title=f"Top {ctx.settings.dashboards.top_identities} identities by tokens (invocation log)",
        region=ctx.region,
        log_group_names=(ctx.invocation_log_group_name,),
        query=queries.top_identities_by_tokens(ctx.settings.dashboards.top_identities),
    )
