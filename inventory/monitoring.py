"""Per-account monitoring settings: alarm thresholds, notification targets, price table, budget.

Overridable per workload account through `settings.monitoring` in stacks/org.yaml.
"""

from inventory.base import StrictModel


class MonitoringSettings(StrictModel):
    """Filled in by the dashboards/alarms work (issue 3)."""
