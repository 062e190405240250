"""Per-model alarms of one workload region: latency, error rate, throttles and token spikes in two tiers,
anomaly bands, and the composite that pages when a model is slow *and* failing (pure builders)."""

from __future__ import annotations

from typing import Any

from components.cloudwatch import expressions
from components.cloudwatch.alarms import (
    ComparisonOperator,
    CompositeAlarmSpec,
    MetricAlarmSpec,
    MetricQuery,
    all_of,
)
from components.monitoring import capacity, queries
from components.monitoring.alarm_common import dims, header, model_alarm_fields, top_identities, window
from components.monitoring.alarm_common import stat as _stat
from components.monitoring.context import RegionContext
from inventory.evaluation import Tier
from inventory.monitoring import TierThresholds
from vocabulary import bedrock, names


def _failure_details(ctx: RegionContext) -> str:
    """Where the error codes of failed calls are: the account trail's saved query (home region only), else
    the organisation trail."""
    if ctx.trail is None:
        return "the organisation trail's CloudTrail events (this account has no trail of its own)"
    return "the " + ctx.saved_query(queries.FAILURES_BY_CODE_TITLE, ctx.trail.home_region)


def _threshold_alarm(ctx: RegionContext, model: str, tier: Tier, t: TierThresholds, kind: str) -> dict[str, Any]:
    """Fields every per-model threshold alarm (latency, error rate, throttles, tokens) shares."""
    return {
        **model_alarm_fields(ctx, model, tier, t.evaluation, kind),
        "comparison_operator": "GreaterThanThreshold",
    }


def _latency(ctx: RegionContext, model: str, tier: Tier, t: TierThresholds, kind: str) -> MetricAlarmSpec:
    a = ctx.settings.alarms
    return MetricAlarmSpec(
        **_threshold_alarm(ctx, model, tier, t, kind),
        description=(
            header(tier, f"p95 {bedrock.LATENCY} of {model} above {t.latency_p95_ms:g} ms", ctx.where)
            + f" Condition: {window(t.evaluation)}. Meaning: the slowest 5% of calls end later than users "
            "tolerate. Check first: operations dashboard - did output tokens per call grow (longer answers "
            "take longer)? Are throttles rising (SDK retries add latency)? TimeToFirstToken for streaming; "
            "AWS Health for Bedrock in this region; consider a cross-region inference profile."
        ),
        threshold=t.latency_p95_ms,
        namespace=bedrock.NAMESPACE,
        metric_name=bedrock.LATENCY,
        dimensions=dims(model),
        period=t.evaluation.period_seconds,
        extended_statistic="p95",
        evaluate_low_sample_count_percentiles=a.evaluate_low_sample_count_percentiles,
    )


def error_rate_query_ids(include_client_errors: bool) -> tuple[str, ...]:
    """Ids of the error series the error-rate formula adds up (the alarm and the dashboard graph alike)."""
    return ("ce", "se") if include_client_errors else ("se",)


def error_rate_expression(min_invocations: int, include_client_errors: bool) -> str:
    return expressions.error_rate("inv", error_rate_query_ids(include_client_errors), min_invocations)


def _error_rate(ctx: RegionContext, model: str, tier: Tier, t: TierThresholds, kind: str) -> MetricAlarmSpec:
    a = ctx.settings.alarms
    p = t.evaluation.period_seconds
    kinds = "client+server" if a.error_rate_includes_client_errors else "server"
    series = [
        MetricQuery(id="inv", metric=_stat(bedrock.INVOCATIONS, model, "Sum", p)),
        MetricQuery(id="se", metric=_stat(bedrock.SERVER_ERRORS, model, "Sum", p)),
    ]
    if a.error_rate_includes_client_errors:
        series.append(MetricQuery(id="ce", metric=_stat(bedrock.CLIENT_ERRORS, model, "Sum", p)))
    series.append(
        MetricQuery(
            id="rate",
            expression=error_rate_expression(a.error_rate_min_invocations, a.error_rate_includes_client_errors),
            label="Error rate %",
            return_data=True,
        )
    )
    return MetricAlarmSpec(
        **_threshold_alarm(ctx, model, tier, t, kind),
        description=(
            header(tier, f"{kinds} error rate of {model} above {t.error_rate_pct:g}%", ctx.where)
            + f" Condition: {window(t.evaluation)}; periods with fewer than {a.error_rate_min_invocations} "
            "invocations count as 0%. Meaning: calls are failing. Check first: the failed-invocations widget "
            f"on the operations dashboard and {_failure_details(ctx)} - ValidationException/"
            "AccessDenied point at the caller (deploy, IAM, model access), ServiceUnavailable/InternalServer "
            "at Bedrock (AWS Health)."
        ),
        threshold=t.error_rate_pct,
        metrics=tuple(series),
    )


