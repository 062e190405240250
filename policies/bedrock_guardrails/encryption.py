"""Encryption rules: every store of Bedrock prompts/responses and audit records is encrypted with a customer
managed KMS key (an AWS managed `alias/aws/...` key cannot be shared with other services or accounts, and its
policy cannot be restricted)."""

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

from bedrock_guardrails._aws import BUCKET_SSE, KMS_KEY, LOG_GROUP, SNS_TOPIC, TRAIL, aws_managed_key
from bedrock_guardrails._buckets import ACCESS_LOGS, AccessLogging, Buckets, bucket_role
from bedrock_guardrails._controls import control
from bedrock_guardrails._util import (
    HIGH,
    MANDATORY,
    as_list,
    block,
    config,
    is_set,
    label,
    maybe_unknown,
    raise_first_unknown,
    resources_of,
    schema,
    shown,
    truthy,
)


def _key_problem(args: ResourceValidationArgs, prop: str) -> str | None:
    """Why `prop` does not name a customer managed key: unset, or an AWS managed alias."""
    if not is_set(args.props, prop):
        return "unset"
    key = maybe_unknown(args.props, prop)
    if aws_managed_key(key):
        return f"the AWS managed key {key!r}"
    return None


def validate_log_group_kms(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != LOG_GROUP:
        return
    problem = _key_problem(args, "kmsKeyId")
    if problem:
        report(
            f"{label(args.resource_type, args.name)} is not encrypted with a customer managed key (kmsKeyId "
            f"{problem}); fix: set kms_key_id to a customer managed KMS key whose policy allows "
            "logs.<region>.amazonaws.com.",
            None,
        )


log_group_kms = ResourceValidationPolicy(
    name="log-group-kms",
    description="CloudWatch log groups are encrypted with a customer managed KMS key.",
    validate=validate_log_group_kms,
    enforcement_level=MANDATORY,
    severity=HIGH,
    tags=["encryption"],
    remediation_steps="Set kms_key_id on the aws.cloudwatch.LogGroup.",
)

KMS = "aws:kms"
DSSE = "aws:kms:dsse"
SSE_S3 = "AES256"

_SSE_SCHEMA = schema(
    allowedAlgorithms={
        "type": "array",
        "items": {"type": "string", "enum": [KMS, DSSE]},
        "minItems": 1,
        "uniqueItems": True,
        "default": [KMS, DSSE],
        "description": "Accepted sseAlgorithm values: SSE-KMS and dual-layer DSSE-KMS (SSE-S3 'AES256' is "
        "accepted only through allowSseS3ForRoles).",
    },
    requireCustomerManagedKey={
        "type": "boolean",
        "default": True,
        "description": "Require kmsMasterKeyId naming a customer managed key (not unset, not alias/aws/s3).",
    },
    requireBucketKey={
        "type": "boolean",
        "default": True,
        "description": "Require bucketKeyEnabled with SSE-KMS (cuts KMS request costs for high-volume log "
        "writes; DSSE-KMS does not support S3 Bucket Keys, so it is not required there).",
    },
    allowSseS3ForRoles={
        "type": "array",
        "items": {"type": "string", "enum": [ACCESS_LOGS]},
        "uniqueItems": True,
        "default": [ACCESS_LOGS],
        "description": "Bucket roles admitted with SSE-S3 ('AES256'). Only the S3 server access log target can "
        "be: AWS documents SSE-S3 as the only default encryption for it. Admitted only for a bucket tagged "
        "bedrock-observability:bucket-role=access-logs that the stack's aws.s3.BucketLogging delivers to; [] "
        "admits none.",
    },
)


def _admitted_sse_s3(
    sse: Any, buckets: Buckets, logging: AccessLogging, allowed_roles: list[str], report: ReportViolation
) -> bool:
    """True when `sse` (SSE-S3) belongs to a verified access-log bucket and that role is admitted; reports a
    bucket that claims the role without being one."""
    claimed = [b for b in buckets.of(sse) if bucket_role(b) == ACCESS_LOGS and ACCESS_LOGS in allowed_roles]
    for bucket in claimed:
        problem = logging.claim_problem(bucket)
        if problem is None:
            return True
        raise_first_unknown([*logging.undecided, *buckets.unknown_names()])
        report(
            f"{label(sse.resource_type, sse.name)} uses SSE-S3 ('AES256'), which is admitted only for the S3 "
            f"server access log bucket, but {label(bucket.resource_type, bucket.name)} is tagged {ACCESS_LOGS} "
            f"and {problem}; fix: use sse_algorithm 'aws:kms' with the customer managed key, or make it the "
            "access-log target it claims to be.",
            sse.urn,
        )
        return True  # reported once, as what it is
    return False


def _check_sse(sse: Any, settings: dict[str, Any], report: ReportViolation) -> None:
    who = f"{label(sse.resource_type, sse.name)} (bucket {shown(sse.props, 'bucket')})"
    allowed = list(settings["allowedAlgorithms"])
    rules = [r for r in as_list(sse.props.get("rules")) if isinstance(r, Mapping)]
    if not rules:
        report(
            f"{who} has no rules; fix: add a rule with sse_algorithm 'aws:kms', a kms_master_key_id and "
            "bucket_key_enabled=True.",
            sse.urn,
        )
    for rule in rules:
        default = block(rule.get("applyServerSideEncryptionByDefault"))
        algorithm = default.get("sseAlgorithm")
        if algorithm not in allowed:
            report(
                f"{who} uses sse_algorithm {algorithm!r} (SSE-S3 or none); fix: use one of {allowed} "
                "with a customer managed KMS key.",
                sse.urn,
            )
            if algorithm == SSE_S3:
                continue  # no KMS key to check: refusing SSE-S3 says it all
        key = maybe_unknown(default, "kmsMasterKeyId")
        if settings["requireCustomerManagedKey"] and not is_set(default, "kmsMasterKeyId"):
            report(
                f"{who} does not name a KMS key, so S3 falls back to the aws/s3 managed key; fix: set "
                "kms_master_key_id to the log bucket's customer managed key.",
                sse.urn,
            )
        elif settings["requireCustomerManagedKey"] and aws_managed_key(key):
            report(
                f"{who} names the AWS managed key {key!r}, whose policy cannot admit log delivery services; "
                "fix: set kms_master_key_id to the log bucket's customer managed key.",
                sse.urn,
            )
        if algorithm == KMS and settings["requireBucketKey"] and not truthy(rule.get("bucketKeyEnabled")):
            report(f"{who} does not enable the S3 Bucket Key; fix: set bucket_key_enabled=True.", sse.urn)


def _only_sse_s3(sse: Any) -> bool:
    rules = [r for r in as_list(sse.props.get("rules")) if isinstance(r, Mapping)]
    return bool(rules) and all(
        block(r.get("applyServerSideEncryptionByDefault")).get("sseAlgorithm") == SSE_S3
        and not is_set(block(r.get("applyServerSideEncryptionByDefault")), "kmsMasterKeyId")
        for r in rules
    )


def validate_s3_sse_kms(args: StackValidationArgs, report: ReportViolation) -> None:
    subs = resources_of(args.resources, BUCKET_SSE)
    if not subs:
        args.not_applicable("The stack configures no bucket encryption.")
    settings = {key: config(args, _SSE_SCHEMA, key) for key in _SSE_SCHEMA.properties}
    buckets = Buckets(args.resources)
    logging = AccessLogging(args.resources, buckets)
    for sse in subs:
        if _only_sse_s3(sse) and _admitted_sse_s3(sse, buckets, logging, settings["allowSseS3ForRoles"], report):
            continue
        _check_sse(sse, settings, report)


s3_bucket_sse_kms = StackValidationPolicy(
    name="s3-bucket-sse-kms",
    description="S3 buckets default to SSE-KMS (or DSSE-KMS) with a customer managed key, and an S3 Bucket Key "
    "with SSE-KMS; SSE-S3 only for the verified S3 server access log bucket.",
    validate=validate_s3_sse_kms,
    enforcement_level=MANDATORY,
    config_schema=_SSE_SCHEMA,
    severity=HIGH,
    framework=control("S3.17"),
    tags=["encryption", "stack"],
    remediation_steps="Configure aws.s3.BucketServerSideEncryptionConfiguration with "
    "sse_algorithm='aws:kms', kms_master_key_id and bucket_key_enabled=True.",
)

_SNS_SCHEMA = schema(
    allowAwsManagedKey={
        "type": "boolean",
        "default": False,
        "description": "Accept alias/aws/sns. Off by default: CloudWatch alarms and Budgets cannot use the "
        "AWS managed key, so notifications would silently never arrive.",
    },
)


def validate_sns_topic_kms(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != SNS_TOPIC:
        return
    key = maybe_unknown(args.props, "kmsMasterKeyId")
    who = label(args.resource_type, args.name)
    if not is_set(args.props, "kmsMasterKeyId"):
        report(
            f"{who} is not encrypted; fix: set kms_master_key_id to a customer managed key that allows "
            "cloudwatch.amazonaws.com (and budgets.amazonaws.com) kms:Decrypt and kms:GenerateDataKey*.",
            None,
        )
    elif aws_managed_key(key) and not config(args, _SNS_SCHEMA, "allowAwsManagedKey"):
        report(
            f"{who} uses the AWS managed key {key!r}, which CloudWatch alarms cannot use to publish; fix: use "
            "a customer managed key that allows cloudwatch.amazonaws.com.",
            None,
        )


sns_topic_kms = ResourceValidationPolicy(
    name="sns-topic-kms",
    description="SNS alert topics are encrypted with a customer managed KMS key.",
    validate=validate_sns_topic_kms,
    enforcement_level=MANDATORY,
    config_schema=_SNS_SCHEMA,
    severity=HIGH,
    framework=control("SNS.1"),
    tags=["encryption"],
    remediation_steps="Set kms_master_key_id on the aws.sns.Topic.",
)


def validate_cloudtrail_kms(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != TRAIL:
        return
    problem = _key_problem(args, "kmsKeyId")
    if problem:
        report(
            f"{label(args.resource_type, args.name)} does not encrypt its log files with a customer managed "
            f"key (kmsKeyId {problem}); fix: set kms_key_id to a key whose policy allows "
            "cloudtrail.amazonaws.com kms:GenerateDataKey*.",
            None,
        )


cloudtrail_kms = ResourceValidationPolicy(
    name="cloudtrail-kms",
    description="CloudTrail trails encrypt log files with a customer managed KMS key (SSE-KMS).",
    validate=validate_cloudtrail_kms,
    enforcement_level=MANDATORY,
    severity=HIGH,
    framework=control("CloudTrail.2"),
    tags=["encryption"],
    remediation_steps="Set kms_key_id on the aws.cloudtrail.Trail.",
)


def validate_kms_key_rotation(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != KMS_KEY:
        return
    spec = args.props.get("customerMasterKeySpec") or "SYMMETRIC_DEFAULT"
    if spec != "SYMMETRIC_DEFAULT":
        # KMS supports automatic rotation only for symmetric encryption keys.
        args.not_applicable(f"key spec {spec} cannot be rotated automatically")
    if not truthy(args.props.get("enableKeyRotation")):
        report(
            f"{label(args.resource_type, args.name)} does not rotate its key material; fix: set "
            "enable_key_rotation=True.",
            None,
        )


kms_key_rotation = ResourceValidationPolicy(
    name="kms-key-rotation",
    description="Customer managed symmetric KMS keys have automatic rotation enabled.",
    validate=validate_kms_key_rotation,
    enforcement_level=MANDATORY,
    severity=HIGH,
    framework=control("KMS.4"),
    tags=["encryption"],
    remediation_steps="Set enable_key_rotation=True on the aws.kms.Key.",
)

POLICIES = [log_group_kms, s3_bucket_sse_kms, sns_topic_kms, cloudtrail_kms, kms_key_rotation]
