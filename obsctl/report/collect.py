"""Read everything the report shows from AWS, in parallel, one task per region or account.

`via="monitoring"` (default): the AWS/Bedrock metrics of every account come from the monitoring account
through its OAM links: one role, one batched GetMetricData per region, every query naming its `AccountId`;
the org alarms are read there too. OAM links share only the AWS/Bedrock namespace (vocabulary.oam), and
budgets and the accounts' own alarms are not shared at all, so those (and the security metric-filter
counters) are read with each account's deploy role; an account whose role cannot be assumed keeps its
metrics and reports what is missing.
`via="accounts"`: everything with each account's deploy role (no monitoring account needed).
A task never raises for an AWS failure: it returns it as a one-line problem, so one account never hides
the others.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Literal

from botocore.exceptions import BotoCoreError, ClientError

from inventory.models import Organisation, WorkloadAccount
from obsctl.aws.errors import AwsProblem, explain
from obsctl.aws.parallel import map_bounded
from obsctl.aws.session import AccountSession, Sessions, UnsupportedByEndpoint
from obsctl.report import metrics
from obsctl.report.model import AccountReport, BudgetStatus, FiringAlarm, Report, SecuritySignal, model_row
from obsctl.report.window import Window
from vocabulary import names

Via = Literal["monitoring", "accounts"]
_AWS_ERRORS = (ClientError, BotoCoreError, UnsupportedByEndpoint)
# Budgets is a global service whose endpoint lives in us-east-1.
BUDGETS_REGION = "us-east-1"


@dataclass
class Partial:
    """What one task read; merged into the report."""

    points: dict[metrics.SeriesKey, metrics.Points] = field(default_factory=dict)
    budgets: dict[str, BudgetStatus] = field(default_factory=dict)
    security: dict[str, tuple[list[SecuritySignal] | None, str | None]] = field(default_factory=dict)
    alarms: dict[str, list[FiringAlarm]] = field(default_factory=dict)  # by account id; "" = org alarms
    problems: dict[str, list[str]] = field(default_factory=dict)  # by account id; "" = the org

    def problem(self, account_id: str, text: str) -> None:
        self.problems.setdefault(account_id, []).append(text)


def _guard(partial: Partial, account_id: str, action: str, where: str, work: Callable[[], None]) -> bool:
    """Run `work`; an AWS failure becomes a problem line of `account_id`. True when it succeeded."""
    try:
        work()
    except _AWS_ERRORS as error:
        partial.problem(account_id, str(explain(error, action, where)))
        return False
    return True


def _read_groups(partial: Partial, client: Any, groups: list[metrics.QueryGroup], owner: str, where: str) -> None:
    for group in groups:

        def read(group: metrics.QueryGroup = group) -> None:
            points, problems = metrics.fetch(client, group)
            partial.points.update(points)
            for text in problems:
                partial.problem(owner, f"{where}: {text}")

        _guard(partial, owner, f"cloudwatch:GetMetricData ({group.name})", where, read)


def _firing(client: Any, prefix: str, account: str, region: str) -> list[FiringAlarm]:
    alarms = []
    pages = client.get_paginator("describe_alarms").paginate(
        AlarmNamePrefix=prefix, StateValue="ALARM", AlarmTypes=["MetricAlarm", "CompositeAlarm"]
    )
    for page in pages:
        for alarm in page.get("MetricAlarms", []) + page.get("CompositeAlarms", []):
            if alarm.get("StateValue") != "ALARM":  # emulators may ignore the StateValue filter
                continue
            since = alarm.get("StateUpdatedTimestamp")
            reason = str(alarm.get("StateReason", "")).splitlines()[0] if alarm.get("StateReason") else ""
            alarms.append(FiringAlarm(alarm["AlarmName"], account, region, since, reason[:300]))
    return alarms


def _budget(session: AccountSession, account: WorkloadAccount) -> BudgetStatus:
    name = names.budget_name(account.name)
    if not account.settings.monitoring.budget.enabled:
        return BudgetStatus(name, note="no budget (settings.monitoring.budget.enabled: false)")
    budget = session.client("budgets", BUDGETS_REGION).describe_budget(AccountId=account.account_id, BudgetName=name)
    budget = budget["Budget"]
    spend = budget.get("CalculatedSpend", {})

    def amount(value: dict[str, str] | None) -> Decimal | None:
        return Decimal(value["Amount"]) if value and "Amount" in value else None

    return BudgetStatus(
        name,
        amount(budget.get("BudgetLimit")),
        amount(spend.get("ActualSpend")),
        amount(spend.get("ForecastedSpend")),
    )


def _security_note(account: WorkloadAccount) -> str | None:
    if not account.settings.audit.enabled:
        return "not collected: an organisation trail covers this account (audit.enabled: false)"
    if not account.settings.monitoring.security.enabled:
        return "not collected: security signals are off (settings.monitoring.security.enabled: false)"
    return None


class Collector:
    def __init__(
        self, org: Organisation, accounts: list[WorkloadAccount], window: Window, via: Via, sessions: Sessions
    ) -> None:
        self.org, self.accounts, self.window, self.via, self.sessions = org, accounts, window, via, sessions

    @property
    def regions(self) -> list[str]:
        return list(dict.fromkeys(region for account in self.accounts for region in account.regions))

    def monitoring_session(self) -> AccountSession:
        """The monitoring account's role; raises AwsProblem when it cannot be assumed."""
        role = self.org.monitoring_account.deploy_role_arn
        try:
            return self.sessions.for_role(role)
        except _AWS_ERRORS as error:
            raise explain(error, f"sts:AssumeRole {role}", "the monitoring account") from None

    def check_operator(self) -> None:
        """Fail fast (AwsProblem) when the operator's own credentials do not work."""
        try:
            self.sessions.check_operator(self.org.monitoring_account.home_region)
        except _AWS_ERRORS as error:
            raise explain(error, "sts:GetCallerIdentity", "the operator's credentials") from None

    def _region_task(self, region: str) -> Partial:
        """Monitoring mode: every account's metrics in `region` through OAM, and the org alarms."""
        partial = Partial()
        session = self.monitoring_session()
        client = session.client("cloudwatch", region)
        groups: list[metrics.QueryGroup] = []
        for account in self.accounts:
            if region in account.regions:
                groups += metrics.model_groups(
                    self.window, account.account_id, region, account.models_in(region), cross_account=True
                )
        _read_groups(partial, client, _merged(groups), "", f"monitoring account, {region}")

        def org_alarms() -> None:
            found = _firing(client, f"{names.ORG_ALARM_PREFIX}-", self.org.monitoring_account.name, region)
            partial.alarms.setdefault("", []).extend(found)

        _guard(partial, "", "cloudwatch:DescribeAlarms", f"monitoring account, {region}", org_alarms)
        return partial

    def _account_task(self, account: WorkloadAccount) -> Partial:
        """Budget, security signals and alarms of one account (and, in accounts mode, its metrics)."""
        partial = Partial()
        owner, where = account.account_id, f"account {account.account_id}"
        role = account.deploy_role_arn
        sessions: list[AccountSession] = []
        if not _guard(
            partial, owner, f"sts:AssumeRole {role}", where, lambda: sessions.append(self.sessions.for_role(role))
        ):
            return partial
        session = sessions[0]
        for region in account.regions:
            client = session.client("cloudwatch", region)
            if self.via == "accounts":
                groups = metrics.model_groups(
                    self.window, owner, region, account.models_in(region), cross_account=False
                )
                _read_groups(partial, client, groups, owner, region)

            def alarms(client: Any = client, region: str = region) -> None:
                found = _firing(client, f"{names.prefix(account.name, region)}-", account.name, region)
                partial.alarms.setdefault(owner, []).extend(found)

            _guard(partial, owner, "cloudwatch:DescribeAlarms", f"{where}, {region}", alarms)
        _guard(
            partial,
            owner,
            f"budgets:DescribeBudget {names.budget_name(account.name)}",
            where,
            lambda: partial.budgets.__setitem__(owner, _budget(session, account)),
        )
        self._security(partial, session, account)
        return partial

    def _security(self, partial: Partial, session: AccountSession, account: WorkloadAccount) -> None:
        note = _security_note(account)
        if note is not None:
            partial.security[account.account_id] = (None, note)
            return
        region = account.home_region
        namespace = account.settings.monitoring.security.metric_namespace
        group = metrics.security_group(
            self.window, account.account_id, region, namespace, names.SECURITY_SIGNAL_METRICS
        )

        def read() -> None:
            points, problems = metrics.fetch(session.client("cloudwatch", region), group)
            signals = []
            for request in group.requests:
                values = points.get(request.key, [])
                key = request.key.field.split(".", 1)[1]
                current = sum(v for ts, v in values if self.window.is_current(ts))
                previous = sum(v for ts, v in values if not self.window.is_current(ts))
                signals.append(SecuritySignal(key, request.metric, current, previous))
            partial.security[account.account_id] = (signals, None)
            for text in problems:
                partial.problem(account.account_id, f"{region}: {text}")

        if not _guard(partial, account.account_id, "cloudwatch:GetMetricData (security signals)", region, read):
            partial.security[account.account_id] = (None, "unavailable (see problems)")

    def tasks(self) -> list[tuple[str, Any]]:
        regional = [("region", region) for region in self.regions] if self.via == "monitoring" else []
        return regional + [("account", account) for account in self.accounts]

    def _run(self, task: tuple[str, Any]) -> Partial:
        kind, subject = task
        try:
            return self._region_task(subject) if kind == "region" else self._account_task(subject)
        except AwsProblem as problem:
            partial = Partial()
            partial.problem("", str(problem))
            return partial

    def collect(self, scope: str, concurrency: int = 8) -> Report:
        tasks = self.tasks()
        label = f"reading {len(self.accounts)} account(s) via {self.via}"
        merged = Partial()
        for partial in map_bounded(self._run, tasks, concurrency, label):
            _merge(merged, partial)
        return self._report(scope, merged)

    def _report(self, scope: str, data: Partial) -> Report:
        accounts = []
        for account in self.accounts:
            pricing = account.settings.monitoring.pricing
            rows = [
                model_row(
                    data.points, self.window, account.name, account.account_id, region, model, pricing.price_for(model)
                )
                for region in account.regions
                for model in account.models_in(region)
            ]
            signals, note = data.security.get(account.account_id, (None, "unavailable (see problems)"))
            accounts.append(
                AccountReport(
                    name=account.name,
                    account_id=account.account_id,
                    environment=account.environment,
                    rows=rows,
                    budget=data.budgets.get(account.account_id),
                    security=signals,
                    security_note=note,
                    alarms=data.alarms.get(account.account_id, []),
                    problems=data.problems.get(account.account_id, []),
                )
            )
        return Report(
            scope=scope,
            via=self.via,
            window=self.window,
            generated_at=datetime.now(UTC),
            accounts=accounts,
            org_alarms=data.alarms.get("", []),
            problems=data.problems.get("", []),
        )


def _merged(groups: list[metrics.QueryGroup]) -> list[metrics.QueryGroup]:
    """Groups of the same name and time range as one group, so many accounts share 500-query calls."""
    merged: dict[tuple[str, datetime, datetime], list[metrics.MetricRequest]] = {}
    for group in groups:
        merged.setdefault((group.name, group.start, group.end), []).extend(group.requests)
    return [metrics.QueryGroup(name, start, end, tuple(reqs)) for (name, start, end), reqs in merged.items()]


def _merge(into: Partial, part: Partial) -> None:
    into.points.update(part.points)
    into.budgets.update(part.budgets)
    into.security.update(part.security)
    for owner, found in part.alarms.items():
        into.alarms.setdefault(owner, []).extend(found)
    for owner, texts in part.problems.items():
        into.problems.setdefault(owner, []).extend(texts)
