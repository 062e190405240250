"""`obsctl loadgen`: bounded Converse traffic to fill the dashboards (gentle) or fire the throttle alarms
(burst). It costs money: without `--yes` it prints what it would send and sends nothing.

Exit codes: 0 the run completed and at least one call succeeded; 1 no call succeeded, the run was stopped
by a fatal error, or AWS refused the credentials; 2 bad input, or not confirmed with `--yes`.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from botocore.exceptions import BotoCoreError, ClientError
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from inventory.errors import ConfigError
from obsctl.aws.errors import explain
from obsctl.aws.session import NO_RETRIES, AccountSession, SessionInputError, Sessions, check_endpoint_url
from obsctl.costs import usd
from obsctl.files import OutputError, ensure_writable_dir, write_atomic
from obsctl.loadgen.plan import LoadPlan, PlanError, ProfileName, build_plan
from obsctl.loadgen.results import ModelResult, document, summarise
from obsctl.loadgen.runner import RunResult, run
from obsctl.output import console, errors
from obsctl.targets import TargetError, check_aws_profile, workload_target


def _check_output_file(path: Path, option: str) -> None:
    """Refuse, before any paid call, a path the results could not be written to at the end: a directory, a
    read-only file, or a folder where `write_atomic` cannot create its temporary file."""
    if path.is_dir():
        raise OutputError(f"{option} {path} is a directory; fix: name a file, e.g. {path / 'loadgen.json'}")
    ensure_writable_dir(path.parent, option)
    if path.exists() and not os.access(path, os.W_OK):
        raise OutputError(f"{option} {path} is read-only; fix: make it writable or choose another {option}")
    try:
        # What write_atomic does first (as root, os.access says yes to folders such as /proc).
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"):
            pass
    except OSError as error:
        raise OutputError(
            f"cannot write into {path.parent} ({error.strerror}); fix: choose a writable {option}"
        ) from None


def _describe(plan: LoadPlan, stack: str) -> None:
    api = "ConverseStream" if plan.stream else "Converse"
    account = plan.account
    pacing = f"a call every {plan.load.interval_seconds:g}s per worker" if plan.load.interval_seconds else "no pause"
    console.print(
        f"[bold]loadgen {plan.profile}[/] ({stack}): {plan.load.requests} {api} calls to account {account.name} "
        f"({account.account_id}) in {plan.region}, {plan.load.concurrency} worker(s), {pacing}, no retries, "
        f"stops after {plan.load.max_seconds:g}s at the latest",
        highlight=False,
    )
    console.print(f'  maxTokens {plan.load.max_tokens}, prompt "{plan.load.prompt}"', highlight=False)
    for model, count in plan.requests_per_model().items():
        console.print(f"  {count:>4} x {model}", highlight=False)
    estimate, unpriced = plan.estimate()
    note = f"; no price for {', '.join(unpriced)} (not included)" if unpriced else ""
    console.print(
        f"  estimated cost: at most {usd(estimate)} (price table, {plan.load.max_tokens} output tokens per call{note})",
        highlight=False,
    )


def _session(plan: LoadPlan, endpoint_url: str | None, aws_profile: str | None) -> AccountSession:
    """The account's deploy role, or the AWS profile's own credentials (checked to be in the account)."""
    account = plan.account
    try:
        sessions = Sessions(endpoint_url=endpoint_url, profile=aws_profile, home_region=plan.region)
        if aws_profile is None:
            session = sessions.for_role(account.deploy_role_arn)
        else:
            session = sessions.operator
            found = session.client("sts", plan.region).get_caller_identity()["Account"]
            if found != account.account_id:
                raise typer.BadParameter(
                    f"--aws-profile {aws_profile!r} signs in to account {found}, not {account.account_id} "
                    f"({account.name}); fix: use a profile of account {account.account_id}, or omit --aws-profile "
                    "to assume the account's deploy role"
                )
    except (ClientError, BotoCoreError) as error:
        action = f"AWS profile {aws_profile}" if aws_profile else f"sts:AssumeRole {account.deploy_role_arn}"
        errors.print(str(explain(error, action, f"account {account.account_id}, {plan.region}")), highlight=False)
        raise typer.Exit(1) from None
    # One attempt per call: a throttle must be seen, not retried away.
    return AccountSession(session.session, endpoint_url, NO_RETRIES)


def runtime_client(session: AccountSession, region: str) -> Any:
    return session.client("bedrock-runtime", region)


def _send(plan: LoadPlan, client: Any) -> RunResult:
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=errors, transient=True) as progress:
        task = progress.add_task("sending", total=plan.load.requests)
        return run(client, plan, on_record=lambda _record: progress.advance(task))


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def _print_results(plan: LoadPlan, result: RunResult, models: list[ModelResult]) -> None:
    table = Table(title=None)
    for heading in ("model", "sent", "ok", "throttled", "errors", "p50 ms", "p95 ms", "p99 ms"):
        table.add_column(heading, justify="left" if heading == "model" else "right", no_wrap=heading == "model")
    if plan.stream:
        table.add_column("TTFT p95 ms", justify="right")
    table.add_column("tokens in/out", justify="right")
    table.add_column("est. cost", justify="right")
    for m in models:
        row = [m.model, str(m.sent), str(m.ok), str(m.throttles), str(m.errors)]
        row += [_ms(m.latency_ms[p]) for p in (50, 95, 99)]
        if plan.stream:
            row.append(_ms(m.ttft_ms[95]))
        row += [f"{m.input_tokens:,}/{m.output_tokens:,}", usd(m.cost_usd)]
        table.add_row(*row)
    console.print(table)
    codes: dict[str, int] = {}
    for m in models:
        for code, count in m.errors_by_code.items():
            codes[code] = codes.get(code, 0) + count
    if codes:
        console.print("errors by code: " + ", ".join(f"{code} {count}" for code, count in codes.items()))
    console.print(
        f"{sum(m.sent for m in models)} of {plan.load.requests} calls sent in {result.seconds:.1f}s", highlight=False
    )
    if result.stopped:
        errors.print(f"stopped early: {result.stopped}", highlight=False)


def loadgen(
    stack: Annotated[str, typer.Option(help="Workload stack whose account receives the calls.")],
    region: Annotated[str, typer.Option(help="One of the account's regions.")],
    profile: Annotated[
        ProfileName, typer.Option(help="Load profile: gentle (~20 calls, 1 s apart) or burst (~40 calls, 3 workers).")
    ],
    models: Annotated[
        str | None, typer.Option(help="Comma-separated model ids (default: the region's configured text models).")
    ] = None,
    requests: Annotated[
        int | None, typer.Option(help="Number of calls (default from the profile; at most 200).")
    ] = None,
    concurrency: Annotated[
        int | None, typer.Option(help="Concurrent workers (default from the profile; 1-10).")
    ] = None,
    stream: Annotated[
        bool, typer.Option("--stream/--no-stream", help="Use ConverseStream: also measures time to first token.")
    ] = False,
    yes: Annotated[
        bool, typer.Option("--yes", help="Send the calls (they cost money). Without it: plan only.")
    ] = False,
    json_out: Annotated[Path | None, typer.Option("--json", help="Write the results as JSON to this file.")] = None,
    endpoint_url: Annotated[str | None, typer.Option(help="AWS endpoint override (an emulator).")] = None,
    aws_profile: Annotated[
        str | None,
        typer.Option(help="Use this AWS CLI profile's credentials instead of assuming the account's deploy role."),
    ] = None,
) -> None:
    """Send small, bounded Bedrock Converse traffic to one account and region; prints latency percentiles,
    throttles and errors per model. Costs money: nothing is sent without --yes."""
    try:
        target = workload_target(stack, "name a workload stack (obsctl stacks)")
        wanted = [m.strip() for m in models.split(",") if m.strip()] if models is not None else None
        if wanted == []:
            raise PlanError(
                f"--models {models!r} names no model; fix: list model ids separated by commas, or omit --models "
                "for the region's text models"
            )
        plan = build_plan(target.account, region, profile, wanted, requests, concurrency, stream)
        if json_out is not None:
            _check_output_file(json_out, "--json path")
        check_aws_profile(aws_profile)
        check_endpoint_url(endpoint_url)
    except (ConfigError, PlanError, TargetError, OutputError, SessionInputError) as error:
        errors.print(str(error), highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(2) from None
    _describe(plan, stack)
    if not yes:
        errors.print("Nothing sent: these calls cost money. Re-run with --yes to send them.")
        raise typer.Exit(2)
    try:
        session = _session(plan, endpoint_url, aws_profile)
    except typer.BadParameter as error:
        errors.print(str(error), highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(2) from None
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    result = _send(plan, runtime_client(session, region))
    results = summarise(result, plan)
    _print_results(plan, result, results)
    if json_out is not None:
        text = json.dumps(document(result, plan, results, stack, started_at), indent=2) + "\n"
        try:
            write_atomic(json_out, text, "--json path")
        except OutputError as error:
            errors.print(str(error), highlight=False, markup=False, soft_wrap=True)
            raise typer.Exit(1) from None
        console.print(f"results -> {json_out}", highlight=False)
    fatal = result.stopped is not None and "time limit" not in result.stopped
    if fatal or not any(m.ok for m in results):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command()(loadgen)
