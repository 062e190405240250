"""The cost estimate inside `obsctl plan`: assumptions from the inventory (and the command line), the
estimate written into the plan document under `x-bedrock-observability.costEstimate`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from inventory.cost import CostAssumptions, with_overrides
from inventory.load import StackTarget
from obsctl.cost.estimate import Context, estimate

DOCUMENT_KEY = "costEstimate"


def context_for(target: StackTarget, overrides: Mapping[str, float] | None = None) -> Context:
    """Each workload account's merged `settings.cost_assumptions`; `defaults.cost_assumptions` for any other
    account (the monitoring account); command-line values over both."""
    org = target.org
    given = dict(overrides or {})
    accounts = {a.account_id: a.settings.cost_assumptions for a in org.workload_accounts}
    default = org.defaults.cost_assumptions
    # Only the accounts the plan deploys to are asked for: merged with the command line on first use, so a
    # stack's estimate does not cost more in a bigger org.
    merged: dict[str, CostAssumptions] = {}
    # A Metrics Insights alarm over SCHEMA("AWS/Bedrock", ModelId) analyses one series per account and model
    # of the region: the models the inventory lists there.
    series = Counter({region: 0 for region in org.workload_regions})
    for account in org.workload_accounts:
        for region in account.regions:
            series[region] += len(account.models_in(region))

    def assume(account_id: str) -> CostAssumptions:
        if account_id not in merged:
            merged[account_id] = with_overrides(accounts.get(account_id, default), given)
        return merged[account_id]

    def insights_series(_account: str, region: str) -> int:
        return max(1, series[region])

    return Context(assume=assume, insights_series=insights_series)


def add_cost_estimate(
    document: dict[str, Any], target: StackTarget, overrides: Mapping[str, float] | None = None
) -> dict[str, Any]:
    """Estimate the plan and keep the estimate in the document; raises PriceError for an unpriced region."""
    result = estimate(document, context_for(target, overrides))
    document.setdefault("x-bedrock-observability", {})[DOCUMENT_KEY] = result
    return result
