"""The price table: refusals that name the missing price and the fix, and the real table's coverage."""

from __future__ import annotations

import re

import pytest

from obsctl.cost.estimate import Context, estimate
from obsctl.cost.prices import PriceError, load_prices
from tests.obsctl.cost.hand_counted import (
    PRICES,
    SMALL_STACK,
    SMALL_TRAFFIC,
    plan_of,
)


def test_region_without_a_price_is_a_clear_error() -> None:
    with pytest.raises(PriceError) as refused:
        estimate(plan_of(SMALL_STACK, region="ap-south-1"), Context(lambda _: SMALL_TRAFFIC), PRICES)
    message = str(refused.value)
    price = re.search(r"no price for (cloudwatch\.\w+) \(.*\) in region 'ap-south-1'", message)
    assert price, message
    assert "fix: add the ap-south-1 list price from https://aws.amazon.com/pricing/" in message
    assert f"prices.{price.group(1)}.regions" in message


def test_unknown_storage_class_is_a_clear_error() -> None:
    stack = [r for r in SMALL_STACK if r[0] != "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"]
    lifecycle = {
        "bucket": "logs-bucket",
        "rules": [{"status": "Enabled", "transitions": [{"days": 30, "storageClass": "GLACIER"}]}],
    }
    stack.append(("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "b", lifecycle))
    with pytest.raises(PriceError, match=r"no allowance 's3\.minimum_days\.GLACIER'"):
        estimate(plan_of(stack), Context(lambda _: SMALL_TRAFFIC), PRICES)


def test_the_real_price_table_prices_every_key_in_the_same_regions() -> None:
    # A region is either fully priced or refused: never priced for some parts and silently skipped for others.
    table = load_prices()
    regional = [p for p in table.prices.values() if p.regions is not None]
    regions = {frozenset(p.regions or {}) for p in regional}
    assert len(regions) == 1 and {"us-east-1", "eu-west-1", "us-west-2", "eu-central-1", "ap-southeast-2"} <= set(
        next(iter(regions))
    )
    assert set(PRICES.prices) <= set(table.prices)
    for key in PRICES.prices:
        # The fixed test prices above are the real table's us-east-1 figures.
        assert table.usd(key, "us-east-1") == PRICES.usd(key, "us-east-1"), key


def test_malformed_price_table_is_refused(tmp_path) -> None:
    path = tmp_path / "prices.yaml"
    path.write_text("sources: {}\nprices:\n  x: {source: nowhere, unit: u, usd: -1}\n")
    with pytest.raises(PriceError, match=r"malformed: .*prices\.x\.usd.*not a non-negative"):
        load_prices.__wrapped__(path)
