"""Pulumi entry point: `pulumi up` / `pulumi preview` run this for the selected stack.

The stack's config (stacks/Pulumi.<stack>.yaml) names an account of the org inventory
(stacks/org.yaml); both are validated before any resource is registered.
"""

import pulumi

from inventory.errors import ConfigError
from inventory.load import resolve_stack
from program import build
from program.stack_config import current_config

try:
    target = resolve_stack(pulumi.get_stack(), current_config())
except ConfigError as error:
    # RunError is reported by Pulumi as a plain message, without a Python traceback.
    raise pulumi.RunError(str(error)) from None

build(target)
