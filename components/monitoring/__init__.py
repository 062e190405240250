"""Regional Bedrock monitoring (dashboards, alarms, alert routing, saved queries, security signals) and the
per-account Bedrock budget. Pure builders live in the sibling modules and are importable without Pulumi
resources being created."""

from components.monitoring.account_budget import AccountBudget, AccountBudgetArgs
from components.monitoring.queries import TrailLocation
from components.monitoring.regional import RegionalMonitoring, RegionalMonitoringArgs

__all__ = ["AccountBudget", "AccountBudgetArgs", "RegionalMonitoring", "RegionalMonitoringArgs", "TrailLocation"]
