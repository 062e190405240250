"""The estimate of hand-counted plans: fixed parts, traffic, places, and how it grows."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inventory.cost import CostAssumptions
from obsctl.cost.estimate import Context, estimate
from obsctl.cost.model import read_resources
from tests.obsctl.cost.hand_counted import (
    ACCOUNT,
    MONTH,
    PRICES,
    plan_of,
    quantities,
    small_estimate,
)


def test_small_stack_counted_by_hand() -> None:
    result = small_estimate()
    q = quantities(result)
    # Logs: 12,288 normal records x 64 KB + 4,096 large records x 64 KB stub = 1,048,576 KB = 1 GB a day.
    gb_month = 1 * MONTH
    # Bucket: 4,096 large payloads x 128 KB = 0.5 GB, plus the gzip copy of every record
    # (12,288 x 64 + 4,096 x 128 KB = 1.25 GB) x 0.4 = 0.5 GB: 1 GB a day; 4,096 + 904 = 5,000 objects a day.
    objects_month = 5_000 * MONTH
    expected = {
        "cloudwatch.alarm_metric": 7,
        "cloudwatch.alarm_metric_high_resolution": 1,
        "cloudwatch.metrics_insights_alarm_metric": 4,
        "cloudwatch.composite_alarm": 1,
        "cloudwatch.dashboard": 1,
        "cloudwatch.custom_metric": 2,
        "kms.key": 1,
        "kms.rotation": 2,
        "cloudwatch.logs_ingestion": gb_month,
        # 30 days retention x 1 GB x 0.4 compressed = 12 GB stored.
        "cloudwatch.logs_storage": 12,
        # Standard for 30 days (30 GB), then Standard-IA until expiry at 60 (30 GB); not versioned.
        "s3.storage.STANDARD": 30,
        "s3.storage.STANDARD_IA": 30,
        "s3.transition.STANDARD_IA": objects_month,
        "s3.put_request": objects_month,
        # KMS a day: 5,000 objects x 1 % (S3 Bucket Key) + 288 (encrypted log group); plus 100 notifications.
        "kms.request": (50 + 288) * MONTH + 100,
        # 100 notifications x 2 email subscribers; x 1 HTTPS subscriber.
        "sns.email": 200,
        "sns.http": 100,
        "budgets.budget": 1,
        "cloudwatch.cross_account_observability": 1,
    }
    assert q.keys() == expected.keys()
    for key, quantity in expected.items():
        assert q[key] == pytest.approx(quantity), key
    # USD: alarms 7 x 0.10 + 0.30 + 4 x 0.10 + 0.50 = 1.90; dashboards 3.00; custom metrics 0.60;
    # keys 1.00 + 2 x 1.00 = 3.00; logs ingestion 30.41667 x 0.50 = 15.20833; logs storage 12 x 0.03 = 0.36;
    # S3 storage 30 x 0.023 + 30 x 0.0125 = 1.065; S3 requests 152,083.3 x (0.01 + 0.005) / 1000 = 2.28125;
    # KMS requests 10,380.8 x 0.03 / 10,000 = 0.03114; SNS 200 x 2 / 100,000 + 100 x 0.6 / 1e6 = 0.00406.
    assert result["components"] == pytest.approx(
        {
            "alarms": 1.90,
            "dashboards": 3.00,
            "custom metrics": 0.60,
            "logs ingestion": 15.21,
            "logs storage": 0.36,
            "s3 storage": 1.065,
            "s3 requests": 2.28,
            "kms": 3.03,
            "sns": 0.0,
            "budgets": 0.0,
            "oam": 0.0,
        },
        abs=0.006,  # components are rounded to cents
    )
    assert result["monthlyUsd"] == pytest.approx(27.45)
    # The dashboards are billed once per account (region ''); everything else where it lives.
    assert {(p["account"], p["region"]) for p in result["places"]} == {(ACCOUNT, ""), (ACCOUNT, "us-east-1")}
    assert sum(p["monthlyUsd"] for p in result["places"]) == pytest.approx(result["monthlyUsd"], abs=0.01)


def test_budget_actions_and_grafana_users() -> None:
    plan = plan_of(
        [
            ("aws:budgets/budget:Budget", "b", {}),
            *(("aws:budgets/budgetAction:BudgetAction", f"a{i}", {}) for i in range(3)),
            ("aws:grafana/workspace:Workspace", "w", {"name": "bedrock"}),
        ]
    )
    result = estimate(plan, Context(lambda _: CostAssumptions(grafana_editors=2, grafana_viewers=10)), PRICES)
    # Budgets: free without actions; 3 action-enabled, 2 free: 1 x 30.41667 days x 0.10 = 3.04.
    # Grafana: 2 editors x 9 + 10 viewers x 5 = 68.
    assert result["components"] == {"grafana": 68.0, "budgets": pytest.approx(3.04)}
    assert {i["region"] for i in result["items"] if i["component"] == "budgets"} == {""}


def test_resources_are_placed_by_provider_and_region_input() -> None:
    plan = plan_of(
        [
            ("aws:kms/key:Key", "k", {"region": "eu-west-1"}),
            ("aws:iam/role:Role", "r", {}),
            ("aws:cloudwatch/dashboard:Dashboard", "d", {"region": "eu-west-1"}),
        ]
    )
    # A real preview may carry provider inputs JSON-encoded.
    plan["steps"][0]["newState"]["inputs"]["allowedAccountIds"] = f'["{ACCOUNT}"]'
    assert [(r.account, r.region) for r in read_resources(plan)] == [
        (ACCOUNT, "eu-west-1"),
        (ACCOUNT, ""),
        (ACCOUNT, ""),
    ]


@settings(max_examples=60)
@given(
    low=st.floats(min_value=0, max_value=1e7, allow_nan=False),
    extra=st.floats(min_value=0, max_value=1e7, allow_nan=False),
    payload=st.floats(min_value=0, max_value=100, allow_nan=False),
    share=st.floats(min_value=0, max_value=1, allow_nan=False),
)
def test_cost_grows_with_traffic_and_fixed_parts_do_not_move(
    low: float, extra: float, payload: float, share: float
) -> None:
    def run(invocations: float) -> dict[str, Any]:
        return small_estimate(invocations_per_day=invocations, avg_payload_kb=payload, large_payload_share=share)

    quiet, busy = run(low), run(low + extra)
    assert busy["monthlyUsd"] >= quiet["monthlyUsd"]
    assert all(math.isfinite(i["monthlyUsd"]) and i["monthlyUsd"] >= 0 for i in busy["items"])
    for fixed in ("alarms", "dashboards", "custom metrics"):
        assert busy["components"][fixed] == quiet["components"][fixed]
