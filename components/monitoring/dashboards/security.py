"""The security dashboard of one workload region: denied calls, logging/guardrail/model-access changes (from
the account's CloudTrail, where its log group is) and invocation-log delivery health."""

from __future__ import annotations

from components.cloudwatch import expressions
from components.cloudwatch.dashboard import Dashboard, Layout, chunks
from components.cloudwatch.widgets import AlarmStatusWidget, Expression, LogWidget, MetricRef, MetricWidget
from components.monitoring import queries
from components.monitoring.context import RegionContext
from components.monitoring.dashboards.common import AlarmsShown, header, model_metric, model_search
from components.monitoring.guardrails import guardrail_dimensions, guardrails_here
from inventory.signals import Guardrail
from vocabulary import bedrock, names
from vocabulary.limits import MAX_ALARMS_PER_ALARM_WIDGET


def security_dashboard(ctx: RegionContext, alarms: AlarmsShown) -> Dashboard:
    layout = Layout()
    trail = ctx.trail_log_group_here
    note = (
        f"CloudTrail log group: `{trail}`."
        if trail
        else "No CloudTrail log group in this region (the trail lives in the account's home region or an "
        "organization trail covers the account): CloudTrail tables are on that region's security dashboard."
    )
    layout.full(
        2,
        header(
            ctx,
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
        if alarms.security_metrics:
            layout.full(
                6,
                MetricWidget(
                    title="Security events (CloudTrail metric filters)",
                    region=ctx.region,
                    metrics=tuple(
                        MetricRef(namespace=ctx.settings.security.metric_namespace, metric_name=name, label=name)
                        for name in alarms.security_metrics
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
            tuple(model_metric(bedrock.CLIENT_ERRORS, m, label=m) for m in ctx.models)
            if ctx.models
            else (model_search(bedrock.CLIENT_ERRORS, "Sum", 300, ""),)
        ),
    )
    layout.row(6, (delivery, 12), (client_errors, 12))
    guardrails = [(_guardrail_widget(ctx, g), 12) for g in guardrails_here(ctx)]
    if guardrails:
        layout.row(6, *guardrails)
    for index, group in enumerate(chunks(alarms.security, MAX_ALARMS_PER_ALARM_WIDGET)):
        layout.full(3, AlarmStatusWidget(title=f"Security alarms ({index + 1})", alarm_arns=group))
    return Dashboard(
        name=names.dashboard_name(ctx.account_name, ctx.region, "security"), widgets=layout.widgets, start="-P1D"
    )


def _guardrail_widget(ctx: RegionContext, guardrail: Guardrail) -> MetricWidget:
    """Invocations of one guardrail version, the ones it intervened in, and the share (right axis)."""
    dims = guardrail_dimensions(ctx, guardrail)

    def metric(name: str, qid: str, label: str) -> MetricRef:
        return MetricRef(namespace=bedrock.GUARDRAILS_NAMESPACE, metric_name=name, dimensions=dims, id=qid, label=label)

    return MetricWidget(
        title=f"Guardrail {guardrail.label} - invocations and interventions",
        region=ctx.region,
        metrics=(
            metric(bedrock.GUARDRAIL_INVOCATIONS, "ginv", "Invocations"),
            metric(bedrock.GUARDRAIL_INTERVENTIONS, "gint", "Intervened"),
            Expression(
                id="grate",
                expression=f"100 * {expressions.fill('gint')} / ginv",
                label="Intervened % (right)",
                y_axis="right",
            ),
        ),
        right_y_axis_label="%",
    )


def _trail_widget(ctx: RegionContext, trail: str, title: str, query: str) -> LogWidget:
    return LogWidget(title=title, region=ctx.region, log_group_names=(trail,), query=query)
