"""Helpers shared by the rules: config lookup, resource naming, value coercion, unknowns, linking resources.

Rules read `args.props`, which under the CLI (and the offline check) is pulumi-policy's unknown-checking
proxy: reading a value that is unknown at preview raises `UnknownValueError`, which the analyzer turns into
an advisory "can't run policy during preview" result. The helpers below keep that behaviour (they never
swallow the error) unless a caller explicitly asks for `maybe_unknown`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    Severity,
    StackValidationArgs,
)
from pulumi_policy.proxy import UnknownValueError

MANDATORY = EnforcementLevel.MANDATORY
ADVISORY = EnforcementLevel.ADVISORY
HIGH = Severity.HIGH
MEDIUM = Severity.MEDIUM
CRITICAL = Severity.CRITICAL

# A property schema may name the key it must not exceed; `obsctl policy-check` refuses such a config before
# any rule runs, and the rule itself reports it under the CLI (which validates the JSON schema only).
NOT_ABOVE = "x-notAbove"
# A list property that must not be empty (`[]` would make the rule check nothing); `obsctl policy-check`
# refuses such a config, naming the key.
NON_EMPTY = "x-nonEmpty"

_MISSING = object()


def schema(**properties: dict[str, Any]) -> PolicyConfigSchema:
    """A config schema whose every property carries a `default`.

    The CLI fills defaults from the schema before calling Configure; `config` below falls back to the same
    defaults, so a rule behaves identically when called directly (tests, other tooling) without config.
    """
    for key, prop in properties.items():
        if "default" not in prop:
            raise ValueError(f"config property {key!r} needs a default")
        if NOT_ABOVE in prop and prop[NOT_ABOVE] not in properties:
            raise ValueError(f"config property {key!r}: {NOT_ABOVE} names an unknown key")
    return PolicyConfigSchema(properties=properties)


def days(default: int, description: str, minimum: int = 1, maximum: int = 36500, **extra: Any) -> dict[str, Any]:
    """A whole-number-of-days config property."""
    return {
        "type": "integer",
        "minimum": minimum,
        "maximum": maximum,
        "default": default,
        "description": description,
        **extra,
    }


def config(args: ResourceValidationArgs | StackValidationArgs, cfg_schema: PolicyConfigSchema, key: str) -> Any:
    value = args.get_config().get(key, _MISSING)
    if value is _MISSING:
        return cfg_schema.properties[key]["default"]
    # Config travels as a protobuf Struct, where every number is a double: 365 arrives as 365.0.
    return int(value) if isinstance(value, float) and value.is_integer() else value


def config_range(
    args: ResourceValidationArgs | StackValidationArgs,
    cfg_schema: PolicyConfigSchema,
    low_key: str,
    report: ReportViolation,
) -> tuple[Any, Any] | None:
    """(low, high) of a `NOT_ABOVE` pair, or None after reporting a config where low > high."""
    high_key = cfg_schema.properties[low_key][NOT_ABOVE]
    low, high = config(args, cfg_schema, low_key), config(args, cfg_schema, high_key)
    if low > high:
        report(
            f"policy config sets {low_key}={low} above {high_key}={high}, so nothing can comply; fix: set "
            f"{low_key} <= {high_key} in the policy pack config.",
            None,
        )
        return None
    return low, high


def label(resource_type: str, name: str) -> str:
    """`LogGroup 'bedrock-invocations'`: the short form used at the start of every message."""
    return f"{resource_type.rsplit(':', 1)[-1]} '{name}'"


def truthy(value: Any) -> bool:
    # Struct values arrive as bools; "true" covers string inputs, which the provider coerces the same way.
    return value is True or (isinstance(value, str) and value.lower() == "true")


class NotWhole:
    """Marker for a number that is present but not a whole number (e.g. 90.5 days)."""

    def __init__(self, value: Any) -> None:
        self.value = value


def whole(value: Any) -> int | NotWhole | None:
    """A count of days/periods: an int (doubles with no fraction included), None when unset, NotWhole else."""
    if value is None:
        return None
    if isinstance(value, bool):
        return NotWhole(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else NotWhole(value)
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value.strip())
    return NotWhole(value)


def as_list(value: Any) -> list[Any]:
    """Normalise a field that may be a scalar or a list (any other value becomes a one-item list)."""
    if value is None:
        return []
    if isinstance(value, list | tuple | Sequence) and not isinstance(value, str):
        return list(value)
    return [value]


def block(value: Any) -> Mapping[str, Any]:
    """A nested block as a mapping: its first item if it is a one-element list (pulumi-aws < 7), and an
    empty mapping for anything that is not a block (a rule then reports the block as missing)."""
    value = first(value)
    return value if isinstance(value, Mapping) else {}


def first(value: Any) -> Any:
    """Nested blocks are objects in pulumi-aws 7 but were one-element lists before; accept both."""
    if isinstance(value, Iterable) and not isinstance(value, str | Mapping):
        items = list(value)
        return items[0] if items else None
    return value


class Unknown:
    """Marker returned by `maybe_unknown` for a value the engine cannot know during preview."""

    def __init__(self, error: UnknownValueError) -> None:
        self.error = error


def maybe_unknown(props: Mapping[str, Any], key: str, default: Any = None) -> Any:
    """Read a prop, returning an `Unknown` marker instead of raising (for rules that can fall back to
    another way of deciding, e.g. property dependencies)."""
    try:
        return props.get(key, default)
    except UnknownValueError as error:
        return Unknown(error)


def raise_first_unknown(values: Iterable[Any]) -> None:
    """Re-raise the first `Unknown` marker so the analyzer reports "can't run during preview"."""
    for value in values:
        if isinstance(value, Unknown):
            raise value.error


def shown(props: Mapping[str, Any], key: str) -> str:
    """A prop for a message; unknown values must not stop the check that mentions them."""
    value = maybe_unknown(props, key)
    return "(known after apply)" if isinstance(value, Unknown) else repr(value)


def is_set(props: Mapping[str, Any], key: str) -> bool:
    """Presence check that still works during a real preview.

    A reference such as `kms_key_id=key.arn` is unknown until the key exists; reading it would make the
    SDK report "can't run during preview" and skip the rule. An unknown value is nevertheless *set*, which
    is all a presence rule needs to know, so it counts as present.
    """
    value = maybe_unknown(props, key)
    return isinstance(value, Unknown) or bool(value)


def resources_of(resources: Iterable[Any], *types: str) -> list[Any]:
    return [r for r in resources if r.resource_type in types]


def region_of(resource: Any) -> Any:
    """A resource's region: its own `region` input (pulumi-aws 7 per-resource region), else its provider's.

    Returns an `Unknown` marker when either is unknown at preview, None when neither is set.
    """
    region = maybe_unknown(resource.props, "region")
    if isinstance(region, Unknown) or (isinstance(region, str) and region):
        return region
    provider = getattr(resource, "provider", None)
    if provider is not None:
        region = maybe_unknown(provider.props, "region")
        return region if isinstance(region, Unknown | str) and region else None
    return None


def linked_urns(resource: Any, prop: str, targets_by_name: Mapping[str, Any], target_type: str) -> set[str]:
    """URNs of the `target_type` resources that `resource.<prop>` points at.

    Linked by name when both names are known, and by the engine's property dependencies (a `bucket`
    input built from `bucket.id` depends on the bucket) so the link survives names unknown at preview.
    """
    urns = {d.urn for d in resource.property_dependencies.get(prop, []) if d.resource_type == target_type}
    name = maybe_unknown(resource.props, prop)
    if isinstance(name, str) and name in targets_by_name:
        urns.add(targets_by_name[name].urn)
    return urns


def by_name(resources: Iterable[Any], prop: str) -> dict[str, Any]:
    """Index resources by a known string prop (unknown or unset names are left out)."""
    index: dict[str, Any] = {}
    for resource in resources:
        name = maybe_unknown(resource.props, prop)
        if isinstance(name, str) and name:
            index[name] = resource
    return index
