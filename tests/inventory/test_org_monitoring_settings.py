"""Monitoring-account settings (`monitoring_account.settings`): defaults, validation messages."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from inventory.org_monitoring import OrgMonitoringSettings
from inventory.pricing import Pricing

# --- settings ------------------------------------------------------------------------------------------


def test_settings_defaults_are_valid_and_grafana_is_off():
    s = OrgMonitoringSettings()
    assert s.grafana.enabled is False
    assert s.organization_id is None
    # Prices are not a monitoring-account setting any more: the org dashboards read the one price table.
    assert "prices" not in OrgMonitoringSettings.model_fields


@pytest.mark.parametrize("value", ["o-abc", "O-A1B2C3D4E5", "a1b2c3d4e5", "o-" + "a" * 33])
def test_organization_id_is_validated_with_a_clear_message(value):
    with pytest.raises(ValidationError, match="not an AWS Organizations id"):
        OrgMonitoringSettings(organization_id=value)


def test_notification_targets_are_validated():
    ok = OrgMonitoringSettings.model_validate(
        {"notifications": {"emails": ["Ops@Example.com"], "https_endpoints": ["https://events.example.com/sns"]}}
    )
    assert ok.notifications.emails == ("ops@example.com",)
    for bad in (
        {"emails": ["not-an-email"]},
        {"emails": ["a@b.io", "A@B.io"]},
        {"https_endpoints": ["http://insecure.example.com"]},
    ):
        with pytest.raises(ValidationError):
            OrgMonitoringSettings.model_validate({"notifications": bad})


def test_settings_reject_unknown_keys_and_bad_alarm_windows():
    with pytest.raises(ValidationError):
        OrgMonitoringSettings.model_validate({"grafana": {"enable": True}})
    with pytest.raises(ValidationError, match="datapoints_to_alarm=2 exceeds evaluation_periods=1"):
        OrgMonitoringSettings.model_validate(
            {"alarms": {"evaluation": {"evaluation_periods": 1, "datapoints_to_alarm": 2}}}
        )
    with pytest.raises(ValidationError, match="not a whole number of minutes"):
        OrgMonitoringSettings.model_validate({"alarms": {"evaluation": {"period_seconds": 90}}})
    with pytest.raises(ValidationError, match="one-day limit"):
        OrgMonitoringSettings.model_validate(
            {"alarms": {"evaluation": {"period_seconds": 3600, "evaluation_periods": 25}}}
        )
    with pytest.raises(ValidationError, match="period_seconds"):  # the old flat keys are gone
        OrgMonitoringSettings.model_validate({"alarms": {"period_seconds": 300}})
    partial = OrgMonitoringSettings.model_validate({"alarms": {"evaluation": {"period_seconds": 600}}})
    assert (partial.alarms.evaluation.evaluation_periods, partial.alarms.evaluation.datapoints_to_alarm) == (3, 2)
    with pytest.raises(ValidationError, match="prices"):
        OrgMonitoringSettings.model_validate({"prices": {"x.y": {"input_usd_per_1k": 1, "output_usd_per_1k": 1}}})
    with pytest.raises(ValidationError, match="not a Bedrock model id"):
        Pricing.model_validate({"models": {"x y'": {"input_per_1k_tokens_usd": 1, "output_per_1k_tokens_usd": 1}}})
