"""S3 bucket policy statements of the log buckets: the two denies every log bucket carries, and what each
delivering service (Bedrock, CloudTrail, S3 server access logging) may write where."""

from __future__ import annotations

from collections.abc import Iterable

from vocabulary import arns, names
from vocabulary.iam import BEDROCK_SERVICE, CLOUDTRAIL_SERVICE, S3_LOGGING_SERVICE, Statement, on_behalf_of


def deny_insecure_transport(bucket: str) -> Statement:
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [arns.bucket_arn(bucket), f"{arns.bucket_arn(bucket)}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


# Upload encryption headers a KMS log bucket accepts: SSE-KMS and dual-layer DSSE-KMS (both KMS keys; the
# policy pack accepts both as default encryption too). SSE-S3 (`AES256`) is refused.
KMS_UPLOAD_ENCRYPTION = ("aws:kms", "aws:kms:dsse")


def deny_non_kms_uploads(bucket: str) -> Statement:
    """Refuse uploads that ask for weaker encryption (AES256); headerless uploads get the default KMS key."""
    return {
        "Sid": "DenyNonKmsEncryption",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:PutObject",
        "Resource": f"{arns.bucket_arn(bucket)}/*",
        "Condition": {
            # A list under StringNotEquals matches a header equal to none of the values.
            "StringNotEquals": {"s3:x-amz-server-side-encryption": list(KMS_UPLOAD_ENCRYPTION)},
            "Null": {"s3:x-amz-server-side-encryption": "false"},
        },
    }


def s3_access_log_delivery(target_bucket: str, source_buckets: Iterable[str], account_id: str) -> Statement:
    """S3 server access logging (the logging service principal) may write the access logs of exactly these
    buckets of this account, under the access-log prefix (S3 user guide, "Enabling Amazon S3 server access
    logging": bucket policy for a target bucket with ACLs disabled)."""
    sources = sorted(set(source_buckets))
    if not sources:
        raise ValueError("an access-log bucket needs at least one source bucket")
    return {
        "Sid": "AllowS3ServerAccessLogDelivery",
        "Effect": "Allow",
        "Principal": {"Service": S3_LOGGING_SERVICE},
        "Action": "s3:PutObject",
        "Resource": f"{arns.bucket_arn(target_bucket)}/{names.ACCESS_LOG_PREFIX}*",
        # Not `on_behalf_of`: a list of source ARNs, in the key order deployed bucket policies already hold.
        "Condition": {
            "ArnLike": {"aws:SourceArn": [arns.bucket_arn(bucket) for bucket in sources]},
            "StringEquals": {"aws:SourceAccount": account_id},
        },
    }


def bedrock_log_delivery(bucket: str, prefixes: Iterable[str], region: str, account_id: str) -> Statement:
    return {
        "Sid": "AllowBedrockInvocationLogDelivery",
        "Effect": "Allow",
        "Principal": {"Service": BEDROCK_SERVICE},
        "Action": "s3:PutObject",
        "Resource": [
            f"{arns.bucket_arn(bucket)}/{prefix}/AWSLogs/{account_id}/BedrockModelInvocationLogs/*"
            for prefix in prefixes
        ],
        "Condition": on_behalf_of(account_id, arns.bedrock_source_arn(region, account_id)),
    }


def cloudtrail_delivery(bucket: str, account_id: str, trail_arn: str) -> list[Statement]:
    condition = {"StringEquals": {"aws:SourceArn": trail_arn}}
    return [
        {
            "Sid": "AllowCloudTrailAclCheck",
            "Effect": "Allow",
            "Principal": {"Service": CLOUDTRAIL_SERVICE},
            "Action": "s3:GetBucketAcl",
            "Resource": arns.bucket_arn(bucket),
            "Condition": condition,
        },
        {
            "Sid": "AllowCloudTrailWrite",
            "Effect": "Allow",
            "Principal": {"Service": CLOUDTRAIL_SERVICE},
            "Action": "s3:PutObject",
            "Resource": f"{arns.bucket_arn(bucket)}/AWSLogs/{account_id}/*",
            "Condition": {
                "StringEquals": {"aws:SourceArn": trail_arn, "s3:x-amz-acl": "bucket-owner-full-control"},
            },
        },
    ]
