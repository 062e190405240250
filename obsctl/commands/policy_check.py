"""`obsctl policy-check`: the CrossGuard pack in policies/, offline, against plan documents."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from obsctl.output import console


def policy_check(
    plans: Annotated[list[Path], typer.Argument(help="Plan documents (obsctl plan or `pulumi preview --json`).")],
    json_out: Annotated[Path | None, typer.Option("--json", help="Also write the findings as JSON.")] = None,
    config: Annotated[
        Path | None, typer.Option(help="Policy pack config (same format as --policy-pack-config).")
    ] = None,
) -> None:
    """Evaluate the CrossGuard pack in policies/ against plans, offline. Exit 1 on a mandatory violation."""
    from obsctl.policy_check import run_policy_check

    raise typer.Exit(run_policy_check(plans, json_out, config, console))


def register(app: typer.Typer) -> None:
    app.command("policy-check")(policy_check)
