"""MonitoringSettings: defaults are complete, bad values are rejected with messages naming field, value and fix."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from inventory.evaluation import MAX_ALARM_EVALUATION_SECONDS, Evaluation
from inventory.monitoring import BudgetSettings, MonitoringSettings
from inventory.notifications import NotificationTargets
from inventory.pricing import Pricing


def test_defaults_are_a_complete_configuration() -> None:
    settings = MonitoringSettings()
    assert settings.alarms.warning.latency_p95_ms < settings.alarms.critical.latency_p95_ms
    assert settings.budget.actual_thresholds_pct == (50.0, 75.0, 90.0)
    assert settings.budget.forecast_thresholds_pct == (100.0,)
    assert settings.notifications.critical.emails == ()


def test_unknown_keys_are_rejected() -> None:
    with pytest.raises(ValidationError, match="extra"):
        MonitoringSettings.model_validate({"alarms": {"warnings": {}}})


def test_yaml_shaped_override_is_applied() -> None:
    settings = MonitoringSettings.model_validate(
        {
            "alarms": {
                "critical": {
                    "latency_p95_ms": 9000,
                    "error_rate_pct": 7,
                    "throttles_per_minute": 20,
                    "tokens_per_minute": 2_000_000,
                }
            }
        }
    )
    assert settings.alarms.critical.latency_p95_ms == 9000
    # untouched tier keeps its default
    assert settings.alarms.warning.latency_p95_ms == 3000


@pytest.mark.parametrize(
    ("field", "value", "needle"),
    [
        ("emails", "oncall-at-example.com", "name@example.com"),
        ("emails", "a@b", "name@example.com"),
        ("https_endpoints", "http://events.pagerduty.com/x", "https://"),
        ("https_endpoints", "https://", "https://"),
        ("sms_numbers", "0044 20 7946 0000", "E.164"),
        ("sms_numbers", "+0123456789", "E.164"),
    ],
)
def test_bad_notification_targets_name_field_value_and_fix(field: str, value: str, needle: str) -> None:
    with pytest.raises(ValidationError) as error:
        NotificationTargets.model_validate({field: [value]})
    message = str(error.value)
    assert field in message and value in message and needle in message


def test_duplicate_targets_are_rejected() -> None:
    with pytest.raises(ValidationError, match="listed twice"):
        NotificationTargets(emails=("a@example.com", "A@example.com"))


def test_good_targets_are_accepted() -> None:
    targets = NotificationTargets(
        emails=("oncall+bedrock@example.co.uk",),
        https_endpoints=("https://events.pagerduty.com/integration/abc/enqueue",),
        sms_numbers=("+14155550100",),
    )
    assert len(targets.emails + targets.https_endpoints + targets.sms_numbers) == 3


@given(st.from_regex(r"\+[1-9][0-9]{6,14}", fullmatch=True))
def test_any_e164_number_is_accepted(number: str) -> None:
    assert NotificationTargets(sms_numbers=(number,)).sms_numbers == (number,)


@pytest.mark.parametrize(
    ("values", "needle"),
    [
        ({"period_seconds": 90}, "whole number of minutes"),
        ({"period_seconds": 30}, "greater than or equal to 60"),
        ({"evaluation_periods": 2, "datapoints_to_alarm": 3}, "datapoints_to_alarm=3 exceeds"),
        ({"period_seconds": 3600, "evaluation_periods": 25, "datapoints_to_alarm": 1}, "one-day limit"),
    ],
)
def test_invalid_evaluation_windows(values: dict[str, int], needle: str) -> None:
    with pytest.raises(ValidationError, match=needle):
        Evaluation.model_validate(values)


@given(
    period=st.integers(1, 60).map(lambda m: m * 60),
    periods=st.integers(1, 30),
    data=st.data(),
)
def test_valid_evaluation_windows_stay_within_one_day(period: int, periods: int, data: st.DataObject) -> None:
    datapoints = data.draw(st.integers(1, periods))
    if period * periods > MAX_ALARM_EVALUATION_SECONDS:
        with pytest.raises(ValidationError):
            Evaluation(period_seconds=period, evaluation_periods=periods, datapoints_to_alarm=datapoints)
        return
    ev = Evaluation(period_seconds=period, evaluation_periods=periods, datapoints_to_alarm=datapoints)
    assert ev.seconds_to_fire == period * datapoints <= MAX_ALARM_EVALUATION_SECONDS


def test_critical_tier_may_not_be_laxer_than_warning() -> None:
    with pytest.raises(ValidationError, match=r"critical\.error_rate_pct=0\.5 is below warning\.error_rate_pct=1"):
        MonitoringSettings.model_validate(
            {
                "alarms": {
                    "critical": {
                        "latency_p95_ms": 5000,
                        "error_rate_pct": 0.5,
                        "throttles_per_minute": 10,
                        "tokens_per_minute": 1e6,
                    }
                }
            }
        )


def test_price_lookup_falls_back_from_inference_profile_to_base_model() -> None:
    pricing = Pricing.model_validate(
        {
            "models": {
                "anthropic.claude-3-haiku-20240307-v1:0": {
                    "input_per_1k_tokens_usd": 0.00025,
                    "output_per_1k_tokens_usd": 0.00125,
                }
            }
        }
    )
    assert pricing.price_for("us.anthropic.claude-3-haiku-20240307-v1:0") is not None
    assert pricing.price_for("eu.anthropic.claude-3-haiku-20240307-v1:0") is not None
    assert pricing.price_for("anthropic.claude-3-5-sonnet-20240620-v1:0") is None


def test_unpriced_lists_models_without_a_price_after_the_profile_fallback() -> None:
    pricing = Pricing.model_validate(
        {"models": {"amazon.titan-text-express-v1": {"input_per_1k_tokens_usd": 1, "output_per_1k_tokens_usd": 1}}}
    )
    models = ["us.amazon.titan-text-express-v1", "meta.llama3-1-70b-instruct-v1:0", "meta.llama3-1-70b-instruct-v1:0"]
    assert pricing.unpriced(models) == ["meta.llama3-1-70b-instruct-v1:0"]
    assert Pricing().unpriced(["amazon.titan-text-express-v1"]) == ["amazon.titan-text-express-v1"]


@pytest.mark.parametrize(
    "values",
    [
        {"monthly_limit_usd": 0},
        {"actual_thresholds_pct": [50, 50]},
        {"actual_thresholds_pct": [0]},
        {"service_names": []},
        {"actual_thresholds_pct": list(range(10, 100, 10)), "forecast_thresholds_pct": [100, 110]},
    ],
)
def test_invalid_budgets(values: dict) -> None:
    with pytest.raises(ValidationError):
        BudgetSettings.model_validate(values)


def test_settings_are_frozen() -> None:
    settings = MonitoringSettings()
    with pytest.raises(ValidationError):
        settings.budget.monthly_limit_usd = 5  # type: ignore[misc]


@pytest.mark.parametrize(
    ("value", "placeholder"),
    [
        ("https://events.pagerduty.com/integration/REPLACE_WITH_KEY/enqueue", "REPLACE"),
        ("https://events.pagerduty.com/integration/changeme/enqueue", "changeme"),
        ("https://events.pagerduty.com/integration/CHANGE_ME/enqueue", "CHANGE_ME"),
        ("https://events.pagerduty.com/integration/<integration-key>/enqueue", "<integration-key>"),
        ("https://hooks.example.com/PLACEHOLDER", "PLACEHOLDER"),
    ],
)
def test_placeholder_https_endpoints_are_rejected_with_field_value_and_fix(value: str, placeholder: str) -> None:
    with pytest.raises(ValidationError) as error:
        NotificationTargets.model_validate({"https_endpoints": [value]})
    message = str(error.value)
    assert "https_endpoints" in message and value in message
    assert f"placeholder {placeholder!r}" in message and "fix: paste the real integration URL" in message
