"""Every way the inventory or a stack's config can be wrong fails with field, value and fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from inventory.aws_facts import LOG_RETENTION_DAYS
from inventory.errors import ConfigError
from inventory.load import load_organisation, resolve_stack
from inventory.models import Organisation
from inventory.retention import PACK_MAX_LOG_RETENTION_DAYS, PACK_MIN_LOG_RETENTION_DAYS, LifecycleTiers
from tests.conftest import org_data


def rejection(tmp_path: Path, org: dict[str, Any]) -> str:
    path = tmp_path / "org.yaml"
    path.write_text(yaml.safe_dump(org))
    with pytest.raises(ConfigError) as caught:
        load_organisation(path)
    return str(caught.value)


def test_example_inventory_is_valid() -> None:
    org = Organisation.model_validate(org_data())
    assert [a.name for a in org.workload_accounts] == ["payments-prod", "research-dev"]
    assert all(len(a.regions) >= 2 and len(a.models) >= 2 for a in org.workload_accounts)


def test_account_override_merges_over_defaults() -> None:
    org = Organisation.model_validate(org_data())
    payments, research = org.workload_accounts
    assert payments.settings.invocation_logging.log_retention_days == 365  # overridden
    assert payments.settings.invocation_logging.embedding is True  # from defaults, kept by the merge
    assert research.settings.invocation_logging.image is True
    assert research.settings.invocation_logging.log_retention_days == 90


@pytest.mark.parametrize("bad", ["12345", "1111111111111", "11111111111a"])
def test_bad_account_id(tmp_path: Path, bad: str) -> None:
    org = org_data()
    org["workload_accounts"][0]["account_id"] = bad
    message = rejection(tmp_path, org)
    assert f"workload_accounts[0].account_id = {bad!r}" in message
    assert "12 digits" in message and "fix:" in message


def test_unquoted_account_id_is_refused_not_coerced(tmp_path: Path) -> None:
    org = org_data()
    org["workload_accounts"][0]["account_id"] = 111111111111
    assert "workload_accounts[0].account_id = 111111111111" in rejection(tmp_path, org)


def test_unknown_region(tmp_path: Path) -> None:
    org = org_data()
    org["workload_accounts"][1]["regions"][1] = "eu-centrall-1"
    message = rejection(tmp_path, org)
    assert "workload_accounts[1].regions[1] = 'eu-centrall-1'" in message
    assert "eu-central-1" in message  # the fix lists the valid regions


def test_duplicate_region(tmp_path: Path) -> None:
    org = org_data()
    org["workload_accounts"][0]["regions"] = ["us-east-1", "us-east-1"]
    assert "lists region 'us-east-1' twice" in rejection(tmp_path, org)


@pytest.mark.parametrize("where", ["account", "defaults"])
def test_retention_not_accepted_by_cloudwatch(tmp_path: Path, where: str) -> None:
    org = org_data()
    target = org["workload_accounts"][0]["settings"] if where == "account" else org["defaults"]
    target["invocation_logging"]["log_retention_days"] = 42
    message = rejection(tmp_path, org)
    field = "workload_accounts[0].settings" if where == "account" else "defaults"
    assert f"{field}.invocation_logging.log_retention_days = 42" in message
    assert "365" in message  # the accepted values are listed


def test_duplicate_account(tmp_path: Path) -> None:
    org = org_data()
    org["workload_accounts"][1]["account_id"] = org["workload_accounts"][0]["account_id"]
    org["workload_accounts"][1]["deploy_role_arn"] = org["workload_accounts"][0]["deploy_role_arn"]
    message = rejection(tmp_path, org)
    assert "workload_accounts[1].account_id = '111111111111' is already used by workload_accounts[0]" in message


def test_duplicate_account_name(tmp_path: Path) -> None:
    org = org_data()
    org["workload_accounts"][1]["name"] = "payments-prod"
    assert "workload_accounts[1].name = 'payments-prod' is already used" in rejection(tmp_path, org)


@pytest.mark.parametrize(
    ("path", "typo", "correct"),
    [
        ((), "workload_account", "workload_accounts"),
        (("defaults", "invocation_logging"), "log_retention_day", "log_retention_days"),
        (("workload_accounts", 0), "region", "regions"),
        (("workload_accounts", 1, "settings", "audit"), "enabeld", "enabled"),
    ],
)
def test_unknown_keys_are_typos(tmp_path: Path, path: tuple, typo: str, correct: str) -> None:
    org = org_data()
    node: Any = org
    for part in path:
        node = node[part]
    node[typo] = node.get(correct, 1)
    message = rejection(tmp_path, org)
    assert "unknown key" in message and typo in message
    assert correct in message  # the known keys are listed


def test_model_arn_is_refused(tmp_path: Path) -> None:
    org = org_data()
    arn = "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"
    org["workload_accounts"][0]["models"][0] = arn
    message = rejection(tmp_path, org)
    assert "workload_accounts[0].models[0]" in message and "is an ARN" in message


def test_inference_profile_of_another_geography(tmp_path: Path) -> None:
    org = org_data()
    org["workload_accounts"][1]["models"].append("us.anthropic.claude-3-haiku-20240307-v1:0")
    org["workload_accounts"][1]["regions"] = ["eu-central-1"]
    message = rejection(tmp_path, org)
    assert "models[2] = 'us.anthropic.claude-3-haiku-20240307-v1:0' is a cross-region inference profile" in message


def test_models_in_region_skip_foreign_profiles() -> None:
    payments = Organisation.model_validate(org_data()).workload_accounts[0]
    assert "us.anthropic.claude-3-7-sonnet-20250219-v1:0" in payments.models_in("us-east-1")
    assert payments.models_in("eu-west-1") == [
        "anthropic.claude-3-5-sonnet-20240620-v1:0",
        "amazon.titan-embed-text-v2:0",
    ]


def test_role_in_another_account(tmp_path: Path) -> None:
    org = org_data()
    org["workload_accounts"][0]["deploy_role_arn"] = "arn:aws:iam::222222222222:role/deploy"
    assert "is in account '222222222222', not in account_id '111111111111'" in rejection(tmp_path, org)


def test_lifecycle_tiers_out_of_order(tmp_path: Path) -> None:
    org = org_data()
    org["defaults"]["invocation_logging"]["bucket_lifecycle"]["expire_after_days"] = 100
    message = rejection(tmp_path, org)
    assert "expire_after_days = 100 must be later than deep_archive_after_days (180)" in message


def test_infrequent_access_needs_30_days() -> None:
    with pytest.raises(ValueError, match="greater than or equal to 30"):
        LifecycleTiers(infrequent_access_after_days=7)


def test_stack_naming_unknown_account() -> None:
    with pytest.raises(ConfigError) as caught:
        resolve_stack("x", {"bedrock-observability:account": "payments-prd"})
    message = str(caught.value)
    assert "bedrock-observability:account = 'payments-prd'" in message
    assert "payments-prod" in message  # the fix lists the real names


def test_stack_config_typo_and_missing_account() -> None:
    with pytest.raises(ConfigError) as caught:
        resolve_stack("x", {"bedrock-observability:acount": "payments-prod"})
    message = str(caught.value)
    assert "bedrock-observability:acount: unknown key" in message
    assert "bedrock-observability:account: required but missing" in message


def test_yaml_syntax_error_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "org.yaml"
    path.write_text("workload_accounts: [\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_organisation(path)


@given(st.integers(min_value=-10, max_value=5000))
def test_only_cloudwatch_retention_values_the_pack_allows_pass(days: int) -> None:
    org = org_data()
    org["defaults"]["invocation_logging"]["log_retention_days"] = days
    try:
        Organisation.model_validate(org)
        accepted = True
    except ValueError:
        accepted = False
    allowed = days in LOG_RETENTION_DAYS and PACK_MIN_LOG_RETENTION_DAYS <= days <= PACK_MAX_LOG_RETENTION_DAYS
    assert accepted == allowed


@given(st.text(min_size=1, max_size=14))
def test_account_ids_must_be_twelve_digits(value: str) -> None:
    org = org_data()
    org["workload_accounts"][0]["account_id"] = value
    org["workload_accounts"][0]["deploy_role_arn"] = f"arn:aws:iam::{value}:role/deploy"
    try:
        Organisation.model_validate(org)
        accepted = True
    except ValueError:
        accepted = False
    assert accepted == (
        len(value) == 12 and value.isascii() and value.isdigit() and value != "222222222222" and value != "999999999999"
    )


def test_example_inventory_has_no_placeholder_paging_endpoint() -> None:
    org = Organisation.model_validate(org_data())
    for account in org.workload_accounts:
        notifications = account.settings.monitoring.notifications
        for tier in (notifications.warning, notifications.critical):
            assert not any("REPLACE" in url.upper() for url in tier.https_endpoints)


def test_placeholder_paging_endpoint_fails_validation_naming_field_value_and_fix(tmp_path: Path) -> None:
    org = org_data()
    url = "https://events.pagerduty.com/integration/REPLACE_WITH_KEY/enqueue"
    org["defaults"]["monitoring"]["notifications"]["critical"]["https_endpoints"] = [url]
    message = rejection(tmp_path, org)
    assert "defaults.monitoring.notifications.critical.https_endpoints" in message
    assert url in message and "placeholder 'REPLACE'" in message and "fix:" in message


# --- price table: user mistakes fail inventory validation, before any resource is registered ------------
def _price(value: float = 0.001) -> dict[str, float]:
    return {"input_per_1k_tokens_usd": value, "output_per_1k_tokens_usd": value}


def test_org_price_table_larger_than_the_org_dashboards_allow(tmp_path: Path) -> None:
    from inventory.pricing import MAX_PRICED_MODELS

    org = org_data()
    org["defaults"]["monitoring"]["pricing"]["models"] = {
        f"vendor.model-{i:02d}-v1:0": _price() for i in range(MAX_PRICED_MODELS + 1)
    }
    message = rejection(tmp_path, org)
    assert f"defaults.monitoring.pricing.models has {MAX_PRICED_MODELS + 1} models" in message
    assert "vendor.model-00-v1:0" in message and "vendor.model-10-v1:0" in message
    assert f"at most {MAX_PRICED_MODELS}" in message and "fix:" in message
    assert "workload_accounts[i].settings.monitoring.pricing.models" in message


def test_org_missing_price_error_names_the_model_and_its_accounts(tmp_path: Path) -> None:
    org = org_data()
    pricing = org["defaults"]["monitoring"]["pricing"]
    pricing["missing_price"] = "error"
    del pricing["models"]["meta.llama3-1-70b-instruct-v1:0"]
    # research-dev prices it itself: its own cost dashboard is fine, the org-wide table is not.
    org["workload_accounts"][1]["settings"]["monitoring"]["pricing"] = {
        "models": {"meta.llama3-1-70b-instruct-v1:0": _price()}
    }
    message = rejection(tmp_path, org)
    assert "defaults.monitoring.pricing has missing_price: 'error' and no price for" in message
    assert "'meta.llama3-1-70b-instruct-v1:0' (used by workload_accounts[1] (research-dev))" in message
    assert "fix: add" in message and "missing_price: show_unknown" in message


def test_account_missing_price_error_names_field_value_and_fix(tmp_path: Path) -> None:
    org = org_data()
    org["workload_accounts"][0]["settings"]["monitoring"]["pricing"] = {"missing_price": "error"}
    org["workload_accounts"][0]["models"].append("amazon.titan-text-express-v1")
    message = rejection(tmp_path, org)
    assert "workload_accounts[0]: settings.monitoring.pricing has missing_price: 'error'" in message
    assert "no price for 'amazon.titan-text-express-v1' (listed in models)" in message
    assert "fix: add" in message and "settings.monitoring.pricing.missing_price: show_unknown" in message


def test_inference_profile_uses_the_base_model_price_for_missing_price_error() -> None:
    org = org_data()
    org["defaults"]["monitoring"]["pricing"]["missing_price"] = "error"
    Organisation.model_validate(org)  # us.anthropic.claude-3-7-... is priced through its base model


def test_missing_price_error_refuses_the_plan_before_any_resource(plan_inventory) -> None:
    org = org_data()
    org["defaults"]["monitoring"]["pricing"]["missing_price"] = "error"
    del org["defaults"]["monitoring"]["pricing"]["models"]["amazon.titan-embed-text-v2:0"]
    for stack in ("monitoring", "payments-prod"):
        refusal = plan_inventory(org, stack)
        assert isinstance(refusal, str) and "Invalid configuration" in refusal, refusal
        assert "no price for 'amazon.titan-embed-text-v2:0'" in refusal and "Traceback" not in refusal


@pytest.mark.parametrize(
    ("path", "override", "check"),
    [
        # A partial override keeps the *field's* default (7-year audit expiry), not the class default (400).
        (
            ("defaults", "audit"),
            {"bucket_lifecycle": {"deep_archive_after_days": 365}},
            lambda s: (
                s.audit.bucket_lifecycle.expire_after_days == 2557
                and s.audit.bucket_lifecycle.deep_archive_after_days == 365
            ),
        ),
        (
            ("defaults", "monitoring", "security"),
            {"evaluation": {"period_seconds": 600}},
            lambda s: (
                (
                    s.monitoring.security.evaluation.evaluation_periods,
                    s.monitoring.security.evaluation.datapoints_to_alarm,
                )
                == (1, 1)
            ),
        ),
        (
            ("defaults", "monitoring", "alarms"),
            {"critical": {"latency_p95_ms": 9000}},
            lambda s: (
                s.monitoring.alarms.critical.latency_p95_ms == 9000
                and s.monitoring.alarms.critical.evaluation.evaluation_periods == 5
            ),
        ),
    ],
)
def test_partial_overrides_keep_every_other_default(path: tuple, override: dict, check: Any) -> None:
    org = org_data()
    node: Any = org
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = override
    settings = Organisation.model_validate(org).workload_accounts[0].settings
    assert check(settings)
