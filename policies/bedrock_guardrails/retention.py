"""Retention rules: how long Bedrock and audit logs are kept (never forever, never too briefly)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import (
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

from bedrock_guardrails._util import (
    BUCKET,
    BUCKET_LIFECYCLE,
    HIGH,
    LOG_GROUP,
    LOG_RETENTION_DAYS,
    MANDATORY,
    TRAIL,
    as_int,
    by_name,
    config,
    first,
    label,
    linked_urns,
    resources_of,
    schema,
    security_hub,
    shown,
)

# ---------------------------------------------------------------------------------------------------------
# CloudWatch log group retention

_LOG_GROUP_SCHEMA = schema(
    minRetentionDays={
        "type": "integer",
        "minimum": 1,
        "default": 30,
        "description": "Shortest allowed retentionInDays (Security Hub CloudWatch.16 uses 365).",
    },
    maxRetentionDays={
        "type": "integer",
        "minimum": 1,
        "default": 3653,
        "description": "Longest allowed retentionInDays; 'never expire' (0/unset) is always refused.",
    },
)


def validate_log_group_retention(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != LOG_GROUP:
        return
    low = config(args, _LOG_GROUP_SCHEMA, "minRetentionDays")
    high = config(args, _LOG_GROUP_SCHEMA, "maxRetentionDays")
    days = as_int(args.props.get("retentionInDays"))
    allowed = [d for d in LOG_RETENTION_DAYS if low <= d <= high]
    fix = f"fix: set retention_in_days to one of {', '.join(map(str, allowed))}"
    who = label(args.resource_type, args.name)
    if not days:
        report(f"{who} never expires its events (retentionInDays unset or 0); {fix}.", None)
    elif days not in LOG_RETENTION_DAYS:
        report(f"{who} has retentionInDays={days}, which CloudWatch Logs does not accept; {fix}.", None)
    elif not low <= days <= high:
        report(f"{who} keeps events {days} days, outside the allowed [{low}, {high}]; {fix}.", None)


log_group_retention = ResourceValidationPolicy(
    name="log-group-retention",
    description="CloudWatch log groups set a retention within the configured range (never 'never expire').",
    validate=validate_log_group_retention,
    enforcement_level=MANDATORY,
    config_schema=_LOG_GROUP_SCHEMA,
    severity=HIGH,
    framework=security_hub("CloudWatch.16"),
    tags=["retention"],
    remediation_steps="Set retention_in_days on the aws.cloudwatch.LogGroup.",
)

# ---------------------------------------------------------------------------------------------------------
# S3 log bucket lifecycle

_LIFECYCLE_SCHEMA = schema(
    minExpirationDays={
        "type": "integer",
        "minimum": 1,
        "default": 30,
        "description": "Shortest allowed current-version expiry, in days.",
    },
    maxExpirationDays={
        "type": "integer",
        "minimum": 1,
        "default": 3653,
        "description": "Longest allowed current-version expiry, in days.",
    },
    maxAbortIncompleteUploadDays={
        "type": "integer",
        "minimum": 1,
        "default": 7,
        "description": "Incomplete multipart uploads must be aborted within this many days.",
    },
)


def _enabled_rules(props: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    rules = props.get("rules") or []
    return [r for r in rules if isinstance(r, Mapping) and r.get("status") == "Enabled"]


def expiration_days(props: Mapping[str, Any]) -> list[int]:
    """Expiry (in days) of every enabled rule that expires current objects."""
    days = []
    for rule in _enabled_rules(props):
        expiration = first(rule.get("expiration")) or {}
        value = as_int(expiration.get("days"))
        if value:
            days.append(value)
    return days


def validate_log_bucket_lifecycle(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != BUCKET_LIFECYCLE:
        return
    who = f"{label(args.resource_type, args.name)} (bucket {shown(args.props, 'bucket')})"
    low = config(args, _LIFECYCLE_SCHEMA, "minExpirationDays")
    high = config(args, _LIFECYCLE_SCHEMA, "maxExpirationDays")
    max_abort = config(args, _LIFECYCLE_SCHEMA, "maxAbortIncompleteUploadDays")
    rules = _enabled_rules(args.props)

    expiries = expiration_days(args.props)
    if not expiries:
        report(
            f"{who} never expires current objects; fix: add an Enabled rule with expiration.days "
            f"between {low} and {high}.",
            None,
        )
    for days in expiries:
        if not low <= days <= high:
            report(
                f"{who} expires objects after {days} days, outside the allowed [{low}, {high}]; "
                f"fix: set expiration.days within that range.",
                None,
            )

    noncurrent = [as_int((first(r.get("noncurrentVersionExpiration")) or {}).get("noncurrentDays")) for r in rules]
    if not any(noncurrent):
        report(
            f"{who} keeps noncurrent object versions forever; fix: add "
            "noncurrent_version_expiration.noncurrent_days to an Enabled rule.",
            None,
        )

    aborts = [as_int((first(r.get("abortIncompleteMultipartUpload")) or {}).get("daysAfterInitiation")) for r in rules]
    aborts = [a for a in aborts if a]
    if not aborts:
        report(
            f"{who} never aborts incomplete multipart uploads; fix: add "
            f"abort_incomplete_multipart_upload.days_after_initiation <= {max_abort} to an Enabled rule.",
            None,
        )
    elif min(aborts) > max_abort:
        report(
            f"{who} aborts incomplete uploads only after {min(aborts)} days; fix: set "
            f"days_after_initiation <= {max_abort}.",
            None,
        )


log_bucket_lifecycle = ResourceValidationPolicy(
    name="log-bucket-lifecycle",
    description="S3 log bucket lifecycle rules expire objects and noncurrent versions and abort incomplete uploads.",
    validate=validate_log_bucket_lifecycle,
    enforcement_level=MANDATORY,
    config_schema=_LIFECYCLE_SCHEMA,
    severity=HIGH,
    framework=security_hub("S3.13"),
    tags=["retention"],
    remediation_steps="Add expiration, noncurrent_version_expiration and abort_incomplete_multipart_upload "
    "to an Enabled rule of the aws.s3.BucketLifecycleConfiguration.",
)

# ---------------------------------------------------------------------------------------------------------
# CloudTrail bucket minimum retention (stack rule: links a trail to its bucket's lifecycle)

_TRAIL_RETENTION_SCHEMA = schema(
    minCloudTrailRetentionDays={
        "type": "integer",
        "minimum": 1,
        "default": 365,
        "description": "CloudTrail log objects must be kept at least this many days.",
    },
)


def validate_cloudtrail_bucket_retention(args: StackValidationArgs, report: ReportViolation) -> None:
    trails = resources_of(args.resources, TRAIL)
    if not trails:
        args.not_applicable("The stack defines no CloudTrail trail.")
    minimum = config(args, _TRAIL_RETENTION_SCHEMA, "minCloudTrailRetentionDays")
    buckets = by_name(resources_of(args.resources, BUCKET), "bucket")
    lifecycles = resources_of(args.resources, BUCKET_LIFECYCLE)
    for trail in trails:
        bucket_urns = linked_urns(trail, "s3BucketName", buckets, BUCKET)
        for lifecycle in lifecycles:
            if not bucket_urns & linked_urns(lifecycle, "bucket", buckets, BUCKET):
                continue
            short = [d for d in expiration_days(lifecycle.props) if d < minimum]
            if short:
                bucket = shown(trail.props, "s3BucketName")
                report(
                    f"{label(lifecycle.resource_type, lifecycle.name)} expires the CloudTrail logs of "
                    f"{label(trail.resource_type, trail.name)} (bucket {bucket}) after {min(short)} days, "
                    f"less than the required {minimum}; fix: set expiration.days >= {minimum} "
                    "(audit.bucket_lifecycle.expire_after_days).",
                    lifecycle.urn,
                )


cloudtrail_bucket_retention = StackValidationPolicy(
    name="cloudtrail-bucket-retention",
    description="CloudTrail buckets keep audit logs at least the configured minimum number of days.",
    validate=validate_cloudtrail_bucket_retention,
    enforcement_level=MANDATORY,
    config_schema=_TRAIL_RETENTION_SCHEMA,
    severity=HIGH,
    tags=["retention", "stack"],
    remediation_steps="Raise expiration.days on the trail bucket's aws.s3.BucketLifecycleConfiguration.",
)

POLICIES = [log_group_retention, log_bucket_lifecycle, cloudtrail_bucket_retention]
