"""Monitoring account: OAM sinks, org alarms, aggregate dashboards, optional Grafana; workload OAM links."""

from components.org_monitoring.component import (
    OamLink,
    OamLinkArgs,
    OrgMonitoring,
    OrgMonitoringArgs,
    sink_resource_name,
)
from components.org_monitoring.refs import WorkloadRef

__all__ = ["OamLink", "OamLinkArgs", "OrgMonitoring", "OrgMonitoringArgs", "WorkloadRef", "sink_resource_name"]
