"""What the monitoring account needs to know about each workload account (nothing else leaks in)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

_ACCOUNT_ID = re.compile(r"^\d{12}$")


@dataclass(frozen=True)
class WorkloadRef:
    account_id: str
    name: str
    regions: Sequence[str]
    # Model ids the account is expected to call; used only to size Metrics Insights scans in the scale
    # checks. Dashboards and alarms never enumerate models, so new models appear without a deploy.
    models: Sequence[str] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if not _ACCOUNT_ID.match(self.account_id):
            raise ValueError(f"workload {self.name!r}: account_id must be 12 digits, got {self.account_id!r}")
        if not self.regions:
            raise ValueError(f"workload {self.name!r}: at least one region is required")


def accounts_in_region(workloads: Sequence[WorkloadRef], region: str) -> list[WorkloadRef]:
    return [w for w in workloads if region in w.regions]
