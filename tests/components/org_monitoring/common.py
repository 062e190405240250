"""Organisations of any size for the monitoring account's builders."""

from __future__ import annotations

import json

from components.org_monitoring.refs import WorkloadRef
from inventory.pricing import MAX_PRICED_MODELS, ModelPrice, Pricing

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


def max_cache_prices() -> Pricing:
    """The heaviest price table: the maximum number of models, each with cache prices (four price lines) and
    long decimals."""
    unit = 0.0000012345
    price = ModelPrice(
        input_per_1k_tokens_usd=unit,
        output_per_1k_tokens_usd=unit,
        cache_read_per_1k_tokens_usd=unit,
        cache_write_per_1k_tokens_usd=unit,
    )
    return Pricing(models={f"vendor.model-{i}-v1:0": price for i in range(MAX_PRICED_MODELS)})


def insights_per_widget(body: str) -> dict[str, int]:
    """Metrics Insights queries (`SELECT ...`) of each metric widget of a rendered dashboard body, by title."""
    counts = {}
    for widget in json.loads(body)["widgets"]:
        if widget["type"] != "metric":
            continue
        entries = [m[0] for m in widget["properties"]["metrics"] if isinstance(m[0], dict)]
        queries = [e["expression"] for e in entries if "expression" in e]
        counts[widget["properties"]["title"]] = sum(q.lstrip()[:6].upper() == "SELECT" for q in queries)
    return counts
