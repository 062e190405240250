"""Bucket roles: how a rule can admit one kind of log bucket explicitly instead of weakening itself for all.

The log bucket component tags each bucket with `bedrock-observability:bucket-role` (`invocation-logs`,
`audit-trail` or `access-logs`). Only the bucket carries the tag, not its sub-resources (encryption,
lifecycle, policy ...), so a rule that treats one role differently is a stack rule: it finds the bucket a
sub-resource belongs to (by name or property dependency) and reads the bucket's role, and its config names
the role and what is admitted for it (for example `log-bucket-companions`' `exemptCompanionsByRole`).
An untagged bucket has no role and gets no exemption.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from bedrock_guardrails._aws import BUCKET
from bedrock_guardrails._util import Unknown, by_name, linked_urns, maybe_unknown, resources_of

ROLE_TAG = "bedrock-observability:bucket-role"
ROLES = ("invocation-logs", "audit-trail", "access-logs")


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

    def of(self, sub: Any) -> list[Any]:
        """The bucket(s) a sub-resource's `bucket` input points at."""
        return [self.by_urn[u] for u in linked_urns(sub, "bucket", self.named, BUCKET)]

    def roles_of(self, sub: Any) -> set[str]:
        return {r for r in (bucket_role(b) for b in self.of(sub)) if r}

    def unknown_names(self) -> list[Unknown]:
        return [n for n in (maybe_unknown(b.props, "bucket") for b in self.all) if isinstance(n, Unknown)]
