"""Alarms notify someone: every metric and composite alarm has an ALARM action and its actions enabled; and
the notifications travel encrypted: no topic subscription delivers over plain HTTP."""

from __future__ import annotations

from pulumi_policy import ReportViolation, ResourceValidationArgs, ResourceValidationPolicy

from bedrock_guardrails._aws import COMPOSITE_ALARM, METRIC_ALARM
from bedrock_guardrails._controls import control
from bedrock_guardrails._util import HIGH, MANDATORY, is_set, label, shown


def validate_alarm_actions(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type not in (METRIC_ALARM, COMPOSITE_ALARM):
        return
    who = label(args.resource_type, args.name)
    enabled = args.props.get("actionsEnabled")
    if enabled is False or str(enabled).lower() == "false":
        report(
            f"{who} has actions_enabled=False, so it changes state without notifying anyone; fix: remove "
            "actions_enabled or set it to True.",
            None,
        )
    if not is_set(args.props, "alarmActions"):
        report(
            f"{who} has no alarm_actions, so nobody is told when it fires; fix: set alarm_actions to the "
            "region's alert topic ARN.",
            None,
        )


alarm_actions_enabled = ResourceValidationPolicy(
    name="alarm-actions-enabled",
    description="CloudWatch metric and composite alarms have an ALARM action and actions enabled.",
    validate=validate_alarm_actions,
    enforcement_level=MANDATORY,
    severity=HIGH,
    framework=control("CloudWatch.15", "CloudWatch.17"),
    tags=["monitoring"],
    remediation_steps="Set alarm_actions to an SNS topic and leave actions_enabled at True.",
)

TOPIC_SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription"


def validate_subscription_https(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != TOPIC_SUBSCRIPTION:
        return
    protocol = str(args.props.get("protocol") or "").lower()
    endpoint = args.props.get("endpoint") if protocol in ("http", "https") else None
    plain = protocol == "http" or (
        protocol == "https" and isinstance(endpoint, str) and not endpoint.lower().startswith("https://")
    )
    if plain:
        report(
            f"{label(args.resource_type, args.name)} delivers alerts (alarm names, accounts, metric values) over "
            f"plain HTTP (protocol {protocol!r}, endpoint {shown(args.props, 'endpoint')}), readable and forgeable "
            "on the way; fix: use protocol 'https' with an https:// endpoint (the inventory's https_endpoints).",
            None,
        )


sns_subscription_https = ResourceValidationPolicy(
    name="sns-subscription-https",
    description="SNS topic subscriptions do not deliver over plain HTTP (protocol http, or https with an "
    "http:// endpoint).",
    validate=validate_subscription_https,
    enforcement_level=MANDATORY,
    severity=HIGH,
    tags=["monitoring", "encryption"],
    remediation_steps="Subscribe HTTP endpoints with protocol 'https' and an https:// URL.",
)

POLICIES = [alarm_actions_enabled, sns_subscription_https]
