"""Role trust policies: what a trust statement lets its principal do, and which service a role is for.

The program's roles are each assumed by one AWS service (`vocabulary/iam.py` `service_trust`): one statement,
`Principal {"Service": <service>}`, `Action "sts:AssumeRole"`, pinned with `aws:SourceAccount` and an
`aws:SourceArn` of that service. Who may assume is `service-role-source-condition`'s, `iam-role-trust-not-public`'s
and `cross-account-grants`' to check; this rule checks the actions and the service list.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import ReportViolation, ResourceValidationArgs, ResourceValidationPolicy

from bedrock_guardrails._aws import IAM_ROLE
from bedrock_guardrails._iam import allows, condition_values, parse_policy_document, service_principals, sid, statements
from bedrock_guardrails._util import HIGH, MANDATORY, as_list, label

# What a trust statement may allow: assuming the role (by a service or account, a web identity, SAML) and
# the session tags / source identity that go with it. No wildcard: `sts:*` or `*` lets the principal do
# anything STS does with this role (and `NotAction` everything but the listed).
TRUST_ACTIONS = (
    "sts:AssumeRole",
    "sts:AssumeRoleWithWebIdentity",
    "sts:AssumeRoleWithSAML",
    "sts:TagSession",
    "sts:SetSourceIdentity",
)
_ALLOWED = {a.lower() for a in TRUST_ACTIONS}


def _service_name(principal: str) -> str:
    """`bedrock.amazonaws.com` -> `bedrock`, `logs.us-east-1.amazonaws.com` -> `logs`."""
    return principal.split(".", 1)[0].lower()


def _arn_services(statement: Mapping[str, Any]) -> set[str]:
    """The services the statement's aws:SourceArn values name (`arn:aws:bedrock:...` -> `bedrock`)."""
    found = set()
    for value in condition_values(statement, ("aws:sourcearn",)).get("aws:sourcearn", []):
        parts = str(value).split(":", 3)
        if len(parts) > 3 and parts[0] == "arn" and parts[2] and "*" not in parts[2]:
            found.add(parts[2].lower())
    return found


def _problems(statement: Mapping[str, Any]) -> list[str]:
    if not allows(statement):
        return []
    problems = [f"allows NotAction {as_list(statement.get('NotAction'))!r}"] if "NotAction" in statement else []
    extra = [a for a in as_list(statement.get("Action")) if not (isinstance(a, str) and a.lower() in _ALLOWED)]
    if extra:
        problems.append(f"allows {', '.join(map(repr, extra))}")
    services = service_principals(statement)
    if len(services) > 1:
        problems.append(f"lets {len(services)} services assume the role ({', '.join(services)})")
    arn_services = _arn_services(statement)
    others = [s for s in services if arn_services and _service_name(s) not in arn_services]
    if others:
        problems.append(
            f"lets {', '.join(others)} assume a role whose aws:SourceArn names {', '.join(sorted(arn_services))}"
        )
    return problems


def validate_trust_scope(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != IAM_ROLE:
        return
    document = parse_policy_document(args.props.get("assumeRolePolicy"))
    for index, statement in enumerate(statements(document) if document else []):
        for problem in _problems(statement):
            report(
                f"{label(args.resource_type, args.name)} trust {sid(statement, index)} {problem}, beyond the "
                "one service and sts:AssumeRole the program's roles are assumed with; fix: one statement per "
                "service, naming only the service the role is for (the one its aws:SourceArn names), with "
                f"Action 'sts:AssumeRole' (no wildcard; at most {', '.join(TRUST_ACTIONS[1:])}).",
                None,
            )


iam_role_trust_scope = ResourceValidationPolicy(
    name="iam-role-trust-scope",
    description="Role trust statements allow only sts:AssumeRole (or the web identity / SAML / session-tag "
    "actions), never a wildcard or NotAction, and name one service: the one their aws:SourceArn names.",
    validate=validate_trust_scope,
    enforcement_level=MANDATORY,
    severity=HIGH,
    tags=["access", "iam"],
    remediation_steps="Set the trust statement's Action to 'sts:AssumeRole' and its Service principal to the "
    "one service the role is for.",
)

POLICIES = [iam_role_trust_scope]
