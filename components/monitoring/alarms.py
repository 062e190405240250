"""Alarm specifications (pure: no Pulumi) and the per-model alarm builders. A spec renders once, to
`aws.cloudwatch.*Alarm` keyword arguments; tests validate what that sends (the plan's engine inputs, converted to
the PutMetricAlarm / PutCompositeAlarm request) against botocore's model.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from components.monitoring import queries
from components.monitoring.queries import TrailLocation
from inventory.monitoring import Evaluation, MonitoringSettings, Tier, TierThresholds, TreatMissingData
from vocabulary import bedrock, names

ComparisonOperator = Literal[
    "GreaterThanOrEqualToThreshold",
    "GreaterThanThreshold",
    "LessThanThreshold",
    "LessThanOrEqualToThreshold",
    "LessThanLowerOrGreaterThanUpperThreshold",
    "LessThanLowerThreshold",
    "GreaterThanUpperThreshold",
]
_BAND_OPERATORS = {"LessThanLowerOrGreaterThanUpperThreshold", "LessThanLowerThreshold", "GreaterThanUpperThreshold"}
TIERS: tuple[Tier, Tier] = ("warning", "critical")


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MetricStat(_Frozen):
    namespace: str
    metric_name: str
    dimensions: tuple[tuple[str, str], ...] = ()
    stat: str
    period: int = Field(ge=60)

    def pulumi(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "namespace": self.namespace,
            "metric_name": self.metric_name,
            "stat": self.stat,
            "period": self.period,
        }
        if self.dimensions:
            out["dimensions"] = dict(self.dimensions)
        return out


class MetricQuery(_Frozen):
    id: str = Field(pattern=r"^[a-z][A-Za-z0-9_]*$")
    metric: MetricStat | None = None
    expression: str | None = Field(default=None, max_length=2048)
    label: str | None = None
    return_data: bool = False
    # Only for a Metrics Insights expression (`SELECT ...`), which carries its own period; plain metric math
    # inherits the period of its inputs.
    period: int | None = Field(default=None, ge=60)
    # The source account of a metric in a monitoring account (CloudWatch cross-account observability).
    account_id: str | None = Field(default=None, pattern=r"^\d{12}$")

    @model_validator(mode="after")
    def _one_source(self) -> MetricQuery:
        if (self.metric is None) == (self.expression is None):
            raise ValueError(f"query {self.id}: set exactly one of metric or expression")
        return self

    def pulumi(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "return_data": self.return_data}
        if self.metric is not None:
            out["metric"] = self.metric.pulumi()
        if self.expression is not None:
            out["expression"] = self.expression
        if self.label:
            out["label"] = self.label
        if self.period is not None:
            out["period"] = self.period
        if self.account_id is not None:
            out["account_id"] = self.account_id
        return out


class MetricAlarmSpec(_Frozen):
    """One CloudWatch metric alarm. Either a single metric (namespace/metric_name/...) or `metrics` queries.

    `pulumi_args` is its one rendering (what the program sends); tests convert the resulting engine inputs
    to the PutMetricAlarm request shape and validate that with botocore's model."""

    key: str = Field(description="stable logical key, used for Pulumi resource names")
    name: str = Field(min_length=1, max_length=255)
    description: str = Field(min_length=1, max_length=1024)
    # Severity: which of a workload region's tier topics the alarm notifies (and its Severity tag). None: the
    # alarm has a single topic of its own (the monitoring account's org alarms).
    tier: Tier | None
    notify_ok: bool
    comparison_operator: ComparisonOperator
    evaluation_periods: int = Field(ge=1)
    datapoints_to_alarm: int = Field(ge=1)
    treat_missing_data: TreatMissingData
    threshold: float | None = None
    threshold_metric_id: str | None = None
    # single-metric form
    namespace: str | None = None
    metric_name: str | None = None
    dimensions: tuple[tuple[str, str], ...] = ()
    period: int | None = Field(default=None, ge=60)
    statistic: Literal["SampleCount", "Average", "Sum", "Minimum", "Maximum"] | None = None
    extended_statistic: str | None = Field(default=None, pattern=r"^p\d{1,2}(\.\d+)?$")
    evaluate_low_sample_count_percentiles: Literal["evaluate", "ignore"] | None = None
    # metric-math form
    metrics: tuple[MetricQuery, ...] = ()
    model_id: str | None = None
    # Tags besides Severity (from tier) and BedrockModelId (from model_id).
    extra_tags: tuple[tuple[str, str], ...] = ()

    @model_validator(mode="after")
    def _shape(self) -> MetricAlarmSpec:
        single = self.metric_name is not None
        if single == bool(self.metrics):
            raise ValueError(f"{self.name}: use either a single metric or metric queries, not both/neither")
        if single:
            if self.namespace is None or self.period is None:
                raise ValueError(f"{self.name}: single-metric alarms need namespace and period")
            if (self.statistic is None) == (self.extended_statistic is None):
                raise ValueError(f"{self.name}: set exactly one of statistic or extended_statistic")
        else:
            returned = [q.id for q in self.metrics if q.return_data]
            if self.comparison_operator in _BAND_OPERATORS:
                # Anomaly alarms are the exception: the band *and* the metric it models must return data
                # (AWS CDK's AnomalyDetectionAlarm renders them this way for the same reason).
                if len(returned) != 2 or self.threshold_metric_id not in returned:
                    raise ValueError(f"{self.name}: the band and its metric must both return data, got {returned}")
            elif len(returned) != 1:
                raise ValueError(f"{self.name}: exactly one metric query must return data, got {returned}")
            if len([q for q in self.metrics if q.metric is not None]) > 10:
                raise ValueError(f"{self.name}: metric-math alarms may read at most 10 metrics")
        if self.comparison_operator in _BAND_OPERATORS:
            ids = {q.id for q in self.metrics}
            if self.threshold_metric_id not in ids or self.threshold is not None:
                raise ValueError(f"{self.name}: band operators need threshold_metric_id of a query and no threshold")
        elif self.threshold is None:
            raise ValueError(f"{self.name}: static alarms need a threshold")
        if self.datapoints_to_alarm > self.evaluation_periods:
            raise ValueError(f"{self.name}: datapoints_to_alarm > evaluation_periods")
        return self

    def pulumi_args(self, topic: Any, region: str) -> dict[str, Any]:
        """Keyword arguments for `aws.cloudwatch.MetricAlarm`; `topic` is the SNS topic it notifies."""
        args: dict[str, Any] = {
            "name": self.name,
            "alarm_description": self.description,
            "actions_enabled": True,
            "alarm_actions": [topic],
            "ok_actions": [topic] if self.notify_ok else [],
            "evaluation_periods": self.evaluation_periods,
            "datapoints_to_alarm": self.datapoints_to_alarm,
            "comparison_operator": self.comparison_operator,
            "treat_missing_data": self.treat_missing_data,
            "threshold": self.threshold,
            "threshold_metric_id": self.threshold_metric_id,
            "tags": self.tags(),
            "region": region,
        }
        if self.metrics:
            args["metric_queries"] = [q.pulumi() for q in self.metrics]
        else:
            args.update(
                namespace=self.namespace,
                metric_name=self.metric_name,
                dimensions=dict(self.dimensions),
                period=self.period,
                statistic=self.statistic,
                extended_statistic=self.extended_statistic,
                evaluate_low_sample_count_percentiles=self.evaluate_low_sample_count_percentiles,
            )
        return {k: v for k, v in args.items() if v is not None}

    def tags(self) -> dict[str, str]:
        tags = {"Severity": self.tier} if self.tier else {}
        if self.model_id:
            tags["BedrockModelId"] = self.model_id
        return tags | dict(self.extra_tags)


