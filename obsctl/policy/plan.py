"""A plan document, validated against the shape of `pulumi preview --json` (pulumi's `PreviewDigest`) and
reduced to the resource states the analyzer is given.

The schema checks every field the check reads (types, URNs, strict booleans: `protect: "false"` is refused,
not read as protected); the rest of this module checks what a schema cannot: that there is something to
check, that each URN appears once (a replacement's steps share one), that a URN names its own type, and
that every provider a resource references is in the plan (its region decides where the resource lives).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import jsonschema

from obsctl.policy.files import DEFAULT_MAX_FILE_MB, MIB, PolicyInputError, max_values, parse_json, read_text

PLAN_FIX = (
    "fix: regenerate it with `python -m obsctl plan --all --out-dir build/plans` "
    "(or `pulumi preview --json --show-sames`)"
)

_STRINGS = {"type": "array", "items": {"type": "string"}}
_STATE = {
    "type": ["object", "null"],
    "required": ["urn", "type"],
    "properties": {
        "urn": {"type": "string", "pattern": "^urn:pulumi:"},
        "type": {"type": "string", "pattern": r"^[^:\s]+:[^:\s]*:[^:\s]+$"},
        "custom": {"type": "boolean"},
        "delete": {"type": "boolean"},
        "id": {"type": "string"},
        "inputs": {"type": "object"},
        "outputs": {"type": "object"},
        "parent": {"type": "string"},
        "provider": {"type": "string"},
        "protect": {"type": "boolean"},
        "retainOnDelete": {"type": "boolean"},
        "external": {"type": "boolean"},
        "pendingReplacement": {"type": "boolean"},
        "dependencies": _STRINGS,
        "propertyDependencies": {"type": "object", "additionalProperties": _STRINGS},
        "additionalSecretOutputs": _STRINGS,
        "ignoreChanges": _STRINGS,
        "aliases": {"type": "array", "items": {"type": ["string", "object"]}},
        "initErrors": _STRINGS,
        "deletedWith": {"type": "string"},
        "importID": {"type": "string"},
    },
}
PLAN_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["steps"],
    "properties": {
        "steps": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["op"],
                "properties": {
                    "op": {"type": "string", "minLength": 1},
                    "urn": {"type": "string"},
                    "provider": {"type": "string"},
                    "oldState": _STATE,
                    "newState": _STATE,
                    "diffReasons": _STRINGS,
                    "replaceReasons": _STRINGS,
                },
            },
        },
        "config": {"type": "object"},
        "changeSummary": {"type": "object", "additionalProperties": {"type": "integer"}},
        "diagnostics": {"type": "array"},
        "stackTags": {"type": "object", "additionalProperties": {"type": "string"}},
        "maybeCorrupt": {"type": "boolean"},
    },
}
_VALIDATOR = jsonschema.Draft202012Validator(PLAN_SCHEMA)

# Steps without a resource afterwards (their newState must be null), and the steps of one replacement,
# which legitimately repeat a URN (`--show-replacement-steps`).
DELETE_OPS = {"delete", "delete-replaced", "discard", "discard-replaced", "remove-pending-replace"}
REPLACEMENT_OPS = {"create-replacement", "replace", "read-replacement", "import-replacement"}

# The engine's marker for values unknown at preview (pulumi sdk `plugin.UnknownStringValue`), and its
# signature for secrets in state files.
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"


@dataclass
class Plan:
    """A validated plan: one state per resource, inputs/outputs already as the engine sends them."""

    name: str
    states: list[dict[str, Any]]
    stack_tags: dict[str, str] = field(default_factory=dict)

    @cached_property
    def providers(self) -> dict[str, dict[str, Any]]:
        return {s["urn"]: s for s in self.states if s["type"].startswith("pulumi:providers:")}


def load_plan(path: Path, max_bytes: int = DEFAULT_MAX_FILE_MB * MIB) -> Any:
    """A plan file's JSON document, read and parsed strictly (validated by `validate_plan`)."""
    text = read_text(path, "plan", PLAN_FIX, max_bytes)
    return parse_json(text, str(path), "plan", PLAN_FIX, max_values(max_bytes))


def _where(error: jsonschema.ValidationError) -> str:
    path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path).lstrip(".")
    message = error.message if len(error.message) <= 160 else error.message[:157] + "..."
    return f"{path or 'the document'}: {message}"


