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
]
