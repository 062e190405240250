"""`obsctl plan`: run the real program under Pulumi's mock runtime and write `pulumi preview --json`-shaped plans."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from inventory.cost import CostAssumptions, with_overrides
from inventory.errors import ConfigError
from inventory.identifiers import check_stack_name
from inventory.load import list_stacks
from obsctl.cost import report
from obsctl.output import console, errors
from obsctl.plan.batch import PlanOutcome, plan_many, plan_to_file
from obsctl.plan.stack_files import read_stack_config, stack_names
from obsctl.shards import Shard, ShardError, parse_shard


def _print_outcome(outcome: PlanOutcome, out: Console) -> None:
    if outcome.error:
        errors.print(f"[bold red]{outcome.stack}: plan refused[/]\n{outcome.error}", markup=True, highlight=False)
        return
    # One column per account/region, one row per resource type: gaps across regions stand out.
    places = list(outcome.by_place)
    accounts = ", ".join(sorted({account for account, _ in places}))
    # A heading line, not a table title: titles wrap at the table's (narrow) width.
    out.print(
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
    out.print(table)
    if outcome.cost and "error" in outcome.cost:
        errors.print(f"[yellow]{outcome.stack}: no cost estimate[/] {outcome.cost['error']}", highlight=False)
    elif outcome.cost:
        out.print(f"{outcome.stack} {report.heading(outcome.cost)}", highlight=False)
        out.print(report.table(outcome.cost))


def _summary(outcomes: list[PlanOutcome]) -> dict[str, Any]:
    """What `--json` writes: every stack's plan file, resource count and cost estimate (with its breakdown)."""
    return {
        "stacks": [
            {
                "stack": o.stack,
                "plan": str(o.path) if o.path else None,
                "resources": o.resource_count,
                "seconds": round(o.seconds, 2),
                "error": o.error,
                "costEstimate": o.cost,
            }
            for o in outcomes
        ],
        "failed": [o.stack for o in outcomes if o.error],
        # null (not a partial sum) when any stack's estimate was refused: a reader never mistakes it for $0.
        "monthlyUsd": _total_usd(outcomes),
        # Stacks whose estimate was refused (e.g. a region without prices); their own costEstimate says why,
        # and the other stacks keep theirs.
        "costUnknown": _cost_unknown(outcomes),
    }


def _cost_unknown(outcomes: list[PlanOutcome]) -> list[str]:
    return [o.stack for o in outcomes if o.cost and "error" in o.cost]


def _total_usd(outcomes: list[PlanOutcome]) -> float | None:
    """The planned stacks' estimated monthly total; None when any of them has no estimate."""
    if _cost_unknown(outcomes):
        return None
    return round(sum(o.cost["monthlyUsd"] for o in outcomes if o.cost and "monthlyUsd" in o.cost), 2)


def _total_line(outcomes: list[PlanOutcome]) -> str:
    total = _total_usd(outcomes)
    if total is None:
        return f"estimated USD unknown/month (no estimate for {', '.join(_cost_unknown(outcomes))})"
    return f"estimated USD {total:.2f}/month"


def _cost_overrides(**given: float | None) -> dict[str, float]:
    overrides = {name: value for name, value in given.items() if value is not None}
    try:
        with_overrides(CostAssumptions(), overrides)
    except ValueError as error:
        errors.print(f"Invalid cost assumption: {error}", highlight=False)
        raise typer.Exit(2) from None
    return overrides


