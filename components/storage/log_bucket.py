"""An S3 bucket fit to hold logs: encrypted, versioned, private, TLS-only, tiered, expiring, and tagged with
its role (`vocabulary.names.BUCKET_ROLES`) so the policy pack can tell the kinds of log bucket apart.

Invocation and audit buckets are SSE-KMS with the account-region's key. The access-log bucket is SSE-S3:
S3 server access logging documents SSE-S3 as the only default encryption its target may use (S3 user guide,
"Enabling Amazon S3 server access logging"); it is the one bucket the pack admits without KMS, by its role.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.storage.protection import DataProtection
from inventory.retention import LifecycleTiers
from inventory.security import ObjectLockSettings
from vocabulary import bucket_policies, iam, names

# Objects under 128 KB do not transition (S3's default since September 2024, set here so the plan shows it).
# Deliberately not `varies_by_storage_class`: that would move small log files (CloudTrail ~13 KB, invocation
# files ~40-70 KB at 10,000 calls a day) to Deep Archive, where transition requests (USD 0.05 per 1,000) cost
# more than the storage they save: USD 3.05 instead of 1.23 a month of S3 requests for payments-prod against
# USD 0.59 less storage, before Deep Archive's 40 KB per-object overhead (`obsctl plan` with each setting).
# Small files stay in Standard until they expire, the cheapest place for them; large payloads (~300 KB) and
# the log files of busy regions (over 128 KB) tier as configured.
TRANSITION_MINIMUM_OBJECT_SIZE = "all_storage_classes_128K"


@dataclass(frozen=True)
class LogBucketArgs:
    bucket_name: str
    region: str
    role: str  # one of names.BUCKET_ROLES
    # The customer managed key of SSE-KMS; None (SSE-S3) only for the access-log bucket.
    kms_key_arn: pulumi.Input[str] | None
    lifecycle: LifecycleTiers
    # Statements letting the delivering service (Bedrock, CloudTrail, S3 logging) write; denies are added here.
    delivery_statements: Sequence[iam.Statement]
    protection: DataProtection
    # Write-once logs (audit bucket only, opt-in). Object Lock buckets cannot be access-log targets.
    object_lock: ObjectLockSettings | None = None

    def __post_init__(self) -> None:
        if self.role not in names.BUCKET_ROLES:
            raise ValueError(f"bucket role {self.role!r} is not one of {names.BUCKET_ROLES}")
        access_logs = self.role == names.ACCESS_LOGS_ROLE
        if self.kms_key_arn is None and not access_logs:
            raise ValueError(f"{self.bucket_name}: only the access-log bucket may use SSE-S3; pass the KMS key")
        if access_logs and self.object_lock is not None and self.object_lock.enabled:
            raise ValueError(f"{self.bucket_name}: S3 cannot deliver access logs to an Object Lock bucket")


def lifecycle_rules(tiers: LifecycleTiers) -> list[dict]:
    rule: dict = {
        "id": "tier-then-expire",
        "status": "Enabled",
        "filter": {"prefix": ""},
        "expiration": {"days": tiers.expire_after_days},
        "noncurrent_version_expiration": {"noncurrent_days": tiers.noncurrent_version_expire_after_days},
        "abort_incomplete_multipart_upload": {"days_after_initiation": tiers.abort_incomplete_upload_after_days},
    }
    transitions = [{"days": days, "storage_class": storage_class} for days, storage_class in tiers.transitions()]
    if transitions:
        rule["transitions"] = transitions
    return [rule]


def encryption_rule(kms_key_arn: pulumi.Input[str] | None) -> dict:
    if kms_key_arn is None:
        return {"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}
    return {
        "apply_server_side_encryption_by_default": {"sse_algorithm": "aws:kms", "kms_master_key_id": kms_key_arn},
        "bucket_key_enabled": True,  # one data key per bucket, not per object: far fewer KMS calls
    }


def policy_statements(bucket_name: str, kms: bool, delivery_statements: Sequence[iam.Statement]) -> list[iam.Statement]:
    """TLS only; on SSE-KMS buckets only KMS-encrypted uploads; then the delivering service's grant."""
    statements = [bucket_policies.deny_insecure_transport(bucket_name)]
    if kms:
        statements.append(bucket_policies.deny_non_kms_uploads(bucket_name))
    return [*statements, *delivery_statements]


def bucket_tags(role: str) -> dict[str, str]:
    return {names.BUCKET_ROLE_TAG: role}


def object_lock_rule(settings: ObjectLockSettings) -> dict:
    """The default retention every new object version gets."""
    return {"default_retention": {"mode": settings.mode, "days": settings.retention_days}}


class LogBucket(pulumi.ComponentResource):
    def __init__(self, name: str, args: LogBucketArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("bedrockobs:storage:LogBucket", name, None, opts)
        protection = args.protection
        bucket = aws.s3.Bucket(
            name,
            region=args.region,
            bucket=args.bucket_name,
            force_destroy=False,  # never empty a log bucket as a side effect of a deploy
            tags=bucket_tags(args.role),
            opts=protection.options(self),
        )
        # Sub-resources reference the bucket's id so they are created after it (and replaced with it). They are
        # protected and retained with the bucket (components.storage.protection).
        ownership = aws.s3.BucketOwnershipControls(
            f"{name}-ownership",
            region=args.region,
            bucket=bucket.id,
            rule={"object_ownership": "BucketOwnerEnforced"},  # ACLs off: the account owns every object
            opts=protection.options(self),
        )
        public_access = aws.s3.BucketPublicAccessBlock(
            f"{name}-public-access",
            region=args.region,
            bucket=bucket.id,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
            opts=protection.options(self),
        )
        aws.s3.BucketServerSideEncryptionConfiguration(
            f"{name}-encryption",
            region=args.region,
            bucket=bucket.id,
            rules=[encryption_rule(args.kms_key_arn)],
            opts=protection.options(self),
        )
        versioning = aws.s3.BucketVersioning(
            f"{name}-versioning",
            region=args.region,
            bucket=bucket.id,
            versioning_configuration={"status": "Enabled"},
            opts=protection.options(self),
        )
        aws.s3.BucketLifecycleConfiguration(
            f"{name}-lifecycle",
            region=args.region,
            bucket=bucket.id,
            rules=lifecycle_rules(args.lifecycle),
            transition_default_minimum_object_size=TRANSITION_MINIMUM_OBJECT_SIZE,
            # Noncurrent-version rules need versioning in place first.
            opts=protection.options(self, depends_on=[versioning]),
        )
        if args.object_lock is not None and args.object_lock.enabled:
            # Enables Object Lock on a new or an existing bucket (versioning first); never through the bucket's
            # own `object_lock_enabled`, whose change would replace the bucket.
            aws.s3.BucketObjectLockConfiguration(
                f"{name}-object-lock",
                region=args.region,
                bucket=bucket.id,
                object_lock_enabled="Enabled",
                rule=object_lock_rule(args.object_lock),
                opts=protection.options(self, depends_on=[versioning]),
            )
        self.policy = aws.s3.BucketPolicy(
            f"{name}-policy",
            region=args.region,
            bucket=bucket.id,
            policy=iam.document(
                policy_statements(args.bucket_name, args.kms_key_arn is not None, args.delivery_statements)
            ),
            opts=protection.options(self, depends_on=[public_access, ownership]),
        )
        self.bucket = bucket
        self.bucket_name = args.bucket_name
        self.role = args.role
        self.register_outputs({"bucket": bucket.id, "arn": bucket.arn})
