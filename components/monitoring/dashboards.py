"""Builders for the three regional dashboards (operations, cost & usage, security) from typed models."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from components.monitoring import queries
from components.monitoring.alarms import error_rate_expression
from components.monitoring.dashboard_model import (
    AlarmStatusWidget,
    Dashboard,
    Expression,
    HorizontalAnnotation,
    Layout,
    LogWidget,
    MetricRef,
    MetricWidget,
    TextWidget,
    chunks,
    math_number,
)
from components.monitoring.queries import TrailLocation
from inventory.monitoring import MonitoringSettings
from vocabulary import bedrock, names
from vocabulary.limits import (
    MAX_ALARMS_PER_ALARM_WIDGET,
)

_WARNING_COLOR = "#ff7f0e"
_CRITICAL_COLOR = "#d62728"
_PER_MODEL_PERIOD = 60  # one-minute resolution for the on-call view
_COST_PERIOD = 3600  # hourly buckets read well over days


class DashboardContext(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    account_id: str
    account_name: str
    environment: str
    region: str
    models: tuple[str, ...]
    settings: MonitoringSettings
    invocation_log_group_name: str
    # The account's own trail, seen from any region: the "recent failed invocations" widget queries its log
    # group in the home region (a log widget names its region), filtered on awsRegion = this region; the
    # security widgets read it only where it lives. None: no account trail (an organisation trail covers
    # the account), so failures come from the error metrics.
    trail: TrailLocation | None = None
    # Every alarm of each model (metric and composite), as built by the alarm builders.
    model_alarm_arns: dict[str, tuple[str, ...]] = {}
    security_alarm_arns: tuple[str, ...] = ()
    security_metric_namespace: str | None = None
    security_metric_names: tuple[str, ...] = ()

    @property
    def prefix(self) -> str:
        return names.prefix(self.account_name, self.region)

    @property
    def trail_log_group_name(self) -> str | None:
        """The trail's log group when it lives in this region (security widgets)."""
        return self.trail.log_group_in(self.region) if self.trail else None

    def header(self, title: str, purpose: str) -> TextWidget:
        return TextWidget(
            markdown=(
                f"## {title} - {self.account_name} ({self.account_id}), {self.region}, {self.environment}\n"
                f"{purpose} Managed by Pulumi (bedrock-observability): edits made in the console are overwritten."
            )
        )


def _model_metric(metric: str, model: str, **options: object) -> MetricRef:
    return MetricRef(
        namespace=bedrock.NAMESPACE,
        metric_name=metric,
        dimensions=((bedrock.MODEL_DIMENSION, model),),
        **options,  # type: ignore[arg-type]
    )


def _search(metric: str, stat: str, period: int, label: str) -> Expression:
    # Picks up models and inference profiles that are not configured yet, without edits.
    return Expression(
        expression=(
            f"SEARCH('{{{bedrock.NAMESPACE},{bedrock.MODEL_DIMENSION}}} MetricName=\"{metric}\"', '{stat}', {period})"
        ),
        label=label,
    )


def _tier_lines(warning: float, critical: float) -> tuple[HorizontalAnnotation, ...]:
    return (
        HorizontalAnnotation(label="warning", value=warning, color=_WARNING_COLOR),
        HorizontalAnnotation(label="critical", value=critical, color=_CRITICAL_COLOR),
    )


