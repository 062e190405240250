"""`obsctl onboard`: add a workload account to stacks/ (validated, atomic, never clobbering), optionally
preflight it against AWS, and print the next steps in order."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.syntax import Syntax
from rich.table import Table

from inventory.errors import ConfigError
from inventory.load import STACKS_DIR
from obsctl.aws.errors import explain
from obsctl.aws.session import SessionInputError, Sessions, check_endpoint_url
from obsctl.onboard.imports import ImportCommands
from obsctl.onboard.preflight import Finding, run_preflight
from obsctl.onboard.proposal import OnboardError, OnboardRequest, Proposal, display, propose, split_list
from obsctl.onboard.steps import Step, next_steps
from obsctl.onboard.write import WriteError, write_pair
from obsctl.output import console, errors

_STATUS_STYLE = {"pass": "green", "warn": "yellow", "fail": "bold red", "skip": "dim"}


def _refuse(message: str, code: int = 2) -> typer.Exit:
    errors.print(message, markup=False, highlight=False, soft_wrap=True)
    return typer.Exit(code)


def _preflight(proposal: Proposal, endpoint_url: str | None, profile: str | None) -> list[Finding]:
    account = proposal.workload
    try:
        sessions = Sessions(endpoint_url=endpoint_url, profile=profile, home_region=account.home_region)
    except SessionInputError as error:
        raise _refuse(f"onboard refused, nothing written: {error}") from None
    try:
        sessions.check_operator(account.home_region)
    except Exception as error:
        raise _refuse(
            str(explain(error, "sts:GetCallerIdentity (operator credentials)", account.home_region))
        ) from None
    return run_preflight(account, proposal.after, sessions, ImportCommands(proposal.name, proposal.org_text))


def _print_findings(findings: list[Finding]) -> None:
    table = Table(title=None)
    for column in ("region", "check", "status", "detail"):
        table.add_column(column, overflow="fold")
    for f in findings:
        table.add_row(f.region, f.check, f"[{_STATUS_STYLE[f.status]}]{f.status}[/]", f.detail)
    console.print(table)
    for f in findings:
        if f.command:
            console.print(f"{f.region} {f.check}: to adopt what exists:\n  {f.command}", markup=False, soft_wrap=True)


def _print_steps(steps: list[Step]) -> None:
    console.print("[bold]Next steps[/]")
    for number, step in enumerate(steps, start=1):
        console.print(f"{number}. {step.title}" + (f" - {step.why}" if step.why else ""), highlight=False)
        for command in step.commands:
            console.print(f"     {command}", markup=False, highlight=False)


def _json(proposal: Proposal, findings: list[Finding], steps: list[Step], written: bool, dry_run: bool) -> None:
    document = {
        "account": proposal.workload.model_dump(include={"name", "account_id", "deploy_role_arn", "environment"})
        | {"regions": list(proposal.workload.regions), "models": list(proposal.workload.models)},
        "already_onboarded": proposal.already_onboarded,
        "dry_run": dry_run,
        "written": [display(path) for path in proposal.written_paths] if written else [],
        "diff": proposal.diff(),
        "notes": list(proposal.notes),
        "preflight": [asdict(f) for f in findings],
        "next_steps": [asdict(step) for step in steps],
    }
    console.print_json(json.dumps(document))


def onboard(
    name: Annotated[str, typer.Option(help="Account name (lowercase slug); also the stack name.")],
    account_id: Annotated[str, typer.Option(help="12-digit AWS account id.")],
    regions: Annotated[str, typer.Option(help="Comma-separated regions; the first is home (trail, budget).")],
    models: Annotated[str, typer.Option(help="Comma-separated Bedrock model ids (not ARNs).")],
    environment: Annotated[str | None, typer.Option(help="Default: the name's suffix if the org uses it.")] = None,
    role_arn: Annotated[
        str | None, typer.Option(help="Deploy role. Default: the role name the other accounts use.")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the diff; write nothing.")] = False,
    preflight: Annotated[
        bool, typer.Option("--preflight", help="Check the account against AWS first (deploy role assumed).")
    ] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print one JSON document instead of text.")] = False,
    stacks_dir: Annotated[Path, typer.Option(help="Directory holding org.yaml and the stack files.")] = STACKS_DIR,
    endpoint_url: Annotated[str | None, typer.Option(help="AWS endpoint for --preflight (emulator).")] = None,
    profile: Annotated[str | None, typer.Option(help="AWS profile of the operator credentials.")] = None,
) -> None:
    """Add a workload account to stacks/org.yaml and write stacks/Pulumi.<name>.yaml (exit 2: refused, nothing
    written; exit 1: preflight failed or files not written)."""
    try:
        request = OnboardRequest(
            name=name,
            account_id=account_id,
            regions=split_list("--regions", regions),
            models=split_list("--models", models),
            environment=environment,
            role_arn=role_arn,
        )
        check_endpoint_url(endpoint_url)
        proposal = propose(request, stacks_dir)
    except (OnboardError, ConfigError, SessionInputError) as error:
        raise _refuse(f"onboard refused, nothing written:\n{error}") from None
    findings = _preflight(proposal, endpoint_url, profile) if preflight else []
    failed = any(f.status == "fail" for f in findings)
    written = False
    if not (failed or dry_run or proposal.already_onboarded):
        try:
            write_pair(
                proposal.org_path, proposal.original, proposal.org_text, proposal.stack_path, proposal.stack_text
            )
        except WriteError as error:
            raise _refuse(f"onboard failed, nothing written: {error}", code=1) from None
        written = True
    steps = next_steps(proposal.after, proposal.workload, preflight_done=preflight)
    if json_out:
        _json(proposal, findings, steps, written, dry_run)
    else:
        _report(proposal, findings, steps, written, dry_run)
    if failed:
        raise typer.Exit(1)


def _report(proposal: Proposal, findings: list[Finding], steps: list[Step], written: bool, dry_run: bool) -> None:
    for note in proposal.notes:
        console.print(note, highlight=False)
    if findings:
        _print_findings(findings)
    if any(f.status == "fail" for f in findings):
        done = "" if proposal.already_onboarded else ": nothing written"
        errors.print(f"preflight failed{done}; fix the failing checks, then run it again", soft_wrap=True)
        return
    if dry_run and not proposal.already_onboarded:
        console.print(Syntax(proposal.diff(), "diff", theme="ansi_dark", background_color="default"))
        console.print("dry run: nothing written")
        return
    if written:
        console.print(f"wrote {' and '.join(display(p) for p in proposal.written_paths)}", highlight=False)
    _print_steps(steps)


def register(app: typer.Typer) -> None:
    app.command()(onboard)
