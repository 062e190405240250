"""CloudWatch expressions shared by the regional and the org dashboards and alarms (pure strings).

Metric math, SEARCH and Metrics Insights are three languages; each formula the platform uses is written
here once, so an alarm and the dashboard line that explains it cannot disagree.
"""

from __future__ import annotations

from collections.abc import Sequence

from inventory.pricing import ModelPrice
from vocabulary.bedrock import MODEL_DIMENSION, NAMESPACE

# Metrics Insights source over every per-model Bedrock series (every linked account, in a monitoring account).
SCHEMA = f'SCHEMA("{NAMESPACE}", {MODEL_DIMENSION})'


def anomaly_band(query_id: str, band_width: float) -> str:
    """The expected band of `query_id`, `band_width` standard deviations wide (anomaly-detection alarms)."""
    return f"ANOMALY_DETECTION_BAND({query_id}, {band_width:g})"


def math_number(value: float) -> str:
    """Plain decimal for metric-math expressions (metric math does not read scientific notation such as
    1e-05); shared by every dashboard that multiplies tokens by a price."""
    text = f"{value:.10f}".rstrip("0").rstrip(".")
    return text or "0"


def fill(query_id: str, *, compact: bool = False) -> str:
    """A series with its missing datapoints as 0 (a quiet period is zero, not a gap)."""
    return f"FILL({query_id},0)" if compact else f"FILL({query_id}, 0)"


def filled_sum(query_ids: Sequence[str]) -> str:
    return " + ".join(fill(q) for q in query_ids)


def error_rate(invocations: str, errors: Sequence[str], min_invocations: int, *, fill_missing: bool = True) -> str:
    """Errors as a percentage of invocations; 0 below `min_invocations` per period, where one failed call
    among a handful would read as an outage."""
    terms = " + ".join(fill(e) if fill_missing else e for e in errors)
    return f"IF({invocations} >= {min_invocations}, 100 * ({terms}) / {invocations}, 0)"


def per_minute(total: str, query_id: str) -> str:
    """`total` (over the queries' period) normalised to one minute, so thresholds do not depend on the period."""
    return f"{total} / (PERIOD({query_id}) / 60)"


def search(metric_name: str, stat: str, period: int, *, dimensions: Sequence[str] = (), where: str = "") -> str:
    """A Bedrock SEARCH. With `dimensions=(ModelId,)` one series per model (and inference profile); with none,
    only the model-less series ("Across all model IDs"): one per account. `where` narrows it further."""
    schema = ",".join((NAMESPACE, *dimensions))
    criteria = f'MetricName="{metric_name}"' + (f" {where}" if where else "")
    return f"SEARCH('{{{schema}}} {criteria}', '{stat}', {period})"


def model_search(metric_name: str, stat: str, period: int) -> str:
    # Picks up models and inference profiles that are not configured yet, without edits.
    return search(metric_name, stat, period, dimensions=(MODEL_DIMENSION,))


def any_model(model_ids: Sequence[str]) -> str:
    """SEARCH criteria matching any of `model_ids`."""
    models = " OR ".join(f'{MODEL_DIMENSION}="{m}"' for m in model_ids)
    return f"({models})" if len(model_ids) > 1 else models


def insights_sum(
    metric_name: str, *, model_ids: Sequence[str] = (), group_by: str | None = None, limit: int | None = None
) -> str:
    """A Metrics Insights sum over every per-model Bedrock series (in a monitoring account: of every linked
    account), optionally for some models only, grouped (one series per group, largest first) and limited."""
    query = f"SELECT SUM({metric_name}) FROM {SCHEMA}"
    if model_ids:
        query += " WHERE " + " OR ".join(f"{MODEL_DIMENSION} = '{m}'" for m in model_ids)
    if group_by:
        # Multi-series alarms need GROUP BY + ORDER BY (CloudWatch Metrics Insights alarms docs).
        query += f" GROUP BY {group_by} ORDER BY SUM() DESC"
    if limit is not None:
        query += f" LIMIT {limit}"
    return query


def token_cost(
    price: ModelPrice,
    input_tokens: str,
    output_tokens: str,
    *,
    cache_read: str | None = None,
    cache_write: str | None = None,
    compact: bool = False,
) -> str:
    """Estimated cost of one model's tokens in thousandths of USD (divide the total by 1000). Cache read and
    write tokens are added at their own prices where the caller passes their series and the price has one."""
    terms: list[tuple[str, float]] = [
        (input_tokens, price.input_per_1k_tokens_usd),
        (output_tokens, price.output_per_1k_tokens_usd),
    ]
    cache = ((cache_read, price.cache_read_per_1k_tokens_usd), (cache_write, price.cache_write_per_1k_tokens_usd))
    terms += [(series, unit) for series, unit in cache if series is not None and unit is not None]
    times, plus = ("*", "+") if compact else (" * ", " + ")
    return plus.join(f"{series}{times}{math_number(unit)}" for series, unit in terms)


def cache_hit_rate(cache_read: Sequence[str], cache_write: Sequence[str], input_tokens: str) -> str:
    """Share of input tokens served from the prompt cache, in percent: cache reads / (reads + writes +
    uncached input). Reads and writes are each the sum of their series (one per spelling of the metric's
    name, `vocabulary.bedrock.cache_spellings`), gaps as 0. `input_tokens` is left unfilled, so a period
    without traffic has no point (not 0 %)."""
    reads, writes = filled_sum(cache_read), filled_sum(cache_write)
    return f"100 * ({reads}) / ({reads} + {writes} + {input_tokens})"


def quota_use_pct(usage_terms: Sequence[str], period_of: str, tokens_per_minute: int) -> str:
    """Tokens-per-minute quota use in percent: the summed `usage_terms` (gaps as 0) per minute of the period,
    over the quota."""
    total = " + ".join(usage_terms)
    return f"100 * ({total}) / (PERIOD({period_of}) / 60) / {tokens_per_minute}"


def output_tokens_per_second(output: str, latency: str, time_to_first_token: str | None) -> str:
    """Output tokens per second (Bedrock user guide, "Diagnose InvocationLatency increases using output tokens
    per second (OTPS)"): output tokens over the decode time in seconds. Streaming traffic: decode time =
    InvocationLatency - TimeToFirstToken (the page's formula); without time to first token, the whole latency."""
    decode = f"({latency} - {time_to_first_token})" if time_to_first_token else latency
    return f"{output} / {decode} * 1000"


def success_rate(invocations: str, errors: Sequence[str], min_invocations: int) -> str:
    """100 minus the error rate (`error_rate`, the alarms' formula): the share of invocations that did not
    fail; 100 below `min_invocations` per period."""
    return f"100 - {error_rate(invocations, errors, min_invocations)}"


def usd(cost_terms: Sequence[str], *, compact: bool = False) -> str:
    """USD from `token_cost` terms (prices are per 1,000 tokens)."""
    return "(" + "+".join(cost_terms) + ")/1000" if compact else "(" + " + ".join(cost_terms) + ") / 1000"
