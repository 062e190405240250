"""Account boundaries (service principals in resource policies act only for one - the stack's - account)
and what the program sets (log group deletion protection, keys enabled).

The hand-built plans' provider pins no account, so these cases check that each value names one account;
the example-plan mutations (tests/policies/mutations_accounts.py) check "the stack's own account"."""

from __future__ import annotations

from tests.policies.cases.builders import (
    ACCOUNT,
    ACCOUNT_ONLY,
    ARN,
    BUCKET_POLICY,
    KEY,
    KMS_KEY,
    LOG_GROUP,
    ORG_ONLY,
    TOPIC_POLICY,
    allow,
    doc,
)

_LOGS = "logging.s3.amazonaws.com"
_S3_SOURCE = {"ArnLike": {"aws:SourceArn": f"{ARN}-source"}}

CASES = [
    (
        "resource-policy-source-condition",
        BUCKET_POLICY,
        {"bucket": "b", "policy": doc(allow({"Service": _LOGS}, "s3:PutObject", {**ACCOUNT_ONLY, **_S3_SOURCE}))},
        [
            ("no-condition", {"policy": doc(allow({"Service": _LOGS}, "s3:PutObject"))}, "confused deputy"),
            (
                "s3-arn-alone",
                {"policy": doc(allow({"Service": _LOGS}, "s3:PutObject", _S3_SOURCE))},
                "no single account",
            ),
            (
                "any-bucket",
                {
                    "policy": doc(
                        allow({"Service": _LOGS}, "s3:PutObject", {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::*"}})
                    )
                },
                "no single account",
            ),
            (
                "wildcard-account",
                {"policy": doc(allow({"Service": _LOGS}, "s3:PutObject", {"StringLike": {"aws:SourceAccount": "*"}}))},
                "no single account",
            ),
        ],
    ),
    (
        "resource-policy-source-condition",
        TOPIC_POLICY,
        {"arn": "t", "policy": doc(allow({"Service": "cloudwatch.amazonaws.com"}, condition=ACCOUNT_ONLY))},
        [
            (
                "negated",
                {
                    "policy": doc(
                        allow(
                            {"Service": "cloudwatch.amazonaws.com"},
                            condition={"StringNotEquals": {"aws:SourceAccount": ACCOUNT}},
                        )
                    )
                },
                "without an aws:SourceAccount or aws:SourceArn",
            ),
        ],
    ),
    (
        "resource-policy-source-condition",
        KMS_KEY,
        {
            "policy": doc(
                allow(
                    {"Service": "logs.us-east-1.amazonaws.com"},
                    "kms:Decrypt*",
                    {
                        "ArnEquals": {
                            "kms:EncryptionContext:aws:logs:arn": f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:g"
                        }
                    },
                )
            )
        },
        [("no-context", {"policy": doc(allow({"Service": "logs.us-east-1.amazonaws.com"}, "kms:Decrypt*"))}, "fix:")],
    ),
    (
        "log-group-deletion-protection",
        LOG_GROUP,
        {"kmsKeyId": KEY, "retentionInDays": 90, "deletionProtectionEnabled": True},
        [
            ("unset", {"kmsKeyId": KEY, "retentionInDays": 90}, "deletion_protection_enabled=True"),
            ("false-string", {"deletionProtectionEnabled": "false"}, "logs:DeleteLogGroup"),
        ],
    ),
    (
        "kms-key-enabled",
        KMS_KEY,
        {"enableKeyRotation": True, "isEnabled": True},
        [("disabled", {"enableKeyRotation": True, "isEnabled": False}, "is_enabled=False")],
    ),
    ("kms-key-enabled", KMS_KEY, {"enableKeyRotation": True}, []),
    (
        "kms-key-policy-scope",
        KMS_KEY,
        {
            "policy": doc(
                allow({"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "kms:*"),
                allow({"Service": "cloudwatch.amazonaws.com"}, ["kms:Decrypt", "kms:GenerateDataKey*"], ACCOUNT_ONLY),
                allow({"Service": "logs.us-east-1.amazonaws.com"}, ["kms:Encrypt*", "kms:ReEncrypt*", "kms:Describe*"]),
            )
        },
        [
            ("bypass-lockout", {"bypassPolicyLockoutSafetyCheck": True}, "bypass_policy_lockout_safety_check"),
            (
                "root-create-grant",
                {"policy": doc(allow({"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "kms:CreateGrant"))},
                "'kms:CreateGrant'",
            ),
            ("role-star", {"policy": doc(allow({"AWS": f"arn:aws:iam::{ACCOUNT}:role/r"}, "kms:*"))}, "'kms:*'"),
            ("service-star", {"policy": doc(allow({"Service": "logs.amazonaws.com"}, "kms:*", ACCOUNT_ONLY))}, "kms:*"),
            (
                "service-not-action",
                {"policy": doc(allow({"Service": "logs.amazonaws.com"}, None, ACCOUNT_ONLY, NotAction="kms:Decrypt"))},
                "NotAction",
            ),
            ("org-wide-admin", {"policy": doc(allow("*", "kms:PutKeyPolicy", ORG_ONLY))}, "'kms:PutKeyPolicy'"),
        ],
    ),
    # Left to kms-key-policy-not-public (unrestricted '*') and the default key policy (no policy input).
    ("kms-key-policy-scope", KMS_KEY, {"policy": doc(allow("*", "kms:*"))}, []),
    ("kms-key-policy-scope", KMS_KEY, {"bypassPolicyLockoutSafetyCheck": False}, []),
]