def _fail(source: str, problem: str) -> PolicyInputError:
    return PolicyInputError(f"{source}: {problem}; {PLAN_FIX}")


def validate_plan(document: Any, source: str) -> Plan:
    """Refuse anything but a well-formed plan; return its resource states (one per URN)."""
    error = jsonschema.exceptions.best_match(_VALIDATOR.iter_errors(document))
    if error is not None:
        raise _fail(source, f"not a plan document ({_where(error)})")
    states: list[dict[str, Any]] = []
    ops: dict[str, str] = {}
    for index, step in enumerate(document["steps"]):
        state = step.get("newState")
        if state is None:
            continue
        where = f"steps[{index}]"
        _check_step(source, where, step, state)
        urn = state["urn"]
        if urn in ops:
            if ops[urn] in REPLACEMENT_OPS and step["op"] in REPLACEMENT_OPS:
                continue  # create-replacement + replace: the same resource, analyzed once
            raise _fail(source, f"{where} repeats the URN {urn!r} (steps must describe each resource once)")
        ops[urn] = step["op"]
        states.append(_engine_state(source, where, state))
    if not states:
        raise _fail(source, "no step has a newState, so there is no resource to check")
    plan = Plan(name=source, states=states, stack_tags=dict(document.get("stackTags") or {}))
    _check_providers(source, plan)
    return plan


def _check_step(source: str, where: str, step: Mapping[str, Any], state: Mapping[str, Any]) -> None:
    urn = state["urn"]
    if step["op"] in DELETE_OPS:
        raise _fail(source, f"{where} is a {step['op']!r} step but has a newState")
    if step.get("urn") and step["urn"] != urn:
        raise _fail(source, f"{where}.urn {step['urn']!r} differs from its newState.urn {urn!r}")
    # urn:pulumi:<stack>::<project>::<parent types $ type>::<name>
    parts = urn.removeprefix("urn:pulumi:").split("::")
    if len(parts) < 4:
        raise _fail(source, f"{where}.newState.urn {urn!r} is not a Pulumi URN")
    if parts[2].rsplit("$", 1)[-1] != state["type"]:
        raise _fail(source, f"{where}.newState.type {state['type']!r} is not the type its URN names ({urn!r})")


def _check_providers(source: str, plan: Plan) -> None:
    providers = plan.providers
    for state in plan.states:
        ref = state.get("provider")
        if ref and ref.rsplit("::", 1)[0] not in providers:
            raise _fail(
                source,
                f"{state['urn']!r} uses provider {ref!r}, which is not in the plan (its region is unknown)",
            )


def _engine_state(source: str, where: str, state: Mapping[str, Any]) -> dict[str, Any]:
    """The state with inputs/outputs as the engine would send them over gRPC (secrets unwrapped)."""
    result = dict(state)
    for key in ("inputs", "outputs"):
        result[key] = _engine_value(source, f"{where}.newState.{key}", state.get(key) or {})
    return result


def _engine_value(source: str, where: str, value: Any) -> Any:
    if isinstance(value, Mapping):
        if value.get(SIG_KEY) == SECRET_SIG:
            return _secret(source, where, value)
        return {k: _engine_value(source, f"{where}.{k}", v) for k, v in value.items()}
    if isinstance(value, list):
        return [_engine_value(source, f"{where}[{i}]", v) for i, v in enumerate(value)]
    return value


def _secret(source: str, where: str, value: Mapping[str, Any]) -> Any:
    """State-style secrets: a plaintext is JSON text; a ciphertext cannot be read offline (unknown, as in a
    preview that cannot decrypt)."""
    if "value" in value:
        return {SIG_KEY: SECRET_SIG, "value": _engine_value(source, where, value["value"])}
    if "plaintext" in value:
        plaintext = value["plaintext"]
        if not isinstance(plaintext, str):
            raise _fail(source, f"{where}: a secret's plaintext must be JSON text, not {type(plaintext).__name__}")
        decoded = parse_json(plaintext, source, f"secret at {where}", PLAN_FIX)
        return {SIG_KEY: SECRET_SIG, "value": _engine_value(source, where, decoded)}
    return UNKNOWN
