"""Encryption rules: every store of Bedrock prompts/responses and audit records is encrypted with a customer
managed KMS key (an AWS managed `alias/aws/...` key cannot be shared with other services or accounts, and its
policy cannot be restricted)."""

from __future__ import annotations

from collections.abc import Mapping

from pulumi_policy import ReportViolation, ResourceValidationArgs, ResourceValidationPolicy

from bedrock_guardrails._aws import BUCKET_SSE, KMS_KEY, LOG_GROUP, SNS_TOPIC, TRAIL, aws_managed_key
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

_SSE_SCHEMA = schema(
    allowedAlgorithms={
        "type": "array",
        "items": {"type": "string", "enum": [KMS, DSSE]},
        "minItems": 1,
        "uniqueItems": True,
        "default": [KMS, DSSE],
        "description": "Accepted sseAlgorithm values: SSE-KMS and dual-layer DSSE-KMS (SSE-S3 'AES256' is "
        "never accepted).",
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
)


def validate_s3_sse_kms(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != BUCKET_SSE:
        return
    who = f"{label(args.resource_type, args.name)} (bucket {shown(args.props, 'bucket')})"
    allowed = list(config(args, _SSE_SCHEMA, "allowedAlgorithms"))
    rules = [r for r in as_list(args.props.get("rules")) if isinstance(r, Mapping)]
    if not rules:
        report(
            f"{who} has no rules; fix: add a rule with sse_algorithm 'aws:kms', a kms_master_key_id and "
            "bucket_key_enabled=True.",
            None,
        )
    for rule in rules:
        default = block(rule.get("applyServerSideEncryptionByDefault"))
        algorithm = default.get("sseAlgorithm")
        if algorithm not in allowed:
            report(
                f"{who} uses sse_algorithm {algorithm!r} (SSE-S3 or none); fix: use one of {allowed} "
                "with a customer managed KMS key.",
                None,
            )
        key = maybe_unknown(default, "kmsMasterKeyId")
        if config(args, _SSE_SCHEMA, "requireCustomerManagedKey") and not is_set(default, "kmsMasterKeyId"):
            report(
                f"{who} does not name a KMS key, so S3 falls back to the aws/s3 managed key; fix: set "
                "kms_master_key_id to the log bucket's customer managed key.",
                None,
            )
        elif config(args, _SSE_SCHEMA, "requireCustomerManagedKey") and aws_managed_key(key):
            report(
                f"{who} names the AWS managed key {key!r}, whose policy cannot admit log delivery services; "
                "fix: set kms_master_key_id to the log bucket's customer managed key.",
                None,
            )
        bucket_key_needed = algorithm == KMS and config(args, _SSE_SCHEMA, "requireBucketKey")
        if bucket_key_needed and not truthy(rule.get("bucketKeyEnabled")):
            report(f"{who} does not enable the S3 Bucket Key; fix: set bucket_key_enabled=True.", None)


s3_bucket_sse_kms = ResourceValidationPolicy(
    name="s3-bucket-sse-kms",
    description="S3 buckets default to SSE-KMS (or DSSE-KMS) with a customer managed key, and an S3 Bucket Key "
    "with SSE-KMS.",
    validate=validate_s3_sse_kms,
    enforcement_level=MANDATORY,
    config_schema=_SSE_SCHEMA,
    severity=HIGH,
    framework=control("S3.17"),
    tags=["encryption"],
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
