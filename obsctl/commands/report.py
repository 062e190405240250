"""`obsctl report`: usage, estimated cost, reliability, budget, security signals and firing alarms for one
account or the whole org, for a period and the period before; Markdown, JSON and self-contained HTML.

Exit codes: 0 every section read; 1 the report was written but some data could not be read (listed in the
report and on stderr), or AWS refused the credentials (nothing written); 2 bad input.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from botocore.exceptions import BotoCoreError
from rich.table import Table

from inventory.errors import ConfigError
from inventory.models import Organisation, WorkloadAccount
from obsctl.aws.errors import AwsProblem, explain
from obsctl.aws.session import Sessions, check_endpoint_url
from obsctl.costs import usd
from obsctl.files import OutputError, ensure_writable_dir, write_atomic
from obsctl.output import console, errors
from obsctl.report.collect import Collector, Via
from obsctl.report.document import trends
from obsctl.report.model import Figures, Report
from obsctl.report.render import FORMATS, num, pct, render, trend
from obsctl.report.window import Window, window
from obsctl.targets import check_aws_profile, organisation, workload_target


def _formats(value: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))
    unknown = [part for part in chosen if part not in FORMATS]
    if unknown or not chosen:
        raise ValueError(
            f"--format {value!r}: unknown format {', '.join(unknown) or '(none)'}; fix: use some of md,json,html"
        )
    return chosen


def _summary_row(name: str, current: Figures, previous: Figures, alarms: int) -> list[str]:
    change = trends(current, previous)
    return [
        name,
        num(current.invocations),
        trend(change["invocations"]),
        num(current.total_tokens),
        usd(current.cost_usd) + (" + unknown" if current.unpriced else ""),
        trend(change["estimated_cost_usd"]),
        pct(current.error_rate_pct),
        num(current.throttles),
        str(alarms),
    ]


def _summary(report: Report) -> None:
    table = Table()
    headings = ("account", "invocations", "trend", "tokens", "est. cost", "trend", "error rate", "throttles", "alarms")
    for heading in headings:
        table.add_column(heading, justify="left" if heading == "account" else "right", no_wrap=True)
    for account in report.accounts:
        table.add_row(*_summary_row(account.name, *account.totals, len(account.alarms)))
    firing = len(report.org_alarms) + sum(len(a.alarms) for a in report.accounts)
    table.add_row(*_summary_row("[bold]total[/]", *report.totals, firing))
    console.print(table)


def _file_stem(scope: str, span: Window) -> str:
    return f"bedrock-report-{scope}-{span.days}d-{span.end:%Y-%m-%dT%H}Z"


def report(
    stack: Annotated[str | None, typer.Option(help="Report one workload stack's account.")] = None,
    all_accounts: Annotated[bool, typer.Option("--all", help="Report every workload account of the org.")] = False,
    days: Annotated[int, typer.Option(help="Length of the period in days (1-90), compared with the one before.")] = 7,
    end: Annotated[
        str | None,
        typer.Option(
            help="End of the period, UTC (e.g. 2025-06-30 or 2025-06-30T12:00), rounded down to the hour; "
            "default: the last whole hour."
        ),
    ] = None,
    format_: Annotated[str, typer.Option("--format", help="Comma-separated: md, json, html.")] = "md,json,html",
    out: Annotated[Path, typer.Option(help="Directory for the report files.")] = Path("build/reports"),
    via: Annotated[
        Via,
        typer.Option(
            help="monitoring: metrics of every account through the monitoring account (OAM, one role); "
            "accounts: everything with each account's deploy role."
        ),
    ] = "monitoring",
    concurrency: Annotated[int, typer.Option(help="Accounts and regions read in parallel (1-32).")] = 8,
    endpoint_url: Annotated[str | None, typer.Option(help="AWS endpoint override (an emulator).")] = None,
    aws_profile: Annotated[
        str | None, typer.Option(help="AWS CLI profile whose credentials assume the deploy roles.")
    ] = None,
) -> None:
    """Usage, estimated cost, latency, errors, budget, security signals and alarms per account, region and
    model, for the period and the one before, as Markdown, JSON and a self-contained HTML file."""
    if all_accounts == (stack is not None):
        errors.print("Give exactly one of --stack NAME or --all.")
        raise typer.Exit(2)
    try:
        request = _request(stack, days, end, format_, out, concurrency)
        check_aws_profile(aws_profile)
        check_endpoint_url(endpoint_url)  # SessionInputError is a ValueError
    except (ValueError, ConfigError, OutputError) as error:
        errors.print(str(error), highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(2) from None
    started = time.perf_counter()
    result = _collect(request, via, concurrency, endpoint_url, aws_profile)
    _write(result, request)
    _summary(result)
    console.print(
        f"{len(request.accounts)} account(s), {request.span.days} days to {request.span.end:%Y-%m-%d %H:%M} UTC, "
        f"via {via}, {time.perf_counter() - started:.1f}s",
        highlight=False,
    )
    if result.all_problems:
        for problem in result.all_problems:
            errors.print(f"problem: {problem}", highlight=False, markup=False)
        raise typer.Exit(1)


@dataclass(frozen=True)
class _Request:
    org: Organisation
    accounts: list[WorkloadAccount]
    scope: str
    span: Window
    formats: tuple[str, ...]
    out: Path


def _request(stack: str | None, days: int, end: str | None, format_: str, out: Path, concurrency: int) -> _Request:
    """Every option checked against the inventory before any AWS call."""
    if not 1 <= concurrency <= 32:
        raise ValueError(f"--concurrency {concurrency} is out of range; fix: use 1 to 32")
    formats = _formats(format_)
    span = window(days, end)
    if stack is not None:
        target = workload_target(stack, "use --all for the whole org")
        org, accounts, scope = target.org, [target.account], stack
    else:
        org = organisation()
        accounts, scope = list(org.workload_accounts), "org"
    ensure_writable_dir(out, "--out directory")
    return _Request(org, accounts, scope, span, formats, out)


def _collect(request: _Request, via: Via, concurrency: int, endpoint_url: str | None, profile: str | None) -> Report:
    """Read the report; credentials that do not work (the operator's, the monitoring role) stop here."""
    try:
        sessions = Sessions(endpoint_url=endpoint_url, profile=profile, profile_option="--aws-profile")
        collector = Collector(request.org, request.accounts, request.span, via, sessions)
        collector.check_operator()
        if via == "monitoring":
            collector.monitoring_session()
        return collector.collect(request.scope, concurrency)
    except AwsProblem as problem:
        errors.print(str(problem), highlight=False, markup=False)
        raise typer.Exit(1) from None
    except BotoCoreError as error:  # e.g. --aws-profile names no profile
        errors.print(str(explain(error, "AWS credentials", f"profile {profile or '(default)'}")), markup=False)
        raise typer.Exit(1) from None


def _write(result: Report, request: _Request) -> None:
    """Every format rendered first, then each file written whole (temporary file + rename)."""
    rendered = render(result, request.formats)
    try:
        for fmt, text in rendered.items():
            path = request.out / f"{_file_stem(request.scope, request.span)}.{fmt}"
            write_atomic(path, text, "--out directory")
            console.print(f"{fmt:>4} -> {path}", highlight=False)
    except OutputError as error:
        errors.print(str(error), highlight=False, markup=False)
        raise typer.Exit(1) from None


def register(app: typer.Typer) -> None:
    app.command()(report)
