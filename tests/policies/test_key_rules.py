"""`kms-alias-target` (a stack rule, tested apart: the good workload fixture has no alias): an alias names a
key of its own stack, account and region, and a key unknown at preview counts when the alias depends on it."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from obsctl.policy import UNKNOWN, check_plans
from tests.policies.edits import find
from tests.policy_fixtures.build import plan, state

ALIAS = "aws:kms/alias:Alias"
KEY = "aws:kms/key:Key"


def _messages(document: dict[str, Any]) -> list[str]:
    return [f.message for f in check_plans([("p", document)]).findings if f.policy == "kms-alias-target"]


def _alias_plan(target: Any, *, depends: bool = True, key_outputs: dict[str, Any] | None = None) -> dict[str, Any]:
    key = state(KEY, "key", {"enableKeyRotation": True}, protect=True)
    if key_outputs:
        key["outputs"] = {"enableKeyRotation": True, **key_outputs}
    alias = state(ALIAS, "alias", {"name": "alias/bedrock-observability", "targetKeyId": target}, protect=True)
    if depends:
        alias["dependencies"] = [key["urn"]]
        alias["propertyDependencies"] = {"targetKeyId": [key["urn"]]}
    return plan(key, alias)


def test_alias_of_the_stack_key_passes() -> None:
    assert _messages(_alias_plan("1234abcd-12ab-34cd-56ef-1234567890ab")) == []
    assert _messages(_alias_plan(UNKNOWN)) == []
    assert _messages(_alias_plan("k-1", key_outputs={"keyId": "k-1", "arn": "arn:aws:kms:us-east-1:1:key/k-1"})) == []


@pytest.mark.parametrize(
    ("target", "depends", "outputs", "fragment"),
    [
        ("alias/aws/s3", True, None, "not a key"),
        ("arn:aws:kms:us-east-1:111111111111:alias/other", True, None, "not a key"),
        ("1234abcd-12ab-34cd-56ef-1234567890ab", False, None, "depends on none of its keys"),
        ("k-2", True, {"keyId": "k-1"}, "a key this stack does not create"),
    ],
)
def test_alias_elsewhere_is_reported(target: str, depends: bool, outputs: dict | None, fragment: str) -> None:
    messages = _messages(_alias_plan(target, depends=depends, key_outputs=outputs))
    assert messages and all("fix: set target_key_id" in m for m in messages), messages
    assert any(fragment in m for m in messages), messages


def test_alias_of_another_region_in_the_example_plan(example_plans: dict[str, dict[str, Any]]) -> None:
    document = copy.deepcopy(example_plans["research-dev"])
    find(document, ALIAS, "us-west-2")["inputs"]["targetKeyId"] = "arn:aws:kms:eu-central-1:222222222222:key/k"
    assert any("not in the alias's region us-west-2" in m for m in _messages(document))


def test_no_alias_is_not_applicable() -> None:
    result = check_plans([("p", plan())])
    assert "kms-alias-target" in {n.policy for n in result.plans[0].not_applicable}
