"""The accounts an operator command works on, resolved from stacks/ exactly as `pulumi up` resolves them."""

from __future__ import annotations

import botocore.session

from inventory.errors import ConfigError
from inventory.load import StackTarget, WorkloadStack, list_stacks, read_stack_file, resolve_stack
from inventory.models import Organisation


def stack_target(stack: str) -> StackTarget:
    """The validated inventory and account of `stack`; ConfigError names the stack file or inventory."""
    return resolve_stack(stack, read_stack_file(stack))


def check_aws_profile(name: str | None) -> None:
    """`--aws-profile` must name a profile of the AWS config or credentials files (checked offline)."""
    if name is None:
        return
    known = botocore.session.Session().available_profiles
    if name not in known:
        raise TargetError(
            f"--aws-profile {name!r} is not a profile in the AWS config or credentials files; fix: use one of "
            f"{', '.join(sorted(known)) or '(none configured)'}, or create it (aws configure --profile {name})"
        )


class TargetError(ValueError):
    """A stack that exists but does not fit the command; the message names the option and the fix."""


def workload_target(stack: str, fix: str) -> WorkloadStack:
    """A workload stack's target; the monitoring stack is refused (TargetError) with `fix`."""
    target = stack_target(stack)
    if not isinstance(target, WorkloadStack):
        raise TargetError(
            f"--stack {stack!r} deploys the monitoring account, which runs no Bedrock workload; fix: {fix}"
        )
    return target


def organisation() -> Organisation:
    """The org inventory as the stacks read it (every stack is validated, so a broken one is reported)."""
    targets = [stack_target(stack) for stack in list_stacks()]
    if not targets:
        raise ConfigError("stacks/", ["no Pulumi.<stack>.yaml found; fix: add the stacks (README, 'The inventory')"])
    return next((t.org for t in targets if t.role == "monitoring"), targets[0].org)
