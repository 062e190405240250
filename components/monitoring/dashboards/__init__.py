"""The three regional dashboards (operations, cost & usage, security), built from typed models and checked
against CloudWatch's quotas when built."""

from __future__ import annotations

from components.cloudwatch.dashboard import Dashboard
from components.monitoring.context import RegionContext
from components.monitoring.dashboards.common import AlarmsShown
from components.monitoring.dashboards.cost_usage import cost_dashboard
from components.monitoring.dashboards.operations import operations_dashboards
from components.monitoring.dashboards.security import security_dashboard


def build_dashboards(ctx: RegionContext, alarms: AlarmsShown) -> tuple[Dashboard, ...]:
    dashboards = (*operations_dashboards(ctx, alarms), cost_dashboard(ctx), security_dashboard(ctx, alarms))
    for dashboard in dashboards:
        dashboard.check_limits()
    return dashboards


__all__ = ["AlarmsShown", "build_dashboards", "cost_dashboard", "operations_dashboards", "security_dashboard"]
