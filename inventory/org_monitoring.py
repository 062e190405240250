"""Monitoring-account settings: sink policy scope, org-level alarms, notification targets, Grafana.

Lives under `monitoring_account.settings` in stacks/org.yaml. Every field has a default so an empty block
(or no block at all) is a valid, safe configuration: alarms on, Grafana off, no subscribers.

Notification targets use the same model as the workload alert topics (`inventory.notifications.NotificationTargets`).
Estimated cost on the org dashboards uses the one price table, the org-wide `defaults.monitoring.pricing`
(`inventory.pricing.Pricing`); there is no price table here.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator

from inventory.base import StrictModel
from inventory.evaluation import Evaluation
from inventory.notifications import NotificationTargets
from inventory.types import Items, Percent, PositiveInt

# AWS Organizations ids: "o-" followed by 10 to 32 lowercase letters or digits (Organizations API reference,
# Organization.Id pattern ^o-[a-z0-9]{10,32}$).
_ORG_ID = re.compile(r"o-[a-z0-9]{10,32}")


class OrgAlarmThresholds(StrictModel):
    """Thresholds of the org-level alarms created in every region of the monitoring account."""

    # The same window model as the workload alarms: 2 of the last 3 five-minute periods by default.
    evaluation: Evaluation = Field(
        default_factory=lambda: Evaluation(period_seconds=300, evaluation_periods=3, datapoints_to_alarm=2)
    )
    # Sum over every linked account of the region within one period.
    region_throttles: PositiveInt = 100
    region_server_errors: PositiveInt = 25
    # One contributor per account (Metrics Insights GROUP BY AWS.AccountId).
    account_throttles: PositiveInt = 50
    # Per-account error rate (client + server errors / invocations), one alarm per account and region.
    per_account_error_rate_alarms: bool = True
    account_error_rate_percent: Percent = 5.0
    # Below this many invocations per period the rate is noise (1 error of 3 calls is 33 %): not evaluated.
    account_min_invocations: PositiveInt = 20


class GrafanaSettings(StrictModel):
    """Optional Amazon Managed Grafana workspace in the monitoring account (off by default)."""

    enabled: bool = False
    workspace_name: str = Field(default="bedrock-observability", pattern=r"^[a-zA-Z0-9\-._~]{1,255}$")
    authentication_providers: Items[Literal["AWS_SSO", "SAML"]] = ("AWS_SSO",)
    # Amazon Managed Grafana versions are <major>.<minor> (e.g. 9.4, 10.4).
    grafana_version: str = Field(default="10.4", pattern=r"^[0-9]{1,3}\.[0-9]{1,3}$")
    # Service-account tokens of Amazon Managed Grafana live at most 30 days; the token only authenticates the
    # Pulumi grafana provider, so it is re-issued by `pulumi up` after it expires (see README, "Monitoring account").
    token_ttl_days: int = Field(default=30, ge=1, le=30)

    @field_validator("authentication_providers")
    @classmethod
    def _at_least_one_provider(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        if not values:
            raise ValueError("at least one authentication provider is required")
        if len(set(values)) != len(values):
            raise ValueError("duplicate authentication provider")
        return values


class ManagementView(StrictModel):
    """The `<dashboard_name_prefix>-management` dashboard for management: estimated cost vs the accounts'
    budgets, success rate vs the SLA target, invocation and token trends, top accounts by estimated cost."""

    enabled: bool = True
    # Share of invocations that must not fail (client + server errors), drawn as the target line.
    sla_success_rate_pct: Percent = 99.0


class OrgMonitoringSettings(StrictModel):
    """Settings of the monitoring account (`monitoring_account.settings` in stacks/org.yaml)."""

    # When set, the OAM sink policy admits any principal of the organisation (aws:PrincipalOrgID) instead of
    # the enumerated workload account ids, so onboarding an account needs no monitoring-stack change.
    organization_id: str | None = None
    alarms: OrgAlarmThresholds = OrgAlarmThresholds()
    # Subscribers of the org alert topic of every region.
    notifications: NotificationTargets = NotificationTargets()
    # Least privilege: OAM links share only AWS/Bedrock metrics, which is all the org dashboards and alarms
    # read. true also shares the workload accounts' /bedrock-observability/ log groups (the invocation log
    # holds full prompts and responses; the CloudTrail group) with this account, for ad-hoc cross-account
    # Logs Insights (and Grafana's logs access); the sink policy and every link follow this one switch.
    share_log_groups: bool = False
    dashboard_name_prefix: str = Field(default="bedrock-org", pattern=r"^[A-Za-z0-9\-_]{1,200}$")
    grafana: GrafanaSettings = GrafanaSettings()
    management: ManagementView = ManagementView()

    @field_validator("organization_id")
    @classmethod
    def _valid_org_id(cls, value: str | None) -> str | None:
        if value is not None and not _ORG_ID.fullmatch(value):
            raise ValueError(
                f"organization_id {value!r} is not an AWS Organizations id: expected 'o-' followed by 10 to 32 "
                "lowercase letters or digits (e.g. o-a1b2c3d4e5); find it with `aws organizations "
                "describe-organization --query Organization.Id`"
            )
        return value
