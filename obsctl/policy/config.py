"""Policy config: parsed like `--policy-pack-config`, reconciled like the engine, validated strictly.

The engine's order (pulumi `pkg/resource/analyzer/config.go`): each rule's schema defaults, then the pack's
initial config (this pack sets none), then the user's file, where the key `all` sets every rule's level.
Then every rule's properties are validated against its JSON schema. Stricter than the CLI, which ignores
what it does not know: an unknown rule name, an unknown key (`minRetentionDay`), settings under `all`, a
`x-notAbove` pair out of order (`minRetentionDays` > `maxRetentionDays`), an empty list where it would make a
rule check nothing (`x-nonEmpty`: `resourceTypes: []`, `requiredCompanions: []`) and a config that disables
every rule are refused, each naming the fix.
"""

from __future__ import annotations

import difflib
import pathlib
from collections.abc import Iterable, Mapping
from typing import Any

import jsonschema
from google.protobuf import empty_pb2, json_format
from pulumi.runtime.proto import analyzer_pb2

from obsctl.policy.files import MAX_CONFIG_BYTES, PolicyInputError, parse_json, read_text
from obsctl.policy.plan_rules import NON_EMPTY, PlanRule

LEVELS = ("advisory", "mandatory", "remediate", "disabled")
CONFIG_FIX = "fix: see policies/policy-config.example.json and the README's rule tables"
NOT_ABOVE = "x-notAbove"  # the pack's marker (bedrock_guardrails._util.NOT_ABOVE)
# Plan rules' lists with the same meaning (their schemas live in obsctl/policy/plan_rules.py).

Config = dict[str, dict[str, Any]]  # rule name -> {"enforcementLevel": str | None, "properties": {...}}


def parse_policy_config(document: Any, source: str) -> Config:
    """`{"rule": "advisory"}` or `{"rule": {"enforcementLevel": ..., "key": ...}}` -> Config."""
    if not isinstance(document, Mapping):
        raise PolicyInputError(f"{source}: policy config must be a JSON object keyed by rule name; {CONFIG_FIX}")
    result: Config = {}
    for name, value in document.items():
        if isinstance(value, str):
            level, properties = value, {}
        elif isinstance(value, Mapping):
            properties = dict(value)
            level = properties.pop("enforcementLevel", None)
        else:
            raise PolicyInputError(
                f"{source}: {name!r} is {value!r}, neither an enforcement level nor an object; {CONFIG_FIX}"
            )
        if level is not None and level not in LEVELS:
            raise PolicyInputError(
                f"{source}: {name!r} has enforcement level {level!r}; fix: use one of {', '.join(LEVELS)}"
            )
        if name == "all" and properties:
            raise PolicyInputError(
                f"{source}: 'all' sets {', '.join(map(repr, properties))}, but only its enforcementLevel applies "
                "(as under the CLI); fix: put those keys under the rule they configure"
            )
        if level is None and not properties:
            continue  # the CLI drops empty entries too
        result[name] = {"enforcementLevel": level, "properties": properties}
    return result


def load_policy_config(path: pathlib.Path) -> Config:
    fix = "fix: pass an existing UTF-8 JSON file to --config"
    text = read_text(path, "policy config", fix, MAX_CONFIG_BYTES)
    if not text.strip():
        return {}
    return parse_policy_config(parse_json(text, str(path), "policy config", CONFIG_FIX), str(path))


