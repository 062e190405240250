"""Per-model capacity signals of one workload region (pure builders): tokens-per-minute quota headroom and
output tokens per second (OTPS), each an alarm in both tiers where the inventory configures it. The dashboards
draw the same formulas (`quota_usage`, `otps_inputs`), so a graph and its alarm cannot disagree."""

from __future__ import annotations

from components.cloudwatch import expressions
from components.cloudwatch.alarms import MetricAlarmSpec, MetricQuery
from components.monitoring.alarm_common import header, model_alarm_fields, stat, top_identities, window
from components.monitoring.context import RegionContext
from inventory.signals import ModelOtps, ModelQuota, UsageMetric
from vocabulary import bedrock, names

QUOTA_KIND, OTPS_KIND = names.MODEL_OPTIONAL_THRESHOLD_ALARMS
# Percentile of the OTPS inputs, as on the AWS page (a typical request's throughput).
OTPS_STAT = "p50"
# Query-id tags of a cache metric's spellings (documented name, `...TokenCount`): letters, so a numeric
# suffix cannot make two ids equal.
SPELLING_TAGS = ("", "t")

_ESTIMATE_NOTE = (
    f"Usage is {bedrock.ESTIMATED_TPM_QUOTA_USAGE}, Bedrock's estimate (cache writes and output burndown "
    "included), which AWS calls an approximation: throttling reserves input + max_tokens up front, so real "
    "pressure can be higher."
)
_COUNTS_NOTE = (
    f"Usage is {bedrock.INPUT_TOKENS} + {' + '.join(bedrock.cache_spellings(bedrock.CACHE_WRITE_INPUT_TOKENS))} + "
    f"{bedrock.OUTPUT_TOKENS} x the output burndown rate (cache writes under both spellings, whichever Bedrock "
    "publishes; tokens used, not the upfront reservation of input + max_tokens throttling decides on)."
)


def quota_usage(
    usage_metric: UsageMetric, quota: ModelQuota, tokens_per_minute: int, suffix: str = ""
) -> tuple[tuple[tuple[str, str], ...], str]:
    """((query id, metric) read with Sum, ...) and the expression of quota use in percent of
    `tokens_per_minute`. `suffix` keeps ids unique where several models share a widget."""
    if usage_metric == "estimated":
        inputs: tuple[tuple[str, str], ...] = ((f"quse{suffix}", bedrock.ESTIMATED_TPM_QUOTA_USAGE),)
        terms = [expressions.fill(f"quse{suffix}")]
    else:
        # Cache writes under both spellings (`bedrock.cache_spellings`), each filled: either one counts.
        spellings = bedrock.cache_spellings(bedrock.CACHE_WRITE_INPUT_TOKENS)
        cache_writes = tuple((f"qcw{tag}{suffix}", m) for tag, m in zip(SPELLING_TAGS, spellings, strict=True))
        inputs = ((f"qin{suffix}", bedrock.INPUT_TOKENS), *cache_writes, (f"qout{suffix}", bedrock.OUTPUT_TOKENS))
        burndown = f" * {quota.output_burndown_rate}" if quota.output_burndown_rate != 1 else ""
        terms = [expressions.fill(qid) for qid, _ in inputs]
        terms[-1] += burndown
    return inputs, expressions.quota_use_pct(terms, inputs[0][0], tokens_per_minute)


def quota_alarms(ctx: RegionContext, model: str) -> list[MetricAlarmSpec]:
    """Quota use above `quotas.<tier>.percent` of the model's quota in this region; none without a quota."""
    headroom = ctx.settings.quotas
    tpm = headroom.tokens_per_minute(model, ctx.region)
    if tpm is None:
        return []
    alarms = []
    for tier in names.TIERS:
        t = getattr(headroom, tier)
        p = t.evaluation.period_seconds
        inputs, expression = quota_usage(headroom.usage_metric, headroom.models[model], tpm)
        note = _ESTIMATE_NOTE if headroom.usage_metric == "estimated" else _COUNTS_NOTE
        alarms.append(
            MetricAlarmSpec(
                **model_alarm_fields(ctx, model, tier, t.evaluation, QUOTA_KIND),
                comparison_operator="GreaterThanThreshold",
                description=(
                    header(tier, f"{model} uses more than {t.percent:g}% of its {tpm:,} TPM quota", ctx.where)
                    + f" Condition: {window(t.evaluation)}. {note} Meaning: throttling (ThrottlingException) is "
                    f"near. Check first: the quota headroom widget on the operations dashboard, a new caller or loop "
                    f"({top_identities(ctx)}), maxTokens set far above real answers (it reserves quota); then a quota "
                    "increase in Service Quotas or a cross-region inference profile, and the new value in "
                    "stacks/org.yaml (quotas.models)."
                ),
                threshold=t.percent,
                metrics=(
                    *(MetricQuery(id=qid, metric=stat(metric, model, "Sum", p)) for qid, metric in inputs),
                    MetricQuery(id="quota", expression=expression, label="TPM quota used %", return_data=True),
                ),
            )
        )
    return alarms


def otps_inputs(otps: ModelOtps, suffix: str = "") -> tuple[tuple[tuple[str, str], ...], str]:
    """((query id, metric) read at p50, ...) and the OTPS expression for the model's traffic kind."""
    ids = {"out": f"otok{suffix}", "lat": f"olat{suffix}", "ttft": f"ottft{suffix}"}
    inputs = [(ids["out"], bedrock.OUTPUT_TOKENS), (ids["lat"], bedrock.LATENCY)]
    if otps.traffic == "streaming":
        inputs.append((ids["ttft"], bedrock.TIME_TO_FIRST_TOKEN))
    ttft = ids["ttft"] if otps.traffic == "streaming" else None
    return tuple(inputs), expressions.output_tokens_per_second(ids["out"], ids["lat"], ttft)


def otps_alarms(ctx: RegionContext, model: str) -> list[MetricAlarmSpec]:
    """Output tokens per second (p50) below `otps.models.<model>.<tier>_below`; none where not configured."""
    otps = ctx.settings.otps.models.get(model)
    if otps is None:
        return []
    ev = ctx.settings.otps.evaluation
    inputs, expression = otps_inputs(otps)
    traffic = (
        "decode time = InvocationLatency - TimeToFirstToken, which Bedrock publishes for streaming calls only: "
        "periods with only non-streaming calls have no value"
        if otps.traffic == "streaming"
        else "time = the whole InvocationLatency (time to first token included), for any kind of call"
    )
    p = ev.period_seconds
    reads = tuple(MetricQuery(id=qid, metric=stat(metric, model, OTPS_STAT, p)) for qid, metric in inputs)
    alarms = []
    for tier in names.TIERS:
        threshold = getattr(otps, f"{tier}_below")
        alarms.append(
            MetricAlarmSpec(
                **model_alarm_fields(ctx, model, tier, ev, OTPS_KIND),
                comparison_operator="LessThanThreshold",
                description=(
                    header(tier, f"{model} generates fewer than {threshold:g} output tokens/s (p50)", ctx.where)
                    + f" Condition: {window(ev)}; {traffic}. Meaning: generation itself is slower, not answers "
                    "longer (OTPS is latency normalised by output length). Check first: AWS Health for Bedrock in this "
                    "region, throttles and server errors on the operations dashboard; consider another region or a "
                    "cross-region inference profile."
                ),
                threshold=threshold,
                metrics=(
                    *reads,
                    MetricQuery(id="otps", expression=expression, label="Output tokens per second", return_data=True),
                ),
            )
        )
    return alarms
