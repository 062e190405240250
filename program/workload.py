"""A workload stack: the account's provider, its links to the monitoring stack's sinks, and
`WorkloadObservability` with everything the account gets."""

from __future__ import annotations

import pulumi

from components.account.component import WorkloadObservability, WorkloadObservabilityArgs
from inventory.load import WorkloadStack
from program.provider import account_provider
from program.sinks import MonitoringSinks


def build_workload(target: WorkloadStack) -> None:
    account = target.account
    provider = account_provider(account, account.home_region, account.environment)
    sinks = MonitoringSinks(target.org.monitoring_account)
    WorkloadObservability(
        account.name,
        WorkloadObservabilityArgs(
            account=account,
            sink_arns={region: sinks.sink_arn(region) for region in account.regions},
            share_log_groups=sinks.share_log_groups,
        ),
        opts=pulumi.ResourceOptions(provider=provider),
    )
    pulumi.export("accountId", account.account_id)
    pulumi.export("regions", account.regions)
    pulumi.export("auditTrail", account.settings.audit.enabled)
