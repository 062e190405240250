"""`obsctl policy-check`: the CrossGuard pack in policies/, offline, against plan documents."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.markup import escape

from obsctl.output import console, errors
from obsctl.policy.files import DEFAULT_MAX_FILE_MB
from obsctl.shards import ShardError, parse_shard


def policy_check(
    plans: Annotated[
        list[Path], typer.Argument(help="Plan documents (obsctl plan, or `pulumi preview --json --show-sames`).")
    ],
    json_out: Annotated[Path | None, typer.Option("--json", help="Also write the findings as JSON.")] = None,
    config: Annotated[
        Path | None, typer.Option(help="Policy pack config (same format as --policy-pack-config).")
    ] = None,
    max_file_mb: Annotated[
        int, typer.Option(min=1, max=1024, help="Refuse plan files larger than this, unread.")
    ] = DEFAULT_MAX_FILE_MB,
    shard: Annotated[
        str | None,
        typer.Option(
            metavar="K/N",
            help="Check only the plans of shard K of N: the files <stack>.json of the stacks "
            "`obsctl plan --all --shard K/N` plans (each must be given).",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Worker processes, each checking a share of the plans (default: one per core; the report is "
            "the same for any number).",
        ),
    ] = None,
) -> None:
    """Evaluate the CrossGuard pack in policies/ against plans, offline.

    Exit 0: no mandatory violation. 1: at least one. 2: bad input, one line naming the file and the fix.
    """
    from obsctl.policy.run import run_policy_check

    if shard is not None:
        plans = _shard_plans(plans, shard)
        if not plans:
            raise typer.Exit(0)
    raise typer.Exit(run_policy_check(plans, json_out, config, console, errors, max_file_mb, workers))


def _shard_plans(plans: list[Path], shard: str) -> list[Path]:
    """The given plans of the shard's stacks (named <stack>.json, as `plan --all --out-dir` writes them).

    Bad input exits 2 before any rule runs: a file named after no stack of stacks/, or a stack of the shard
    without its plan (a runner must never pass by checking less than it planned)."""
    from inventory.load import list_stacks

    try:
        selected = parse_shard(shard)
    except ShardError as error:
        _refuse(str(error))
    stacks = list_stacks()
    wanted = selected.select(stacks)
    if not wanted:  # more runners than stacks: this one has nothing to check, whatever it was given
        console.print(f"shard {selected}: no stacks ({len(stacks)} stacks in stacks/), nothing to check")
        return []
    by_stack = {path.name.removesuffix(".json"): path for path in plans}
    unknown = sorted(name for name in by_stack if name not in stacks)
    if unknown:
        _refuse(
            f"--shard {selected}: {', '.join(repr(str(by_stack[name])) for name in unknown)} is not named after a "
            f"stack of stacks/ ({', '.join(stacks)}); fix: pass the <stack>.json files `obsctl plan --all "
            "--out-dir DIR` writes, or leave out --shard"
        )
    missing = [stack for stack in wanted if stack not in by_stack]
    if missing:
        _refuse(
            f"--shard {selected}: no plan given for {', '.join(missing)}; fix: run `obsctl plan --all --shard "
            f"{selected} --out-dir DIR` and pass DIR/*.json"
        )
    return [by_stack[stack] for stack in wanted]


def _refuse(message: str) -> NoReturn:
    errors.print(f"[bold red]error:[/] {escape(message)}", highlight=False)
    raise typer.Exit(2)


def register(app: typer.Typer) -> None:
    app.command("policy-check")(policy_check)
