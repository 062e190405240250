"""`RegionalMonitoring`: dashboards, alarms, alert routing, saved queries and security signals for one
workload account in one region. All decisions live in the pure builders; this module only creates
resources from their specs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.monitoring import queries, security
from components.monitoring.alarms import AlarmContext, MetricAlarmSpec, all_model_alarms
from components.monitoring.alert_topic import AlertTopic, AlertTopicArgs, create_alert_topic
from components.monitoring.dashboards import DashboardContext, build_dashboards
from components.monitoring.queries import TrailLocation
from inventory.monitoring import MonitoringSettings, Tier
from vocabulary import names
from vocabulary.arns import alarm_arn

TYPE_TOKEN = "bedrockobs:monitoring:RegionalMonitoring"


@dataclass(frozen=True)
class RegionalMonitoringArgs:
    account_id: str
    account_name: str
    environment: str
    region: str
    models: Sequence[str]
    settings: MonitoringSettings
    kms_key_arn: pulumi.Input[str]
    invocation_log_group_name: str
    # The account's own trail (its log group lives in `trail.home_region`), passed in *every* region: the
    # operations dashboard's "recent failed invocations" widget queries it from there (filtered on
    # awsRegion); where it lives it also feeds the security metric filters, alarms and widgets and the saved
    # CloudTrail query. None: no account trail (an organisation trail covers the account); failures then
    # come from the error metrics.
    trail: TrailLocation | None = None
    # What creates the log groups read here (invocation logging, the audit trail). Metric filters and saved
    # queries wait for them: a component's own depends_on does not reach its children.
    log_sources: Sequence[pulumi.Resource] = ()

    @property
    def trail_log_group_here(self) -> str | None:
        """The trail's log group if it lives in this region."""
        return self.trail.log_group_in(self.region) if self.trail else None


