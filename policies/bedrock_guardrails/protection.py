"""Data-loss protection: the resources that hold logs or the keys to read them cannot be deleted by a
routine `pulumi up`/`destroy`."""

from __future__ import annotations

from pulumi_policy import ReportViolation, ResourceValidationArgs, ResourceValidationPolicy

from bedrock_guardrails._util import (
    BUCKET,
    HIGH,
    KMS_KEY,
    LOG_GROUP,
    MANDATORY,
    config,
    label,
    schema,
    truthy,
)

_PROTECT_SCHEMA = schema(
    resourceTypes={
        "type": "array",
        "items": {"type": "string"},
        "default": [KMS_KEY, LOG_GROUP, BUCKET],
        "description": "Resource types that must carry the Pulumi `protect` option.",
    },
)


def validate_protected(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type not in config(args, _PROTECT_SCHEMA, "resourceTypes"):
        return
    if not args.opts.protect:
        report(
            f"{label(args.resource_type, args.name)} holds log data or the key to read it but is not "
            "protected; fix: create it with pulumi.ResourceOptions(protect=True) (decommissioning an "
            "account: set settings.allow_data_deletion and disable this policy for that stack).",
            None,
        )


data_resources_protected = ResourceValidationPolicy(
    name="data-resources-protected",
    description="KMS keys, log groups and log buckets are created with protect=True.",
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

POLICIES = [data_resources_protected, log_bucket_no_force_destroy]
