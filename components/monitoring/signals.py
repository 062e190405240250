"""Security signals of one workload region (pure builders): CloudTrail metric filters with their alarms, and
the invocation-log delivery-health alarm.

Metric filters need the account's CloudTrail log group, which exists only in the trail's home region (and
not at all when an organization trail covers the account); without it only the delivery-health alarm is
built.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter

from components.cloudwatch import expressions
from components.cloudwatch.alarms import MetricAlarmSpec, MetricQuery, MetricStat
from components.cloudwatch.logs import MetricFilterSpec
from components.monitoring.context import RegionContext
from inventory.base import FrozenModel
from inventory.evaluation import Tier
from inventory.monitoring import SecurityAlarms
from vocabulary import bedrock, names


def _any_event(event_names: tuple[str, ...]) -> str:
    return " || ".join(f'($.eventName = "{name}")' for name in event_names)


def _bedrock_events(event_names: tuple[str, ...]) -> str:
    return f'{{ ($.eventSource = "{bedrock.EVENT_SOURCE}") && ({_any_event(event_names)}) }}'


# Same error codes as the CIS "unauthorized API calls" control, restricted to Bedrock.
_ACCESS_DENIED = (
    f'{{ ($.eventSource = "{bedrock.EVENT_SOURCE}") && '
    '(($.errorCode = "AccessDenied*") || ($.errorCode = "*UnauthorizedOperation")) }'
)


def _once(_settings: SecurityAlarms) -> float:
    return 1


@dataclass(frozen=True)
class SecuritySignal:
    """One row: a CloudTrail metric filter and the alarm on the metric it publishes."""

    key: str  # `names.SECURITY_SIGNALS`: names the filter and its alarm
    metric_name: str  # `names.SECURITY_SIGNAL_METRICS`, in `settings.security.metric_namespace`
    pattern: str
    threshold: Callable[[SecurityAlarms], float]
    tier: Callable[[SecurityAlarms], Tier]
    what: str
    hint: str


SIGNALS: tuple[SecuritySignal, ...] = (
    SecuritySignal(
        key="logging-changes",
        metric_name=names.SECURITY_SIGNAL_METRICS["logging-changes"],
        pattern=_bedrock_events(bedrock.LOGGING_CHANGE_EVENTS),
        threshold=_once,
        tier=attrgetter("logging_change_tier"),
        what="Bedrock model invocation logging was changed or deleted",
        hint="Meaning: audit evidence for model use may stop. Check first: the security dashboard "
        "'Invocation logging changes' table (who, from where); if unplanned, restore logging by re-running "
        "the deployment and review the caller's permissions.",
    ),
    SecuritySignal(
        key="access-denied",
        metric_name=names.SECURITY_SIGNAL_METRICS["access-denied"],
        pattern=_ACCESS_DENIED,
        threshold=attrgetter("access_denied_threshold"),
        tier=attrgetter("access_denied_tier"),
        what="Burst of access-denied Bedrock API calls",
        hint="Meaning: a caller is probing or a deployment lost permissions/model access. Check first: the "
        "security dashboard 'Access denied' table (identity, API); a workload role means a broken IAM "
        "change, an unknown identity means possible credential misuse.",
    ),
    SecuritySignal(
        key="guardrail-or-access-changes",
        metric_name=names.SECURITY_SIGNAL_METRICS["guardrail-or-access-changes"],
        pattern=_bedrock_events(bedrock.GUARDRAIL_EVENTS + bedrock.MODEL_ACCESS_EVENTS),
        threshold=_once,
        tier=attrgetter("guardrail_or_access_change_tier"),
        what="Bedrock guardrail or model access configuration changed",
        hint="Meaning: safety filters or the set of usable models changed. Check first: the security dashboard "
        "'Guardrail and model access changes' table and whether a change request covers it.",
    ),
)
if tuple(s.key for s in SIGNALS) != names.SECURITY_SIGNALS:
    raise RuntimeError("SIGNALS must list exactly the keys of vocabulary.names.SECURITY_SIGNALS, in order")


class SignalSpec(FrozenModel):
    """A built signal: the metric filter and the alarm that reads its metric (it must wait for the filter)."""

    filter: MetricFilterSpec
    alarm: MetricAlarmSpec


def _signal(ctx: RegionContext, signal: SecuritySignal, log_group_name: str) -> SignalSpec:
    sec = ctx.settings.security
    ev, tier, threshold = sec.evaluation, signal.tier(sec), signal.threshold(sec)
    metric_filter = MetricFilterSpec(
        key=signal.key,
        name=names.metric_filter_name(ctx.account_name, ctx.region, signal.key),
        log_group_name=log_group_name,
        pattern=signal.pattern,
        metric_namespace=sec.metric_namespace,
        metric_name=signal.metric_name,
    )
    alarm = MetricAlarmSpec(
        key=f"security-{signal.key}",
        name=names.alarm_name(ctx.account_name, ctx.region, "security", signal.key, tier),
        description=(
            f"[{tier.upper()}] {signal.what} ({ctx.where}). Condition: at least {threshold:g} in "
            f"{ev.datapoints_to_alarm} of {ev.evaluation_periods} {ev.period_seconds // 60}-minute periods. "
            + signal.hint
            + " No CloudTrail events means nothing happened: missing data is OK."
        ),
        tier=tier,
        notify_ok=ctx.notify_ok(tier),
        comparison_operator="GreaterThanOrEqualToThreshold",
        evaluation_periods=ev.evaluation_periods,
        datapoints_to_alarm=ev.datapoints_to_alarm,
        treat_missing_data="notBreaching",
        threshold=threshold,
        namespace=sec.metric_namespace,
        metric_name=signal.metric_name,
        period=ev.period_seconds,
        statistic="Sum",
    )
    return SignalSpec(filter=metric_filter, alarm=alarm)


def security_signals(ctx: RegionContext) -> tuple[SignalSpec, ...]:
    """Every signal of `SIGNALS`, where the trail's log group is and security alarms are on; else none."""
    log_group = ctx.trail_log_group_here
    if not log_group or not ctx.settings.security.enabled:
        return ()
    return tuple(_signal(ctx, signal, log_group) for signal in SIGNALS)


