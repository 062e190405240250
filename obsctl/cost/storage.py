"""Price the traffic at its destinations: log groups, buckets, KMS requests, alert notifications."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator

from obsctl.cost.lifecycle import UNBOUNDED_DAYS, from_inputs
from obsctl.cost.model import DAYS_PER_MONTH, LineItem, Pricer, Resource, of_type
from obsctl.cost.traffic import (
    BUCKET,
    DATA_PROTECTION,
    ENCRYPTION,
    LIFECYCLE,
    LOG_GROUP,
    SNS_DELIVERY_PRICES,
    SUBSCRIPTION,
    TOPIC,
    VERSIONING,
    Assume,
    Flows,
)


def log_group_items(resources: list[Resource], flows: Flows, assume: Assume, pricer: Pricer) -> Iterator[LineItem]:
    protected = {(p.account, p.region, str(p.inputs.get("logGroupName"))) for p in of_type(resources, DATA_PROTECTION)}
    for group in of_type(resources, LOG_GROUP):
        flow = flows.log_groups.get((group.account, group.region, str(group.inputs.get("name"))))
        if flow is None or not flow.gb:
            continue
        place = (group.account, group.region)
        what = f"{group.inputs.get('name')}: {', '.join(flow.sources)}"
        yield pricer.item(*place, "logs ingestion", what, flow.gb * DAYS_PER_MONTH, "cloudwatch.logs_ingestion")
        if (*place, str(group.inputs.get("name"))) in protected:
            what = f"{group.inputs.get('name')}: data protection (audit and mask) of every GB ingested"
            yield pricer.item(
                *place, "logs ingestion", what, flow.gb * DAYS_PER_MONTH, "cloudwatch.logs_data_protection"
            )
        retention = int(group.inputs.get("retentionInDays") or 0)
        kept = f"{retention} days retention" if retention else f"never expires: first {UNBOUNDED_DAYS} days shown"
        stored = flow.gb * (retention or UNBOUNDED_DAYS) * assume(group.account).compression_ratio
        what = f"{group.inputs.get('name')}: {kept}, compressed"
        yield pricer.item(*place, "logs storage", what, stored, "cloudwatch.logs_storage")


def bucket_items(resources: list[Resource], flows: Flows, pricer: Pricer) -> Iterator[LineItem]:
    lifecycles = {r.inputs.get("bucket"): r.inputs for r in of_type(resources, LIFECYCLE)}
    versioned = {
        r.inputs.get("bucket")
        for r in of_type(resources, VERSIONING)
        if (r.inputs.get("versioningConfiguration") or {}).get("status") == "Enabled"
    }
    for bucket in of_type(resources, BUCKET):
        name = str(bucket.inputs.get("bucket"))
        flow = flows.buckets.get((bucket.account, name))
        if flow is None or not (flow.gb or flow.objects):
            continue
        place = (bucket.account, bucket.region)
        lifecycle = from_inputs(lifecycles.get(name), name in versioned)
        horizon = "steady state" if lifecycle.bounded else f"no expiry: first {UNBOUNDED_DAYS} days shown"
        for stream in flow.streams:
            size = f"{stream.object_kb:,.0f} KB objects" if stream.objects else "no objects"
            for tier in lifecycle.tiers(stream.object_kb if stream.objects else math.inf):
                minimum = pricer.allowance(f"s3.minimum_days.{tier.storage_class}")
                billed_days = max(tier.days, minimum)
                what = f"{name}: {stream.source} ({size}), {tier.storage_class} {tier.days:g} days ({horizon})"
                if billed_days > tier.days:
                    what += f", billed {minimum:g} days minimum"
                key = f"s3.storage.{tier.storage_class}"
                yield pricer.item(*place, "s3 storage", what, stream.gb * billed_days, key)
                if tier.entered_by_transition:
                    what = f"{name}: {stream.source}, lifecycle transitions to {tier.storage_class}"
                    key = f"s3.transition.{tier.storage_class}"
                    yield pricer.item(*place, "s3 requests", what, stream.objects * DAYS_PER_MONTH, key)
        what = f"{name}: PUT ({', '.join(flow.sources)})"
        yield pricer.item(*place, "s3 requests", what, flow.objects * DAYS_PER_MONTH, "s3.put_request")


def _topic_subscriptions(resources: list[Resource]) -> dict[str, list[Resource]]:
    """Subscriptions by topic name (a subscription names its topic by ARN)."""
    by_topic: dict[str, list[Resource]] = defaultdict(list)
    for subscription in of_type(resources, SUBSCRIPTION):
        topic = str(subscription.inputs.get("topic", ""))
        by_topic[f"{subscription.account}:{subscription.region}:{topic.rsplit(':', 1)[-1]}"].append(subscription)
    return by_topic


def sns_items(resources: list[Resource], assume: Assume, pricer: Pricer) -> Iterator[LineItem]:
    subscriptions = _topic_subscriptions(resources)
    deliveries: dict[tuple[str, str, str], float] = defaultdict(float)
    for topic in of_type(resources, TOPIC):
        notifications = assume(topic.account).notifications_per_topic_per_month
        for subscription in subscriptions.get(f"{topic.account}:{topic.region}:{topic.inputs.get('name')}", []):
            protocol = str(subscription.inputs.get("protocol", ""))
            deliveries[(topic.account, topic.region, protocol)] += notifications
    for (account, region, protocol), count in sorted(deliveries.items()):
        key = SNS_DELIVERY_PRICES.get(protocol)
        if key:
            yield pricer.item(account, region, "sns", f"alert notifications by {protocol}", count, key)


def _sse_kms(encryption_inputs: dict) -> bool | None:
    """None: the bucket's default encryption is not SSE-KMS; else whether the S3 Bucket Key is on."""
    for rule in encryption_inputs.get("rules") or []:
        if (rule.get("applyServerSideEncryptionByDefault") or {}).get("sseAlgorithm") == "aws:kms":
            return bool(rule.get("bucketKeyEnabled"))
    return None


