"""What the monitoring account needs to know about each workload account (nothing else leaks in).

Built from the validated inventory (`inventory.models.WorkloadAccount`: 12-digit account id, unique non-empty
regions and models), so nothing is re-checked here."""

from __future__ import annotations

from collections.abc import Sequence

from inventory.base import FrozenModel
from inventory.models import WorkloadAccount


class WorkloadRef(FrozenModel):
    account_id: str
    name: str
    regions: tuple[str, ...]
    # Model ids the account calls: the org cost widgets price them (an inference profile falls back to its
    # base model's price). Alarms and the other dashboard widgets never enumerate models, so new models
    # appear there without a deploy.
    models: tuple[str, ...] = ()
    # The account's monthly AWS Budget (None: no budget): the management dashboard compares estimated cost to it.
    monthly_budget_usd: float | None = None

    @classmethod
    def of(cls, account: WorkloadAccount) -> WorkloadRef:
        budget = account.settings.monitoring.budget
        return cls(
            account_id=account.account_id,
            name=account.name,
            regions=account.regions,
            models=account.models,
            monthly_budget_usd=budget.monthly_limit_usd if budget.enabled else None,
        )


def accounts_in_region(workloads: Sequence[WorkloadRef], region: str) -> list[WorkloadRef]:
    return [w for w in workloads if region in w.regions]
