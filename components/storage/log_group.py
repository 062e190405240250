"""A CloudWatch log group that holds logs: KMS-encrypted, with retention, protected from deletion."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from components.storage.protection import DataProtection


def protected_log_group(
    resource_name: str,
    *,
    region: str,
    name: str,
    retention_days: int,
    kms_key_arn: pulumi.Input[str],
    protection: DataProtection,
    parent: pulumi.Resource,
) -> aws.cloudwatch.LogGroup:
    return aws.cloudwatch.LogGroup(
        resource_name,
        region=region,
        name=name,
        retention_in_days=retention_days,
        kms_key_id=kms_key_arn,
        # AWS-side guard too: blocks deletion from the console or CLI, not only through Pulumi.
        deletion_protection_enabled=protection.protect,
        opts=protection.options(parent),
    )