def kms_request_items(resources: list[Resource], flows: Flows, assume: Assume, pricer: Pricer) -> Iterator[LineItem]:
    """Requests to the regional keys: S3 objects, encrypted log groups and topics (all approximations)."""
    per_day: dict[tuple[str, str], float] = defaultdict(float)
    sse_kms = {r.inputs.get("bucket"): _sse_kms(r.inputs) for r in of_type(resources, ENCRYPTION)}
    for bucket in of_type(resources, BUCKET):
        name = bucket.inputs.get("bucket")
        flow = flows.buckets.get((bucket.account, str(name)))
        if flow is None:
            continue
        # CloudTrail encrypts each log file with its own data key, whatever the bucket's default encryption.
        requests = flow.writer_keyed_objects
        if sse_kms.get(name) is not None:
            share = pricer.allowance("s3.bucket_key_kms_request_share") if sse_kms[name] else 1
            requests += (flow.objects - flow.writer_keyed_objects) * share
        per_day[(bucket.account, bucket.region)] += requests
    for group in of_type(resources, LOG_GROUP):
        flow = flows.log_groups.get((group.account, group.region, str(group.inputs.get("name"))))
        if flow is not None and flow.gb and group.inputs.get("kmsKeyId"):
            per_day[(group.account, group.region)] += pricer.allowance("logs.kms_requests_per_log_group_day")
    for topic in of_type(resources, TOPIC):
        if topic.inputs.get("kmsMasterKeyId"):
            per_day[(topic.account, topic.region)] += (
                assume(topic.account).notifications_per_topic_per_month / DAYS_PER_MONTH
            )
    for (account, region), requests in sorted(per_day.items()):
        what = "KMS requests (S3 objects, encrypted log groups and topics)"
        yield pricer.item(account, region, "kms", what, requests * DAYS_PER_MONTH, "kms.request")
