"""Alarms notify someone: every metric and composite alarm has an ALARM action and its actions enabled."""

from __future__ import annotations

from pulumi_policy import ReportViolation, ResourceValidationArgs, ResourceValidationPolicy

from bedrock_guardrails._aws import COMPOSITE_ALARM, METRIC_ALARM
from bedrock_guardrails._controls import control
from bedrock_guardrails._util import HIGH, MANDATORY, is_set, label


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

POLICIES = [alarm_actions_enabled]
