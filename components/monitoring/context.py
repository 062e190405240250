"""One workload account in one region, as every regional builder (alarms, signals, queries, dashboards) sees it.

Built from the inventory by `components.monitoring.specs.region_context`, the one place that decides what
a region gets; `RegionalMonitoring` and `obsctl verify` both start from it.
"""

from __future__ import annotations

from dataclasses import dataclass

from inventory.base import FrozenModel
from inventory.evaluation import Tier
from inventory.monitoring import MonitoringSettings
from vocabulary import names


@dataclass(frozen=True)
class TrailLocation:
    """Where the account's own multi-region trail writes: one log group in its home region. `None` wherever
    a trail location is optional means the account has no trail of its own (an organisation trail covers it)."""

    home_region: str
    log_group_name: str

    def log_group_in(self, region: str) -> str | None:
        """The trail's log group if it lives in `region` (the home region), else None."""
        return self.log_group_name if region == self.home_region else None


class RegionContext(FrozenModel):
    account_id: str
    account_name: str
    environment: str
    region: str
    # The account's home region: its budget alerts go to the critical topic there (and only there).
    home_region: str
    # Models callable in this region (the inventory refuses duplicates).
    models: tuple[str, ...]
    settings: MonitoringSettings
    invocation_log_group_name: str
    # The account's own trail (its log group lives in `trail.home_region`), in *every* region: the operations
    # dashboard's "recent failed invocations" widget queries it from there (filtered on awsRegion); where it
    # lives it also feeds the security metric filters, alarms and widgets and the saved CloudTrail query.
    # None: no account trail (an organisation trail covers the account); failures come from error metrics.
    trail: TrailLocation | None = None

    @property
    def prefix(self) -> str:
        return names.prefix(self.account_name, self.region)

    @property
    def where(self) -> str:
        return f"account {self.account_name}, {self.region}"

    @property
    def trail_log_group_here(self) -> str | None:
        """The trail's log group if it lives in this region (metric filters, security widgets, saved query)."""
        return self.trail.log_group_in(self.region) if self.trail else None

    def notify_ok(self, tier: Tier) -> bool:
        # Critical alarms always announce recovery so the pager incident can auto-resolve.
        return tier == "critical" or self.settings.warning_ok_actions

    def saved_query(self, title: str, region: str) -> str:
        """How a description names a saved query: its console name and the region it is saved in."""
        return f"saved query '{names.saved_query_name(self.account_name, title)}' (Logs Insights in {region})"
