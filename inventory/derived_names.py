"""Every physical name the inventory implies, checked against its AWS limit and for collisions.

One place defines the names (`vocabulary.names`: the functions and the name-kind table), so one place checks
them, before any resource is registered: a long model id that would make an alarm name longer than
CloudWatch's 255 characters, or two model ids that differ only in ':' vs '-' (the same alarm names, the same
Pulumi URNs), fail inventory validation with the account, region or model that causes it and the fix.

Names are enumerated whatever the feature switches say (anomaly detection off, say): a name that only
fits while a feature is off would fail the day someone turns it on.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from vocabulary import limits, names

if TYPE_CHECKING:
    from inventory.models import Organisation, WorkloadAccount


@dataclass(frozen=True)
class Kind:
    label: str
    limit: int
    # Where AWS requires the name to be unique: per account and region, per account, or across AWS.
    scope: str  # "region" | "account" | "aws"


ALARM = Kind("CloudWatch alarm name", limits.MAX_ALARM_NAME, "region")
DASHBOARD = Kind("CloudWatch dashboard name", limits.MAX_DASHBOARD_NAME, "account")
TOPIC = Kind("SNS topic name", limits.MAX_TOPIC_NAME, "region")
BUCKET = Kind("S3 bucket name", limits.MAX_BUCKET_NAME, "aws")
ROLE = Kind("IAM role name", limits.MAX_ROLE_NAME, "account")
LOG_GROUP = Kind("CloudWatch Logs log group name", limits.MAX_LOG_GROUP_NAME, "region")
METRIC_FILTER = Kind("CloudWatch Logs metric filter name", limits.MAX_METRIC_FILTER_NAME, "region")
TRAIL = Kind("CloudTrail trail name", limits.MAX_TRAIL_NAME, "region")
BUDGET = Kind("AWS Budgets budget name", limits.MAX_BUDGET_NAME, "account")
KEY_ALIAS = Kind("KMS alias", limits.MAX_KMS_ALIAS, "region")
SINK = Kind("OAM sink name", limits.MAX_SINK_NAME, "region")
LINK_LABEL = Kind("OAM link label template", limits.MAX_LINK_LABEL_TEMPLATE, "region")


class Derived(NamedTuple):
    # A tuple: a 200-account org derives some 45,000 names, and a tuple is the cheapest record to make.
    kind: Kind
    name: str
    account_id: str
    region: str  # "" for names that are not regional
    # The inventory value that makes this name (and its fix): e.g. "workload_accounts[0].models[2] = '...'".
    origin: str
    # The part a user can shorten: (field, current value); None when only removing the origin helps.
    shortenable: tuple[str, str] | None

    @property
    def unique_in(self) -> tuple[str, ...]:
        if self.kind.scope == "aws":
            return (self.kind.label,)
        if self.kind.scope == "account":
            return (self.kind.label, self.account_id)
        return (self.kind.label, self.account_id, self.region)


def problems(org: Organisation) -> list[str]:
    """One message per origin whose names are too long, then one per collision; empty when all is well."""
    too_long: dict[str, Derived] = {}
    first: dict[tuple[str, ...], Derived] = {}
    clashes: dict[tuple[str, str], Derived] = {}
    for derived in derived_names(org):
        over = len(derived.name) - derived.kind.limit
        worst = too_long.get(derived.origin)
        if over > 0 and (worst is None or over > len(worst.name) - worst.kind.limit):
            too_long[derived.origin] = derived
        key = (*derived.unique_in, derived.name)
        earlier = first.setdefault(key, derived)
        if earlier.origin != derived.origin:
            clashes.setdefault((earlier.origin, derived.origin), derived)
    messages = [_too_long(derived) for derived in too_long.values()]
    messages += [_clash(pair, derived) for pair, derived in clashes.items()]
    return messages


def _too_long(derived: Derived) -> str:
    over = len(derived.name) - derived.kind.limit
    where = f" in {derived.region}" if derived.region else ""
    text = (
        f"{_short(derived.origin)} makes the {derived.kind.label} {_short(repr(derived.name))}{where} "
        f"{len(derived.name)} characters long; AWS allows {derived.kind.limit}; fix: "
    )
    if derived.shortenable is not None:
        field, value = derived.shortenable
        if len(value) - over >= 3:
            return text + f"shorten {field} ({value!r}) by at least {over} characters"
        return text + f"{field} ({value!r}) cannot be shortened enough; remove or replace {_short(derived.origin)}"
    return text + "remove it, or shorten the account name it is monitored under"


def _short(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _clash(pair: tuple[str, str], derived: Derived) -> str:
    where = f" in {derived.region}" if derived.region else ""
    return (
        f"{pair[0]} and {pair[1]} both make the {derived.kind.label} {derived.name!r}{where} (names replace "
        "characters AWS does not allow, such as ':', with '-'), so one resource would replace the other; fix: "
        "keep only one of them, or rename one"
    )


def derived_names(org: Organisation) -> Iterator[Derived]:
    for index, account in enumerate(org.workload_accounts):
        yield from _workload_names(index, account)
    yield from _monitoring_names(org)


def _workload_names(index: int, account: WorkloadAccount) -> Iterator[Derived]:
    where = f"workload_accounts[{index}]"
    name_field = (f"{where}.name", account.name)
    origin = f"{where}.name = {account.name!r}"

    def make(kind: Kind, name: str, region: str = "", origin: str = origin) -> Derived:
        return Derived(kind, name, account.account_id, region, origin, name_field)

    yield make(BUDGET, names.budget_name(account.name))
    yield Derived(ROLE, names.trail_role(), account.account_id, "", "vocabulary.names", None)
    yield Derived(TRAIL, names.TRAIL_NAME, account.account_id, account.home_region, "vocabulary.names", None)
    yield _fixed(BUCKET, names.trail_bucket(account.account_id, account.home_region), account, index)
    for region in account.regions:
        region_origin = f"{where}.regions: {region!r}"
        yield _fixed(BUCKET, names.invocation_bucket(account.account_id, region), account, index, region)
        yield _fixed(BUCKET, names.access_log_bucket(account.account_id, region), account, index, region)
        yield Derived(ROLE, names.invocation_role(region), account.account_id, "", region_origin, None)
        for log_group in (names.INVOCATION_LOG_GROUP, names.TRAIL_LOG_GROUP, names.DATA_PROTECTION_FINDINGS_LOG_GROUP):
            yield Derived(LOG_GROUP, log_group, account.account_id, region, "vocabulary.names", None)
        yield Derived(KEY_ALIAS, names.KEY_ALIAS, account.account_id, region, "vocabulary.names", None)
        yield Derived(LINK_LABEL, names.LINK_LABEL_TEMPLATE, account.account_id, region, "vocabulary.names", None)
        for tier in (*names.TIERS, names.ESCALATION):
            yield make(TOPIC, names.topic_name(account.name, region, tier), region)
        for kind in _dashboard_kinds(account, region):
            yield make(DASHBOARD, names.dashboard_name(account.name, region, kind), region)
        yield from _alarm_names(where, account, region, make)


def _alarm_names(where: str, account: WorkloadAccount, region: str, make: Callable[..., Derived]) -> Iterator[Derived]:
    """The region's metric filters and alarms: security signals, delivery, per model, per guardrail."""
    for signal in names.SECURITY_SIGNALS:
        yield make(METRIC_FILTER, names.metric_filter_name(account.name, region, signal), region)
        for tier in names.TIERS:
            yield make(ALARM, names.alarm_name(account.name, region, "security", signal, tier), region)
    yield make(ALARM, names.alarm_name(account.name, region, names.DELIVERY_FAILURE_ALARM), region)
    escalations = account.settings.monitoring.escalation.after_minutes
    for model in account.models_in(region):
        model_origin = f"{where}.models[{account.models.index(model)}] = {model!r}"
        for name in _model_alarm_names(account.name, region, model, escalations):
            yield make(ALARM, name, region, model_origin)
    for i, guardrail in enumerate(account.settings.monitoring.guardrails):
        if guardrail.region != region:
            continue
        guardrail_origin = f"{where}.settings.monitoring.guardrails[{i}].id = {guardrail.id!r}"
        for kind in names.GUARDRAIL_ALARMS:
            name = names.guardrail_alarm_name(account.name, region, guardrail.id, guardrail.version, kind)
            yield make(ALARM, name, region, guardrail_origin)