# --- operations ---------------------------------------------------------------------------------------
def _model_widgets(ctx: DashboardContext, model: str) -> list[list[tuple[MetricWidget, int]]]:
    a = ctx.settings.alarms
    r, p = ctx.region, _PER_MODEL_PERIOD
    invocations = MetricWidget(
        title=f"{model} - invocations",
        region=r,
        period=p,
        metrics=(_model_metric(bedrock.INVOCATIONS, model, label="Invocations"),),
    )
    latency = MetricWidget(
        title=f"{model} - latency (ms)",
        region=r,
        period=p,
        stat="p95",
        metrics=tuple(_model_metric(bedrock.LATENCY, model, stat=s, label=s) for s in ("p50", "p95", "p99")),
        annotations=_tier_lines(a.warning.latency_p95_ms, a.critical.latency_p95_ms),
        y_axis_min=0,
    )
    tokens = MetricWidget(
        title=f"{model} - tokens",
        region=r,
        period=p,
        metrics=(
            _model_metric(bedrock.INPUT_TOKENS, model, label="Input tokens"),
            _model_metric(bedrock.OUTPUT_TOKENS, model, label="Output tokens"),
        ),
    )
    errors = MetricWidget(
        title=f"{model} - errors and throttles",
        region=r,
        period=p,
        metrics=(
            _model_metric(bedrock.CLIENT_ERRORS, model, label="Client errors (4xx)"),
            _model_metric(bedrock.SERVER_ERRORS, model, label="Server errors (5xx)"),
            _model_metric(bedrock.THROTTLES, model, label="Throttles"),
        ),
    )
    error_rate = MetricWidget(
        title=f"{model} - error rate %",
        region=r,
        period=p,
        metrics=(
            _model_metric(bedrock.INVOCATIONS, model, id="inv", visible=False),
            _model_metric(bedrock.CLIENT_ERRORS, model, id="ce", visible=False),
            _model_metric(bedrock.SERVER_ERRORS, model, id="se", visible=False),
            Expression(
                id="rate",
                expression=error_rate_expression(a.error_rate_min_invocations, a.error_rate_includes_client_errors),
                label="Error rate %",
            ),
        ),
        annotations=_tier_lines(a.warning.error_rate_pct, a.critical.error_rate_pct),
        y_axis_min=0,
    )
    first_row: list[tuple[MetricWidget, int]]
    if ctx.settings.dashboards.include_time_to_first_token:
        ttft = MetricWidget(
            title=f"{model} - time to first token (ms, streaming only)",
            region=r,
            period=p,
            stat="p95",
            metrics=tuple(_model_metric(bedrock.TIME_TO_FIRST_TOKEN, model, stat=s, label=s) for s in ("p50", "p95")),
            y_axis_min=0,
        )
        first_row = [(invocations, 8), (latency, 8), (ttft, 8)]
    else:
        first_row = [(invocations, 12), (latency, 12)]
    return [first_row, [(tokens, 8), (errors, 8), (error_rate, 8)]]


def operations_dashboards(ctx: DashboardContext) -> list[Dashboard]:
    """Page 1: overview of all models + the first models' sections; further pages hold the next models."""
    per_page = ctx.settings.dashboards.models_per_operations_dashboard
    pages = [ctx.models[i : i + per_page] for i in range(0, len(ctx.models), per_page)] or [()]
    return [_operations_page(ctx, page, number) for number, page in enumerate(pages, start=1)]


def _operations_page(ctx: DashboardContext, models: tuple[str, ...], number: int) -> Dashboard:
    layout = Layout()
    layout.full(
        2,
        ctx.header(
            "Bedrock operations" + (f" (page {number})" if number > 1 else ""),
            "For the on-call: per-model traffic, latency, errors and throttles; alarm thresholds are drawn "
            "as warning/critical lines.",
        ),
    )
    if number == 1:
        layout.row(6, *_overview(ctx))
    page_alarms = tuple(arn for model in models for arn in ctx.model_alarm_arns.get(model, ()))
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


def _failures_widget(ctx: DashboardContext) -> LogWidget | MetricWidget:
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
        metrics = tuple(
            entry
            for i, m in enumerate(ctx.models)
            for entry in (
                _model_metric(bedrock.CLIENT_ERRORS, m, id=f"fce{i}", visible=False),
                _model_metric(bedrock.SERVER_ERRORS, m, id=f"fse{i}", visible=False),
                Expression(id=f"fail{i}", expression=f"FILL(fce{i}, 0) + FILL(fse{i}, 0)", label=m),
            )
        )
    else:
        metrics = (
            _search(bedrock.CLIENT_ERRORS, "Sum", _PER_MODEL_PERIOD, "client errors"),
            _search(bedrock.SERVER_ERRORS, "Sum", _PER_MODEL_PERIOD, "server errors"),
        )
    return MetricWidget(title=title, region=ctx.region, period=_PER_MODEL_PERIOD, stacked=True, metrics=metrics)


