"""`RegionalMonitoring`: dashboards, alarms, alert topics, saved queries and security signals of one workload
account in one region. Everything it creates is `specs.regional_specs(args.context)`; this module only wires
those specs into resources (dependencies, topics to notify).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.alerting.component import AlertTopic, AlertTopicArgs
from components.cloudwatch.alarms import MetricAlarmSpec, Route
from components.monitoring.context import RegionContext
from components.monitoring.specs import RegionalSpecs, regional_specs

TYPE_TOKEN = "bedrockobs:monitoring:RegionalMonitoring"


@dataclass(frozen=True)
class RegionalMonitoringArgs:
    # The account-region, from `specs.region_context` (the same description `obsctl verify` checks).
    context: RegionContext
    # Encrypts the alert topics (its policy admits CloudWatch alarms and AWS Budgets).
    kms_key_arn: pulumi.Input[str]
    # What creates the log groups read here (invocation logging, the audit trail). Metric filters and saved
    # queries wait for them: a component's own depends_on does not reach its children.
    log_sources: Sequence[pulumi.Resource] = ()


class RegionalMonitoring(pulumi.ComponentResource):
    warning_topic_arn: pulumi.Output[str]
    critical_topic_arn: pulumi.Output[str]
    # The critical topic's policy (admits budgets.amazonaws.com): AccountBudget must depend on it.
    critical_topic_policy: aws.sns.TopicPolicy
    dashboard_names: list[str]

    def __init__(self, name: str, args: RegionalMonitoringArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE_TOKEN, name, None, opts)
        self._name = name
        self._region = args.context.region
        specs = regional_specs(args.context)

        topics = self._topics(args, specs)
        self.warning_topic_arn = topics["warning"].arn
        self.critical_topic_arn = topics["critical"].arn
        self.critical_topic_policy = topics["critical"].policy
        self._topic_arns: dict[Route, pulumi.Output[str]] = {tier: topic.arn for tier, topic in topics.items()}

        created = {spec.key: self._metric_alarm(spec) for spec in specs.model_alarms}
        for spec in specs.composite_alarms:
            aws.cloudwatch.CompositeAlarm(
                f"{name}-{spec.key}",
                **spec.pulumi_args(self._topic_arns[spec.tier], self._region),
                # The rule names its children; they must exist before CloudWatch accepts it.
                opts=self._child(depends_on=[created[key] for key in spec.children]),
            )
        self._metric_alarm(specs.delivery_alarm)
        for spec in (*specs.escalation_alarms, *specs.guardrail_alarms):
            self._metric_alarm(spec)
        for signal in specs.signals:
            metric_filter = aws.cloudwatch.LogMetricFilter(
                f"{name}-{signal.filter.key}-filter",
                **signal.filter.pulumi_args(self._region),
                opts=self._child(depends_on=list(args.log_sources)),
            )
            # An alarm on a filter's metric needs the filter that publishes it.
            self._metric_alarm(signal.alarm, depends_on=[metric_filter])
        for query in specs.saved_queries:
            aws.cloudwatch.QueryDefinition(
                f"{name}-query-{query.slug}",
                **query.pulumi_args(self._region),
                opts=self._child(depends_on=list(args.log_sources)),
            )
        prefix = args.context.prefix + "-"
        for dashboard in specs.dashboards:
            aws.cloudwatch.Dashboard(
                f"{name}-{dashboard.name.removeprefix(prefix)}-dashboard",
                dashboard_name=dashboard.name,
                dashboard_body=dashboard.to_json(),
                region=self._region,
                opts=self._child(),
            )
        self.dashboard_names = [d.name for d in specs.dashboards]

        self.register_outputs(
            {
                "warning_topic_arn": self.warning_topic_arn,
                "critical_topic_arn": self.critical_topic_arn,
                "dashboard_names": self.dashboard_names,
            }
        )

    def _child(self, **kwargs: object) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=self, **kwargs)  # type: ignore[arg-type]

    def _topics(self, args: RegionalMonitoringArgs, specs: RegionalSpecs) -> dict[Route, AlertTopic]:
        return {
            topic.tier: AlertTopic(
                f"{self._name}-alerts-{topic.tier}",
                AlertTopicArgs(
                    account_id=args.context.account_id,
                    region=self._region,
                    name=topic.name,
                    kms_key_arn=args.kms_key_arn,
                    targets=topic.targets,
                    allow_budgets=topic.allow_budgets,
                    display_name=topic.display_name,
                    tags={"Severity": topic.tier},
                    # The tier topics predate the AlertTopic component; the escalation topic does not.
                    has_former_layout=topic.tier != "escalation",
                ),
                opts=self._child(),
            )
            for topic in specs.topics
        }

    def _metric_alarm(
        self, spec: MetricAlarmSpec, depends_on: list[pulumi.Resource] | None = None
    ) -> aws.cloudwatch.MetricAlarm:
        if spec.tier is None:
            raise ValueError(f"{spec.name}: every regional alarm notifies one of the region's topics")
        return aws.cloudwatch.MetricAlarm(
            f"{self._name}-{spec.key}",
            **spec.pulumi_args(self._topic_arns[spec.tier], self._region),
            opts=self._child(depends_on=depends_on or []),
        )
