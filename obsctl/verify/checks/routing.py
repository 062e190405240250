"""Alert topics (KMS, policy, subscriptions), the account budget and the OAM link to the monitoring account."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from components.budget.specs import BudgetSpec
from obsctl.verify.checks.base import Check, Verdict, compare, failed, normalise_policy, one, passed, regional_key
from obsctl.verify.live import Live
from obsctl.verify.shapes import ExpectedRegion, Topic
from vocabulary import arns

PENDING = "PendingConfirmation"


def _attributes(live: Live, topic: Topic) -> dict[str, Any] | None:
    response = live.get("sns", "get_topic_attributes", TopicArn=topic.arn)
    return response.get("Attributes", {}) if response else None


def _topic_kms(live: Live, expected: ExpectedRegion, topic: Topic) -> Verdict:
    attributes = _attributes(live, topic)
    if attributes is None:
        return failed("topic does not exist")
    key = regional_key(live, expected)
    return compare([("KMS key", key, attributes.get("KmsMasterKeyId"))], "encrypted with the regional key")


def _topic_policy(live: Live, expected: ExpectedRegion, topic: Topic) -> Verdict:
    attributes = _attributes(live, topic)
    if attributes is None:
        return failed("topic does not exist")
    found = normalise_policy(json.loads(attributes.get("Policy") or "{}").get("Statement", []))
    wanted = normalise_policy(topic.policy["Statement"])
    if found != wanted:
        return failed("topic policy differs from the program's (who may publish)")
    return passed("only this account's alarms" + (" and budgets" if topic.tier == "critical" else "") + " publish")


def _subscriptions(live: Live, expected: ExpectedRegion, topic: Topic) -> Verdict:
    if _attributes(live, topic) is None:
        return failed("topic does not exist")
    response = live.get("sns", "list_subscriptions_by_topic", TopicArn=topic.arn) or {}
    found = {(s["Protocol"], s["Endpoint"].lower()): s["SubscriptionArn"] for s in response.get("Subscriptions", [])}
    missing, pending = [], []
    for spec in topic.subscriptions:
        arn = found.pop((spec.protocol, spec.endpoint.lower()), None)
        if arn is None:
            missing.append(f"{spec.protocol}:{spec.endpoint}")
        elif arn == PENDING:
            pending.append(f"{spec.protocol}:{spec.endpoint}")
    problems = [f"not subscribed: {', '.join(missing)}"] if missing else []
    if pending:
        problems.append(f"pending confirmation (alerts do not reach them yet): {', '.join(pending)}")
    if problems:
        return failed("; ".join(problems))
    extra = f"; also subscribed, not in the inventory: {', '.join(f'{p}:{e}' for p, e in found)}" if found else ""
    return passed(f"{len(topic.subscriptions)} confirmed" + extra)


def _budget(live: Live, expected: ExpectedRegion, spec: BudgetSpec) -> Verdict:
    response = live.get("budgets", "describe_budget", AccountId=spec.account_id, BudgetName=spec.name)
    if response is None:
        return failed("budget does not exist")
    budget = response["Budget"]
    return compare(
        [
            ("limit USD", spec.limit_usd, float(budget.get("BudgetLimit", {}).get("Amount", "nan"))),
            ("type", "COST", budget.get("BudgetType")),
            ("period", "MONTHLY", budget.get("TimeUnit")),
            ("services", list(spec.service_names), (budget.get("CostFilters") or {}).get("Service")),
        ],
        f"{spec.limit_amount} USD a month",
    )


def _budget_notifications(live: Live, expected: ExpectedRegion, spec: BudgetSpec) -> Verdict:
    if live.get("budgets", "describe_budget", AccountId=spec.account_id, BudgetName=spec.name) is None:
        return failed("budget does not exist")
    response = live.get("budgets", "describe_notifications_for_budget", AccountId=spec.account_id, BudgetName=spec.name)
    if response is None:
        return failed("budget does not exist")
    found = sorted((n["NotificationType"], float(n["Threshold"])) for n in response.get("Notifications", []))
    wanted = sorted((n.notification_type, n.threshold_pct) for n in spec.notifications)
    return compare([("notifications (type, %)", wanted, found)], f"{len(wanted)} notifications")


def _oam_link(live: Live, expected: ExpectedRegion, _: Any) -> Verdict:
    response = live.get("oam", "list_links") or {}
    sink = arns.sink_arn(expected.region, expected.monitoring_account_id, "")
    link = next((item for item in response.get("Items", []) if str(item.get("SinkArn", "")).startswith(sink)), None)
    if link is None:
        return failed(f"no link to the monitoring account's sink ({expected.monitoring_account_id}) in the region")
    verdict = compare(
        [("shared resource types", sorted(expected.shared_resource_types), sorted(link.get("ResourceTypes", [])))],
        f"to {link.get('SinkArn', '')}",
    )
    return replace(verdict, resource=link.get("Arn") or None)


def _topics(expected: ExpectedRegion) -> tuple[Topic, ...]:
    return expected.topics


def _topic_name(topic: Topic) -> str:
    return topic.name


def _budget_spec(expected: ExpectedRegion) -> BudgetSpec | None:
    return expected.budget


def _budget_name(spec: BudgetSpec) -> str:
    return spec.name


def _sink(expected: ExpectedRegion) -> str:
    """The sinks the link must point to (the record shows the link's own ARN when it exists)."""
    return expected.sink_arns


CHECKS: tuple[Check[Any], ...] = (
    Check(
        "topic.kms", "sns:GetTopicAttributes", "KmsMasterKeyId is the regional key", _topics, _topic_name, _topic_kms
    ),
    Check(
        "topic.policy", "sns:GetTopicAttributes", "policy equal to the program's", _topics, _topic_name, _topic_policy
    ),
    Check(
        "topic.subscriptions",
        "sns:ListSubscriptionsByTopic",
        "every configured subscriber subscribed and confirmed",
        _topics,
        _topic_name,
        _subscriptions,
        "moto confirms every subscription at once: pending confirmations only show on AWS",
    ),
    Check(
        "budget",
        "budgets:DescribeBudget",
        "monthly COST budget, limit and services as configured",
        one(_budget_spec),
        _budget_name,
        _budget,
    ),
    Check(
        "budget.notifications",
        "budgets:DescribeNotificationsForBudget",
        "actual/forecast thresholds as configured",
        one(_budget_spec),
        _budget_name,
        _budget_notifications,
    ),
    Check(
        "oam.link",
        "oam:ListLinks",
        "a link to the monitoring account's sink of the region, sharing what the sink admits",
        one(_sink),
        str,
        _oam_link,
        "moto does not implement OAM: skipped",
    ),
)
