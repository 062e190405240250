"""Data-loss protection: the resources that hold logs or the keys to read them cannot be deleted by a
routine `pulumi up`/`destroy`, and what is deleted or overwritten can be recovered for a while.

`retainOnDelete` is checked too, but not here: CrossGuard does not pass it to policies (the analyzer
protocol's resource options carry `protect` only), so `obsctl policy-check` checks it from the plan
(rule `data-resources-retained`, see obsctl/policy/plan_rules.py).
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import ReportViolation, ResourceValidationArgs, ResourceValidationPolicy

from bedrock_guardrails._aws import (
    BUCKET,
    BUCKET_LIFECYCLE,
    BUCKET_LOGGING,
    BUCKET_OBJECT_LOCK,
    BUCKET_OWNERSHIP,
    BUCKET_PAB,
    BUCKET_POLICY,
    BUCKET_SSE,
    BUCKET_VERSIONING,
    KMS_ALIAS,
    KMS_DELETION_WINDOW,
    KMS_KEY,
    LOG_GROUP,
)
from bedrock_guardrails._controls import control
from bedrock_guardrails._util import (
    HIGH,
    MANDATORY,
    NON_EMPTY,
    NotWhole,
    block,
    config,
    days,
    label,
    schema,
    shown,
    truthy,
    whole,
)

DATA_RESOURCE_TYPES = [KMS_KEY, LOG_GROUP, BUCKET]
# A log bucket's settings are protected with it (a forgotten policy or public access block would leave a
# retained bucket open), and a key's alias with the key (the SCPs identify the keys by alias).
BUCKET_SETTING_TYPES = [
    BUCKET_POLICY,
    BUCKET_PAB,
    BUCKET_SSE,
    BUCKET_VERSIONING,
    BUCKET_LIFECYCLE,
    BUCKET_OWNERSHIP,
    BUCKET_LOGGING,
    BUCKET_OBJECT_LOCK,
]
PROTECTED_TYPES = [*DATA_RESOURCE_TYPES, KMS_ALIAS, *BUCKET_SETTING_TYPES]

_PROTECT_SCHEMA = schema(
    resourceTypes={
        "type": "array",
        "items": {"type": "string", "minLength": 1},
        "uniqueItems": True,
        "default": PROTECTED_TYPES,
        NON_EMPTY: True,
        "description": "Resource types that must carry the Pulumi `protect` option.",
    },
)


def validate_protected(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type not in config(args, _PROTECT_SCHEMA, "resourceTypes"):
        return
    if args.opts.protect is not True:
        report(
            f"{label(args.resource_type, args.name)} holds log data, the key to read it, or what guards them but "
            "is not "
            "protected; fix: create it with pulumi.ResourceOptions(protect=True) (decommissioning an "
            "account: set settings.allow_data_deletion and disable this policy for that stack).",
            None,
        )


data_resources_protected = ResourceValidationPolicy(
    name="data-resources-protected",
    description="KMS keys and their aliases, log groups, log buckets and their settings are created with protect=True.",
    validate=validate_protected,
    enforcement_level=MANDATORY,
    config_schema=_PROTECT_SCHEMA,
    severity=HIGH,
    tags=["data-protection"],
    remediation_steps="Pass opts=pulumi.ResourceOptions(protect=True) to the resource.",
)


def validate_no_force_destroy(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type == BUCKET and truthy(args.props.get("forceDestroy")):
        report(
            f"{label(args.resource_type, args.name)} sets force_destroy=True, so deleting it also deletes "
            "every log object; fix: remove force_destroy (or set it to False).",
            None,
        )


log_bucket_no_force_destroy = ResourceValidationPolicy(
    name="log-bucket-no-force-destroy",
    description="S3 log buckets do not set force_destroy.",
    validate=validate_no_force_destroy,
    enforcement_level=MANDATORY,
    severity=HIGH,
    tags=["data-protection"],
    remediation_steps="Remove force_destroy from the aws.s3.Bucket.",
)

_WINDOW_SCHEMA = schema(
    minDeletionWindowDays=days(
        KMS_DELETION_WINDOW[1],
        "Shortest allowed KMS key deletion window (KMS accepts 7 to 30; unset means 30).",
        minimum=KMS_DELETION_WINDOW[0],
        maximum=KMS_DELETION_WINDOW[1],
    ),
)


def validate_kms_deletion_window(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != KMS_KEY:
        return
    minimum = config(args, _WINDOW_SCHEMA, "minDeletionWindowDays")
    window = whole(args.props.get("deletionWindowInDays"))
    who = label(args.resource_type, args.name)
    fix = f"fix: set deletion_window_in_days to {KMS_DELETION_WINDOW[1]} (at least {minimum})"
    if isinstance(window, NotWhole):
        report(f"{who} has deletionWindowInDays={window.value!r}, not a whole number of days; {fix}.", None)
    elif window is not None and window < minimum:
        report(
            f"{who} can be destroyed {window} days after a deletion is scheduled, less than the required "
            f"{minimum} to notice and cancel it (every log encrypted with it becomes unreadable); {fix}.",
            None,
        )


kms_key_deletion_window = ResourceValidationPolicy(
    name="kms-key-deletion-window",
    description="KMS keys keep the longest deletion window, so a scheduled deletion can be noticed and cancelled.",
    validate=validate_kms_deletion_window,
    enforcement_level=MANDATORY,
    config_schema=_WINDOW_SCHEMA,
    severity=HIGH,
    framework=control("KMS.3"),
    tags=["data-protection"],
    remediation_steps="Set deletion_window_in_days=30 on the aws.kms.Key.",
)


def validate_bucket_versioning(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != BUCKET_VERSIONING:
        return
    status = block(args.props.get("versioningConfiguration")).get("status")
    if status != "Enabled":
        report(
            f"{label(args.resource_type, args.name)} (bucket {shown(args.props, 'bucket')}) has versioning "
            f"{status!r}, so an overwritten or deleted log object is gone at once; fix: set "
            "versioning_configuration.status='Enabled'.",
            None,
        )


log_bucket_versioning = ResourceValidationPolicy(
    name="log-bucket-versioning",
    description="S3 log bucket versioning is Enabled (never Suspended or Disabled).",
    validate=validate_bucket_versioning,
    enforcement_level=MANDATORY,
    severity=HIGH,
    framework=control("S3.14"),
    tags=["data-protection"],
    remediation_steps="Set versioning_configuration.status='Enabled' on the aws.s3.BucketVersioning.",
)

_LOCK_MODES = ["GOVERNANCE", "COMPLIANCE"]
_LOCK_SCHEMA = schema(
    allowedModes={
        "type": "array",
        "items": {"type": "string", "enum": _LOCK_MODES},
        "minItems": 1,
        "uniqueItems": True,
        "default": _LOCK_MODES,
        "description": "Object Lock retention modes accepted (COMPLIANCE: nobody can shorten or lift a lock).",
    },
    minRetentionDays=days(1, "Shortest default retention an Object Lock configuration may set."),
)


def _retention_days(retention: Any) -> int | NotWhole | None:
    """The default retention in days (`years` counted as 365 days each), None when neither is set."""
    days_, years = whole(retention.get("days")), whole(retention.get("years"))
    for value in (days_, years):
        if isinstance(value, NotWhole):
            return value
    if days_ is not None:
        return days_
    return years * 365 if years is not None else None


def validate_object_lock(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != BUCKET_OBJECT_LOCK:
        return
    who = f"{label(args.resource_type, args.name)} (bucket {shown(args.props, 'bucket')})"
    fix = "fix: set rule.default_retention with mode GOVERNANCE or COMPLIANCE and days"
    enabled = args.props.get("objectLockEnabled")
    if enabled not in (None, "Enabled"):
        report(f"{who} sets object_lock_enabled={enabled!r}; fix: leave it unset or 'Enabled'.", None)
    retention = block(block(args.props.get("rule")).get("defaultRetention"))
    mode, length = retention.get("mode"), _retention_days(retention)
    if not retention:
        report(f"{who} has no default retention, so no log version is locked; {fix}.", None)
        return
    allowed = config(args, _LOCK_SCHEMA, "allowedModes")
    if mode not in allowed:
        report(f"{who} has retention mode {mode!r}; fix: use one of {allowed}.", None)
    minimum = config(args, _LOCK_SCHEMA, "minRetentionDays")
    if isinstance(length, NotWhole) or length is None or length < minimum:
        shown_length = length.value if isinstance(length, NotWhole) else length
        report(f"{who} locks versions for {shown_length!r} days; {fix} (whole, at least {minimum}).", None)


s3_object_lock_retention = ResourceValidationPolicy(
    name="s3-object-lock-retention",
    description="S3 Object Lock configurations (opt-in, audit bucket) lock every new version by default.",
    validate=validate_object_lock,
    enforcement_level=MANDATORY,
    config_schema=_LOCK_SCHEMA,
    severity=HIGH,
    framework=control("S3.15"),
    tags=["data-protection"],
    remediation_steps="Set rule.default_retention (mode and days) on the aws.s3.BucketObjectLockConfiguration.",
)

POLICIES = [
    data_resources_protected,
    log_bucket_no_force_destroy,
    kms_key_deletion_window,
    log_bucket_versioning,
    s3_object_lock_retention,
]
