"""Log buckets: SSE-KMS with the regional key, versioning, public access block, ACLs off, lifecycle, policy."""

from __future__ import annotations

from typing import Any

from obsctl.verify.checks.base import (
    Check,
    Verdict,
    compare,
    failed,
    normalise_policy,
    passed,
    regional_key,
    statements_by_sid,
)
from obsctl.verify.expected import Bucket, ExpectedRegion
from obsctl.verify.live import Live

_PAB_FLAGS = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")


def _missing(live: Live, bucket: Bucket) -> bool:
    """True when the bucket itself does not exist (every sub-resource read would say so)."""
    return live.get("s3", "get_bucket_versioning", Bucket=bucket.name) is None


def _on_bucket(read):  # type: ignore[no-untyped-def]
    def evaluate(live: Live, expected: ExpectedRegion, bucket: Bucket) -> Verdict:
        if _missing(live, bucket):
            return failed("bucket does not exist")
        return read(live, expected, bucket)

    return evaluate


def _encryption(live: Live, expected: ExpectedRegion, bucket: Bucket) -> Verdict:
    response = live.get("s3", "get_bucket_encryption", Bucket=bucket.name)
    rules = (response or {}).get("ServerSideEncryptionConfiguration", {}).get("Rules", [])
    if not rules:
        return failed("no default encryption configured")
    key = regional_key(live, expected)
    default = rules[0].get("ApplyServerSideEncryptionByDefault", {})
    return compare(
        [
            ("algorithm", "aws:kms", default.get("SSEAlgorithm")),
            ("KMS key", key, default.get("KMSMasterKeyID")),
            ("bucket key", True, rules[0].get("BucketKeyEnabled")),
        ],
        "SSE-KMS with the regional key and bucket key",
    )


def _versioning(live: Live, expected: ExpectedRegion, bucket: Bucket) -> Verdict:
    response = live.get("s3", "get_bucket_versioning", Bucket=bucket.name) or {}
    return compare([("versioning", "Enabled", response.get("Status"))], "Enabled")


def _public_access(live: Live, expected: ExpectedRegion, bucket: Bucket) -> Verdict:
    response = live.get("s3", "get_public_access_block", Bucket=bucket.name)
    if response is None:
        return failed("no public access block")
    flags = response.get("PublicAccessBlockConfiguration", {})
    return compare([(flag, True, flags.get(flag)) for flag in _PAB_FLAGS], "all four flags on")


def _ownership(live: Live, expected: ExpectedRegion, bucket: Bucket) -> Verdict:
    response = live.get("s3", "get_bucket_ownership_controls", Bucket=bucket.name)
    rules = (response or {}).get("OwnershipControls", {}).get("Rules", [])
    found = rules[0].get("ObjectOwnership") if rules else None
    return compare([("object ownership", "BucketOwnerEnforced", found)], "ACLs disabled (BucketOwnerEnforced)")


def _lifecycle(live: Live, expected: ExpectedRegion, bucket: Bucket) -> Verdict:
    response = live.get("s3", "get_bucket_lifecycle_configuration", Bucket=bucket.name)
    found = {rule.get("ID"): rule for rule in (response or {}).get("Rules", [])}
    pairs = []
    for rule in bucket.lifecycle:
        actual = found.get(rule["ID"])
        if actual is None:
            return failed(f"lifecycle rule {rule['ID']!r} missing")
        pairs += [(f"{rule['ID']}.{field}", value, actual.get(field)) for field, value in rule.items()]
    days = bucket.lifecycle[0]["Expiration"]["Days"] if bucket.lifecycle else None
    return compare(pairs, f"tiers and expiry after {days} days as configured")


def _policy_statement(index: int, what: str):  # type: ignore[no-untyped-def]
    def evaluate(live: Live, expected: ExpectedRegion, bucket: Bucket) -> Verdict:
        response = live.get("s3", "get_bucket_policy", Bucket=bucket.name)
        statements = statements_by_sid((response or {}).get("Policy"))
        wanted = bucket.deny_statements[index]
        found = statements.get(wanted["Sid"])
        if found is None:
            return failed(f"bucket policy has no {wanted['Sid']} statement")
        if found != normalise_policy(wanted):
            return failed(f"{wanted['Sid']} differs from the program's: {found}")
        return passed(what)

    return evaluate


_S3 = "s3:"


def _buckets(expected: ExpectedRegion) -> tuple[Bucket, ...]:
    return expected.buckets


def _name(bucket: Bucket) -> str:
    return bucket.name


def _row(name: str, api: str, passes: str, evaluate: Any) -> Check[Any]:
    return Check(name, _S3 + api, passes, _buckets, _name, _on_bucket(evaluate))


CHECKS: tuple[Check[Any], ...] = (
    _row("bucket.encryption", "GetBucketEncryption", "SSE-KMS with the regional key, bucket key on", _encryption),
    _row("bucket.versioning", "GetBucketVersioning", "versioning Enabled", _versioning),
    _row("bucket.public-access-block", "GetPublicAccessBlock", "all four flags true", _public_access),
    _row("bucket.acls-disabled", "GetBucketOwnershipControls", "BucketOwnerEnforced", _ownership),
    _row("bucket.lifecycle", "GetBucketLifecycleConfiguration", "the program's rule, field by field", _lifecycle),
    _row(
        "bucket.tls-only",
        "GetBucketPolicy",
        "DenyInsecureTransport statement as the program writes it",
        _policy_statement(0, "non-TLS requests denied"),
    ),
    _row(
        "bucket.kms-uploads-only",
        "GetBucketPolicy",
        "DenyNonKmsEncryption statement as the program writes it",
        _policy_statement(1, "uploads asking for another encryption denied"),
    ),
)
