"""Reading IAM policy documents: statements, who a statement admits, and which conditions restrict it.

The checks are deliberately syntactic and conservative: a statement passes only when it visibly restricts
itself with a concrete value. Anything the rules cannot prove restrictive (a wildcard, a policy variable,
an `...IfExists` operator, a set operator on a single-valued key, a negated operator) does not count.
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from bedrock_guardrails._util import as_list

# Condition keys that tie a grant to one organisation or account (lower-case: IAM keys are case-insensitive).
ORG_OR_ACCOUNT_KEYS = (
    "aws:principalorgid",
    "aws:sourceorgid",
    "aws:principalaccount",
    "aws:sourceaccount",
    "aws:sourcearn",
)
SOURCE_KEYS = ("aws:sourceaccount", "aws:sourcearn")

# Operators that admit only the listed values. Negated ones (StringNotEquals, ArnNotLike) admit everything
# else, `...IfExists` admits requests without the key, and set operators (`ForAllValues:`) are satisfied by
# an absent key: none of them restrict.
_POSITIVE_OPERATORS = {"stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike"}

_ACCOUNT = re.compile(r"^[0-9]{12}$")
_ORG = re.compile(r"^o-[a-z0-9]{10,32}$")
_WILDCARD = re.compile(r"[*?]|\$\{")


def parse_policy_document(document: Any) -> Mapping[str, Any] | None:
    """A policy input (a JSON string, or already an object) as a mapping; None if it is neither."""
    if isinstance(document, Mapping):
        return document
    if isinstance(document, str):
        try:
            parsed = json.loads(document)
        except (ValueError, RecursionError):
            return None
        return parsed if isinstance(parsed, Mapping) else None
    return None


def statements(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [s for s in as_list(document.get("Statement")) if isinstance(s, Mapping)]


def allows(statement: Mapping[str, Any]) -> bool:
    return statement.get("Effect") == "Allow"


def sid(statement: Mapping[str, Any], index: int) -> str:
    return f"statement {statement.get('Sid')!r}" if statement.get("Sid") else f"statement #{index + 1}"


def is_everyone(principal: Any) -> bool:
    """`"*"`, or a principal of any kind with a wildcard in it (`{"AWS": "*"}`, `arn:aws:iam::*:root`,
    `{"Federated": "*"}`, `{"CanonicalUser": "*"}`, `{"Service": "*"}`)."""
    if principal == "*":
        return True
    if not isinstance(principal, Mapping):
        return False
    return any(isinstance(p, str) and "*" in p for values in principal.values() for p in as_list(values))


def federated_unrestricted(statement: Mapping[str, Any]) -> list[str]:
    """The identity providers of a `Federated` principal with no concrete condition on their own keys (e.g.
    `cognito-identity.amazonaws.com:aud`, `token.actions.githubusercontent.com:sub`): without one, every
    identity of that provider - any Cognito pool, any GitHub repository - may assume the role."""
    principal = statement.get("Principal")
    if not isinstance(principal, Mapping):
        return []
    providers = [p for p in as_list(principal.get("Federated")) if isinstance(p, str)]
    found = []
    for provider in providers:
        prefix = "saml:" if ":saml-provider/" in provider else f"{provider.lower().split('/')[-1]}:"
        keys = {k for k in condition_keys(statement) if k.startswith(prefix)}
        values = condition_values(statement, keys)
        if not any(v and all(isinstance(x, str) and x.strip("*?") for x in v) for v in values.values()):
            found.append(provider)
    return found


def admits_everyone(statement: Mapping[str, Any]) -> bool:
    """An Allow to everyone: a public principal, `NotPrincipal` (everyone but the listed ones), or a federated
    identity provider without a condition on who of its identities."""
    return allows(statement) and (
        "NotPrincipal" in statement
        or is_everyone(statement.get("Principal"))
        or bool(federated_unrestricted(statement))
    )


def service_principals(statement: Mapping[str, Any]) -> list[str]:
    principal = statement.get("Principal")
    if not isinstance(principal, Mapping):
        return []
    return [s for s in as_list(principal.get("Service")) if isinstance(s, str)]


def _concrete(key: str, value: Any) -> bool:
    """Whether one condition value names exactly one org/account (no wildcard, no policy variable)."""
    if not isinstance(value, str) or not value:
        return False
    if key in ("aws:sourceaccount", "aws:principalaccount"):
        return bool(_ACCOUNT.match(value))
    if key in ("aws:principalorgid", "aws:sourceorgid"):
        return bool(_ORG.match(value))
    # aws:SourceArn: `arn:<partition>:<service>:<region>:<account>:<resource>`; the resource part may hold
    # wildcards (`arn:aws:bedrock:us-east-1:111111111111:*`) but service and account must be exact, and an
    # ARN without an account (S3 buckets) must be exact throughout.
    parts = value.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn" or "${" in value or _WILDCARD.search(":".join(parts[:3])):
        return False
    if parts[4]:
        return bool(_ACCOUNT.match(parts[4]))
    return not _WILDCARD.search(value)


def restricting_keys(statement: Mapping[str, Any], keys: Iterable[str] = ORG_OR_ACCOUNT_KEYS) -> set[str]:
    """The `keys` (lower-case) on which the statement's Condition admits only concrete values."""
    wanted = set(keys)
    found: set[str] = set()
    conditions = statement.get("Condition")
    if not isinstance(conditions, Mapping):
        return found
    for operator, block in conditions.items():
        if str(operator).lower() not in _POSITIVE_OPERATORS or not isinstance(block, Mapping):
            continue
        for key, value in block.items():
            key = str(key).lower()
            values = as_list(value)
            if key in wanted and values and all(_concrete(key, v) for v in values):
                found.add(key)
    return found


