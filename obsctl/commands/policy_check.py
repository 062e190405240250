"""`obsctl policy-check`: the CrossGuard pack in policies/, offline, against plan documents."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from obsctl.output import console, errors
from obsctl.policy.files import DEFAULT_MAX_FILE_MB


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
) -> None:
    """Evaluate the CrossGuard pack in policies/ against plans, offline.

    Exit 0: no mandatory violation. 1: at least one. 2: bad input, one line naming the file and the fix.
    """
    from obsctl.policy.run import run_policy_check

    raise typer.Exit(run_policy_check(plans, json_out, config, console, errors, max_file_mb))


def register(app: typer.Typer) -> None:
    app.command("policy-check")(policy_check)
