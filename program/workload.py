"""A workload account: in every region key, invocation logging, monitoring, OAM link; one trail and budget."""

from __future__ import annotations

import pulumi

from components.audit_trail import AuditTrail, AuditTrailArgs
from components.invocation_logging import InvocationLogging, InvocationLoggingArgs
from components.kms import RegionalKey, RegionalKeyArgs
from components.monitoring import (
    AccountBudget,
    AccountBudgetArgs,
    RegionalMonitoring,
    RegionalMonitoringArgs,
    TrailLocation,
)
from components.org_monitoring import OamLink, OamLinkArgs
from components.protection import DataProtection
from inventory.load import StackTarget
from inventory.models import WorkloadAccount
from program.provider import account_provider
from program.sinks import MonitoringSinks
from vocabulary import arns, names


class WorkloadObservability(pulumi.ComponentResource):
    """Everything deployed into one workload account, parented under one node per account."""

    def __init__(self, account: WorkloadAccount, sinks: MonitoringSinks, opts: pulumi.ResourceOptions) -> None:
        super().__init__("bedrockobs:account:WorkloadObservability", account.name, None, opts)
        self._account = account
        self._sinks = sinks
        self._protection = DataProtection(allow_data_deletion=account.settings.allow_data_deletion)
        self._trail_enabled = account.settings.audit.enabled

        monitors = {region: self._region(region) for region in account.regions}
        home = monitors[account.home_region]
        # Budgets are global; their alerts go to the home region's critical topic, once its policy admits them.
        AccountBudget(
            f"{account.name}-budget",
            AccountBudgetArgs(
                account_id=account.account_id,
                account_name=account.name,
                settings=account.settings.monitoring,
                critical_topic_arn=home.critical_topic_arn,
                critical_topic_policy=home.critical_topic_policy,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.register_outputs(
            {
                "critical_topic_arns": {region: m.critical_topic_arn for region, m in monitors.items()},
            }
        )

    def _region(self, region: str) -> RegionalMonitoring:
        """One account-region: key, invocation logging, (trail), monitoring, OAM link."""
        account, settings = self._account, self._account.settings
        with_trail = region == account.home_region and self._trail_enabled
        trail_arn = arns.trail_arn(region, account.account_id, names.TRAIL_NAME)
        key = RegionalKey(
            f"{account.name}-{region}",
            RegionalKeyArgs(
                account_id=account.account_id,
                region=region,
                log_group_names=[names.INVOCATION_LOG_GROUP] + ([names.TRAIL_LOG_GROUP] if with_trail else []),
                trail_arn=trail_arn if with_trail else None,
                protection=self._protection,
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
                protection=self._protection,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        # Monitoring reads these log groups (metric filters, saved queries): they must exist first.
        log_sources: list[pulumi.Resource] = [logging]
        if with_trail:
            log_sources.append(
                AuditTrail(
                    f"{account.name}-audit",
                    AuditTrailArgs(
                        account_id=account.account_id,
                        home_region=region,
                        trail_arn=trail_arn,
                        kms_key_arn=key.arn,
                        settings=settings.audit,
                        protection=self._protection,
                    ),
                    opts=pulumi.ResourceOptions(parent=self),
                )
            )
        monitoring = RegionalMonitoring(
            f"{account.name}-{region}",
            RegionalMonitoringArgs(
                account_id=account.account_id,
                account_name=account.name,
                environment=account.environment,
                region=region,
                models=account.models_in(region),
                settings=settings.monitoring,
                kms_key_arn=key.arn,
                invocation_log_group_name=names.INVOCATION_LOG_GROUP,
                # The multi-region trail records every region's calls in the home region's log group.
                trail=TrailLocation(account.home_region, names.TRAIL_LOG_GROUP) if self._trail_enabled else None,
                log_sources=log_sources,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        # Share this region's Bedrock metrics with the monitoring account's sink of the same region.
        OamLink(
            f"{account.name}-{region}-oam",
            OamLinkArgs(
                account_name=account.name,
                region=region,
                sink_identifier=self._sinks.sink_arn(region),
                share_log_groups=self._sinks.share_log_groups,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        return monitoring


def build_workload(target: StackTarget) -> None:
    account = target.workload
    provider = account_provider(account, account.home_region, account.environment)
    sinks = MonitoringSinks(target.org.monitoring_account)
    WorkloadObservability(account, sinks, pulumi.ResourceOptions(provider=provider))
    pulumi.export("accountId", account.account_id)
    pulumi.export("regions", account.regions)
    pulumi.export("auditTrail", account.settings.audit.enabled)