def _throttles(ctx: RegionContext, model: str, tier: Tier, t: TierThresholds, kind: str) -> MetricAlarmSpec:
    threshold = t.throttles_per_minute
    return _per_minute(
        ctx,
        model,
        tier,
        t,
        kind,
        inputs=(("thr", bedrock.THROTTLES),),
        threshold=threshold,
        what=f"{bedrock.THROTTLES} of {model} above {threshold:g}/min",
        hint=(
            "Meaning: requests exceed the account's RPM/TPM quota for this model. Check first: tokens per "
            f"minute vs the Service Quotas value, a new caller or retry storm ({top_identities(ctx)}), "
            "maxTokens set too high (reserves quota); then a quota increase or cross-region inference profile."
        ),
    )


def _tokens(ctx: RegionContext, model: str, tier: Tier, t: TierThresholds, kind: str) -> MetricAlarmSpec:
    threshold = t.tokens_per_minute
    return _per_minute(
        ctx,
        model,
        tier,
        t,
        kind,
        inputs=(("tin", bedrock.INPUT_TOKENS), ("tout", bedrock.OUTPUT_TOKENS)),
        threshold=threshold,
        what=f"input+output tokens of {model} above {threshold:g}/min (token spike)",
        hint=(
            "Meaning: spend and quota use are climbing fast. Check first: cost & usage dashboard and the "
            f"{top_identities(ctx)} for the caller; a loop or prompt growth is the usual cause."
        ),
    )


def _per_minute(
    ctx: RegionContext,
    model: str,
    tier: Tier,
    t: TierThresholds,
    kind: str,
    *,
    inputs: tuple[tuple[str, str], ...],
    threshold: float,
    what: str,
    hint: str,
) -> MetricAlarmSpec:
    """A sum of per-model series, normalised to one minute so the threshold does not depend on the period."""
    p = t.evaluation.period_seconds
    ids = [qid for qid, _ in inputs]
    total = expressions.filled_sum(ids)
    rate = expressions.per_minute(total if len(ids) == 1 else f"({total})", ids[0])
    return MetricAlarmSpec(
        **_threshold_alarm(ctx, model, tier, t, kind),
        description=header(tier, what, ctx.where) + f" Condition: {window(t.evaluation)}. " + hint,
        threshold=threshold,
        metrics=(
            *(MetricQuery(id=qid, metric=_stat(metric, model, "Sum", p)) for qid, metric in inputs),
            MetricQuery(id="rate", expression=rate, label=f"{kind} per minute", return_data=True),
        ),
    )


# Per kind of `names.MODEL_ANOMALY_ALARMS`: the metric and which side of its band alarms (traffic surges and
# drops; output volume surges).
_ANOMALY_ALARMS: tuple[tuple[str, str, ComparisonOperator], ...] = tuple(
    (metric, kind, operator)
    for kind, (metric, operator) in zip(
        names.MODEL_ANOMALY_ALARMS,
        (
            (bedrock.INVOCATIONS, "LessThanLowerOrGreaterThanUpperThreshold"),
            (bedrock.OUTPUT_TOKENS, "GreaterThanUpperThreshold"),
        ),
        strict=True,
    )
)


