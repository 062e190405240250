"""S3 server access logging of an account-region's log buckets (Security Hub S3.9, CloudTrail.7).

One access-log bucket per account-region (S3 delivers access logs only to a bucket in the source's account
and region): SSE-S3 (the only default encryption AWS documents for a target), no Object Lock and no access
logging of its own (S3 refuses the first; the second would log its own log deliveries forever). Its policy
lets the S3 logging service write only the named source buckets' logs, only for this account.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.storage.log_bucket import LogBucket, LogBucketArgs
from components.storage.protection import DataProtection
from inventory.security import AccessLogSettings
from vocabulary import bucket_policies, iam, names

TYPE_TOKEN = "bedrockobs:storage:AccessLogs"


@dataclass(frozen=True)
class AccessLogsArgs:
    account_id: str
    region: str
    # The log buckets of the account-region whose server access logs the access-log bucket receives.
    sources: Sequence[LogBucket]
    settings: AccessLogSettings
    protection: DataProtection

    def __post_init__(self) -> None:
        roles = [source.role for source in self.sources]
        if not roles or names.ACCESS_LOGS_ROLE in roles or len(set(roles)) != len(roles):
            raise ValueError(f"access logging needs distinct log buckets other than access-log buckets: {roles}")


def key_format() -> dict:
    """`[prefix][SourceAccountId]/[SourceRegion]/[SourceBucket]/[YYYY]/[MM]/[DD]/...`: one folder per source
    bucket and day, which Athena can partition on."""
    return {"partitioned_prefix": {"partition_date_source": "EventTime"}}


def delivery_statements(account_id: str, region: str, source_buckets: Sequence[str]) -> list[iam.Statement]:
    """What the access-log bucket's policy lets the S3 logging service write: these sources' access logs."""
    return [
        bucket_policies.s3_access_log_delivery(names.access_log_bucket(account_id, region), source_buckets, account_id)
    ]


class AccessLogs(pulumi.ComponentResource):
    bucket_name: str

    def __init__(self, name: str, args: AccessLogsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE_TOKEN, name, None, opts)
        self.bucket_name = names.access_log_bucket(args.account_id, args.region)
        target = LogBucket(
            f"{name}-bucket",
            LogBucketArgs(
                bucket_name=self.bucket_name,
                region=args.region,
                role=names.ACCESS_LOGS_ROLE,
                kms_key_arn=None,
                lifecycle=args.settings.bucket_lifecycle,
                delivery_statements=delivery_statements(
                    args.account_id, args.region, [source.bucket_name for source in args.sources]
                ),
                protection=args.protection,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        for source in args.sources:
            aws.s3.BucketLogging(
                f"{name}-{source.role}",
                region=args.region,
                bucket=source.bucket.id,
                target_bucket=target.bucket.id,
                target_prefix=names.ACCESS_LOG_PREFIX,
                target_object_key_format=key_format(),
                # The logging service's grant must be in place before S3 starts delivering; the setting is part
                # of the source bucket, so it is protected and retained like the bucket's other settings.
                opts=args.protection.options(self, depends_on=[target.policy]),
            )
        self.register_outputs({"bucket": target.bucket.id})
