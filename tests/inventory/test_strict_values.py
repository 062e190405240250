"""No bool-as-int, no inf/nan, integers where AWS takes integers, every number within its AWS limit."""

from __future__ import annotations

import itertools
import math
from pathlib import Path
from typing import Any

import pytest
import yaml

from inventory.errors import ConfigError
from inventory.load import load_organisation
from inventory.models import Organisation
from tests.conftest import org_data
from vocabulary.limits import AWS_MAX_INTEGER, MAX_BUDGET_LIMIT_USD, MAX_INVOCATION_LATENCY_MS, MAX_METRIC_VALUE

LIFECYCLE = ("defaults", "invocation_logging", "bucket_lifecycle")
WARNING = ("defaults", "monitoring", "alarms", "warning")
BUDGET = ("defaults", "monitoring", "budget")
ORG_ALARMS = ("monitoring_account", "settings", "alarms")


def _set(org: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    node = org
    for part in path[:-1]:
        node = node.setdefault(part, {})
    node[path[-1]] = value


def refusal(tmp_path: Path, path: tuple[str, ...], value: Any) -> str:
    org = org_data()
    _set(org, path, value)
    file = tmp_path / "org.yaml"
    file.write_text(yaml.safe_dump(org))  # through YAML, as a user would write it
    with pytest.raises(ConfigError) as caught:
        load_organisation(file)
    message = str(caught.value)
    assert "Traceback" not in message
    return message


@pytest.mark.parametrize(
    "path",
    [
        ("defaults", "invocation_logging", "log_retention_days"),
        ("defaults", "audit", "log_retention_days"),
        (*LIFECYCLE, "infrequent_access_after_days"),
        (*LIFECYCLE, "expire_after_days"),
        (*LIFECYCLE, "abort_incomplete_upload_after_days"),
        (*WARNING, "latency_p95_ms"),
        (*WARNING, "error_rate_pct"),
        (*WARNING, "throttles_per_minute"),
        (*WARNING, "tokens_per_minute"),
        (*WARNING, "evaluation", "evaluation_periods"),
        (*BUDGET, "monthly_limit_usd"),
        ("defaults", "monitoring", "security", "access_denied_threshold"),
        (*ORG_ALARMS, "region_throttles"),
        (*ORG_ALARMS, "account_error_rate_percent"),
    ],
    ids=lambda path: ".".join(path),
)
def test_yaml_true_is_not_a_number(tmp_path: Path, path: tuple[str, ...]) -> None:
    message = refusal(tmp_path, path, True)
    assert f"{'.'.join(path)} = True" in message
    assert "(true/false is not a number)" in message


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan])
@pytest.mark.parametrize(
    "path",
    [(*WARNING, "tokens_per_minute"), (*WARNING, "latency_p95_ms"), (*BUDGET, "monthly_limit_usd")],
    ids=lambda path: path[-1],
)
def test_inf_and_nan_are_refused(tmp_path: Path, path: tuple[str, ...], value: float) -> None:
    message = refusal(tmp_path, path, value)
    assert f"{'.'.join(path)} = {value!r}" in message and ".inf and .nan are not accepted" in message


def test_budget_threshold_inf_and_bool_in_a_list(tmp_path: Path) -> None:
    message = refusal(tmp_path, (*BUDGET, "actual_thresholds_pct"), [50, math.inf, True])
    assert "actual_thresholds_pct[1] = inf" in message and "actual_thresholds_pct[2] = True" in message


@pytest.mark.parametrize(
    ("path", "value", "bound"),
    [
        ((*LIFECYCLE, "infrequent_access_after_days"), 10**12, AWS_MAX_INTEGER),
        ((*LIFECYCLE, "noncurrent_version_expire_after_days"), 2**31, AWS_MAX_INTEGER),
        ((*WARNING, "latency_p95_ms"), MAX_INVOCATION_LATENCY_MS + 1, MAX_INVOCATION_LATENCY_MS),
        ((*WARNING, "tokens_per_minute"), 1e300, MAX_METRIC_VALUE),
        ((*BUDGET, "monthly_limit_usd"), 1e13, MAX_BUDGET_LIMIT_USD),
        (("defaults", "monitoring", "alarms", "error_rate_min_invocations"), 10**30, AWS_MAX_INTEGER),
        ((*ORG_ALARMS, "account_min_invocations"), 2**40, AWS_MAX_INTEGER),
    ],
    ids=lambda v: v[-1] if isinstance(v, tuple) else None,
)
def test_numbers_above_their_aws_limit(tmp_path: Path, path: tuple[str, ...], value: Any, bound: Any) -> None:
    message = refusal(tmp_path, path, value)
    assert f"{'.'.join(path)} = " in message
    assert f"{'.'.join(path)} = {value!r}" in message and "fix: use a smaller value" in message
    assert f"less than or equal to {bound:.0f}" in message or (bound == MAX_METRIC_VALUE and "2^360" in message)


