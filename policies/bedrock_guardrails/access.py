"""Access rules around the log stores: public access blocks, TLS-only bucket policies, ACLs off, and
confused-deputy protection on the roles AWS services assume."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import ReportViolation, ResourceValidationArgs, ResourceValidationPolicy

from bedrock_guardrails._aws import ACCOUNT_PAB, BUCKET_OWNERSHIP, BUCKET_PAB, BUCKET_POLICY, IAM_ROLE
from bedrock_guardrails._controls import control
from bedrock_guardrails._iam import (
    SOURCE_KEYS,
    allows,
    is_everyone,
    parse_policy_document,
    restricting_keys,
    service_principals,
    sid,
    statements,
)
from bedrock_guardrails._util import (
    CRITICAL,
    HIGH,
    MANDATORY,
    MEDIUM,
    as_list,
    block,
    config,
    label,
    maybe_unknown,
    schema,
    shown,
    truthy,
)

_PAB_ARGS = {
    "blockPublicAcls": "block_public_acls",
    "blockPublicPolicy": "block_public_policy",
    "ignorePublicAcls": "ignore_public_acls",
    "restrictPublicBuckets": "restrict_public_buckets",
}


def _block_validator(resource_type: str, scope_prop: str, scope: str, effect: str) -> Any:
    """A rule body: the public access block (of a bucket or a whole account) turns on all four flags."""

    def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
        if args.resource_type != resource_type:
            return
        off = [arg for flag, arg in _PAB_ARGS.items() if not truthy(args.props.get(flag))]
        if off:
            report(
                f"{label(args.resource_type, args.name)} ({scope} {shown(args.props, scope_prop)}) leaves "
                f"{', '.join(off)} off{effect}; fix: set all four flags to True.",
                None,
            )

    return validate


_FLAGS = "Set block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets to True"

s3_public_access_block = ResourceValidationPolicy(
    name="s3-public-access-block",
    description="S3 bucket public access blocks turn on all four flags.",
    validate=_block_validator(BUCKET_PAB, "bucket", "bucket", ""),
    enforcement_level=MANDATORY,
    severity=CRITICAL,
    framework=control("S3.8"),
    tags=["access"],
    remediation_steps=f"{_FLAGS} on the aws.s3.BucketPublicAccessBlock.",
)

s3_account_public_access_block = ResourceValidationPolicy(
    name="s3-account-public-access-block",
    description="An account-level S3 public access block (opt-in) turns on all four flags.",
    validate=_block_validator(ACCOUNT_PAB, "accountId", "account", " for every bucket of the account"),
    enforcement_level=MANDATORY,
    severity=CRITICAL,
    framework=control("S3.1"),
    tags=["access"],
    remediation_steps=f"{_FLAGS} on the aws.s3.AccountPublicAccessBlock.",
)

_TLS_FIX = (
    "fix: keep one statement Effect=Deny, Principal='*', Action='s3:*', Resource=[this bucket's ARN "
    "arn:aws:s3:::<bucket>, arn:aws:s3:::<bucket>/*], "
    "Condition={'Bool': {'aws:SecureTransport': 'false'}} and nothing else in its Condition"
)


def _tls_deny_shape(statement: Mapping[str, Any], bucket: Any) -> bool:
    """Deny to everyone of every S3 action on this bucket and its objects (no Not* escape hatches)."""
    if statement.get("Effect") != "Deny" or not is_everyone(statement.get("Principal")):
        return False
    if {"NotPrincipal", "NotAction", "NotResource"} & set(statement):
        return False
    if not {"s3:*", "*"} & {a for a in as_list(statement.get("Action")) if isinstance(a, str)}:
        return False
    resources = {r for r in as_list(statement.get("Resource")) if isinstance(r, str)}
    # Both this bucket's ARN (bucket-level calls) and ARN/* (object calls) must be covered; a deny naming
    # another bucket protects nothing here. A name unknown at preview: any bucket ARN pair.
    if isinstance(bucket, str) and bucket:
        return {f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"} <= resources
    return any(f"{r}/*" in resources for r in resources)


def _insecure_transport_conditions(statement: Mapping[str, Any]) -> tuple[bool, list[str]]:
    """(whether the Condition matches aws:SecureTransport=false, every other condition it adds)."""
    matches, extra = False, []
    conditions = statement.get("Condition")
    for operator, entries in (conditions if isinstance(conditions, Mapping) else {}).items():
        for key, value in (entries if isinstance(entries, Mapping) else {"?": entries}).items():
            values = [str(v).lower() for v in as_list(value)]
            secure_transport = operator in ("Bool", "BoolIfExists") and str(key).lower() == "aws:securetransport"
            if secure_transport and values == ["false"]:
                matches = True
                continue
            extra.append(f"{operator} {key}={value!r}")
    return matches, extra


def validate_tls_only_policy(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != BUCKET_POLICY:
        return
    document = parse_policy_document(args.props.get("policy"))
    who = f"{label(args.resource_type, args.name)} (bucket {shown(args.props, 'bucket')})"
    if document is None:
        report(f"{who} is not a JSON policy document; fix: build it with json.dumps.", None)
        return
    narrowed: list[str] = []
    bucket = maybe_unknown(args.props, "bucket")
    for statement in statements(document):
        if not _tls_deny_shape(statement, bucket):
            continue
        matches, extra = _insecure_transport_conditions(statement)
        if matches and not extra:
            return
        if matches:
            narrowed += extra
    if narrowed:
        report(
            f"{who} denies plain HTTP only when {', '.join(narrowed)} also holds, so every other plain-HTTP "
            f"request is allowed; {_TLS_FIX}.",
            None,
        )
    else:
        report(f"{who} does not refuse plain-HTTP requests; {_TLS_FIX}.", None)


s3_tls_only_policy = ResourceValidationPolicy(
    name="s3-tls-only-policy",
    description="S3 bucket policies deny every request that does not use TLS, with no narrowing condition.",
    validate=validate_tls_only_policy,
    enforcement_level=MANDATORY,
    severity=HIGH,
    framework=control("S3.5"),
    tags=["access"],
    remediation_steps="Add a Deny statement on aws:SecureTransport=false (and no other condition) to the "
    "aws.s3.BucketPolicy.",
)


def validate_ownership_enforced(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != BUCKET_OWNERSHIP:
        return
    rule = block(args.props.get("rule"))
    if rule.get("objectOwnership") != "BucketOwnerEnforced":
        report(
            f"{label(args.resource_type, args.name)} (bucket {shown(args.props, 'bucket')}) keeps ACLs "
            f"(objectOwnership={rule.get('objectOwnership')!r}); Bedrock log delivery requires ACLs "
            "disabled; fix: set rule.object_ownership='BucketOwnerEnforced'.",
            None,
        )


s3_acls_disabled = ResourceValidationPolicy(
    name="s3-acls-disabled",
    description="S3 bucket ownership controls disable ACLs (BucketOwnerEnforced).",
    validate=validate_ownership_enforced,
    enforcement_level=MANDATORY,
    severity=MEDIUM,
    framework=control("S3.12"),
    tags=["access"],
    remediation_steps="Set rule.object_ownership='BucketOwnerEnforced' on aws.s3.BucketOwnershipControls.",
)

_TRUST_SCHEMA = schema(
    exemptServices={
        "type": "array",
        "items": {"type": "string", "pattern": r"^[a-z0-9.-]+\.amazonaws\.com$"},
        "uniqueItems": True,
        "default": [],
        "description": "Service principals that do not support aws:SourceAccount/aws:SourceArn.",
    },
)


def validate_service_role_trust(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != IAM_ROLE:
        return
    who = label(args.resource_type, args.name)
    document = parse_policy_document(args.props.get("assumeRolePolicy"))
    if document is None:
        report(f"{who} has a trust policy that is not a JSON document; fix: build it with json.dumps.", None)
        return
    exempt = set(config(args, _TRUST_SCHEMA, "exemptServices"))
    for index, statement in enumerate(statements(document)):
        services = [s for s in service_principals(statement) if s not in exempt]
        if allows(statement) and services and not restricting_keys(statement, SOURCE_KEYS):
            report(
                f"{who} {sid(statement, index)} lets {', '.join(services)} assume it without a concrete "
                "aws:SourceAccount or aws:SourceArn (a missing, wildcard, negated or IfExists condition "
                "admits any caller: confused deputy); fix: add Condition StringEquals "
                "aws:SourceAccount=<account id> and ArnLike aws:SourceArn=arn:aws:<service>:<region>:<account>:*.",
                None,
            )


service_role_source_condition = ResourceValidationPolicy(
    name="service-role-source-condition",
    description="Roles assumed by AWS services restrict the caller with a concrete aws:SourceAccount or aws:SourceArn.",
    validate=validate_service_role_trust,
    enforcement_level=MANDATORY,
    config_schema=_TRUST_SCHEMA,
    severity=HIGH,
    tags=["access", "iam"],
    remediation_steps="Add aws:SourceAccount / aws:SourceArn conditions to the role's assume_role_policy.",
)

POLICIES = [
    s3_public_access_block,
    s3_account_public_access_block,
    s3_tls_only_policy,
    s3_acls_disabled,
    service_role_source_condition,
]
