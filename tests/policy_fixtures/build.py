"""Hand-built plan documents for policy tests: one resource (plus its provider) at a time."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
PREFIX = "urn:pulumi:test::bedrock-observability::"
STACK_URN = PREFIX + "pulumi:pulumi:Stack::bedrock-observability-test"
PROVIDER_URN = PREFIX + "pulumi:providers:aws::aws-test"
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


def load(name: str) -> dict[str, Any]:
    return json.loads((HERE / name).read_text())


def state(
    type_: str,
    name: str,
    inputs: dict[str, Any],
    protect: bool = False,
    property_dependencies: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    urn = PREFIX + f"{type_}::{name}"
    new_state: dict[str, Any] = {
        "type": type_,
        "urn": urn,
        "custom": True,
        "parent": STACK_URN,
        "provider": PROVIDER_URN + "::prov-id",
        "protect": protect,
        "retainOnDelete": False,
        "inputs": inputs,
    }
    if property_dependencies:
        new_state["propertyDependencies"] = property_dependencies
    return new_state


def plan(*states: dict[str, Any], region: str = "us-east-1") -> dict[str, Any]:
    """A plan with the Stack, one aws provider (in `region`) and the given resource states."""
    base = [
        {
            "type": "pulumi:pulumi:Stack",
            "urn": STACK_URN,
            "custom": False,
            "parent": "",
            "provider": "",
            "protect": False,
            "inputs": {},
        },
        {
            "type": "pulumi:providers:aws",
            "urn": PROVIDER_URN,
            "custom": True,
            "parent": STACK_URN,
            "provider": "",
            "protect": False,
            "inputs": {"region": region},
        },
    ]
    steps = [{"op": "create", "urn": s["urn"], "newState": s} for s in [*base, *states]]
    return {"steps": steps, "changeSummary": {"create": len(steps)}}


def step_by_name(document: dict[str, Any], name: str) -> dict[str, Any]:
    """newState of the resource whose URN ends in ::name."""
    [found] = [s["newState"] for s in document["steps"] if s["urn"].endswith(f"::{name}")]
    return found


def drop(document: dict[str, Any], name: str) -> dict[str, Any]:
    document["steps"] = [s for s in document["steps"] if not s["urn"].endswith(f"::{name}")]
    return document
