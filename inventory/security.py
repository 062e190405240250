"""Security options of a workload account (README, "What each workload stack deploys"; SECURITY.md).

All off by default except the access-log bucket: each has a cost or an operational consequence the account
owner decides on (masking changes what readers see, Object Lock cannot be undone, Insights bills per event
analysed, an account-wide public access block may collide with a landing zone that owns it).
"""

from __future__ import annotations

import difflib
from typing import Literal

from pydantic import Field, field_validator

from inventory.base import StrictModel
from inventory.retention import LifecycleTiers, RetentionDays
from inventory.types import Items
from vocabulary.data_protection import DEFAULT_IDENTIFIERS, MANAGED_IDENTIFIERS

# S3 Object Lock: a default retention period of at most 100 years.
MAX_OBJECT_LOCK_DAYS = 36_500
InsightType = Literal["ApiCallRateInsight", "ApiErrorRateInsight"]


def _identifier_problem(value: str) -> str | None:
    if value in MANAGED_IDENTIFIERS:
        return None
    if value.startswith("arn:"):
        return f"{value!r} is an ARN; fix: give the identifier's name only (e.g. 'EmailAddress')"
    by_lower = {name.lower(): name for name in MANAGED_IDENTIFIERS}
    close = by_lower.get(value.lower()) or next(
        iter(difflib.get_close_matches(value, sorted(MANAGED_IDENTIFIERS), n=1, cutoff=0.75)), None
    )
    hint = f"did you mean {close!r}? " if close else ""
    return (
        f"{value!r} is not a CloudWatch Logs managed data identifier; {hint}fix: use names such as "
        "'EmailAddress', 'CreditCardNumber', 'AwsSecretKey', 'PhoneNumber-US' (the list is in "
        "vocabulary/data_protection.py)"
    )


class DataProtectionSettings(StrictModel):
    """CloudWatch Logs data protection on the invocation log group: audit and mask the listed managed data
    identifiers in prompts and responses as they are ingested. Masking applies to CloudWatch Logs only (the S3
    copy of the logs is not masked); readers with `logs:Unmask` still see everything."""

    enabled: bool = False
    identifiers: Items[str] = Field(default=DEFAULT_IDENTIFIERS, min_length=1)
    # Where audit findings (which identifier, how many, at which offsets; never the data) go:
    # `cloudwatch_logs` = a KMS-encrypted log group this stack creates next to the invocation log group.
    findings_destination: Literal["cloudwatch_logs", "none"] = "cloudwatch_logs"
    findings_retention_days: RetentionDays = 90

    @field_validator("identifiers")
    @classmethod
    def _managed_identifiers(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        seen: set[str] = set()
        for value in values:
            problem = _identifier_problem(value)
            if problem:
                raise ValueError(problem)
            if value in seen:
                raise ValueError(f"lists identifier {value!r} twice; fix: remove the duplicate")
            seen.add(value)
        return values


class ObjectLockSettings(StrictModel):
    """S3 Object Lock on the audit trail bucket (write once, read many) with a default retention period.

    Irreversible: once on, Object Lock cannot be turned off and versioning cannot be suspended. GOVERNANCE
    lets principals with `s3:BypassGovernanceRetention` delete early; COMPLIANCE lets nobody, not even the
    root user, delete a locked version before its retention ends."""

    enabled: bool = False
    mode: Literal["GOVERNANCE", "COMPLIANCE"] = "GOVERNANCE"
    retention_days: int = Field(default=365, ge=1, le=MAX_OBJECT_LOCK_DAYS)


class AccessLogSettings(StrictModel):
    """The account-region's S3 server access log bucket: target of the log buckets' access logs."""

    # Access log files are small (a few KB): under S3's 128 KB minimum they would not move to Standard-IA or
    # Glacier IR, and Deep Archive's 40 KB per-object overhead would cost more than Standard. So no tiers:
    # kept in Standard for a year (CIS/PCI keep access records for a year), then expired.
    bucket_lifecycle: LifecycleTiers = LifecycleTiers(
        infrequent_access_after_days=None,
        glacier_instant_retrieval_after_days=None,
        deep_archive_after_days=None,
        expire_after_days=365,
    )


def unique_insights(values: tuple[str, ...]) -> tuple[str, ...]:
    if len(set(values)) != len(values):
        raise ValueError(f"lists an insight type twice ({', '.join(values)}); fix: remove the duplicate")
    return values
