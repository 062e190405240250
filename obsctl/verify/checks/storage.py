"""Log buckets (invocation, audit, access-log): role tag, encryption, versioning, public access block, ACLs off,
lifecycle, policy, S3 server access logging, Object Lock; and the account-wide S3 Block Public Access."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from obsctl.verify.checks.base import (
    Check,
    Verdict,
    compare,
    failed,
    normalise_policy,
    one,
    passed,
    policy_differences,
    regional_key,
    skipped,
    statements_by_sid,
)
from obsctl.verify.live import Live
from obsctl.verify.shapes import Bucket, ExpectedRegion
from vocabulary import names

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


def _role_tag(live: Live, expected: ExpectedRegion, bucket: Bucket) -> Verdict:
    response = live.get("s3", "get_bucket_tagging", Bucket=bucket.name) or {}
    tags = {tag.get("Key"): tag.get("Value") for tag in response.get("TagSet", [])}
    return compare([(names.BUCKET_ROLE_TAG, bucket.role, tags.get(names.BUCKET_ROLE_TAG))], bucket.role)


def _encryption(live: Live, expected: ExpectedRegion, bucket: Bucket) -> Verdict:
    response = live.get("s3", "get_bucket_encryption", Bucket=bucket.name)
    rules = (response or {}).get("ServerSideEncryptionConfiguration", {}).get("Rules", [])
    if not rules:
        return failed("no default encryption configured")
    default = rules[0].get("ApplyServerSideEncryptionByDefault", {})
    key = regional_key(live, expected) if bucket.sse_algorithm == "aws:kms" else None
    return compare(
        [
            ("algorithm", bucket.sse_algorithm, default.get("SSEAlgorithm")),
            ("KMS key", key, default.get("KMSMasterKeyID")),
            ("bucket key", bucket.bucket_key, bool(rules[0].get("BucketKeyEnabled"))),
        ],
        "SSE-KMS with the regional key and bucket key" if key else "SSE-S3 (what S3 access logging supports)",
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
    if response is None:
        return failed("no lifecycle configuration")
    found = {rule.get("ID"): rule for rule in response.get("Rules", [])}
    pairs = [("minimum object size", bucket.minimum_object_size, response.get("TransitionDefaultMinimumObjectSize"))]
    for rule in bucket.lifecycle:
        actual = found.get(rule["ID"])
        if actual is None:
            return failed(f"lifecycle rule {rule['ID']!r} missing")
        # A rule without tiers has no Transitions: one added in the console must still show.
        actual = {"Transitions": [], **actual}
        pairs += [
            (f"{rule['ID']}.{field}", value, actual.get(field)) for field, value in {"Transitions": [], **rule}.items()
        ]
    days = bucket.lifecycle[0]["Expiration"]["Days"] if bucket.lifecycle else None
    return compare(pairs, f"tiers and expiry after {days} days as configured")


def _policy(live: Live, bucket: Bucket) -> dict[str, Any]:
    return statements_by_sid((live.get("s3", "get_bucket_policy", Bucket=bucket.name) or {}).get("Policy"))


def _statement(select: Callable[[Bucket], Any], what: str):  # type: ignore[no-untyped-def]
    def evaluate(live: Live, expected: ExpectedRegion, bucket: Bucket) -> Verdict:
        wanted = select(bucket)
        found = _policy(live, bucket).get(wanted["Sid"])
        if found is None:
            return failed(f"bucket policy has no {wanted['Sid']} statement")
        if found != normalise_policy(wanted):
            return failed(f"{wanted['Sid']} differs from the program's: {found}")
        return passed(what)

    return evaluate


def _delivery_policy(live: Live, expected: ExpectedRegion, bucket: Bucket) -> Verdict:
    problems = policy_differences(bucket.delivery, _policy(live, bucket), {s["Sid"] for s in bucket.policy})
    return failed("; ".join(problems)) if problems else passed(", ".join(s["Sid"] for s in bucket.delivery))


def _logging(live: Live, bucket: Bucket) -> dict[str, Any] | None:
    return (live.get("s3", "get_bucket_logging", Bucket=bucket.name) or {}).get("LoggingEnabled")


def _access_logging(live: Live, expected: ExpectedRegion, bucket: Bucket) -> Verdict:
    found = _logging(live, bucket)
    wanted = bucket.access_logging
    if wanted is None:  # the access-log bucket: logging its own deliveries would never end
        return failed(f"logs its own access to {found.get('TargetBucket')}") if found else passed("none of its own")
    if found is None:
        return failed("server access logging is off")
    return compare(
        [
            ("target bucket", wanted.target_bucket, found.get("TargetBucket")),
            ("prefix", wanted.prefix, found.get("TargetPrefix")),
        ],
        f"s3://{wanted.target_bucket}/{wanted.prefix}",
    )


def _access_log_format(live: Live, expected: ExpectedRegion, bucket: Bucket) -> Verdict:
    found, wanted = _logging(live, bucket), bucket.access_logging
    assert wanted is not None  # applied to logged buckets only
    if found is None:
        return failed("server access logging is off")
    if "TargetObjectKeyFormat" not in found and live.session.endpoint_url:
        return skipped("the endpoint (an emulator) does not return TargetObjectKeyFormat; AWS checks it")
    return compare([("key format", wanted.key_format, found.get("TargetObjectKeyFormat"))], "date-partitioned keys")


def _object_lock(live: Live, expected: ExpectedRegion, bucket: Bucket) -> Verdict:
    response = live.get("s3", "get_object_lock_configuration", Bucket=bucket.name)
    config = (response or {}).get("ObjectLockConfiguration", {})
    retention = config.get("Rule", {}).get("DefaultRetention", {})
    assert bucket.object_lock is not None  # applied to Object Lock buckets only
    wanted = bucket.object_lock["DefaultRetention"]
    return compare(
        [
            ("Object Lock", "Enabled", config.get("ObjectLockEnabled")),
            ("mode", wanted["Mode"], retention.get("Mode")),
            ("retention days", wanted["Days"], retention.get("Days")),
        ],
        f"{wanted['Mode']}, {wanted['Days']} days",
    )


def _account_public_access(live: Live, expected: ExpectedRegion, account_id: str) -> Verdict:
    response = live.get("s3control", "get_public_access_block", AccountId=account_id)
    if response is None:
        return failed("no account-level public access block")
    flags = response.get("PublicAccessBlockConfiguration", {})
    return compare([(flag, True, flags.get(flag)) for flag in _PAB_FLAGS], "all four flags on, account-wide")


def _all(expected: ExpectedRegion) -> Sequence[Bucket]:
    return expected.buckets


def _kms(expected: ExpectedRegion) -> Sequence[Bucket]:
    return [bucket for bucket in expected.buckets if bucket.kms_uploads_only]


def _logged(expected: ExpectedRegion) -> Sequence[Bucket]:
    return [bucket for bucket in expected.buckets if bucket.access_logging]


def _locked(expected: ExpectedRegion) -> Sequence[Bucket]:
    return [bucket for bucket in expected.buckets if bucket.object_lock]


def _account(expected: ExpectedRegion) -> str | None:
    return expected.account_id if expected.account_public_access_block else None


def _name(bucket: Bucket) -> str:
    return bucket.name


def _row(name: str, api: str, passes: str, evaluate: Any, items: Any = _all, gap: str = "") -> Check[Any]:
    return Check(name, "s3:" + api, passes, items, _name, _on_bucket(evaluate), gap)


CHECKS: tuple[Check[Any], ...] = (
    _row("bucket.role-tag", "GetBucketTagging", f"tag {names.BUCKET_ROLE_TAG} is the bucket's role", _role_tag),
    _row(
        "bucket.encryption",
        "GetBucketEncryption",
        "SSE-KMS with the regional key, bucket key on; the access-log bucket SSE-S3 (AES256)",
        _encryption,
    ),
    _row("bucket.versioning", "GetBucketVersioning", "versioning Enabled", _versioning),
    _row("bucket.public-access-block", "GetPublicAccessBlock", "all four flags true", _public_access),
    _row("bucket.acls-disabled", "GetBucketOwnershipControls", "BucketOwnerEnforced", _ownership),
    _row(
        "bucket.lifecycle",
        "GetBucketLifecycleConfiguration",
        "the program's rule, field by field, and its minimum object size for transitions",
        _lifecycle,
    ),
    _row(
        "bucket.tls-only",
        "GetBucketPolicy",
        "DenyInsecureTransport statement as the program writes it",
        _statement(lambda bucket: bucket.tls_only, "non-TLS requests denied"),
    ),
    _row(
        "bucket.kms-uploads-only",
        "GetBucketPolicy",
        "DenyNonKmsEncryption statement as the program writes it (SSE-KMS buckets)",
        _statement(lambda bucket: bucket.kms_uploads_only, "uploads asking for another encryption denied"),
        _kms,
    ),
    _row(
        "bucket.delivery-policy",
        "GetBucketPolicy",
        "the delivering service's grant as the program writes it, and no statement the program does not write",
        _delivery_policy,
    ),
    _row(
        "bucket.access-logging",
        "GetBucketLogging",
        "server access logs to the region's access-log bucket and prefix; none for the access-log bucket itself",
        _access_logging,
    ),
    _row(
        "bucket.access-log-format",
        "GetBucketLogging",
        "date-partitioned access log keys",
        _access_log_format,
        _logged,
        "moto does not return TargetObjectKeyFormat: skipped",
    ),
    _row(
        "bucket.object-lock",
        "GetObjectLockConfiguration",
        "Object Lock on with the configured mode and retention (when enabled)",
        _object_lock,
        _locked,
    ),
    Check(
        "account.public-access-block",
        "s3control:GetPublicAccessBlock",
        "all four flags true for the account (when enabled)",
        one(_account),
        str,
        _account_public_access,
    ),
)
