"""Policy-document rules: no resource policy lets everyone in, and no identity policy grants wildcards.

A resource policy statement that allows `"*"` (or `{"AWS": "*"}`, or uses `NotPrincipal`) passes only when
its Condition ties it to one organisation or account with a concrete value: `aws:PrincipalOrgID`,
`aws:SourceOrgID`, `aws:PrincipalAccount`, `aws:SourceAccount` or `aws:SourceArn` under a positive operator
(StringEquals, StringLike, ArnEquals, ArnLike ...). Wildcards, policy variables, negated, `IfExists` and
set operators do not count. `Principal "*"` restricted by `aws:PrincipalOrgID` is the supported way to
admit a whole organisation.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import PolicyComplianceFramework, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy

from bedrock_guardrails._aws import (
    BUCKET_POLICY,
    IAM_GROUP_POLICY,
    IAM_POLICY,
    IAM_ROLE,
    IAM_ROLE_POLICY,
    IAM_ROLE_POLICY_ATTACHMENT,
    IAM_USER_POLICY,
    KMS_KEY,
    KMS_KEY_POLICY,
    OAM_SINK_POLICY,
    SNS_TOPIC,
    SNS_TOPIC_POLICY,
)
from bedrock_guardrails._controls import control
from bedrock_guardrails._iam import (
    admits_everyone,
    federated_unrestricted,
    parse_policy_document,
    restricting_keys,
    sid,
    statements,
    wildcard_actions,
)
from bedrock_guardrails._util import CRITICAL, HIGH, MANDATORY, as_list, config, label, schema

_RESTRICT_FIX = (
    "fix: name the principals (account ids or role ARNs) instead of '*', or add a Condition such as "
    "StringEquals aws:PrincipalOrgID=<your o-... id> or aws:SourceAccount=<account id>"
)


def _public_statements(document: Mapping[str, Any]) -> list[str]:
    """A description of every statement that admits everyone without an org/account restriction."""
    found = []
    for index, statement in enumerate(statements(document)):
        # An org/account condition does not narrow a web identity (any pool or repository of the provider).
        if admits_everyone(statement) and (federated_unrestricted(statement) or not restricting_keys(statement)):
            who = "everyone (NotPrincipal)" if "NotPrincipal" in statement else repr(statement.get("Principal"))
            found.append(f"{sid(statement, index)} allows {who} {as_list(statement.get('Action'))!r}")
    return found


def _public_policy_rule(
    name: str, what: str, props: Mapping[str, str], framework: PolicyComplianceFramework | None
) -> ResourceValidationPolicy:
    """A rule refusing unrestricted `*` grants in the policy document held by `props[resource type]`."""

    def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
        prop = props.get(args.resource_type)
        if prop is None or args.props.get(prop) is None:
            return  # no policy document of ours (e.g. a key with the default key policy)
        who = label(args.resource_type, args.name)
        document = parse_policy_document(args.props.get(prop))
        if document is None:
            report(f"{who} has a {prop} that is not a JSON policy document; fix: build it with json.dumps.", None)
            return
        for problem in _public_statements(document):
            report(f"{who}: {problem} without an organisation or account condition; {_RESTRICT_FIX}.", None)

    return ResourceValidationPolicy(
        name=name,
        description=f"{what} do not allow '*' without a concrete organisation or account condition.",
        validate=validate,
        enforcement_level=MANDATORY,
        severity=CRITICAL,
        framework=framework,
        tags=["access", "public"],
        remediation_steps="Name the principals, or restrict the statement with aws:PrincipalOrgID / "
        "aws:SourceAccount / aws:SourceArn / aws:PrincipalAccount.",
    )


kms_key_policy_not_public = _public_policy_rule(
    "kms-key-policy-not-public", "KMS key policies", {KMS_KEY: "policy", KMS_KEY_POLICY: "policy"}, control("KMS.5")
)
sns_topic_policy_not_public = _public_policy_rule(
    "sns-topic-policy-not-public",
    "SNS topic policies",
    {SNS_TOPIC_POLICY: "policy", SNS_TOPIC: "policy"},
    control("SNS.4"),
)
s3_bucket_policy_not_public = _public_policy_rule(
    "s3-bucket-policy-not-public", "S3 bucket policies", {BUCKET_POLICY: "policy"}, control("S3.2", "S3.3")
)
oam_sink_policy_not_public = _public_policy_rule(
    "oam-sink-policy-not-public", "OAM sink policies", {OAM_SINK_POLICY: "policy"}, None
)
iam_role_trust_not_public = _public_policy_rule(
    "iam-role-trust-not-public", "IAM role trust policies", {IAM_ROLE: "assumeRolePolicy"}, None
)

_IDENTITY_POLICY_TYPES = (IAM_ROLE_POLICY, IAM_POLICY, IAM_USER_POLICY, IAM_GROUP_POLICY)

_WILDCARD_SCHEMA = schema(
    deniedManagedPolicies={
        "type": "array",
        "items": {"type": "string", "pattern": r"^arn:aws[a-z-]*:iam::(aws|[0-9]{12}):policy/.+$"},
        "uniqueItems": True,
        "default": [
            "arn:aws:iam::aws:policy/AdministratorAccess",
            "arn:aws:iam::aws:policy/PowerUserAccess",
            "arn:aws:iam::aws:policy/IAMFullAccess",
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
            "arn:aws:iam::aws:policy/AmazonS3FullAccess",
        ],
        "description": "Managed policies that must not be attached to a role (they grant wildcards). AWS "
        "managed policies named *FullAccess are refused as well.",
    },
)


def _identity_documents(args: ResourceValidationArgs) -> list[tuple[str, Any]]:
    """(where, policy document input) of every identity policy the resource carries."""
    if args.resource_type in _IDENTITY_POLICY_TYPES:
        return [("policy", args.props.get("policy"))]
    if args.resource_type == IAM_ROLE:
        inline = [p for p in as_list(args.props.get("inlinePolicies")) if isinstance(p, Mapping)]
        return [(f"inline policy {p.get('name')!r}", p.get("policy")) for p in inline if p.get("policy")]
    return []


def _attached_policies(args: ResourceValidationArgs) -> list[str]:
    if args.resource_type == IAM_ROLE_POLICY_ATTACHMENT:
        return [a for a in as_list(args.props.get("policyArn")) if isinstance(a, str)]
    if args.resource_type == IAM_ROLE:
        return [a for a in as_list(args.props.get("managedPolicyArns")) if isinstance(a, str)]
    return []


def _full_access(arn: str) -> bool:
    """An AWS managed `...FullAccess` policy (every action of a service on every resource)."""
    return ":iam::aws:policy/" in arn and arn.rsplit("/", 1)[-1].endswith("FullAccess")


def validate_no_wildcard_actions(args: ResourceValidationArgs, report: ReportViolation) -> None:
    who = label(args.resource_type, args.name)
    for where, raw in _identity_documents(args):
        document = parse_policy_document(raw)
        if document is None:
            report(f"{who} has a {where} that is not a JSON policy document; fix: build it with json.dumps.", None)
            continue
        for index, statement in enumerate(statements(document)):
            wildcards = wildcard_actions(statement)
            if wildcards:
                report(
                    f"{who} {where} {sid(statement, index)} allows {', '.join(wildcards)} on "
                    f"{as_list(statement.get('Resource'))!r}; fix: list the exact actions the role needs "
                    "(e.g. logs:CreateLogStream, logs:PutLogEvents) on the exact resource ARNs (Action and "
                    "Resource, not NotAction/NotResource).",
                    None,
                )
    denied = set(config(args, _WILDCARD_SCHEMA, "deniedManagedPolicies"))
    for arn in _attached_policies(args):
        if arn in denied or _full_access(arn):
            report(f"{who} attaches {arn}, which grants wildcard actions; fix: attach a least-privilege policy.", None)


iam_no_wildcard_actions = ResourceValidationPolicy(
    name="iam-no-wildcard-actions",
    description="Identity policies grant no '*', '*:*', '<service>:*' (or '<service>:**'), NotAction, NotResource, "
    "iam:PassRole/sts:AssumeRole on '*', and no broad AWS managed policy.",
    validate=validate_no_wildcard_actions,
    enforcement_level=MANDATORY,
    config_schema=_WILDCARD_SCHEMA,
    severity=HIGH,
    framework=control("IAM.1", "IAM.21"),
    tags=["access", "iam"],
    remediation_steps="Replace wildcard actions with the exact actions and resources the role needs.",
)

POLICIES = [
    kms_key_policy_not_public,
    sns_topic_policy_not_public,
    s3_bucket_policy_not_public,
    oam_sink_policy_not_public,
    iam_role_trust_not_public,
    iam_no_wildcard_actions,
]
