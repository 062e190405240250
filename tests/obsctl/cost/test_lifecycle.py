"""S3 lifecycle tiers in steady state: transitions, expiry, minimum durations and object sizes."""

from __future__ import annotations

from typing import Any

import pytest

from obsctl.cost.estimate import Context, estimate
from obsctl.cost.lifecycle import UNBOUNDED_DAYS, Lifecycle, Tier, from_inputs
from tests.obsctl.cost.hand_counted import (
    PRICES,
    SMALL_STACK,
    SMALL_TRAFFIC,
    plan_of,
)


@pytest.mark.parametrize(
    ("lifecycle", "versioned", "tiers"),
    [
        # The audit default: IA 30, Glacier IR 90, Deep Archive 365, expiry 2557, versioned (+30 days noncurrent).
        (
            {"transitions": [(30, "STANDARD_IA"), (90, "GLACIER_IR"), (365, "DEEP_ARCHIVE")], "expire": 2557},
            True,
            [("STANDARD", 30), ("STANDARD_IA", 60), ("GLACIER_IR", 275), ("DEEP_ARCHIVE", 2222)],
        ),
        # Expiry before the last transition: that transition never happens.
        (
            {"transitions": [(30, "STANDARD_IA"), (90, "GLACIER_IR")], "expire": 60},
            False,
            [("STANDARD", 30), ("STANDARD_IA", 30)],
        ),
        # No lifecycle rule: everything stays in Standard; no steady state, one year shown.
        ({"transitions": [], "expire": None}, False, [("STANDARD", UNBOUNDED_DAYS)]),
    ],
)
def test_lifecycle_tiers(lifecycle: dict[str, Any], versioned: bool, tiers: list[tuple[str, int]]) -> None:
    rules = []
    if lifecycle["expire"] is not None:
        rule = {
            "status": "Enabled",
            "transitions": [{"days": d, "storageClass": c} for d, c in lifecycle["transitions"]],
            "expiration": {"days": lifecycle["expire"]},
            "noncurrentVersionExpiration": {"noncurrentDays": 30},
        }
        rules.append(rule)
    parsed = from_inputs({"rules": rules} if rules else None, versioned)
    assert [(t.storage_class, t.days) for t in parsed.tiers()] == tiers


def test_short_stay_is_billed_the_class_minimum() -> None:
    # Standard-IA from day 30, Glacier IR from day 40: 10 days in IA, billed 30 (the IA minimum).
    stack = [r for r in SMALL_STACK if r[0] != "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"]
    rule = {
        "status": "Enabled",
        "transitions": [{"days": 30, "storageClass": "STANDARD_IA"}],
        "expiration": {"days": 40},
    }
    stack.append(
        (
            "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
            "b",
            {"bucket": "logs-bucket", "rules": [rule]},
        )
    )
    result = estimate(plan_of(stack), Context(lambda _: SMALL_TRAFFIC, lambda _a, _r: 4), PRICES)
    ia = [i for i in result["items"] if i["price"] == "s3.storage.STANDARD_IA"]
    # Two streams of 0.5 GB a day each (large payloads, log files), each billed 30 days: 30 GB-months.
    assert sum(i["quantity"] for i in ia) == pytest.approx(30)
    assert len(ia) == 2 and all("billed 30 days minimum" in i["what"] for i in ia)
    assert Lifecycle(((30, "STANDARD_IA"),), 40, 0).tiers() == [
        Tier("STANDARD", 30, False),
        Tier("STANDARD_IA", 10, True),
    ]


@pytest.mark.parametrize(
    ("minimum_object_size", "tiers"),
    [
        # S3's default: objects under 128 KB never transition; they stay in Standard until they expire.
        (None, [("STANDARD", 400)]),
        ("all_storage_classes_128K", [("STANDARD", 400)]),
        # Under varies_by_storage_class they still move to Deep Archive (not to Standard-IA or Glacier IR).
        ("varies_by_storage_class", [("STANDARD", 180), ("DEEP_ARCHIVE", 220)]),
    ],
)
def test_small_objects_follow_the_transition_minimum_object_size(
    minimum_object_size: str | None, tiers: list[tuple[str, int]]
) -> None:
    inputs: dict[str, Any] = {
        "rules": [
            {
                "status": "Enabled",
                "transitions": [
                    {"days": 30, "storageClass": "STANDARD_IA"},
                    {"days": 90, "storageClass": "GLACIER_IR"},
                    {"days": 180, "storageClass": "DEEP_ARCHIVE"},
                ],
                "expiration": {"days": 400},
            }
        ]
    }
    if minimum_object_size:
        inputs["transitionDefaultMinimumObjectSize"] = minimum_object_size
    lifecycle = from_inputs(inputs, versioned=False)
    assert [(t.storage_class, t.days) for t in lifecycle.tiers(object_kb=72)] == tiers
    # 128 KB and larger: every transition happens.
    assert [t.storage_class for t in lifecycle.tiers(object_kb=128)] == [
        "STANDARD",
        "STANDARD_IA",
        "GLACIER_IR",
        "DEEP_ARCHIVE",
    ]