def _plain(value: Any) -> Any:
    """Struct numbers are doubles: show 30.0 as 30."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def rule_schemas(servicer: Any, plan_rules: Iterable[PlanRule]) -> dict[str, tuple[str, dict[str, Any]]]:
    """rule name -> (default enforcement level, JSON schema of each config key), pack and plan rules alike."""
    info = servicer.GetAnalyzerInfo(empty_pb2.Empty(), None)
    # The engine would apply the pack's initial_config next; this pack sets none.
    if info.initialConfig:
        raise NotImplementedError("initial_config is not supported by the offline check")
    schemas = {
        p.name: (
            analyzer_pb2.EnforcementLevel.Name(p.enforcementLevel).lower(),
            _plain(json_format.MessageToDict(p.configSchema.properties)),
        )
        for p in info.policies
    }
    schemas.update({r.name: (r.enforcement_level, r.properties) for r in plan_rules})
    return schemas


def _unknown_rules(user: Config, known: Iterable[str], source: str) -> None:
    for name in user:
        if name != "all" and name not in known:
            close = difflib.get_close_matches(name, list(known), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise PolicyInputError(
                f"{source}: {name!r} is not a rule of this pack{hint}; fix: use the rule names in the README's "
                "rule tables"
            )


def _rule_errors(name: str, schema: dict[str, Any], properties: Mapping[str, Any]) -> list[str]:
    unknown = sorted(set(properties) - set(schema))
    if unknown:
        close = difflib.get_close_matches(unknown[0], list(schema), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        known = ", ".join(sorted(schema)) or "none (set only enforcementLevel)"
        return [f"{name}: unknown key {unknown[0]!r}{hint}; fix: use one of {known}"]
    validator = jsonschema.Draft7Validator({"type": "object", "properties": schema})
    errors = [
        f"{name}.{'.'.join(map(str, e.absolute_path))}: {e.message}"
        for e in sorted(validator.iter_errors(dict(properties)), key=str)
    ]
    for key, prop in schema.items():
        if prop.get(NON_EMPTY) and properties.get(key) == []:
            errors.append(
                f"{name}.{key} is [], so the rule would check nothing; fix: list at least one value (default: "
                f"{prop.get('default')!r}), or set the rule's enforcementLevel to 'disabled' if that is meant"
            )
    for key, prop in schema.items():
        high_key = prop.get(NOT_ABOVE)
        if high_key and not errors and properties[key] > properties[high_key]:
            errors.append(f"{name}: {key}={properties[key]} is above {high_key}={properties[high_key]}")
    return errors


def reconcile_config(
    servicer: Any, user: Config | None, plan_rules: Iterable[PlanRule], source: str = "policy config"
) -> Config:
    """Effective per-rule config, as the engine computes it before calling Configure (stricter, see above)."""
    schemas = rule_schemas(servicer, plan_rules)
    effective: Config = {
        name: {"enforcementLevel": level, "properties": {k: v["default"] for k, v in props.items()}}
        for name, (level, props) in schemas.items()
    }
    user = user or {}
    _unknown_rules(user, schemas, source)
    all_level = (user.get("all") or {}).get("enforcementLevel")
    for name, entry in effective.items():
        given = user.get(name) or {}
        entry["enforcementLevel"] = given.get("enforcementLevel") or all_level or entry["enforcementLevel"]
        entry["properties"].update(given.get("properties") or {})
    for name, (_, props) in schemas.items():
        errors = _rule_errors(name, props, effective[name]["properties"])
        if errors:
            fix = "" if "fix:" in errors[0] else f"; {CONFIG_FIX}"
            raise PolicyInputError(f"{source}: invalid policy config ({'; '.join(errors)}){fix}")
    if all(entry["enforcementLevel"] == "disabled" for entry in effective.values()):
        raise PolicyInputError(
            f"{source}: every rule is disabled (0 of {len(effective)} enabled), so any plan would pass; fix: "
            'enable the rules to enforce (drop "all": "disabled" or set it to "advisory"); to skip the '
            "policy check on purpose, do not run policy-check"
        )
    return effective


def configure(servicer: Any, effective: Config, pack_rules: Iterable[str]) -> None:
    """Hand the pack's rules their effective config (pulumi-policy's Configure)."""
    request = analyzer_pb2.ConfigureAnalyzerRequest()
    for name in pack_rules:
        entry = effective[name]
        config = analyzer_pb2.PolicyConfig(
            enforcementLevel=analyzer_pb2.EnforcementLevel.Value(entry["enforcementLevel"].upper())
        )
        config.properties.update(entry["properties"])
        request.policyConfig[name].CopyFrom(config)
    servicer.Configure(request, None)