def _overview(ctx: DashboardContext) -> tuple[tuple[MetricWidget, int], tuple[MetricWidget, int]]:
    if ctx.models:
        comparison = MetricWidget(
            title="p95 latency by model (ms)",
            region=ctx.region,
            stat="p95",
            metrics=tuple(_model_metric(bedrock.LATENCY, m, label=m) for m in ctx.models),
        )
        volume = MetricWidget(
            title="Invocations by model",
            region=ctx.region,
            metrics=tuple(_model_metric(bedrock.INVOCATIONS, m, label=m) for m in ctx.models),
        )
    else:
        comparison = MetricWidget(
            title="p95 latency by model (ms, all models)",
            region=ctx.region,
            stat="p95",
            metrics=(_search(bedrock.LATENCY, "p95", 300, ""),),
        )
        volume = MetricWidget(
            title="Invocations by model (all models)",
            region=ctx.region,
            metrics=(_search(bedrock.INVOCATIONS, "Sum", 300, ""),),
        )
    return (comparison, 12), (volume, 12)


# --- cost & usage -------------------------------------------------------------------------------------
def _price_note(ctx: DashboardContext) -> str:
    lines = ["| Model | USD / 1K input | USD / 1K output |", "|---|---|---|"]
    for model in ctx.models:
        price = ctx.settings.pricing.price_for(model)
        if price is None:
            lines.append(f"| {model} | price unknown | price unknown |")
        else:
            lines.append(f"| {model} | {price.input_per_1k_tokens_usd:g} | {price.output_per_1k_tokens_usd:g} |")
    return "\n".join(lines)


