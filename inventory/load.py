"""Load the org inventory and resolve which account a stack deploys.

The Pulumi program and obsctl both go through `resolve_stack`, so a stack is validated the same way
whether it runs under `pulumi up` or offline.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from inventory.errors import ConfigError, from_validation_error
from inventory.identifiers import check_stack_name, invisible, require_stack_name
from inventory.models import MonitoringAccount, Organisation, WorkloadAccount
from inventory.yaml_reader import parse_yaml, read_bounded, read_yaml

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
    return read_yaml(path, _display(path))


# Organisations already validated in this process, by file and content: `__main__.py` and the plan runner's
# stack-reference outputs both resolve the stack, but the inventory is read and validated once.
_ORGANISATIONS: dict[tuple[str, str], Organisation] = {}
_CACHE_SIZE = 8


def load_organisation(path: Path) -> Organisation:
    """The validated inventory in `path`; a ConfigError (field, value, fix) for any mistake.

    Cached per process by resolved path and a hash of the bytes read (a bounded read is far cheaper than
    parsing and validating), so an edited file is always read anew.
    """
    display = _display(path)
    data = read_bounded(path, display)
    key = (str(path.resolve()), hashlib.sha256(data).hexdigest())
    cached = _ORGANISATIONS.get(key)
    if cached is not None:
        return cached
    org = parse_organisation(data, display)
    if len(_ORGANISATIONS) >= _CACHE_SIZE:
        _ORGANISATIONS.pop(next(iter(_ORGANISATIONS)))
    _ORGANISATIONS[key] = org
    return org


def parse_organisation(data: bytes | str, source: str) -> Organisation:
    """An inventory document (YAML text) validated, uncached; `source` names it in errors. For commands
    that check an edited inventory before writing it (e.g. onboarding)."""
    document = parse_yaml(data, source)
    if not isinstance(document, dict):
        raise ConfigError(source, ["expected a mapping with monitoring_account, defaults, workload_accounts"])
    try:
        return Organisation.model_validate(document)
    except ValidationError as error:
        raise from_validation_error(source, Organisation, error) from None


def read_stack_file(stack: str) -> dict[str, str]:
    """The `config:` mapping of stacks/Pulumi.<stack>.yaml, as the CLI would pass it to the program."""
    path = STACKS_DIR / f"Pulumi.{stack}.yaml"
    if stack in list_stacks():  # the name comes from a file (plan --all): name the file, not --stack
        try:
            check_stack_name(stack)
        except ValueError as error:
            problem = f"the file name makes the stack name {stack!r}, which {error} (rename the file)"
            raise ConfigError(_display(path), [problem]) from None
    require_stack_name(stack)
    if not path.exists():
        known = ", ".join(list_stacks()) or "none"
        raise ConfigError(_display(path), [f"no such stack {stack!r}; fix: use one of: {known}"])
    data = _read_yaml(path) or {}
    config = data.get("config") if isinstance(data, dict) else None
    if not isinstance(config, dict):
        raise ConfigError(_display(path), ["expected a top-level 'config:' mapping"])
    return {key: value if isinstance(value, str) else _to_config_string(value) for key, value in config.items()}


def _to_config_string(value: Any) -> str:
    # Pulumi passes structured config values to programs as JSON strings.
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
    _refuse_shared_account(stack, source, inventory_path, name)
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


def _refuse_shared_account(stack: str, source: str, inventory: Path, account: str) -> None:
    """One stack file per account: a second file naming the same account of the same inventory would deploy
    it twice (each stack fighting over the same resources) and leave the account it was meant for without one."""
    key = (_resolved(inventory), account)
    others = sorted(other for other, named in _stack_accounts().items() if named == key and other != stack)
    if others:
        files = ", ".join(f"stacks/Pulumi.{other}.yaml" for other in others)
        raise ConfigError(
            source,
            [
                f"{PROJECT_NAME}:account = {account!r}: also named by {files}; an account is deployed by exactly "
                "one stack; fix: correct the account in one of the files (or remove the extra stack file)"
            ],
        )


# (inventory, account) each stack file names, cached per process by the files' names, sizes and mtimes.
_STACK_ACCOUNTS: dict[tuple[tuple[str, int, int], ...], dict[str, tuple[str, str]]] = {}


def _stack_accounts() -> dict[str, tuple[str, str]]:
    """stack -> (resolved inventory path, account) for every readable stack file in stacks/. A file that
    cannot be read is left out here: it is refused, with its own message, when its stack is planned."""
    files = sorted(STACKS_DIR.glob("Pulumi.*.yaml"))
    try:
        signature = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    except OSError:
        signature = ()
    cached = _STACK_ACCOUNTS.get(signature) if signature else None
    if cached is not None:
        return cached
    accounts: dict[str, tuple[str, str]] = {}
    for path in files:
        named = _named_account(path)
        if named is not None:
            accounts[path.name[len("Pulumi.") : -len(".yaml")]] = named
    _STACK_ACCOUNTS.clear()
    _STACK_ACCOUNTS[signature] = accounts
    return accounts


def _named_account(path: Path) -> tuple[str, str] | None:
    try:
        data = _read_yaml(path)
    except ConfigError:
        return None
    config = data.get("config") if isinstance(data, dict) else None
    if not isinstance(config, dict):
        return None
    account = config.get(f"{PROJECT_NAME}:account")
    inventory = config.get(f"{PROJECT_NAME}:inventory", "org.yaml")
    if not isinstance(account, str) or not isinstance(inventory, str):
        return None
    return _resolved(STACKS_DIR / inventory), account


def _resolved(path: Path) -> str:
    try:
        return str(path.resolve())
    except (OSError, RuntimeError, ValueError):
        return str(path)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(PROJECT_DIR))
    except (ValueError, OSError, RuntimeError):
        return repr(str(path)) if invisible(str(path)) else str(path)
