"""`obsctl stacks`: the stacks defined in stacks/, and with --json what CI needs to fan out over them."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.markup import escape

from inventory.errors import ConfigError
from inventory.load import MonitoringStack, StackTarget, list_stacks
from obsctl.output import console, errors
from obsctl.shards import ShardError, parse_shard


def _row(target: StackTarget) -> dict[str, Any]:
    # The monitoring stack deploys a sink (and org alarms) in every region any workload uses.
    regions = target.org.workload_regions if isinstance(target, MonitoringStack) else target.account.regions
    return {
        "name": target.stack,
        "role": target.role,
        "account": target.account.name,
        "accountId": target.account.account_id,
        "regions": list(regions),
    }


def stacks(
    json_out: Annotated[
        bool,
        typer.Option(
            "--json", help="Print a JSON array: name, role, account, accountId, regions per stack (for CI matrices)."
        ),
    ] = False,
    shard: Annotated[
        str | None, typer.Option(metavar="K/N", help="Only the stacks of shard K of N (as plan --all --shard K/N).")
    ] = None,
) -> None:
    """List the stacks defined in stacks/ (the monitoring stack deploys first, then the workload stacks)."""
    try:
        names = parse_shard(shard).select(list_stacks()) if shard else list_stacks()
    except ShardError as error:
        errors.print(str(error), highlight=False)
        raise typer.Exit(2) from None
    if not json_out:
        for name in names:
            console.print(name, highlight=False)
        return
    from obsctl.targets import stack_target

    try:
        rows = [_row(stack_target(name)) for name in names]
    except ConfigError as error:
        errors.print(f"[bold red]stacks refused[/]\n{escape(str(error))}", highlight=False)
        raise typer.Exit(1) from None
    # Plain print: one line of JSON, never wrapped or coloured by the console.
    print(json.dumps(rows))


def register(app: typer.Typer) -> None:
    app.command()(stacks)
