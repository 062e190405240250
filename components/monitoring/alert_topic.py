"""The one way to create an alert topic: KMS-encrypted SNS topic, least-privilege topic policy and the
subscriptions of its `NotificationTargets`. Used by `RegionalMonitoring` (a warning and a critical topic per
workload account-region) and by `OrgMonitoring` (one org alert topic per region of the monitoring account).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components.monitoring import alerting
from inventory.monitoring import NotificationTargets
from vocabulary import arns


@dataclass(frozen=True)
class AlertTopicArgs:
    account_id: str
    region: str
    # AWS-side topic name; the topic ARN in the policy is derived from it, so the policy is complete at preview.
    name: str
    # Customer managed key (its policy must let the publishing services use it: `iam_documents.key_for_notifications`).
    kms_key_arn: pulumi.Input[str]
    targets: NotificationTargets
    # Let this account's AWS Budgets publish too (the workload critical topics); CloudWatch alarms always may.
    allow_budgets: bool = False
    display_name: str | None = None
    tags: Mapping[str, str] | None = field(default=None)


@dataclass(frozen=True)
class AlertTopic:
    topic: aws.sns.Topic
    # The topic policy that lets CloudWatch (and, with allow_budgets, AWS Budgets) publish. Anything that
    # publishes to the topic at creation time (an AWS Budget validates its SNS subscriber) depends on it.
    policy: aws.sns.TopicPolicy

    @property
    def arn(self) -> pulumi.Output[str]:
        return self.topic.arn


def create_alert_topic(resource_name: str, args: AlertTopicArgs, parent: pulumi.Resource) -> AlertTopic:
    """Registers `<resource_name>` (topic), `<resource_name>-policy` and `<resource_name>-<protocol>-<hash>`
    (one per subscriber, stable under list reordering) as children of `parent`."""
    child = pulumi.ResourceOptions(parent=parent)
    topic = aws.sns.Topic(
        resource_name,
        name=args.name,
        display_name=args.display_name,
        kms_master_key_id=args.kms_key_arn,
        tags=dict(args.tags) if args.tags else None,
        region=args.region,
        opts=child,
    )
    topic_arn = arns.sns_topic_arn(args.region, args.account_id, args.name)
    policy = aws.sns.TopicPolicy(
        f"{resource_name}-policy",
        arn=topic.arn,
        policy=json.dumps(
            alerting.topic_policy(topic_arn, args.account_id, args.region, allow_budgets=args.allow_budgets)
        ),
        region=args.region,
        opts=child,
    )
    for sub in alerting.subscriptions(args.targets):
        aws.sns.TopicSubscription(
            f"{resource_name}-{sub.key}",
            topic=topic.arn,
            protocol=sub.protocol,
            endpoint=sub.endpoint,
            endpoint_auto_confirms=sub.auto_confirms if sub.protocol == "https" else None,
            region=args.region,
            opts=child,
        )
    return AlertTopic(topic=topic, policy=policy)
