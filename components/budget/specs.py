"""Monthly AWS Budget for Amazon Bedrock spend of one workload account (pure builder).

Budgets are global (no region); notifications go to the account's critical SNS topic in its primary
region, whose topic policy admits budgets.amazonaws.com for this account only.
"""

from __future__ import annotations

from typing import Any, Literal

from inventory.base import FrozenModel
from inventory.monitoring import BudgetSettings
from vocabulary import names


class BudgetNotificationSpec(FrozenModel):
    notification_type: Literal["ACTUAL", "FORECASTED"]
    threshold_pct: float


class BudgetSpec(FrozenModel):
    name: str
    account_id: str
    limit_usd: float
    service_names: tuple[str, ...]
    notifications: tuple[BudgetNotificationSpec, ...]

    @property
    def limit_amount(self) -> str:
        # The Budgets API takes the amount as a decimal string.
        return f"{self.limit_usd:.2f}"

    def pulumi_args(self, topic_arn: Any) -> dict[str, Any]:
        """Keyword arguments for `aws.budgets.Budget`."""
        return {
            "name": self.name,
            "account_id": self.account_id,
            "budget_type": "COST",
            "limit_amount": self.limit_amount,
            "limit_unit": "USD",
            "time_unit": "MONTHLY",
            "cost_filters": [{"name": "Service", "values": list(self.service_names)}],
            "notifications": [
                {
                    "comparison_operator": "GREATER_THAN",
                    "notification_type": n.notification_type,
                    "threshold": n.threshold_pct,
                    "threshold_type": "PERCENTAGE",
                    "subscriber_sns_topic_arns": [topic_arn],
                }
                for n in self.notifications
            ],
        }


def budget_spec(account_id: str, account_name: str, settings: BudgetSettings) -> BudgetSpec:
    notifications = [
        BudgetNotificationSpec(notification_type="ACTUAL", threshold_pct=p) for p in settings.actual_thresholds_pct
    ]
    notifications += [
        BudgetNotificationSpec(notification_type="FORECASTED", threshold_pct=p)
        for p in settings.forecast_thresholds_pct
    ]
    return BudgetSpec(
        name=names.budget_name(account_name),
        account_id=account_id,
        limit_usd=settings.monthly_limit_usd,
        service_names=settings.service_names,
        notifications=tuple(notifications),
    )
