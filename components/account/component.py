"""`WorkloadObservability`: everything deployed into one workload account, under one node per account.

Per region: key, invocation logging, the access-log bucket receiving the log buckets' S3 server access logs,
regional monitoring and the OAM link to the monitoring account; in the home region also the account's own
trail (unless an organisation trail covers the account); once per account the Bedrock budget and, opt-in,
the account-wide S3 Block Public Access.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.audit.trail import AuditTrail, AuditTrailArgs
from components.budget.component import AccountBudget, AccountBudgetArgs
from components.invocation_logging.component import InvocationLogging, InvocationLoggingArgs, log_group_names
from components.monitoring.component import RegionalMonitoring, RegionalMonitoringArgs
from components.monitoring.specs import region_context
from components.org_monitoring.link import OamLink, OamLinkArgs
from components.storage.access_logs import AccessLogs, AccessLogsArgs
from components.storage.kms import RegionalKey, RegionalKeyArgs
from components.storage.log_bucket import LogBucket
from components.storage.protection import DataProtection
from inventory.models import WorkloadAccount
from vocabulary import arns, names

TYPE_TOKEN = "bedrockobs:account:WorkloadObservability"


@dataclass(frozen=True)
class WorkloadObservabilityArgs:
    account: WorkloadAccount
    # The monitoring account's OAM sink of each of the account's regions (sinks and links are regional).
    sink_arns: Mapping[str, pulumi.Input[str]]
    # Links share the platform's log groups (prompts and responses) only when the monitoring account opts in
    # (`monitoring_account.settings.share_log_groups`), which also widens its sink policies.
    share_log_groups: bool = False


def has_trail(account: WorkloadAccount, region: str) -> bool:
    """The account's own trail lives in its home region, unless an organisation trail covers the account."""
    return region == account.home_region and account.settings.audit.enabled


def key_args(account: WorkloadAccount, region: str, protection: DataProtection) -> RegionalKeyArgs:
    """The account-region's key: the log groups, trail and alert topics of the region may use it."""
    with_trail = has_trail(account, region)
    return RegionalKeyArgs(
        account_id=account.account_id,
        region=region,
        log_group_names=log_group_names(account.settings.invocation_logging)
        + ([names.TRAIL_LOG_GROUP] if with_trail else []),
        trail_arn=arns.trail_arn(region, account.account_id, names.TRAIL_NAME) if with_trail else None,
        protection=protection,
        # Budget alerts go to the home region's critical topic only.
        budget_notifications=region == account.home_region,
    )


class WorkloadObservability(pulumi.ComponentResource):
    critical_topic_arns: dict[str, pulumi.Output[str]]

    def __init__(self, name: str, args: WorkloadObservabilityArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE_TOKEN, name, None, opts)
        self._name = name
        self._args = args
        account = args.account
        self._protection = DataProtection(allow_data_deletion=account.settings.allow_data_deletion)

        monitors = {region: self._region(region) for region in account.regions}
        home = monitors[account.home_region]
        # Budgets are global; their alerts go to the home region's critical topic, once its policy admits them.
        AccountBudget(
            f"{name}-budget",
            AccountBudgetArgs(
                account_id=account.account_id,
                account_name=account.name,
                settings=account.settings.monitoring,
                critical_topic_arn=home.critical_topic_arn,
                critical_topic_policy=home.critical_topic_policy,
            ),
            opts=self._child(),
        )
        if account.settings.account_public_access_block:
            self._account_public_access_block()
        self.critical_topic_arns = {region: m.critical_topic_arn for region, m in monitors.items()}
        self.register_outputs({"critical_topic_arns": self.critical_topic_arns})

    def _child(self) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=self)

    def _account_public_access_block(self) -> None:
        """S3 Block Public Access for the whole account (global: no region). Retained when the option is
        removed, so handing the setting over to a landing zone never opens the account in between."""
        aws.s3.AccountPublicAccessBlock(
            f"{self._name}-s3-account-public-access-block",
            account_id=self._args.account.account_id,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
            opts=pulumi.ResourceOptions(parent=self, retain_on_delete=True),
        )

    def _region(self, region: str) -> RegionalMonitoring:
        """One account-region: key, invocation logging, (trail), monitoring, OAM link."""
        name, account, settings = self._name, self._args.account, self._args.account.settings
        with_trail = has_trail(account, region)
        trail_arn = arns.trail_arn(region, account.account_id, names.TRAIL_NAME)
        key = RegionalKey(f"{name}-{region}", key_args(account, region, self._protection), opts=self._child())
        logging = InvocationLogging(
            f"{name}-{region}-invocations",
            InvocationLoggingArgs(
                account_id=account.account_id,
                region=region,
                kms_key_arn=key.arn,
                settings=settings.invocation_logging,
                protection=self._protection,
            ),
            opts=self._child(),
        )
        # Monitoring reads these log groups (metric filters, saved queries): they must exist first.
        log_sources: list[pulumi.Resource] = [logging]
        buckets: list[LogBucket] = [logging.bucket]
        if with_trail:
            trail = AuditTrail(
                f"{name}-audit",
                AuditTrailArgs(
                    account_id=account.account_id,
                    home_region=region,
                    trail_arn=trail_arn,
                    kms_key_arn=key.arn,
                    settings=settings.audit,
                    protection=self._protection,
                ),
                opts=self._child(),
            )
            log_sources.append(trail)
            buckets.append(trail.bucket)
        AccessLogs(
            f"{name}-{region}-access-logs",
            AccessLogsArgs(
                account_id=account.account_id,
                region=region,
                sources=buckets,
                settings=settings.access_logs,
                protection=self._protection,
            ),
            opts=self._child(),
        )
        monitoring = RegionalMonitoring(
            f"{name}-{region}",
            RegionalMonitoringArgs(
                context=region_context(account, region), kms_key_arn=key.arn, log_sources=log_sources
            ),
            opts=self._child(),
        )
        # Share this region's Bedrock metrics with the monitoring account's sink of the same region.
        OamLink(
            f"{name}-{region}-oam",
            OamLinkArgs(
                account_name=account.name,
                region=region,
                sink_identifier=self._args.sink_arns[region],
                share_log_groups=self._args.share_log_groups,
            ),
            opts=self._child(),
        )
        return monitoring
