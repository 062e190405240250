"""Log groups, buckets, keys and topics: retention, encryption, access and protection."""

from __future__ import annotations

from tests.policies.cases.builders import (
    ACCOUNT,
    ACCOUNT_BLOCK,
    ACCOUNT_PAB,
    ARN,
    BUCKET,
    BUCKET_POLICY,
    GOOD_TRAIL,
    KEY,
    KMS_KEY,
    LIFECYCLE,
    LOG_GROUP,
    OBJECT_LOCK,
    PAB,
    SSE,
    TOPIC,
    TRAIL,
    VERSIONING,
    lifecycle_rule,
    lock,
    sse,
    tls_policy,
)

CASES = [
    (
        "log-group-retention",
        LOG_GROUP,
        {"retentionInDays": 90, "kmsKeyId": KEY},
        [
            ("never-expires", {"kmsKeyId": KEY}, "never expires"),
            ("zero", {"retentionInDays": 0, "kmsKeyId": KEY}, "never expires"),
            ("not-a-cloudwatch-value", {"retentionInDays": 100, "kmsKeyId": KEY}, "does not accept"),
            ("too-short", {"retentionInDays": 7, "kmsKeyId": KEY}, "outside the allowed [30, 3653]"),
            ("fractional", {"retentionInDays": 90.5, "kmsKeyId": KEY}, "not a whole number"),
            ("boolean", {"retentionInDays": True, "kmsKeyId": KEY}, "not a whole number"),
            ("text", {"retentionInDays": "ninety", "kmsKeyId": KEY}, "not a whole number"),
        ],
    ),
    (
        "log-group-kms",
        LOG_GROUP,
        {"retentionInDays": 90, "kmsKeyId": KEY},
        [
            ("no-key", {"retentionInDays": 90}, "kms_key_id"),
            ("aws-managed", {"retentionInDays": 90, "kmsKeyId": "alias/aws/logs"}, "AWS managed key"),
        ],
    ),
    (
        "log-bucket-lifecycle",
        LIFECYCLE,
        {"bucket": BUCKET, "rules": [lifecycle_rule()]},
        [
            ("no-expiry", {"bucket": BUCKET, "rules": [lifecycle_rule(expiration=None)]}, "never expires"),
            ("disabled-rule", {"bucket": BUCKET, "rules": [lifecycle_rule(status="Disabled")]}, "never expires"),
            (
                "expiry-too-long",
                {"bucket": BUCKET, "rules": [lifecycle_rule(expiration={"days": 5000})]},
                "outside the allowed",
            ),
            (
                "expiry-fractional",
                {"bucket": BUCKET, "rules": [lifecycle_rule(expiration={"days": 400.5})]},
                "not a whole number",
            ),
            (
                "no-noncurrent",
                {"bucket": BUCKET, "rules": [lifecycle_rule(noncurrentVersionExpiration=None)]},
                "noncurrent",
            ),
            (
                "noncurrent-too-short",
                {"bucket": BUCKET, "rules": [lifecycle_rule(noncurrentVersionExpiration={"noncurrentDays": 1})]},
                "after 1 days, less than the required 30",
            ),
            (
                "no-abort",
                {"bucket": BUCKET, "rules": [lifecycle_rule(abortIncompleteMultipartUpload=None)]},
                "never aborts",
            ),
            (
                "slow-abort",
                {
                    "bucket": BUCKET,
                    "rules": [lifecycle_rule(abortIncompleteMultipartUpload={"daysAfterInitiation": 30})],
                },
                "only after 30 days",
            ),
        ],
    ),
    (
        "s3-bucket-sse-kms",
        SSE,
        sse(),
        [
            ("sse-s3", sse(algorithm="AES256", key=None), "'AES256'"),
            ("no-key", sse(key=None), "aws/s3 managed key"),
            ("aws-managed-alias", sse(key="alias/aws/s3"), "AWS managed key 'alias/aws/s3'"),
            (
                "aws-managed-alias-arn",
                sse(key="arn:aws:kms:us-east-1:111111111111:alias/aws/s3"),
                "AWS managed key",
            ),
            ("no-bucket-key", sse(bucket_key=None), "Bucket Key"),
            ("no-rules", {"bucket": BUCKET, "rules": []}, "has no rules"),
        ],
    ),
    # DSSE-KMS satisfies the requirement; it does not support S3 Bucket Keys, so none is required.
    ("s3-bucket-sse-kms", SSE, sse(algorithm="aws:kms:dsse", bucket_key=False), []),
    (
        "sns-topic-kms",
        TOPIC,
        {"kmsMasterKeyId": KEY},
        [
            ("unencrypted", {}, "is not encrypted"),
            ("aws-managed", {"kmsMasterKeyId": "alias/aws/sns"}, "alias/aws/sns"),
        ],
    ),
    (
        "cloudtrail-kms",
        TRAIL,
        GOOD_TRAIL,
        [
            ("no-key", {**GOOD_TRAIL, "kmsKeyId": None}, "kms_key_id"),
            ("aws-managed", {**GOOD_TRAIL, "kmsKeyId": "alias/aws/cloudtrail"}, "AWS managed key"),
        ],
    ),
    (
        "kms-key-rotation",
        KMS_KEY,
        {"enableKeyRotation": True},
        [("off", {"enableKeyRotation": False}, "does not rotate"), ("unset", {}, "does not rotate")],
    ),
    (
        "kms-key-deletion-window",
        KMS_KEY,
        {"deletionWindowInDays": 30},
        [
            ("seven-days", {"deletionWindowInDays": 7}, "7 days after a deletion is scheduled"),
            ("fractional", {"deletionWindowInDays": 29.5}, "not a whole number"),
        ],
    ),
    ("kms-key-deletion-window", KMS_KEY, {}, []),  # unset: KMS uses 30 days
    (
        "s3-public-access-block",
        PAB,
        {
            "bucket": BUCKET,
            "blockPublicAcls": True,
            "blockPublicPolicy": True,
            "ignorePublicAcls": True,
            "restrictPublicBuckets": True,
        },
        [
            (
                "one-off",
                {
                    "bucket": BUCKET,
                    "blockPublicAcls": True,
                    "blockPublicPolicy": False,
                    "ignorePublicAcls": True,
                    "restrictPublicBuckets": True,
                },
                "block_public_policy",
            ),
            ("all-unset", {"bucket": BUCKET}, "restrict_public_buckets"),
        ],
    ),
    (
        "s3-tls-only-policy",
        BUCKET_POLICY,
        {"bucket": BUCKET, "policy": tls_policy()},
        [
            ("allow-instead", {"bucket": BUCKET, "policy": tls_policy(Effect="Allow")}, "plain-HTTP"),
            ("objects-only", {"bucket": BUCKET, "policy": tls_policy(Resource=f"{ARN}/*")}, "plain-HTTP"),
            (
                "another-bucket",
                {"bucket": BUCKET, "policy": tls_policy(Resource=["arn:aws:s3:::other", "arn:aws:s3:::other/*"])},
                "arn:aws:s3:::<bucket>",
            ),
            (
                "true-condition",
                {"bucket": BUCKET, "policy": tls_policy(Condition={"Bool": {"aws:SecureTransport": "true"}})},
                "plain-HTTP",
            ),
            (
                "neutralised-by-extra-condition",
                {
                    "bucket": BUCKET,
                    "policy": tls_policy(
                        Condition={
                            "Bool": {"aws:SecureTransport": "false"},
                            "StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"},
                        }
                    ),
                },
                "only when StringEquals aws:SourceVpce",
            ),
            (
                "not-principal",
                {"bucket": BUCKET, "policy": tls_policy(NotPrincipal={"AWS": f"arn:aws:iam::{ACCOUNT}:root"})},
                "plain-HTTP",
            ),
            ("not-json", {"bucket": BUCKET, "policy": "{not json"}, "not a JSON policy"),
        ],
    ),
    (
        "s3-acls-disabled",
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
        {"bucket": BUCKET, "rule": {"objectOwnership": "BucketOwnerEnforced"}},
        [("preferred", {"bucket": BUCKET, "rule": {"objectOwnership": "BucketOwnerPreferred"}}, "keeps ACLs")],
    ),
    (
        "log-bucket-versioning",
        VERSIONING,
        {"bucket": BUCKET, "versioningConfiguration": {"status": "Enabled"}},
        [
            ("suspended", {"bucket": BUCKET, "versioningConfiguration": {"status": "Suspended"}}, "'Suspended'"),
            ("disabled", {"bucket": BUCKET, "versioningConfiguration": {"status": "Disabled"}}, "'Disabled'"),
        ],
    ),
    (
        "log-bucket-no-force-destroy",
        "aws:s3/bucket:Bucket",
        {"bucket": BUCKET, "forceDestroy": False},
        [("force-destroy", {"bucket": BUCKET, "forceDestroy": True}, "force_destroy=True")],
    ),
    (
        "s3-account-public-access-block",
        ACCOUNT_PAB,
        ACCOUNT_BLOCK,
        [
            ("policy-allowed", {**ACCOUNT_BLOCK, "blockPublicPolicy": False}, "block_public_policy"),
            ("unset", {"accountId": ACCOUNT}, "block_public_acls, block_public_policy"),
        ],
    ),
    (
        "s3-object-lock-retention",
        OBJECT_LOCK,
        lock(),
        [
            ("no-default-retention", {"bucket": BUCKET, "objectLockEnabled": "Enabled"}, "no default retention"),
            ("unknown-mode", lock(mode="LEGAL_HOLD"), "retention mode 'LEGAL_HOLD'"),
            ("no-length", lock(days=None), "locks versions for None days"),
            ("fractional", lock(days=1.5), "locks versions for 1.5 days"),
            ("disabled", {**lock(), "objectLockEnabled": "Disabled"}, "object_lock_enabled='Disabled'"),
        ],
    ),
    # Years count as 365 days each; COMPLIANCE is accepted by default.
    ("s3-object-lock-retention", OBJECT_LOCK, lock(mode="COMPLIANCE", days=None, years=7), []),
]
