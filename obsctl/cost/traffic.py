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
from vocabulary import arns

LOGGING_CONFIG = "aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration"
TRAIL = "aws:cloudtrail/trail:Trail"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
BUCKET = "aws:s3/bucket:Bucket"
LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
VERSIONING = "aws:s3/bucketVersioning:BucketVersioning"
ENCRYPTION = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
TOPIC = "aws:sns/topic:Topic"
SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription"
BUCKET_LOGGING = "aws:s3/bucketLogging:BucketLogging"
DATA_PROTECTION = "aws:cloudwatch/logDataProtectionPolicy:LogDataProtectionPolicy"
# S3 server access logs: one record (a log line of ~0.5 KB) per request to the source bucket - here one per
# object written; reads by people and lifecycle actions add more. S3 batches records into log files: assumed
# one file per source bucket and hour.
ACCESS_LOG_RECORD_KB = 0.5
ACCESS_LOG_FILES_PER_SOURCE_DAY = 24
KB_PER_GB = 1024 * 1024
# CloudTrail delivers a log file about every 5 minutes per region with activity, and a digest file per
# hour per region when log file validation is on.
TRAIL_FILES_PER_REGION_DAY = 24 * 60 / 5
DIGESTS_PER_REGION_DAY = 24
# SNS notification price per protocol (sqs, lambda, firehose: no delivery charge).
SNS_DELIVERY_PRICES = {
    "email": "sns.email",
    "email-json": "sns.email",
    "https": "sns.http",
    "http": "sns.http",
    "sms": "sns.sms",
}

Assume = Callable[[str], CostAssumptions]


@dataclass(frozen=True)
class Stream:
    """One kind of data arriving at a destination every day."""

    source: str
    gb: float
    objects: float = 0.0
    # Encrypted by its writer with a data key per object (CloudTrail), not by the bucket's default key.
    writer_keyed: bool = False

    @property
    def object_kb(self) -> float:
        return self.gb * KB_PER_GB / self.objects if self.objects else 0.0


@dataclass
class Flow:
    """What arrives at one destination per day."""

    streams: list[Stream] = field(default_factory=list)

    def add(self, stream: Stream) -> None:
        self.streams.append(stream)

    @property
    def gb(self) -> float:
        return sum(s.gb for s in self.streams)

    @property
    def objects(self) -> float:
        return sum(s.objects for s in self.streams)

    @property
    def writer_keyed_objects(self) -> float:
        return sum(s.objects for s in self.streams if s.writer_keyed)

    @property
    def sources(self) -> list[str]:
        return sorted({s.source for s in self.streams})


@dataclass
class Flows:
    log_groups: dict[tuple[str, str, str], Flow] = field(default_factory=lambda: defaultdict(Flow))
    buckets: dict[tuple[str, str], Flow] = field(default_factory=lambda: defaultdict(Flow))
    # Traffic whose destination the plan does not tell (e.g. an ARN unknown at preview): not priced, and said.
    not_priced: list[str] = field(default_factory=list)


def log_group_of(value: object) -> tuple[str, str, str] | None:
    """(account, region, name) of a log group ARN (`arns.log_group_arn`, with or without CloudTrail's ':*'
    suffix), or None for anything else (an unknown or computed value, another partition or resource)."""
    if not isinstance(value, str):
        return None
    parts = value.removesuffix(":*").split(":", 6)
    if len(parts) != 7 or not parts[6]:
        return None
    region, account, name = parts[3], parts[4], parts[6]
    if value.removesuffix(":*") != arns.log_group_arn(region, account, name):
        return None
    return account, region, name


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
        group.add(Stream("Bedrock invocation logs", (normal * a.avg_payload_kb + large * large_kb) / KB_PER_GB))
        if large_s3:
            payloads = Stream("Bedrock large payloads", large * a.large_payload_kb / KB_PER_GB, large)
            flows.buckets[(config.account, large_s3["bucketName"])].add(payloads)
    s3 = logging.get("s3Config")
    if s3 and a.invocations_per_day:
        gb = (normal * a.avg_payload_kb + large * a.large_payload_kb) * a.compression_ratio / KB_PER_GB
        logs = Stream("Bedrock invocation log files (gzip)", gb, a.log_objects_per_day)
        flows.buckets[(config.account, s3["bucketName"])].add(logs)


def _categories(trail: Resource) -> set[str]:
    """The event categories a trail logs ("Management", "Data"); a trail without selectors logs management."""
    selectors = trail.inputs.get("advancedEventSelectors")
    if not selectors:
        basic = trail.inputs.get("eventSelectors") or [{}]
        categories = set()
        if any(s.get("includeManagementEvents", True) for s in basic):
            categories.add("Management")
        if any(s.get("dataResources") for s in basic):
            categories.add("Data")
        return categories
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
        _trail_log_group(trail, Stream("CloudTrail events", events_gb), flows)
        digests = DIGESTS_PER_REGION_DAY if trail.inputs.get("enableLogFileValidation") else 0
        files = Stream(
            "CloudTrail log files (gzip)",
            events_gb * a.compression_ratio,
            regions * (TRAIL_FILES_PER_REGION_DAY + digests),
            writer_keyed=bool(trail.inputs.get("kmsKeyId")),
        )
        flows.buckets[(trail.account, str(trail.inputs.get("s3BucketName")))].add(files)
    return volumes


def _trail_log_group(trail: Resource, events: Stream, flows: Flows) -> None:
    """The trail's events at its log group, if it has one; a log group the plan does not name (unknown at
    preview) is listed as not priced, never priced at 0."""
    value = trail.inputs.get("cloudWatchLogsGroupArn")
    if not value:
        return
    group = log_group_of(value)
    if group is None:
        flows.not_priced.append(
            f"trail {trail.name} ({trail.account} {trail.region}): CloudTrail events to its log group, "
            f"{events.gb * DAYS_PER_MONTH:,.2f} GB/month (ingestion and storage): cloudWatchLogsGroupArn "
            f"{value!r} is not a log group ARN (unknown at preview?)"
        )
        return
    _, region, name = group
    flows.log_groups[(trail.account, region, name)].add(events)


def _access_logs(resources: list[Resource], flows: Flows) -> None:
    """The S3 server access logs of each logged bucket, at its target (after the buckets' own flows)."""
    for logging in of_type(resources, BUCKET_LOGGING):
        source = flows.buckets.get((logging.account, str(logging.inputs.get("bucket"))))
        if source is None or not source.objects:
            continue
        records = Stream(
            f"S3 access logs of {logging.inputs.get('bucket')}",
            source.objects * ACCESS_LOG_RECORD_KB / KB_PER_GB,
            ACCESS_LOG_FILES_PER_SOURCE_DAY,
        )
        flows.buckets[(logging.account, str(logging.inputs.get("targetBucket")))].add(records)


def flows_of(resources: list[Resource], assume: Assume) -> tuple[Flows, list[TrailVolume]]:
    """Every day's logged traffic at its destinations, and each trail's event volumes."""
    flows = Flows()
    for config in of_type(resources, LOGGING_CONFIG):
        _invocation_logging(config, assume(config.account), flows)
    volumes = _trails(resources, assume, flows)
    _access_logs(resources, flows)
    return flows, volumes


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
        for selector in v.trail.inputs.get("insightSelectors") or []:
            # Upper bound: ApiCallRateInsight analyses write management events only.
            kind = selector.get("insightType")
            what = f"Insights {kind} (management events analysed)"
            yield pricer.item(*place, "cloudtrail", what, v.management_per_day * month, "cloudtrail.insights_event")