class CompositeAlarmSpec(_Frozen):
    key: str
    name: str = Field(min_length=1, max_length=255)
    description: str = Field(min_length=1, max_length=1024)
    tier: Tier
    notify_ok: bool
    rule: str = Field(min_length=1, max_length=10240)
    children: tuple[str, ...] = Field(min_length=1, description="keys of the alarms the rule reads")
    model_id: str | None = None

    def pulumi_args(self, topic: Any, region: str) -> dict[str, Any]:
        """Keyword arguments for `aws.cloudwatch.CompositeAlarm`; `topic` is the SNS topic it notifies."""
        return {
            "alarm_name": self.name,
            "alarm_description": self.description,
            "alarm_rule": self.rule,
            "actions_enabled": True,
            "alarm_actions": [topic],
            "ok_actions": [topic] if self.notify_ok else [],
            "tags": {"Severity": self.tier},
            "region": region,
        }


# --- builders -----------------------------------------------------------------------------------------
def _dims(model_id: str) -> tuple[tuple[str, str], ...]:
    return ((bedrock.MODEL_DIMENSION, model_id),)


def _stat(metric: str, model_id: str, stat: str, period: int) -> MetricStat:
    return MetricStat(
        namespace=bedrock.NAMESPACE, metric_name=metric, dimensions=_dims(model_id), stat=stat, period=period
    )


