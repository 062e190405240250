"""Monitoring-account settings: sink policy scope, org-level alarms, optional Grafana."""

from inventory.base import StrictModel


class OrgMonitoringSettings(StrictModel):
    """Filled in by the monitoring-account work (issue 5)."""
