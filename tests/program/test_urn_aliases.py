"""URNs are state: every resource the example stacks held at 90956d0 (tests/fixtures/plan_baseline_90956d0.json)
is still there under the same URN or under an alias the engine resolves to it, so an existing stack updates in
place; protected data resources (keys, buckets, log groups) keep type, region and physical name, so nothing
that holds data is replaced."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parents[1] / "fixtures"
BASELINE: dict[str, dict[str, dict[str, Any]]] = json.loads((FIXTURES / "plan_baseline_90956d0.json").read_text())
PROTECTED: dict[str, dict[str, dict[str, Any]]] = json.loads((FIXTURES / "protected_90956d0.json").read_text())
# Resources added since the baseline (issue 11): access logging (the AccessLogs component and everything under
# it) and payments-prod's data protection (its policy and findings log group).
NEW_SINCE_BASELINE = ("$bedrockobs:storage:AccessLogs", "-invocations-data-protection")
# A log bucket's settings are protected and retained with the bucket, a key's alias with the key.
SETTINGS_PROTECTED_WITH_THE_BUCKET = {"aws:kms/alias:Alias"} | {
    f"aws:s3/{kind}:{kind[0].upper()}{kind[1:]}"
    for kind in (
        "bucketOwnershipControls",
        "bucketPublicAccessBlock",
        "bucketServerSideEncryptionConfiguration",
        "bucketVersioning",
        "bucketLifecycleConfiguration",
        "bucketPolicy",
    )
}


def _claims(plan: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Old URN -> the new resources that the engine would match to it: by URN, else by alias (in order, the
    first alias that exists in the old state wins)."""
    claims: dict[str, list[dict[str, Any]]] = {}
    for step in plan["steps"]:
        state = step["newState"]
        for urn in (state["urn"], *state.get("aliases", [])):
            claims.setdefault(urn, []).append(state)
    return claims


@pytest.mark.parametrize("stack", sorted(BASELINE))
def test_every_old_urn_is_unchanged_or_an_alias_of_exactly_one_resource(example_plans: dict, stack: str) -> None:
    claims = _claims(example_plans[stack])
    for urn, old in BASELINE[stack].items():
        claimed = claims.get(urn, [])
        assert len(claimed) == 1, f"{urn}: claimed by {[s['urn'] for s in claimed]}"
        assert claimed[0]["type"] == old["type"], urn
        # Protection may only grow: since issue 15 a log bucket's settings are protected and retained with it.
        assert claimed[0]["protect"] >= old["protect"] and claimed[0]["retainOnDelete"] >= old["retainOnDelete"], urn
        if old["type"] in SETTINGS_PROTECTED_WITH_THE_BUCKET:
            assert (claimed[0]["protect"], claimed[0]["retainOnDelete"]) == (True, True), urn
        else:
            assert (claimed[0]["protect"], claimed[0]["retainOnDelete"]) == (old["protect"], old["retainOnDelete"]), urn


def _type_and_name(urn: str) -> tuple[str, str]:
    """(resource type, Pulumi name) of a URN: `...$<parent types>$<type>::<name>`."""
    types, _, name = urn.rpartition("::")
    return types.rpartition("$")[2].rpartition("::")[2], name


@pytest.mark.parametrize("stack", sorted(BASELINE))
def test_a_changed_urn_names_its_old_urn_as_first_alias(example_plans: dict, stack: str) -> None:
    """The first alias is the one the engine finds in the old state (and the one children inherit). Unchanged
    URNs may carry aliases too: pulumi-aws's own (e.g. `aws:s3/bucketV2:BucketV2` for `aws.s3.Bucket`)."""
    old_names = {_type_and_name(urn) for urn in BASELINE[stack]}
    for step in example_plans[stack]["steps"]:
        state = step["newState"]
        aliases = state.get("aliases", [])
        if state["urn"] in BASELINE[stack] or any(marker in state["urn"] for marker in NEW_SINCE_BASELINE):
            # New since the baseline (issue 11): only pulumi-aws's own aliases (BucketLoggingV2, BucketV2, ...).
            continue
        if aliases:
            assert aliases[0] in BASELINE[stack], (state["urn"], aliases)
        else:
            # New without history (features added since, the AlertTopic components grouping each topic's
            # resources): never a baseline resource moved without an alias, i.e. a type and name of the baseline
            # under another URN, which the engine would delete and recreate.
            assert _type_and_name(state["urn"]) not in old_names, state["urn"]


@pytest.mark.parametrize("stack", sorted(PROTECTED))
def test_protected_resources_keep_type_region_and_physical_name(example_plans: dict, stack: str) -> None:
    claims = _claims(example_plans[stack])
    for urn, old in PROTECTED[stack].items():
        (new,) = claims[urn]
        inputs = new["inputs"]
        assert new["protect"] is True and new["retainOnDelete"] is True, urn
        assert (new["type"], inputs.get("region")) == (old["type"], old["region"]), urn
        assert (inputs.get("bucket") or inputs.get("name")) == old["physicalName"], urn
    assert sum(len(p) for p in PROTECTED.values()) == 24  # 5 org alert keys; 19 keys, buckets, log groups
