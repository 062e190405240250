"""Alert routing (pure builders): topic names, the least-privilege topic policy and subscriptions from
configuration. `components.alerting.component.AlertTopic` turns them into resources, for the
workload tiers' topics and the monitoring account's org alert topics alike.

Alarms can only notify a topic in their own region, hence one pair of topics per account-region.
"""

from __future__ import annotations

from typing import Any, Literal

from inventory.base import FrozenModel
from inventory.notifications import NotificationTargets
from vocabulary import iam, names, topic_policies

Protocol = Literal["email", "https", "sms"]


class SubscriptionSpec(FrozenModel):
    key: str  # hashed endpoint: stable across list reordering and keeps addresses out of URNs
    protocol: Protocol
    endpoint: str
    auto_confirms: bool


def topic_policy(topic_arn: str, account_id: str, region: str, *, allow_budgets: bool) -> dict[str, Any]:
    """Only CloudWatch alarms (and, with `allow_budgets`, AWS Budgets) of *this* account may publish.

    `aws:SourceAccount` stops other accounts' alarms/budgets (confused deputy); `aws:SourceArn` narrows
    CloudWatch to alarms of this region and Budgets to this account's budgets. Topic management stays with
    the account's IAM principals through their identity policies, so no owner statement is needed here.
    """
    return iam.policy(
        [
            topic_policies.sns_publish_for_alarms(topic_arn, region, account_id),
            *([topic_policies.sns_publish_for_budgets(topic_arn, account_id)] if allow_budgets else []),
        ]
    )


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
                    key=f"{protocol}-{names.short_hash(endpoint.lower())}",
                    protocol=protocol,  # type: ignore[arg-type]
                    endpoint=endpoint,
                    auto_confirms=auto,
                )
            )
    return tuple(specs)
