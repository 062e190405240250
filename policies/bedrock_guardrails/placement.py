"""Where data goes: only to regions the operator allows, only to log stores this stack manages (and checks),
and across accounts (OAM) only the resource types the operator chose to share.

What the organisation shares through OAM (metrics only, or metrics and log groups with the inventory's
`monitoring_account.settings.share_log_groups`) is taken from this rule's config, not from the inventory:
the pack runs under `pulumi preview` where the inventory is not available, and a workload stack's links do
not see the monitoring stack's sink policy. Set `allowedResourceTypes` to match the inventory.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import (
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

from bedrock_guardrails._aws import (
    AWS_PROVIDER,
    OAM_LINK,
    OAM_LOG_GROUP,
    OAM_METRIC,
    OAM_RESOURCE_TYPES,
    OAM_SINK_POLICY,
    REGION_PATTERN,
)
from bedrock_guardrails._iam import allows, parse_policy_document, sid, statements
from bedrock_guardrails._util import (
    HIGH,
    MANDATORY,
    as_list,
    block,
    config,
    first,
    label,
    raise_first_unknown,
    region_of,
    schema,
)

# ---------------------------------------------------------------------------------------------------------
# Regions

_REGION_SCHEMA = schema(
    allowedRegions={
        "type": "array",
        "items": {"type": "string", "pattern": REGION_PATTERN},
        "uniqueItems": True,
        "default": [],
        "description": "Regions resources may be created in (the inventory's regions plus the home and "
        "monitoring regions). Empty: not checked.",
    },
)


def validate_allowed_regions(args: StackValidationArgs, report: ReportViolation) -> None:
    allowed = sorted(config(args, _REGION_SCHEMA, "allowedRegions"))
    if not allowed:
        args.not_applicable("allowedRegions is not configured.")
    for resource in args.resources:
        if not (resource.resource_type.startswith("aws:") or resource.resource_type == AWS_PROVIDER):
            continue
        region = region_of(resource)
        raise_first_unknown([region])
        if region is None and resource.resource_type == AWS_PROVIDER:
            report(
                f"{label(resource.resource_type, resource.name)} sets no region, so it deploys to whatever "
                f"AWS_REGION the deploying machine has; fix: set region to one of {', '.join(allowed)}.",
                resource.urn,
            )
        elif region is not None and region not in allowed:
            report(
                f"{label(resource.resource_type, resource.name)} is in {region}, which is not an allowed "
                f"region ({', '.join(allowed)}); fix: create it in an allowed region, or add {region} to the "
                "inventory and to allowedRegions.",
                resource.urn,
            )


allowed_regions = StackValidationPolicy(
    name="allowed-regions",
    description="Every AWS resource (and provider) is in a configured allowed region.",
    validate=validate_allowed_regions,
    enforcement_level=MANDATORY,
    config_schema=_REGION_SCHEMA,
    severity=HIGH,
    tags=["stack", "data-residency"],
    remediation_steps="Create the resource in an allowed region, or extend allowedRegions with the inventory.",
)

# ---------------------------------------------------------------------------------------------------------
# What OAM shares across accounts

_OAM_SCHEMA = schema(
    allowedResourceTypes={
        "type": "array",
        "items": {"type": "string", "enum": list(OAM_RESOURCE_TYPES)},
        "uniqueItems": True,
        "minItems": 1,
        "default": [OAM_METRIC],
        "description": "What OAM links may share and sink policies may admit. Add AWS::Logs::LogGroup only "
        "with the inventory's monitoring_account.settings.share_log_groups: true.",
    },
)

_OAM_FIX = "fix: share only {allowed} (or allow more in this rule's allowedResourceTypes if the inventory does)"


def _link_problems(props: Mapping[str, Any], allowed: list[str]) -> list[str]:
    extra = [t for t in as_list(props.get("resourceTypes")) if not (isinstance(t, str) and t in allowed)]
    problems = [f"shares {', '.join(map(repr, extra))}"] if extra else []
    link_config = block(props.get("linkConfiguration"))
    if OAM_LOG_GROUP not in allowed and first(link_config.get("logGroupConfiguration")):
        problems.append("configures log group sharing (link_configuration.log_group_configuration)")
    return problems


def _resource_types_condition(statement: Mapping[str, Any]) -> tuple[list[str] | None, bool]:
    """(values of ForAllValues:StringEquals oam:ResourceTypes or None, whether Null oam:ResourceTypes=false)."""
    values, required = None, False
    conditions = statement.get("Condition")
    for operator, entries in (conditions if isinstance(conditions, Mapping) else {}).items():
        for key, value in (entries if isinstance(entries, Mapping) else {}).items():
            if str(key).lower() != "oam:resourcetypes":
                continue
            if operator == "ForAllValues:StringEquals":
                values = [str(v) for v in as_list(value)]
            elif operator == "Null" and [str(v).lower() for v in as_list(value)] == ["false"]:
                required = True
    return values, required


def _sink_policy_problems(props: Mapping[str, Any], allowed: list[str]) -> list[str]:
    document = parse_policy_document(props.get("policy"))
    if document is None:
        return ["has a policy that is not a JSON policy document"]
    problems = []
    for index, statement in enumerate(statements(document)):
        actions = {str(a).lower() for a in as_list(statement.get("Action"))}
        if not allows(statement) or not actions & {"oam:createlink", "oam:updatelink", "oam:*", "*"}:
            continue
        values, required = _resource_types_condition(statement)
        if values is None or not required:
            problems.append(
                f"{sid(statement, index)} admits links of any resource type (needs ForAllValues:StringEquals "
                "oam:ResourceTypes and Null oam:ResourceTypes=false)"
            )
        elif set(values) - set(allowed):
            problems.append(f"{sid(statement, index)} admits {', '.join(sorted(set(values) - set(allowed)))}")
    return problems


def validate_oam_shared_types(args: ResourceValidationArgs, report: ReportViolation) -> None:
    allowed = list(config(args, _OAM_SCHEMA, "allowedResourceTypes"))
    if args.resource_type == OAM_LINK:
        problems = _link_problems(args.props, allowed)
    elif args.resource_type == OAM_SINK_POLICY:
        problems = _sink_policy_problems(args.props, allowed)
    else:
        return
    fix = _OAM_FIX.format(allowed=", ".join(allowed))
    for problem in problems:
        report(f"{label(args.resource_type, args.name)} {problem}, beyond what this organisation shares; {fix}.", None)


oam_shared_types = ResourceValidationPolicy(
    name="oam-shared-types",
    description="OAM links share, and sink policies admit, only the configured resource types (metrics only "
    "unless log sharing is on).",
    validate=validate_oam_shared_types,
    enforcement_level=MANDATORY,
    config_schema=_OAM_SCHEMA,
    severity=HIGH,
    tags=["access", "oam"],
    remediation_steps="Set the link's resource_types (and the sink policy's oam:ResourceTypes) to the allowed types.",
)

POLICIES = [allowed_regions, oam_shared_types]
