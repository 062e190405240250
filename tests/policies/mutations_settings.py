"""Single edits of the example plans for the audit's items 5-7 (identity policies, trail selectors, what the
program sets): same shape as `mutations.MUTATIONS`, which includes these rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.policies.edits import Edit, add_statement, nested, option, policy

ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
TRAIL = "aws:cloudtrail/trail:Trail"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
KEY = "aws:kms/key:Key"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
ALIAS = "aws:kms/alias:Alias"
BUCKET = "aws:s3/bucket:Bucket"
_NO_KMS_EVENTS = [
    {"includeManagementEvents": True, "readWriteType": "All", "excludeManagementEventSources": ["kms.amazonaws.com"]}
]


def _drop_statement(sid: str) -> Callable[[dict[str, Any]], None]:
    return lambda p: p.update(Statement=[s for s in p["Statement"] if s.get("Sid") != sid])


ROWS: list[tuple[str, str, Edit, str | None, str]] = [
    # 5. Identity policies: whole-service globs, NotResource, handing out roles, broad managed policies.
    (
        "identity-s3-double-star",
        "research-dev",
        policy(ROLE_POLICY, "", "policy", add_statement({"Effect": "Allow", "Action": "s3:**", "Resource": "*"})),
        "iam-no-wildcard-actions",
        "s3:**",
    ),
    (
        "identity-not-resource",
        "research-dev",
        policy(
            ROLE_POLICY,
            "",
            "policy",
            add_statement({"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::nothing"}),
        ),
        "iam-no-wildcard-actions",
        "NotResource",
    ),
    (
        "identity-pass-any-role",
        "payments-prod",
        policy(
            ROLE_POLICY, "", "policy", add_statement({"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"})
        ),
        "iam-no-wildcard-actions",
        "iam:PassRole",
    ),
    (
        "role-attaches-s3-full-access",
        "payments-prod",
        nested(ROLE, "", lambda i: i.update(managedPolicyArns=["arn:aws:iam::aws:policy/AmazonS3FullAccess"])),
        "iam-no-wildcard-actions",
        "AmazonS3FullAccess",
    ),
    # 6. Management events of a source (KMS: ScheduleKeyDeletion) excluded from the trail.
    (
        "trail-excludes-kms-events",
        "research-dev",
        nested(TRAIL, "", lambda i: i.pop("advancedEventSelectors") and i.update(eventSelectors=_NO_KMS_EVENTS)),
        "cloudtrail-management-events",
        "kms.amazonaws.com",
    ),
    # 7. What the program sets: deletion protection, keys enabled, protected settings and aliases, the
    # SSE-KMS-only upload deny, Object Lock only on the audit bucket.
    (
        "log-group-deletion-protection-off",
        "research-dev",
        nested(LOG_GROUP, "us-west-2-invocations", lambda i: i.update(deletionProtectionEnabled=False)),
        "log-group-deletion-protection",
        "deletion_protection_enabled=True",
    ),
    (
        "key-disabled",
        "payments-prod",
        nested(KEY, "", lambda i: i.update(isEnabled=False)),
        "kms-key-enabled",
        "is_enabled",
    ),
    (
        "bucket-policy-not-protected",
        "research-dev",
        option(BUCKET_POLICY, "us-west-2-invocations", "protect", False),
        "data-resources-protected",
        "protect=True",
    ),
    (
        "public-access-block-not-protected",
        "research-dev",
        option(PAB, "us-west-2-invocations", "protect", False),
        "data-resources-protected",
        "protect=True",
    ),
    (
        "alias-not-protected",
        "monitoring",
        option(ALIAS, "", "protect", False),
        "data-resources-protected",
        "protect=True",
    ),
    (
        "alias-not-retained",
        "payments-prod",
        option(ALIAS, "", "retainOnDelete", False),
        "data-resources-retained",
        "retain_on_delete",
    ),
    (
        "deny-non-kms-uploads-removed",
        "research-dev",
        policy(BUCKET_POLICY, "us-west-2-invocations", "policy", _drop_statement("DenyNonKmsEncryption")),
        "s3-deny-non-kms-uploads",
        "DenyNonKmsEncryption",
    ),
    (
        "object-lock-on-invocation-bucket",
        "research-dev",
        nested(BUCKET, "us-west-2-invocations", lambda i: i.update(objectLockEnabled=True)),
        "s3-object-lock-placement",
        "object_lock_enabled",
    ),
]