def cost_dashboard(ctx: DashboardContext) -> Dashboard:
    layout = Layout()
    header = ctx.header(
        "Bedrock cost & usage",
        "For the cost owner and managers: token volume and *estimated* on-demand cost from the configured "
        "price table (billed cost is in AWS Budgets / Cost Explorer; batch, provisioned throughput and "
        "discounts are not reflected).",
    )
    header_height = 2 if not ctx.models else 3 + min(len(ctx.models), 30)
    layout.full(header_height, TextWidget(markdown=header.markdown + "\n\n" + _price_note(ctx)))
    if ctx.models:
        tokens = MetricWidget(
            title="Tokens by model (input + output, per hour)",
            region=ctx.region,
            period=_COST_PERIOD,
            stacked=True,
            metrics=tuple(
                entry
                for i, m in enumerate(ctx.models)
                for entry in (
                    _model_metric(bedrock.INPUT_TOKENS, m, id=f"tin{i}", visible=False),
                    _model_metric(bedrock.OUTPUT_TOKENS, m, id=f"tout{i}", visible=False),
                    Expression(id=f"tok{i}", expression=f"FILL(tin{i}, 0) + FILL(tout{i}, 0)", label=m),
                )
            ),
        )
    else:
        tokens = MetricWidget(
            title="Output tokens by model (all models, per hour)",
            region=ctx.region,
            period=_COST_PERIOD,
            stacked=True,
            metrics=(_search(bedrock.OUTPUT_TOKENS, "Sum", _COST_PERIOD, ""),),
        )
    priced = [(i, m, p) for i, m in enumerate(ctx.models) if (p := ctx.settings.pricing.price_for(m)) is not None]
    cost_widgets: list[tuple[MetricWidget | TextWidget, int]] = []
    if priced:
        cost_metrics: list[MetricRef | Expression] = []
        for i, model, price in priced:
            cost_metrics += [
                _model_metric(bedrock.INPUT_TOKENS, model, id=f"cin{i}", visible=False),
                _model_metric(bedrock.OUTPUT_TOKENS, model, id=f"cout{i}", visible=False),
                Expression(
                    id=f"cost{i}",
                    expression=(
                        f"(FILL(cin{i}, 0) * {math_number(price.input_per_1k_tokens_usd)} + "
                        f"FILL(cout{i}, 0) * {math_number(price.output_per_1k_tokens_usd)}) / 1000"
                    ),
                    label=f"{model} (USD)",
                ),
            ]
        cost_widgets.append(
            (
                MetricWidget(
                    title="Estimated cost by model (USD per hour)",
                    region=ctx.region,
                    period=_COST_PERIOD,
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
                    period=_COST_PERIOD,
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


def _top_identities(ctx: DashboardContext) -> LogWidget:
    return LogWidget(
        title=f"Top {ctx.settings.dashboards.top_identities} identities by tokens (invocation log)",
        region=ctx.region,
        log_group_names=(ctx.invocation_log_group_name,),
        query=queries.top_identities_by_tokens(ctx.settings.dashboards.top_identities),
    )


# --- security -----------------------------------------------------------------------------------------
def security_dashboard(ctx: DashboardContext) -> Dashboard:
    layout = Layout()
    trail = ctx.trail_log_group_name
    note = (
        f"CloudTrail log group: `{trail}`."
        if trail
        else "No CloudTrail log group in this region (the trail lives in the account's home region or an "
        "organization trail covers the account): CloudTrail tables are on that region's security dashboard."
    )
    layout.full(
        2,
        ctx.header(
            "Bedrock security",
            "For the security reviewer: denied Bedrock calls, changes to invocation logging, guardrails and "
            "model access, and whether invocation logs are being delivered. " + note,
        ),
    )
    if trail:
        layout.row(
            6,
            (_trail_widget(ctx, trail, "Access denied on Bedrock APIs", queries.trail_access_denied()), 12),
            (_trail_widget(ctx, trail, "Invocation logging changes", queries.trail_logging_changes()), 12),
        )
        layout.full(
            6,
            _trail_widget(
                ctx, trail, "Guardrail and model access changes", queries.trail_guardrail_and_access_changes()
            ),
        )
        if ctx.security_metric_namespace and ctx.security_metric_names:
            layout.full(
                6,
                MetricWidget(
                    title="Security events (CloudTrail metric filters)",
                    region=ctx.region,
                    metrics=tuple(
                        MetricRef(namespace=ctx.security_metric_namespace, metric_name=name, label=name)
                        for name in ctx.security_metric_names
                    ),
                ),
            )
    delivery = MetricWidget(
        title="Invocation log delivery (success / failure)",
        region=ctx.region,
        metrics=tuple(
            MetricRef(namespace=bedrock.NAMESPACE, metric_name=name, label=name)
            for name in bedrock.LOG_DELIVERY_METRICS
        ),
    )
    client_errors = MetricWidget(
        title="Client errors by model (includes AccessDenied)",
        region=ctx.region,
        metrics=(
            tuple(_model_metric(bedrock.CLIENT_ERRORS, m, label=m) for m in ctx.models)
            if ctx.models
            else (_search(bedrock.CLIENT_ERRORS, "Sum", 300, ""),)
        ),
    )
    layout.row(6, (delivery, 12), (client_errors, 12))
    for index, group in enumerate(chunks(ctx.security_alarm_arns, MAX_ALARMS_PER_ALARM_WIDGET)):
        layout.full(3, AlarmStatusWidget(title=f"Security alarms ({index + 1})", alarm_arns=group))
    return Dashboard(
        name=names.dashboard_name(ctx.account_name, ctx.region, "security"), widgets=layout.widgets, start="-P1D"
    )


def _trail_widget(ctx: DashboardContext, trail: str, title: str, query: str) -> LogWidget:
    return LogWidget(title=title, region=ctx.region, log_group_names=(trail,), query=query)


def build_dashboards(ctx: DashboardContext) -> tuple[Dashboard, ...]:
    dashboards = (*operations_dashboards(ctx), cost_dashboard(ctx), security_dashboard(ctx))
    for dashboard in dashboards:
        dashboard.check_limits()
    return dashboards
