"""More single edits of the example org's plans (the audit of account boundaries, TLS, IAM documents, trail
selectors and what the program sets): same shape as `mutations.MUTATIONS`, which includes these rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.policies.edits import Edit, add_statement, nested, policy

BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy"
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
]

__all__ = ["ROWS", "add_statement", "nested"]
