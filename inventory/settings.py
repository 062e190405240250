"""What an account may override over the org-wide `defaults` (inventory.models deep-merges them first):
invocation logging, the audit trail, monitoring, cost assumptions, access logs, account-wide settings."""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from inventory.aws_facts import BEDROCK_DATA_EVENT_TYPES
from inventory.base import StrictModel
from inventory.cost import CostAssumptions
from inventory.monitoring import MonitoringSettings
from inventory.retention import PACK_MIN_CLOUDTRAIL_RETENTION_DAYS, LifecycleTiers, RetentionDays
from inventory.security import (
    AccessLogSettings,
    DataProtectionSettings,
    InsightType,
    ObjectLockSettings,
    unique_insights,
)
from inventory.types import Items


def unique(values: list[str], what: str) -> list[str]:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"lists {what} {value!r} twice; fix: remove the duplicate")
        seen.add(value)
    return values


class InvocationLoggingSettings(StrictModel):
    """Which request/response payloads Bedrock logs, and how long they are kept."""

    text: bool = True
    image: bool = False
    embedding: bool = False
    video: bool = False
    log_retention_days: RetentionDays = 90
    bucket_lifecycle: LifecycleTiers = LifecycleTiers()
    data_protection: DataProtectionSettings = DataProtectionSettings()


class AuditSettings(StrictModel):
    """The account's CloudTrail. Turn `enabled` off only where an organisation trail already covers it."""

    enabled: bool = True
    log_retention_days: RetentionDays = 365
    # Audit logs are usually kept for years (7 by default) before expiry.
    bucket_lifecycle: LifecycleTiers = LifecycleTiers(expire_after_days=2557)
    data_event_resource_types: list[str] = Field(default_factory=lambda: list(BEDROCK_DATA_EVENT_TYPES))
    # Write-once audit logs (S3 Object Lock on the trail bucket); see SECURITY.md before switching it on.
    object_lock: ObjectLockSettings = ObjectLockSettings()
    # CloudTrail Insights on the trail's management events (billed per event analysed, per type).
    insights: Items[InsightType] = ()

    @field_validator("data_event_resource_types")
    @classmethod
    def _known_data_event_types(cls, values: list[str]) -> list[str]:
        for value in values:
            if value not in BEDROCK_DATA_EVENT_TYPES:
                raise ValueError(
                    f"{value!r} is not a CloudTrail data event type for Bedrock; "
                    f"fix: use some of {', '.join(BEDROCK_DATA_EVENT_TYPES)}"
                )
        return unique(values, "data event type")

    @field_validator("insights")
    @classmethod
    def _unique_insights(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        return unique_insights(values)

    @model_validator(mode="after")
    def _trail_logs_kept_long_enough(self) -> AuditSettings:
        expiry, minimum = self.bucket_lifecycle.expire_after_days, PACK_MIN_CLOUDTRAIL_RETENTION_DAYS
        if self.enabled and expiry < minimum:
            raise ValueError(
                f"bucket_lifecycle.expire_after_days = {expiry} is shorter than {minimum} days for the trail's "
                f"logs; fix: set expire_after_days to at least {minimum} (the policy pack's "
                "cloudtrail-bucket-retention rule refuses shorter: minCloudTrailRetentionDays)"
            )
        return self

    @model_validator(mode="after")
    def _lock_ends_before_expiry(self) -> AuditSettings:
        lock, expiry = self.object_lock, self.bucket_lifecycle.expire_after_days
        if lock.enabled and lock.retention_days > expiry:
            raise ValueError(
                f"object_lock.retention_days = {lock.retention_days} is longer than "
                f"bucket_lifecycle.expire_after_days = {expiry}: locked log versions could not be deleted when "
                "they expire and would be kept (and billed) until the lock ends; fix: set retention_days to at "
                f"most {expiry}, or raise expire_after_days"
            )
        return self


class Settings(StrictModel):
    """Everything an account may override over the org-wide defaults."""

    invocation_logging: InvocationLoggingSettings = InvocationLoggingSettings()
    audit: AuditSettings = AuditSettings()
    monitoring: MonitoringSettings = MonitoringSettings()
    # Traffic assumptions of the cost estimate `obsctl plan` prints (inventory.cost).
    cost_assumptions: CostAssumptions = CostAssumptions()
    # The account-region's S3 server access log bucket (S3.9 / CloudTrail.7).
    access_logs: AccessLogSettings = AccessLogSettings()
    # Account-wide S3 Block Public Access (S3.1). Off by default: landing zones usually own this setting, and
    # two owners of one account-wide setting undo each other's changes.
    account_public_access_block: bool = False
    # Explicit opt-in to let Pulumi delete log buckets, log groups and keys (decommissioning an account).
    allow_data_deletion: bool = False
