"""Retention rules: CloudWatch log groups and S3 log buckets keep data for a bounded, configured time."""

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

from bedrock_guardrails._aws import BUCKET, BUCKET_LIFECYCLE, LOG_GROUP, LOG_RETENTION_DAYS, TRAIL
from bedrock_guardrails._controls import control
from bedrock_guardrails._util import (
    HIGH,
    MANDATORY,
    NOT_ABOVE,
    NotWhole,
    as_list,
    block,
    by_name,
    config,
    config_range,
    days,
    label,
    linked_urns,
    resources_of,
    schema,
    shown,
    whole,
)

# ---------------------------------------------------------------------------------------------------------
# CloudWatch log group retention

_LOG_GROUP_SCHEMA = schema(
    minRetentionDays=days(
        30,
        "Shortest allowed retentionInDays (Security Hub CloudWatch.16 uses 365).",
        maximum=3653,
        **{NOT_ABOVE: "maxRetentionDays"},
    ),
    maxRetentionDays=days(3653, "Longest allowed retentionInDays; 'never expire' (0/unset) is always refused."),
)


def validate_log_group_retention(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != LOG_GROUP:
        return
    bounds = config_range(args, _LOG_GROUP_SCHEMA, "minRetentionDays", report)
    if bounds is None:
        return
    low, high = bounds
    days_ = whole(args.props.get("retentionInDays"))
    allowed = [d for d in LOG_RETENTION_DAYS if low <= d <= high]
    fix = f"fix: set retention_in_days to one of {', '.join(map(str, allowed))}"
    who = label(args.resource_type, args.name)
    if isinstance(days_, NotWhole):
        report(f"{who} has retentionInDays={days_.value!r}, which is not a whole number of days; {fix}.", None)
    elif not days_:
        report(f"{who} never expires its events (retentionInDays unset or 0); {fix}.", None)
    elif days_ not in LOG_RETENTION_DAYS:
        report(f"{who} has retentionInDays={days_}, which CloudWatch Logs does not accept; {fix}.", None)
    elif not low <= days_ <= high:
        report(f"{who} keeps events {days_} days, outside the allowed [{low}, {high}]; {fix}.", None)


log_group_retention = ResourceValidationPolicy(
    name="log-group-retention",
    description="CloudWatch log groups set a retention within the configured range (never 'never expire').",
    validate=validate_log_group_retention,
    enforcement_level=MANDATORY,
    config_schema=_LOG_GROUP_SCHEMA,
    severity=HIGH,
    framework=control("CloudWatch.16"),
    tags=["retention"],
    remediation_steps="Set retention_in_days on the aws.cloudwatch.LogGroup.",
)

# ---------------------------------------------------------------------------------------------------------
# S3 log bucket lifecycle

_LIFECYCLE_SCHEMA = schema(
    minExpirationDays=days(30, "Shortest allowed current-version expiry, in days.", **{NOT_ABOVE: "maxExpirationDays"}),
    maxExpirationDays=days(3653, "Longest allowed current-version expiry, in days."),
    minNoncurrentDays=days(
        30,
        "Shortest allowed noncurrent-version expiry: how long an overwritten or deleted log object can still "
        "be recovered.",
    ),
    maxAbortIncompleteUploadDays=days(7, "Incomplete multipart uploads must be aborted within this many days."),
)


def _enabled_rules(props: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    rules = as_list(props.get("rules"))
    return [r for r in rules if isinstance(r, Mapping) and r.get("status") == "Enabled"]


def _days_of(rules: list[Mapping[str, Any]], name: str, key: str) -> list[int | NotWhole]:
    """`<name>.<key>` of every rule that sets it (whole days, or NotWhole markers)."""
    values = [whole(block(r.get(name)).get(key)) for r in rules]
    return [v for v in values if isinstance(v, NotWhole) or v]


def expiration_days(props: Mapping[str, Any]) -> list[int]:
    """Expiry (in whole days) of every enabled rule that expires current objects."""
    return [d for d in _days_of(_enabled_rules(props), "expiration", "days") if isinstance(d, int)]


def _report_fractions(who: str, found: list[int | NotWhole], field: str, report: ReportViolation) -> list[int]:
    for value in found:
        if isinstance(value, NotWhole):
            report(f"{who} sets {field}={value.value!r}, not a whole number of days; fix: use whole days.", None)
    return [v for v in found if isinstance(v, int)]


def validate_log_bucket_lifecycle(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != BUCKET_LIFECYCLE:
        return
    bounds = config_range(args, _LIFECYCLE_SCHEMA, "minExpirationDays", report)
    if bounds is None:
        return
    who = f"{label(args.resource_type, args.name)} (bucket {shown(args.props, 'bucket')})"
    rules = _enabled_rules(args.props)
    _check_expiry(who, rules, bounds, report)
    _check_noncurrent(who, rules, config(args, _LIFECYCLE_SCHEMA, "minNoncurrentDays"), report)
    _check_abort(who, rules, config(args, _LIFECYCLE_SCHEMA, "maxAbortIncompleteUploadDays"), report)


def _check_expiry(who: str, rules: list, bounds: tuple[int, int], report: ReportViolation) -> None:
    low, high = bounds
    expiries = _report_fractions(who, _days_of(rules, "expiration", "days"), "expiration.days", report)
    if not expiries:
        report(
            f"{who} never expires current objects; fix: add an Enabled rule with expiration.days "
            f"between {low} and {high}.",
            None,
        )
    for value in expiries:
        if not low <= value <= high:
            report(
                f"{who} expires objects after {value} days, outside the allowed [{low}, {high}]; "
                "fix: set expiration.days within that range.",
                None,
            )


def _check_noncurrent(who: str, rules: list, minimum: int, report: ReportViolation) -> None:
    found = _days_of(rules, "noncurrentVersionExpiration", "noncurrentDays")
    noncurrent = _report_fractions(who, found, "noncurrent_days", report)
    if not found:
        report(
            f"{who} keeps noncurrent object versions forever; fix: add "
            f"noncurrent_version_expiration.noncurrent_days >= {minimum} to an Enabled rule.",
            None,
        )
    elif noncurrent and min(noncurrent) < minimum:
        report(
            f"{who} deletes noncurrent (overwritten or deleted) log versions after {min(noncurrent)} days, "
            f"less than the required {minimum}; fix: set noncurrent_days >= {minimum}.",
            None,
        )


def _check_abort(who: str, rules: list, max_abort: int, report: ReportViolation) -> None:
    found = _days_of(rules, "abortIncompleteMultipartUpload", "daysAfterInitiation")
    aborts = _report_fractions(who, found, "days_after_initiation", report)
    if not found:
        report(
            f"{who} never aborts incomplete multipart uploads; fix: add "
            f"abort_incomplete_multipart_upload.days_after_initiation <= {max_abort} to an Enabled rule.",
            None,
        )
    elif aborts and min(aborts) > max_abort:
        report(
            f"{who} aborts incomplete uploads only after {min(aborts)} days; fix: set "
            f"days_after_initiation <= {max_abort}.",
            None,
        )


log_bucket_lifecycle = ResourceValidationPolicy(
    name="log-bucket-lifecycle",
    description="S3 log bucket lifecycle rules expire objects and noncurrent versions (not too early) and "
    "abort incomplete uploads.",
    validate=validate_log_bucket_lifecycle,
    enforcement_level=MANDATORY,
    config_schema=_LIFECYCLE_SCHEMA,
    severity=HIGH,
    framework=control("S3.13"),
    tags=["retention"],
    remediation_steps="Add expiration, noncurrent_version_expiration and abort_incomplete_multipart_upload "
    "to an Enabled rule of the aws.s3.BucketLifecycleConfiguration.",
)

# ---------------------------------------------------------------------------------------------------------
# CloudTrail bucket minimum retention (stack rule: links a trail to its bucket's lifecycle)

_TRAIL_RETENTION_SCHEMA = schema(
    minCloudTrailRetentionDays=days(365, "CloudTrail log objects must be kept at least this many days."),
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
