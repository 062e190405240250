"""Subscribers of the alert topics: a workload region's tier topics and escalation topic
(`monitoring.notifications.<warning|critical|escalation>`) and the monitoring account's org alert topics
(`monitoring_account.settings.notifications`), one model for all."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from pydantic import field_validator

from inventory.base import StrictModel
from inventory.types import Items, Text

# Deliberately narrow, so one pattern suits every alert topic (workload tiers, escalation, the org topics):
# common local-part characters, dot-separated domain labels, a letters-only top-level domain. It catches the
# typos that matter at plan time (missing "@", spaces, "name@host"), not full RFC 5322.
# Matched with fullmatch (`$` would accept a trailing newline) over ASCII classes (`\d` matches any digit).
_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# E.164: a plus sign, a non-zero country code digit, at most 15 digits in total.
_E164_RE = re.compile(r"\+[1-9][0-9]{6,14}")
# Obvious placeholders left in copied examples ("REPLACE_WITH_KEY", "CHANGEME", "<integration key>"): an HTTPS
# subscription to such a URL is auto-confirmed by nobody, so `pulumi up` would wait for it and then fail.
_PLACEHOLDER_RE = re.compile(r"replace|change[_-]?me|placeholder|<[^>]*>", re.IGNORECASE)


class NotificationTargets(StrictModel):
    """Subscribers of one SNS alert topic: a workload tier's topic (`monitoring.notifications.<tier>`) or
    the monitoring account's org alert topics (`monitoring_account.settings.notifications`).
    Email and SMS subscriptions need the recipient to confirm. Emails are stored lower-case."""

    emails: Items[str] = ()
    https_endpoints: Items[Text] = ()
    sms_numbers: Items[str] = ()
    # PagerDuty/Opsgenie SNS integrations confirm the subscription themselves.
    https_endpoints_auto_confirm: bool = True

    @property
    def has_subscribers(self) -> bool:
        return bool(self.emails or self.https_endpoints or self.sms_numbers)

    @field_validator("emails")
    @classmethod
    def _emails(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        for value in values:
            if len(value) > 254:  # RFC 5321: a path holds at most 256 octets, 254 without the angle brackets
                raise ValueError(
                    f"emails: {value[:40]!r}... is {len(value):,} characters, more than the 254 an email address "
                    "can have (RFC 5321); fix: correct the address"
                )
            if not _EMAIL_RE.fullmatch(value):
                raise ValueError(f"emails: {value!r} is not an email address; use the form name@example.com")
        return tuple(value.lower() for value in unique("emails", values))

    @field_validator("https_endpoints")
    @classmethod
    def _https(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        for value in values:
            parts = urlsplit(value)
            if parts.scheme != "https" or not parts.hostname or any(c.isspace() or not c.isascii() for c in value):
                raise ValueError(
                    f"https_endpoints: {value!r} is not an https:// URL with a host (ASCII, no spaces); alert payloads "
                    "must travel over TLS, e.g. https://events.pagerduty.com/integration/<key>/enqueue"
                )
            placeholder = _PLACEHOLDER_RE.search(value)
            if placeholder:
                raise ValueError(
                    f"https_endpoints: {value!r} still contains the placeholder {placeholder.group(0)!r}; fix: "
                    "paste the real integration URL from your paging tool (e.g. PagerDuty service > Integrations "
                    "> Amazon CloudWatch), or remove the entry"
                )
        return unique("https_endpoints", values)

    @field_validator("sms_numbers")
    @classmethod
    def _sms(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        for value in values:
            if not _E164_RE.fullmatch(value):
                raise ValueError(
                    f"sms_numbers: {value!r} is not an E.164 number; write it as + country code and digits "
                    "without spaces, e.g. +14155550100"
                )
        return unique("sms_numbers", values)


def unique(field: str, values: tuple[str, ...]) -> tuple[str, ...]:
    """`values` unchanged, or a ValueError naming the first value listed twice (case-insensitive)."""
    seen: set[str] = set()
    for value in values:
        if value.lower() in seen:
            raise ValueError(f"{field}: {value!r} is listed twice; remove the duplicate")
        seen.add(value.lower())
    return values


class Notifications(StrictModel):
    warning: NotificationTargets = NotificationTargets()
    critical: NotificationTargets = NotificationTargets()
    # Subscribers of the escalation topic (management): a critical alarm still failing after each of
    # `escalation.after_minutes` (README "Escalation").
    escalation: NotificationTargets = NotificationTargets()
