"""The cost & usage dashboard of one workload region: token volume and *estimated* cost from the price table."""

from __future__ import annotations

from components.cloudwatch import expressions
from components.cloudwatch.dashboard import Dashboard, Layout
from components.cloudwatch.widgets import Expression, LogWidget, MetricRef, MetricWidget, TextWidget
from components.monitoring import queries
from components.monitoring.context import RegionContext
from components.monitoring.dashboards.common import COST_PERIOD, header, model_metric, model_search, model_sums
from vocabulary import bedrock, names


def _price_note(ctx: RegionContext) -> str:
    lines = ["| Model | USD / 1K input | USD / 1K output |", "|---|---|---|"]
    for model in ctx.models:
        price = ctx.settings.pricing.price_for(model)
        if price is None:
            lines.append(f"| {model} | price unknown | price unknown |")
        else:
            lines.append(f"| {model} | {price.input_per_1k_tokens_usd:g} | {price.output_per_1k_tokens_usd:g} |")
    return "\n".join(lines)


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
        tokens = MetricWidget(
            title="Tokens by model (input + output, per hour)",
            region=ctx.region,
            period=COST_PERIOD,
            stacked=True,
            metrics=model_sums(ctx.models, ((bedrock.INPUT_TOKENS, "tin"), (bedrock.OUTPUT_TOKENS, "tout")), "tok"),
        )
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
        cost_metrics: list[MetricRef | Expression] = []
        for i, model, price in priced:
            cost_metrics += [
                model_metric(bedrock.INPUT_TOKENS, model, id=f"cin{i}", visible=False),
                model_metric(bedrock.OUTPUT_TOKENS, model, id=f"cout{i}", visible=False),
                Expression(
                    id=f"cost{i}",
                    expression=expressions.usd(
                        [expressions.token_cost(price, expressions.fill(f"cin{i}"), expressions.fill(f"cout{i}"))]
                    ),
                    label=f"{model} (USD)",
                ),
            ]
        cost_widgets.append(
            (
                MetricWidget(
                    title="Estimated cost by model (USD per hour)",
                    region=ctx.region,
                    period=COST_PERIOD,
                    stacked=True,
                    metrics=tuple(cost_metrics),
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
                    metrics=tuple(cost_metrics),
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
