"""Plan documents: JSON only (no Infinity/NaN), aliases carried in newState."""

from __future__ import annotations

import json
import math

import pytest

from obsctl.plan.runner import PlanError, plan_text

URN = "urn:pulumi:payments-prod::bedrock-observability::aws:cloudwatch/metricAlarm:MetricAlarm::a"


def _document(threshold: float) -> dict:
    inputs = {"threshold": threshold, "metricQueries": [{"id": "m1", "period": 60}]}
    return {"steps": [{"op": "create", "urn": URN, "newState": {"urn": URN, "inputs": inputs}}]}


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan])
def test_non_finite_numbers_are_refused_naming_stack_resource_and_input(value: float) -> None:
    with pytest.raises(PlanError) as refused:
        plan_text("payments-prod", _document(value))
    message = str(refused.value)
    assert message.startswith("stack 'payments-prod': ") and f"{URN} inputs.threshold is {value}" in message
    assert "fix:" in message


def test_nested_non_finite_numbers_are_found() -> None:
    document = _document(1.0)
    document["steps"][0]["newState"]["inputs"]["metricQueries"][0]["period"] = math.inf
    with pytest.raises(PlanError, match=r"inputs\.metricQueries\[0\]\.period is inf"):
        plan_text("payments-prod", document)


def test_finite_plans_are_plain_json() -> None:
    text = plan_text("payments-prod", _document(5.0))
    assert json.loads(text) == _document(5.0) and text.endswith("\n")


def test_plans_carry_aliases_only_where_there_are_some(example_plans: dict) -> None:
    states = [step["newState"] for plan in example_plans.values() for step in plan["steps"]]
    with_aliases = [s["aliases"] for s in states if "aliases" in s]
    assert with_aliases and all(
        aliases and all(a.startswith("urn:pulumi:") for a in aliases) for aliases in with_aliases
    )
