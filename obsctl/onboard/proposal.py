"""What onboarding an account changes in stacks/, validated exactly as the program validates it.

`propose` never writes: it renders the edited org.yaml and the new stack file, re-validates the whole org
through the inventory loader (so every message is the one `obsctl plan` and `pulumi up` would give), checks
that the stack resolves to the new account, and refuses anything that would overwrite an existing account
or stack file. An account already in org.yaml exactly as requested whose stack file is missing (an onboard
killed between its two writes) is completed: only the stack file is proposed.
"""

from __future__ import annotations

import difflib
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from inventory.errors import ConfigError
from inventory.load import PROJECT_NAME, load_organisation, resolve_stack
from inventory.models import Organisation, WorkloadAccount
from obsctl.onboard.org_edit import ACCOUNTS_KEY, EditError, NewAccount, append_account, stack_file_text
from vocabulary import arns

ORG_FILE = "org.yaml"
# Flags of `obsctl onboard` by inventory field, to point a validation message at the flag to change.
_FLAGS = {
    "name": "--name",
    "account_id": "--account-id",
    "deploy_role_arn": "--role-arn",
    "environment": "--environment",
    "regions": "--regions",
    "models": "--models",
}


class OnboardError(Exception):
    """Onboarding refused; the message (one line per problem) names the fix. Nothing was written."""


@dataclass(frozen=True)
class OnboardRequest:
    name: str
    account_id: str
    regions: tuple[str, ...]
    models: tuple[str, ...]
    environment: str | None = None
    role_arn: str | None = None


@dataclass(frozen=True)
class Proposal:
    name: str
    stacks_dir: Path
    original: str
    org_text: str
    stack_text: str
    before: Organisation
    after: Organisation
    already_onboarded: bool = False
    notes: tuple[str, ...] = field(default=())

    @property
    def workload(self) -> WorkloadAccount:
        account = self.after.workload(self.name)
        assert account is not None, "validated: the stack resolves to this account"
        return account

    @property
    def completing(self) -> bool:
        """org.yaml already holds the account as requested; only its stack file is missing."""
        return not self.already_onboarded and self.org_text == self.original

    @property
    def written_paths(self) -> tuple[Path, ...]:
        """What writing the proposal creates or changes."""
        if self.already_onboarded:
            return ()
        return (self.stack_path,) if self.completing else (self.org_path, self.stack_path)

    @property
    def org_path(self) -> Path:
        return self.stacks_dir / ORG_FILE

    @property
    def stack_path(self) -> Path:
        return stack_path(self.stacks_dir, self.name)

    def diff(self) -> str:
        if self.already_onboarded:
            return ""
        org, stack = _diff_label(self.org_path), _diff_label(self.stack_path)
        return "".join(
            [
                *difflib.unified_diff(
                    self.original.splitlines(keepends=True), self.org_text.splitlines(keepends=True), *org
                ),
                *difflib.unified_diff([], self.stack_text.splitlines(keepends=True), "/dev/null", stack[1]),
            ]
        )


def display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _diff_label(path: Path) -> tuple[str, str]:
    """git-style a/ b/ labels for a path under the working directory, else the path itself."""
    shown = display(path)
    return (shown, shown) if Path(shown).is_absolute() else (f"a/{shown}", f"b/{shown}")


def stack_path(stacks_dir: Path, stack: str) -> Path:
    return stacks_dir / f"Pulumi.{stack}.yaml"


def split_list(flag: str, value: str) -> tuple[str, ...]:
    """A comma-separated option value; an empty entry is refused rather than dropped."""
    items = tuple(item.strip() for item in value.split(","))
    if not value.strip() or any(not item for item in items):
        raise OnboardError(f"{flag} = {value!r}: empty entry; fix: give comma-separated values, e.g. a,b")
    return items


def propose(request: OnboardRequest, stacks_dir: Path) -> Proposal:
    org_path = stacks_dir / ORG_FILE
    before = load_organisation(org_path)  # the current org must be valid before anything is added
    original = _read(org_path)
    existing = before.workload(request.name)
    if existing is not None and _same(existing, request):
        if _stack_account(stacks_dir, request.name) == request.name:
            note = f"account '{request.name}' is already onboarded with these settings; nothing to write"
            return Proposal(request.name, stacks_dir, original, original, "", before, before, True, (note,))
        if not stack_path(stacks_dir, request.name).exists():
            return _complete(request.name, stacks_dir, original, before)
    environment, environment_note = _environment(request, before)
    role_arn, role_note = _role_arn(request, before)
    new = NewAccount(request.name, request.account_id, role_arn, environment, request.regions, request.models)
    try:
        org_text = append_account(original, new, display(org_path))
    except EditError as error:
        raise OnboardError(str(error)) from None
    stack_text = stack_file_text(request.name)
    after = _validate(org_path, org_text, stack_text, request.name, len(before.workload_accounts))
    _refuse_clobber(stacks_dir, request.name)
    notes = tuple(note for note in (environment_note, role_note) if note)
    return Proposal(request.name, stacks_dir, original, org_text, stack_text, before, after, notes=notes)


