"""`AlertTopic`: the one way to create an alert topic: KMS-encrypted SNS topic, least-privilege topic policy
and the subscriptions of its `NotificationTargets`. Used by `RegionalMonitoring` (a warning and a critical
topic per workload account-region) and by `OrgMonitoring` (one org alert topic per region of the monitoring
account).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components.alerting import specs
from inventory.notifications import NotificationTargets
from vocabulary import arns

TYPE_TOKEN = "bedrockobs:alerting:AlertTopic"


@dataclass(frozen=True)
class AlertTopicArgs:
    account_id: str
    region: str
    # AWS-side topic name; the topic ARN in the policy is derived from it, so the policy is complete at preview.
    name: str
    # Customer managed key; its policy must let the publishing services use it
    # (`vocabulary.key_policies.key_for_notifications`).
    kms_key_arn: pulumi.Input[str]
    targets: NotificationTargets
    # Let this account's AWS Budgets publish too (the workload critical topics); CloudWatch alarms always may.
    allow_budgets: bool = False
    display_name: str | None = None
    tags: Mapping[str, str] | None = field(default=None)
    # Existing stacks hold this topic's resources directly under the component's parent, named
    # `<state_name>` (the topic), `<state_name>-policy`, `<state_name>-<subscriber>`: their aliases, so those
    # stacks update them in place. None: the component's own name.
    state_name: str | None = None
    # False for a topic that was never deployed outside this component (the escalation topic): no aliases.
    has_former_layout: bool = True


class AlertTopic(pulumi.ComponentResource):
    """Registers `<name>-topic`, `<name>-policy` and `<name>-<protocol>-<hash>` (one per subscriber, stable
    under list reordering)."""

    arn: pulumi.Output[str]
    # The topic policy that lets CloudWatch (and, with allow_budgets, AWS Budgets) publish. Anything that
    # publishes to the topic at creation time (an AWS Budget validates its SNS subscriber) depends on it.
    policy: aws.sns.TopicPolicy

    def __init__(self, name: str, args: AlertTopicArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE_TOKEN, name, None, opts)
        former_parent = opts.parent if opts and opts.parent else None
        state_name = args.state_name or name

        def child(former_suffix: str) -> pulumi.ResourceOptions:
            if not args.has_former_layout:
                return pulumi.ResourceOptions(parent=self)
            return pulumi.ResourceOptions(
                parent=self, aliases=[pulumi.Alias(name=state_name + former_suffix, parent=former_parent)]
            )

        topic = aws.sns.Topic(
            f"{name}-topic",
            name=args.name,
            display_name=args.display_name,
            kms_master_key_id=args.kms_key_arn,
            tags=dict(args.tags) if args.tags else None,
            region=args.region,
            opts=child(""),
        )
        topic_arn = arns.sns_topic_arn(args.region, args.account_id, args.name)
        self.policy = aws.sns.TopicPolicy(
            f"{name}-policy",
            arn=topic.arn,
            policy=json.dumps(
                specs.topic_policy(topic_arn, args.account_id, args.region, allow_budgets=args.allow_budgets)
            ),
            region=args.region,
            opts=child("-policy"),
        )
        for sub in specs.subscriptions(args.targets):
            aws.sns.TopicSubscription(
                f"{name}-{sub.key}",
                topic=topic.arn,
                protocol=sub.protocol,
                endpoint=sub.endpoint,
                endpoint_auto_confirms=sub.auto_confirms if sub.protocol == "https" else None,
                region=args.region,
                opts=child(f"-{sub.key}"),
            )
        self.arn = topic.arn
        self.register_outputs({"arn": topic.arn})
