"""KMS key policy statements of the regional key: its administration, and the services that encrypt with it
(CloudWatch Logs for named log groups, Bedrock, CloudTrail, alarms and budgets publishing to SNS)."""

from __future__ import annotations

from collections.abc import Iterable

from vocabulary import arns
from vocabulary.iam import (
    BEDROCK_SERVICE,
    BUDGETS_SERVICE,
    CLOUDTRAIL_SERVICE,
    CLOUDWATCH_SERVICE,
    Statement,
    on_behalf_of,
)


def key_administration(account_id: str) -> Statement:
    # Delegates key management to the account's IAM policies (the AWS default); without it the key
    # becomes unmanageable.
    return {
        "Sid": "AccountAdministersKeyThroughIam",
        "Effect": "Allow",
        "Principal": {"AWS": arns.account_root(account_id)},
        "Action": "kms:*",
        "Resource": "*",
    }


def key_for_log_groups(region: str, account_id: str, log_group_names: Iterable[str]) -> Statement:
    return {
        "Sid": "CloudWatchLogsEncryptsTheseLogGroups",
        "Effect": "Allow",
        "Principal": {"Service": f"logs.{region}.amazonaws.com"},
        "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        "Resource": "*",
        "Condition": {
            "ArnEquals": {
                "kms:EncryptionContext:aws:logs:arn": [
                    arns.log_group_arn(region, account_id, name) for name in log_group_names
                ]
            }
        },
    }


def key_for_bedrock(region: str, account_id: str) -> Statement:
    return {
        "Sid": "BedrockEncryptsInvocationLogs",
        "Effect": "Allow",
        "Principal": {"Service": BEDROCK_SERVICE},
        "Action": "kms:GenerateDataKey",
        "Resource": "*",
        "Condition": on_behalf_of(account_id, arns.bedrock_source_arn(region, account_id)),
    }


def key_for_cloudtrail(account_id: str, trail_arn: str) -> list[Statement]:
    return [
        {
            "Sid": "CloudTrailEncryptsTrailLogs",
            "Effect": "Allow",
            "Principal": {"Service": CLOUDTRAIL_SERVICE},
            "Action": "kms:GenerateDataKey*",
            "Resource": "*",
            "Condition": {
                "StringEquals": {"aws:SourceArn": trail_arn},
                "StringLike": {
                    "kms:EncryptionContext:aws:cloudtrail:arn": arns.trail_arn("*", account_id, "*"),
                },
            },
        },
        {
            "Sid": "CloudTrailDescribesKey",
            "Effect": "Allow",
            "Principal": {"Service": CLOUDTRAIL_SERVICE},
            "Action": "kms:DescribeKey",
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:SourceArn": trail_arn}},
        },
    ]


def key_for_notifications(account_id: str, *, budgets: bool = True) -> Statement:
    """CloudWatch alarms (and, with `budgets`, AWS Budgets) publish to KMS-encrypted SNS topics; without
    this grant alarms deploy fine but never deliver. `budgets=False` where no budget publishes (the
    monitoring account's org alert topics)."""
    if budgets:
        sid, principal = "AlarmsAndBudgetsPublishToEncryptedTopics", [CLOUDWATCH_SERVICE, BUDGETS_SERVICE]
    else:
        sid, principal = "CloudWatchAlarmsPublishToEncryptedTopic", CLOUDWATCH_SERVICE
    return {
        "Sid": sid,
        "Effect": "Allow",
        "Principal": {"Service": principal},
        "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
        "Resource": "*",
        "Condition": {"StringEquals": {"aws:SourceAccount": account_id}},
    }
