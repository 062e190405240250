"""Bedrock model invocation logging for one account-region: CloudWatch Logs + S3, large payloads to S3, and
(opt-in) CloudWatch Logs data protection masking sensitive data in the logged prompts and responses."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.invocation_logging import data_protection
from components.storage.log_bucket import LogBucket, LogBucketArgs
from components.storage.log_group import protected_log_group
from components.storage.protection import DataProtection
from inventory.settings import InvocationLoggingSettings
from vocabulary import bucket_policies, iam, names, role_policies


@dataclass(frozen=True)
class InvocationLoggingArgs:
    account_id: str
    region: str
    kms_key_arn: pulumi.Input[str]
    settings: InvocationLoggingSettings
    protection: DataProtection


def log_group_names(settings: InvocationLoggingSettings) -> list[str]:
    """The log groups this component creates (the regional key lets CloudWatch Logs encrypt exactly these)."""
    findings = data_protection.findings_log_group(settings.data_protection)
    return [names.INVOCATION_LOG_GROUP, *([findings] if findings else [])]


def bucket_delivery_statements(account_id: str, region: str) -> list[iam.Statement]:
    """What the invocation bucket's policy lets Bedrock write: invocation logs and large payloads."""
    bucket = names.invocation_bucket(account_id, region)
    prefixes = [names.INVOCATION_LOG_PREFIX, names.LARGE_DATA_PREFIX]
    return [bucket_policies.bedrock_log_delivery(bucket, prefixes, region, account_id)]


class InvocationLogging(pulumi.ComponentResource):
    bucket: LogBucket

    def __init__(self, name: str, args: InvocationLoggingArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("bedrockobs:logging:InvocationLogging", name, None, opts)
        region, account_id = args.region, args.account_id
        log_group = protected_log_group(
            f"{name}-log-group",
            region=region,
            name=names.INVOCATION_LOG_GROUP,
            retention_days=args.settings.log_retention_days,
            kms_key_arn=args.kms_key_arn,
            protection=args.protection,
            parent=self,
        )
        bucket_name = names.invocation_bucket(account_id, region)
        bucket = LogBucket(
            f"{name}-bucket",
            LogBucketArgs(
                bucket_name=bucket_name,
                region=region,
                role=names.INVOCATION_LOGS_ROLE,
                kms_key_arn=args.kms_key_arn,
                lifecycle=args.settings.bucket_lifecycle,
                delivery_statements=bucket_delivery_statements(account_id, region),
                protection=args.protection,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.bucket = bucket
        # Events ingested before the policy exists are never masked: Bedrock starts logging after it.
        masking = [self._data_protection(name, args, log_group)] if args.settings.data_protection.enabled else []

        role = aws.iam.Role(
            f"{name}-role",
            name=names.invocation_role(region),
            description=f"Lets Amazon Bedrock in {region} write model invocation logs",
            assume_role_policy=role_policies.invocation_logging_trust(region, account_id),
            opts=pulumi.ResourceOptions(parent=self),
        )
        role_policy = aws.iam.RolePolicy(
            f"{name}-role-policy",
            role=role.name,
            policy=pulumi.Output.from_input(args.kms_key_arn).apply(
                lambda key_arn: iam.document(role_policies.invocation_logging_role_policy(region, account_id, key_arn))
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        s = args.settings
        aws.bedrockmodel.InvocationLoggingConfiguration(
            f"{name}-configuration",
            region=region,
            logging_config={
                "cloudwatch_config": {
                    "log_group_name": log_group.name,
                    "role_arn": role.arn,
                    "large_data_delivery_s3_config": {
                        "bucket_name": bucket_name,
                        "key_prefix": names.LARGE_DATA_PREFIX,
                    },
                },
                "s3_config": {"bucket_name": bucket_name, "key_prefix": names.INVOCATION_LOG_PREFIX},
                "text_data_delivery_enabled": s.text,
                "image_data_delivery_enabled": s.image,
                "embedding_data_delivery_enabled": s.embedding,
                "video_data_delivery_enabled": s.video,
            },
            # Bedrock validates its access to every destination when the configuration is written.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[bucket, role_policy, *masking]),
        )
        self.register_outputs({"log_group_name": log_group.name, "bucket": bucket_name, "role_arn": role.arn})

    def _data_protection(
        self, name: str, args: InvocationLoggingArgs, log_group: aws.cloudwatch.LogGroup
    ) -> aws.cloudwatch.LogDataProtectionPolicy:
        settings = args.settings.data_protection
        findings: list[pulumi.Resource] = []
        findings_log_group = data_protection.findings_log_group(settings)
        if findings_log_group:
            # The destination must exist before the policy names it.
            findings.append(
                protected_log_group(
                    f"{name}-data-protection-findings",
                    region=args.region,
                    name=findings_log_group,
                    retention_days=settings.findings_retention_days,
                    kms_key_arn=args.kms_key_arn,
                    protection=args.protection,
                    parent=self,
                )
            )
        return aws.cloudwatch.LogDataProtectionPolicy(
            f"{name}-data-protection",
            region=args.region,
            log_group_name=log_group.name,
            policy_document=data_protection.document(settings.identifiers, findings_log_group),
            # Not protected: switching masking off is a reviewed inventory change, not data loss (the SCP in
            # policies/scp/ keeps anyone but the deploy role from deleting it).
            opts=pulumi.ResourceOptions(parent=self, depends_on=findings),
        )
