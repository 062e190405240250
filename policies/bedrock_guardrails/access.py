"""Access rules around the log stores: public access, TLS, ACLs, trail integrity, Bedrock delivery, and
confused-deputy protection on the roles AWS services assume."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import ReportViolation, ResourceValidationArgs, ResourceValidationPolicy

from bedrock_guardrails._util import (
    BUCKET_OWNERSHIP,
    BUCKET_PAB,
    BUCKET_POLICY,
    CRITICAL,
    HIGH,
    IAM_ROLE,
    INVOCATION_LOGGING,
    MANDATORY,
    MEDIUM,
    TRAIL,
    as_list,
    condition_keys,
    config,
    first,
    is_set,
    label,
    parse_policy_document,
    schema,
    security_hub,
    shown,
    statements,
    truthy,
)

_PAB_FLAGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
_PAB_ARGS = {
    "blockPublicAcls": "block_public_acls",
    "blockPublicPolicy": "block_public_policy",
    "ignorePublicAcls": "ignore_public_acls",
    "restrictPublicBuckets": "restrict_public_buckets",
}


def validate_public_access_block(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != BUCKET_PAB:
        return
    off = [_PAB_ARGS[flag] for flag in _PAB_FLAGS if not truthy(args.props.get(flag))]
    if off:
        report(
            f"{label(args.resource_type, args.name)} (bucket {shown(args.props, 'bucket')}) leaves "
            f"{', '.join(off)} off; fix: set all four flags to True.",
            None,
        )


s3_public_access_block = ResourceValidationPolicy(
    name="s3-public-access-block",
    description="S3 bucket public access blocks turn on all four flags.",
    validate=validate_public_access_block,
    enforcement_level=MANDATORY,
    severity=CRITICAL,
    framework=security_hub("S3.8"),
    tags=["access"],
    remediation_steps="Set block_public_acls, block_public_policy, ignore_public_acls and "
    "restrict_public_buckets to True on the aws.s3.BucketPublicAccessBlock.",
)


def _is_everyone(principal: Any) -> bool:
    if principal == "*":
        return True
    return isinstance(principal, Mapping) and "*" in as_list(principal.get("AWS"))


def _denies_insecure_transport(statement: Mapping[str, Any]) -> bool:
    if statement.get("Effect") != "Deny" or not _is_everyone(statement.get("Principal")):
        return False
    if not {"s3:*", "*"} & set(as_list(statement.get("Action"))):
        return False
    resources = set(as_list(statement.get("Resource")))
    # Both the bucket ARN (bucket-level calls) and bucket/* (object calls) must be covered.
    if not any(f"{r}/*" in resources for r in resources):
        return False
    conditions = statement.get("Condition") or {}
    for operator in ("Bool", "BoolIfExists"):
        block = conditions.get(operator) or {}
        for key, value in block.items():
            if key.lower() == "aws:securetransport" and str(first(value)).lower() == "false":
                return True
    return False


def validate_tls_only_policy(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != BUCKET_POLICY:
        return
    document = parse_policy_document(args.props.get("policy"))
    who = f"{label(args.resource_type, args.name)} (bucket {shown(args.props, 'bucket')})"
    if document is None:
        report(
            f"{who} is not a JSON policy document; fix: build it with json.dumps / aws.iam.get_policy_document.", None
        )
    elif not any(_denies_insecure_transport(s) for s in statements(document)):
        report(
            f"{who} does not refuse plain-HTTP requests; fix: add a statement Effect=Deny, Principal='*', "
            "Action='s3:*', Resource=[bucket ARN, bucket ARN/*], "
            "Condition={'Bool': {'aws:SecureTransport': 'false'}}.",
            None,
        )


s3_tls_only_policy = ResourceValidationPolicy(
    name="s3-tls-only-policy",
    description="S3 bucket policies deny every request that does not use TLS.",
    validate=validate_tls_only_policy,
    enforcement_level=MANDATORY,
    severity=HIGH,
    framework=security_hub("S3.5"),
    tags=["access"],
    remediation_steps="Add a Deny statement on aws:SecureTransport=false to the aws.s3.BucketPolicy.",
)


def validate_ownership_enforced(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != BUCKET_OWNERSHIP:
        return
    rule = first(args.props.get("rule")) or {}
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
    framework=security_hub("S3.12"),
    tags=["access"],
    remediation_steps="Set rule.object_ownership='BucketOwnerEnforced' on aws.s3.BucketOwnershipControls.",
)


def validate_trail_log_validation(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type == TRAIL and not truthy(args.props.get("enableLogFileValidation")):
        report(
            f"{label(args.resource_type, args.name)} does not sign its log files, so tampering goes "
            "unnoticed; fix: set enable_log_file_validation=True.",
            None,
        )


cloudtrail_log_file_validation = ResourceValidationPolicy(
    name="cloudtrail-log-file-validation",
    description="CloudTrail trails have log file integrity validation enabled.",
    validate=validate_trail_log_validation,
    enforcement_level=MANDATORY,
    severity=MEDIUM,
    framework=security_hub("CloudTrail.4"),
    tags=["audit"],
    remediation_steps="Set enable_log_file_validation=True on the aws.cloudtrail.Trail.",
)


def validate_trail_multi_region(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type == TRAIL and not truthy(args.props.get("isMultiRegionTrail")):
        report(
            f"{label(args.resource_type, args.name)} records only its home region, missing Bedrock calls "
            "made elsewhere; fix: set is_multi_region_trail=True.",
            None,
        )


cloudtrail_multi_region = ResourceValidationPolicy(
    name="cloudtrail-multi-region",
    description="CloudTrail trails record every region.",
    validate=validate_trail_multi_region,
    enforcement_level=MANDATORY,
    severity=HIGH,
    framework=security_hub("CloudTrail.1"),
    tags=["audit"],
    remediation_steps="Set is_multi_region_trail=True on the aws.cloudtrail.Trail.",
)

_LOGGING_SCHEMA = schema(
    requireCloudWatch={
        "type": "boolean",
        "default": True,
        "description": "Require delivery to CloudWatch Logs (log group + role).",
    },
    requireS3={"type": "boolean", "default": True, "description": "Require delivery to S3."},
    requireLargeDataDelivery={
        "type": "boolean",
        "default": True,
        "description": "With CloudWatch delivery, require the large-data S3 location (payloads over 100 KB "
        "and binary data are dropped without it).",
    },
)


def validate_invocation_logging(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != INVOCATION_LOGGING:
        return
    who = f"{label(args.resource_type, args.name)} ({shown(args.props, 'region')})"
    logging = first(args.props.get("loggingConfig")) or {}
    cloudwatch = first(logging.get("cloudwatchConfig")) or {}
    s3 = first(logging.get("s3Config")) or {}
    if config(args, _LOGGING_SCHEMA, "requireCloudWatch"):
        missing = [
            arg
            for key, arg in (("logGroupName", "log_group_name"), ("roleArn", "role_arn"))
            if not is_set(cloudwatch, key)
        ]
        if missing:
            report(
                f"{who} does not deliver to CloudWatch Logs ({', '.join(missing)} unset); fix: set "
                "logging_config.cloudwatch_config with log_group_name and role_arn.",
                None,
            )
        elif config(args, _LOGGING_SCHEMA, "requireLargeDataDelivery"):
            large = first(cloudwatch.get("largeDataDeliveryS3Config")) or {}
            if not is_set(large, "bucketName"):
                report(
                    f"{who} has no large-data S3 location, so payloads over 100 KB are lost; fix: set "
                    "cloudwatch_config.large_data_delivery_s3_config.bucket_name.",
                    None,
                )
    if config(args, _LOGGING_SCHEMA, "requireS3") and not is_set(s3, "bucketName"):
        report(
            f"{who} does not deliver to S3; fix: set logging_config.s3_config.bucket_name to the region's log bucket.",
            None,
        )


bedrock_invocation_logging_destinations = ResourceValidationPolicy(
    name="bedrock-invocation-logging-destinations",
    description="Bedrock model invocation logging delivers to both CloudWatch Logs and S3.",
    validate=validate_invocation_logging,
    enforcement_level=MANDATORY,
    config_schema=_LOGGING_SCHEMA,
    severity=HIGH,
    tags=["audit", "bedrock"],
    remediation_steps="Set cloudwatch_config (with large_data_delivery_s3_config) and s3_config on "
    "aws.bedrockmodel.InvocationLoggingConfiguration.",
)

_TRUST_SCHEMA = schema(
    exemptServices={
        "type": "array",
        "items": {"type": "string"},
        "default": [],
        "description": "Service principals that do not support aws:SourceAccount/aws:SourceArn.",
    },
)
_SOURCE_KEYS = {"aws:sourceaccount", "aws:sourcearn"}


def validate_service_role_trust(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != IAM_ROLE:
        return
    who = label(args.resource_type, args.name)
    document = parse_policy_document(args.props.get("assumeRolePolicy"))
    if document is None:
        report(f"{who} has a trust policy that is not a JSON document; fix: build it with json.dumps.", None)
        return
    exempt = set(config(args, _TRUST_SCHEMA, "exemptServices"))
    for statement in statements(document):
        principal = statement.get("Principal")
        if statement.get("Effect") != "Allow" or not isinstance(principal, Mapping):
            continue
        services = [s for s in as_list(principal.get("Service")) if s not in exempt]
        if services and not _SOURCE_KEYS & condition_keys(statement):
            report(
                f"{who} lets {', '.join(services)} assume it without aws:SourceAccount or aws:SourceArn "
                "(confused deputy); fix: add Condition StringEquals aws:SourceAccount=<account> and "
                "ArnLike aws:SourceArn=arn:aws:<service>:<region>:<account>:*.",
                None,
            )


service_role_source_condition = ResourceValidationPolicy(
    name="service-role-source-condition",
    description="Roles assumed by AWS services restrict the caller with aws:SourceAccount or aws:SourceArn.",
    validate=validate_service_role_trust,
    enforcement_level=MANDATORY,
    config_schema=_TRUST_SCHEMA,
    severity=HIGH,
    tags=["access", "iam"],
    remediation_steps="Add aws:SourceAccount / aws:SourceArn conditions to the role's assume_role_policy.",
)

POLICIES = [
    s3_public_access_block,
    s3_tls_only_policy,
    s3_acls_disabled,
    cloudtrail_log_file_validation,
    cloudtrail_multi_region,
    bedrock_invocation_logging_destinations,
    service_role_source_condition,
]
