"""Stack rules: completeness across resources (what must exist next to what)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pulumi_policy import ReportViolation, StackValidationArgs, StackValidationPolicy

from bedrock_guardrails._aws import (
    BUCKET_LIFECYCLE,
    BUCKET_OWNERSHIP,
    BUCKET_PAB,
    BUCKET_POLICY,
    BUCKET_SSE,
    BUCKET_VERSIONING,
    COMPOSITE_ALARM,
    DASHBOARD,
    INVOCATION_LOGGING,
    METRIC_ALARM,
    SNS_TOPIC,
)
from bedrock_guardrails._buckets import ROLES, Buckets, bucket_role
from bedrock_guardrails._util import (
    HIGH,
    MANDATORY,
    NON_EMPTY,
    Unknown,
    config,
    label,
    maybe_unknown,
    raise_first_unknown,
    region_of,
    resources_of,
    schema,
)

# ---------------------------------------------------------------------------------------------------------
# Every region with Bedrock invocation logging is also watched.

_KINDS: dict[str, tuple[tuple[str, ...], str]] = {
    "alarm": ((METRIC_ALARM, COMPOSITE_ALARM), "aws.cloudwatch.MetricAlarm"),
    "dashboard": ((DASHBOARD,), "aws.cloudwatch.Dashboard"),
    "topic": ((SNS_TOPIC,), "aws.sns.Topic for alerts"),
}

_REGIONAL_SCHEMA = schema(
    requiredKinds={
        "type": "array",
        "items": {"type": "string", "enum": sorted(_KINDS)},
        "uniqueItems": True,
        "default": sorted(_KINDS),
        NON_EMPTY: True,
        "description": "What every region with invocation logging must also have.",
    },
)


def _regions(resources: Iterable[Any]) -> tuple[set[str], list[Unknown]]:
    known: set[str] = set()
    unknown: list[Unknown] = []
    for resource in resources:
        region = region_of(resource)
        if isinstance(region, Unknown):
            unknown.append(region)
        elif region:
            known.add(region)
    return known, unknown


def validate_regional_observability(args: StackValidationArgs, report: ReportViolation) -> None:
    loggings = resources_of(args.resources, INVOCATION_LOGGING)
    if not loggings:
        args.not_applicable("The stack configures no Bedrock invocation logging.")
    kinds = config(args, _REGIONAL_SCHEMA, "requiredKinds")
    # Regions of each required kind, computed once rather than per logging configuration.
    regions_of_kind = {kind: _regions(resources_of(args.resources, *_KINDS[kind][0])) for kind in kinds}
    for logging in loggings:
        region = region_of(logging)
        raise_first_unknown([region])
        missing = []
        for kind in kinds:
            fix = _KINDS[kind][1]
            present, unknown = regions_of_kind[kind]
            if region not in present:
                raise_first_unknown(unknown)  # one of them might be in this region: can't decide at preview
                missing.append((kind, fix))
        if missing:
            where = region or "the default region"
            report(
                f"{label(logging.resource_type, logging.name)} logs Bedrock calls in {where} but the stack "
                f"has no {' / '.join(kind for kind, _ in missing)} there; fix: add "
                f"{', '.join(fix for _, fix in missing)} with region={region!r} (the account's monitoring "
                "settings must cover every region it logs).",
                logging.urn,
            )


regional_observability_complete = StackValidationPolicy(
    name="regional-observability-complete",
    description="Every region with Bedrock invocation logging also has alarms, a dashboard and an alert topic.",
    validate=validate_regional_observability,
    enforcement_level=MANDATORY,
    config_schema=_REGIONAL_SCHEMA,
    severity=HIGH,
    tags=["stack", "monitoring"],
    remediation_steps="Deploy the monitoring components in every region that has invocation logging.",
)

# ---------------------------------------------------------------------------------------------------------
# Every log bucket has its security sub-resources.

_COMPANIONS: dict[str, tuple[str, str]] = {
    "publicAccessBlock": (BUCKET_PAB, "aws.s3.BucketPublicAccessBlock"),
    "serverSideEncryption": (BUCKET_SSE, "aws.s3.BucketServerSideEncryptionConfiguration"),
    "lifecycle": (BUCKET_LIFECYCLE, "aws.s3.BucketLifecycleConfiguration"),
    "bucketPolicy": (BUCKET_POLICY, "aws.s3.BucketPolicy (TLS-only)"),
    "ownershipControls": (BUCKET_OWNERSHIP, "aws.s3.BucketOwnershipControls"),
    "versioning": (BUCKET_VERSIONING, "aws.s3.BucketVersioning"),
}

_COMPANION_SCHEMA = schema(
    requiredCompanions={
        "type": "array",
        "items": {"type": "string", "enum": sorted(_COMPANIONS)},
        "uniqueItems": True,
        "default": sorted(_COMPANIONS),
        NON_EMPTY: True,
        "description": "Sub-resources every aws.s3.Bucket must have in the same stack.",
    },
    exemptCompanionsByRole={
        "type": "object",
        "propertyNames": {"enum": list(ROLES)},
        "additionalProperties": {"type": "array", "items": {"type": "string", "enum": sorted(_COMPANIONS)}},
        "default": {},
        "description": "Companions not required of buckets tagged with a given bedrock-observability:bucket-role "
        "(admits one kind of bucket explicitly; untagged buckets get no exemption).",
    },
)


def validate_bucket_companions(args: StackValidationArgs, report: ReportViolation) -> None:
    buckets = Buckets(args.resources)
    if not buckets.all:
        args.not_applicable("The stack defines no S3 bucket.")
    exemptions = config(args, _COMPANION_SCHEMA, "exemptCompanionsByRole")
    for companion in config(args, _COMPANION_SCHEMA, "requiredCompanions"):
        resource_type, fix = _COMPANIONS[companion]
        subs = resources_of(args.resources, resource_type)
        covered = {bucket.urn for sub in subs for bucket in buckets.of(sub)}
        for bucket in buckets.all:
            if bucket.urn in covered or companion in exemptions.get(bucket_role(bucket), ()):
                continue
            # An unknown name on either side might still be a match: the engine's answer is "can't tell".
            raise_first_unknown([maybe_unknown(bucket.props, "bucket")])
            raise_first_unknown(maybe_unknown(sub.props, "bucket") for sub in subs)
            report(
                f"{label(bucket.resource_type, bucket.name)} has no {companion}; fix: add an {fix} "
                "with bucket=<the bucket>.id.",
                bucket.urn,
            )


log_bucket_companions = StackValidationPolicy(
    name="log-bucket-companions",
    description="Every S3 log bucket has its public access block, encryption, lifecycle, TLS policy, "
    "ownership controls and versioning.",
    validate=validate_bucket_companions,
    enforcement_level=MANDATORY,
    config_schema=_COMPANION_SCHEMA,
    severity=HIGH,
    tags=["stack", "access", "encryption", "retention"],
    remediation_steps="Create the missing sub-resource for the bucket (the log bucket component does this).",
)

POLICIES = [regional_observability_complete, log_bucket_companions]
