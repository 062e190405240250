"""Per account-region customer managed key for every log, trail and alert topic in that region."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components import iam_documents as docs
from components.protection import DataProtection


@dataclass(frozen=True)
class RegionalKeyArgs:
    account_id: str
    region: str
    # Log groups this key may encrypt (CloudWatch Logs is scoped by encryption context to exactly these).
    log_group_names: Sequence[str]
    # Set only in the CloudTrail home region: lets that trail, and only it, encrypt with the key.
    trail_arn: str | None
    protection: DataProtection


class RegionalKey(pulumi.ComponentResource):
    arn: pulumi.Output[str]

    def __init__(self, name: str, args: RegionalKeyArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("bedrockobs:security:RegionalKey", name, None, opts)
        statements = [
            docs.key_administration(args.account_id),
            docs.key_for_log_groups(args.region, args.account_id, args.log_group_names),
            docs.key_for_bedrock(args.region, args.account_id),
            docs.key_for_notifications(args.account_id),
        ]
        if args.trail_arn:
            statements += docs.key_for_cloudtrail(args.account_id, args.trail_arn)

        key = aws.kms.Key(
            f"{name}-key",
            region=args.region,
            description=f"Bedrock observability logs, trail and alerts in {args.region}",
            enable_key_rotation=True,
            deletion_window_in_days=30,
            policy=docs.document(statements),
            opts=args.protection.options(self),
        )
        aws.kms.Alias(
            f"{name}-alias",
            region=args.region,
            name="alias/bedrock-observability",
            target_key_id=key.key_id,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.arn = key.arn
        self.register_outputs({"arn": key.arn})
