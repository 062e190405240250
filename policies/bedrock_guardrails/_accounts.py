"""Which AWS account a stack deploys to, and which accounts a policy statement or ARN names.

The stack's account is the one its AWS provider is pinned to: `allowedAccountIds` (the program always sets
exactly one, `program/provider.py`; `pulumi preview --json` may render it as a JSON string). A resource
checked on its own (a resource rule) reads its own provider; a stack rule reads every AWS provider of the
stack. When no provider pins an account the rules cannot tell "own" from "foreign" and say so.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from bedrock_guardrails._aws import AWS_PROVIDER
from bedrock_guardrails._iam import condition_values
from bedrock_guardrails._util import Unknown, as_list, maybe_unknown

ACCOUNT = re.compile(r"^[0-9]{12}$")
_WILDCARD = re.compile(r"[*?]|\$\{")

# Condition keys whose values name the account a request comes from / acts for.
ACCOUNT_KEYS = ("aws:sourceaccount", "aws:principalaccount")
ARN_KEYS = ("aws:sourcearn", "kms:encryptioncontext:aws:logs:arn", "kms:encryptioncontext:aws:cloudtrail:arn")


def provider_accounts(provider: Any) -> set[str]:
    """The 12-digit accounts a provider is pinned to (empty when it pins none or they are unknown)."""
    if provider is None:
        return set()
    ids = maybe_unknown(provider.props, "allowedAccountIds")
    if isinstance(ids, str):
        try:
            ids = json.loads(ids)
        except ValueError:
            ids = [ids]
    if isinstance(ids, Unknown):
        return set()
    return {a for a in as_list(ids) if isinstance(a, str) and ACCOUNT.match(a)}


def stack_accounts(resources: Iterable[Any]) -> set[str]:
    """The accounts of every AWS provider of the stack (its own accounts)."""
    found: set[str] = set()
    for resource in resources:
        if resource.resource_type == AWS_PROVIDER:
            found |= provider_accounts(resource)
        found |= provider_accounts(getattr(resource, "provider", None))
    return found


def arn_account(value: Any) -> str | None:
    """The account field of an ARN (`arn:aws:kms:us-east-1:111111111111:key/...`); '' for ARNs without one
    (S3 buckets), None for anything that is not an ARN."""
    if not isinstance(value, str):
        return None
    parts = value.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn":
        return None
    return parts[4]


def principal_account(value: Any) -> str | None:
    """The account an AWS principal belongs to: a bare account id or the account field of an IAM/STS ARN."""
    if isinstance(value, str) and ACCOUNT.match(value):
        return value
    account = arn_account(value)
    return account if account and ACCOUNT.match(account) else None


def aws_principals(statement: Mapping[str, Any]) -> list[str]:
    principal = statement.get("Principal")
    if not isinstance(principal, Mapping):
        return []
    return [p for p in as_list(principal.get("AWS")) if isinstance(p, str)]


def source_accounts(statement: Mapping[str, Any]) -> dict[str, list[str | None]]:
    """Condition key -> the account each of its values names (positive operators only; None for a value that
    names no single account: a wildcard or a variable; '' for an exact ARN without an account field)."""
    found: dict[str, list[str | None]] = {}
    for key, values in condition_values(statement, (*ACCOUNT_KEYS, *ARN_KEYS)).items():
        accounts: list[str | None] = []
        for value in values:
            if not isinstance(value, str) or "${" in value:
                accounts.append(None)
            elif key in ACCOUNT_KEYS:
                accounts.append(value if ACCOUNT.match(value) else None)
            else:
                parts = value.split(":", 5)
                exact = len(parts) == 6 and parts[0] == "arn" and not _WILDCARD.search(":".join(parts[:3]))
                if exact and not parts[4]:  # an ARN without an account (S3): exact, or it names nothing
                    accounts.append(None if _WILDCARD.search(value) else "")
                else:
                    accounts.append(parts[4] if exact and ACCOUNT.match(parts[4]) else None)
        found[key] = accounts
    return found
