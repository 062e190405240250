"""One workload region for the regional builders' tests, and the requests its alarms make Pulumi send."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pulumi_aws as aws

from components.cloudwatch.alarms import CompositeAlarmSpec, MetricAlarmSpec
from components.monitoring.context import RegionContext, TrailLocation
from inventory.monitoring import MonitoringSettings
from tests.botocore_requests import rendered_requests, validate

REGION = "eu-west-1"
TOPICS = {
    "warning": f"arn:aws:sns:{REGION}:111122223333:bedrock-payments-prod-{REGION}-alerts-warning",
    "critical": f"arn:aws:sns:{REGION}:111122223333:bedrock-payments-prod-{REGION}-alerts-critical",
    "escalation": f"arn:aws:sns:{REGION}:111122223333:bedrock-payments-prod-{REGION}-alerts-escalation",
}
MODELS = (
    "anthropic.claude-3-5-sonnet-20240620-v1:0",
    "us.anthropic.claude-3-5-sonnet-20240620-v1:0",
    "amazon.titan-embed-text-v2:0",
)
# Every signal configured for the first model (the second is its us. profile, the third an embedding model):
# a quota, streaming OTPS, escalation after 15 and 30 minutes, and one guardrail version in the region.
SIGNALS = {
    "quotas": {"models": {MODELS[0]: {"tokens_per_minute": {REGION: 400_000}}}},
    "otps": {"models": {MODELS[0]: {"warning_below": 40, "critical_below": 20}}},
    "escalation": {"enabled": True},
    "guardrails": [
        {"id": "q7k2m9x4b1za", "version": 3, "region": REGION},
        {"id": "elsewhere1", "version": "DRAFT", "region": "us-east-1"},
    ],
}


def check_valid(service: str, operation: str, params: dict[str, Any]) -> None:
    problems = validate(service, operation, params)
    assert not problems, problems


def requests_of(specs: Sequence[MetricAlarmSpec | CompositeAlarmSpec]) -> dict[str, dict[str, Any]]:
    """Request parameters of each spec, by alarm name, from what its `pulumi_args` make Pulumi send."""
    return rendered_requests(
        [
            (
                aws.cloudwatch.CompositeAlarm if isinstance(spec, CompositeAlarmSpec) else aws.cloudwatch.MetricAlarm,
                spec.name,
                spec.pulumi_args(TOPICS[spec.tier], REGION),
            )
            for spec in specs
        ]
    )


def params_of(spec: MetricAlarmSpec | CompositeAlarmSpec) -> dict[str, Any]:
    return requests_of([spec])[spec.name]


def region(
    settings: MonitoringSettings | None = None,
    models: tuple[str, ...] = MODELS,
    trail: TrailLocation | None = None,
) -> RegionContext:
    return RegionContext(
        account_id="111122223333",
        account_name="payments-prod",
        environment="prod",
        region=REGION,
        home_region=REGION,
        models=models,
        settings=settings or MonitoringSettings(),
        invocation_log_group_name="/aws/bedrock/model-invocations",
        trail=trail,
    )
