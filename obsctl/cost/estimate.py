"""The footprint cost estimate of one plan document: line items, and their sums per place and component.

Pure: a plan document, the assumptions per account and a price table in; a JSON-ready summary out. The
`obsctl plan` glue (obsctl.cost.attach) supplies the inventory's assumptions and writes the summary into
the document.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from inventory.cost import CostAssumptions
from obsctl.cost import fixed, storage, traffic
from obsctl.cost.model import LineItem, Pricer, read_resources
from obsctl.cost.prices import PRICES_FILE, PriceTable, load_prices

# Display order of the components (a component absent from a plan is left out).
COMPONENTS = (
    "alarms",
    "dashboards",
    "custom metrics",
    "logs ingestion",
    "logs storage",
    "s3 storage",
    "s3 requests",
    "kms",
    "cloudtrail",
    "sns",
    "grafana",
    "budgets",
    "oam",
)

NOT_INCLUDED = (
    "Amazon Bedrock itself (model usage: see the budget and the cost-usage dashboards)",
    "Logs Insights queries and GetMetricData calls (per GB scanned / metrics requested; depend on who looks)",
    "free tiers shared by the whole organisation (CloudWatch 10 alarm metrics, 10 metrics, 5 GB logs; "
    "KMS 20,000 requests; SNS first 1M publishes) - except the dashboards' per-account allowance",
    "S3 per-object overheads (Deep Archive 40 KB, 128 KB minimum object size of Standard-IA/Glacier IR)",
    "data transfer, taxes, Savings Plans and negotiated discounts",
)


@dataclass(frozen=True)
class Context:
    """What the plan cannot tell: the traffic assumptions of an account, and how many metrics a Metrics
    Insights alarm of an account-region analyses (from the inventory: the accounts' models there)."""

    assume: Callable[[str], CostAssumptions]
    insights_series: Callable[[str, str], int] = lambda _account, _region: 1


def line_items(
    document: dict[str, Any], context: Context, prices: PriceTable
) -> tuple[list[LineItem], Pricer, list[str]]:
    """The line items, the pricer that priced them, and what could not be priced (and why)."""
    resources = read_resources(document)
    pricer = Pricer(prices)
    items = list(fixed.all_fixed(resources, pricer, context.insights_series, context.assume))
    flows, volumes = traffic.flows_of(resources, context.assume)
    items += traffic.trail_items(volumes, pricer)
    items += storage.log_group_items(resources, flows, context.assume, pricer)
    items += storage.bucket_items(resources, flows, pricer)
    items += storage.kms_request_items(resources, flows, context.assume, pricer)
    items += storage.sns_items(resources, context.assume, pricer)
    return items, pricer, flows.not_priced


def _sums(items: list[LineItem]) -> dict[str, float]:
    sums: dict[str, float] = defaultdict(float)
    for item in items:
        sums[item.component] += item.usd
    return {c: round(sums[c], 2) for c in COMPONENTS if c in sums}


def estimate(document: dict[str, Any], context: Context, prices: PriceTable | None = None) -> dict[str, Any]:
    """The JSON-ready estimate of one plan: total, per account-region (region '' = global), per component."""
    prices = prices or load_prices()
    items, pricer, not_priced = line_items(document, context, prices)
    by_place: dict[tuple[str, str], list[LineItem]] = defaultdict(list)
    for item in items:
        by_place[(item.account, item.region)].append(item)
    accounts = sorted({item.account for item in items})
    return {
        "currency": "USD",
        "basis": "per month, AWS list prices, steady state (logs and buckets full to their retention)",
        "monthlyUsd": round(sum(item.usd for item in items), 2),
        "components": _sums(items),
        "places": [
            {
                "account": account,
                "region": region,
                "monthlyUsd": round(sum(i.usd for i in here), 2),
                "components": _sums(here),
            }
            for (account, region), here in sorted(by_place.items())
        ],
        "items": [item.as_json() for item in items],
        "assumptions": {account: context.assume(account).model_dump() for account in accounts},
        "prices": {
            "file": f"obsctl/cost/{PRICES_FILE.name}",
            "used": {key: prices.describe(key) for key in sorted(pricer.used)},
        },
        "unconfirmedPrices": sorted(pricer.unconfirmed),
        # Traffic the plan does not say where it goes (a value unknown at preview): left out of monthlyUsd.
        "notPriced": not_priced,
        "notIncluded": list(NOT_INCLUDED),
    }
