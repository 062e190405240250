"""Stack files from a directory other than stacks/ (`obsctl plan --stacks-dir DIR`).

Same convention as `obsctl verify --stacks-dir`: the directory holds `Pulumi.<stack>.yaml` files and the
inventory they name (`bedrock-observability:inventory`, default org.yaml) relative to the directory. The
config is what the CLI would hand the program, with the inventory made an absolute path (the program
resolves a relative one against stacks/).
"""

from __future__ import annotations

import json
from pathlib import Path

from inventory.errors import ConfigError
from inventory.identifiers import require_stack_name
from inventory.load import PROJECT_NAME
from inventory.yaml_reader import read_yaml

INVENTORY_KEY = f"{PROJECT_NAME}:inventory"


def stack_names(stacks_dir: Path) -> list[str]:
    """The stacks of `stacks_dir` (its own Pulumi.<stack>.yaml files; subdirectories are not looked into)."""
    return sorted(p.name[len("Pulumi.") : -len(".yaml")] for p in stacks_dir.glob("Pulumi.*.yaml"))


def read_stack_config(stack: str, stacks_dir: Path) -> dict[str, str]:
    """The `config:` mapping of `stacks_dir/Pulumi.<stack>.yaml` as the program receives it; ConfigError
    naming the file (or the known stacks) otherwise."""
    require_stack_name(stack)
    path = stacks_dir / f"Pulumi.{stack}.yaml"
    if not path.is_file():
        known = ", ".join(stack_names(stacks_dir)) or "none"
        raise ConfigError(str(stacks_dir), [f"no such stack {stack!r}; fix: use one of: {known}"])
    data = read_yaml(path) or {}
    config = data.get("config") if isinstance(data, dict) else None
    if not isinstance(config, dict):
        raise ConfigError(str(path), ["expected a top-level 'config:' mapping"])
    # As Pulumi hands config to programs: strings as-is, structured values as JSON.
    values = {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in config.items()}
    values[INVENTORY_KEY] = str(stacks_dir.resolve() / values.get(INVENTORY_KEY, "org.yaml"))
    return values
