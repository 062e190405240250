"""What every regional dashboard shares: the alarms it shows, its header, per-model metric entries."""

from __future__ import annotations

from components.cloudwatch import expressions
from components.cloudwatch.widgets import Expression, HorizontalAnnotation, MetricRef, TextWidget
from components.monitoring.context import RegionContext
from inventory.base import FrozenModel
from vocabulary import bedrock

WARNING_COLOR = "#ff7f0e"
CRITICAL_COLOR = "#d62728"
PER_MODEL_PERIOD = 60  # one-minute resolution for the on-call view
COST_PERIOD = 3600  # hourly buckets read well over days


class AlarmsShown(FrozenModel):
    """The region's alarms as the dashboards show them, derived from the alarm specs
    (`components.monitoring.specs.regional_specs`)."""

    # Every alarm of each model (metric and composite), in the order they were built.
    by_model: dict[str, tuple[str, ...]] = {}
    security: tuple[str, ...] = ()
    # Metric names the region's CloudTrail metric filters publish (empty: no filters here).
    security_metrics: tuple[str, ...] = ()


def header(ctx: RegionContext, title: str, purpose: str) -> TextWidget:
    return TextWidget(
        markdown=(
            f"## {title} - {ctx.account_name} ({ctx.account_id}), {ctx.region}, {ctx.environment}\n"
            f"{purpose} Managed by Pulumi (bedrock-observability): edits made in the console are overwritten."
        )
    )


def model_metric(metric: str, model: str, **options: object) -> MetricRef:
    return MetricRef(
        namespace=bedrock.NAMESPACE,
        metric_name=metric,
        dimensions=((bedrock.MODEL_DIMENSION, model),),
        **options,  # type: ignore[arg-type]
    )


def model_reads(metric: str, model: str, id: str, **options: object) -> tuple[list[MetricRef], tuple[str, ...]]:
    """Hidden reads of `metric` for `model` and their query ids: `id` alone, or for a prompt-cache metric one
    read per spelling of its name (`bedrock.cache_spellings`: `<id>_0`, `<id>_1`), which the caller adds up
    with gaps as 0 (`expressions.filled_sum`), so whichever spelling Bedrock publishes counts. No summing
    expression of its own: a widget of 60 caching models stays within 500 metrics."""
    spellings = bedrock.cache_spellings(metric)
    ids = (id,) if len(spellings) == 1 else tuple(f"{id}_{n}" for n in range(len(spellings)))
    refs = [model_metric(name, model, id=q, visible=False, **options) for name, q in zip(spellings, ids, strict=True)]
    return refs, ids


def model_search(metric: str, stat: str, period: int, label: str) -> Expression:
    """Every model's series, configured or not (used when no model is configured)."""
    return Expression(expression=expressions.model_search(metric, stat, period), label=label)


def tier_lines(warning: float, critical: float) -> tuple[HorizontalAnnotation, ...]:
    return (
        HorizontalAnnotation(label="warning", value=warning, color=WARNING_COLOR),
        HorizontalAnnotation(label="critical", value=critical, color=CRITICAL_COLOR),
    )


def model_sums(
    models: tuple[str, ...], series: tuple[tuple[str, str], ...], sum_id: str, start: int = 0
) -> tuple[MetricRef | Expression, ...]:
    """One line per model: the sum of its `series` ((metric, query id prefix), ...), gaps as 0; the summed
    series are hidden. Query ids number the models from `start`."""
    entries: list[MetricRef | Expression] = []
    for i, model in enumerate(models, start=start):
        ids: list[str] = []
        for metric, prefix in series:
            refs, read_ids = model_reads(metric, model, f"{prefix}{i}")
            entries += refs
            ids += read_ids
        entries.append(Expression(id=f"{sum_id}{i}", expression=expressions.filled_sum(ids), label=model))
    return tuple(entries)
