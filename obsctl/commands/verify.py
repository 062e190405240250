"""`obsctl verify`: check live AWS state of every account-region against what the inventory says must be
there (exit 0 all passed, 1 something failed or could not be checked, 2 bad input or credentials)."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from inventory.errors import ConfigError
from inventory.load import STACKS_DIR
from obsctl.aws.errors import explain
from obsctl.aws.session import SessionInputError, Sessions, check_endpoint_url
from obsctl.files import OutputError, ensure_writable_dir
from obsctl.output import console, errors
from obsctl.verify.report import print_report, write_json
from obsctl.verify.run import account_regions, exit_code, stack_names, verify_all
from obsctl.verify.smoke import SmokeSettings, smoke


def _refuse(message: str) -> typer.Exit:
    errors.print(message, markup=False, highlight=False, soft_wrap=True)
    return typer.Exit(2)


def _inputs_ok(stack: str | None, all_stacks: bool, smoke_on: bool, yes: bool) -> None:
    if all_stacks == (stack is not None):
        raise _refuse("Give exactly one of --stack NAME or --all.")
    if smoke_on and not yes:
        raise _refuse(
            "--smoke sends one Converse request per account-region (a few tokens, billed) and waits for its "
            "invocation log; add --yes to confirm."
        )


def _outputs_ok(json_out: str | None, endpoint_url: str | None) -> Path | None:
    """The --json file's directory is writable and --endpoint-url is a URL, before any AWS call."""
    try:
        check_endpoint_url(endpoint_url)
        if json_out is None or json_out == "-":
            return None
        path = Path(json_out)
        if path.is_dir():
            raise OutputError(f"--json {json_out!r} is a directory; fix: give a file path, e.g. build/verify.json")
        ensure_writable_dir(path.parent, "--json path")
        return path
    except (SessionInputError, OutputError) as error:
        raise _refuse(str(error)) from None


def _sessions(endpoint_url: str | None, profile: str | None, home: str) -> Sessions:
    """The operator's sessions, their credentials checked at once (few retries, short timeouts)."""
    try:
        sessions = Sessions(endpoint_url=endpoint_url, profile=profile, home_region=home)
    except SessionInputError as error:
        raise _refuse(str(error)) from None
    try:
        sessions.check_operator(home)
    except Exception as error:
        raise _refuse(str(explain(error, "sts:GetCallerIdentity (operator credentials)", home))) from None
    return sessions


def verify(
    stack: Annotated[str | None, typer.Option(help="Stack to verify (stacks/Pulumi.<stack>.yaml).")] = None,
    all_stacks: Annotated[bool, typer.Option("--all", help="Every workload stack in the stacks directory.")] = False,
    json_out: Annotated[
        str | None, typer.Option("--json", help="Write every record as JSON to FILE ('-': stdout).")
    ] = None,
    endpoint_url: Annotated[str | None, typer.Option(help="Point every client at an emulator.")] = None,
    profile: Annotated[str | None, typer.Option(help="AWS profile of the operator credentials.")] = None,
    concurrency: Annotated[int, typer.Option(min=1, max=256, help="Account-regions checked at once.")] = 16,
    show_passed: Annotated[bool, typer.Option("--show-passed", help="List passing checks too.")] = False,
    smoke_on: Annotated[bool, typer.Option("--smoke", help="One Converse call per region; wait for its log.")] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Confirm --smoke.")] = False,
    smoke_timeout: Annotated[float, typer.Option(min=1, help="Seconds to wait for smoke log delivery.")] = 600,
    stacks_dir: Annotated[Path, typer.Option(help="Directory holding org.yaml and the stack files.")] = STACKS_DIR,
) -> None:
    """Check deployed resources of workload stacks against the inventory, with the deploy role of each account."""
    _inputs_ok(stack, all_stacks, smoke_on, yes)
    json_path = _outputs_ok(json_out, endpoint_url)
    try:
        targets, notes = account_regions([stack] if stack else stack_names(stacks_dir), stacks_dir)
    except ConfigError as error:
        raise _refuse(str(error)) from None
    report_console = errors if json_out == "-" else console
    for note in notes:
        report_console.print(note, highlight=False)
    if not targets:
        raise typer.Exit(0)
    sessions = _sessions(endpoint_url, profile, targets[0].account.home_region)
    extra = smoke(SmokeSettings(timeout_seconds=smoke_timeout)) if smoke_on else None
    started = time.perf_counter()
    results = verify_all(sessions, targets, concurrency, extra=extra)
    print_report(report_console, results, show_passed, time.perf_counter() - started)
    if json_out is not None:
        try:
            write_json(results, json_path or sys.stdout)
        except OutputError as error:
            raise _refuse(str(error)) from None
    for result in results:
        if result.access_problem:
            errors.print(result.access_problem, markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(exit_code(results))


def register(app: typer.Typer) -> None:
    app.command()(verify)
