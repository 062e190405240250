"""The operations dashboard(s) of one workload region: for the on-call, per-model traffic, latency, errors
and throttles with the alarm thresholds drawn in; more models than fit continue on further pages."""

from __future__ import annotations

from components.cloudwatch.dashboard import Dashboard, Layout, chunks
from components.cloudwatch.widgets import AlarmStatusWidget, Expression, LogWidget, MetricRef, MetricWidget, TextWidget
from components.monitoring import capacity, queries
from components.monitoring.context import RegionContext
from components.monitoring.dashboards.common import (
    PER_MODEL_PERIOD,
    AlarmsShown,
    header,
    model_metric,
    model_search,
    model_sums,
    tier_lines,
)
from components.monitoring.model_alarms import error_rate_expression
from inventory.signals import UsageMetric
from vocabulary import bedrock, names
from vocabulary.limits import MAX_ALARMS_PER_ALARM_WIDGET

# Per model, one widget each: plain counters (title -> ((metric, line label), ...)).
_COUNTERS: dict[str, tuple[tuple[str, str], ...]] = {
    "invocations": ((bedrock.INVOCATIONS, "Invocations"),),
    "tokens": ((bedrock.INPUT_TOKENS, "Input tokens"), (bedrock.OUTPUT_TOKENS, "Output tokens")),
    "errors and throttles": (
        (bedrock.CLIENT_ERRORS, "Client errors (4xx)"),
        (bedrock.SERVER_ERRORS, "Server errors (5xx)"),
        (bedrock.THROTTLES, "Throttles"),
    ),
}


def _counter(ctx: RegionContext, model: str, title: str) -> MetricWidget:
    return MetricWidget(
        title=f"{model} - {title}",
        region=ctx.region,
        period=PER_MODEL_PERIOD,
        metrics=tuple(model_metric(metric, model, label=label) for metric, label in _COUNTERS[title]),
    )


