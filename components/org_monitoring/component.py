"""ComponentResources: the monitoring account (`OrgMonitoring`) and a workload account's link (`OamLink`)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components.kms import RegionalKey, RegionalKeyArgs
from components.monitoring.alert_topic import AlertTopic, AlertTopicArgs, create_alert_topic
from components.org_monitoring.alarms import org_alarms
from components.org_monitoring.dashboard import build_dashboards
from components.org_monitoring.refs import WorkloadRef, accounts_in_region
from inventory.monitoring import Pricing
from inventory.org_monitoring import OrgMonitoringSettings
from vocabulary import arns, names, oam
from vocabulary import iam as policies


def sink_resource_name(region: str) -> str:
    """Pulumi logical name of the region's OAM sink."""
    return f"oam-sink-{region}"


@dataclass(frozen=True)
class OrgMonitoringArgs:
    monitoring_account_id: str
    # Where the aggregate dashboards (global, but pinned for the plan) and Grafana live.
    home_region: str
    # Every region any workload account uses: one sink, alert topic and alarm set each.
    regions: Sequence[str]
    workload_accounts: Sequence[WorkloadRef]
    settings: OrgMonitoringSettings = field(default_factory=OrgMonitoringSettings)
    # The one price table (the program passes the org-wide `defaults.monitoring.pricing`): estimated cost on
    # the org dashboards and Grafana. Models without a price are left out of the estimate ("price unknown").
    # Its size limit and `missing_price: error` are inventory checks (`inventory.models.Organisation`).
    pricing: Pricing = field(default_factory=Pricing)


class OrgMonitoring(pulumi.ComponentResource):
    """Cross-account, cross-region aggregation of Bedrock observability in the monitoring account."""

    sink_arns: dict[str, pulumi.Output[str]]
    alert_topic_arns: dict[str, pulumi.Output[str]]
    dashboard_names: list[str]

    def __init__(self, name: str, args: OrgMonitoringArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("bedrockobs:monitoring:OrgMonitoring", name, None, opts)
        settings = args.settings
        account = args.monitoring_account_id
        regions = list(args.regions)  # unique: the inventory's workload_regions
        child = pulumi.ResourceOptions(parent=self)
        alarms = org_alarms(regions, args.workload_accounts, settings.alarms)

        self.sink_arns = {}
        self.alert_topic_arns = {}
        for region in regions:
            sink = aws.oam.Sink(sink_resource_name(region), name=names.SINK_NAME, region=region, opts=child)
            # Least privilege: a region's sink admits only the accounts that run workloads in that region.
            sink_policy = json.dumps(
                policies.sink_policy(
                    [w.account_id for w in accounts_in_region(args.workload_accounts, region)],
                    settings.organization_id,
                    account,
                    share_log_groups=settings.share_log_groups,
                )
            )
            aws.oam.SinkPolicy(
                f"oam-sink-policy-{region}",
                sink_identifier=sink.arn,
                policy=sink_policy,
                region=region,
                opts=child,
            )
            self.sink_arns[region] = sink.arn
            topic = self._alert_topic(region, account, settings)
            self.alert_topic_arns[region] = topic.arn
            for alarm in (a for a in alarms if a.region == region):
                aws.cloudwatch.MetricAlarm(alarm.spec.key, **alarm.spec.pulumi_args(topic.arn, region), opts=child)

        region_wide_arns = [arns.alarm_arn(a.region, account, a.name) for a in alarms if a.region_wide]
        dashboards = build_dashboards(regions, args.workload_accounts, settings, region_wide_arns, args.pricing)
        for spec in dashboards:
            aws.cloudwatch.Dashboard(
                spec.name,
                dashboard_name=spec.name,
                dashboard_body=spec.body_json,
                region=args.home_region,
                opts=child,
            )
        self.dashboard_names = [d.name for d in dashboards]

        self.grafana_url: pulumi.Output[str] | None = None
        if settings.grafana.enabled:
            from components.org_monitoring.grafana import ManagedGrafana, ManagedGrafanaArgs

            grafana = ManagedGrafana(
                f"{name}-grafana",
                ManagedGrafanaArgs(
                    monitoring_account_id=account,
                    home_region=args.home_region,
                    regions=regions,
                    workload_accounts=args.workload_accounts,
                    settings=settings,
                    pricing=args.pricing,
                ),
                opts=child,
            )
            self.grafana_url = grafana.url

        self.register_outputs(
            {
                "oam_sink_arns": self.sink_arns,
                "alert_topic_arns": self.alert_topic_arns,
                "dashboard_names": self.dashboard_names,
                "grafana_url": self.grafana_url,
            }
        )

    def _alert_topic(self, region: str, account: str, settings: OrgMonitoringSettings) -> AlertTopic:
        # The key guards no stored data, but deleting it silently breaks alert delivery: protected and
        # retained like every key of the platform (the monitoring account has no allow_data_deletion opt-in).
        key = RegionalKey(
            f"org-alerts-{region}",
            RegionalKeyArgs.for_alert_topics(
                account,
                region,
                alias_name=names.ORG_ALERT_KEY_ALIAS,
                description=f"Bedrock org alert topic in {region}",
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        return create_alert_topic(
            f"org-alerts-{region}",
            AlertTopicArgs(
                account_id=account,
                region=region,
                name=names.ORG_ALERT_TOPIC_NAME,
                kms_key_arn=key.arn,
                targets=settings.notifications,
            ),
            parent=self,
        )


@dataclass(frozen=True)
class OamLinkArgs:
    account_name: str
    region: str
    # The monitoring stack's sink ARN for the same region (StackReference output `oamSinkArns[region]`).
    sink_identifier: pulumi.Input[str]
    # Least privilege: only what the org dashboards and alarms read (AWS/Bedrock metrics) leaves the workload
    # account. Log groups (invocation log = full prompts and responses; CloudTrail) are shared only when the
    # program passes `monitoring_account.settings.share_log_groups` here, which also widens the sink policy.
    share_log_groups: bool = False

    @property
    def resource_types(self) -> tuple[str, ...]:
        return oam.shared_resource_types(self.share_log_groups)


def link_configuration(args: OamLinkArgs) -> aws.oam.LinkLinkConfigurationArgs:
    metric = aws.oam.LinkLinkConfigurationMetricConfigurationArgs(filter=oam.metric_filter())
    log = None
    if args.share_log_groups:
        log = aws.oam.LinkLinkConfigurationLogGroupConfigurationArgs(filter=oam.log_group_filter())
    return aws.oam.LinkLinkConfigurationArgs(metric_configuration=metric, log_group_configuration=log)


class OamLink(pulumi.ComponentResource):
    """Links one workload account region to the monitoring account's sink of the same region."""

    arn: pulumi.Output[str]

    def __init__(self, name: str, args: OamLinkArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("bedrockobs:monitoring:OamLink", name, None, opts)
        link = aws.oam.Link(
            f"{name}-link",
            region=args.region,
            sink_identifier=args.sink_identifier,
            # Resolved by OAM to the account name from AWS Organizations: what dashboards show per line.
            label_template=names.LINK_LABEL_TEMPLATE,
            resource_types=list(args.resource_types),
            link_configuration=link_configuration(args),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.arn = link.arn
        self.register_outputs({"arn": link.arn})


__all__ = ["OamLink", "OamLinkArgs", "OrgMonitoring", "OrgMonitoringArgs", "link_configuration"]
