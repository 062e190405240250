"""Where data goes: only to regions the operator allows, only to log stores this stack manages (and checks),
and across accounts (OAM) only the resource types the operator chose to share.

What the organisation shares through OAM (metrics only, or metrics and log groups with the inventory's
`monitoring_account.settings.share_log_groups`) is taken from this rule's config, not from the inventory:
the pack runs under `pulumi preview` where the inventory is not available, and a workload stack's links do
not see the monitoring stack's sink policy. Set `allowedResourceTypes` to match the inventory.
"""

from __future__ import annotations

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
    allowedMetricNamespaces={
        "type": "array",
        "items": {"type": "string", "minLength": 1},
        "uniqueItems": True,
        "minItems": 1,
        "default": ["AWS/Bedrock"],
        "description": "Metric namespaces a link's metric filter may name (Namespace IN (...)).",
    },
    allowedLogGroupPatterns={
        "type": "array",
        "items": {"type": "string", "minLength": 1},
        "uniqueItems": True,
        "minItems": 1,
        "default": ["/bedrock-observability/%"],
        "description": "LIKE patterns a link's log group filter may use (LogGroupName LIKE '...' OR ...).",
    },
)

_OAM_FIX = (
    "fix: share only {allowed}, metrics filtered with \"Namespace IN ('AWS/Bedrock')\" and log groups with "
    "\"LogGroupName LIKE '/bedrock-observability/%'\" (or allow more in this rule's config if the inventory does)"
)


_LITERAL = re.compile(r"\s*'([^']*)'\s*")
_METRIC_TERM = re.compile(r"^\s*Namespace\s*(?:=\s*'([^']*)'|IN\s*\((.*)\))\s*$", re.IGNORECASE | re.DOTALL)
_LOG_TERM = re.compile(r"^\s*LogGroupName\s+LIKE\s*'([^']*)'\s*$", re.IGNORECASE)


def _namespaces(text: Any) -> list[str] | None:
    """The namespaces of `Namespace IN ('a', 'b')` / `Namespace = 'a'`; None for any other filter."""
    match = _METRIC_TERM.match(text) if isinstance(text, str) else None
    if match is None:
        return None
    if match.group(1) is not None:
        return [match.group(1)]
    items = [_LITERAL.fullmatch(item) for item in match.group(2).split(",")]
    return [item.group(1) for item in items] if all(items) else None


def _log_patterns(text: Any) -> list[str] | None:
    """The patterns of `LogGroupName LIKE 'p' OR LogGroupName LIKE 'q'`; None for any other filter."""
    if not isinstance(text, str):
        return None
    terms = [_LOG_TERM.match(term) for term in re.split(r"\s+OR\s+", text, flags=re.IGNORECASE)]
    return [term.group(1) for term in terms] if all(terms) else None


def _filter_problems(types: list[Any], link_config: Mapping[str, Any], settings: dict[str, Any]) -> list[str]:
    problems = []
    if OAM_METRIC in types:
        text = block(link_config.get("metricConfiguration")).get("filter")
        names = _namespaces(text)
        if names is None or set(names) - set(settings["allowedMetricNamespaces"]):
            shared = "every metric" if text is None else f"the metrics matching {text!r}"
            problems.append(f"shares {shared} (link_configuration.metric_configuration.filter)")
    if OAM_LOG_GROUP in types:
        text = block(link_config.get("logGroupConfiguration")).get("filter")
        patterns = _log_patterns(text)
        if patterns is None or set(patterns) - set(settings["allowedLogGroupPatterns"]):
            shared = "every log group" if text is None else f"the log groups matching {text!r}"
            problems.append(f"shares {shared} (link_configuration.log_group_configuration.filter)")
    return problems


def _link_problems(props: Mapping[str, Any], settings: dict[str, Any]) -> list[str]:
    allowed = settings["allowedResourceTypes"]
    types = as_list(props.get("resourceTypes"))
    extra = [t for t in types if not (isinstance(t, str) and t in allowed)]
    problems = [f"shares {', '.join(map(repr, extra))}"] if extra else []
    link_config = block(props.get("linkConfiguration"))
    if OAM_LOG_GROUP not in allowed and first(link_config.get("logGroupConfiguration")):
        problems.append("configures log group sharing (link_configuration.log_group_configuration)")
    return problems + _filter_problems([t for t in types if t in allowed], link_config, settings)


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
    settings = {key: config(args, _OAM_SCHEMA, key) for key in _OAM_SCHEMA.properties}
    allowed = list(settings["allowedResourceTypes"])
    if args.resource_type == OAM_LINK:
        problems = _link_problems(args.props, settings)
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
    "unless log sharing is on), and links filter them to the configured metric namespaces and log groups.",
    validate=validate_oam_shared_types,
    enforcement_level=MANDATORY,
    config_schema=_OAM_SCHEMA,
    severity=HIGH,
    tags=["access", "oam"],
    remediation_steps="Set the link's resource_types (and the sink policy's oam:ResourceTypes) to the allowed types.",
)

POLICIES = [allowed_regions, oam_shared_types]