def _window(evaluation: Evaluation) -> str:
    minutes = evaluation.period_seconds // 60
    return (
        f"{evaluation.datapoints_to_alarm} of {evaluation.evaluation_periods} {minutes}-minute periods "
        f"(fires >= {evaluation.seconds_to_fire // 60} min after onset)"
    )


def _header(tier: Tier, what: str, where: str) -> str:
    return f"[{tier.upper()}] {what} ({where})."


class AlarmContext(_Frozen):
    account_name: str
    region: str
    settings: MonitoringSettings
    # The account's own trail (None: an organisation trail covers the account): where the failures query is.
    trail: TrailLocation | None = None

    @property
    def prefix(self) -> str:
        return names.prefix(self.account_name, self.region)

    @property
    def where(self) -> str:
        return f"account {self.account_name}, {self.region}"

    def saved_query(self, title: str, region: str) -> str:
        """How a description names a saved query: its console name and the region it is saved in."""
        return f"saved query '{names.saved_query_name(self.account_name, title)}' (Logs Insights in {region})"

    @property
    def top_identities(self) -> str:
        return self.saved_query(queries.TOP_IDENTITIES_TITLE, self.region)

    @property
    def failure_details(self) -> str:
        """Where the error codes of failed calls are: the account trail's saved query (home region only),
        else the organisation trail."""
        if self.trail is None:
            return "the organisation trail's CloudTrail events (this account has no trail of its own)"
        return "the " + self.saved_query(queries.FAILURES_BY_CODE_TITLE, self.trail.home_region)

    def notify_ok(self, tier: Tier) -> bool:
        # Critical alarms always announce recovery so the pager incident can auto-resolve.
        return tier == "critical" or self.settings.warning_ok_actions


def _threshold_alarm(ctx: AlarmContext, model: str, tier: Tier, t: TierThresholds, kind: str) -> dict[str, Any]:
    """Fields every per-model threshold alarm (latency, error rate, throttles, tokens) shares."""
    return {
        "key": f"{names.model_slug(model)}-{kind}-{tier}",
        "name": names.model_alarm_name(ctx.account_name, ctx.region, model, kind, tier),
        "tier": tier,
        "notify_ok": ctx.notify_ok(tier),
        "comparison_operator": "GreaterThanThreshold",
        "evaluation_periods": t.evaluation.evaluation_periods,
        "datapoints_to_alarm": t.evaluation.datapoints_to_alarm,
        "treat_missing_data": ctx.settings.alarms.treat_missing_data,
        "model_id": model,
    }


def _latency(ctx: AlarmContext, model: str, tier: Tier, t: TierThresholds) -> MetricAlarmSpec:
    a = ctx.settings.alarms
    return MetricAlarmSpec(
        **_threshold_alarm(ctx, model, tier, t, "latency-p95"),
        description=(
            _header(tier, f"p95 InvocationLatency of {model} above {t.latency_p95_ms:g} ms", ctx.where)
            + f" Condition: {_window(t.evaluation)}. Meaning: the slowest 5% of calls end later than users "
            "tolerate. Check first: operations dashboard - did output tokens per call grow (longer answers "
            "take longer)? Are throttles rising (SDK retries add latency)? TimeToFirstToken for streaming; "
            "AWS Health for Bedrock in this region; consider a cross-region inference profile."
        ),
        threshold=t.latency_p95_ms,
        namespace=bedrock.NAMESPACE,
        metric_name=bedrock.LATENCY,
        dimensions=_dims(model),
        period=t.evaluation.period_seconds,
        extended_statistic="p95",
        evaluate_low_sample_count_percentiles=a.evaluate_low_sample_count_percentiles,
    )


