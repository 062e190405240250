"""KMS keys beyond encryption settings: what a key policy may grant, the policy lockout safety check, and
which key an alias names.

The program renders one statement for AWS principals - `AccountAdministersKeyThroughIam` (the account root,
`kms:*`: key use by people and roles is decided by IAM policies) - and, for AWS services, only the
data-plane actions they encrypt and decrypt with (`vocabulary/key_policies.py`). Anything else in a key
policy (`kms:CreateGrant`, `kms:PutKeyPolicy`, `kms:*` to a role or a service) hands out the key outside
IAM. Public statements without an organisation/account condition are `kms-key-policy-not-public`'s, and
other accounts `cross-account-grants`'; this rule checks the actions of everything else.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping
from typing import Any

from pulumi_policy import (
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

from bedrock_guardrails._accounts import ACCOUNT, aws_principals, provider_accounts
from bedrock_guardrails._aws import KMS_ALIAS, KMS_KEY, KMS_KEY_POLICY, aws_managed_key
from bedrock_guardrails._iam import (
    admits_everyone,
    allows,
    parse_policy_document,
    restricting_keys,
    service_principals,
    sid,
    statements,
)
from bedrock_guardrails._util import (
    HIGH,
    MANDATORY,
    Unknown,
    as_list,
    label,
    maybe_unknown,
    raise_first_unknown,
    region_of,
    resources_of,
    truthy,
)

# What the program grants services (and what any non-administration grant may be): encrypt and decrypt.
DATA_PLANE_ACTIONS = (
    "kms:Encrypt*",
    "kms:Decrypt*",
    "kms:ReEncrypt*",
    "kms:GenerateDataKey*",
    "kms:Describe*",
)
_PATTERNS = tuple(a.lower() for a in DATA_PLANE_ACTIONS)
_ROOT = re.compile(r"^arn:aws[a-z-]*:iam::[0-9]{12}:root$")


def _data_plane(action: Any) -> bool:
    """`kms:Decrypt`, `kms:GenerateDataKey*`...: one of the patterns, or an action without wildcard they cover."""
    if not isinstance(action, str):
        return False
    action = action.lower()
    if action in _PATTERNS:
        return True
    return not re.search(r"[*?]", action) and any(fnmatch.fnmatchcase(action, p) for p in _PATTERNS)


def _administration(statement: Mapping[str, Any]) -> bool:
    """The account root (or account id) with `kms:*`: the statement delegating the key to IAM."""
    principals = aws_principals(statement)
    roots = bool(principals) and all(_ROOT.match(p) or ACCOUNT.match(p) for p in principals)
    return roots and not service_principals(statement) and as_list(statement.get("Action")) == ["kms:*"]


def _excess(statement: Mapping[str, Any]) -> list[str]:
    """What an Allow grants beyond the administration statement and the data-plane actions."""
    if not allows(statement) or _administration(statement):
        return []
    if admits_everyone(statement) and not restricting_keys(statement):
        return []  # kms-key-policy-not-public refuses it
    found = [f"NotAction {as_list(statement.get('NotAction'))!r}"] if "NotAction" in statement else []
    return found + [repr(a) for a in as_list(statement.get("Action")) if not _data_plane(a)]


def validate_key_policy_scope(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type not in (KMS_KEY, KMS_KEY_POLICY):
        return
    who = label(args.resource_type, args.name)
    if truthy(args.props.get("bypassPolicyLockoutSafetyCheck")):
        report(
            f"{who} sets bypass_policy_lockout_safety_check=True, so KMS accepts a key policy that locks the "
            "account out of its own key (logs encrypted with it could never be read or the key managed again); "
            "fix: remove bypass_policy_lockout_safety_check (or set it False).",
            None,
        )
    document = parse_policy_document(args.props.get("policy"))
    for index, statement in enumerate(statements(document) if document else []):
        excess = _excess(statement)
        if excess:
            principals = [*aws_principals(statement), *service_principals(statement)]
            grantee = ", ".join(principals) or repr(statement.get("Principal"))
            report(
                f"{who} {sid(statement, index)} grants {grantee} {', '.join(excess)}, beyond what the program "
                "grants outside the AccountAdministersKeyThroughIam statement (the account root with kms:*); "
                f"fix: grant only {', '.join(DATA_PLANE_ACTIONS)} here, and key management or grants to people "
                "and roles through IAM policies.",
                None,
            )


kms_key_policy_scope = ResourceValidationPolicy(
    name="kms-key-policy-scope",
    description="Key policies keep the lockout safety check and grant, besides the account root's kms:*, only "
    "data-plane actions (Encrypt*, Decrypt*, ReEncrypt*, GenerateDataKey*, Describe*).",
    validate=validate_key_policy_scope,
    enforcement_level=MANDATORY,
    severity=HIGH,
    tags=["encryption", "access"],
    remediation_steps="Remove bypass_policy_lockout_safety_check and any key policy statement granting other "
    "than data-plane actions (key management belongs to IAM through the account root statement).",
)


def _key_ids(keys: list[Any]) -> set[str]:
    """Key ids and ARNs of the stack's keys, where known (an update preview; a new key has none yet)."""
    found: set[str] = set()
    for key in keys:
        for prop in ("keyId", "arn", "id"):
            value = maybe_unknown(key.props, prop)
            if isinstance(value, str) and value:
                found.add(value)
    return found


