"""The expressions both monitoring features share, in the exact form CloudWatch receives them."""

from __future__ import annotations

import pytest

from components.cloudwatch import expressions
from inventory.pricing import ModelPrice

PRICE = ModelPrice(input_per_1k_tokens_usd=0.00002, output_per_1k_tokens_usd=0.015)


def test_error_rate_is_zero_below_the_minimum_and_fills_gaps_unless_told_not_to() -> None:
    assert (
        expressions.error_rate("inv", ("ce", "se"), 20) == "IF(inv >= 20, 100 * (FILL(ce, 0) + FILL(se, 0)) / inv, 0)"
    )
    assert expressions.error_rate("inv", ("se",), 5) == "IF(inv >= 5, 100 * (FILL(se, 0)) / inv, 0)"
    org = expressions.error_rate("invocations", ("client_errors", "server_errors"), 20, fill_missing=False)
    assert org == "IF(invocations >= 20, 100 * (client_errors + server_errors) / invocations, 0)"


def test_per_minute_normalises_by_the_query_period() -> None:
    assert expressions.per_minute(expressions.fill("thr"), "thr") == "FILL(thr, 0) / (PERIOD(thr) / 60)"


def test_search_per_model_per_account_and_for_some_models() -> None:
    assert expressions.model_search("Invocations", "Sum", 300) == (
        "SEARCH('{AWS/Bedrock,ModelId} MetricName=\"Invocations\"', 'Sum', 300)"
    )
    # No dimension names: only the model-less series, one per account.
    assert expressions.search("InvocationLatency", "p95", 300) == (
        "SEARCH('{AWS/Bedrock} MetricName=\"InvocationLatency\"', 'p95', 300)"
    )
    some = expressions.search(
        "InputTokenCount", "Sum", 3600, dimensions=("ModelId",), where=expressions.any_model(("a", "b"))
    )
    assert (
        some
        == 'SEARCH(\'{AWS/Bedrock,ModelId} MetricName="InputTokenCount" (ModelId="a" OR ModelId="b")\', \'Sum\', 3600)'
    )
    assert expressions.any_model(("a",)) == 'ModelId="a"'


def test_metrics_insights_sums() -> None:
    assert expressions.SCHEMA == 'SCHEMA("AWS/Bedrock", ModelId)'
    assert expressions.insights_sum("InvocationThrottles", group_by="AWS.AccountId") == (
        'SELECT SUM(InvocationThrottles) FROM SCHEMA("AWS/Bedrock", ModelId) GROUP BY AWS.AccountId ORDER BY SUM() DESC'
    )
    assert expressions.insights_sum("Invocations", model_ids=("a", "us.a"), limit=10) == (
        "SELECT SUM(Invocations) FROM SCHEMA(\"AWS/Bedrock\", ModelId) WHERE ModelId = 'a' OR ModelId = 'us.a' LIMIT 10"
    )


@pytest.mark.parametrize(
    ("compact", "expected"),
    [
        (False, "(FILL(i, 0) * 0.00002 + FILL(o, 0) * 0.015) / 1000"),
        (True, "(FILL(i,0)*0.00002+FILL(o,0)*0.015)/1000"),
    ],
)
def test_cost_uses_plain_decimals(compact: bool, expected: str) -> None:
    term = expressions.token_cost(
        PRICE, expressions.fill("i", compact=compact), expressions.fill("o", compact=compact), compact=compact
    )
    assert expressions.usd([term], compact=compact) == expected
    assert "e-" not in expected  # metric math does not read scientific notation


def test_math_number() -> None:
    assert [expressions.math_number(v) for v in (1e-05, 0.0, 3.0, 0.00125)] == ["0.00001", "0", "3", "0.00125"]
