"""What one workload account-region gets, as pure specs: the façade `RegionalMonitoring` builds from and
`obsctl verify` checks against, so the program and the operator tools cannot drift apart.

    ctx = region_context(account, "eu-west-1")   # inventory.models.WorkloadAccount -> RegionContext
    specs = regional_specs(ctx)                   # -> RegionalSpecs
    specs.metric_alarms, specs.composite_alarms, specs.metric_filters, specs.dashboards,
    specs.saved_queries, specs.topic_names        # names, bodies and requests exactly as deployed
    specs.escalation_alarms, specs.guardrail_alarms  # also in metric_alarms

No Pulumi import here or in anything it imports.
"""

from __future__ import annotations

from components.cloudwatch.alarms import CompositeAlarmSpec, MetricAlarmSpec, Route
from components.cloudwatch.dashboard import Dashboard
from components.cloudwatch.logs import MetricFilterSpec, SavedQuerySpec
from components.monitoring import escalation, guardrails, queries, signals
from components.monitoring.context import RegionContext, TrailLocation
from components.monitoring.dashboards import AlarmsShown, build_dashboards
from components.monitoring.model_alarms import all_model_alarms
from components.monitoring.signals import SignalSpec
from inventory.base import FrozenModel
from inventory.models import WorkloadAccount
from inventory.notifications import NotificationTargets
from vocabulary import arns, names


class TopicSpec(FrozenModel):
    """One of the region's alert topics; alarms of its tier (or escalations) notify it."""

    tier: Route
    name: str
    display_name: str
    targets: NotificationTargets
    # The account budget notifies the home region's critical topic.
    allow_budgets: bool


class RegionalSpecs(FrozenModel):
    topics: tuple[TopicSpec, ...]
    model_alarms: tuple[MetricAlarmSpec, ...]
    # Composite alarms read model alarms by key (`children`): those must exist first.
    composite_alarms: tuple[CompositeAlarmSpec, ...]
    delivery_alarm: MetricAlarmSpec
    # Per critical per-model alarm and escalation delay (empty unless `escalation.enabled`): notify the
    # escalation topic.
    escalation_alarms: tuple[MetricAlarmSpec, ...] = ()
    # Per guardrail version of this region the inventory lists: an interventions anomaly alarm.
    guardrail_alarms: tuple[MetricAlarmSpec, ...] = ()
    # CloudTrail metric filters and their alarms (only where the trail's log group is).
    signals: tuple[SignalSpec, ...]
    saved_queries: tuple[SavedQuerySpec, ...]
    # Empty when `dashboards.enabled` is false.
    dashboards: tuple[Dashboard, ...]

    @property
    def metric_alarms(self) -> tuple[MetricAlarmSpec, ...]:
        return (
            *self.model_alarms,
            self.delivery_alarm,
            *(s.alarm for s in self.signals),
            *self.escalation_alarms,
            *self.guardrail_alarms,
        )

    @property
    def metric_filters(self) -> tuple[MetricFilterSpec, ...]:
        return tuple(s.filter for s in self.signals)

    @property
    def topic_names(self) -> dict[Route, str]:
        return {t.tier: t.name for t in self.topics}


def region_context(account: WorkloadAccount, region: str) -> RegionContext:
    """One region of a validated workload account, as the regional builders see it."""
    if region not in account.regions:
        raise ValueError(
            f"account {account.name!r} does not use region {region!r}; fix: use one of {', '.join(account.regions)}"
        )
    return RegionContext(
        account_id=account.account_id,
        account_name=account.name,
        environment=account.environment,
        region=region,
        home_region=account.home_region,
        models=tuple(account.models_in(region)),
        settings=account.settings.monitoring,
        invocation_log_group_name=names.INVOCATION_LOG_GROUP,
        # The multi-region trail records every region's calls in the home region's log group.
        trail=TrailLocation(account.home_region, names.TRAIL_LOG_GROUP) if account.settings.audit.enabled else None,
    )


def _topics(ctx: RegionContext) -> tuple[TopicSpec, ...]:
    routes: tuple[Route, ...] = ("warning", "critical")
    if ctx.settings.escalation.enabled:
        routes += ("escalation",)
    return tuple(
        TopicSpec(
            tier=route,
            name=names.topic_name(ctx.account_name, ctx.region, route),
            display_name=f"Bedrock {route} {ctx.account_name} {ctx.region}"[:100],
            targets=getattr(ctx.settings.notifications, route),
            allow_budgets=route == "critical" and ctx.region == ctx.home_region,
        )
        for route in routes
    )


def _alarms_shown(
    ctx: RegionContext,
    model_alarms: list[MetricAlarmSpec],
    composites: list[CompositeAlarmSpec],
    security: tuple[MetricAlarmSpec, ...],
    signal_specs: tuple[SignalSpec, ...],
) -> AlarmsShown:
    def arn(spec: MetricAlarmSpec | CompositeAlarmSpec) -> str:
        return arns.alarm_arn(ctx.region, ctx.account_id, spec.name)

    by_model: dict[str, tuple[str, ...]] = {model: () for model in ctx.models}
    for spec in (*model_alarms, *composites):
        by_model[str(spec.model_id)] += (arn(spec),)
    return AlarmsShown(
        by_model=by_model,
        security=tuple(arn(spec) for spec in security),
        security_metrics=tuple(s.filter.metric_name for s in signal_specs),
    )


def regional_specs(ctx: RegionContext) -> RegionalSpecs:
    model_alarms, composites = all_model_alarms(ctx)
    escalations = escalation.escalation_alarms(ctx, model_alarms)
    guardrail_alarms = guardrails.guardrail_alarms(ctx)
    delivery = signals.delivery_failure_alarm(ctx)
    signal_specs = signals.security_signals(ctx)
    dashboards: tuple[Dashboard, ...] = ()
    if ctx.settings.dashboards.enabled:
        security = (delivery, *(s.alarm for s in signal_specs), *guardrail_alarms)
        shown = _alarms_shown(ctx, [*model_alarms, *escalations], composites, security, signal_specs)
        dashboards = build_dashboards(ctx, shown)
    return RegionalSpecs(
        topics=_topics(ctx),
        model_alarms=tuple(model_alarms),
        composite_alarms=tuple(composites),
        delivery_alarm=delivery,
        escalation_alarms=tuple(escalations),
        guardrail_alarms=tuple(guardrail_alarms),
        signals=signal_specs,
        saved_queries=queries.saved_queries(ctx),
        dashboards=dashboards,
    )
