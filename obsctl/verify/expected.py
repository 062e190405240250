"""What must exist in one workload account-region, from the inventory and the program's own builders.

THE adapter between `obsctl verify` and the Pulumi program: every call into the program's builders is in
this module, so verify can never drift from what `pulumi up` creates. Names come from `vocabulary`, alarm,
dashboard, metric-filter, saved-query, topic-policy, subscription, budget and lifecycle specs from the
builders the components render. `_monitoring` mirrors `RegionalMonitoring` until the monitoring façade
(`components.monitoring.specs.region_context` + `regional_specs`) lands; then it becomes two calls.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from components.log_bucket import lifecycle_rules
from components.monitoring import queries, security
from components.monitoring.alarms import AlarmContext, CompositeAlarmSpec, MetricAlarmSpec, all_model_alarms
from components.monitoring.alerting import SubscriptionSpec, subscriptions, topic_policy
from components.monitoring.budget import BudgetSpec, budget_spec
from components.monitoring.dashboards import DashboardContext, build_dashboards
from components.monitoring.queries import TrailLocation
from components.monitoring.security import MetricFilterSpec
from inventory.models import LifecycleTiers, Organisation, WorkloadAccount
from vocabulary import arns, names, oam
from vocabulary import iam as docs

TIERS = ("warning", "critical")


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


def _monitoring(account: WorkloadAccount, region: str) -> Monitoring:
    """Mirror of `RegionalMonitoring`'s use of the builders (to become `regional_specs(region_context(...))`)."""
    settings = account.settings.monitoring
    models = tuple(account.models_in(region))
    trail = TrailLocation(account.home_region, names.TRAIL_LOG_GROUP) if account.settings.audit.enabled else None
    ctx = AlarmContext(account_name=account.name, region=region, settings=settings, trail=trail)
    metric_specs, composite_specs = all_model_alarms(account.name, region, models, settings, trail=trail)
    security_specs = [security.delivery_failure_alarm(ctx)]
    trail_here = trail.log_group_in(region) if trail else None
    filters: list[MetricFilterSpec] = []
    if trail_here and settings.security.enabled:
        pairs = security.security_alarms(ctx)
        filters = [metric_filter for metric_filter, _ in pairs]
        security_specs += [alarm for _, alarm in pairs]
    dashboards: tuple[Dashboard, ...] = ()
    if settings.dashboards.enabled:
        model_alarm_arns: dict[str, tuple[str, ...]] = {model: () for model in models}
        for spec in [*metric_specs, *composite_specs]:
            assert spec.model_id is not None
            model_alarm_arns[spec.model_id] += (arns.alarm_arn(region, account.account_id, spec.name),)
        dashboard_ctx = DashboardContext(
            account_id=account.account_id,
            account_name=account.name,
            environment=account.environment,
            region=region,
            models=models,
            settings=settings,
            invocation_log_group_name=names.INVOCATION_LOG_GROUP,
            trail=trail,
            model_alarm_arns=model_alarm_arns,
            security_alarm_arns=tuple(arns.alarm_arn(region, account.account_id, s.name) for s in security_specs),
            security_metric_namespace=settings.security.metric_namespace if filters else None,
            security_metric_names=tuple(f.metric_name for f in filters),
        )
        dashboards = tuple(Dashboard(d.name, d.to_json()) for d in build_dashboards(dashboard_ctx))
    saved = [
        SavedQuery(names.saved_query_name(account.name, q.title), names.INVOCATION_LOG_GROUP)
        for q in queries.invocation_log_queries(settings.dashboards.top_identities)
    ]
    if trail_here:
        saved += [
            SavedQuery(names.saved_query_name(account.name, q.title), trail_here) for q in queries.trail_queries()
        ]
    return Monitoring(
        metric_alarms=(*metric_specs, *security_specs),
        composite_alarms=tuple(composite_specs),
        metric_filters=tuple(MetricFilter(f, names.TRAIL_LOG_GROUP) for f in filters),
        dashboards=dashboards,
        saved_queries=tuple(saved),
        topic_names={tier: names.topic_name(account.name, region, tier) for tier in TIERS},
    )


def _topics(account: WorkloadAccount, region: str, topic_names: dict[str, str]) -> tuple[Topic, ...]:
    targets = account.settings.monitoring.notifications
    topics = []
    for tier, name in topic_names.items():
        arn = arns.sns_topic_arn(region, account.account_id, name)
        policy = topic_policy(arn, account.account_id, region, allow_budgets=tier == "critical")
        topics.append(Topic(tier, name, arn, policy, subscriptions(getattr(targets, tier))))
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
    monitoring = _monitoring(account, region)
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
        topics=_topics(account, region, monitoring.topic_names),
        monitoring=monitoring,
        budget=budget_spec(account.account_id, account.name, settings.monitoring.budget)
        if home and settings.monitoring.budget.enabled
        else None,
    )