def test_price_in_the_wrong_unit(tmp_path: Path) -> None:
    price = {"input_per_1k_tokens_usd": 20000, "output_per_1k_tokens_usd": 0}
    message = refusal(tmp_path, ("defaults", "monitoring", "pricing", "models", "amazon.titan-embed-text-v2:0"), price)
    assert "pricing.models.amazon.titan-embed-text-v2:0.input_per_1k_tokens_usd = 20000" in message
    assert "less than or equal to 1000" in message


def test_range_errors_say_why_the_limit_exists(tmp_path: Path) -> None:
    message = refusal(tmp_path, (*WARNING, "latency_p95_ms"), 7_200_000)
    assert "a Bedrock call lasts at most 60 minutes" in message


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ((*LIFECYCLE, "expire_after_days"), 400.5),
        ((*LIFECYCLE, "expire_after_days"), 400.0),
        (("defaults", "monitoring", "alarms", "critical", "evaluation", "period_seconds"), 60.0),
    ],
)
def test_integers_where_aws_takes_integers(tmp_path: Path, path: tuple[str, ...], value: float) -> None:
    message = refusal(tmp_path, path, value)
    assert f"{'.'.join(path)} = {value!r}" in message and "drop the decimal point" in message


def test_quoted_numbers_and_booleans_are_not_converted(tmp_path: Path) -> None:
    assert "write a number, unquoted" in refusal(tmp_path, (*WARNING, "latency_p95_ms"), "3000")
    assert "write true or false, unquoted" in refusal(tmp_path, ("defaults", "audit", "enabled"), "false")


def test_budget_below_one_cent(tmp_path: Path) -> None:
    message = refusal(tmp_path, (*BUDGET, "monthly_limit_usd"), 0.001)
    assert "greater than or equal to 0.01" in message


def test_whole_numbers_are_accepted_where_decimals_are_allowed() -> None:
    org = org_data()
    _set(org, (*BUDGET, "monthly_limit_usd"), 1000)
    _set(org, (*WARNING, "error_rate_pct"), 1)
    settings = Organisation.model_validate(org).defaults.monitoring
    assert settings.budget.monthly_limit_usd == 1000.0 and settings.alarms.warning.error_rate_pct == 1.0


@pytest.mark.parametrize(
    ("path", "value", "shown"),
    [
        (("workload_accounts", 1, "account_id"), "222222222222\n", "'222222222222\\n'"),
        (("workload_accounts", 1, "name"), "research-dev\u200b", "'research-dev\\u200b'"),
        ((*BUDGET, "service_names", 0), "Amazon Bedrock\u00a0", "'Amazon Bedrock\\xa0'"),
        (("defaults", "monitoring", "security", "metric_namespace"), "AWS/Bedrock", "'AWS/Bedrock'"),
        (("defaults", "monitoring", "dashboards", "default_range"), "-PT\u0666H", "'-PT\u0666H'"),
        (("monitoring_account", "settings", "notifications", "sms_numbers", 0), "+1415555\u0661100", None),
        (("monitoring_account", "settings", "notifications", "emails", 0), "oncall@example.com\n", None),
    ],
    ids=["newline", "zero-width", "nbsp", "reserved-namespace", "arabic-digit", "arabic-digit-sms", "newline-email"],
)
def test_invisible_and_non_ascii_characters_are_shown(
    tmp_path: Path, path: tuple[Any, ...], value: str, shown: str | None
) -> None:
    org = org_data()
    node: Any = org
    for part, after in itertools.pairwise(path):
        node = node.setdefault(part, [None] if isinstance(after, int) else {}) if isinstance(part, str) else node[part]
    node[path[-1]] = value
    file = tmp_path / "org.yaml"
    file.write_text(yaml.safe_dump(org))
    with pytest.raises(ConfigError) as caught:
        load_organisation(file)
    message = str(caught.value)
    assert repr(value) in message and (shown is None or shown in message)
    assert "is in account" not in message  # the id itself is refused, not the role "in another account"


@pytest.mark.parametrize("key", ["anthropic.claude-3-haiku-20240307-v1:", "Anthropic.Claude", "vendor/model", "x"])
def test_price_keys_are_model_ids(tmp_path: Path, key: str) -> None:
    price = {"input_per_1k_tokens_usd": 0.001, "output_per_1k_tokens_usd": 0.001}
    message = refusal(tmp_path, ("defaults", "monitoring", "pricing", "models", key), price)
    assert f"pricing.models: {key!r} is not a Bedrock model id" in message
