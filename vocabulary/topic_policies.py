"""SNS topic policy statements: who may publish to the platform's alert topics."""

from __future__ import annotations

from vocabulary import arns
from vocabulary.iam import BUDGETS_SERVICE, CLOUDWATCH_SERVICE, Statement, on_behalf_of


def _publish(sid: str, service: str, topic_arn: str, account_id: str, source_arn: str) -> Statement:
    return {
        "Sid": sid,
        "Effect": "Allow",
        "Principal": {"Service": service},
        "Action": "sns:Publish",
        "Resource": topic_arn,
        "Condition": on_behalf_of(account_id, source_arn),
    }


def sns_publish_for_alarms(topic_arn: str, region: str, account_id: str) -> Statement:
    """CloudWatch alarms of this account and region (only) may publish: an alarm notifies only topics of its
    own region, and `aws:SourceAccount` stops other accounts' alarms (confused deputy)."""
    return _publish(
        "AllowCloudWatchAlarmsOfThisAccount",
        CLOUDWATCH_SERVICE,
        topic_arn,
        account_id,
        arns.any_alarm_arn(region, account_id),
    )


def sns_publish_for_budgets(topic_arn: str, account_id: str) -> Statement:
    """AWS Budgets of this account (only) may publish."""
    return _publish(
        "AllowBudgetsOfThisAccount", BUDGETS_SERVICE, topic_arn, account_id, arns.any_budget_arn(account_id)
    )
