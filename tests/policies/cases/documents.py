"""Policy documents: public resource policies, service trust, wildcard identity policies."""

from __future__ import annotations

from tests.policies.cases.builders import (
    ACCOUNT,
    ACCOUNT_ONLY,
    ARN,
    BUCKET,
    BUCKET_POLICY,
    KEY,
    KEY_ADMIN,
    KMS_KEY,
    ORG,
    ORG_ONLY,
    PUBLISH,
    ROLE,
    ROLE_POLICY,
    SINK_POLICY,
    TOPIC,
    TOPIC_POLICY,
    allow,
    doc,
    sink_policy,
    tls_policy,
    trust,
)

_COGNITO = {"Federated": "cognito-identity.amazonaws.com"}

CASES = [
    (
        "service-role-source-condition",
        ROLE,
        {"assumeRolePolicy": trust(ACCOUNT_ONLY)},
        [
            ("no-condition", {"assumeRolePolicy": trust(None)}, "confused deputy"),
            (
                "unrelated-condition",
                {"assumeRolePolicy": trust({"Bool": {"aws:MultiFactorAuthPresent": "true"}})},
                "confused deputy",
            ),
            (
                "wildcard-account",
                {"assumeRolePolicy": trust({"StringLike": {"aws:SourceAccount": "*"}})},
                "confused deputy",
            ),
            (
                "wildcard-arn-account",
                {"assumeRolePolicy": trust({"ArnLike": {"aws:SourceArn": "arn:aws:bedrock:us-east-1:*:*"}})},
                "confused deputy",
            ),
            (
                "negated",
                {"assumeRolePolicy": trust({"StringNotEquals": {"aws:SourceAccount": ACCOUNT}})},
                "confused deputy",
            ),
            (
                "if-exists",
                {"assumeRolePolicy": trust({"StringEqualsIfExists": {"aws:SourceAccount": ACCOUNT}})},
                "confused deputy",
            ),
        ],
    ),
    (
        "iam-role-trust-not-public",
        ROLE,
        {"assumeRolePolicy": trust(ACCOUNT_ONLY)},
        [
            ("aws-star", {"assumeRolePolicy": trust(None, principal={"AWS": "*"})}, "without an organisation"),
            ("star", {"assumeRolePolicy": trust(None, principal="*")}, "without an organisation"),
            (
                "star-with-wildcard-account",
                {"assumeRolePolicy": trust({"StringLike": {"aws:PrincipalAccount": "*"}}, principal="*")},
                "without an organisation",
            ),
        ],
    ),
    ("iam-role-trust-not-public", ROLE, {"assumeRolePolicy": trust(ORG_ONLY, principal={"AWS": "*"})}, []),
    (
        "iam-role-trust-not-public",
        ROLE,
        {
            "assumeRolePolicy": trust(
                {"StringEquals": {"cognito-identity.amazonaws.com:aud": "us-east-1:pool"}}, principal=_COGNITO
            )
        },
        [
            ("web-identity-anyone", {"assumeRolePolicy": trust(None, principal=_COGNITO)}, "Federated"),
            (
                "web-identity-org-only",
                {"assumeRolePolicy": trust(ORG_ONLY, principal=_COGNITO)},
                "without an organisation",
            ),
            (
                "web-identity-wildcard-aud",
                {
                    "assumeRolePolicy": trust(
                        {"StringLike": {"cognito-identity.amazonaws.com:aud": "*"}}, principal=_COGNITO
                    )
                },
                "Federated",
            ),
        ],
    ),
    (
        "kms-key-policy-not-public",
        KMS_KEY,
        {"policy": doc(KEY_ADMIN)},
        [
            ("everyone", {"policy": doc(KEY_ADMIN, allow({"AWS": "*"}, "kms:Decrypt"))}, "allows {'AWS': '*'}"),
            (
                "not-principal",
                {"policy": doc({"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::1:root"}, "Action": "kms:*"})},
                "NotPrincipal",
            ),
        ],
    ),
    ("kms-key-policy-not-public", KMS_KEY, {"policy": doc(allow("*", "kms:Decrypt", ORG_ONLY))}, []),
    ("kms-key-policy-not-public", KMS_KEY, {}, []),  # the default key policy
    (
        "sns-topic-policy-not-public",
        TOPIC_POLICY,
        {"arn": "arn:t", "policy": doc(allow({"Service": "cloudwatch.amazonaws.com"}, condition=ACCOUNT_ONLY))},
        [
            ("everyone", {"arn": "arn:t", "policy": doc(allow("*"))}, "allows '*'"),
            (
                "wildcard-condition",
                {"arn": "arn:t", "policy": doc(allow("*", condition={"StringLike": {"aws:SourceAccount": "*"}}))},
                "without an organisation",
            ),
            (
                "policy-variable",
                {
                    "arn": "arn:t",
                    "policy": doc(allow("*", condition={"StringEquals": {"aws:SourceAccount": "${aws:username}"}})),
                },
                "without an organisation",
            ),
        ],
    ),
    ("sns-topic-policy-not-public", TOPIC_POLICY, {"arn": "arn:t", "policy": doc(allow("*", condition=ORG_ONLY))}, []),
    (
        "sns-topic-policy-not-public",
        TOPIC_POLICY,
        {"arn": "arn:t", "policy": doc(allow("*", condition={"ArnLike": {"aws:SourceArn": PUBLISH}}))},
        [],
    ),
    (
        "sns-topic-policy-not-public",
        TOPIC,
        {"kmsMasterKeyId": KEY},
        [("inline-everyone", {"kmsMasterKeyId": KEY, "policy": doc(allow({"AWS": ["*"]}))}, "without an organisation")],
    ),
    (
        "s3-bucket-policy-not-public",
        BUCKET_POLICY,
        {"bucket": BUCKET, "policy": tls_policy()},
        [
            (
                "public-read",
                {"bucket": BUCKET, "policy": doc(allow("*", "s3:GetObject", Resource=f"{ARN}/*"))},
                "allows '*' ['s3:GetObject']",
            ),
            (
                "wildcard-account-root",
                {"bucket": BUCKET, "policy": doc(allow({"AWS": "arn:aws:iam::*:root"}, "s3:GetObject"))},
                "without an organisation",
            ),
        ],
    ),
    (
        "s3-bucket-policy-not-public",
        BUCKET_POLICY,
        {
            "bucket": BUCKET,
            "policy": doc(allow("*", "s3:GetObject", {"StringEquals": {"aws:PrincipalAccount": ACCOUNT}})),
        },
        [],
    ),
    (
        "oam-sink-policy-not-public",
        SINK_POLICY,
        sink_policy(),
        [("everyone", sink_policy(principal="*"), "without an organisation")],
    ),
    (
        "oam-sink-policy-not-public",
        SINK_POLICY,
        sink_policy(
            principal="*",
            condition={
                "ForAllValues:StringEquals": {"oam:ResourceTypes": ["AWS::CloudWatch::Metric"]},
                "Null": {"oam:ResourceTypes": "false"},
                "StringEquals": {"aws:PrincipalOrgID": ORG},
            },
        ),
        [],
    ),
    (
        "iam-no-wildcard-actions",
        ROLE_POLICY,
        {"role": "r", "policy": doc(allow(None, ["logs:CreateLogStream", "logs:PutLogEvents"]))},
        [
            ("star", {"role": "r", "policy": doc(allow(None, "*"))}, "allows *"),
            ("star-star", {"role": "r", "policy": doc(allow(None, "*:*"))}, "allows *:*"),
            ("service-star", {"role": "r", "policy": doc(allow(None, ["s3:*"]))}, "allows s3:*"),
            ("not-action", {"role": "r", "policy": doc(allow(None, None, NotAction="iam:*"))}, "NotAction"),
            ("service-double-star", {"role": "r", "policy": doc(allow(None, ["s3:**"]))}, "allows s3:**"),
            ("not-resource", {"role": "r", "policy": doc(allow(None, "s3:GetObject", NotResource="x"))}, "NotResource"),
            (
                "pass-any-role",
                {"role": "r", "policy": doc(allow(None, "iam:PassRole"))},
                "iam:PassRole (on Resource '*')",
            ),
        ],
    ),
    ("iam-no-wildcard-actions", ROLE_POLICY, {"role": "r", "policy": doc(allow(None, ["logs:Describe*"]))}, []),
    (
        "iam-no-wildcard-actions",
        ROLE,
        {"assumeRolePolicy": trust(ACCOUNT_ONLY)},
        [
            (
                "inline-star",
                {
                    "assumeRolePolicy": trust(ACCOUNT_ONLY),
                    "inlinePolicies": [{"name": "p", "policy": doc(allow(None, "*"))}],
                },
                "inline policy 'p'",
            ),
            (
                "admin-attached",
                {
                    "assumeRolePolicy": trust(ACCOUNT_ONLY),
                    "managedPolicyArns": ["arn:aws:iam::aws:policy/AdministratorAccess"],
                },
                "AdministratorAccess",
            ),
            (
                "s3-full-access-attached",
                {
                    "assumeRolePolicy": trust(ACCOUNT_ONLY),
                    "managedPolicyArns": ["arn:aws:iam::aws:policy/AmazonSQSFullAccess"],
                },
                "AmazonSQSFullAccess",
            ),
        ],
    ),
]
