"""`python -m obsctl`: the operator CLI. Each command lives in its own module under obsctl/commands/."""

from __future__ import annotations

import typer

from obsctl.commands import loadgen, onboard, plan, policy_check, report, stacks, verify

app = typer.Typer(
    help="Bedrock observability operator tooling. Everything here runs offline unless a command says otherwise.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

# Adding a command: a module in obsctl/commands/ with `register(app)`, listed here.
COMMANDS = (plan, policy_check, stacks, onboard, verify, loadgen, report)

for command in COMMANDS:
    command.register(app)
