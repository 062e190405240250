"""`OrgMonitoring`: the monitoring account's OAM sinks, org alert topics and alarms (per workload region) and
aggregate dashboards, all from `specs.org_specs(args.context)`; optionally Amazon Managed Grafana."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.alerting.component import AlertTopic, AlertTopicArgs
from components.org_monitoring.specs import OrgContext, OrgSpecs, org_specs
from components.storage.kms import RegionalKey, RegionalKeyArgs

TYPE_TOKEN = "bedrockobs:monitoring:OrgMonitoring"


@dataclass(frozen=True)
class OrgMonitoringArgs:
    # From `specs.org_context(org)`: the same description the operator tools check.
    context: OrgContext


def _state_name(kind: str, region: str) -> str:
    """The global name existing monitoring stacks registered a region's sink, sink policy or alert key/topic
    under; the alias lets those stacks update them in place."""
    return {"sink": "oam-sink", "sink-policy": "oam-sink-policy", "alerts": "org-alerts"}[kind] + f"-{region}"


class OrgMonitoring(pulumi.ComponentResource):
    """Cross-account, cross-region aggregation of Bedrock observability in the monitoring account."""

    sink_arns: dict[str, pulumi.Output[str]]
    alert_topic_arns: dict[str, pulumi.Output[str]]
    dashboard_names: list[str]
    grafana_url: pulumi.Output[str] | None

    def __init__(self, name: str, args: OrgMonitoringArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE_TOKEN, name, None, opts)
        self._name = name
        ctx = args.context
        specs = org_specs(ctx)

        self.sink_arns = {}
        self.alert_topic_arns = {}
        for sink_spec in specs.sinks:
            region = sink_spec.region
            sink = aws.oam.Sink(
                f"{name}-sink-{region}", name=sink_spec.name, region=region, opts=self._child("sink", region)
            )
            aws.oam.SinkPolicy(
                f"{name}-sink-policy-{region}",
                sink_identifier=sink.arn,
                policy=json.dumps(sink_spec.policy),
                region=region,
                opts=self._child("sink-policy", region),
            )
            self.sink_arns[region] = sink.arn
            topic = self._alert_topic(ctx, specs, region)
            self.alert_topic_arns[region] = topic.arn
            for alarm in specs.alarms_in(region):
                aws.cloudwatch.MetricAlarm(
                    f"{name}-{alarm.spec.key}",
                    **alarm.spec.pulumi_args(topic.arn, region),
                    opts=pulumi.ResourceOptions(parent=self, aliases=[pulumi.Alias(name=alarm.name)]),
                )

        prefix = ctx.settings.dashboard_name_prefix + "-"
        for dashboard in specs.dashboards:
            # Existing stacks registered the overview and regional dashboards under their dashboard name; the
            # management dashboard is newer than that layout.
            former = [] if dashboard.name == specs.management_dashboard_name else [pulumi.Alias(name=dashboard.name)]
            aws.cloudwatch.Dashboard(
                f"{name}-{dashboard.name.removeprefix(prefix)}-dashboard",
                dashboard_name=dashboard.name,
                dashboard_body=dashboard.body_json,
                region=ctx.home_region,
                opts=pulumi.ResourceOptions(parent=self, aliases=former),
            )
        self.dashboard_names = [d.name for d in specs.dashboards]

        self.grafana_url = None
        if ctx.settings.grafana.enabled:
            # Imported only when enabled, so the default plan never loads pulumiverse-grafana.
            from components.org_monitoring.grafana import ManagedGrafana, ManagedGrafanaArgs

            self.grafana_url = ManagedGrafana(
                f"{name}-grafana", ManagedGrafanaArgs(context=ctx), opts=pulumi.ResourceOptions(parent=self)
            ).url

        self.register_outputs(
            {
                "oam_sink_arns": self.sink_arns,
                "alert_topic_arns": self.alert_topic_arns,
                "dashboard_names": self.dashboard_names,
                "grafana_url": self.grafana_url,
            }
        )

    def _child(self, kind: str, region: str) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=self, aliases=[pulumi.Alias(name=_state_name(kind, region))])

    def _alert_topic(self, ctx: OrgContext, specs: OrgSpecs, region: str) -> AlertTopic:
        # The key guards no stored data, but deleting it silently breaks alert delivery: protected and
        # retained like every key of the platform (the monitoring account has no allow_data_deletion opt-in).
        key = RegionalKey(
            f"{self._name}-alerts-{region}",
            RegionalKeyArgs.for_alert_topics(
                ctx.monitoring_account_id,
                region,
                alias_name=specs.alert_key_alias,
                description=f"Bedrock org alert topic in {region}",
            ),
            opts=self._child("alerts", region),
        )
        return AlertTopic(
            f"{self._name}-alerts-{region}",
            AlertTopicArgs(
                account_id=ctx.monitoring_account_id,
                region=region,
                name=specs.alert_topic_name,
                kms_key_arn=key.arn,
                targets=ctx.settings.notifications,
                state_name=_state_name("alerts", region),
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
