"""Time-based escalation of one workload region (pure builders), from CloudWatch alone.

A composite alarm cannot express "in ALARM for N minutes", and no metric holds an alarm's state duration. So
each escalation is a second metric alarm on exactly the same metrics, expression and threshold as the critical
alarm, with a window longer by the delay: the critical alarm fires when `M` of the last `N` periods breach;
its escalation after `d` minutes fires when `M + k` of the last `N + k` periods breach, `k` = the periods in
`d` (rounded up). Under a continuous breach it fires exactly `d` minutes after the critical alarm; it tolerates
as many quiet periods as the critical alarm does (`N - M`), so a flapping condition that keeps the page open
escalates too, and one that recovered for longer does not. It notifies the escalation topic and announces
recovery there.
"""

from __future__ import annotations

from components.cloudwatch.alarms import MetricAlarmSpec
from components.monitoring.context import RegionContext
from inventory.signals import periods_after
from vocabulary import names

# Everything else (metrics, expression, threshold, comparison, missing data) is the critical alarm's own.
_REPLACED = {"key", "name", "description", "tier", "notify_ok", "extra_tags", "evaluation_periods"} | {
    "datapoints_to_alarm"
}


def _period(spec: MetricAlarmSpec) -> int:
    return spec.period or min(q.metric.period for q in spec.metrics if q.metric is not None)


def _kind(spec: MetricAlarmSpec) -> str | None:
    """The escalated kind of a per-model critical alarm (`names.ESCALATED_ALARMS`), else None."""
    if spec.tier != "critical" or spec.model_id is None:
        return None
    kind = spec.key.removeprefix(f"{names.model_slug(spec.model_id)}-").removesuffix("-critical")
    return kind if kind in names.ESCALATED_ALARMS else None


def escalation(ctx: RegionContext, critical: MetricAlarmSpec, minutes: int) -> MetricAlarmSpec:
    """The escalation of `critical` (a per-model critical alarm) after `minutes`."""
    kind = _kind(critical)
    if kind is None or critical.model_id is None:
        raise ValueError(f"{critical.name}: only per-model critical alarms of {names.ESCALATED_ALARMS} escalate")
    period = _period(critical)
    extra = periods_after(period, minutes)
    quiet = critical.evaluation_periods - critical.datapoints_to_alarm
    tier = names.escalation_tier(minutes)
    return MetricAlarmSpec(
        **critical.model_dump(exclude=_REPLACED),
        key=f"{names.model_slug(critical.model_id)}-{kind}-{tier}",
        name=names.model_alarm_name(ctx.account_name, ctx.region, critical.model_id, kind, tier),
        description=(
            f"[ESCALATION +{minutes} min] '{critical.name}' is still failing {minutes} minutes after it paged "
            f"({ctx.where}): its condition breached in {critical.datapoints_to_alarm + extra} of the last "
            f"{critical.evaluation_periods + extra} {period // 60}-minute periods (at most {quiet} quiet). The on-call "
            "was paged by the critical alarm; this tells the escalation contacts (notifications.escalation). Check "
            "first: the critical alarm's description and the incident channel; it resolves (OK) with the condition."
        ),
        tier="escalation",
        notify_ok=True,
        evaluation_periods=critical.evaluation_periods + extra,
        datapoints_to_alarm=critical.datapoints_to_alarm + extra,
        extra_tags=(("EscalationAfterMinutes", str(minutes)),),
    )


def escalation_alarms(ctx: RegionContext, alarms: list[MetricAlarmSpec]) -> list[MetricAlarmSpec]:
    """One escalation per critical per-model alarm and per `escalation.after_minutes`; none when disabled."""
    settings = ctx.settings.escalation
    if not settings.enabled:
        return []
    return [escalation(ctx, spec, minutes) for spec in alarms if _kind(spec) for minutes in settings.after_minutes]