def _complete(name: str, stacks_dir: Path, original: str, before: Organisation) -> Proposal:
    """The account is in org.yaml as requested but has no stack file (an onboard killed between its two
    writes): propose the stack file alone, validated like a new one."""
    org_path = stacks_dir / ORG_FILE
    stack_text = stack_file_text(name)
    index = [account.name for account in before.workload_accounts].index(name)
    after = _validate(org_path, original, stack_text, name, index)
    _refuse_clobber(stacks_dir, name)  # another stack file already deploying the account
    note = (
        f"account '{name}' is already in {display(org_path)} with these settings but "
        f"{display(stack_path(stacks_dir, name))} is missing (an interrupted onboard?): writing only the stack file"
    )
    return Proposal(name, stacks_dir, original, original, stack_text, before, after, notes=(note,))


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise OnboardError(f"cannot read {display(path)} ({error}); fix: point --stacks-dir at stacks/") from None


def _same(existing: WorkloadAccount, request: OnboardRequest) -> bool:
    return (
        existing.account_id == request.account_id
        and tuple(existing.regions) == request.regions
        and tuple(existing.models) == request.models
        and request.environment in (None, existing.environment)
        and request.role_arn in (None, existing.deploy_role_arn)
    )


def _environment(request: OnboardRequest, org: Organisation) -> tuple[str, str | None]:
    """--environment, else the name's last part when it is an environment the org already uses."""
    if request.environment is not None:
        return request.environment, None
    known = sorted({account.environment for account in org.workload_accounts})
    suffix = request.name.rsplit("-", 1)[-1]
    if suffix in known:
        return suffix, f"environment '{suffix}' taken from the name's suffix (--environment to choose another)"
    raise OnboardError(
        f"--environment is required: the name {request.name!r} does not end in an environment the org uses "
        f"({', '.join(known)}); fix: pass --environment, e.g. --environment {known[0]}"
    )


def _role_arn(request: OnboardRequest, org: Organisation) -> tuple[str, str | None]:
    """--role-arn, else the deploy role name every workload account already uses, in the new account."""
    if request.role_arn is not None:
        return request.role_arn, None
    role_names = {account.deploy_role_arn.split(":role/", 1)[1] for account in org.workload_accounts}
    if len(role_names) != 1:
        raise OnboardError(
            "--role-arn is required: the workload accounts use different deploy roles "
            f"({', '.join(sorted(role_names))}); fix: pass --role-arn {arns.role_arn(request.account_id, '<name>')}"
        )
    arn = arns.role_arn(request.account_id, role_names.pop())
    return arn, f"deploy role {arn} (the role name every workload account uses; --role-arn to choose another)"


def _validate(org_path: Path, org_text: str, stack_text: str, name: str, index: int) -> Organisation:
    """The whole org, as the program loads it, and the new stack resolved to the new account."""
    with tempfile.TemporaryDirectory(prefix="obsctl-onboard-") as scratch:
        candidate = Path(scratch) / ORG_FILE
        candidate.write_text(org_text, encoding="utf-8")
        config = {str(k): str(v) for k, v in (yaml.safe_load(stack_text)["config"]).items()}
        config[f"{PROJECT_NAME}:inventory"] = str(candidate)
        try:
            return resolve_stack(name, config).org
        except ConfigError as error:
            raise _with_flags(error, display(org_path), index) from None


def _with_flags(error: ConfigError, source: str, index: int) -> ConfigError:
    """The loader's own messages, under the real file name, plus which flag sets the new entry's fields."""
    where = f"{ACCOUNTS_KEY}[{index}]"
    problems = list(error.problems)
    fields = sorted({m for p in problems for m in re.findall(rf"{re.escape(where)}\.(\w+)", p)} & set(_FLAGS))
    if any(where in problem for problem in problems):
        flags = ", ".join(_FLAGS[f] for f in fields) or ", ".join(_FLAGS.values())
        problems.append(f"{where} is the account being onboarded: fix it with {flags}")
    return ConfigError(f"{source} (with the new account)", problems)


def _stack_account(stacks_dir: Path, stack: str) -> str | None:
    path = stack_path(stacks_dir, stack)
    if not path.exists():
        return None
    data = yaml.safe_load(_read(path)) or {}
    config = data.get("config") if isinstance(data, dict) else None
    return config.get(f"{PROJECT_NAME}:account") if isinstance(config, dict) else None


def _refuse_clobber(stacks_dir: Path, name: str) -> None:
    path = stack_path(stacks_dir, name)
    if path.exists():
        raise OnboardError(
            f"{display(path)} already exists; onboard never overwrites a stack file; fix: choose another --name, "
            "or remove the stale stack file after checking no deployed stack uses it"
        )
    for other in sorted(stacks_dir.glob("Pulumi.*.yaml")):
        stack = other.name[len("Pulumi.") : -len(".yaml")]
        if _stack_account(stacks_dir, stack) == name:
            raise OnboardError(
                f"{display(other)} already deploys an account named {name!r}; fix: choose another --name, or "
                "remove that stack file after checking no deployed stack uses it"
            )
