"""cross-account-grants on the example plans: the allow-list admits an intended account, links without a
configured monitoring account must agree on one, and a stack whose provider pins no account is not checked."""

from __future__ import annotations

import copy
import json
from typing import Any

from obsctl.policy import check_plans
from tests.policies.edits import find

FOREIGN = "666666666666"
RULE = "cross-account-grants"


def _rule_findings(document: dict[str, Any], config: dict | None = None) -> list[Any]:
    return [f for f in check_plans([("p", document)], config).findings if f.policy == RULE]


def _grant_foreign_read(document: dict[str, Any]) -> None:
    state = find(document, "aws:s3/bucketPolicy:BucketPolicy", "us-west-2-invocations")
    policy = json.loads(state["inputs"]["policy"])
    policy["Statement"].append(
        {"Effect": "Allow", "Principal": {"AWS": FOREIGN}, "Action": "s3:GetObject", "Resource": "*"}
    )
    state["inputs"]["policy"] = json.dumps(policy)


def test_allowed_accounts_admit_an_intended_grant(example_plans: dict[str, dict[str, Any]]) -> None:
    document = copy.deepcopy(example_plans["research-dev"])
    _grant_foreign_read(document)
    assert _rule_findings(document)
    config = {RULE: {"properties": {"allowedAccounts": [FOREIGN]}}}
    assert _rule_findings(document, config) == []


def test_links_name_one_sink_account_without_config(example_plans: dict[str, dict[str, Any]]) -> None:
    document = copy.deepcopy(example_plans["research-dev"])
    link = find(document, "aws:oam/link:Link", "us-west-2")
    link["inputs"]["sinkIdentifier"] = link["inputs"]["sinkIdentifier"].replace("999999999999", FOREIGN)
    [finding] = _rule_findings(document)
    assert "while the stack's other links name 999999999999" in finding.message and "fix:" in finding.message


def test_a_stack_without_a_pinned_account_is_not_checked(example_plans: dict[str, dict[str, Any]]) -> None:
    document = copy.deepcopy(example_plans["research-dev"])
    find(document, "pulumi:providers:aws")["inputs"].pop("allowedAccountIds")
    result = check_plans([("p", document)])
    assert RULE in {n.policy for n in result.plans[0].not_applicable}


def test_sink_policies_admit_the_accounts_the_monitoring_stack_watches(
    example_plans: dict[str, dict[str, Any]],
) -> None:
    assert _rule_findings(copy.deepcopy(example_plans["monitoring"])) == []
