"""The monitoring account: OAM sinks, aggregate dashboards and org alarms over every workload account."""

from __future__ import annotations

import pulumi

from components.org_monitoring import OrgMonitoring, OrgMonitoringArgs, WorkloadRef
from inventory.load import StackTarget
from inventory.models import MonitoringAccount
from program.provider import account_provider
from program.sinks import SINK_ARNS_OUTPUT


def build_monitoring(target: StackTarget) -> None:
    account = target.account
    assert isinstance(account, MonitoringAccount)
    org = target.org
    provider = account_provider(account, account.home_region, environment="monitoring")
    monitoring = OrgMonitoring(
        "org-monitoring",
        OrgMonitoringArgs(
            monitoring_account_id=account.account_id,
            home_region=account.home_region,
            regions=org.workload_regions,
            workload_accounts=[
                WorkloadRef(account_id=w.account_id, name=w.name, regions=tuple(w.regions), models=tuple(w.models))
                for w in org.workload_accounts
            ],
            settings=account.settings,
            # One price table for the whole org: the workload defaults' (stacks/org.yaml defaults.monitoring).
            pricing=org.defaults.monitoring.pricing,
        ),
        opts=pulumi.ResourceOptions(provider=provider),
    )
    pulumi.export("accountId", account.account_id)
    # Read by every workload stack (StackReference) to link each of its regions to the sink of that region.
    pulumi.export(SINK_ARNS_OUTPUT, monitoring.sink_arns)