def _anomaly(ctx: RegionContext, model: str, metric: str, kind: str, operator: ComparisonOperator) -> MetricAlarmSpec:
    ad = ctx.settings.anomaly_detection
    ev = ad.evaluation
    direction = "outside" if operator == "LessThanLowerOrGreaterThanUpperThreshold" else "above"
    return MetricAlarmSpec(
        key=f"{names.model_slug(model)}-{kind}",
        name=names.model_alarm_name(ctx.account_name, ctx.region, model, kind),
        description=(
            header("warning", f"{metric} of {model} {direction} its expected band", ctx.where)
            + f" Band: {ad.band_width:g} standard deviations learned from history; condition: {window(ev)}. "
            "Meaning: traffic or output volume differs from the usual pattern for this time of day/week. "
            f"Check first: a release or new caller ({top_identities(ctx)}), client-side failures for a "
            "drop, then cost. Missing data keeps the alarm OK (a model with no traffic is not alarming)."
        ),
        tier="warning",
        notify_ok=ctx.notify_ok("warning"),
        comparison_operator=operator,
        evaluation_periods=ev.evaluation_periods,
        datapoints_to_alarm=ev.datapoints_to_alarm,
        treat_missing_data="notBreaching",
        threshold_metric_id="band",
        metrics=(
            MetricQuery(id="m1", metric=_stat(metric, model, "Sum", ev.period_seconds), return_data=True),
            MetricQuery(
                id="band",
                expression=expressions.anomaly_band("m1", ad.band_width),
                label="Expected",
                return_data=True,
            ),
        ),
        model_id=model,
    )


def _composite(ctx: RegionContext, model: str, slow: MetricAlarmSpec, errors: MetricAlarmSpec) -> CompositeAlarmSpec:
    """`slow`: the latency alarm, or the OTPS alarm of a model whose OTPS replaces its p95 latency alarms."""
    return CompositeAlarmSpec(
        key=f"{names.model_slug(model)}-{names.MODEL_COMPOSITE_ALARM}",
        name=names.model_alarm_name(ctx.account_name, ctx.region, model, names.MODEL_COMPOSITE_ALARM, "critical"),
        description=(
            header("critical", f"{model} is slow AND failing", ctx.where)
            + f" Fires when both '{slow.name}' and '{errors.name}' are in ALARM. Meaning: a real service "
            "degradation, not a noisy single signal. Check first: AWS Health for Bedrock in this region, "
            "server errors vs throttles on the operations dashboard; fail over to another region or model."
        ),
        tier="critical",
        notify_ok=True,
        rule=all_of((slow.name, errors.name)),
        children=(slow.key, errors.key),
        model_id=model,
    )


# One builder per kind of `names.MODEL_THRESHOLD_ALARMS`, each alarm in both tiers.
_THRESHOLD_ALARMS = tuple(zip(names.MODEL_THRESHOLD_ALARMS, (_latency, _error_rate, _throttles, _tokens), strict=True))


def _replaces_latency(ctx: RegionContext, model: str) -> bool:
    otps = ctx.settings.otps.models.get(model)
    return otps is not None and otps.replaces_latency_p95


def model_alarms(ctx: RegionContext, model: str) -> tuple[list[MetricAlarmSpec], list[CompositeAlarmSpec]]:
    tiers = {"warning": ctx.settings.alarms.warning, "critical": ctx.settings.alarms.critical}
    skip_latency = _replaces_latency(ctx, model)
    builders = [(kind, build) for kind, build in _THRESHOLD_ALARMS if not (build is _latency and skip_latency)]
    metric_alarms = [build(ctx, model, tier, tiers[tier], kind) for tier in names.TIERS for kind, build in builders]
    metric_alarms += capacity.quota_alarms(ctx, model) + capacity.otps_alarms(ctx, model)
    if ctx.settings.anomaly_detection.enabled:
        metric_alarms += [_anomaly(ctx, model, *row) for row in _ANOMALY_ALARMS]
    composites: list[CompositeAlarmSpec] = []
    if ctx.settings.composite.enabled:
        by_key = {spec.key: spec for spec in metric_alarms}
        m, tier = names.model_slug(model), ctx.settings.composite.children_tier
        slow = capacity.OTPS_KIND if _replaces_latency(ctx, model) else "latency-p95"
        composites.append(_composite(ctx, model, by_key[f"{m}-{slow}-{tier}"], by_key[f"{m}-error-rate-{tier}"]))
    return metric_alarms, composites


def all_model_alarms(ctx: RegionContext) -> tuple[list[MetricAlarmSpec], list[CompositeAlarmSpec]]:
    metric_alarms: list[MetricAlarmSpec] = []
    composites: list[CompositeAlarmSpec] = []
    for model in ctx.models:
        m, c = model_alarms(ctx, model)
        metric_alarms += m
        composites += c
    return metric_alarms, composites
