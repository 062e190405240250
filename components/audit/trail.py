"""The account's multi-region CloudTrail: S3 (SSE-KMS, validated) + CloudWatch Logs, Bedrock data events;
opt-in Object Lock on its bucket and CloudTrail Insights.

No SNS topic for log file delivery (`sns_topic_name`): it announces every delivered file (hundreds a day per
region), which nobody reads; the trail's events reach CloudWatch Logs, where the security metric filters and
alarms watch them (SECURITY.md, CKV_AWS_252)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.storage.log_bucket import LogBucket, LogBucketArgs
from components.storage.log_group import protected_log_group
from components.storage.protection import DataProtection
from inventory.settings import AuditSettings
from vocabulary import arns, bucket_policies, iam, names, role_policies


@dataclass(frozen=True)
class AuditTrailArgs:
    account_id: str
    home_region: str
    # Derived by the caller from the trail's name: the key policy needs it before the trail exists.
    trail_arn: str
    kms_key_arn: pulumi.Input[str]
    settings: AuditSettings
    protection: DataProtection


def event_selectors(data_event_types: Sequence[str]) -> list[dict]:
    """All management events (Bedrock InvokeModel/Converse are management events) + Bedrock data events."""
    selectors: list[dict] = [
        {
            "name": "All management events",
            "field_selectors": [{"field": "eventCategory", "equals": ["Management"]}],
        }
    ]
    selectors += [
        {
            "name": f"Bedrock data events: {resource_type.split('::')[-1]}",
            "field_selectors": [
                {"field": "eventCategory", "equals": ["Data"]},
                {"field": "resources.type", "equals": [resource_type]},
            ],
        }
        for resource_type in data_event_types
    ]
    return selectors


def bucket_delivery_statements(account_id: str, region: str, trail_arn: str) -> list[iam.Statement]:
    """What the audit bucket's policy lets CloudTrail do: check the bucket's ACL, write this trail's logs."""
    return bucket_policies.cloudtrail_delivery(names.trail_bucket(account_id, region), account_id, trail_arn)


def insight_selectors(insights: Sequence[str]) -> list[dict] | None:
    """CloudTrail Insights types (None: Insights off). They analyse the management events the trail records
    (read and write: both types work)."""
    return [{"insight_type": kind} for kind in insights] or None


class AuditTrail(pulumi.ComponentResource):
    bucket: LogBucket

    def __init__(self, name: str, args: AuditTrailArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("bedrockobs:audit:AuditTrail", name, None, opts)
        region, account_id = args.home_region, args.account_id
        trail_arn = args.trail_arn
        bucket_name = names.trail_bucket(account_id, region)
        bucket = LogBucket(
            f"{name}-bucket",
            LogBucketArgs(
                bucket_name=bucket_name,
                region=region,
                role=names.AUDIT_TRAIL_ROLE,
                kms_key_arn=args.kms_key_arn,
                lifecycle=args.settings.bucket_lifecycle,
                delivery_statements=bucket_delivery_statements(account_id, region, trail_arn),
                protection=args.protection,
                object_lock=args.settings.object_lock,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        log_group = protected_log_group(
            f"{name}-log-group",
            region=region,
            name=names.TRAIL_LOG_GROUP,
            retention_days=args.settings.log_retention_days,
            kms_key_arn=args.kms_key_arn,
            protection=args.protection,
            parent=self,
        )
        log_group_arn = arns.log_group_arn(region, account_id, names.TRAIL_LOG_GROUP)
        role = aws.iam.Role(
            f"{name}-logs-role",
            name=names.trail_role(),
            description="Lets the Bedrock observability trail deliver to CloudWatch Logs",
            assume_role_policy=role_policies.trail_to_logs_trust(account_id, trail_arn),
            opts=pulumi.ResourceOptions(parent=self),
        )
        role_policy = aws.iam.RolePolicy(
            f"{name}-logs-role-policy",
            role=role.name,
            policy=iam.document(role_policies.trail_to_logs_policy(region, account_id)),
            opts=pulumi.ResourceOptions(parent=self),
        )
        trail = aws.cloudtrail.Trail(
            f"{name}-trail",
            region=region,
            name=names.TRAIL_NAME,
            s3_bucket_name=bucket_name,
            kms_key_id=args.kms_key_arn,
            is_multi_region_trail=True,
            include_global_service_events=True,
            enable_log_file_validation=True,
            enable_logging=True,
            cloud_watch_logs_group_arn=f"{log_group_arn}:*",  # CloudTrail expects the ':*' form
            cloud_watch_logs_role_arn=role.arn,
            advanced_event_selectors=event_selectors(args.settings.data_event_resource_types),
            insight_selectors=insight_selectors(args.settings.insights),
            # CloudTrail checks bucket policy, key policy and role when the trail is created.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[bucket, log_group, role_policy]),
        )
        self.bucket = bucket
        self.register_outputs({"trail_arn": trail.arn, "bucket": bucket_name, "log_group_name": log_group.name})
