"""How long logs are kept: CloudWatch Logs retention values and the S3 lifecycle of a log bucket."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, model_validator

from inventory.aws_facts import LOG_RETENTION_DAYS, S3_IA_MIN_DAYS
from inventory.base import StrictModel
from inventory.types import Days
from vocabulary.limits import AWS_MAX_INTEGER

# The policy pack's DEFAULT bounds on what the inventory controls (policies/bedrock_guardrails/retention.py):
# the inventory refuses up front what the pack would refuse at policy-check. A policy config may set other
# bounds; the inventory enforces the defaults. tests/inventory/test_pack_bounds.py check each stays equal.
PACK_MIN_LOG_RETENTION_DAYS = 30  # log-group-retention, minRetentionDays
PACK_MAX_LOG_RETENTION_DAYS = 3653  # log-group-retention, maxRetentionDays
PACK_MIN_EXPIRATION_DAYS = 30  # log-bucket-lifecycle, minExpirationDays
PACK_MAX_EXPIRATION_DAYS = 3653  # log-bucket-lifecycle, maxExpirationDays
PACK_MIN_NONCURRENT_DAYS = 30  # log-bucket-lifecycle, minNoncurrentDays
PACK_MAX_ABORT_INCOMPLETE_UPLOAD_DAYS = 7  # log-bucket-lifecycle, maxAbortIncompleteUploadDays
PACK_MIN_CLOUDTRAIL_RETENTION_DAYS = 365  # cloudtrail-bucket-retention, minCloudTrailRetentionDays

_PACK_LOG_RETENTION_DAYS = tuple(
    days for days in LOG_RETENTION_DAYS if PACK_MIN_LOG_RETENTION_DAYS <= days <= PACK_MAX_LOG_RETENTION_DAYS
)


def _retention(value: int) -> int:
    allowed = ", ".join(map(str, _PACK_LOG_RETENTION_DAYS))
    if value not in LOG_RETENTION_DAYS:
        raise ValueError(f"is not a retention CloudWatch Logs accepts; fix: use one of {allowed}")
    if value not in _PACK_LOG_RETENTION_DAYS:
        raise ValueError(
            f"is outside {PACK_MIN_LOG_RETENTION_DAYS}..{PACK_MAX_LOG_RETENTION_DAYS} days; fix: use one of {allowed} "
            "(the policy pack's log-group-retention rule refuses it: minRetentionDays/maxRetentionDays)"
        )
    return value


RetentionDays = Annotated[int, AfterValidator(_retention)]


class LifecycleTiers(StrictModel):
    """S3 lifecycle of a log bucket: cheaper storage classes as logs age, then expiry."""

    # S3 lifecycle `Days` are whole, positive AWS integers.
    infrequent_access_after_days: int | None = Field(default=30, ge=S3_IA_MIN_DAYS, le=AWS_MAX_INTEGER)
    glacier_instant_retrieval_after_days: Days | None = 90
    deep_archive_after_days: Days | None = 180
    expire_after_days: int = Field(
        default=400,
        ge=PACK_MIN_EXPIRATION_DAYS,
        le=PACK_MAX_EXPIRATION_DAYS,
        description=f"the policy pack's log-bucket-lifecycle rule refuses expiry outside {PACK_MIN_EXPIRATION_DAYS}.."
        f"{PACK_MAX_EXPIRATION_DAYS} days (minExpirationDays/maxExpirationDays)",
    )
    noncurrent_version_expire_after_days: int = Field(
        default=30,
        ge=PACK_MIN_NONCURRENT_DAYS,
        le=AWS_MAX_INTEGER,
        description=f"the policy pack's log-bucket-lifecycle rule refuses fewer than {PACK_MIN_NONCURRENT_DAYS} "
        "days (minNoncurrentDays): an overwritten or deleted log must stay recoverable that long",
    )
    abort_incomplete_upload_after_days: int = Field(
        default=7,
        ge=1,
        le=PACK_MAX_ABORT_INCOMPLETE_UPLOAD_DAYS,
        description="the policy pack's log-bucket-lifecycle rule refuses aborting incomplete uploads later than "
        f"{PACK_MAX_ABORT_INCOMPLETE_UPLOAD_DAYS} days (maxAbortIncompleteUploadDays)",
    )

    @model_validator(mode="after")
    def _tiers_in_order(self) -> LifecycleTiers:
        previous_name, previous_days = "creation", 0
        for name in (
            "infrequent_access_after_days",
            "glacier_instant_retrieval_after_days",
            "deep_archive_after_days",
            "expire_after_days",
        ):
            days = getattr(self, name)
            if days is None:
                continue
            if days <= previous_days:
                raise ValueError(
                    f"{name} = {days} must be later than {previous_name} ({previous_days}); "
                    "fix: order the tiers infrequent access < glacier instant retrieval < deep archive < expiry"
                )
            previous_name, previous_days = name, days
        return self

    def transitions(self) -> list[tuple[int, str]]:
        """(days, S3 storage class) pairs, in order."""
        tiers = (
            (self.infrequent_access_after_days, "STANDARD_IA"),
            (self.glacier_instant_retrieval_after_days, "GLACIER_IR"),
            (self.deep_archive_after_days, "DEEP_ARCHIVE"),
        )
        return [(days, storage_class) for days, storage_class in tiers if days is not None]
