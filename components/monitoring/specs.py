"""What one workload account-region gets, as pure specs: the façade `RegionalMonitoring` builds from and
`obsctl verify` checks against, so the program and the operator tools cannot drift apart.

    ctx = region_context(account, "eu-west-1")   # inventory.models.WorkloadAccount -> RegionContext
    specs = regional_specs(ctx)                   # -> RegionalSpecs
    specs.metric_alarms, specs.composite_alarms, specs.metric_filters, specs.dashboards,
    specs.saved_queries, specs.topic_names        # names, bodies and requests exactly as deployed

No Pulumi import here or in anything it imports.
"""

from __future__ import annotations

from components.cloudwatch.alarms import CompositeAlarmSpec, MetricAlarmSpec
from components.cloudwatch.dashboard import Dashboard
from components.cloudwatch.logs import MetricFilterSpec, SavedQuerySpec
from components.monitoring import queries, signals
from components.monitoring.context import RegionContext, TrailLocation
from components.monitoring.dashboards import AlarmsShown, build_dashboards
from components.monitoring.model_alarms import all_model_alarms
from components.monitoring.signals import SignalSpec
from inventory.base import FrozenModel
from inventory.models import WorkloadAccount
from inventory.monitoring import NotificationTargets, Tier
from vocabulary import arns, names


class TopicSpec(FrozenModel):
    """One of the region's alert topics; alarms of its tier notify it."""

    tier: Tier
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
    # CloudTrail metric filters and their alarms (only where the trail's log group is).
    signals: tuple[SignalSpec, ...]
    saved_queries: tuple[SavedQuerySpec, ...]
    # Empty when `dashboards.enabled` is false.
    dashboards: tuple[Dashboard, ...]

    @property
    def metric_alarms(self) -> tuple[MetricAlarmSpec, ...]:
        return (*self.model_alarms, self.delivery_alarm, *(s.alarm for s in self.signals))

    @property
    def metric_filters(self) -> tuple[MetricFilterSpec, ...]:
        return tuple(s.filter for s in self.signals)

    @property
    def topic_names(self) -> dict[Tier, str]:
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
    return tuple(
        TopicSpec(
            tier=tier,
            name=names.topic_name(ctx.account_name, ctx.region, tier),
            display_name=f"Bedrock {tier} {ctx.account_name} {ctx.region}"[:100],
            targets=getattr(ctx.settings.notifications, tier),
            allow_budgets=tier == "critical" and ctx.region == ctx.home_region,
        )
        for tier in names.TIERS
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
    delivery = signals.delivery_failure_alarm(ctx)
    signal_specs = signals.security_signals(ctx)
    dashboards: tuple[Dashboard, ...] = ()
    if ctx.settings.dashboards.enabled:
        security = (delivery, *(s.alarm for s in signal_specs))
        dashboards = build_dashboards(ctx, _alarms_shown(ctx, model_alarms, composites, security, signal_specs))
    return RegionalSpecs(
        topics=_topics(ctx),
        model_alarms=tuple(model_alarms),
        composite_alarms=tuple(composites),
        delivery_alarm=delivery,
        signals=signal_specs,
        saved_queries=queries.saved_queries(ctx),
        dashboards=dashboards,
    )