def _model_alarm_names(account_name: str, region: str, model: str, escalations: tuple[int, ...]) -> Iterator[str]:
    # Optional kinds (quota, OTPS) and escalations are enumerated for every model: a name that fits only
    # while they are off would fail the day someone configures them.
    for kind in (*names.MODEL_THRESHOLD_ALARMS, *names.MODEL_OPTIONAL_THRESHOLD_ALARMS):
        for tier in names.TIERS:
            yield names.model_alarm_name(account_name, region, model, kind, tier)
    for kind in names.ESCALATED_ALARMS:
        for minutes in escalations:
            yield names.model_alarm_name(account_name, region, model, kind, names.escalation_tier(minutes))
    for kind in names.MODEL_ANOMALY_ALARMS:
        yield names.model_alarm_name(account_name, region, model, kind)
    yield names.model_alarm_name(account_name, region, model, names.MODEL_COMPOSITE_ALARM, "critical")


def _dashboard_kinds(account: WorkloadAccount, region: str) -> Iterator[str]:
    per_page = account.settings.monitoring.dashboards.models_per_operations_dashboard
    pages = max(1, math.ceil(len(account.models_in(region)) / per_page))
    for kind in names.DASHBOARD_KINDS:
        yield kind
        if kind == "operations":
            yield from (f"operations-{number}" for number in range(2, pages + 1))


