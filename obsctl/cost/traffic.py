"""Traffic-driven parts: where the logged Bedrock traffic goes in the plan, and what it costs there.

The plan's own wiring decides the destinations: each invocation logging configuration names its log group
(and large-payload bucket) and its S3 bucket; each trail names its bucket and log group. The assumptions
(inventory.cost) give the volumes. Destinations are then priced with their own settings from the plan: a
log group's `retentionInDays`, a bucket's lifecycle rule and versioning, SSE-KMS with or without the
S3 Bucket Key, a topic's subscriptions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from inventory.cost import CostAssumptions
from obsctl.cost.model import DAYS_PER_MONTH, LineItem, Pricer, Resource, of_type

LOGGING_CONFIG = "aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration"
TRAIL = "aws:cloudtrail/trail:Trail"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
BUCKET = "aws:s3/bucket:Bucket"
LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
VERSIONING = "aws:s3/bucketVersioning:BucketVersioning"
ENCRYPTION = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
TOPIC = "aws:sns/topic:Topic"
SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription"
KB_PER_GB = 1024 * 1024
# CloudTrail delivers a log file about every 5 minutes per region with activity, and a digest file per
# hour per region when log file validation is on.
TRAIL_FILES_PER_REGION_DAY = 24 * 60 / 5
DIGESTS_PER_REGION_DAY = 24
# SNS notification price per protocol (email-json and sms as their kind; sqs/lambda/firehose: no charge).
SNS_DELIVERY_PRICES = {"email": "sns.email", "email-json": "sns.email", "https": "sns.http", "http": "sns.http"}
SNS_DELIVERY_PRICES["sms"] = "sns.sms"

Assume = Callable[[str], CostAssumptions]


@dataclass
class Flow:
    """What arrives at one destination per day."""

    gb: float = 0.0
    objects: float = 0.0
    # Objects encrypted by their writer with its own data key each (CloudTrail), not by the bucket's key.
    writer_keyed_objects: float = 0.0
    sources: set[str] = field(default_factory=set)


@dataclass
class Flows:
    log_groups: dict[tuple[str, str, str], Flow] = field(default_factory=lambda: defaultdict(Flow))
    buckets: dict[tuple[str, str], Flow] = field(default_factory=lambda: defaultdict(Flow))


def _invocation_logging(config: Resource, a: CostAssumptions, flows: Flows) -> None:
    logging = config.inputs.get("loggingConfig") or {}
    large = a.invocations_per_day * a.large_payload_share
    normal = a.invocations_per_day - large
    cloudwatch = logging.get("cloudwatchConfig")
    if cloudwatch:
        large_s3 = cloudwatch.get("largeDataDeliveryS3Config")
        # Without a large-data location a large record stays whole in CloudWatch Logs.
        large_kb = a.large_record_stub_kb if large_s3 else a.large_payload_kb
        group = flows.log_groups[(config.account, config.region, cloudwatch["logGroupName"])]
        group.gb += (normal * a.avg_payload_kb + large * large_kb) / KB_PER_GB
        group.sources.add("Bedrock invocation logs")
        if large_s3:
            bucket = flows.buckets[(config.account, large_s3["bucketName"])]
            bucket.gb += large * a.large_payload_kb / KB_PER_GB
            bucket.objects += large
            bucket.sources.add("Bedrock large payloads")
    s3 = logging.get("s3Config")
    if s3:
        bucket = flows.buckets[(config.account, s3["bucketName"])]
        bucket.gb += (normal * a.avg_payload_kb + large * a.large_payload_kb) * a.compression_ratio / KB_PER_GB
        bucket.objects += a.log_objects_per_day if a.invocations_per_day else 0
        bucket.sources.add("Bedrock invocation logs (gzip)")


def _categories(trail: Resource) -> set[str]:
    selectors = trail.inputs.get("advancedEventSelectors")
    if not selectors:
        basic = trail.inputs.get("eventSelectors") or [{}]
        management = any(s.get("includeManagementEvents", True) for s in basic)
        data = any(s.get("dataResources") for s in basic)
        return {"Management"} if management and not data else {"Management", "Data"} if management else {"Data"}
    return {
        value
        for selector in selectors
        for field_selector in selector.get("fieldSelectors") or []
        if field_selector.get("field") == "eventCategory"
        for value in field_selector.get("equals") or []
    }


@dataclass(frozen=True)
class TrailVolume:
    trail: Resource
    management_per_day: float
    data_per_day: float
    copy: int  # 0 for the account's first trail: its management events are free


def _trails(resources: list[Resource], assume: Assume, flows: Flows) -> list[TrailVolume]:
    volumes = []
    configs = of_type(resources, LOGGING_CONFIG)
    copies: dict[str, int] = defaultdict(int)
    for trail in of_type(resources, TRAIL):
        a = assume(trail.account)
        own = [c for c in configs if c.account == trail.account]
        # InvokeModel/Converse are management events; every region's events reach a multi-region trail.
        covered = own if trail.inputs.get("isMultiRegionTrail") else [c for c in own if c.region == trail.region]
        invocations = a.invocations_per_day * len(covered)
        categories = _categories(trail)
        management = (a.other_management_events_per_day + invocations) if "Management" in categories else 0
        data = invocations * a.data_events_per_invocation if "Data" in categories else 0
        volumes.append(TrailVolume(trail, management, data, copies[trail.account]))
        copies[trail.account] += 1
        events_gb = (management + data) * a.trail_event_kb / KB_PER_GB
        regions = max(1, len({c.region for c in covered}))
        group_arn = str(trail.inputs.get("cloudWatchLogsGroupArn") or "")
        if group_arn.startswith("arn:"):
            parts = group_arn.split(":")
            group = flows.log_groups[(trail.account, parts[3], parts[6])]
            group.gb += events_gb
            group.sources.add("CloudTrail events")
        bucket = flows.buckets[(trail.account, str(trail.inputs.get("s3BucketName")))]
        files = regions * (
            TRAIL_FILES_PER_REGION_DAY + (DIGESTS_PER_REGION_DAY if trail.inputs.get("enableLogFileValidation") else 0)
        )
        bucket.gb += events_gb * a.compression_ratio
        bucket.objects += files
        if trail.inputs.get("kmsKeyId"):
            bucket.writer_keyed_objects += files
        bucket.sources.add("CloudTrail log files (gzip)")
    return volumes


def flows_of(resources: list[Resource], assume: Assume) -> tuple[Flows, list[TrailVolume]]:
    """Every day's logged traffic at its destinations, and each trail's event volumes."""
    flows = Flows()
    for config in of_type(resources, LOGGING_CONFIG):
        _invocation_logging(config, assume(config.account), flows)
    return flows, _trails(resources, assume, flows)


def trail_items(volumes: list[TrailVolume], pricer: Pricer) -> Iterator[LineItem]:
    for v in volumes:
        place = (v.trail.account, v.trail.region)
        month = DAYS_PER_MONTH
        if v.management_per_day:
            key = "cloudtrail.management_event_first_copy" if v.copy == 0 else "cloudtrail.management_event"
            what = "management events (first trail: free)" if v.copy == 0 else "management events (additional trail)"
            yield pricer.item(*place, "cloudtrail", what, v.management_per_day * month, key)
        if v.data_per_day:
            yield pricer.item(
                *place, "cloudtrail", "Bedrock data events", v.data_per_day * month, "cloudtrail.data_event"
            )
