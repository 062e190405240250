"""`OamLink`: links one workload account region to the monitoring account's OAM sink of the same region."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from vocabulary import names, oam


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
