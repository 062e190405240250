"""Rules on what the plan records but CrossGuard never shows a policy.

The analyzer protocol passes a resource's `protect` option to policies but not `retainOnDelete`, so no pack
rule can check it under `pulumi preview --policy-pack`. The plan records it (`obsctl plan`, and
`pulumi preview --json`, which omits it when false), so `policy-check` checks it here, configured and
reported like the pack's rules (same config file, enforcement levels and report).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

NON_EMPTY = "x-nonEmpty"  # the pack's marker (bedrock_guardrails._util.NON_EMPTY): `[]` makes the rule vacuous

# The types the pack's data-resources-protected rule protects by default (policies/bedrock_guardrails/protection.py
# PROTECTED_TYPES; the pack is self-contained, tests/obsctl/policy/test_engine.py checks the two lists are equal):
# what is protected must also survive its removal from the program.
DATA_TYPES = [
    "aws:kms/key:Key",
    "aws:cloudwatch/logGroup:LogGroup",
    "aws:s3/bucket:Bucket",
    "aws:kms/alias:Alias",
    *(
        f"aws:s3/{kind}:{kind[0].upper()}{kind[1:]}"
        for kind in (
            "bucketPolicy",
            "bucketPublicAccessBlock",
            "bucketServerSideEncryptionConfiguration",
            "bucketVersioning",
            "bucketLifecycleConfiguration",
            "bucketOwnershipControls",
            "bucketLogging",
            "bucketObjectLockConfiguration",
        )
    ),
]


@dataclass(frozen=True)
class PlanRule:
    name: str
    description: str
    severity: str
    properties: dict[str, dict[str, Any]]  # JSON schema of each config key, with its default
    check: Callable[[list[Mapping[str, Any]], Mapping[str, Any]], Iterator[tuple[str, str]]]
    enforcement_level: str = "mandatory"


def _short_type(resource_type: str) -> str:
    return resource_type.rsplit(":", 1)[-1]


def _not_retained(states: list[Mapping[str, Any]], config: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    types = set(config["resourceTypes"])
    for state in states:
        if state["type"] in types and state.get("retainOnDelete") is not True:
            name = state["urn"].split("::", 3)[-1]
            yield (
                state["urn"],
                f"{_short_type(state['type'])} '{name}' is deleted from AWS when it leaves the program "
                "(retainOnDelete is off), so removing an account or region destroys its logs or keys; fix: "
                "create it with pulumi.ResourceOptions(retain_on_delete=True).",
            )


DATA_RESOURCES_RETAINED = PlanRule(
    name="data-resources-retained",
    description="KMS keys and their aliases, log groups, log buckets and their settings are created with "
    "retain_on_delete=True (checked from "
    "the plan: CrossGuard does not pass this option to policies).",
    severity="high",
    properties={
        "resourceTypes": {
            "type": "array",
            "items": {"type": "string", "minLength": 1},
            "uniqueItems": True,
            "default": DATA_TYPES,
            NON_EMPTY: True,
            "description": "Resource types that must carry the Pulumi `retainOnDelete` option.",
        },
    },
    check=_not_retained,
)

PLAN_RULES: tuple[PlanRule, ...] = (DATA_RESOURCES_RETAINED,)
