"""Organisations of any size for the monitoring account's builders."""

from __future__ import annotations

from components.org_monitoring.refs import WorkloadRef
from inventory.monitoring import MAX_PRICED_MODELS, ModelPrice, Pricing

MONITORING = "999999999999"
REGIONS_10 = [
    "us-east-1",
    "us-east-2",
    "us-west-2",
    "eu-west-1",
    "eu-west-3",
    "eu-central-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-northeast-1",
    "ca-central-1",
]
MODELS = [f"vendor.model-{i}-v1:0" for i in range(12)] + [f"us.vendor.profile-{i}-v1:0" for i in range(8)]


def org(accounts: int, regions: list[str]) -> list[WorkloadRef]:
    return [
        WorkloadRef(
            account_id=f"{100000000000 + i}", name=f"team-{i:03d}", regions=tuple(regions), models=tuple(MODELS)
        )
        for i in range(accounts)
    ]


def max_prices() -> Pricing:
    return Pricing(
        models={
            m: ModelPrice(input_per_1k_tokens_usd=0.00025, output_per_1k_tokens_usd=0.00125)
            for m in MODELS[:MAX_PRICED_MODELS]
        }
    )
