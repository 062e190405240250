"""Steady-state S3 storage of a log bucket from its lifecycle rule: how many days data spends in each class.

Logs are written at a constant daily rate and never overwritten, so once the oldest object has expired
the bucket holds `daily GB x days in class` in each storage class. In a versioned bucket, expiry only adds
a delete marker: the object stays, noncurrent, in its last class until noncurrent-version expiry removes it.
A class billed for a minimum duration (Standard-IA 30 days, Glacier IR 90, Deep Archive 180) costs at least
that long for every object that enters it. Objects smaller than 128 KB are not transitioned at all under
S3's default `transitionDefaultMinimumObjectSize` (all_storage_classes_128K), and only to the Glacier
classes with varies_by_storage_class: small log files stay in Standard until they expire.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

# Without an expiry (or a log group that never expires) there is no steady state: show one year's data.
UNBOUNDED_DAYS = 365
SMALL_OBJECT_KB = 128
DEFAULT_MINIMUM_OBJECT_SIZE = "all_storage_classes_128K"
# Classes small objects still move to under varies_by_storage_class.
_SMALL_OBJECT_CLASSES = {"GLACIER", "DEEP_ARCHIVE"}


@dataclass(frozen=True)
class Tier:
    storage_class: str
    days: float  # days each object spends in the class
    entered_by_transition: bool


@dataclass(frozen=True)
class Lifecycle:
    transitions: tuple[tuple[int, str], ...]  # (days after creation, storage class), in order
    expire_after_days: int | None
    noncurrent_days: int  # extra days after expiry (versioned buckets), 0 otherwise
    minimum_object_size: str = DEFAULT_MINIMUM_OBJECT_SIZE

    @property
    def bounded(self) -> bool:
        return self.expire_after_days is not None

    def moves(self, storage_class: str, object_kb: float) -> bool:
        if object_kb >= SMALL_OBJECT_KB:
            return True
        return self.minimum_object_size == "varies_by_storage_class" and storage_class in _SMALL_OBJECT_CLASSES

    def tiers(self, object_kb: float = math.inf) -> list[Tier]:
        """The classes an object passes through and how long it stays in each, from creation to deletion."""
        end = (self.expire_after_days if self.bounded else UNBOUNDED_DAYS) + self.noncurrent_days
        tiers: list[Tier] = []
        start, current, by_transition = 0, "STANDARD", False
        for days, storage_class in self.transitions:
            if days >= end:
                break  # deleted before it would move
            if not self.moves(storage_class, object_kb):
                continue
            if days > start:
                tiers.append(Tier(current, days - start, by_transition))
            start, current, by_transition = days, storage_class, True
        tiers.append(Tier(current, end - start, by_transition))
        return tiers


def _current_rule(rules: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The enabled rule that applies to the whole bucket (no filter, or an empty prefix)."""
    for rule in rules:
        prefix = ((rule.get("filter") or {}).get("prefix")) or rule.get("prefix") or ""
        if rule.get("status") == "Enabled" and not prefix:
            return rule
    return None


def from_inputs(lifecycle_inputs: dict[str, Any] | None, versioned: bool) -> Lifecycle:
    """The lifecycle of a BucketLifecycleConfiguration's inputs (None: no lifecycle, everything stays)."""
    rule = _current_rule((lifecycle_inputs or {}).get("rules") or [])
    if rule is None:
        return Lifecycle((), None, 0)
    transitions = tuple(
        sorted((int(t["days"]), str(t["storageClass"])) for t in rule.get("transitions") or [] if "days" in t)
    )
    expiration = rule.get("expiration") or {}
    expire = int(expiration["days"]) if expiration.get("days") else None
    noncurrent = (rule.get("noncurrentVersionExpiration") or {}).get("noncurrentDays")
    kept_noncurrent = int(noncurrent) if versioned and noncurrent else 0
    if versioned and expire is not None and not noncurrent:
        kept_noncurrent = UNBOUNDED_DAYS  # noncurrent versions are never removed
    minimum = str((lifecycle_inputs or {}).get("transitionDefaultMinimumObjectSize") or DEFAULT_MINIMUM_OBJECT_SIZE)
    return Lifecycle(transitions, expire, kept_noncurrent, minimum)
