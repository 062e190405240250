"""How a plan carries its providers: which states are providers, and the account and region they place.

Pure (no Pulumi import): the plan recorder reads providers as they register, the cost estimate (which must
not load Pulumi's runtime) reads them from a plan document, and both read them this one way.
"""

from __future__ import annotations

import json
from typing import Any

PROVIDER_PREFIX = "pulumi:providers:"


def is_provider(type_: str) -> bool:
    return type_.startswith(PROVIDER_PREFIX)


def json_or_value(value: Any) -> Any:
    """A provider input as its value: object and list inputs reach the engine JSON-encoded (and a real
    `pulumi preview --json` may print them so); anything else as it is."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def provider_placement(inputs: dict[str, Any]) -> tuple[str, str]:
    """(account, default region) of what a provider manages: its first `allowedAccountIds` and its `region`;
    '' where it names none."""
    accounts = json_or_value(inputs.get("allowedAccountIds")) or [""]
    return str(accounts[0]), str(inputs.get("region", ""))
