"""A workload account: in every region key, invocation logging, monitoring, OAM link; one trail and budget."""

from __future__ import annotations

import pulumi

from components import arns, names
from components.audit_trail import AuditTrail, AuditTrailArgs
from components.invocation_logging import InvocationLogging, InvocationLoggingArgs
from components.kms import RegionalKey, RegionalKeyArgs
from components.monitoring import AccountBudget, AccountBudgetArgs, RegionalMonitoring, RegionalMonitoringArgs
from components.org_monitoring import OamLink, OamLinkArgs
from components.protection import DataProtection
from inventory.load import StackTarget
from inventory.models import WorkloadAccount
from program.provider import account_provider
from program.sinks import MonitoringSinks


class WorkloadObservability(pulumi.ComponentResource):
    """Everything deployed into one workload account, parented under one node per account."""

    def __init__(self, account: WorkloadAccount, sinks: MonitoringSinks, opts: pulumi.ResourceOptions) -> None:
        super().__init__("bedrockobs:account:WorkloadObservability", account.name, None, opts)
        settings = account.settings
        protection = DataProtection(allow_data_deletion=settings.allow_data_deletion)
        trail_enabled = settings.audit.enabled
        trail_arn = arns.trail_arn(account.home_region, account.account_id, names.TRAIL_NAME)

        invocation_log_groups: dict[str, pulumi.Output[str]] = {}
        critical_topics: dict[str, pulumi.Output[str]] = {}
        for region in account.regions:
            in_home = region == account.home_region
            key = RegionalKey(
                f"{account.name}-{region}",
                RegionalKeyArgs(
                    account_id=account.account_id,
                    region=region,
                    log_group_names=[names.INVOCATION_LOG_GROUP]
                    + ([names.TRAIL_LOG_GROUP] if in_home and trail_enabled else []),
                    trail_arn=trail_arn if in_home and trail_enabled else None,
                    protection=protection,
                ),
                opts=pulumi.ResourceOptions(parent=self),
            )
            logging = InvocationLogging(
                f"{account.name}-{region}-invocations",
                InvocationLoggingArgs(
                    account_id=account.account_id,
                    region=region,
                    kms_key_arn=key.arn,
                    settings=settings.invocation_logging,
                    protection=protection,
                ),
                opts=pulumi.ResourceOptions(parent=self),
            )
            invocation_log_groups[region] = logging.log_group_name
            monitoring = RegionalMonitoring(
                f"{account.name}-{region}",
                RegionalMonitoringArgs(
                    account_id=account.account_id,
                    account_name=account.name,
                    environment=account.environment,
                    region=region,
                    models=account.models,
                    settings=settings.monitoring,
                    kms_key_arn=key.arn,
                    invocation_log_group_name=names.INVOCATION_LOG_GROUP,
                    # Security widgets and metric filters read the trail's log group, which lives only here.
                    trail_log_group_name=names.TRAIL_LOG_GROUP if in_home and trail_enabled else None,
                ),
                opts=pulumi.ResourceOptions(parent=self, depends_on=[logging]),
            )
            critical_topics[region] = monitoring.critical_topic_arn
            # Share this region's Bedrock metrics and logs with the monitoring account's sink there.
            OamLink(
                f"{account.name}-{region}-oam",
                OamLinkArgs(account_name=account.name, region=region, sink_identifier=sinks.sink_arn(region)),
                opts=pulumi.ResourceOptions(parent=self),
            )
            if in_home and trail_enabled:
                AuditTrail(
                    f"{account.name}-audit",
                    AuditTrailArgs(
                        account_id=account.account_id,
                        home_region=region,
                        kms_key_arn=key.arn,
                        settings=settings.audit,
                        protection=protection,
                    ),
                    opts=pulumi.ResourceOptions(parent=self),
                )
        # Budgets are global; their alerts go to the home region's critical topic.
        AccountBudget(
            f"{account.name}-budget",
            AccountBudgetArgs(
                account_id=account.account_id,
                account_name=account.name,
                settings=settings.monitoring,
                critical_topic_arn=critical_topics[account.home_region],
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.invocation_log_groups = invocation_log_groups
        self.register_outputs({"invocation_log_groups": invocation_log_groups})


def build_workload(target: StackTarget) -> None:
    account = target.workload
    provider = account_provider(account, account.home_region, account.environment)
    sinks = MonitoringSinks(target.org.monitoring_account, parent=provider)
    WorkloadObservability(account, sinks, pulumi.ResourceOptions(provider=provider))
    pulumi.export("accountId", account.account_id)
    pulumi.export("regions", account.regions)
    pulumi.export("auditTrail", account.settings.audit.enabled)
