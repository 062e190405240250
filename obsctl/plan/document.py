"""Plan documents shaped like `pulumi preview --json` (PreviewDigest), and their readable summary."""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from typing import Any

from obsctl.plan.provider_inputs import is_provider
from obsctl.plan.recorder import Registration

STACK_TYPE = "pulumi:pulumi:Stack"


def _ordered(registrations: list[Registration]) -> list[Registration]:
    """Parents before children, providers before what they manage, siblings by URN: deterministic."""
    children: dict[str, list[Registration]] = defaultdict(list)
    roots: list[Registration] = []
    urns = {r.urn for r in registrations}
    for registration in registrations:
        (children[registration.parent] if registration.parent in urns else roots).append(registration)

    def sort_key(r: Registration) -> tuple[int, str]:
        return (0 if r.type == STACK_TYPE else 1 if is_provider(r.type) else 2, r.urn)

    ordered: list[Registration] = []
    stack = sorted(roots, key=sort_key, reverse=True)
    while stack:
        node = stack.pop()
        ordered.append(node)
        stack.extend(sorted(children[node.urn], key=sort_key, reverse=True))
    return ordered


def _engine_numbers(value: Any) -> Any:
    """The engine keeps numbers as float64 and its JSON prints whole ones without '.0'; do the same."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _engine_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_engine_numbers(item) for item in value]
    return value


def build_document(stack: str, registrations: list[Registration]) -> dict[str, Any]:
    steps = []
    for r in _ordered(registrations):
        new_state = {
            "urn": r.urn,
            "custom": r.custom,
            "type": r.type,
            "inputs": _engine_numbers(r.inputs),
            "parent": r.parent,
            "provider": r.provider,
            "protect": r.protect,
            "retainOnDelete": r.retain_on_delete,
            "dependencies": r.dependencies,
        }
        if r.aliases:
            new_state["aliases"] = r.aliases
        steps.append({"op": "create", "urn": r.urn, "provider": r.provider, "newState": new_state})
    return {
        "config": {},
        "steps": steps,
        "changeSummary": {"create": len(steps)},
        "diagnostics": [],
        # Not part of Pulumi's format: says how this document was made, so nobody mistakes it for a preview.
        "x-bedrock-observability": {
            "stack": stack,
            "generatedBy": "obsctl plan (Pulumi mock runtime, offline; no AWS or Pulumi CLI involved)",
        },
    }


class NonFiniteNumber(ValueError):
    """A value JSON cannot hold (Infinity, NaN): `where` names the resource and the input."""

    def __init__(self, where: str, value: float) -> None:
        super().__init__(f"{where} is {value}")
        self.where = where
        self.value = value


def _first_non_finite(value: Any, path: str) -> tuple[str, float] | None:
    if isinstance(value, float) and not math.isfinite(value):
        return path, value
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        found = _first_non_finite(item, f"{path}[{key}]" if isinstance(key, int) else f"{path}.{key}")
        if found:
            return found
    return None


def to_json(document: dict[str, Any]) -> str:
    """The plan as JSON. Infinity and NaN are refused (`NonFiniteNumber`): JSON has no such numbers,
    `pulumi preview --json` never writes them, and readers (jq, policy-check, other tools) reject them."""
    try:
        return json.dumps(document, indent=2, sort_keys=False, allow_nan=False) + "\n"
    except ValueError:
        for step in document.get("steps", []):
            state = step["newState"]
            found = _first_non_finite(state.get("inputs", {}), "inputs")
            if found:
                raise NonFiniteNumber(f"{state['urn']} {found[0]}", found[1]) from None
        raise NonFiniteNumber("a value of the plan", math.nan) from None


def resources_by_place(registrations: list[Registration]) -> dict[tuple[str, str], Counter[str]]:
    """Custom AWS resources counted by type, per (account, region); region '' means global (IAM, budgets)."""
    places: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for r in registrations:
        if r.custom and not is_provider(r.type) and r.placement is not None:
            places[(r.placement.account_id, r.placement.region or "global")][r.type] += 1
    return dict(sorted(places.items()))
