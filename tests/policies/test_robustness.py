"""No rule raises, whatever JSON value a resource property holds: a property of the wrong type is reported
or ignored, never a crash (pulumi-policy does not catch a rule's exception: under the CLI it fails the whole
preview). And if a rule ever did raise, policy-check reports it against the resource instead of a traceback."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pulumi_policy import EnforcementLevel, ResourceValidationPolicy

from obsctl.policy import check_plans
from tests.policy_fixtures.build import plan, state

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53), max_value=2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
    | st.sampled_from(
        ["*", "alias/aws/s3", '{"Statement": 5}', '{"Statement": [{"Effect": "Allow", "Principal": "*"}]}']
    ),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3),
    max_leaves=8,
)


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list) and value:
        found += _paths(value[0], (*prefix, 0))
    return found


def _targets(example_plans: dict[str, dict[str, Any]]) -> list[tuple[dict[str, Any], tuple]]:
    """(state, input path) for one resource of every AWS type in the example plans."""
    targets, seen = [], set()
    for document in example_plans.values():
        for step in document["steps"]:
            resource = step["newState"]
            if resource["type"].startswith("aws:") and resource["type"] not in seen:
                seen.add(resource["type"])
                targets += [(resource, path) for path in _paths(resource["inputs"])]
    return targets


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), value=JSON)
def test_no_rule_raises_on_any_property_value(example_plans: dict[str, dict[str, Any]], data: Any, value: Any) -> None:
    resource, path = data.draw(st.sampled_from(_targets(example_plans)))
    inputs = copy.deepcopy(resource["inputs"])
    target = inputs
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    mutated = state(resource["type"], "fuzzed", inputs, protect=True)
    findings = check_plans([("fuzz", plan(mutated))]).findings
    assert not [f.message for f in findings if f.policy == "(pack error)"], (resource["type"], path, value)


def test_a_rule_that_raises_is_reported_against_the_resource() -> None:
    def broken(args: Any, report: Any) -> None:
        raise KeyError("boom")

    policy = ResourceValidationPolicy("broken", "raises", broken, EnforcementLevel.ADVISORY)
    topic = state("aws:sns/topic:Topic", "t", {})
    result = check_plans([("p", plan(topic))], policies=[policy])
    errors = [f for f in result.findings if f.policy == "(pack error)"]
    assert topic["urn"] in {f.urn for f in errors}  # one per analyzed resource, the topic among them
    assert all("KeyError" in f.message and "fix:" in f.message and f.level == "mandatory" for f in errors)
    assert result.exit_code == 1
