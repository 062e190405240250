"""The inventory refuses up front what the policy pack's DEFAULT config refuses at policy-check.

Each bound the pack enforces on a value the inventory controls is read from the pack module and compared with
the inventory's own, so the two cannot drift apart; then the refusals are checked through the example org.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import annotated_types
import pytest
from pydantic import BaseModel

from inventory.errors import ConfigError
from inventory.load import parse_organisation
from inventory.retention import (
    PACK_MAX_ABORT_INCOMPLETE_UPLOAD_DAYS,
    PACK_MAX_EXPIRATION_DAYS,
    PACK_MAX_LOG_RETENTION_DAYS,
    PACK_MIN_CLOUDTRAIL_RETENTION_DAYS,
    PACK_MIN_EXPIRATION_DAYS,
    PACK_MIN_LOG_RETENTION_DAYS,
    PACK_MIN_NONCURRENT_DAYS,
    LifecycleTiers,
)
from inventory.security import ObjectLockSettings

ORG = Path("stacks/org.yaml").read_text(encoding="utf-8")
PACK_DIR = Path("policies").resolve()
INVOCATION = "defaults.invocation_logging"
LIFECYCLE = f"{INVOCATION}.bucket_lifecycle"


def pack_module(name: str) -> ModuleType:
    if str(PACK_DIR) not in sys.path:
        sys.path.insert(0, str(PACK_DIR))
    __import__(f"bedrock_guardrails.{name}")
    return sys.modules[f"bedrock_guardrails.{name}"]


def pack_default(module: str, schema: str, key: str) -> Any:
    return getattr(pack_module(module), schema).properties[key]["default"]


def field_bound(model: type[BaseModel], field: str, kind: type) -> Any:
    (bound,) = [item for item in model.model_fields[field].metadata if isinstance(item, kind)]
    return bound.ge if isinstance(bound, annotated_types.Ge) else bound.le


@pytest.mark.parametrize(
    ("module", "schema", "key", "inventory_bound"),
    [
        ("retention", "_LOG_GROUP_SCHEMA", "minRetentionDays", PACK_MIN_LOG_RETENTION_DAYS),
        ("retention", "_LOG_GROUP_SCHEMA", "maxRetentionDays", PACK_MAX_LOG_RETENTION_DAYS),
        ("retention", "_LIFECYCLE_SCHEMA", "minExpirationDays", PACK_MIN_EXPIRATION_DAYS),
        ("retention", "_LIFECYCLE_SCHEMA", "maxExpirationDays", PACK_MAX_EXPIRATION_DAYS),
        ("retention", "_LIFECYCLE_SCHEMA", "minNoncurrentDays", PACK_MIN_NONCURRENT_DAYS),
        ("retention", "_LIFECYCLE_SCHEMA", "maxAbortIncompleteUploadDays", PACK_MAX_ABORT_INCOMPLETE_UPLOAD_DAYS),
        ("retention", "_TRAIL_RETENTION_SCHEMA", "minCloudTrailRetentionDays", PACK_MIN_CLOUDTRAIL_RETENTION_DAYS),
        (
            "protection",
            "_LOCK_SCHEMA",
            "minRetentionDays",
            field_bound(ObjectLockSettings, "retention_days", annotated_types.Ge),
        ),
    ],
    ids=lambda v: v if isinstance(v, str) and not v.startswith("_") else None,
)
def test_the_inventory_bound_is_the_packs_default(module: str, schema: str, key: str, inventory_bound: int) -> None:
    assert pack_default(module, schema, key) == inventory_bound


@pytest.mark.parametrize(
    ("field", "kind", "constant"),
    [
        ("expire_after_days", annotated_types.Ge, PACK_MIN_EXPIRATION_DAYS),
        ("expire_after_days", annotated_types.Le, PACK_MAX_EXPIRATION_DAYS),
        ("noncurrent_version_expire_after_days", annotated_types.Ge, PACK_MIN_NONCURRENT_DAYS),
        ("abort_incomplete_upload_after_days", annotated_types.Le, PACK_MAX_ABORT_INCOMPLETE_UPLOAD_DAYS),
    ],
)
def test_the_lifecycle_fields_use_the_pack_bounds(field: str, kind: type, constant: int) -> None:
    assert field_bound(LifecycleTiers, field, kind) == constant


def problem_of(old: str, new: str) -> str:
    assert old in ORG
    with pytest.raises(ConfigError) as caught:
        parse_organisation(ORG.replace(old, new, 1), "stacks/org.yaml")
    (problem,) = caught.value.problems
    assert "\n" not in problem
    return problem


def accepted(old: str, new: str) -> None:
    assert old in ORG
    parse_organisation(ORG.replace(old, new, 1), "stacks/org.yaml")


@pytest.mark.parametrize(("days", "bound", "check"), [(29, 30, "greater"), (3654, 3653, "less")])
def test_expiry_the_pack_refuses_is_refused_with_the_reason(days: int, bound: int, check: str) -> None:
    problem = problem_of("expire_after_days: 400", f"expire_after_days: {days}")
    assert problem.startswith(
        f"{LIFECYCLE}.expire_after_days = {days}: input should be {check} than or equal to {bound}"
    )
    assert "the policy pack's log-bucket-lifecycle rule refuses expiry outside 30..3653 days" in problem


def test_abort_later_than_the_pack_allows_is_refused_with_the_reason() -> None:
    problem = problem_of("abort_incomplete_upload_after_days: 7", "abort_incomplete_upload_after_days: 8")
    assert problem.startswith(
        f"{LIFECYCLE}.abort_incomplete_upload_after_days = 8: input should be less than or equal to 7; "
        "fix: use a smaller value (the policy pack's log-bucket-lifecycle rule refuses aborting incomplete uploads "
        "later than 7 days (maxAbortIncompleteUploadDays))"
    )


@pytest.mark.parametrize("days", [1, 3, 5, 7, 14])
def test_log_retention_the_pack_refuses_is_refused_with_the_reason(days: int) -> None:
    problem = problem_of("log_retention_days: 90", f"log_retention_days: {days}")
    assert problem.startswith(
        f"{INVOCATION}.log_retention_days = {days}: is outside 30..3653 days; fix: use one of 30, "
    )
    assert "(the policy pack's log-group-retention rule refuses it: minRetentionDays/maxRetentionDays)" in problem


def test_findings_retention_the_pack_refuses_is_refused() -> None:
    problem = problem_of("findings_retention_days: 90", "findings_retention_days: 14")
    assert "findings_retention_days = 14: is outside 30..3653 days" in problem and "log-group-retention" in problem


def test_a_retention_cloudwatch_refuses_offers_only_values_the_pack_allows() -> None:
    problem = problem_of("log_retention_days: 90", "log_retention_days: 100")
    assert "is not a retention CloudWatch Logs accepts; fix: use one of 30, 60, 90," in problem
    assert problem.endswith(", 3288, 3653")


AUDIT_TIERS = "deep_archive_after_days: 365\n      expire_after_days: 2557"


def audit_expiry(days: int) -> str:
    return f"deep_archive_after_days: 180\n      expire_after_days: {days}"


def test_trail_logs_kept_less_than_the_pack_requires_are_refused_with_the_reason() -> None:
    problem = problem_of(AUDIT_TIERS, audit_expiry(364))
    assert problem == (
        "defaults.audit: bucket_lifecycle.expire_after_days = 364 is shorter than 365 days for the trail's logs; "
        "fix: set expire_after_days to at least 365 (the policy pack's cloudtrail-bucket-retention rule refuses "
        "shorter: minCloudTrailRetentionDays)"
    )


def test_a_short_audit_expiry_passes_where_there_is_no_trail() -> None:
    disabled = ORG.replace("audit:\n    enabled: true", "audit:\n    enabled: false", 1)
    assert disabled != ORG
    parse_organisation(disabled.replace(AUDIT_TIERS, audit_expiry(364), 1), "stacks/org.yaml")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("expire_after_days: 400", "expire_after_days: 3653"),
        ("abort_incomplete_upload_after_days: 7", "abort_incomplete_upload_after_days: 1"),
        ("log_retention_days: 90", "log_retention_days: 30"),
        ("log_retention_days: 90", "log_retention_days: 3653"),
        (AUDIT_TIERS, audit_expiry(365)),
    ],
)
def test_the_bounds_themselves_pass(old: str, new: str) -> None:
    accepted(old, new)


def test_the_shortest_expiry_passes_without_tiers() -> None:
    tiers = LifecycleTiers(
        infrequent_access_after_days=None,
        glacier_instant_retrieval_after_days=None,
        deep_archive_after_days=None,
        expire_after_days=30,
    )
    assert tiers.expire_after_days == 30
