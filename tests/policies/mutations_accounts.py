"""More single edits of the example org's plans (the audit of account boundaries, TLS, IAM documents, trail
selectors and what the program sets): same shape as `mutations.MUTATIONS`, which includes these rows (and
`mutations_settings.ROWS`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.policies.edits import Edit, add_statement, nested, policy

BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy"
ROLE = "aws:iam/role:Role"
SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
LINK = "aws:oam/link:Link"
SINK_POLICY = "aws:oam/sinkPolicy:SinkPolicy"
METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
KEY = "aws:kms/key:Key"
FOREIGN = "666666666666"


def statement(sid: str, change: Callable[[dict[str, Any]], Any]) -> Callable[[dict[str, Any]], None]:
    """Change the statement with this Sid in place."""

    def edit(document: dict[str, Any]) -> None:
        [found] = [s for s in document["Statement"] if s.get("Sid") == sid]
        change(found)

    return edit


def _set(key: str, value: Any) -> Callable[[dict[str, Any]], Any]:
    return lambda s: s.update({key: value})


def _foreign(value: str) -> str:
    return value.replace("222222222222", FOREIGN).replace("111111111111", FOREIGN)


def _foreign_sse(inputs: dict[str, Any]) -> None:
    default = inputs["rules"][0]["applyServerSideEncryptionByDefault"]
    default["kmsMasterKeyId"] = _foreign(default["kmsMasterKeyId"])


def _other_bucket(s: dict[str, Any]) -> None:
    s["Resource"] = [r.replace("invocation-logs", "access-logs") for r in s["Resource"]]


ROWS: list[tuple[str, str, Edit, str | None, str]] = [
    # 1. Service principals in resource policies act only for the stack's own account.
    (
        "bucket-service-foreign-source-account",
        "research-dev",
        policy(
            BUCKET_POLICY,
            "us-west-2-invocations",
            "policy",
            statement(
                "AllowBedrockInvocationLogDelivery",
                lambda s: s["Condition"]["StringEquals"].update({"aws:SourceAccount": FOREIGN}),
            ),
        ),
        "resource-policy-source-condition",
        FOREIGN,
    ),
    (
        "topic-service-without-source",
        "payments-prod",
        policy(TOPIC_POLICY, "", "policy", statement("AllowCloudWatchAlarmsOfThisAccount", _set("Condition", {}))),
        "resource-policy-source-condition",
        "without an aws:SourceAccount or aws:SourceArn",
    ),
    (
        "key-service-without-source",
        "monitoring",
        policy(KEY, "", "policy", statement("CloudWatchAlarmsPublishToEncryptedTopic", _set("Condition", {}))),
        "resource-policy-source-condition",
        "confused deputy",
    ),
    (
        "access-log-delivery-from-any-bucket",
        "research-dev",
        policy(
            BUCKET_POLICY,
            "us-west-2-access-logs",
            "policy",
            statement(
                "AllowS3ServerAccessLogDelivery", _set("Condition", {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::*"}})
            ),
        ),
        "resource-policy-source-condition",
        "no single account",
    ),
    # 2. The TLS-only deny names this bucket, not another one.
    (
        "tls-deny-names-another-bucket",
        "research-dev",
        policy(BUCKET_POLICY, "us-west-2-invocations", "policy", statement("DenyInsecureTransport", _other_bucket)),
        "s3-tls-only-policy",
        "does not refuse plain-HTTP requests",
    ),
    # 3. Grants to, and references of, other accounts.
    (
        "key-grants-foreign-root",
        "payments-prod",
        policy(
            KEY,
            "",
            "policy",
            add_statement(
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{FOREIGN}:root"},
                    "Action": "kms:*",
                    "Resource": "*",
                }
            ),
        ),
        "cross-account-grants",
        f"grants to account(s) {FOREIGN}",
    ),
    (
        "bucket-grants-foreign-read",
        "research-dev",
        policy(
            BUCKET_POLICY,
            "us-west-2-invocations",
            "policy",
            add_statement(
                {"Effect": "Allow", "Principal": {"AWS": FOREIGN}, "Action": "s3:GetObject", "Resource": "*"}
            ),
        ),
        "cross-account-grants",
        FOREIGN,
    ),
    (
        "everyone-of-a-foreign-account",
        "research-dev",
        policy(
            BUCKET_POLICY,
            "us-west-2-invocations",
            "policy",
            add_statement(
                {
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "Resource": "*",
                    "Condition": {"StringEquals": {"aws:PrincipalAccount": FOREIGN}},
                }
            ),
        ),
        "cross-account-grants",
        FOREIGN,
    ),
    (
        "trust-foreign-root",
        "payments-prod",
        policy(
            ROLE,
            "",
            "assumeRolePolicy",
            add_statement(
                {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{FOREIGN}:root"}, "Action": "sts:AssumeRole"}
            ),
        ),
        "cross-account-grants",
        FOREIGN,
    ),
    (
        "bucket-key-in-foreign-account",
        "research-dev",
        nested(SSE, "us-west-2-invocations", _foreign_sse),
        "cross-account-grants",
        "kms_master_key_id",
    ),
    (
        "log-group-key-in-foreign-account",
        "research-dev",
        nested(LOG_GROUP, "us-west-2-invocations", lambda i: i.update(kmsKeyId=_foreign(i["kmsKeyId"]))),
        "cross-account-grants",
        "kmsKeyId",
    ),
    (
        "alarm-notifies-foreign-topic",
        "research-dev",
        nested(METRIC_ALARM, "us-west-2", lambda i: i.update(alarmActions=[_foreign(a) for a in i["alarmActions"]])),
        "cross-account-grants",
        "alarmActions",
    ),
    (
        "link-to-foreign-sink",
        "research-dev",
        nested(
            LINK, "us-west-2", lambda i: i.update(sinkIdentifier=i["sinkIdentifier"].replace("999999999999", FOREIGN))
        ),
        "cross-account-grants",
        "not the configured monitoring account",
    ),
    (
        "sink-admits-unmonitored-account",
        "monitoring",
        policy(SINK_POLICY, "", "policy", lambda p: p["Statement"][0]["Principal"]["AWS"].append(FOREIGN)),
        "cross-account-grants",
        FOREIGN,
    ),
    # 4. A federated principal without a condition on its identities is everyone of that provider.
    (
        "trust-any-cognito-identity",
        "research-dev",
        policy(
            ROLE,
            "",
            "assumeRolePolicy",
            add_statement(
                {
                    "Effect": "Allow",
                    "Principal": {"Federated": "cognito-identity.amazonaws.com"},
                    "Action": "sts:AssumeRoleWithWebIdentity",
                }
            ),
        ),
        "iam-role-trust-not-public",
        "Federated",
    ),
]