def plan(
    stack: Annotated[str | None, typer.Option(help="Stack to plan (stacks/Pulumi.<stack>.yaml).")] = None,
    out: Annotated[
        Path | None, typer.Option(help="Plan file to write, with --stack (default: OUT_DIR/<stack>.json).")
    ] = None,
    all_stacks: Annotated[bool, typer.Option("--all", help="Plan every stack in stacks/ (or --stacks-dir).")] = False,
    stacks_dir: Annotated[
        Path | None,
        typer.Option(
            help="Directory holding the stack files and the inventory they name, relative to it (default: "
            "stacks/), e.g. stacks/examples/seed-scope."
        ),
    ] = None,
    out_dir: Annotated[Path, typer.Option(help="Directory for <stack>.json.")] = Path("build/plans"),
    json_out: Annotated[
        Path | None,
        typer.Option("--json", help="Also write a machine-readable summary with the cost breakdown ('-' = stdout)."),
    ] = None,
    invocations_per_day: Annotated[
        float | None, typer.Option(help="Cost assumption for every account: invocations per day per region.")
    ] = None,
    avg_payload_kb: Annotated[
        float | None, typer.Option(help="Cost assumption: average logged record size in KB (0-100).")
    ] = None,
    large_payload_share: Annotated[
        float | None, typer.Option(help="Cost assumption: share of invocations with a large payload (0-1).")
    ] = None,
    shard: Annotated[
        str | None,
        typer.Option(
            metavar="K/N",
            help="With --all: plan only shard K of N (stacks sorted by name, dealt round-robin; "
            "policy-check --shard K/N checks the same stacks).",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1, help="With --all: worker processes, each planning stack after stack (default: one per core)."
        ),
    ] = None,
) -> None:
    """Run the real Pulumi program under Pulumi's mock runtime and write a `pulumi preview --json`-shaped plan.

    Each plan carries its estimated monthly cost (obsctl/cost; assumptions in the inventory's
    cost_assumptions, overridable here)."""
    _check_selection(stack, all_stacks, out is not None, shard is not None or workers is not None, stacks_dir)
    selected = _selected_shard(shard)
    overrides = _cost_overrides(
        invocations_per_day=invocations_per_day, avg_payload_kb=avg_payload_kb, large_payload_share=large_payload_share
    )
    # With the summary on stdout, the readable tables go to stderr.
    readable = errors if json_out == Path("-") else console
    started = time.perf_counter()
    every = [stack] if stack is not None else _stacks_in(stacks_dir)
    stacks = selected.select(every) if selected else every
    if selected:
        readable.print(f"shard {selected}: {len(stacks)} of {len(every)} stacks ({', '.join(stacks) or 'none'})")
    configs, refused = _stack_configs(stacks, stacks_dir)
    for outcome in refused:
        _print_outcome(outcome, readable)
    stacks = [s for s in stacks if s not in {o.stack for o in refused}]
    if stack is not None:
        planned = [plan_to_file(s, out or out_dir / f"{s}.json", configs.get(s), overrides) for s in stacks]
        for outcome in planned:
            _print_outcome(outcome, readable)
    else:
        # Each stack's table as soon as it and the stacks before it are planned: progress on long runs.
        planned = plan_many(
            stacks, out_dir, workers, configs, overrides, on_outcome=lambda o: _print_outcome(o, readable)
        )
    outcomes = refused + planned
    elapsed = time.perf_counter() - started
    failed = [o.stack for o in outcomes if o.error]
    total = sum(o.resource_count for o in outcomes)
    readable.print(
        f"{len(outcomes) - len(failed)}/{len(outcomes)} stacks planned, {total} AWS resources, "
        f"{_total_line(outcomes)}, {elapsed:.1f}s",
        highlight=False,
    )
    if json_out is not None:
        _write_summary({**_summary(outcomes), "shard": str(selected) if selected else None}, json_out)
    if failed:
        raise typer.Exit(1)


def _check_selection(stack: str | None, all_stacks: bool, has_out: bool, splits: bool, stacks_dir: Path | None) -> None:
    """Exactly one of --stack NAME (a known stack) or --all, with the options that fit it; else exit 2."""
    if all_stacks == (stack is not None):
        errors.print("Give exactly one of --stack NAME or --all.")
        raise typer.Exit(2)
    if all_stacks and has_out:
        errors.print("--out names one file; with --all use --out-dir DIR (one <stack>.json each).")
        raise typer.Exit(2)
    if stack is not None and splits:
        errors.print("--shard and --workers split --all; with --stack NAME leave them out.")
        raise typer.Exit(2)
    if stack is not None:
        _require_known_stack(stack, stacks_dir)


def _require_known_stack(stack: str, stacks_dir: Path | None) -> None:
    """`--stack` is an option: a malformed or unknown name is bad input (exit 2), before anything is planned."""
    try:
        check_stack_name(stack)
    except ValueError as error:
        errors.print(f"--stack {stack!r} {error}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    known = _stacks_in(stacks_dir)
    if stack not in known:
        where = stacks_dir or Path("stacks")
        errors.print(
            f"--stack {stack!r}: no stack file {where}/Pulumi.{stack}.yaml; fix: "
            + (f"use one of: {', '.join(known)}" if known else f"{where} holds no stack file; check --stacks-dir"),
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(2)


def _stacks_in(stacks_dir: Path | None) -> list[str]:
    return stack_names(stacks_dir) if stacks_dir is not None else list_stacks()


def _stack_configs(stacks: list[str], stacks_dir: Path | None) -> tuple[dict[str, dict[str, str]], list[PlanOutcome]]:
    """With --stacks-dir, each stack's config read from there (stacks/ is read by the runner itself), and an
    outcome with the reason for each stack file that cannot be used."""
    configs: dict[str, dict[str, str]] = {}
    refused: list[PlanOutcome] = []
    if stacks_dir is None:
        return configs, refused
    for name in stacks:
        try:
            configs[name] = read_stack_config(name, stacks_dir)
        except ConfigError as error:
            refused.append(PlanOutcome(name, None, 0, {}, str(error), 0.0))
    return configs, refused


def _selected_shard(text: str | None) -> Shard | None:
    if text is None:
        return None
    try:
        return parse_shard(text)
    except ShardError as error:
        errors.print(str(error), highlight=False)
        raise typer.Exit(2) from None


def _write_summary(summary: dict[str, Any], path: Path) -> None:
    text = json.dumps(summary, indent=2) + "\n"
    if path == Path("-"):
        sys.stdout.write(text)
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        errors.print(f"cannot write {path} ({error.strerror}); fix: choose a writable --json path")
        raise typer.Exit(1) from None


def register(app: typer.Typer) -> None:
    app.command()(plan)
