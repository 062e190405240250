"""`AccountBudget`: the monthly Amazon Bedrock budget of one workload account (budgets are global)."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.budget.specs import budget_spec
from inventory.monitoring import MonitoringSettings

TYPE_TOKEN = "bedrockobs:monitoring:AccountBudget"


@dataclass(frozen=True)
class AccountBudgetArgs:
    account_id: str
    account_name: str
    settings: MonitoringSettings
    # Critical topic of the account's primary region; its policy admits budgets.amazonaws.com.
    critical_topic_arn: pulumi.Input[str]
    # That topic's policy (`RegionalMonitoring.critical_topic_policy`): AWS Budgets checks it may publish to
    # the subscriber topic, so the budget is created only after the policy. None: no explicit dependency.
    critical_topic_policy: pulumi.Resource | None = None


class AccountBudget(pulumi.ComponentResource):
    budget_name: pulumi.Output[str] | None

    def __init__(self, name: str, args: AccountBudgetArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE_TOKEN, name, None, opts)
        self.budget_name = None
        if args.settings.budget.enabled:
            spec = budget_spec(args.account_id, args.account_name, args.settings.budget)
            budget = aws.budgets.Budget(
                f"{name}-bedrock-budget",
                **spec.pulumi_args(args.critical_topic_arn),
                opts=pulumi.ResourceOptions(
                    parent=self, depends_on=[args.critical_topic_policy] if args.critical_topic_policy else []
                ),
            )
            self.budget_name = budget.name
        self.register_outputs({"budget_name": self.budget_name})
