"""`obsctl plan`: run the real program under Pulumi's mock runtime and write `pulumi preview --json`-shaped plans."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from inventory.load import list_stacks
from obsctl.output import console, errors
from obsctl.plan.batch import PlanOutcome, plan_many, plan_to_file


def _print_outcome(outcome: PlanOutcome) -> None:
    if outcome.error:
        errors.print(f"[bold red]{outcome.stack}: plan refused[/]\n{outcome.error}", markup=True, highlight=False)
        return
    # One column per account/region, one row per resource type: gaps across regions stand out.
    places = list(outcome.by_place)
    accounts = ", ".join(sorted({account for account, _ in places}))
    # A heading line, not a table title: titles wrap at the table's (narrow) width.
    console.print(
        f"[bold]{outcome.stack}[/] (account {accounts}): {outcome.resource_count} AWS resources -> "
        f"{outcome.path} ({outcome.seconds:.1f}s)",
        highlight=False,
    )
    table = Table()
    table.add_column("resource type", no_wrap=True)
    for _, region in places:
        table.add_column(region, justify="right")
    types = sorted({t for counts in outcome.by_place.values() for t in counts})
    for type_ in types:
        table.add_row(type_.split(":")[-1], *(str(outcome.by_place[p].get(type_, "")) for p in places))
    console.print(table)


def plan(
    stack: Annotated[str | None, typer.Option(help="Stack to plan (stacks/Pulumi.<stack>.yaml).")] = None,
    out: Annotated[
        Path | None, typer.Option(help="Plan file to write, with --stack (default: OUT_DIR/<stack>.json).")
    ] = None,
    all_stacks: Annotated[bool, typer.Option("--all", help="Plan every stack in stacks/.")] = False,
    out_dir: Annotated[Path, typer.Option(help="Directory for <stack>.json.")] = Path("build/plans"),
) -> None:
    """Run the real Pulumi program under Pulumi's mock runtime and write a `pulumi preview --json`-shaped plan."""
    if all_stacks == (stack is not None):
        errors.print("Give exactly one of --stack NAME or --all.")
        raise typer.Exit(2)
    if all_stacks and out is not None:
        errors.print("--out names one file; with --all use --out-dir DIR (one <stack>.json each).")
        raise typer.Exit(2)
    started = time.perf_counter()
    if stack is not None:
        outcomes = [plan_to_file(stack, out or out_dir / f"{stack}.json")]
    else:
        outcomes = plan_many(list_stacks(), out_dir)
    for outcome in outcomes:
        _print_outcome(outcome)
    elapsed = time.perf_counter() - started
    failed = [o.stack for o in outcomes if o.error]
    total = sum(o.resource_count for o in outcomes)
    console.print(
        f"{len(outcomes) - len(failed)}/{len(outcomes)} stacks planned, {total} AWS resources, {elapsed:.1f}s"
    )
    if failed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command()(plan)
