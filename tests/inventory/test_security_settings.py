"""The security options of the inventory (inventory/security.py) refuse every mistake with field, value and fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from inventory import derived_names
from inventory.models import Organisation
from tests.conftest import org_data
from tests.inventory.test_inventory import rejection
from vocabulary.data_protection import DEFAULT_IDENTIFIERS, MANAGED_IDENTIFIERS


def _settings(org: dict[str, Any], index: int = 1) -> dict[str, Any]:
    return org["workload_accounts"][index]["settings"]


def _protection(**values: Any) -> dict[str, Any]:
    org = org_data()
    _settings(org)["invocation_logging"]["data_protection"] = values
    return org


def test_example_org_masks_payments_prompts_only() -> None:
    payments, research = Organisation.model_validate(org_data()).workload_accounts
    assert payments.settings.invocation_logging.data_protection.enabled is True
    assert "CreditCardNumber" in payments.settings.invocation_logging.data_protection.identifiers
    assert research.settings.invocation_logging.data_protection.enabled is False
    # Off-by-default options stay off; the access-log bucket keeps its year.
    for account in (payments, research):
        assert account.settings.audit.object_lock.enabled is False and account.settings.audit.insights == ()
        assert account.settings.account_public_access_block is False
        assert account.settings.access_logs.bucket_lifecycle.expire_after_days == 365
        assert account.settings.access_logs.bucket_lifecycle.transitions() == []


def test_default_identifiers_are_managed_identifiers() -> None:
    assert set(DEFAULT_IDENTIFIERS) <= MANAGED_IDENTIFIERS
    assert {"EmailAddress", "CreditCardNumber", "AwsSecretKey", "PhoneNumber-US", "Ssn-US"} <= MANAGED_IDENTIFIERS


@pytest.mark.parametrize(
    ("identifiers", "fragments"),
    [
        (["emailaddress"], ["'emailaddress' is not a CloudWatch Logs managed data identifier", "'EmailAddress'"]),
        (["CreditCardNumbr"], ["did you mean 'CreditCardNumber'?"]),
        (["Bogus"], ["'Bogus' is not a CloudWatch Logs managed data identifier", "fix: use names such as"]),
        (
            ["arn:aws:dataprotection::aws:data-identifier/EmailAddress"],
            ["is an ARN; fix: give the identifier's name only"],
        ),
        (["EmailAddress", "EmailAddress"], ["lists identifier 'EmailAddress' twice"]),
        ([], ["data_protection.identifiers", "fix: list at least one"]),
        ("EmailAddress", ["data_protection.identifiers", "fix: write a list"]),
    ],
)
def test_bad_identifiers_are_refused(tmp_path: Path, identifiers: Any, fragments: list[str]) -> None:
    message = rejection(tmp_path, _protection(enabled=True, identifiers=identifiers))
    assert "workload_accounts[1].settings.invocation_logging.data_protection.identifiers" in message
    for fragment in fragments:
        assert fragment in message, message


@pytest.mark.parametrize(
    ("values", "fragment"),
    [
        ({"findings_destination": "s3"}, "findings_destination = 's3'"),
        ({"findings_retention_days": 100}, "is not a retention CloudWatch Logs accepts"),
        ({"enabled": "yes"}, "enabled = 'yes'"),
        ({"mask": True}, "data_protection.mask: unknown key"),
    ],
)
def test_bad_data_protection_settings_are_refused(tmp_path: Path, values: dict[str, Any], fragment: str) -> None:
    message = rejection(tmp_path, _protection(**values))
    assert fragment in message and "fix:" in message, message


def test_partial_data_protection_override_keeps_the_default_identifiers() -> None:
    org = _protection(enabled=True)
    research = Organisation.model_validate(org).workload_accounts[1]
    assert research.settings.invocation_logging.data_protection.identifiers == DEFAULT_IDENTIFIERS
    assert research.settings.invocation_logging.data_protection.findings_destination == "cloudwatch_logs"


def _audit(**values: Any) -> dict[str, Any]:
    org = org_data()
    _settings(org)["audit"].update(values)
    return org


@pytest.mark.parametrize(
    ("values", "fragment"),
    [
        ({"object_lock": {"enabled": True, "mode": "LEGAL_HOLD"}}, "object_lock.mode = 'LEGAL_HOLD'"),
        ({"object_lock": {"enabled": True, "retention_days": 0}}, "object_lock.retention_days = 0"),
        ({"object_lock": {"enabled": True, "retention_days": 36501}}, "object_lock.retention_days = 36501"),
        ({"object_lock": {"enabled": True, "retention_days": 30.5}}, "drop the decimal point"),
        ({"insights": ["ApiCallRate"]}, "insights[0] = 'ApiCallRate'"),
        ({"insights": ["ApiCallRateInsight", "ApiCallRateInsight"]}, "lists an insight type twice"),
        ({"insights": "ApiCallRateInsight"}, "fix: write a list"),
    ],
)
def test_bad_audit_options_are_refused(tmp_path: Path, values: dict[str, Any], fragment: str) -> None:
    message = rejection(tmp_path, _audit(**values))
    assert "workload_accounts[1].settings.audit" in message
    assert fragment in message and "fix:" in message, message


def test_object_lock_longer_than_the_bucket_expiry_is_refused(tmp_path: Path) -> None:
    message = rejection(tmp_path, _audit(object_lock={"enabled": True, "retention_days": 3000}))
    assert "object_lock.retention_days = 3000 is longer than bucket_lifecycle.expire_after_days = 2557" in message
    assert "fix: set retention_days to at most 2557" in message
    # A lock that ends before expiry is fine, and a switched-off lock is not checked.
    assert Organisation.model_validate(_audit(object_lock={"enabled": True, "retention_days": 2557}))
    assert Organisation.model_validate(_audit(object_lock={"enabled": False, "retention_days": 3000}))


def test_partial_object_lock_override_keeps_its_defaults() -> None:
    research = Organisation.model_validate(_audit(object_lock={"enabled": True})).workload_accounts[1]
    lock = research.settings.audit.object_lock
    assert (lock.enabled, lock.mode, lock.retention_days) == (True, "GOVERNANCE", 365)
    assert research.settings.audit.bucket_lifecycle.expire_after_days == 2557  # the audit default, kept


@pytest.mark.parametrize(
    ("values", "fragment"),
    [
        ({"account_public_access_block": "yes"}, "account_public_access_block = 'yes'"),
        ({"account_public_access_block": 1}, "account_public_access_block = 1"),
        ({"access_logs": {"bucket_lifecycle": {"expire_after_days": 0}}}, "expire_after_days = 0"),
        ({"access_logs": {"retention": 365}}, "access_logs.retention: unknown key"),
    ],
)
def test_bad_account_options_are_refused(tmp_path: Path, values: dict[str, Any], fragment: str) -> None:
    org = org_data()
    _settings(org).update(values)
    message = rejection(tmp_path, org)
    assert fragment in message and "fix:" in message, message


def test_access_log_lifecycle_override_keeps_no_tiers() -> None:
    org = org_data()
    _settings(org)["access_logs"] = {"bucket_lifecycle": {"expire_after_days": 731}}
    lifecycle = Organisation.model_validate(org).workload_accounts[1].settings.access_logs.bucket_lifecycle
    assert lifecycle.expire_after_days == 731 and lifecycle.transitions() == []


def test_new_names_are_checked_like_every_derived_name() -> None:
    names = {
        (d.kind.label, d.name, d.region) for d in derived_names.derived_names(Organisation.model_validate(org_data()))
    }
    for region in ("us-east-1", "eu-west-1"):
        assert ("S3 bucket name", f"bedrock-access-logs-111111111111-{region}", region) in names
        assert (
            "CloudWatch Logs log group name",
            "/aws/vendedlogs/bedrock-observability/data-protection-findings",
            region,
        ) in names
