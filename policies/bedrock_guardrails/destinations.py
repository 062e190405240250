"""Log destinations: invocation logging and the trail deliver only to buckets and log groups this stack
creates - the ones the other rules check (encryption, retention, public access block, TLS-only policy).

A destination is matched by its name (a log group by region and name: names repeat across regions) or,
when the name is unknown at preview, by the engine's property dependency on a bucket or log group.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import ReportViolation, StackValidationArgs, StackValidationPolicy

from bedrock_guardrails._aws import BUCKET, INVOCATION_LOGGING, LOG_GROUP, TRAIL, log_group_name_from_arn
from bedrock_guardrails._util import (
    HIGH,
    MANDATORY,
    Unknown,
    by_name,
    first,
    label,
    maybe_unknown,
    raise_first_unknown,
    region_of,
    resources_of,
)

# (argument shown in messages, path under loggingConfig, destination type)
_LOGGING_DESTINATIONS = (
    ("logging_config.s3_config.bucket_name", ("s3Config", "bucketName"), BUCKET),
    (
        "logging_config.cloudwatch_config.large_data_delivery_s3_config.bucket_name",
        ("cloudwatchConfig", "largeDataDeliveryS3Config", "bucketName"),
        BUCKET,
    ),
    ("logging_config.cloudwatch_config.log_group_name", ("cloudwatchConfig", "logGroupName"), LOG_GROUP),
)


class _Stores:
    """The stack's buckets (by name) and log groups (by region and name)."""

    def __init__(self, resources: list[Any]) -> None:
        self.buckets = by_name(resources_of(resources, BUCKET), "bucket")
        self.log_groups: dict[tuple[str, str], Any] = {}
        for group in resources_of(resources, LOG_GROUP):
            name, region = maybe_unknown(group.props, "name"), region_of(group)
            if isinstance(name, str) and isinstance(region, str):
                self.log_groups[(region, name)] = group

    def find(self, kind: str, region: Any, name: str) -> Any:
        return self.buckets.get(name) if kind == BUCKET else self.log_groups.get((region, name))


def _dig(value: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        value = first(value)
        if not isinstance(value, Mapping):
            return value if isinstance(value, Unknown) else None
        value = maybe_unknown(value, key)
    return value


def _depends_on(resource: Any, prop: str, kind: str) -> bool:
    return any(d.resource_type == kind for d in resource.property_dependencies.get(prop, []))


def _check(
    source: Any,
    arg: str,
    prop: str,
    value: Any,
    kind: str,
    stores: _Stores,
    report: ReportViolation,
    same_region: bool = True,
) -> None:
    """Report `value` (a name for `kind`) unless the stack manages it (in the source's region if required)."""
    if value is None:
        return  # no destination configured: the destination rules report that
    if isinstance(value, Unknown):
        if not _depends_on(source, prop, kind):
            raise_first_unknown([value])
        return
    region = region_of(source)
    raise_first_unknown([region])
    what = "bucket" if kind == BUCKET else "log group"
    target = stores.find(kind, region, value) if isinstance(value, str) else None
    who = label(source.resource_type, source.name)
    if target is None:
        report(
            f"{who} delivers to {what} {value!r} ({arg}), which this stack does not create, so its "
            f"encryption, retention and access are unchecked; fix: deliver to the {what} this stack creates "
            f"for the region (pass the {what} resource's name output).",
            source.urn,
        )
    elif same_region and region_of(target) != region and not isinstance(region_of(target), Unknown):
        report(
            f"{who} in {region} delivers to {what} {value!r} in {region_of(target)} ({arg}); AWS requires the "
            f"destination in the same region; fix: use the {what} of {region}.",
            source.urn,
        )


def _check_logging(logging: Any, stores: _Stores, report: ReportViolation) -> None:
    config = maybe_unknown(logging.props, "loggingConfig")
    for arg, path, kind in _LOGGING_DESTINATIONS:
        _check(logging, arg, "loggingConfig", _dig(config, path), kind, stores, report)


def _check_trail(trail: Any, stores: _Stores, report: ReportViolation) -> None:
    bucket = maybe_unknown(trail.props, "s3BucketName")
    # A trail may deliver to a bucket in another region (multi-region trails deliver to one bucket).
    _check(trail, "s3_bucket_name", "s3BucketName", bucket, BUCKET, stores, report, same_region=False)
    arn = maybe_unknown(trail.props, "cloudWatchLogsGroupArn")
    if not isinstance(arn, str):
        _check(trail, "cloud_watch_logs_group_arn", "cloudWatchLogsGroupArn", arn, LOG_GROUP, stores, report)
        return
    parsed = log_group_name_from_arn(arn)
    if parsed is None:
        report(
            f"{label(trail.resource_type, trail.name)} has cloud_watch_logs_group_arn={arn!r}, which is not a "
            "log group ARN; fix: pass the log group's arn output with ':*' appended.",
            trail.urn,
        )
    elif stores.find(LOG_GROUP, *parsed) is None:
        region, name = parsed
        report(
            f"{label(trail.resource_type, trail.name)} streams to log group {name!r} in {region}, which this "
            "stack does not create, so its encryption and retention are unchecked; fix: stream to the trail "
            "log group this stack creates.",
            trail.urn,
        )


def validate_destinations(args: StackValidationArgs, report: ReportViolation) -> None:
    loggings = resources_of(args.resources, INVOCATION_LOGGING)
    trails = resources_of(args.resources, TRAIL)
    if not loggings and not trails:
        args.not_applicable("The stack configures neither invocation logging nor a trail.")
    stores = _Stores(args.resources)
    for logging in loggings:
        _check_logging(logging, stores, report)
    for trail in trails:
        _check_trail(trail, stores, report)


log_destinations_managed = StackValidationPolicy(
    name="log-destinations-managed",
    description="Invocation logging and trails deliver only to buckets and log groups this stack creates, in "
    "the same region.",
    validate=validate_destinations,
    enforcement_level=MANDATORY,
    severity=HIGH,
    tags=["stack", "audit"],
    remediation_steps="Point the destination at the bucket / log group the stack's components create.",
)

POLICIES = [log_destinations_managed]
