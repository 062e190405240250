"""Quota headroom, OTPS, guardrails, escalation and prompt-cache prices in the inventory: every mistake fails
before anything is registered, with a message naming the field, the value and the fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from inventory.models import Organisation
from inventory.monitoring import MonitoringSettings
from inventory.signals import generates_text
from tests.conftest import org_data
from tests.inventory.test_inventory import rejection

SONNET = "anthropic.claude-3-5-sonnet-20240620-v1:0"
PROFILE = "us.anthropic.claude-3-7-sonnet-20250219-v1:0"
TITAN = "amazon.titan-embed-text-v2:0"


def _payments(org: dict[str, Any]) -> dict[str, Any]:
    return org["workload_accounts"][0]["settings"]["monitoring"]


def _with(section: str, value: Any, *, defaults: bool = False) -> dict[str, Any]:
    org = org_data()
    target = org["defaults"]["monitoring"] if defaults else _payments(org)
    target[section] = value
    return org


def test_the_example_org_configures_each_signal() -> None:
    payments = Organisation.model_validate(org_data()).workload_accounts[0].settings.monitoring
    assert payments.quotas.tokens_per_minute(SONNET, "eu-west-1") == 200_000
    assert payments.quotas.tokens_per_minute(SONNET, "ap-south-1") is None
    assert (payments.quotas.warning.percent, payments.quotas.critical.percent) == (80, 95)
    assert payments.otps.models[PROFILE].traffic == "streaming"
    (guardrail,) = payments.guardrails
    assert (guardrail.version, guardrail.label) == ("3", "payments-pii (v3)")  # YAML 3 -> the dimension's "3"
    assert payments.escalation.enabled and payments.escalation.after_minutes == (15, 30)
    price = payments.pricing.price_for(PROFILE)  # the us. profile falls back to the base model's price
    assert price is not None and price.prices_cache and price.cache_write_per_1k_tokens_usd == 0.00375


@pytest.mark.parametrize(
    ("value", "needle"),
    [
        (0, "greater than or equal to 1"),
        (-5, "greater than or equal to 1"),
        (10**10 + 1, "less than or equal to 10000000000"),
        (1.5, "whole number"),
        ("400000", "number"),
    ],
)
def test_quota_values_are_positive_bounded_whole_numbers(tmp_path: Path, value: Any, needle: str) -> None:
    org = _with("quotas", {"models": {SONNET: {"tokens_per_minute": {"us-east-1": value}}}})
    message = rejection(tmp_path, org)
    assert "quotas.models.anthropic.claude-3-5-sonnet-20240620-v1:0.tokens_per_minute.us-east-1" in message
    assert needle in message


def test_warning_at_or_above_critical_is_refused(tmp_path: Path) -> None:
    message = rejection(tmp_path, _with("quotas", {"warning": {"percent": 95}, "critical": {"percent": 90}}))
    assert "quotas.warning.percent=95 is not below quotas.critical.percent=90" in message
    assert "fix: warn earlier than you page" in message


@pytest.mark.parametrize(
    ("models", "needle"),
    [
        ({"anthropic.claude-v9": {"tokens_per_minute": {"us-east-1": 1000}}}, "is not one of this account's models"),
        ({SONNET: {"tokens_per_minute": {"ap-south-1": 1000}}}, "'ap-south-1' is not one of this account's regions"),
        ({SONNET: {"tokens_per_minute": {"us-east-9": 1000}}}, "not an AWS region where Amazon Bedrock is available"),
        (
            {"arn:aws:bedrock:us-east-1::foundation-model/x": {"tokens_per_minute": {"us-east-1": 1}}},
            "not a Bedrock model id",
        ),
        ({SONNET: {"tokens_per_minute": {"us-east-1": 1}, "output_burndown_rate": 0}}, "output_burndown_rate"),
    ],
)
def test_quota_entries_name_the_accounts_models_and_regions(tmp_path: Path, models: dict, needle: str) -> None:
    assert needle in rejection(tmp_path, _with("quotas", {"models": models}))


def test_org_wide_quotas_must_name_a_model_and_region_some_account_uses(tmp_path: Path) -> None:
    unused = {"models": {"amazon.nova-pro-v1:0": {"tokens_per_minute": {"us-east-1": 1000}}}}
    assert "defaults.monitoring.quotas.models: 'amazon.nova-pro-v1:0' is not in any workload account's models" in (
        rejection(tmp_path, _with("quotas", unused, defaults=True))
    )
    nowhere = {"models": {SONNET: {"tokens_per_minute": {"sa-east-1": 1000}}}}
    assert "no workload account uses region 'sa-east-1'" in rejection(tmp_path, _with("quotas", nowhere, defaults=True))
    # An org-wide quota for a model every account does not use is fine: it applies where the model is.
    org = _with("quotas", {"models": {SONNET: {"tokens_per_minute": {"us-east-1": 1000}}}}, defaults=True)
    _payments(org).pop("quotas")
    research = Organisation.model_validate(org).workload_accounts[1].settings.monitoring
    assert research.quotas.tokens_per_minute(SONNET, "us-east-1") == 1000  # inherited, never used there


def test_a_quota_for_a_model_the_account_does_not_watch_in_that_region_is_refused(tmp_path: Path) -> None:
    # payments-prod runs in us-east-1 and eu-west-1; its us. profile is called in us-east-1 only.
    quota = {"models": {PROFILE: {"tokens_per_minute": {"us-east-1": 1000, "eu-west-1": 1000}}}}
    message = rejection(tmp_path, _with("quotas", quota))
    assert (
        f"workload_accounts[0].settings.monitoring.quotas.models[{PROFILE!r}].tokens_per_minute['eu-west-1']: "
        f"{PROFILE!r} is not watched in eu-west-1 (an inference profile of another geography; the account's models "
        f"there: {SONNET}, {TITAN}); fix: remove eu-west-1 from this quota"
    ) in message
    assert "['us-east-1']" not in message
    # Org-wide: the profile is watched nowhere in eu-west-1.
    org = _with("quotas", quota, defaults=True)
    _payments(org).pop("quotas")
    message = rejection(tmp_path, org)
    assert (
        f"defaults.monitoring.quotas.models[{PROFILE!r}].tokens_per_minute['eu-west-1']: no workload account "
        f"watches {PROFILE!r} in eu-west-1"
    ) in message
    assert "workload_accounts[0]" not in message  # the inherited entry is reported once, where it is written


@pytest.mark.parametrize("defaults", [False, True])
def test_otps_for_a_model_without_output_tokens_is_refused(tmp_path: Path, defaults: bool) -> None:
    otps = {"models": {TITAN: {"warning_below": 40, "critical_below": 20}}}
    message = rejection(tmp_path, _with("otps", otps, defaults=defaults))
    where = "defaults.monitoring" if defaults else "workload_accounts[0].settings.monitoring"
    assert (
        f"{where}.otps.models[{TITAN!r}]: {TITAN!r} is an embedding or image model and produces no output tokens, "
        "so its OTPS alarms would watch nothing; fix: remove the entry"
    ) in message
    assert message.count("is an embedding or image model") == 1


@pytest.mark.parametrize(
    ("model", "text"),
    [
        (SONNET, True),
        (PROFILE, True),
        (TITAN, False),
        ("amazon.titan-image-generator-v2:0", False),
        ("amazon.nova-canvas-v1:0", False),
        ("stability.sd3-large-v1:0", False),
        ("us.stability.sd3-5-large-v1:0", False),
        ("cohere.embed-english-v3", False),
        ("meta.llama3-1-70b-instruct-v1:0", True),
    ],
)
def test_text_models_are_told_from_embedding_and_image_models(model: str, text: bool) -> None:
    assert generates_text(model) is text


def test_escalation_needs_someone_to_escalate_to(tmp_path: Path) -> None:
    org = org_data()
    del _payments(org)["notifications"]["escalation"]
    message = rejection(tmp_path, org)
    assert (
        "workload_accounts[0].settings.monitoring.escalation.enabled is true but "
        "workload_accounts[0].settings.monitoring.notifications.escalation has no subscribers, so escalations "
        "would go to a topic nobody reads; fix: add emails, https_endpoints or sms_numbers under "
        "notifications.escalation, or set escalation.enabled: false"
    ) in message
    _payments(org)["escalation"]["enabled"] = False
    Organisation.model_validate(org)
    # Enabled org-wide: each account without escalation subscribers is named.
    org = org_data()
    org["defaults"]["monitoring"]["escalation"]["enabled"] = True
    message = rejection(tmp_path, org)
    assert "workload_accounts[1].settings.monitoring.escalation.enabled is true" in message
    assert "workload_accounts[0]" not in message


@pytest.mark.parametrize(
    ("guardrail", "needle"),
    [
        ({"id": "Q7K2M9", "version": 1, "region": "us-east-1"}, "is not a guardrail id"),
        ({"id": "gr-1", "version": 1, "region": "us-east-1"}, "is not a guardrail id"),
        ({"id": "a" * 65, "version": 1, "region": "us-east-1"}, "1-64 lowercase letters and digits"),
        (
            {"id": "arn:aws:bedrock:us-east-1:111111111111:guardrail/abc", "version": 1, "region": "us-east-1"},
            "is an ARN; fix: use the guardrail id",
        ),
        ({"id": "abc123", "version": "v1", "region": "us-east-1"}, "is not a guardrail version"),
        ({"id": "abc123", "version": 0, "region": "us-east-1"}, "is not a guardrail version"),
        ({"id": "abc123", "version": "draft", "region": "us-east-1"}, "or DRAFT"),
        ({"id": "abc123", "version": 1, "region": "ap-south-1"}, "region = 'ap-south-1' is not one of this account"),
        ({"id": "abc123", "region": "us-east-1"}, "version: required but missing"),
    ],
)
def test_guardrails_are_checked_against_botocore_and_the_account(tmp_path: Path, guardrail: dict, needle: str) -> None:
    message = rejection(tmp_path, _with("guardrails", [guardrail]))
    assert needle in message and "guardrails" in message


def test_guardrails_belong_to_one_account_and_are_listed_once(tmp_path: Path) -> None:
    one = {"id": "abc123", "version": "DRAFT", "region": "us-east-1"}
    assert "is listed twice" in rejection(tmp_path, _with("guardrails", [one, one]))
    message = rejection(tmp_path, _with("guardrails", [one], defaults=True))
    assert "defaults.monitoring.guardrails: a guardrail id belongs to one account" in message


@pytest.mark.parametrize(
    ("otps", "needle"),
    [
        ({"warning_below": 20, "critical_below": 40}, "critical_below=40 is not below warning_below=20"),
        ({"warning_below": 20, "critical_below": 0}, "greater than 0"),
        ({"warning_below": 1e6, "critical_below": 10}, "less than or equal to 100000"),
        ({"warning_below": 20, "critical_below": 10, "traffic": "batch"}, "'streaming' or 'any'"),
    ],
)
def test_otps_thresholds(tmp_path: Path, otps: dict, needle: str) -> None:
    assert needle in rejection(tmp_path, _with("otps", {"models": {PROFILE: otps}}))


@pytest.mark.parametrize(
    ("escalation", "needle"),
    [
        ({"after_minutes": [30, 15]}, "must be strictly increasing"),
        ({"after_minutes": [15, 15]}, "must be strictly increasing"),
        ({"after_minutes": []}, "is empty"),
        ({"after_minutes": [5, 10, 15, 30, 60]}, "at most 4"),
        ({"after_minutes": [0]}, "greater than or equal to 1"),
    ],
)
def test_escalation_delays(tmp_path: Path, escalation: dict, needle: str) -> None:
    assert needle in rejection(tmp_path, _with("escalation", escalation))


def test_an_escalation_window_beyond_one_day_is_refused_only_when_enabled() -> None:
    long_critical = {"alarms": {"critical": {"evaluation": {"period_seconds": 3600, "evaluation_periods": 20}}}}
    on = {**long_critical, "escalation": {"enabled": True, "after_minutes": [15, 300]}}
    with pytest.raises(
        ValueError, match=r"after_minutes 300 plus .* alarms.critical.evaluation .* at most 240 minutes"
    ):
        MonitoringSettings.model_validate(on)
    MonitoringSettings.model_validate({**long_critical, "escalation": {"enabled": False, "after_minutes": [15, 300]}})


def test_cache_prices_are_optional_and_bounded(tmp_path: Path) -> None:
    org = org_data()
    prices = org["defaults"]["monitoring"]["pricing"]["models"]
    prices[SONNET]["cache_read_per_1k_tokens_usd"] = -0.1
    assert "cache_read_per_1k_tokens_usd" in rejection(tmp_path, org)
    price = Organisation.model_validate(org_data()).defaults.monitoring.pricing.price_for(SONNET)
    assert price is not None and not price.prices_cache and price.cache_read_per_1k_tokens_usd is None
