"""The resource-rule table: for every resource rule, a compliant resource and each kind of mistake.

(rule, resource type, compliant inputs, [(case id, violating inputs, fragment of the expected message)]);
an entry with no cases is an extra compliant variant.
"""

from __future__ import annotations

from typing import Any

from tests.policies.cases import accounts, documents, hardening, operations, storage
from tests.policies.cases.builders import lifecycle_rule, link, sse, trust

RESOURCE_CASES: list[tuple[str, str, dict[str, Any], list[tuple[str, dict[str, Any], str]]]] = [
    *storage.CASES,
    *documents.CASES,
    *operations.CASES,
    *accounts.CASES,
    *hardening.CASES,
]

__all__ = ["RESOURCE_CASES", "lifecycle_rule", "link", "sse", "trust"]