def error_rate_expression(min_invocations: int, include_client_errors: bool) -> str:
    errors = "FILL(ce, 0) + FILL(se, 0)" if include_client_errors else "FILL(se, 0)"
    return f"IF(inv >= {min_invocations}, 100 * ({errors}) / inv, 0)"


def _error_rate(ctx: AlarmContext, model: str, tier: Tier, t: TierThresholds) -> MetricAlarmSpec:
    a = ctx.settings.alarms
    p = t.evaluation.period_seconds
    kinds = "client+server" if a.error_rate_includes_client_errors else "server"
    queries = [
        MetricQuery(id="inv", metric=_stat(bedrock.INVOCATIONS, model, "Sum", p)),
        MetricQuery(id="se", metric=_stat(bedrock.SERVER_ERRORS, model, "Sum", p)),
    ]
    if a.error_rate_includes_client_errors:
        queries.append(MetricQuery(id="ce", metric=_stat(bedrock.CLIENT_ERRORS, model, "Sum", p)))
    queries.append(
        MetricQuery(
            id="rate",
            expression=error_rate_expression(a.error_rate_min_invocations, a.error_rate_includes_client_errors),
            label="Error rate %",
            return_data=True,
        )
    )
    return MetricAlarmSpec(
        **_threshold_alarm(ctx, model, tier, t, "error-rate"),
        description=(
            _header(tier, f"{kinds} error rate of {model} above {t.error_rate_pct:g}%", ctx.where)
            + f" Condition: {_window(t.evaluation)}; periods with fewer than {a.error_rate_min_invocations} "
            "invocations count as 0%. Meaning: calls are failing. Check first: the failed-invocations widget "
            f"on the operations dashboard and {ctx.failure_details} - ValidationException/"
            "AccessDenied point at the caller (deploy, IAM, model access), ServiceUnavailable/InternalServer "
            "at Bedrock (AWS Health)."
        ),
        threshold=t.error_rate_pct,
        metrics=tuple(queries),
    )


def _per_minute(ctx: AlarmContext, model: str, tier: Tier, t: TierThresholds, kind: str) -> MetricAlarmSpec:
    p = t.evaluation.period_seconds
    if kind == "throttles":
        queries = (MetricQuery(id="thr", metric=_stat(bedrock.THROTTLES, model, "Sum", p)),)
        expression, threshold = "FILL(thr, 0) / (PERIOD(thr) / 60)", t.throttles_per_minute
        what = f"InvocationThrottles of {model} above {threshold:g}/min"
        hint = (
            "Meaning: requests exceed the account's RPM/TPM quota for this model. Check first: tokens per "
            f"minute vs the Service Quotas value, a new caller or retry storm ({ctx.top_identities}), "
            "maxTokens set too high (reserves quota); then a quota increase or cross-region inference profile."
        )
    else:
        queries = (
            MetricQuery(id="tin", metric=_stat(bedrock.INPUT_TOKENS, model, "Sum", p)),
            MetricQuery(id="tout", metric=_stat(bedrock.OUTPUT_TOKENS, model, "Sum", p)),
        )
        expression, threshold = "(FILL(tin, 0) + FILL(tout, 0)) / (PERIOD(tin) / 60)", t.tokens_per_minute
        what = f"input+output tokens of {model} above {threshold:g}/min (token spike)"
        hint = (
            "Meaning: spend and quota use are climbing fast. Check first: cost & usage dashboard and the "
            f"{ctx.top_identities} for the caller; a loop or prompt growth is the usual cause."
        )
    queries = (*queries, MetricQuery(id="rate", expression=expression, label=f"{kind} per minute", return_data=True))
    return MetricAlarmSpec(
        **_threshold_alarm(ctx, model, tier, t, kind),
        description=_header(tier, what, ctx.where) + f" Condition: {_window(t.evaluation)}. " + hint,
        threshold=threshold,
        metrics=queries,
    )


