"""Account boundaries: AWS services act on the stack's resources only on behalf of the stack's own account
(confused-deputy protection in every resource policy, not only in role trust policies).

The stack's account is its provider's `allowedAccountIds` (see `_accounts`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import ReportViolation, ResourceValidationArgs, ResourceValidationPolicy

from bedrock_guardrails._accounts import provider_accounts, source_accounts
from bedrock_guardrails._aws import (
    BUCKET_POLICY,
    KMS_KEY,
    KMS_KEY_POLICY,
    LOG_RESOURCE_POLICY,
    SNS_TOPIC,
    SNS_TOPIC_POLICY,
)
from bedrock_guardrails._iam import allows, parse_policy_document, service_principals, sid, statements
from bedrock_guardrails._util import HIGH, MANDATORY, config, label, schema

# Resource type -> the input holding its resource policy.
RESOURCE_POLICY_PROPS = {
    BUCKET_POLICY: "policy",
    KMS_KEY: "policy",
    KMS_KEY_POLICY: "policy",
    SNS_TOPIC_POLICY: "policy",
    SNS_TOPIC: "policy",
    LOG_RESOURCE_POLICY: "policyDocument",
}

_SOURCE_SCHEMA = schema(
    exemptServices={
        "type": "array",
        "items": {"type": "string", "pattern": r"^[a-z0-9.-]+\.amazonaws\.com$"},
        "uniqueItems": True,
        "default": [],
        "description": "Service principals that support neither aws:SourceAccount nor aws:SourceArn.",
    },
)


def _source_problem(statement: Mapping[str, Any], own: set[str]) -> str | None:
    """Why the statement does not tie its service principals to the stack's account (None when it does)."""
    found = source_accounts(statement)
    if not found:
        return "without an aws:SourceAccount or aws:SourceArn condition"
    # Every source key it sets must name only the stack's account: a foreign value is a grant meant for
    # another account (even where another key makes the statement match nothing today).
    # An exact account-less ARN (an S3 bucket, '') is accepted next to a key that names the account.
    allowed = (own or {a for accounts in found.values() for a in accounts if a}) | {""}
    if all(accounts and set(accounts) <= allowed for accounts in found.values()) and any(
        accounts and "" not in accounts for accounts in found.values()
    ):
        return None
    named = sorted({a or "(no single account)" for accounts in found.values() for a in accounts})
    if not own:
        return f"with source conditions naming {', '.join(named)} (a wildcard, variable or account-less ARN)"
    return f"on behalf of {', '.join(named)}, not only this stack's account {', '.join(sorted(own))}"


def validate_resource_policy_sources(args: ResourceValidationArgs, report: ReportViolation) -> None:
    prop = RESOURCE_POLICY_PROPS.get(args.resource_type)
    if prop is None or args.props.get(prop) is None:
        return
    document = parse_policy_document(args.props.get(prop))
    if document is None:
        return  # the *-not-public rules report a policy that is not a JSON document
    own = provider_accounts(args.provider)
    exempt = set(config(args, _SOURCE_SCHEMA, "exemptServices"))
    account = ", ".join(sorted(own)) or "<account id>"
    for index, statement in enumerate(statements(document)):
        services = [s for s in service_principals(statement) if s not in exempt]
        problem = _source_problem(statement, own) if allows(statement) and services else None
        if problem:
            report(
                f"{label(args.resource_type, args.name)} {sid(statement, index)} lets {', '.join(services)} act "
                f"{problem} (any account could have the service use this resource: confused deputy); fix: add "
                f"Condition StringEquals aws:SourceAccount={account} (or ArnLike aws:SourceArn=an ARN of "
                f"account {account}).",
                None,
            )


resource_policy_source_condition = ResourceValidationPolicy(
    name="resource-policy-source-condition",
    description="Bucket, key, topic and log resource policies let AWS services act only on behalf of the "
    "stack's own account (aws:SourceAccount / aws:SourceArn / the service's encryption context).",
    validate=validate_resource_policy_sources,
    enforcement_level=MANDATORY,
    config_schema=_SOURCE_SCHEMA,
    severity=HIGH,
    tags=["access", "accounts"],
    remediation_steps="Add aws:SourceAccount=<this account> (or aws:SourceArn in this account) to every "
    "statement with a Service principal.",
)

POLICIES = [resource_policy_source_condition]
