"""The shapes of what must exist in one workload account-region, as `obsctl verify` compares them with what
it reads (filled by `obsctl.verify.expected` from the program's own builders)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from components.alerting.specs import SubscriptionSpec
from components.budget.specs import BudgetSpec
from components.cloudwatch.alarms import CompositeAlarmSpec, MetricAlarmSpec
from components.cloudwatch.logs import MetricFilterSpec
from inventory.models import WorkloadAccount
from vocabulary import arns, iam, names


@dataclass(frozen=True)
class LoggingConfig:
    log_group: str
    role_arn: str
    bucket: str
    prefix: str
    large_data_prefix: str
    data_types: dict[str, bool]  # API field -> enabled


@dataclass(frozen=True)
class LogGroup:
    name: str
    retention_days: int
    deletion_protected: bool


@dataclass(frozen=True)
class AccessLogging:
    """Where a bucket's S3 server access logs go (GetBucketLogging's `LoggingEnabled`)."""

    target_bucket: str
    prefix: str
    key_format: dict[str, Any]  # TargetObjectKeyFormat


@dataclass(frozen=True)
class Bucket:
    name: str
    role: str  # one of names.BUCKET_ROLES, in the names.BUCKET_ROLE_TAG tag
    sse_algorithm: str  # default encryption: "aws:kms" with the regional key, or "AES256" (access-log bucket)
    bucket_key: bool
    lifecycle: tuple[dict[str, Any], ...]  # S3 GetBucketLifecycleConfiguration rule shape
    minimum_object_size: str  # TransitionDefaultMinimumObjectSize
    policy: tuple[iam.Statement, ...]  # the whole bucket policy, as the program writes it
    tls_only: iam.Statement
    kms_uploads_only: iam.Statement | None  # SSE-KMS buckets only
    access_logging: AccessLogging | None  # None: the bucket has no access logging of its own
    object_lock: dict[str, Any] | None  # ObjectLockConfiguration's `Rule`, when Object Lock is on

    @property
    def delivery(self) -> tuple[iam.Statement, ...]:
        """The policy's statements other than the two denies: what the delivering service may write."""
        return tuple(s for s in self.policy if s not in (self.tls_only, self.kms_uploads_only))


@dataclass(frozen=True)
class Trail:
    name: str
    arn: str
    bucket: str
    log_group_arn: str  # the ':*' form CloudTrail stores
    role_arn: str
    insights: tuple[str, ...]  # CloudTrail Insights types; empty: Insights off


@dataclass(frozen=True)
class Topic:
    tier: str
    name: str
    arn: str
    policy: dict[str, Any]
    subscriptions: tuple[SubscriptionSpec, ...]


@dataclass(frozen=True)
class Dashboard:
    name: str
    body: str


@dataclass(frozen=True)
class MetricFilter:
    spec: MetricFilterSpec
    log_group: str


@dataclass(frozen=True)
class SavedQuery:
    name: str
    log_group: str


@dataclass(frozen=True)
class Monitoring:
    """What the monitoring façade's `regional_specs(ctx)` returns."""

    metric_alarms: tuple[MetricAlarmSpec, ...]
    composite_alarms: tuple[CompositeAlarmSpec, ...]
    metric_filters: tuple[MetricFilter, ...]
    dashboards: tuple[Dashboard, ...]
    saved_queries: tuple[SavedQuery, ...]
    topic_names: dict[str, str]  # tier -> topic name


@dataclass(frozen=True)
class ExpectedRegion:
    stack: str
    account: WorkloadAccount
    region: str
    monitoring_account_id: str
    shared_resource_types: tuple[str, ...]
    key_alias: str
    logging: LoggingConfig
    log_groups: tuple[LogGroup, ...]
    buckets: tuple[Bucket, ...]
    trail: Trail | None
    topics: tuple[Topic, ...]
    monitoring: Monitoring
    budget: BudgetSpec | None  # account-wide: carried by the home region only
    key_policy: tuple[iam.Statement, ...]  # AWS Budgets may use the key in the home region only
    data_protection: dict[str, Any] | None  # the invocation log group's policy document, when enabled
    account_public_access_block: bool  # account-wide: carried by the home region only

    @property
    def account_id(self) -> str:
        return self.account.account_id

    @property
    def alarm_prefix(self) -> str:
        return names.prefix(self.account.name, self.region)

    @property
    def key_alias_arn(self) -> str:
        """The regional key's alias with its region and account (the alias name is the same everywhere)."""
        return arns.kms_alias_arn(self.region, self.account_id, self.key_alias)

    @property
    def sink_arns(self) -> str:
        """The monitoring account's OAM sinks in the region (AWS generates a sink's id)."""
        return arns.sink_arn(self.region, self.monitoring_account_id, "*")

    def topic_arn(self, tier: str) -> str:
        return next(topic.arn for topic in self.topics if topic.tier == tier)
