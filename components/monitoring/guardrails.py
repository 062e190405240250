"""Guardrail interventions of one workload region (pure builders): per guardrail version the inventory lists
in this region, an anomaly-band alarm on a surge of `InvocationsIntervened` (namespace AWS/Bedrock/Guardrails,
dimensions GuardrailArn + GuardrailVersion), and the metrics the security dashboard graphs."""

from __future__ import annotations

from components.cloudwatch import expressions
from components.cloudwatch.alarms import MetricAlarmSpec, MetricQuery, MetricStat
from components.monitoring.alarm_common import header, window
from components.monitoring.context import RegionContext
from inventory.signals import Guardrail
from vocabulary import arns, bedrock, names

(INTERVENTIONS_ANOMALY,) = names.GUARDRAIL_ALARMS


def guardrails_here(ctx: RegionContext) -> tuple[Guardrail, ...]:
    return tuple(g for g in ctx.settings.guardrails if g.region == ctx.region)


def guardrail_dimensions(ctx: RegionContext, guardrail: Guardrail) -> tuple[tuple[str, str], ...]:
    arn = arns.guardrail_arn(ctx.region, ctx.account_id, guardrail.id)
    return ((bedrock.GUARDRAIL_ARN_DIMENSION, arn), (bedrock.GUARDRAIL_VERSION_DIMENSION, guardrail.version))


def interventions_alarm(ctx: RegionContext, guardrail: Guardrail) -> MetricAlarmSpec:
    ad = ctx.settings.anomaly_detection
    ev = ad.evaluation
    metric = MetricStat(
        namespace=bedrock.GUARDRAILS_NAMESPACE,
        metric_name=bedrock.GUARDRAIL_INTERVENTIONS,
        dimensions=guardrail_dimensions(ctx, guardrail),
        stat="Sum",
        period=ev.period_seconds,
    )
    version = names.guardrail_version_slug(guardrail.version)
    return MetricAlarmSpec(
        key=f"guardrail-{guardrail.id}-{version}-{INTERVENTIONS_ANOMALY}",
        name=names.guardrail_alarm_name(
            ctx.account_name, ctx.region, guardrail.id, guardrail.version, INTERVENTIONS_ANOMALY
        ),
        description=(
            header("warning", f"guardrail {guardrail.label} intervenes more than usual", ctx.where)
            + f" {bedrock.GUARDRAIL_INTERVENTIONS} above its anomaly band ({ad.band_width:g} standard deviations "
            f"learned from history); condition: {window(ev)}. Meaning: more blocked or masked content - a new "
            "caller, a prompt-injection or jailbreak attempt, or a guardrail change. Check first: the guardrail "
            "section of the security dashboard (interventions vs invocations), guardrail changes on the same "
            "dashboard, the invocation log of the period. Missing data keeps the alarm OK."
        ),
        tier="warning",
        notify_ok=ctx.notify_ok("warning"),
        comparison_operator="GreaterThanUpperThreshold",
        evaluation_periods=ev.evaluation_periods,
        datapoints_to_alarm=ev.datapoints_to_alarm,
        treat_missing_data="notBreaching",
        threshold_metric_id="band",
        metrics=(
            MetricQuery(id="m1", metric=metric, return_data=True),
            MetricQuery(
                id="band", expression=expressions.anomaly_band("m1", ad.band_width), label="Expected", return_data=True
            ),
        ),
        extra_tags=(("BedrockGuardrailId", guardrail.id),),
    )


def guardrail_alarms(ctx: RegionContext) -> list[MetricAlarmSpec]:
    return [interventions_alarm(ctx, guardrail) for guardrail in guardrails_here(ctx)]
