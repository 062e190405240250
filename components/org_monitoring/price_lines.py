"""Estimated cost of all accounts of a region, one widget per price line (pure builders, no Pulumi).

A price line is one priced model (with the inference profiles priced as it) and one kind of token. Summing a
kind over every linked account takes a Metrics Insights query (`SELECT SUM(...) ... WHERE ModelId = ...`), and a
widget may hold only one (GetMetricData runs one per request, `vocabulary.limits.MAX_INSIGHTS_QUERIES_PER_WIDGET`),
so each line is its own widget: the tokens of the line and their estimated USD (tokens x the line's price), over
the dashboard's time range. A model's cost, or the region's, is the sum of its cells; no single widget can add
them up for every org size: SEARCH or per-account metrics return one series per account and model, which at 200
accounts x 10 priced models is thousands of series against 500 per widget and 2,500 per dashboard. Where the
per-account reads fit, the management dashboard shows the totals per day.
"""

from __future__ import annotations

from collections.abc import Sequence

from components.cloudwatch import expressions
from components.cloudwatch.widgets import Expression, MetricWidget
from components.org_monitoring.pricing import PricedModel
from inventory.pricing import ModelPrice
from vocabulary import bedrock

# (label, metric, the `ModelPrice` field pricing it); a cache kind is a line only where the model's price has it.
_KINDS = (
    ("input", bedrock.INPUT_TOKENS, "input_per_1k_tokens_usd"),
    ("output", bedrock.OUTPUT_TOKENS, "output_per_1k_tokens_usd"),
    ("cache read", bedrock.CACHE_READ_INPUT_TOKENS, "cache_read_per_1k_tokens_usd"),
    ("cache write", bedrock.CACHE_WRITE_INPUT_TOKENS, "cache_write_per_1k_tokens_usd"),
)
# A prompt-cache kind is read under both spellings of its metric (`bedrock.cache_spellings`); a Metrics
# Insights query names one metric and a widget holds one query, so each spelling is its own cell (the one
# Bedrock does not publish stays empty) and the kind's tokens are the sum of its cells.
_CELLS = tuple(
    (label if n == 0 else f"{label} ({name})", name, field)
    for label, metric, field in _KINDS
    for n, name in enumerate(bedrock.cache_spellings(metric))
)
# Cells per row: one row per model, a column per cell, so the kinds line up like the price table.
CELL_WIDTH = 24 // len(_CELLS)
CELL_HEIGHT = 3


def _lines(price: ModelPrice) -> list[tuple[str, str, float]]:
    return [(label, metric, unit) for label, metric, field in _CELLS if (unit := getattr(price, field)) is not None]


def price_line_widget(region: str, model: PricedModel, label: str, metric: str, unit_price: float) -> MetricWidget:
    """Tokens of one kind of one priced model, all accounts of `region`, and their estimated USD, each one value
    over the selected time range."""
    query = expressions.insights_sum(metric, model_ids=model.model_ids)
    usd = expressions.usd([f"t * {expressions.math_number(unit_price)}"])
    return MetricWidget(
        title=f"{model.key} - {label}",
        region=region,
        view="singleValue",
        set_period_to_time_range=True,
        metrics=(
            Expression(expression=query, id="t", label=f"{label} tokens", max_series=1),
            Expression(expression=usd, id="usd", label=f"{label}: estimated USD"),
        ),
    )


def price_line_rows(region: str, priced: Sequence[PricedModel]) -> list[list[tuple[MetricWidget, int]]]:
    """One row per priced model: a cell per priced token kind."""
    return [[(price_line_widget(region, model, *line), CELL_WIDTH) for line in _lines(model.price)] for model in priced]
