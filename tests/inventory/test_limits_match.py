"""Limits the inventory shares with others: the policy pack's minimum, RFC 5321's address length."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from inventory.errors import ConfigError
from inventory.load import parse_organisation
from inventory.retention import PACK_MIN_NONCURRENT_DAYS

ORG = Path("stacks/org.yaml").read_text(encoding="utf-8")
PACK_DIR = Path("policies").resolve()


def problem_of(old: str, new: str) -> str:
    assert old in ORG
    with pytest.raises(ConfigError) as caught:
        parse_organisation(ORG.replace(old, new, 1), "stacks/org.yaml")
    (problem,) = caught.value.problems
    return problem


def test_the_noncurrent_minimum_is_the_packs() -> None:
    if str(PACK_DIR) not in sys.path:
        sys.path.insert(0, str(PACK_DIR))
    from bedrock_guardrails.retention import _LIFECYCLE_SCHEMA

    assert _LIFECYCLE_SCHEMA.properties["minNoncurrentDays"]["default"] == PACK_MIN_NONCURRENT_DAYS


@pytest.mark.parametrize("days", [1, 29])
def test_noncurrent_days_the_pack_refuses_are_refused_with_the_reason(days: int) -> None:
    problem = problem_of("noncurrent_version_expire_after_days: 30", f"noncurrent_version_expire_after_days: {days}")
    assert problem.startswith(
        f"defaults.invocation_logging.bucket_lifecycle.noncurrent_version_expire_after_days = {days}: input should be "
        "greater than or equal to 30; fix: use a larger value (the policy pack's log-bucket-lifecycle rule refuses"
    )


def test_an_email_address_longer_than_rfc_5321_allows_is_refused_without_echoing_it() -> None:
    address = "a" * 3_000_000 + "@example.com"
    problem = problem_of("platform-oncall@example.com", address)
    assert "is 3,000,012 characters, more than the 254 an email address can have (RFC 5321)" in problem
    assert len(problem) < 400


def test_an_email_address_of_254_characters_passes() -> None:
    address = "a" * 242 + "@example.com"
    assert len(address) == 254
    org = parse_organisation(ORG.replace("platform-oncall@example.com", address, 1), "stacks/org.yaml")
    assert address in org.monitoring_account.settings.notifications.emails