def _fixed(kind: Kind, name: str, account: WorkloadAccount, index: int, region: str = "") -> Derived:
    """Names made of the account id and a region only: nothing to shorten."""
    origin = f"workload_accounts[{index}].account_id = {account.account_id!r}"
    return Derived(kind, name, account.account_id, region, origin, None)


def _monitoring_names(org: Organisation) -> Iterator[Derived]:
    monitoring = org.monitoring_account
    account_id = monitoring.account_id
    prefix = monitoring.settings.dashboard_name_prefix
    prefix_field = ("monitoring_account.settings.dashboard_name_prefix", prefix)
    prefix_origin = f"monitoring_account.settings.dashboard_name_prefix = {prefix!r}"
    for scope in ("overview", names.ORG_MANAGEMENT_DASHBOARD):
        yield Derived(DASHBOARD, names.org_dashboard_name(prefix, scope), account_id, "", prefix_origin, prefix_field)
    for region in org.workload_regions:
        dashboard = names.org_dashboard_name(prefix, region)
        yield Derived(DASHBOARD, dashboard, account_id, "", prefix_origin, prefix_field)
        yield Derived(TOPIC, names.ORG_ALERT_TOPIC_NAME, account_id, region, "vocabulary.names", None)
        yield Derived(KEY_ALIAS, names.ORG_ALERT_KEY_ALIAS, account_id, region, "vocabulary.names", None)
        yield Derived(SINK, names.SINK_NAME, account_id, region, "vocabulary.names", None)
        for what in names.ORG_REGION_ALARMS:
            yield Derived(ALARM, names.org_alarm_name(region, what), account_id, region, "vocabulary.names", None)
        for index, account in enumerate(org.workload_accounts):
            if region not in account.regions:
                continue
            alarm = names.org_alarm_name(region, names.org_account_alarm_kind(account.name))
            origin = f"workload_accounts[{index}].name = {account.name!r}"
            yield Derived(ALARM, alarm, account_id, region, origin, (f"workload_accounts[{index}].name", account.name))
