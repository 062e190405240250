"""The monitoring stack: OAM sinks, aggregate dashboards and org alarms over every workload account."""

from __future__ import annotations

import pulumi

from components.org_monitoring.component import OrgMonitoring, OrgMonitoringArgs
from components.org_monitoring.specs import org_context
from inventory.load import MonitoringStack
from program.provider import account_provider
from program.sinks import SINK_ARNS_OUTPUT


def build_monitoring(target: MonitoringStack) -> None:
    account = target.account
    provider = account_provider(account, account.home_region, environment="monitoring")
    monitoring = OrgMonitoring(
        "org-monitoring",
        OrgMonitoringArgs(context=org_context(target.org)),
        opts=pulumi.ResourceOptions(provider=provider),
    )
    pulumi.export("accountId", account.account_id)
    # Read by every workload stack (StackReference) to link each of its regions to the sink of that region.
    pulumi.export(SINK_ARNS_OUTPUT, monitoring.sink_arns)
