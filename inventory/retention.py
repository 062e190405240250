"""How long logs are kept: CloudWatch Logs retention values and the S3 lifecycle of a log bucket."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, model_validator

from inventory.aws_facts import LOG_RETENTION_DAYS, S3_IA_MIN_DAYS
from inventory.base import StrictModel
from inventory.types import Days
from vocabulary.limits import AWS_MAX_INTEGER


def _retention(value: int) -> int:
    if value not in LOG_RETENTION_DAYS:
        raise ValueError(
            f"is not a retention CloudWatch Logs accepts; fix: use one of {', '.join(map(str, LOG_RETENTION_DAYS))}"
        )
    return value


# The policy pack's default `minNoncurrentDays` (policies/bedrock_guardrails/retention.py, log-bucket-lifecycle):
# the inventory accepts nothing the pack would then refuse. tests/inventory check the two stay equal.
PACK_MIN_NONCURRENT_DAYS = 30

RetentionDays = Annotated[int, AfterValidator(_retention)]


class LifecycleTiers(StrictModel):
    """S3 lifecycle of a log bucket: cheaper storage classes as logs age, then expiry."""

    # S3 lifecycle `Days` are whole, positive AWS integers.
    infrequent_access_after_days: int | None = Field(default=30, ge=S3_IA_MIN_DAYS, le=AWS_MAX_INTEGER)
    glacier_instant_retrieval_after_days: Days | None = 90
    deep_archive_after_days: Days | None = 180
    expire_after_days: Days = 400
    noncurrent_version_expire_after_days: int = Field(
        default=30,
        ge=PACK_MIN_NONCURRENT_DAYS,
        le=AWS_MAX_INTEGER,
        description=f"the policy pack's log-bucket-lifecycle rule refuses fewer than {PACK_MIN_NONCURRENT_DAYS} "
        "days (minNoncurrentDays): an overwritten or deleted log must stay recoverable that long",
    )
    abort_incomplete_upload_after_days: Days = 7

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