def _model_widgets(ctx: RegionContext, model: str) -> list[list[tuple[MetricWidget, int]]]:
    a = ctx.settings.alarms
    r, p = ctx.region, PER_MODEL_PERIOD
    invocations, tokens, errors = (_counter(ctx, model, title) for title in _COUNTERS)
    latency = MetricWidget(
        title=f"{model} - latency (ms)",
        region=r,
        period=p,
        stat="p95",
        metrics=tuple(model_metric(bedrock.LATENCY, model, stat=s, label=s) for s in ("p50", "p95", "p99")),
        annotations=tier_lines(a.warning.latency_p95_ms, a.critical.latency_p95_ms),
        y_axis_min=0,
    )
    error_rate = MetricWidget(
        title=f"{model} - error rate %",
        region=r,
        period=p,
        metrics=(
            model_metric(bedrock.INVOCATIONS, model, id="inv", visible=False),
            model_metric(bedrock.CLIENT_ERRORS, model, id="ce", visible=False),
            model_metric(bedrock.SERVER_ERRORS, model, id="se", visible=False),
            Expression(
                id="rate",
                expression=error_rate_expression(a.error_rate_min_invocations, a.error_rate_includes_client_errors),
                label="Error rate %",
            ),
        ),
        annotations=tier_lines(a.warning.error_rate_pct, a.critical.error_rate_pct),
        y_axis_min=0,
    )
    first_row: list[tuple[MetricWidget, int]]
    if ctx.settings.dashboards.include_time_to_first_token:
        ttft = MetricWidget(
            title=f"{model} - time to first token (ms, streaming only)",
            region=r,
            period=p,
            stat="p95",
            metrics=tuple(model_metric(bedrock.TIME_TO_FIRST_TOKEN, model, stat=s, label=s) for s in ("p50", "p95")),
            y_axis_min=0,
        )
        first_row = [(invocations, 8), (latency, 8), (ttft, 8)]
    else:
        first_row = [(invocations, 12), (latency, 12)]
    rows = [first_row, [(tokens, 8), (errors, 8), (error_rate, 8)]]
    capacity_row = [w for w in (_quota_headroom(ctx, model), _otps(ctx, model)) if w is not None]
    if capacity_row:
        rows.append([(widget, 24 // len(capacity_row)) for widget in capacity_row])
    return rows


def _quota_entries(
    ctx: RegionContext, model: str, tpm: int, suffix: str, label: str, usage: UsageMetric | None = None
) -> list[MetricRef | Expression]:
    """A quota alarm's formula (hidden inputs + the percentage line) for one model with a quota here; `usage`
    another usage metric than the alarms' (for comparison)."""
    headroom = ctx.settings.quotas
    inputs, expression = capacity.quota_usage(usage or headroom.usage_metric, headroom.models[model], tpm, suffix)
    return [
        *(model_metric(metric, model, id=qid, stat="Sum", visible=False) for qid, metric in inputs),
        Expression(id=f"quota{suffix}", expression=expression, label=label),
    ]


def _quota_headroom(ctx: RegionContext, model: str) -> MetricWidget | None:
    """Tokens-per-minute quota used in percent, as the quota alarms compute it, with their thresholds. With
    `usage_metric: estimated`, the token counts' figure is drawn beside Bedrock's estimate for comparison."""
    headroom = ctx.settings.quotas
    tpm = headroom.tokens_per_minute(model, ctx.region)
    if tpm is None:
        return None
    entries = _quota_entries(ctx, model, tpm, "", f"quota use % ({headroom.usage_metric}, alarmed)")
    if headroom.usage_metric == "estimated":
        entries += _quota_entries(ctx, model, tpm, "c", "quota use % (token counts)", "token_counts")
    return MetricWidget(
        title=f"{model} - TPM quota used % (quota {tpm:,} tokens/min)",
        region=ctx.region,
        period=headroom.critical.evaluation.period_seconds,
        metrics=tuple(entries),
        annotations=tier_lines(headroom.warning.percent, headroom.critical.percent),
        y_axis_min=0,
    )


def _otps(ctx: RegionContext, model: str) -> MetricWidget | None:
    """Output tokens per second (p50), the OTPS alarms' formula, with their thresholds."""
    otps = ctx.settings.otps.models.get(model)
    if otps is None:
        return None
    inputs, expression = capacity.otps_inputs(otps)
    traffic = "streaming calls" if otps.traffic == "streaming" else "all calls"
    return MetricWidget(
        title=f"{model} - output tokens per second (p50, {traffic})",
        region=ctx.region,
        period=ctx.settings.otps.evaluation.period_seconds,
        metrics=(
            *(model_metric(metric, model, id=qid, stat=capacity.OTPS_STAT, visible=False) for qid, metric in inputs),
            Expression(id="otps", expression=expression, label="output tokens / s"),
        ),
        annotations=tier_lines(otps.warning_below, otps.critical_below),
        y_axis_min=0,
    )


def _quota_overview(ctx: RegionContext) -> MetricWidget | None:
    """Every model with a quota in this region, in percent of its own quota (one line each)."""
    headroom = ctx.settings.quotas
    quotas = [(m, tpm) for m in ctx.models if (tpm := headroom.tokens_per_minute(m, ctx.region)) is not None]
    if not quotas:
        return None
    entries = [e for i, (m, tpm) in enumerate(quotas) for e in _quota_entries(ctx, m, tpm, str(i), m)]
    return MetricWidget(
        title="TPM quota used by model (% of each model's quota)",
        region=ctx.region,
        period=headroom.critical.evaluation.period_seconds,
        metrics=tuple(entries),
        annotations=tier_lines(headroom.warning.percent, headroom.critical.percent),
        y_axis_min=0,
    )


def operations_dashboards(ctx: RegionContext, alarms: AlarmsShown) -> list[Dashboard]:
    """Page 1: overview of all models + the first models' sections; further pages hold the next models."""
    per_page = ctx.settings.dashboards.models_per_operations_dashboard
    pages = [ctx.models[i : i + per_page] for i in range(0, len(ctx.models), per_page)] or [()]
    return [_operations_page(ctx, alarms, page, number) for number, page in enumerate(pages, start=1)]


def _operations_page(ctx: RegionContext, alarms: AlarmsShown, models: tuple[str, ...], number: int) -> Dashboard:
    layout = Layout()
    layout.full(
        2,
        header(
            ctx,
            "Bedrock operations" + (f" (page {number})" if number > 1 else ""),
            "For the on-call: per-model traffic, latency, errors and throttles; alarm thresholds are drawn "
            "as warning/critical lines.",
        ),
    )
    if number == 1:
        layout.row(6, *_overview(ctx))
        quota = _quota_overview(ctx)
        if quota is not None:
            layout.full(6, quota)
    page_alarms = tuple(arn for model in models for arn in alarms.by_model.get(model, ()))
    for index, group in enumerate(chunks(page_alarms, MAX_ALARMS_PER_ALARM_WIDGET)):
        layout.full(4, AlarmStatusWidget(title=f"Model alarms ({index + 1})", alarm_arns=group))
    if number == 1:
        layout.full(6, _failures_widget(ctx))
    for model in models:
        layout.full(1, TextWidget(markdown=f"### {model}"))
        for row in _model_widgets(ctx, model):
            layout.row(6, *row)
    suffix = "operations" if number == 1 else f"operations-{number}"
    return Dashboard(
        name=names.dashboard_name(ctx.account_name, ctx.region, suffix),
        widgets=layout.widgets,
        start=ctx.settings.dashboards.default_range,
    )


def _failures_widget(ctx: RegionContext) -> LogWidget | MetricWidget:
    """Failed invocations of this region. The invocation log has no error field, so: the account's CloudTrail
    (runtime calls are management events with errorCode/errorMessage) when it has its own trail, wherever
    its log group is; otherwise the client + server error metrics per model."""
    if ctx.trail:
        where = "" if ctx.trail.home_region == ctx.region else f", trail log group in {ctx.trail.home_region}"
        return LogWidget(
            title=f"Recent failed invocations in {ctx.region} (CloudTrail{where})",
            region=ctx.trail.home_region,
            log_group_names=(ctx.trail.log_group_name,),
            query=queries.trail_failed_invocations(ctx.region, ctx.settings.dashboards.recent_failures),
        )
    title = "Failed invocations by model (client + server errors; no account trail: details in CloudTrail)"
    metrics: tuple[MetricRef | Expression, ...]
    if ctx.models:
        metrics = model_sums(ctx.models, ((bedrock.CLIENT_ERRORS, "fce"), (bedrock.SERVER_ERRORS, "fse")), "fail")
    else:
        metrics = (
            model_search(bedrock.CLIENT_ERRORS, "Sum", PER_MODEL_PERIOD, "client errors"),
            model_search(bedrock.SERVER_ERRORS, "Sum", PER_MODEL_PERIOD, "server errors"),
        )
    return MetricWidget(title=title, region=ctx.region, period=PER_MODEL_PERIOD, stacked=True, metrics=metrics)


def _overview(ctx: RegionContext) -> tuple[tuple[MetricWidget, int], tuple[MetricWidget, int]]:
    if ctx.models:
        comparison = MetricWidget(
            title="p95 latency by model (ms)",
            region=ctx.region,
            stat="p95",
            metrics=tuple(model_metric(bedrock.LATENCY, m, label=m) for m in ctx.models),
        )
        volume = MetricWidget(
            title="Invocations by model",
            region=ctx.region,
            metrics=tuple(model_metric(bedrock.INVOCATIONS, m, label=m) for m in ctx.models),
        )
    else:
        comparison = MetricWidget(
            title="p95 latency by model (ms, all models)",
            region=ctx.region,
            stat="p95",
            metrics=(model_search(bedrock.LATENCY, "p95", 300, ""),),
        )
        volume = MetricWidget(
            title="Invocations by model (all models)",
            region=ctx.region,
            metrics=(model_search(bedrock.INVOCATIONS, "Sum", 300, ""),),
        )
    return (comparison, 12), (volume, 12)
