"""What the program sets and nothing else checked: log group deletion protection, keys left enabled, the
SSE-KMS-only upload deny in every KMS log bucket's policy, and Object Lock only where the program puts it
(an `aws.s3.BucketObjectLockConfiguration` on the audit-trail bucket, never the bucket's own flag)."""

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

from bedrock_guardrails._aws import BUCKET_OBJECT_LOCK, BUCKET_POLICY, KMS_KEY, LOG_GROUP
from bedrock_guardrails._buckets import AccessLogging, Buckets, bucket_role
from bedrock_guardrails._iam import is_everyone, parse_policy_document, statements
from bedrock_guardrails._util import HIGH, MANDATORY, as_list, label, maybe_unknown, resources_of, truthy

_DECOMMISSION = " (decommissioning an account: set settings.allow_data_deletion and disable this policy for that stack)"


def validate_log_group_deletion_protection(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type == LOG_GROUP and not truthy(args.props.get("deletionProtectionEnabled")):
        report(
            f"{label(args.resource_type, args.name)} does not set deletion_protection_enabled, so anyone with "
            f"logs:DeleteLogGroup can delete it and every log in it; fix: set deletion_protection_enabled=True"
            f"{_DECOMMISSION}.",
            None,
        )


log_group_deletion_protection = ResourceValidationPolicy(
    name="log-group-deletion-protection",
    description="Log groups set deletionProtectionEnabled (CloudWatch Logs refuses DeleteLogGroup).",
    validate=validate_log_group_deletion_protection,
    enforcement_level=MANDATORY,
    severity=HIGH,
    tags=["data-protection"],
    remediation_steps="Set deletion_protection_enabled=True on the aws.cloudwatch.LogGroup.",
)


def validate_key_enabled(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != KMS_KEY:
        return
    enabled = args.props.get("isEnabled")
    if enabled is not None and not truthy(enabled):
        report(
            f"{label(args.resource_type, args.name)} sets is_enabled={enabled!r}: a disabled key stops log "
            "delivery and makes every log encrypted with it unreadable; fix: remove is_enabled (or set it True).",
            None,
        )


kms_key_enabled = ResourceValidationPolicy(
    name="kms-key-enabled",
    description="KMS keys are not created or left disabled (isEnabled is not false).",
    validate=validate_key_enabled,
    enforcement_level=MANDATORY,
    severity=HIGH,
    tags=["encryption", "data-protection"],
    remediation_steps="Remove is_enabled=False from the aws.kms.Key.",
)

_SSE_HEADER = "s3:x-amz-server-side-encryption"
_KMS_HEADERS = {"aws:kms", "aws:kms:dsse"}


def _denies_non_kms(statement: Mapping[str, Any], bucket: Any) -> bool:
    """Deny to everyone of s3:PutObject on the bucket's objects when the encryption header asks for anything
    but SSE-KMS/DSSE-KMS (and no other condition narrowing it)."""
    if statement.get("Effect") != "Deny" or not is_everyone(statement.get("Principal")):
        return False
    if {"NotPrincipal", "NotAction", "NotResource"} & set(statement):
        return False
    if not {"s3:putobject", "s3:*", "*"} & {str(a).lower() for a in as_list(statement.get("Action"))}:
        return False
    resources = {str(r) for r in as_list(statement.get("Resource"))}
    if isinstance(bucket, str) and not {f"arn:aws:s3:::{bucket}/*", "*"} & resources:
        return False
    conditions = statement.get("Condition")
    if not isinstance(conditions, Mapping) or set(conditions) - {"StringNotEquals", "Null"}:
        return False
    not_equals = conditions.get("StringNotEquals")
    values = {str(v) for v in as_list(not_equals.get(_SSE_HEADER))} if isinstance(not_equals, Mapping) else set()
    null = conditions.get("Null", {_SSE_HEADER: "false"})
    null_ok = isinstance(null, Mapping) and set(null) == {_SSE_HEADER} and str(null[_SSE_HEADER]).lower() == "false"
    return bool(values) and values <= _KMS_HEADERS and set(not_equals) == {_SSE_HEADER} and null_ok


def validate_deny_non_kms(args: StackValidationArgs, report: ReportViolation) -> None:
    buckets = Buckets(args.resources)
    policies = resources_of(args.resources, BUCKET_POLICY)
    if not policies:
        args.not_applicable("The stack defines no S3 bucket policy.")
    logging = AccessLogging(args.resources, buckets)
    for policy in policies:
        kms_buckets = [b for b in buckets.of(policy) if logging.claim_problem(b) is not None]
        document = parse_policy_document(maybe_unknown(policy.props, "policy"))
        if not kms_buckets or document is None:
            continue  # the verified access-log bucket (SSE-S3), or a policy the other rules already refuse
        name = maybe_unknown(policy.props, "bucket")
        if not any(_denies_non_kms(s, name) for s in statements(document)):
            report(
                f"{label(policy.resource_type, policy.name)} (bucket {name!r}) does not refuse uploads that ask "
                "for other than SSE-KMS encryption (AES256 would store logs outside the customer managed key); "
                "fix: keep the DenyNonKmsEncryption statement: Effect=Deny, Principal='*', Action='s3:PutObject', "
                f"Resource='arn:aws:s3:::<bucket>/*', Condition StringNotEquals {_SSE_HEADER} in "
                f"{sorted(_KMS_HEADERS)} and Null {_SSE_HEADER}=false.",
                policy.urn,
            )


s3_deny_non_kms_uploads = StackValidationPolicy(
    name="s3-deny-non-kms-uploads",
    description="Every KMS-encrypted log bucket's policy denies uploads that request other than SSE-KMS/DSSE-KMS.",
    validate=validate_deny_non_kms,
    enforcement_level=MANDATORY,
    severity=HIGH,
    tags=["stack", "encryption"],
    remediation_steps="Keep the DenyNonKmsEncryption statement in the aws.s3.BucketPolicy.",
)


def validate_object_lock_placement(args: StackValidationArgs, report: ReportViolation) -> None:
    buckets = Buckets(args.resources)
    if not buckets.all:
        args.not_applicable("The stack defines no S3 bucket.")
    for bucket in buckets.all:
        if truthy(maybe_unknown(bucket.props, "objectLockEnabled")):
            report(
                f"{label(bucket.resource_type, bucket.name)} sets object_lock_enabled on the bucket itself, which "
                "the program never does (changing it replaces the bucket); fix: remove it and enable Object Lock "
                "on the audit bucket with audit.object_lock (an aws.s3.BucketObjectLockConfiguration).",
                bucket.urn,
            )
    for lock in resources_of(args.resources, BUCKET_OBJECT_LOCK):
        roles = {bucket_role(b) for b in buckets.of(lock)}
        if roles and roles != {"audit-trail"}:
            report(
                f"{label(lock.resource_type, lock.name)} locks a bucket tagged {sorted(map(str, roles))}; Object "
                "Lock is only for the audit-trail bucket (invocation logs must stay deletable by lifecycle; S3 "
                "cannot deliver access logs to a locked bucket); fix: remove it, or lock the audit bucket only.",
                lock.urn,
            )


s3_object_lock_placement = StackValidationPolicy(
    name="s3-object-lock-placement",
    description="Object Lock only on the audit-trail bucket, through aws.s3.BucketObjectLockConfiguration.",
    validate=validate_object_lock_placement,
    enforcement_level=MANDATORY,
    severity=HIGH,
    tags=["stack", "data-protection"],
    remediation_steps="Enable Object Lock with audit.object_lock on the audit bucket only.",
)

POLICIES = [log_group_deletion_protection, kms_key_enabled, s3_deny_non_kms_uploads, s3_object_lock_placement]
