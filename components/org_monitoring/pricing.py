"""The org-wide price table as the org dashboards and Grafana apply it (`inventory.pricing.Pricing`, the
same table and semantics as the workload cost dashboards)."""

from __future__ import annotations

from collections.abc import Sequence

from components.org_monitoring.refs import WorkloadRef
from inventory.base import FrozenModel
from inventory.pricing import ModelPrice, Pricing


class PricedModel(FrozenModel):
    """One entry of the price table and every ModelId dimension value priced with it: the key itself plus
    the inventory's cross-region inference profiles (us.<key>, ...) that fall back to it (`Pricing.price_for`)."""

    key: str
    model_ids: tuple[str, ...]
    price: ModelPrice


def inventory_models(workloads: Sequence[WorkloadRef]) -> list[str]:
    return sorted({m for w in workloads for m in w.models})


def priced_models(pricing: Pricing, workloads: Sequence[WorkloadRef]) -> list[PricedModel]:
    candidates = inventory_models(workloads)
    return [
        PricedModel(key=key, model_ids=pricing.model_ids_priced_as(key, candidates), price=price)
        for key, price in sorted(pricing.models.items())
    ]


def unpriced_models(pricing: Pricing, workloads: Sequence[WorkloadRef]) -> list[str]:
    return [m for m in inventory_models(workloads) if pricing.price_for(m) is None]
