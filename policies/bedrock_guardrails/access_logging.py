"""S3 server access logging: every log bucket records who reads and writes it (Security Hub S3.9, and
CloudTrail.7 for the trail's bucket), into an access-log bucket of the same account and region.

The access-log bucket itself is the one exception (S3 would otherwise log its own log deliveries, and
Security Hub says to suppress S3.9 for the target). The exception is explicit and verified: the bucket must
carry `bedrock-observability:bucket-role=access-logs` *and* be the target of another bucket's logging, so
tagging any bucket `access-logs` does not excuse it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import ReportViolation, StackValidationArgs, StackValidationPolicy

from bedrock_guardrails._aws import BUCKET_OBJECT_LOCK
from bedrock_guardrails._buckets import ACCESS_LOGS, ROLE_TAG, AccessLogging, Buckets, bucket_role
from bedrock_guardrails._controls import control
from bedrock_guardrails._util import (
    HIGH,
    MANDATORY,
    as_list,
    block,
    label,
    maybe_unknown,
    raise_first_unknown,
    region_of,
    resources_of,
)

_FIX_LOGGING = (
    "fix: add an aws.s3.BucketLogging with bucket=<the bucket>.id and target_bucket=<the account-region's "
    f"access-log bucket, tagged {ROLE_TAG}={ACCESS_LOGS}>"
)


def _check_target(logging: Any, source: Any, target: Any, locked: set[str], report: ReportViolation) -> None:
    who = label(logging.resource_type, logging.name)
    if target.urn == source.urn:
        report(
            f"{who} makes {label(source.resource_type, source.name)} log its own access, so every log delivery "
            "is logged again, without end; fix: deliver to the account-region's access-log bucket.",
            logging.urn,
        )
        return
    if bucket_role(target) != ACCESS_LOGS:
        report(
            f"{who} delivers to {label(target.resource_type, target.name)}, which is not tagged "
            f"{ROLE_TAG}={ACCESS_LOGS} (a KMS log bucket would refuse the deliveries, and a data bucket would "
            "mix access records with logs); fix: deliver to the account-region's access-log bucket.",
            logging.urn,
        )
    source_region, target_region = region_of(source), region_of(target)
    raise_first_unknown([source_region, target_region])
    if source_region != target_region:
        report(
            f"{who} delivers the access logs of a bucket in {source_region} to a bucket in {target_region}; S3 "
            f"delivers only within a region; fix: deliver to the access-log bucket of {source_region}.",
            logging.urn,
        )
    if target.urn in locked:
        report(
            f"{who} delivers to {label(target.resource_type, target.name)}, which has S3 Object Lock: S3 does not "
            "deliver access logs to Object Lock buckets; fix: remove its Object Lock configuration.",
            logging.urn,
        )


def _check_grants(logging: Any, report: ReportViolation) -> None:
    grants = [g for g in as_list(maybe_unknown(logging.props, "targetGrants")) if g]
    if grants:
        grantees = [block(g.get("grantee")) if isinstance(g, Mapping) else {} for g in grants]
        named = ", ".join(
            str(g.get("uri") or g.get("id") or g.get("emailAddress") or g.get("type") or "?") for g in grantees
        )
        report(
            f"{label(logging.resource_type, logging.name)} sets target_grants (to {named}), granting access to the "
            "delivered access logs by ACL, which the program never does (AllUsers or AuthenticatedUsers would make "
            "them public); fix: remove target_grants and grant read access through IAM policies.",
            logging.urn,
        )


def _check_logging(logging: Any, locked: set[str], access: AccessLogging, report: ReportViolation) -> None:
    _check_grants(logging, report)
    targets = access.targets(logging)
    if not targets:
        value = maybe_unknown(logging.props, "targetBucket")
        raise_first_unknown([value])
        report(
            f"{label(logging.resource_type, logging.name)} delivers access logs to bucket {value!r}, which this "
            "stack does not create, so its encryption, retention and access are unchecked; fix: deliver to the "
            "account-region's access-log bucket this stack creates.",
            logging.urn,
        )
    for source in access.sources(logging):
        for target in targets:
            _check_target(logging, source, target, locked, report)


def _check_bucket(bucket: Any, access: AccessLogging, report: ReportViolation) -> None:
    who = label(bucket.resource_type, bucket.name)
    if bucket_role(bucket) == ACCESS_LOGS:
        problem = access.claim_problem(bucket)
        if problem is not None:
            raise_first_unknown(access.undecided)
            report(
                f"{who} is tagged {ROLE_TAG}={ACCESS_LOGS}, which excuses it from access logging, but {problem}; "
                f"fix: remove the tag and turn its access logging on ({_FIX_LOGGING.removeprefix('fix: ')}), "
                "or deliver the log buckets' access logs to it.",
                bucket.urn,
            )
        return
    if bucket.urn not in access.by_source:
        # An unknown name on either side might still be a match: the engine's answer is "can't tell".
        raise_first_unknown([maybe_unknown(bucket.props, "bucket"), *access.undecided])
        report(f"{who} has no S3 server access logging; {_FIX_LOGGING}.", bucket.urn)


def validate_server_access_logging(args: StackValidationArgs, report: ReportViolation) -> None:
    buckets = Buckets(args.resources)
    if not buckets.all:
        args.not_applicable("The stack defines no S3 bucket.")
    access = AccessLogging(args.resources, buckets)
    locked = {b.urn for lock in resources_of(args.resources, BUCKET_OBJECT_LOCK) for b in buckets.of(lock)}
    for logging in access.loggings:
        _check_logging(logging, locked, access, report)
    for bucket in buckets.all:
        _check_bucket(bucket, access, report)


s3_server_access_logging = StackValidationPolicy(
    name="s3-server-access-logging",
    description="Every S3 log bucket has server access logging into the account-region's access-log bucket "
    "(tagged access-logs, the one bucket excused, and only while it is a logging target).",
    validate=validate_server_access_logging,
    enforcement_level=MANDATORY,
    severity=HIGH,
    framework=control("S3.9", "CloudTrail.7"),
    tags=["stack", "audit", "access"],
    remediation_steps="Create an aws.s3.BucketLogging for each log bucket, targeting the access-log bucket (the "
    "AccessLogs component does this).",
)

POLICIES = [s3_server_access_logging]
