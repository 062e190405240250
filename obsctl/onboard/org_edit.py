"""Add one workload account to the org inventory text, keeping every other byte of the file.

ruamel.yaml's round-trip loader finds where `workload_accounts` ends and renders the new entry in the
file's own indentation and styles (flow lists stay flow, quoted ids stay quoted). The entry is then spliced
in as text: dumping the whole document back would reflow hand-wrapped flow mappings and aligned values,
which a round trip does not preserve. The result is re-parsed and compared with the original plus the
entry, so a splice in the wrong place can never be written.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

ACCOUNTS_KEY = "workload_accounts"


class EditError(Exception):
    """The inventory's layout does not allow a safe text edit; the message names the fix."""


@dataclass(frozen=True)
class NewAccount:
    name: str
    account_id: str
    deploy_role_arn: str
    environment: str
    regions: tuple[str, ...]
    models: tuple[str, ...]

    def as_inventory(self) -> dict[str, Any]:
        """The entry as the inventory models read it (plain data)."""
        return {
            "name": self.name,
            "account_id": self.account_id,
            "deploy_role_arn": self.deploy_role_arn,
            "environment": self.environment,
            "regions": list(self.regions),
            "models": list(self.models),
        }


def _round_trip() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never wrap a rendered line
    return yaml


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return str(node) if isinstance(node, str) else node


def _load(text: str, source: str) -> CommentedMap:
    try:
        data = _round_trip().load(text)
    except YAMLError as error:
        raise EditError(f"{source} is not valid YAML: {str(error).splitlines()[0]}") from None
    if not isinstance(data, CommentedMap):
        raise EditError(f"{source} must be a mapping with monitoring_account, defaults, {ACCOUNTS_KEY}")
    return data


def _accounts(data: CommentedMap, source: str) -> CommentedSeq:
    accounts = data.get(ACCOUNTS_KEY)
    if not isinstance(accounts, CommentedSeq) or not accounts or accounts.fa.flow_style():
        raise EditError(
            f"{source}: {ACCOUNTS_KEY} must be a non-empty block list ('- name: ...' entries) for onboard to append "
            f"to; fix: write {ACCOUNTS_KEY} as a block list, or add the account by hand"
        )
    if not all(isinstance(account, CommentedMap) and not account.fa.flow_style() for account in accounts):
        raise EditError(
            f"{source}: every {ACCOUNTS_KEY} entry must be a block mapping for onboard to match its style; "
            "fix: rewrite flow-style entries ({...}) as 'key: value' lines"
        )
    return accounts


def _render(new: NewAccount, like: CommentedMap, dash_col: int, key_col: int) -> list[str]:
    """The entry's lines, in the style of `like` (an existing entry) and at its indentation."""
    entry = CommentedMap()
    entry["name"] = new.name
    quote = SingleQuotedScalarString if isinstance(like.get("account_id"), SingleQuotedScalarString) else None
    entry["account_id"] = (quote or DoubleQuotedScalarString)(new.account_id)
    entry["deploy_role_arn"] = new.deploy_role_arn
    entry["environment"] = new.environment
    for key, values in (("regions", new.regions), ("models", new.models)):
        seq = CommentedSeq(values)
        existing = like.get(key)
        if isinstance(existing, CommentedSeq) and existing.fa.flow_style():
            seq.fa.set_flow_style()
        entry[key] = seq
    yaml = _round_trip()
    yaml.indent(mapping=2, sequence=key_col, offset=dash_col)
    out = io.StringIO()
    yaml.dump({ACCOUNTS_KEY: [entry]}, out)
    return out.getvalue().splitlines(keepends=True)[1:]


def _end_of_accounts(data: CommentedMap, lines: list[str]) -> int:
    """Index of the line after the last entry's last line (trailing blank lines and top-level comments, which
    belong to what follows, stay after the new entry)."""
    keys = list(data)
    after = keys.index(ACCOUNTS_KEY) + 1
    end = data.lc.key(keys[after])[0] if after < len(keys) else len(lines)
    while end > 0:
        line = lines[end - 1]
        if line.strip() and not line.startswith("#"):
            break
        end -= 1
    return end


def append_account(text: str, new: NewAccount, source: str = "stacks/org.yaml") -> str:
    """`text` with `new` appended to its workload accounts; every other line unchanged."""
    data = _load(text, source)
    accounts = _accounts(data, source)
    lines = text.splitlines(keepends=True)
    first_line, key_col = accounts.lc.item(0)
    dash_col = lines[first_line].rfind("-", 0, key_col)
    if dash_col < 0:
        raise EditError(
            f"{source}: cannot find the '-' of the first {ACCOUNTS_KEY} entry; fix: add the account by hand"
        )
    entry = _render(new, accounts[-1], dash_col, key_col)
    # Entries separated by blank lines (the example's style) get one before the new entry too.
    spaced = len(accounts) < 2 or not lines[accounts.lc.item(1)[0] - 1].strip()
    at = _end_of_accounts(data, lines)
    if at and not lines[at - 1].endswith("\n"):
        lines[at - 1] += "\n"
    result = "".join(lines[:at] + (["\n"] if spaced else []) + entry + lines[at:])
    _check(result, data, new, source)
    return result


def _check(result: str, before: CommentedMap, new: NewAccount, source: str) -> None:
    expected = _plain(before)
    expected[ACCOUNTS_KEY].append(new.as_inventory())
    if _plain(_load(result, source)) != expected:
        raise EditError(
            f"{source}: appending the account as text would change other entries (unusual layout after "
            f"{ACCOUNTS_KEY}); fix: add the account by hand"
        )


# The stack file every workload stack has (stacks/Pulumi.<stack>.yaml): it names its inventory account and
# turns off Pulumi's default providers.
STACK_FILE_TEMPLATE = """\
config:
  bedrock-observability:account: {name}
  # Every resource must use the account's explicit provider (assume-role into {name}); never the
  # ambient credentials of whoever runs `pulumi up`.
  pulumi:disable-default-providers: ["*"]
"""


def stack_file_text(name: str) -> str:
    return STACK_FILE_TEMPLATE.format(name=name)
