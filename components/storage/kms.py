"""Per account-region customer managed key: every log, trail and alert topic in that region of a workload
account, and the alert topics of the monitoring account (`RegionalKeyArgs.for_alert_topics`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.storage.protection import DataProtection
from vocabulary import iam, key_policies, names


@dataclass(frozen=True)
class RegionalKeyArgs:
    account_id: str
    region: str
    # Log groups this key may encrypt (CloudWatch Logs is scoped by encryption context to exactly these).
    # Empty: no CloudWatch Logs grant at all.
    log_group_names: Sequence[str]
    # Set only in the CloudTrail home region: lets that trail, and only it, encrypt with the key.
    trail_arn: str | None
    protection: DataProtection
    # Bedrock invocation logs (S3 large payloads) are encrypted with the key: grant Bedrock, scoped to the
    # account's Bedrock resources of this region.
    bedrock_logs: bool = True
    # Which services publish to topics encrypted with the key: CloudWatch alarms always; AWS Budgets only
    # where a budget notifies one of them (workload accounts).
    budget_notifications: bool = True
    description: str | None = None
    alias_name: str = names.KEY_ALIAS

    @classmethod
    def for_alert_topics(
        cls,
        account_id: str,
        region: str,
        *,
        alias_name: str,
        description: str,
        protection: DataProtection | None = None,
    ) -> RegionalKeyArgs:
        """A key that only encrypts SNS alert topics published to by this account's CloudWatch alarms."""
        return cls(
            account_id=account_id,
            region=region,
            log_group_names=(),
            trail_arn=None,
            protection=protection or DataProtection(),
            bedrock_logs=False,
            budget_notifications=False,
            description=description,
            alias_name=alias_name,
        )


def key_policy_statements(args: RegionalKeyArgs) -> list[iam.Statement]:
    statements = [key_policies.key_administration(args.account_id)]
    if args.log_group_names:
        statements.append(key_policies.key_for_log_groups(args.region, args.account_id, args.log_group_names))
    if args.bedrock_logs:
        statements.append(key_policies.key_for_bedrock(args.region, args.account_id))
    statements.append(key_policies.key_for_notifications(args.account_id, budgets=args.budget_notifications))
    if args.trail_arn:
        statements += key_policies.key_for_cloudtrail(args.account_id, args.trail_arn)
    return statements


class RegionalKey(pulumi.ComponentResource):
    arn: pulumi.Output[str]

    def __init__(self, name: str, args: RegionalKeyArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("bedrockobs:security:RegionalKey", name, None, opts)
        key = aws.kms.Key(
            f"{name}-key",
            region=args.region,
            description=args.description or f"Bedrock observability logs, trail and alerts in {args.region}",
            enable_key_rotation=True,
            deletion_window_in_days=30,
            policy=iam.document(key_policy_statements(args)),
            # Protected and retained: a deleted key makes retained encrypted logs unreadable and silently
            # breaks delivery to encrypted alert topics.
            opts=args.protection.options(self),
        )
        aws.kms.Alias(
            f"{name}-alias",
            region=args.region,
            name=args.alias_name,
            target_key_id=key.key_id,
            # Protected and retained like the key: the SCPs identify the platform's keys by this alias, so
            # a deleted or moved alias would let the key escape them.
            opts=args.protection.options(self),
        )
        self.arn = key.arn
        self.register_outputs({"arn": key.arn})
