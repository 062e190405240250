"""Bucket roles: how a rule can admit one kind of log bucket explicitly instead of weakening itself for all.

The log bucket component tags each bucket with `bedrock-observability:bucket-role` (`invocation-logs`,
`audit-trail` or `access-logs`). Only the bucket carries the tag, not its sub-resources (encryption,
lifecycle, policy ...), so a rule that treats one role differently is a stack rule: it finds the bucket a
sub-resource belongs to (by name or property dependency) and reads the bucket's role, and its config names
the role and what is admitted for it (for example `log-bucket-companions`' `exemptCompanionsByRole`).
An untagged bucket has no role and gets no exemption.

A tag is only a claim: `access-logs` is believed (SSE-S3 admitted, no access logging of its own required)
only for a bucket the stack really uses as an S3 server access log target (`AccessLogging.claim_problem`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from bedrock_guardrails._aws import BUCKET, BUCKET_LOGGING
from bedrock_guardrails._util import Unknown, by_name, linked_urns, maybe_unknown, resources_of

ROLE_TAG = "bedrock-observability:bucket-role"
ROLES = ("invocation-logs", "audit-trail", "access-logs")
ACCESS_LOGS = "access-logs"


def bucket_role(bucket: Any) -> str | None:
    """The bucket's role tag (from `tags`, or the provider-merged `tagsAll`), if it names a known role."""
    for prop in ("tags", "tagsAll"):
        tags = maybe_unknown(bucket.props, prop)
        if isinstance(tags, Mapping):
            role = tags.get(ROLE_TAG)
            if role in ROLES:
                return role
    return None


class Buckets:
    """The stack's buckets, indexed for linking sub-resources to them."""

    def __init__(self, resources: Iterable[Any]) -> None:
        self.all = resources_of(resources, BUCKET)
        self.named = by_name(self.all, "bucket")
        self.by_urn = {b.urn: b for b in self.all}

    def of(self, sub: Any, prop: str = "bucket") -> list[Any]:
        """The bucket(s) a sub-resource's `bucket` input (or another input naming a bucket) points at."""
        return [self.by_urn[u] for u in linked_urns(sub, prop, self.named, BUCKET)]

    def roles_of(self, sub: Any) -> set[str]:
        return {r for r in (bucket_role(b) for b in self.of(sub)) if r}

    def unknown_names(self) -> list[Unknown]:
        return [n for n in (maybe_unknown(b.props, "bucket") for b in self.all) if isinstance(n, Unknown)]


class AccessLogging:
    """The stack's S3 server access logging (`aws.s3.BucketLogging`): which bucket logs to which."""

    def __init__(self, resources: Iterable[Any], buckets: Buckets) -> None:
        self.buckets = buckets
        self.loggings = resources_of(resources, BUCKET_LOGGING)
        # Bucket URN -> the loggings of that bucket (as source) / delivering into it (as target).
        self.by_source: dict[str, list[Any]] = defaultdict(list)
        self.by_target: dict[str, list[Any]] = defaultdict(list)
        # Names unknown at preview and not linked by a property dependency: they might be any bucket.
        self.undecided: list[Unknown] = []
        for logging in self.loggings:
            for prop, index in (("bucket", self.by_source), ("targetBucket", self.by_target)):
                linked = buckets.of(logging, prop)
                for bucket in linked:
                    index[bucket.urn].append(logging)
                value = maybe_unknown(logging.props, prop)
                if not linked and isinstance(value, Unknown):
                    self.undecided.append(value)

    def sources(self, logging: Any) -> list[Any]:
        return self.buckets.of(logging, "bucket")

    def targets(self, logging: Any) -> list[Any]:
        return self.buckets.of(logging, "targetBucket")

    def claim_problem(self, bucket: Any) -> str | None:
        """Why `bucket` is not a verified access-log bucket (None when it is): tagged `access-logs` and the
        target of another bucket's access logging."""
        if bucket_role(bucket) != ACCESS_LOGS:
            return f"it is not tagged {ROLE_TAG}={ACCESS_LOGS}"
        incoming = [
            logging
            for logging in self.by_target.get(bucket.urn, [])
            if bucket.urn not in {source.urn for source in self.sources(logging)}
        ]
        if not incoming:
            return "no other bucket's aws.s3.BucketLogging delivers to it (it is no access-log target)"
        return None
