"""Security signals: CloudTrail metric filters + alarms, and invocation-log delivery health (pure builders).

Metric filters need the account's CloudTrail log group, which exists only in the trail's home region (and
not at all when an organization trail covers the account); without it only the delivery-health alarm is
built.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from components.monitoring.alarms import AlarmContext, MetricAlarmSpec, MetricQuery, MetricStat
from inventory.monitoring import Tier
from vocabulary import bedrock, limits, names


class MetricFilterSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    name: str = Field(min_length=1, max_length=512)
    pattern: str = Field(min_length=1, max_length=limits.MAX_FILTER_PATTERN_LENGTH)
    metric_namespace: str
    metric_name: str


def _any_event(names: tuple[str, ...]) -> str:
    return " || ".join(f'($.eventName = "{name}")' for name in names)


def logging_change_pattern() -> str:
    return f'{{ ($.eventSource = "{bedrock.EVENT_SOURCE}") && ({_any_event(bedrock.LOGGING_CHANGE_EVENTS)}) }}'


def access_denied_pattern() -> str:
    # Same error codes as the CIS "unauthorized API calls" control, restricted to Bedrock.
    return (
        f'{{ ($.eventSource = "{bedrock.EVENT_SOURCE}") && '
        '(($.errorCode = "AccessDenied*") || ($.errorCode = "*UnauthorizedOperation")) }'
    )


def guardrail_or_access_change_pattern() -> str:
    events = bedrock.GUARDRAIL_EVENTS + bedrock.MODEL_ACCESS_EVENTS
    return f'{{ ($.eventSource = "{bedrock.EVENT_SOURCE}") && ({_any_event(events)}) }}'


def metric_filters(ctx: AlarmContext) -> tuple[MetricFilterSpec, ...]:
    ns = ctx.settings.security.metric_namespace
    specs = (
        ("logging-changes", "BedrockInvocationLoggingChanges", logging_change_pattern()),
        ("access-denied", "BedrockAccessDenied", access_denied_pattern()),
        ("guardrail-or-access-changes", "BedrockGuardrailOrModelAccessChanges", guardrail_or_access_change_pattern()),
    )
    return tuple(
        MetricFilterSpec(
            key=key,
            name=names.metric_filter_name(ctx.account_name, ctx.region, key),
            pattern=pattern,
            metric_namespace=ns,
            metric_name=metric,
        )
        for key, metric, pattern in specs
    )


def _filter_alarm(
    ctx: AlarmContext, spec: MetricFilterSpec, tier: Tier, threshold: float, what: str, hint: str
) -> tuple[MetricFilterSpec, MetricAlarmSpec]:
    """The filter and the alarm on the metric it publishes."""
    ev = ctx.settings.security.evaluation
    return spec, MetricAlarmSpec(
        key=f"security-{spec.key}",
        name=names.alarm_name(ctx.account_name, ctx.region, "security", spec.key, tier),
        description=(
            f"[{tier.upper()}] {what} ({ctx.where}). Condition: at least {threshold:g} in "
            f"{ev.datapoints_to_alarm} of {ev.evaluation_periods} {ev.period_seconds // 60}-minute periods. "
            + hint
            + " No CloudTrail events means nothing happened: missing data is OK."
        ),
        tier=tier,
        notify_ok=ctx.notify_ok(tier),
        comparison_operator="GreaterThanOrEqualToThreshold",
        evaluation_periods=ev.evaluation_periods,
        datapoints_to_alarm=ev.datapoints_to_alarm,
        treat_missing_data="notBreaching",
        threshold=threshold,
        namespace=spec.metric_namespace,
        metric_name=spec.metric_name,
        period=ev.period_seconds,
        statistic="Sum",
    )


def security_alarms(ctx: AlarmContext) -> list[tuple[MetricFilterSpec, MetricAlarmSpec]]:
    """Each CloudTrail metric filter with the alarm on the metric it publishes."""
    sec = ctx.settings.security
    by_key = {f.key: f for f in metric_filters(ctx)}
    return [
        _filter_alarm(
            ctx,
            by_key["logging-changes"],
            sec.logging_change_tier,
            1,
            "Bedrock model invocation logging was changed or deleted",
            "Meaning: audit evidence for model use may stop. Check first: the security dashboard "
            "'Invocation logging changes' table (who, from where); if unplanned, restore logging by re-running "
            "the deployment and review the caller's permissions.",
        ),
        _filter_alarm(
            ctx,
            by_key["access-denied"],
            sec.access_denied_tier,
            sec.access_denied_threshold,
            "Burst of access-denied Bedrock API calls",
            "Meaning: a caller is probing or a deployment lost permissions/model access. Check first: the "
            "security dashboard 'Access denied' table (identity, API); a workload role means a broken IAM "
            "change, an unknown identity means possible credential misuse.",
        ),
        _filter_alarm(
            ctx,
            by_key["guardrail-or-access-changes"],
            sec.guardrail_or_access_change_tier,
            1,
            "Bedrock guardrail or model access configuration changed",
            "Meaning: safety filters or the set of usable models changed. Check first: the security dashboard "
            "'Guardrail and model access changes' table and whether a change request covers it.",
        ),
    ]


# Query id per failure metric of `bedrock.LOG_DELIVERY_FAILURE_METRICS` (CloudWatch Logs, S3, large-data S3).
_DELIVERY_QUERY_IDS = ("cwlogs", "s3", "largedata")


def delivery_failure_alarm(ctx: AlarmContext) -> MetricAlarmSpec:
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
        expression=" + ".join(f"FILL({q.id}, 0)" for q in failures),
        label="Invocation log delivery failures (CloudWatch Logs + S3 + large-data S3)",
        return_data=True,
    )
    return MetricAlarmSpec(
        key="log-delivery-failure",
        name=names.alarm_name(ctx.account_name, ctx.region, "invocation-log-delivery-failure-warning"),
        description=(
            f"[WARNING] Bedrock could not deliver model invocation logs ({ctx.where}). Condition: "
            "ModelInvocationLogsCloudWatchDeliveryFailure + ModelInvocationLogsS3DeliveryFailure + "
            f"ModelInvocationLargeDataS3DeliveryFailure > 0 in {ev.datapoints_to_alarm} of "
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
