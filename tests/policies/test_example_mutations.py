"""The pack against single edits of the example org's plans (tests/policies/mutations.py): each edit is
refused by the rule meant for it, with a message naming the edited resource and the fix; the compliant
variants (DSSE-KMS, `Principal "*"` limited to the organisation) pass."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from obsctl.policy import check_plans, parse_policy_config
from tests.policies.mutations import MUTATIONS
from tests.policy_fixtures.build import HERE

EXAMPLE_CONFIG = parse_policy_config(
    json.loads((HERE.parents[1] / "policies" / "policy-config.example.json").read_text()), "example"
)


@pytest.mark.parametrize(
    ("plan_name", "edit", "rule", "fragment"), [m[1:] for m in MUTATIONS], ids=[m[0] for m in MUTATIONS]
)
def test_single_edit_of_an_example_plan(
    example_plans: dict[str, dict[str, Any]], plan_name: str, edit: Any, rule: str | None, fragment: str
) -> None:
    document = copy.deepcopy(example_plans[plan_name])
    name = edit(document)
    findings = check_plans([(plan_name, document)], EXAMPLE_CONFIG).findings
    if rule is None:
        assert findings == [], [(f.policy, f.message) for f in findings]
        return
    assert {f.policy for f in findings} == {rule}, [(f.policy, f.message) for f in findings]
    hits = [f for f in findings if f.urn.endswith(f"::{name}")]
    assert hits, [(f.urn, f.message) for f in findings]
    assert all(f.level == "mandatory" and "fix:" in f.message for f in hits)
    assert any(fragment in f.message for f in hits), [f.message for f in hits]