def _target_problem(alias: Any, target: str, keys: list[Any], linked: bool) -> str | None:
    """Why `target` is not one of the stack's keys (None when it is, as far as the plan shows)."""
    if aws_managed_key(target):
        return "an AWS managed key's alias, not a key"
    if target.startswith("alias/") or ":alias/" in target:
        return "another alias, not a key"
    parts = target.split(":", 5)
    if len(parts) == 6 and parts[0] == "arn":
        own, region = provider_accounts(alias.provider), region_of(alias)
        if own and parts[4] not in own:
            return f"a key of account {parts[4]}, outside this stack's account(s) {', '.join(sorted(own))}"
        if isinstance(region, str) and parts[3] != region:
            return f"a key in {parts[3]}, not in the alias's region {region}"
    ids = _key_ids(keys)
    if ids:
        return None if target in ids or target.rsplit("/", 1)[-1] in ids else "a key this stack does not create"
    return None if linked else "a key this stack does not create (the alias depends on none of its keys)"


def validate_alias_target(args: StackValidationArgs, report: ReportViolation) -> None:
    aliases = resources_of(args.resources, KMS_ALIAS)
    if not aliases:
        args.not_applicable("The stack defines no KMS alias.")
    keys = resources_of(args.resources, KMS_KEY)
    key_urns = {k.urn for k in keys}
    for alias in aliases:
        depends = [*alias.property_dependencies.get("targetKeyId", []), *alias.dependencies]
        linked = any(d.urn in key_urns for d in depends)
        target = maybe_unknown(alias.props, "targetKeyId")
        if isinstance(target, Unknown):
            if not linked:
                raise_first_unknown([target])
            continue
        problem = _target_problem(alias, target, keys, linked) if isinstance(target, str) else "not a key id"
        if problem:
            report(
                f"{label(alias.resource_type, alias.name)} (name {maybe_unknown(alias.props, 'name')!r}) targets "
                f"{target!r}, {problem}; the SCPs and every setting that names the key by this alias would then "
                "use that key; fix: set target_key_id to the key_id of this stack's aws.kms.Key in the alias's region.",
                alias.urn,
            )


kms_alias_target = StackValidationPolicy(
    name="kms-alias-target",
    description="KMS aliases name a key this stack creates, in their own region and account (not another "
    "alias, an AWS managed key or another account's key).",
    validate=validate_alias_target,
    enforcement_level=MANDATORY,
    severity=HIGH,
    tags=["stack", "encryption"],
    remediation_steps="Set the alias's target_key_id to the stack's aws.kms.Key (key.key_id).",
)

POLICIES = [kms_key_policy_scope, kms_alias_target]
