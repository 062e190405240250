"""Load the org inventory and resolve which account a stack deploys.

The Pulumi program and obsctl both go through `resolve_stack`, so a stack is validated the same way
whether it runs under `pulumi up` or offline.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import ValidationError

from inventory.errors import ConfigError, from_validation_error
from inventory.models import MonitoringAccount, Organisation, WorkloadAccount

PROJECT_NAME = "bedrock-observability"
PROJECT_DIR = Path(__file__).resolve().parent.parent
STACKS_DIR = PROJECT_DIR / "stacks"

# Keys this project reads from `Pulumi.<stack>.yaml` (namespace `bedrock-observability:`).
_STACK_KEYS = {
    "account": "name of the account in the inventory this stack deploys",
    "inventory": "inventory file, relative to stacks/ (default: org.yaml)",
}
# Namespaces owned by Pulumi itself or by providers; passed through untouched.
_FOREIGN_NAMESPACES = ("pulumi", "aws", "grafana")


@dataclass(frozen=True)
class WorkloadStack:
    """A stack that deploys one workload account. The whole org is kept: the stack links to the monitoring
    account's sinks."""

    stack: str
    org: Organisation
    account: WorkloadAccount

    @property
    def role(self) -> Literal["workload"]:
        return "workload"


@dataclass(frozen=True)
class MonitoringStack:
    """The stack of the monitoring account. The whole org is kept: it sees every workload account."""

    stack: str
    org: Organisation
    account: MonitoringAccount

    @property
    def role(self) -> Literal["monitoring"]:
        return "monitoring"


# What one stack deploys; tell the two apart with isinstance (or `match`).
StackTarget = WorkloadStack | MonitoringStack


def _read_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except FileNotFoundError:
        raise ConfigError(str(path), ["file not found; fix: create it or check the path"]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(str(path), [f"cannot be read ({error}); fix: point at a readable UTF-8 YAML file"]) from None
    except yaml.YAMLError as error:
        raise ConfigError(str(path), [f"not valid YAML: {error}"]) from None


def load_organisation(path: Path) -> Organisation:
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise ConfigError(str(path), ["expected a mapping with monitoring_account, defaults, workload_accounts"])
    try:
        return Organisation.model_validate(data)
    except ValidationError as error:
        raise from_validation_error(_display(path), Organisation, error) from None


def read_stack_file(stack: str) -> dict[str, str]:
    """The `config:` mapping of stacks/Pulumi.<stack>.yaml, as the CLI would pass it to the program."""
    path = STACKS_DIR / f"Pulumi.{stack}.yaml"
    if not path.exists():
        known = ", ".join(list_stacks()) or "none"
        raise ConfigError(_display(path), [f"no such stack {stack!r}; fix: use one of: {known}"])
    data = _read_yaml(path) or {}
    config = data.get("config") if isinstance(data, dict) else None
    if not isinstance(config, dict):
        raise ConfigError(_display(path), ["expected a top-level 'config:' mapping"])
    return {str(key): value if isinstance(value, str) else _to_config_string(value) for key, value in config.items()}


def _to_config_string(value: Any) -> str:
    # Pulumi passes structured config values to programs as JSON strings.
    import json

    return json.dumps(value)


def list_stacks() -> list[str]:
    return sorted(p.name[len("Pulumi.") : -len(".yaml")] for p in STACKS_DIR.glob("Pulumi.*.yaml"))


def resolve_stack(stack: str, config: dict[str, str]) -> StackTarget:
    """Validate the stack's own config keys, load the inventory and find the stack's account."""
    source = f"stacks/Pulumi.{stack}.yaml"
    own: dict[str, str] = {}
    problems: list[str] = []
    for key, value in config.items():
        namespace, _, name = key.partition(":")
        if namespace == PROJECT_NAME:
            if name not in _STACK_KEYS:
                known = ", ".join(f"{PROJECT_NAME}:{k}" for k in _STACK_KEYS)
                problems.append(f"{key}: unknown key; fix: remove it or correct the spelling (known keys: {known})")
            own[name] = value
        elif namespace not in _FOREIGN_NAMESPACES:
            problems.append(
                f"{key}: unknown namespace {namespace!r}; fix: this project's keys are {PROJECT_NAME}:<key>"
            )
    if "account" not in own:
        problems.append(f"{PROJECT_NAME}:account: required but missing; fix: name an account from the inventory")
    if problems:
        raise ConfigError(source, problems)

    inventory_path = STACKS_DIR / own.get("inventory", "org.yaml")
    org = load_organisation(inventory_path)
    name = own["account"]
    if name == org.monitoring_account.name:
        return MonitoringStack(stack=stack, org=org, account=org.monitoring_account)
    workload = org.workload(name)
    if workload is None:
        known = ", ".join([org.monitoring_account.name, *(a.name for a in org.workload_accounts)])
        raise ConfigError(
            source,
            [
                f"{PROJECT_NAME}:account = {name!r}: no such account in {_display(inventory_path)}; "
                f"fix: use one of: {known}"
            ],
        )
    return WorkloadStack(stack=stack, org=org, account=workload)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(PROJECT_DIR))
    except ValueError:
        return str(path)
