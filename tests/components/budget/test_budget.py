"""AccountBudget and its pure builder: thresholds, routing to the critical topic, ordering, validation."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws

from components.budget.component import AccountBudget, AccountBudgetArgs
from components.budget.specs import budget_spec
from inventory.monitoring import MonitoringSettings
from tests.botocore_requests import rendered_requests, validate
from tests.harness import ACCOUNT_ID, Recorded, run

REGION = "eu-west-1"
SETTINGS = MonitoringSettings.model_validate({"budget": {"monthly_limit_usd": 2500}})


def _budget(settings: MonitoringSettings) -> Recorded:
    topic = f"arn:aws:sns:{REGION}:{ACCOUNT_ID}:bedrock-payments-prod-{REGION}-alerts-critical"

    def build() -> dict[str, Any]:
        budget = AccountBudget(
            "payments-prod-budget",
            AccountBudgetArgs(
                account_id=ACCOUNT_ID, account_name="payments-prod", settings=settings, critical_topic_arn=topic
            ),
        )
        return {"name": budget.budget_name}

    mocks, _ = run(build)
    return mocks


def test_budget_notifies_the_critical_topic_at_configured_thresholds() -> None:
    (budget,) = _budget(SETTINGS).of_type("aws:budgets/budget:Budget")
    inputs = budget.inputs
    assert inputs["limitAmount"] == "2500.00" and inputs["timeUnit"] == "MONTHLY"
    assert inputs["accountId"] == ACCOUNT_ID and "region" not in inputs  # budgets are global
    assert inputs["costFilters"] == [{"name": "Service", "values": ["Amazon Bedrock"]}]
    got = sorted((n["notificationType"], n["threshold"]) for n in inputs["notifications"])
    assert got == [("ACTUAL", 50.0), ("ACTUAL", 75.0), ("ACTUAL", 90.0), ("FORECASTED", 100.0)]
    assert all(n["subscriberSnsTopicArns"][0].endswith("alerts-critical") for n in inputs["notifications"])


def test_budget_waits_for_the_critical_topic_policy() -> None:
    topic = f"arn:aws:sns:{REGION}:{ACCOUNT_ID}:bedrock-payments-prod-{REGION}-alerts-critical"
    depends_on: dict[str, Any] = {}

    def capture(args: pulumi.ResourceTransformationArgs) -> None:
        depends_on[args.name] = list(args.opts.depends_on or [])
        return None

    def build() -> dict[str, Any]:
        policy = pulumi.CustomResource("aws:sns/topicPolicy:TopicPolicy", "critical-policy", {"arn": topic})
        AccountBudget(
            "payments-prod-budget",
            AccountBudgetArgs(
                account_id=ACCOUNT_ID,
                account_name="payments-prod",
                settings=SETTINGS,
                critical_topic_arn=topic,
                critical_topic_policy=policy,
            ),
            opts=pulumi.ResourceOptions(transformations=[capture]),
        )
        depends_on["__policy__"] = policy
        return {}

    run(build)
    assert depends_on["payments-prod-budget-bedrock-budget"] == [depends_on["__policy__"]]


def test_budget_can_be_disabled() -> None:
    off = MonitoringSettings.model_validate({"budget": {"enabled": False}})
    assert not _budget(off).of_type("aws:budgets/budget:Budget")


def test_budget_request_passes_botocore_validation() -> None:
    spec = budget_spec(ACCOUNT_ID, "payments-prod", SETTINGS.budget)
    topic = f"arn:aws:sns:{REGION}:{ACCOUNT_ID}:topic"
    params = rendered_requests([(aws.budgets.Budget, "budget", spec.pulumi_args(topic))])["budget"]
    assert params["Budget"]["BudgetLimit"] == {"Amount": "2500.00", "Unit": "USD"}
    assert validate("budgets", "CreateBudget", params) == []
    assert validate("budgets", "CreateBudget", dict(params, AccountId="123")) != []  # validator is live
