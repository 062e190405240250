"""`obsctl stacks`: the stacks defined in stacks/."""

from __future__ import annotations

import typer

from inventory.load import list_stacks
from obsctl.output import console


def stacks() -> None:
    """List the stacks defined in stacks/."""
    for name in list_stacks():
        console.print(name)


def register(app: typer.Typer) -> None:
    app.command()(stacks)
