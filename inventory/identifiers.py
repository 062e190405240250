"""Names and ids, checked where they enter: the inventory, stack files, `--stack`, `onboard --name`.

Every pattern is matched with `fullmatch` over ASCII classes: `$` would accept a trailing newline and `\\d`
matches non-ASCII digits. Messages show values with repr(), so an invisible character is visible.

The `check_*` functions raise ValueError (for pydantic validators); the `require_*` functions raise a
ConfigError naming where the value came from (`--stack`, `--name`, a file), for commands.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from inventory.errors import ConfigError
from vocabulary.limits import MAX_DIMENSION_VALUE, MAX_STACK_NAME

_ACCOUNT_ID = re.compile(r"[0-9]{12}")
# Account names end up in AWS resource names (buckets excluded): lowercase slugs of 3-32 characters.
_ACCOUNT_NAME = re.compile(r"[a-z][a-z0-9-]{1,30}[a-z0-9]")
# Pulumi's own rule for stack names (pulumi/pkg backend: `^[A-Za-z0-9_.-]{1,100}$`); no "/": this project
# qualifies stack names itself (`<org>/<project>/<stack>`).
# This project also wants a letter or digit first: `.` and `..` (from a file `Pulumi...yaml`) are paths, and
# `-x` reads as an option.
_STACK_NAME = re.compile(rf"[A-Za-z0-9][A-Za-z0-9_.-]{{0,{MAX_STACK_NAME - 1}}}")

# Bedrock model ids, botocore's grammar (bedrock GetFoundationModel `modelIdentifier`): provider.name with up
# to two more dot-separated parts and up to two ':' parts, each 1-63 of a-z 0-9 -. Cross-region inference
# profile ids (us.anthropic...) fit it too.
_MODEL_ID = re.compile(r"[a-z0-9-]{1,63}\.(?:[a-z0-9-]{1,63}\.){0,2}[a-z0-9-]{1,63}(?::[a-z0-9-]{1,63}){0,2}")


def is_model_id(value: str) -> bool:
    """A model id (not an ARN) that can be the `ModelId` dimension of AWS/Bedrock metrics."""
    return len(value) <= MAX_DIMENSION_VALUE and _MODEL_ID.fullmatch(value) is not None


def invisible(value: str) -> str | None:
    """A description of the first character a reader cannot see (control, format, odd whitespace), or None."""
    for index, char in enumerate(value):
        category = unicodedata.category(char)
        if category in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp") or (category == "Zs" and char != " "):
            return f"invisible character {char!r} (U+{ord(char):04X}) at position {index}"
    if value != value.strip():
        return "leading or trailing spaces"
    return None


def _detail(value: object) -> str:
    """What is wrong beyond the pattern, for ASCII-only identifiers: an invisible or a non-ASCII character."""
    if not isinstance(value, str):
        return ""
    hidden = invisible(value)
    if hidden:
        return f" (it contains {hidden})"
    odd = next((char for char in value if not char.isascii()), None)
    return f" (it contains the non-ASCII character {odd!r}, U+{ord(odd):04X})" if odd else ""


def check_visible_text(value: str) -> str:
    """Free text (service names, namespaces, URLs): no invisible characters, no surrounding spaces."""
    problem = invisible(value)
    if problem:
        raise ValueError(f"contains {problem}; fix: retype the value without it")
    return value


def check_account_id(value: object) -> str:
    # Checked before type coercion: an unquoted YAML number loses leading zeros, so it must be quoted.
    if not isinstance(value, str) or not _ACCOUNT_ID.fullmatch(value):
        extra = _detail(value)
        raise ValueError(
            f"must be exactly 12 digits{extra}; fix: use the AWS account id, quoted in YAML (e.g. '111111111111')"
        )
    return value


def check_account_name(value: object) -> str:
    if not isinstance(value, str) or not _ACCOUNT_NAME.fullmatch(value):
        extra = _detail(value)
        raise ValueError(
            f"must be 3-32 characters of lowercase letters, digits and '-', starting with a letter{extra}; "
            "fix: rename it, e.g. 'payments-prod' (it is used in AWS resource names)"
        )
    return value


def check_stack_name(value: object) -> str:
    if not isinstance(value, str) or not _STACK_NAME.fullmatch(value):
        extra = _detail(value)
        raise ValueError(
            f"is not a Pulumi stack name{extra}: 1-{MAX_STACK_NAME} letters, digits, '-', '_' or '.', starting "
            "with a letter or digit, without '/' or an organisation prefix; fix: use the bare stack name, "
            "e.g. 'monitoring'"
        )
    return value


def _require(check: Callable[[object], str], value: object, where: str) -> str:
    try:
        return check(value)
    except ValueError as error:
        source = "the command line" if where.startswith("--") else where
        raise ConfigError(source, [f"{where} = {value!r}: {error}"]) from None


def require_stack_name(value: str, where: str = "--stack") -> str:
    """For commands: `value` as a stack name, or a ConfigError naming `where` (the option or file)."""
    return _require(check_stack_name, value, where)


def require_account_name(value: str, where: str = "--name") -> str:
    """For commands (`onboard --name`): `value` as an inventory account name, or a ConfigError naming `where`."""
    return _require(check_account_name, value, where)


def require_account_id(value: str, where: str = "--account-id") -> str:
    """For commands: `value` as a 12-digit account id, or a ConfigError naming `where`."""
    return _require(check_account_id, value, where)
