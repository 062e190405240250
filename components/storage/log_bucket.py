"""An S3 bucket fit to hold logs: SSE-KMS with bucket key, versioned, private, TLS-only, tiered, expiring."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.storage.protection import DataProtection
from inventory.models import LifecycleTiers
from vocabulary import iam as docs


@dataclass(frozen=True)
class LogBucketArgs:
    bucket_name: str
    region: str
    kms_key_arn: pulumi.Input[str]
    lifecycle: LifecycleTiers
    # Statements letting the delivering service (Bedrock, CloudTrail) write; TLS/KMS denies are added here.
    delivery_statements: Sequence[docs.Statement]
    protection: DataProtection


def lifecycle_rules(tiers: LifecycleTiers) -> list[dict]:
    return [
        {
            "id": "tier-then-expire",
            "status": "Enabled",
            "filter": {"prefix": ""},
            "transitions": [
                {"days": days, "storage_class": storage_class} for days, storage_class in tiers.transitions()
            ],
            "expiration": {"days": tiers.expire_after_days},
            "noncurrent_version_expiration": {"noncurrent_days": tiers.noncurrent_version_expire_after_days},
            "abort_incomplete_multipart_upload": {"days_after_initiation": tiers.abort_incomplete_upload_after_days},
        }
    ]


class LogBucket(pulumi.ComponentResource):
    def __init__(self, name: str, args: LogBucketArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("bedrockobs:storage:LogBucket", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        bucket = aws.s3.Bucket(
            name,
            region=args.region,
            bucket=args.bucket_name,
            force_destroy=False,  # never empty a log bucket as a side effect of a deploy
            opts=args.protection.options(self),
        )
        # Sub-resources reference the bucket's id so they are created after it (and replaced with it).
        ownership = aws.s3.BucketOwnershipControls(
            f"{name}-ownership",
            region=args.region,
            bucket=bucket.id,
            rule={"object_ownership": "BucketOwnerEnforced"},  # ACLs off: the account owns every object
            opts=child,
        )
        public_access = aws.s3.BucketPublicAccessBlock(
            f"{name}-public-access",
            region=args.region,
            bucket=bucket.id,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
            opts=child,
        )
        aws.s3.BucketServerSideEncryptionConfiguration(
            f"{name}-encryption",
            region=args.region,
            bucket=bucket.id,
            rules=[
                {
                    "apply_server_side_encryption_by_default": {
                        "sse_algorithm": "aws:kms",
                        "kms_master_key_id": args.kms_key_arn,
                    },
                    "bucket_key_enabled": True,  # one data key per bucket, not per object: far fewer KMS calls
                }
            ],
            opts=child,
        )
        versioning = aws.s3.BucketVersioning(
            f"{name}-versioning",
            region=args.region,
            bucket=bucket.id,
            versioning_configuration={"status": "Enabled"},
            opts=child,
        )
        aws.s3.BucketLifecycleConfiguration(
            f"{name}-lifecycle",
            region=args.region,
            bucket=bucket.id,
            rules=lifecycle_rules(args.lifecycle),
            # Noncurrent-version rules need versioning in place first.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[versioning]),
        )
        aws.s3.BucketPolicy(
            f"{name}-policy",
            region=args.region,
            bucket=bucket.id,
            policy=docs.document(
                [
                    docs.deny_insecure_transport(args.bucket_name),
                    docs.deny_non_kms_uploads(args.bucket_name),
                    *args.delivery_statements,
                ]
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[public_access, ownership]),
        )
        self.register_outputs({"bucket": bucket.id, "arn": bucket.arn})