# Query id per failure metric of `bedrock.LOG_DELIVERY_FAILURE_METRICS` (CloudWatch Logs, S3, large-data S3).
_DELIVERY_QUERY_IDS = ("cwlogs", "s3", "largedata")


def delivery_failure_alarm(ctx: RegionContext) -> MetricAlarmSpec:
    """One alarm over every invocation-log destination: the sum of the three delivery-failure metrics."""
    ev = ctx.settings.security.evaluation
    failures = tuple(
        MetricQuery(
            id=qid,
            metric=MetricStat(namespace=bedrock.NAMESPACE, metric_name=metric, stat="Sum", period=ev.period_seconds),
        )
        for qid, metric in zip(_DELIVERY_QUERY_IDS, bedrock.LOG_DELIVERY_FAILURE_METRICS, strict=True)
    )
    total = MetricQuery(
        id="failures",
        expression=expressions.filled_sum(_DELIVERY_QUERY_IDS),
        label="Invocation log delivery failures (CloudWatch Logs + S3 + large-data S3)",
        return_data=True,
    )
    return MetricAlarmSpec(
        key="log-delivery-failure",
        name=names.alarm_name(ctx.account_name, ctx.region, names.DELIVERY_FAILURE_ALARM),
        description=(
            f"[WARNING] Bedrock could not deliver model invocation logs ({ctx.where}). Condition: "
            + " + ".join(bedrock.LOG_DELIVERY_FAILURE_METRICS)
            + f" > 0 in {ev.datapoints_to_alarm} of "
            f"{ev.evaluation_periods} {ev.period_seconds // 60}-minute periods. Meaning: invocations are not "
            "being audited. Check first: the security dashboard's 'Invocation log delivery' graph for which "
            "destination fails. CloudWatch Logs: the log group exists, the logging role trusts "
            "bedrock.amazonaws.com and may write to it, the group's KMS key policy admits CloudWatch Logs. "
            "S3 / large data: the bucket exists, its policy still lets Bedrock put objects under the prefix, "
            "and the bucket's KMS key lets Bedrock generate data keys. No data means no failures."
        ),
        tier="warning",
        notify_ok=ctx.notify_ok("warning"),
        comparison_operator="GreaterThanThreshold",
        evaluation_periods=ev.evaluation_periods,
        datapoints_to_alarm=ev.datapoints_to_alarm,
        treat_missing_data="notBreaching",
        threshold=0,
        metrics=(*failures, total),
    )
