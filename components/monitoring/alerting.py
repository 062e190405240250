"""Alert routing (pure builders): one KMS-encrypted SNS topic per tier and region, a least-privilege topic
policy, and subscriptions from configuration.

Alarms can only notify a topic in their own region, hence one pair of topics per account-region.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from components.monitoring import naming
from inventory.monitoring import NotificationTargets, Tier

Protocol = Literal["email", "https", "sms"]


class SubscriptionSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str  # hashed endpoint: stable across list reordering and keeps addresses out of URNs
    protocol: Protocol
    endpoint: str
    auto_confirms: bool


def topic_name(account_name: str, region: str, tier: Tier) -> str:
    return f"{naming.prefix(account_name, region)}-alerts-{tier}"


def topic_policy(
    topic_arn: str, account_id: str, region: str, *, allow_budgets: bool, partition: str = "aws"
) -> dict[str, Any]:
    """Only CloudWatch alarms (and, on the critical topic, AWS Budgets) of *this* account may publish.

    `aws:SourceAccount` stops other accounts' alarms/budgets (confused deputy); `aws:SourceArn` narrows
    CloudWatch to alarms of this region and Budgets to this account's budgets. Topic management stays with
    the account's IAM principals through their identity policies, so no owner statement is needed here.
    """
    return {
        "Version": "2012-10-17",
        "Statement": [
            *_cloudwatch_statement(topic_arn, account_id, region, partition),
            *(_budgets_statement(topic_arn, account_id, partition) if allow_budgets else []),
        ],
    }


def _cloudwatch_statement(topic_arn: str, account_id: str, region: str, partition: str) -> list[dict[str, Any]]:
    return [
        {
            "Sid": "AllowCloudWatchAlarmsOfThisAccount",
            "Effect": "Allow",
            "Principal": {"Service": "cloudwatch.amazonaws.com"},
            "Action": "sns:Publish",
            "Resource": topic_arn,
            "Condition": {
                "StringEquals": {"aws:SourceAccount": account_id},
                "ArnLike": {"aws:SourceArn": f"arn:{partition}:cloudwatch:{region}:{account_id}:alarm:*"},
            },
        },
    ]


def _budgets_statement(topic_arn: str, account_id: str, partition: str) -> list[dict[str, Any]]:
    return [
        {
            "Sid": "AllowBudgetsOfThisAccount",
            "Effect": "Allow",
            "Principal": {"Service": "budgets.amazonaws.com"},
            "Action": "sns:Publish",
            "Resource": topic_arn,
            "Condition": {
                "StringEquals": {"aws:SourceAccount": account_id},
                "ArnLike": {"aws:SourceArn": f"arn:{partition}:budgets::{account_id}:*"},
            },
        },
    ]


def subscriptions(targets: NotificationTargets) -> tuple[SubscriptionSpec, ...]:
    specs: list[SubscriptionSpec] = []
    for protocol, endpoints, auto in (
        ("email", targets.emails, False),
        ("https", targets.https_endpoints, targets.https_endpoints_auto_confirm),
        ("sms", targets.sms_numbers, False),
    ):
        for endpoint in endpoints:
            specs.append(
                SubscriptionSpec(
                    key=f"{protocol}-{naming.short_hash(endpoint.lower())}",
                    protocol=protocol,  # type: ignore[arg-type]
                    endpoint=endpoint,
                    auto_confirms=auto,
                )
            )
    return tuple(specs)
