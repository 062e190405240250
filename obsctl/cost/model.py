"""What the estimate is made of: the plan's AWS resources with their place, and priced line items.

Everything is read from the plan document itself (the `pulumi preview --json` shape `obsctl plan` writes),
so the estimate prices what the plan deploys: a resource's account comes from its provider's
`allowedAccountIds`, its region from its own `region` input, else its provider's region.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from obsctl.cost.prices import PriceTable
from obsctl.plan.provider_inputs import is_provider, provider_placement

# Billed per account, not per region: IAM and Budgets are global services, and CloudWatch dashboards are
# account-wide (one dashboard can show every region; the free allowance is per account).
_GLOBAL_TYPES = ("aws:iam/", "aws:budgets/", "aws:organizations/", "aws:cloudwatch/dashboard:")
# AWS bills with 730 hours a month.
DAYS_PER_MONTH = 730 / 24


@dataclass(frozen=True)
class Resource:
    type: str
    urn: str
    account: str
    region: str  # '' for global resources
    inputs: dict[str, Any]

    @property
    def name(self) -> str:
        return self.urn.rsplit("::", 1)[-1]


def read_resources(document: dict[str, Any]) -> list[Resource]:
    """The custom AWS resources the plan creates, each with its account and region."""
    states = [step.get("newState") or {} for step in document.get("steps", [])]
    providers: dict[str, tuple[str, str]] = {}
    for state in states:
        if is_provider(str(state.get("type", ""))):
            providers[state["urn"]] = provider_placement(state.get("inputs") or {})
    resources = []
    for state in states:
        type_ = str(state.get("type", ""))
        if not state.get("custom") or not type_.startswith("aws:"):
            continue
        account, provider_region = providers.get(str(state.get("provider", "")).rsplit("::", 1)[0], ("", ""))
        inputs = state.get("inputs") or {}
        region = inputs.get("region") if isinstance(inputs.get("region"), str) else provider_region
        if type_.startswith(_GLOBAL_TYPES):
            region = ""
        resources.append(Resource(type_, state["urn"], account, region, inputs))
    return resources


def of_type(resources: Iterable[Resource], *types: str) -> list[Resource]:
    return [r for r in resources if r.type in types]


@dataclass(frozen=True)
class LineItem:
    account: str
    region: str
    component: str
    what: str
    quantity: float
    unit: str
    price_key: str
    unit_usd: float
    per: float

    @property
    def usd(self) -> float:
        return self.quantity / self.per * self.unit_usd

    def as_json(self) -> dict[str, Any]:
        return {
            "account": self.account,
            "region": self.region,
            "component": self.component,
            "what": self.what,
            "quantity": self.quantity,
            "unit": self.unit,
            "price": self.price_key,
            "unitPriceUsd": self.unit_usd,
            "pricePer": self.per,
            "monthlyUsd": round(self.usd, 4),
        }


class Pricer:
    """Prices quantities with the price table; remembers which prices (and where) the estimate used."""

    def __init__(self, prices: PriceTable) -> None:
        self.prices = prices
        self.used: set[str] = set()
        self.unconfirmed: set[str] = set()

    def item(self, account: str, region: str, component: str, what: str, quantity: float, price_key: str) -> LineItem:
        unit_usd = self.prices.usd(price_key, region)
        price = self.prices.price(price_key)
        self.used.add(price_key)
        if price.unconfirmed_in(region):
            self.unconfirmed.add(f"{price_key} ({region})" if price.regions else price_key)
        return LineItem(account, region, component, what, quantity, price.unit, price_key, unit_usd, price.per)

    def allowance(self, key: str) -> float:
        value = self.prices.allowance(key)
        self.used.add(key)
        if self.prices.allowances[key].unconfirmed:
            self.unconfirmed.add(key)
        return value


def group_by_place(resources: Iterable[Resource]) -> dict[tuple[str, str], list[Resource]]:
    places: dict[tuple[str, str], list[Resource]] = defaultdict(list)
    for resource in resources:
        places[(resource.account, resource.region)].append(resource)
    return dict(sorted(places.items()))
