"""Helpers shared by the rules: config lookup, resource naming, IAM policy parsing, region resolution.

Rules read `args.props`, which under the CLI (and the offline check) is pulumi-policy's unknown-checking
proxy: reading a value that is unknown at preview raises `UnknownValueError`, which the analyzer turns into
an advisory "can't run policy during preview" result. The helpers below keep that behaviour (they never
swallow the error) unless a caller explicitly asks for `maybe_unknown`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyComplianceFramework,
    PolicyConfigSchema,
    ResourceValidationArgs,
    Severity,
    StackValidationArgs,
)
from pulumi_policy.proxy import UnknownValueError

# Resource type tokens (pulumi-aws 7.x).
KMS_KEY = "aws:kms/key:Key"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
BUCKET = "aws:s3/bucket:Bucket"
BUCKET_SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
BUCKET_VERSIONING = "aws:s3/bucketVersioning:BucketVersioning"
BUCKET_PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
BUCKET_OWNERSHIP = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
BUCKET_LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
IAM_ROLE = "aws:iam/role:Role"
INVOCATION_LOGGING = "aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration"
TRAIL = "aws:cloudtrail/trail:Trail"
SNS_TOPIC = "aws:sns/topic:Topic"
METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
COMPOSITE_ALARM = "aws:cloudwatch/compositeAlarm:CompositeAlarm"
DASHBOARD = "aws:cloudwatch/dashboard:Dashboard"

# CloudWatch Logs PutRetentionPolicy accepts only these values (API reference, `retentionInDays`).
# Duplicated from inventory/aws_facts.py on purpose: the pack is shipped and installed on its own.
LOG_RETENTION_DAYS: tuple[int, ...] = (
    1,
    3,
    5,
    7,
    14,
    30,
    60,
    90,
    120,
    150,
    180,
    365,
    400,
    545,
    731,
    1096,
    1827,
    2192,
    2557,
    2922,
    3288,
    3653,
)

SECURITY_HUB = "AWS Security Hub FSBP"

_MISSING = object()


def schema(**properties: dict[str, Any]) -> PolicyConfigSchema:
    """A config schema whose every property carries a `default`.

    The CLI fills defaults from the schema before calling Configure; `config` below falls back to the same
    defaults, so a rule behaves identically when called directly (tests, other tooling) without config.
    """
    for key, prop in properties.items():
        if "default" not in prop:
            raise ValueError(f"config property {key!r} needs a default")
    return PolicyConfigSchema(properties=properties)


def config(args: ResourceValidationArgs | StackValidationArgs, cfg_schema: PolicyConfigSchema, key: str) -> Any:
    value = args.get_config().get(key, _MISSING)
    if value is _MISSING:
        return cfg_schema.properties[key]["default"]
    # Config travels as a protobuf Struct, where every number is a double: 365 arrives as 365.0.
    return int(value) if isinstance(value, float) and value.is_integer() else value


def security_hub(control: str) -> PolicyComplianceFramework:
    return PolicyComplianceFramework(name=SECURITY_HUB, reference=control)


MANDATORY = EnforcementLevel.MANDATORY
ADVISORY = EnforcementLevel.ADVISORY
HIGH = Severity.HIGH
MEDIUM = Severity.MEDIUM
CRITICAL = Severity.CRITICAL


def label(resource_type: str, name: str) -> str:
    """`LogGroup 'bedrock-invocations'`: the short form used at the start of every message."""
    return f"{resource_type.rsplit(':', 1)[-1]} '{name}'"


def truthy(value: Any) -> bool:
    # Struct values arrive as floats/bools; the strings cover hand-written plans.
    return value is True or (isinstance(value, str) and value.lower() == "true")


def as_int(value: Any) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def as_list(value: Any) -> list[Any]:
    """Normalise a JSON-policy field that may be a scalar or a list."""
    if value is None:
        return []
    if isinstance(value, str | Mapping):
        return [value]
    return list(value)


def parse_policy_document(document: Any) -> Mapping[str, Any] | None:
    """Parse an IAM/bucket policy input (a JSON string, or already an object); None if unparseable."""
    if isinstance(document, Mapping):
        return document
    if isinstance(document, str):
        try:
            parsed = json.loads(document)
        except ValueError:
            return None
        return parsed if isinstance(parsed, Mapping) else None
    return None


def statements(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [s for s in as_list(document.get("Statement")) if isinstance(s, Mapping)]


def condition_keys(statement: Mapping[str, Any]) -> set[str]:
    """Every condition key of a statement, lower-cased (IAM condition keys are case-insensitive)."""
    keys: set[str] = set()
    for block in (statement.get("Condition") or {}).values():
        if isinstance(block, Mapping):
            keys.update(str(k).lower() for k in block)
    return keys


class Unknown:
    """Marker returned by `maybe_unknown` for a value the engine cannot know during preview."""

    def __init__(self, error: UnknownValueError) -> None:
        self.error = error


def maybe_unknown(props: Mapping[str, Any], key: str, default: Any = None) -> Any:
    """Read a prop, returning an `Unknown` marker instead of raising (for stack rules that can fall back
    to another way of linking resources, e.g. property dependencies)."""
    try:
        return props.get(key, default)
    except UnknownValueError as error:
        return Unknown(error)


def resources_of(resources: Iterable[Any], *types: str) -> list[Any]:
    return [r for r in resources if r.resource_type in types]


def region_of(resource: Any) -> Any:
    """A resource's region: its own `region` input (pulumi-aws 7 per-resource region), else its provider's.

    Returns an `Unknown` marker when either is unknown at preview, None when neither is set.
    """
    region = maybe_unknown(resource.props, "region")
    if region:
        return region
    provider = getattr(resource, "provider", None)
    if provider is not None:
        return maybe_unknown(provider.props, "region")
    return None


def first(value: Any) -> Any:
    """Nested blocks are objects in pulumi-aws 7 but were one-element lists before; accept both."""
    if isinstance(value, Iterable) and not isinstance(value, str | Mapping):
        items = list(value)
        return items[0] if items else None
    return value


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
