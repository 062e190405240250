"""What must exist in one workload account-region, from the inventory and the program's own builders.

THE adapter between `obsctl verify` and the Pulumi program: every call into the program's builders is in
this module, so verify can never drift from what `pulumi up` creates. Names come from `vocabulary`, alarm,
dashboard, metric-filter, saved-query, topic-policy, subscription, budget and lifecycle specs from the
builders the components render; the monitoring part is the façade `RegionalMonitoring` itself builds
from (`components.monitoring.specs.regional_specs(region_context(account, region))`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from components.alerting.specs import SubscriptionSpec, subscriptions, topic_policy
from components.budget.specs import BudgetSpec, budget_spec
from components.cloudwatch.alarms import CompositeAlarmSpec, MetricAlarmSpec
from components.cloudwatch.logs import MetricFilterSpec
from components.monitoring.specs import RegionalSpecs, region_context, regional_specs
from components.storage.log_bucket import lifecycle_rules
from inventory.models import LifecycleTiers, Organisation, WorkloadAccount
from vocabulary import arns, names, oam
from vocabulary import iam as docs


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
class Bucket:
    name: str
    lifecycle: tuple[dict[str, Any], ...]  # S3 GetBucketLifecycleConfiguration rule shape
    deny_statements: tuple[docs.Statement, ...]  # statements every log bucket policy carries


@dataclass(frozen=True)
class Trail:
    name: str
    arn: str
    bucket: str
    log_group_arn: str  # the ':*' form CloudTrail stores
    role_arn: str


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

    @property
    def account_id(self) -> str:
        return self.account.account_id

    @property
    def alarm_prefix(self) -> str:
        return names.prefix(self.account.name, self.region)

    def topic_arn(self, tier: str) -> str:
        return next(topic.arn for topic in self.topics if topic.tier == tier)


def _s3_lifecycle(tiers: LifecycleTiers) -> tuple[dict[str, Any], ...]:
    """The program's lifecycle rules (components.log_bucket) in the shape S3 returns them."""
    return tuple(
        {
            "ID": rule["id"],
            "Status": rule["status"],
            "Filter": {"Prefix": rule["filter"]["prefix"]},
            "Transitions": [{"Days": t["days"], "StorageClass": t["storage_class"]} for t in rule["transitions"]],
            "Expiration": {"Days": rule["expiration"]["days"]},
            "NoncurrentVersionExpiration": {"NoncurrentDays": rule["noncurrent_version_expiration"]["noncurrent_days"]},
            "AbortIncompleteMultipartUpload": {
                "DaysAfterInitiation": rule["abort_incomplete_multipart_upload"]["days_after_initiation"]
            },
        }
        for rule in lifecycle_rules(tiers)
    )


def _bucket(name: str, tiers: LifecycleTiers) -> Bucket:
    return Bucket(name, _s3_lifecycle(tiers), (docs.deny_insecure_transport(name), docs.deny_non_kms_uploads(name)))


def _monitoring(specs: RegionalSpecs) -> Monitoring:
    return Monitoring(
        metric_alarms=specs.metric_alarms,
        composite_alarms=specs.composite_alarms,
        metric_filters=tuple(MetricFilter(f, f.log_group_name) for f in specs.metric_filters),
        dashboards=tuple(Dashboard(d.name, d.body_json) for d in specs.dashboards),
        saved_queries=tuple(SavedQuery(q.name, q.log_group_names[0]) for q in specs.saved_queries),
        topic_names=dict(specs.topic_names),
    )


def _topics(account: WorkloadAccount, region: str, specs: RegionalSpecs) -> tuple[Topic, ...]:
    topics = []
    for topic in specs.topics:
        arn = arns.sns_topic_arn(region, account.account_id, topic.name)
        policy = topic_policy(arn, account.account_id, region, allow_budgets=topic.allow_budgets)
        topics.append(Topic(topic.tier, topic.name, arn, policy, subscriptions(topic.targets)))
    return tuple(topics)


def expected_region(stack: str, org: Organisation, account: WorkloadAccount, region: str) -> ExpectedRegion:
    settings = account.settings
    home = region == account.home_region
    with_trail = home and settings.audit.enabled
    invocation_bucket = names.invocation_bucket(account.account_id, region)
    log_groups = [
        LogGroup(
            names.INVOCATION_LOG_GROUP, settings.invocation_logging.log_retention_days, not settings.allow_data_deletion
        )
    ]
    buckets = [_bucket(invocation_bucket, settings.invocation_logging.bucket_lifecycle)]
    trail = None
    if with_trail:
        log_groups.append(
            LogGroup(names.TRAIL_LOG_GROUP, settings.audit.log_retention_days, not settings.allow_data_deletion)
        )
        trail_bucket = names.trail_bucket(account.account_id, region)
        buckets.append(_bucket(trail_bucket, settings.audit.bucket_lifecycle))
        trail = Trail(
            name=names.TRAIL_NAME,
            arn=arns.trail_arn(region, account.account_id, names.TRAIL_NAME),
            bucket=trail_bucket,
            log_group_arn=f"{arns.log_group_arn(region, account.account_id, names.TRAIL_LOG_GROUP)}:*",
            role_arn=arns.role_arn(account.account_id, names.trail_role()),
        )
    logging = settings.invocation_logging
    specs = regional_specs(region_context(account, region))
    return ExpectedRegion(
        stack=stack,
        account=account,
        region=region,
        monitoring_account_id=org.monitoring_account.account_id,
        shared_resource_types=oam.shared_resource_types(org.monitoring_account.settings.share_log_groups),
        key_alias=names.KEY_ALIAS,
        logging=LoggingConfig(
            log_group=names.INVOCATION_LOG_GROUP,
            role_arn=arns.role_arn(account.account_id, names.invocation_role(region)),
            bucket=invocation_bucket,
            prefix=names.INVOCATION_LOG_PREFIX,
            large_data_prefix=names.LARGE_DATA_PREFIX,
            data_types={
                "textDataDeliveryEnabled": logging.text,
                "imageDataDeliveryEnabled": logging.image,
                "embeddingDataDeliveryEnabled": logging.embedding,
                "videoDataDeliveryEnabled": logging.video,
            },
        ),
        log_groups=tuple(log_groups),
        buckets=tuple(buckets),
        trail=trail,
        topics=_topics(account, region, specs),
        monitoring=_monitoring(specs),
        budget=budget_spec(account.account_id, account.name, settings.monitoring.budget)
        if home and settings.monitoring.budget.enabled
        else None,
    )