class RegionalMonitoring(pulumi.ComponentResource):
    warning_topic_arn: pulumi.Output[str]
    critical_topic_arn: pulumi.Output[str]
    # The critical topic's policy (admits budgets.amazonaws.com): AccountBudget must depend on it.
    critical_topic_policy: aws.sns.TopicPolicy
    dashboard_names: list[str]

    def __init__(self, name: str, args: RegionalMonitoringArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE_TOKEN, name, None, opts)
        self._name = name
        self._args = args
        models = tuple(args.models)
        settings = args.settings
        ctx = AlarmContext(account_name=args.account_name, region=args.region, settings=settings, trail=args.trail)

        topics = self._topics()
        self.warning_topic_arn = topics["warning"].arn
        self.critical_topic_arn = topics["critical"].arn
        self.critical_topic_policy = topics["critical"].policy
        topic_arns: dict[Tier, pulumi.Output[str]] = {tier: topic.arn for tier, topic in topics.items()}

        # Alarms per model (metric, then composite alarms that read them).
        metric_specs, composite_specs = all_model_alarms(
            args.account_name, args.region, models, settings, trail=args.trail
        )
        created = {spec.key: self._metric_alarm(spec, topic_arns) for spec in metric_specs}
        for spec in composite_specs:
            aws.cloudwatch.CompositeAlarm(
                f"{name}-{spec.key}",
                **spec.pulumi_args(topic_arns[spec.tier], args.region),
                # The rule names its children; they must exist before CloudWatch accepts it.
                opts=self._child(depends_on=[created[key] for key in spec.children]),
            )

        # Security: delivery health everywhere, CloudTrail metric filters where the trail log group is.
        delivery = security.delivery_failure_alarm(ctx)
        self._metric_alarm(delivery, topic_arns)
        security_specs: list[MetricAlarmSpec] = [delivery]
        filters: list[security.MetricFilterSpec] = []
        trail_here = args.trail_log_group_here
        if trail_here and settings.security.enabled:
            pairs = security.security_alarms(ctx)
            filters = [metric_filter for metric_filter, _ in pairs]
            created_filters = [self._metric_filter(metric_filter, trail_here) for metric_filter in filters]
            for filter_resource, (_, spec) in zip(created_filters, pairs, strict=True):
                # An alarm on a filter's metric needs the filter that publishes it.
                self._metric_alarm(spec, topic_arns, depends_on=[filter_resource])
                security_specs.append(spec)

        self._saved_queries(settings)

        model_alarm_arns: dict[str, tuple[str, ...]] = {model: () for model in models}
        for spec in [*metric_specs, *composite_specs]:
            assert spec.model_id is not None
            model_alarm_arns[spec.model_id] += (alarm_arn(args.region, args.account_id, spec.name),)
        self.dashboard_names = []
        if settings.dashboards.enabled:
            dashboard_ctx = DashboardContext(
                account_id=args.account_id,
                account_name=args.account_name,
                environment=args.environment,
                region=args.region,
                models=models,
                settings=settings,
                invocation_log_group_name=args.invocation_log_group_name,
                trail=args.trail,
                model_alarm_arns=model_alarm_arns,
                security_alarm_arns=tuple(alarm_arn(args.region, args.account_id, s.name) for s in security_specs),
                security_metric_namespace=settings.security.metric_namespace if filters else None,
                security_metric_names=tuple(f.metric_name for f in filters),
            )
            for dashboard in build_dashboards(dashboard_ctx):
                aws.cloudwatch.Dashboard(
                    f"{name}-{dashboard.name.removeprefix(ctx.prefix + '-')}-dashboard",
                    dashboard_name=dashboard.name,
                    dashboard_body=dashboard.to_json(),
                    region=args.region,
                    opts=self._child(),
                )
                self.dashboard_names.append(dashboard.name)

        self.register_outputs(
            {
                "warning_topic_arn": self.warning_topic_arn,
                "critical_topic_arn": self.critical_topic_arn,
                "dashboard_names": self.dashboard_names,
            }
        )

    # --- helpers ------------------------------------------------------------------------------------------
    def _child(self, **kwargs: object) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=self, **kwargs)  # type: ignore[arg-type]

    def _topics(self) -> dict[Tier, AlertTopic]:
        args = self._args
        topics: dict[Tier, AlertTopic] = {}
        for tier in ("warning", "critical"):
            topics[tier] = create_alert_topic(
                f"{self._name}-alerts-{tier}",
                AlertTopicArgs(
                    account_id=args.account_id,
                    region=args.region,
                    name=names.topic_name(args.account_name, args.region, tier),
                    kms_key_arn=args.kms_key_arn,
                    targets=getattr(args.settings.notifications, tier),
                    # The account budget notifies the critical topic.
                    allow_budgets=tier == "critical",
                    display_name=f"Bedrock {tier} {args.account_name} {args.region}"[:100],
                    tags={"Severity": tier},
                ),
                parent=self,
            )
        return topics

    def _metric_alarm(
        self,
        spec: MetricAlarmSpec,
        topic_arns: dict[Tier, pulumi.Output[str]],
        depends_on: list[pulumi.Resource] | None = None,
    ) -> aws.cloudwatch.MetricAlarm:
        assert spec.tier is not None  # every workload alarm notifies one of the region's tier topics
        return aws.cloudwatch.MetricAlarm(
            f"{self._name}-{spec.key}",
            **spec.pulumi_args(topic_arns[spec.tier], self._args.region),
            opts=self._child(depends_on=depends_on or []),
        )

    def _metric_filter(self, spec: security.MetricFilterSpec, log_group_name: str) -> aws.cloudwatch.LogMetricFilter:
        return aws.cloudwatch.LogMetricFilter(
            f"{self._name}-{spec.key}-filter",
            name=spec.name,
            log_group_name=log_group_name,
            pattern=spec.pattern,
            metric_transformation={
                "name": spec.metric_name,
                "namespace": spec.metric_namespace,
                "value": "1",
                # Zero for non-matching events keeps the graph continuous between incidents.
                "default_value": "0",
                "unit": "Count",
            },
            region=self._args.region,
            opts=self._child(depends_on=list(self._args.log_sources)),
        )

    def _saved_queries(self, settings: MonitoringSettings) -> None:
        """Invocation-log queries in every region; the CloudTrail failures query only where the trail's log
        group is (a saved query can only name log groups of its own region; it covers every region)."""
        args = self._args
        sources = [
            (q, args.invocation_log_group_name)
            for q in queries.invocation_log_queries(settings.dashboards.top_identities)
        ]
        if trail_here := args.trail_log_group_here:
            sources += [(q, trail_here) for q in queries.trail_queries()]
        for query, log_group in sources:
            aws.cloudwatch.QueryDefinition(
                f"{self._name}-query-{query.slug}",
                name=names.saved_query_name(args.account_name, query.title),
                log_group_names=[log_group],
                query_string=query.query,
                region=args.region,
                opts=self._child(depends_on=list(args.log_sources)),
            )