def condition_values(statement: Mapping[str, Any], keys: Iterable[str]) -> dict[str, list[Any]]:
    """The values of the `keys` (lower-case) under positive operators (other operators do not restrict)."""
    wanted = set(keys)
    found: dict[str, list[Any]] = {}
    conditions = statement.get("Condition")
    for operator, block in (conditions if isinstance(conditions, Mapping) else {}).items():
        if str(operator).lower() not in _POSITIVE_OPERATORS or not isinstance(block, Mapping):
            continue
        for key, value in block.items():
            if str(key).lower() in wanted:
                found.setdefault(str(key).lower(), []).extend(as_list(value))
    return found


def condition_keys(statement: Mapping[str, Any]) -> set[str]:
    """Every condition key of a statement, lower-case, whatever its operator."""
    keys: set[str] = set()
    conditions = statement.get("Condition")
    if isinstance(conditions, Mapping):
        for block in conditions.values():
            if isinstance(block, Mapping):
                keys.update(str(k).lower() for k in block)
    return keys


# Actions that hand out other identities: on every resource they let the role become, or pass, any role.
_IDENTITY_ACTIONS = ("iam:passrole", "sts:assumerole")


def _whole_service(action: str) -> bool:
    """`*`, `*:*`, `s3:*`, `s3:**`, `s3:?*`, a wildcard in the service part: everything of a service."""
    service, _, verb = action.partition(":")
    return action.strip("*?") == "" or bool(re.search(r"[*?]", service)) or (bool(verb) and not verb.strip("*?"))


def wildcard_actions(statement: Mapping[str, Any]) -> list[str]:
    """What an Allow grants too broadly: every action of a service (`*`, `*:*`, `s3:*`, `s3:**`, any
    wildcard in the service part), `NotAction` (everything but the listed actions), `NotResource` (every
    resource but the listed ones), and iam:PassRole / sts:AssumeRole (or a pattern matching them) on every
    resource. Partial wildcards (`logs:Describe*`) on named resources are not listed."""
    if not allows(statement):
        return []
    found = [f"{key} {as_list(statement.get(key))!r}" for key in ("NotAction", "NotResource") if key in statement]
    actions = [a for a in as_list(statement.get("Action")) if isinstance(a, str)]
    found += [a for a in actions if _whole_service(a)]
    if "*" in as_list(statement.get("Resource")):
        found += [
            f"{a} (on Resource '*')"
            for a in actions
            if not _whole_service(a) and any(fnmatch.fnmatchcase(i, a.lower()) for i in _IDENTITY_ACTIONS)
        ]
    return found
