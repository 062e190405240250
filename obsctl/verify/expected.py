"""What must exist in one workload account-region, from the inventory and the program's own builders.

THE adapter between `obsctl verify` and the Pulumi program: every call into the program's builders is in
this module, so verify can never drift from what `pulumi up` creates. Names come from `vocabulary`; alarm,
dashboard, metric-filter, saved-query, topic-policy, subscription and budget specs, bucket policies,
lifecycle rules, encryption, Object Lock, access-log targets, insight selectors, the key policy and the data
protection policy from the builders the components render; the monitoring part is the façade
`RegionalMonitoring` itself builds from (`components.monitoring.specs.regional_specs(region_context(...))`).
Builders render Pulumi's snake_case inputs; `aws_shape` spells them as the AWS API returns them.
"""

from __future__ import annotations

from typing import Any

from components.account.component import has_trail, key_args
from components.alerting.specs import subscriptions, topic_policy
from components.audit import trail as audit_trail
from components.budget.specs import budget_spec
from components.invocation_logging import component as invocation_logging
from components.invocation_logging import data_protection
from components.monitoring.specs import RegionalSpecs, region_context, regional_specs
from components.storage import access_logs, log_bucket
from components.storage.kms import key_policy_statements
from components.storage.protection import DataProtection
from inventory.models import Organisation, WorkloadAccount
from inventory.retention import LifecycleTiers
from inventory.security import ObjectLockSettings
from obsctl.verify.shapes import (
    AccessLogging,
    Bucket,
    Dashboard,
    ExpectedRegion,
    LoggingConfig,
    LogGroup,
    MetricFilter,
    Monitoring,
    SavedQuery,
    Topic,
    Trail,
)
from vocabulary import arns, bucket_policies, iam, names, oam

# Keys AWS does not spell as the PascalCase of Pulumi's snake_case input.
_AWS_KEYS = {"id": "ID"}


def aws_shape(value: Any) -> Any:
    """A builder's Pulumi input (snake_case keys) as the AWS API returns it (PascalCase keys)."""
    if isinstance(value, dict):
        return {_AWS_KEYS.get(k) or k.title().replace("_", ""): aws_shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [aws_shape(v) for v in value]
    return value


def _bucket(
    name: str,
    role: str,
    tiers: LifecycleTiers,
    delivery: list[iam.Statement],
    access_logging: AccessLogging | None,
    object_lock: ObjectLockSettings | None = None,
) -> Bucket:
    kms = role != names.ACCESS_LOGS_ROLE  # LogBucketArgs: only the access-log bucket is SSE-S3
    encryption = log_bucket.encryption_rule("<the regional key>" if kms else None)
    return Bucket(
        name=name,
        role=role,
        sse_algorithm=encryption["apply_server_side_encryption_by_default"]["sse_algorithm"],
        bucket_key=encryption.get("bucket_key_enabled", False),
        lifecycle=tuple(aws_shape(log_bucket.lifecycle_rules(tiers))),
        minimum_object_size=log_bucket.TRANSITION_MINIMUM_OBJECT_SIZE,
        policy=tuple(log_bucket.policy_statements(name, kms, delivery)),
        tls_only=bucket_policies.deny_insecure_transport(name),
        kms_uploads_only=bucket_policies.deny_non_kms_uploads(name) if kms else None,
        access_logging=access_logging,
        object_lock=aws_shape(log_bucket.object_lock_rule(object_lock))
        if object_lock and object_lock.enabled
        else None,
    )


def _buckets(account: WorkloadAccount, region: str) -> tuple[Bucket, ...]:
    """Invocation bucket, (audit bucket), then the access-log bucket receiving both's access logs."""
    settings, account_id = account.settings, account.account_id
    target = names.access_log_bucket(account_id, region)
    logging = AccessLogging(target, names.ACCESS_LOG_PREFIX, aws_shape(access_logs.key_format()))
    buckets = [
        _bucket(
            names.invocation_bucket(account_id, region),
            names.INVOCATION_LOGS_ROLE,
            settings.invocation_logging.bucket_lifecycle,
            invocation_logging.bucket_delivery_statements(account_id, region),
            logging,
        )
    ]
    if has_trail(account, region):
        trail_arn = arns.trail_arn(region, account_id, names.TRAIL_NAME)
        buckets.append(
            _bucket(
                names.trail_bucket(account_id, region),
                names.AUDIT_TRAIL_ROLE,
                settings.audit.bucket_lifecycle,
                audit_trail.bucket_delivery_statements(account_id, region, trail_arn),
                logging,
                settings.audit.object_lock,
            )
        )
    sources = [bucket.name for bucket in buckets]
    delivery = access_logs.delivery_statements(account_id, region, sources)
    buckets.append(_bucket(target, names.ACCESS_LOGS_ROLE, settings.access_logs.bucket_lifecycle, delivery, None))
    return tuple(buckets)


def _log_groups(account: WorkloadAccount, region: str) -> tuple[LogGroup, ...]:
    settings = account.settings
    protected = not settings.allow_data_deletion
    logging = settings.invocation_logging
    groups = [LogGroup(names.INVOCATION_LOG_GROUP, logging.log_retention_days, protected)]
    findings = data_protection.findings_log_group(logging.data_protection)
    if findings:
        groups.append(LogGroup(findings, logging.data_protection.findings_retention_days, protected))
    if has_trail(account, region):
        groups.append(LogGroup(names.TRAIL_LOG_GROUP, settings.audit.log_retention_days, protected))
    return tuple(groups)


def _trail(account: WorkloadAccount, region: str) -> Trail | None:
    if not has_trail(account, region):
        return None
    selectors = audit_trail.insight_selectors(account.settings.audit.insights) or []
    return Trail(
        name=names.TRAIL_NAME,
        arn=arns.trail_arn(region, account.account_id, names.TRAIL_NAME),
        bucket=names.trail_bucket(account.account_id, region),
        log_group_arn=f"{arns.log_group_arn(region, account.account_id, names.TRAIL_LOG_GROUP)}:*",
        role_arn=arns.role_arn(account.account_id, names.trail_role()),
        insights=tuple(selector["insight_type"] for selector in selectors),
    )


def _data_protection(account: WorkloadAccount) -> dict[str, Any] | None:
    settings = account.settings.invocation_logging.data_protection
    if not settings.enabled:
        return None
    return data_protection.policy(settings.identifiers, data_protection.findings_log_group(settings))


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
            bucket=names.invocation_bucket(account.account_id, region),
            prefix=names.INVOCATION_LOG_PREFIX,
            large_data_prefix=names.LARGE_DATA_PREFIX,
            data_types={
                "textDataDeliveryEnabled": logging.text,
                "imageDataDeliveryEnabled": logging.image,
                "embeddingDataDeliveryEnabled": logging.embedding,
                "videoDataDeliveryEnabled": logging.video,
            },
        ),
        log_groups=_log_groups(account, region),
        buckets=_buckets(account, region),
        trail=_trail(account, region),
        topics=_topics(account, region, specs),
        monitoring=_monitoring(specs),
        budget=budget_spec(account.account_id, account.name, settings.monitoring.budget)
        if home and settings.monitoring.budget.enabled
        else None,
        key_policy=tuple(key_policy_statements(key_args(account, region, DataProtection()))),
        data_protection=_data_protection(account),
        account_public_access_block=home and settings.account_public_access_block,
    )