def _anomaly(ctx: AlarmContext, model: str, metric: str, operator: ComparisonOperator) -> MetricAlarmSpec:
    ad = ctx.settings.anomaly_detection
    ev = ad.evaluation
    short = "invocations" if metric == bedrock.INVOCATIONS else "output-tokens"
    direction = "outside" if operator == "LessThanLowerOrGreaterThanUpperThreshold" else "above"
    return MetricAlarmSpec(
        key=f"{names.model_slug(model)}-{short}-anomaly",
        name=names.model_alarm_name(ctx.account_name, ctx.region, model, f"{short}-anomaly"),
        description=(
            _header("warning", f"{metric} of {model} {direction} its expected band", ctx.where)
            + f" Band: {ad.band_width:g} standard deviations learned from history; condition: {_window(ev)}. "
            "Meaning: traffic or output volume differs from the usual pattern for this time of day/week. "
            f"Check first: a release or new caller ({ctx.top_identities}), client-side failures for a "
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
                expression=f"ANOMALY_DETECTION_BAND(m1, {ad.band_width:g})",
                label="Expected",
                return_data=True,
            ),
        ),
        model_id=model,
    )


def _composite(ctx: AlarmContext, model: str, latency: MetricAlarmSpec, errors: MetricAlarmSpec) -> CompositeAlarmSpec:
    return CompositeAlarmSpec(
        key=f"{names.model_slug(model)}-latency-and-errors",
        name=names.model_alarm_name(ctx.account_name, ctx.region, model, "latency-and-errors", "critical"),
        description=(
            _header("critical", f"{model} is slow AND failing", ctx.where)
            + f" Fires when both '{latency.name}' and '{errors.name}' are in ALARM. Meaning: a real service "
            "degradation, not a noisy single signal. Check first: AWS Health for Bedrock in this region, "
            "server errors vs throttles on the operations dashboard; fail over to another region or model."
        ),
        tier="critical",
        notify_ok=True,
        rule=f'ALARM("{latency.name}") AND ALARM("{errors.name}")',
        children=(latency.key, errors.key),
        model_id=model,
    )


def model_alarms(ctx: AlarmContext, model: str) -> tuple[list[MetricAlarmSpec], list[CompositeAlarmSpec]]:
    tiers = {"warning": ctx.settings.alarms.warning, "critical": ctx.settings.alarms.critical}
    metric_alarms: list[MetricAlarmSpec] = []
    by_key: dict[str, MetricAlarmSpec] = {}
    for tier in TIERS:
        t = tiers[tier]
        for spec in (
            _latency(ctx, model, tier, t),
            _error_rate(ctx, model, tier, t),
            _per_minute(ctx, model, tier, t, "throttles"),
            _per_minute(ctx, model, tier, t, "tokens"),
        ):
            metric_alarms.append(spec)
            by_key[f"{spec.key}"] = spec
    if ctx.settings.anomaly_detection.enabled:
        metric_alarms.append(_anomaly(ctx, model, bedrock.INVOCATIONS, "LessThanLowerOrGreaterThanUpperThreshold"))
        metric_alarms.append(_anomaly(ctx, model, bedrock.OUTPUT_TOKENS, "GreaterThanUpperThreshold"))
    composites: list[CompositeAlarmSpec] = []
    if ctx.settings.composite.enabled:
        m, tier = names.model_slug(model), ctx.settings.composite.children_tier
        composites.append(_composite(ctx, model, by_key[f"{m}-latency-p95-{tier}"], by_key[f"{m}-error-rate-{tier}"]))
    return metric_alarms, composites


def all_model_alarms(
    account_name: str,
    region: str,
    models: Sequence[str],
    settings: MonitoringSettings,
    trail: TrailLocation | None = None,
) -> tuple[list[MetricAlarmSpec], list[CompositeAlarmSpec]]:
    ctx = AlarmContext(account_name=account_name, region=region, settings=settings, trail=trail)
    metric_alarms: list[MetricAlarmSpec] = []
    composites: list[CompositeAlarmSpec] = []
    for model in models:  # unique: the inventory refuses duplicate models
        m, c = model_alarms(ctx, model)
        metric_alarms += m
        composites += c
    return metric_alarms, composites
