"""Validated plan states -> the analyzer protocol's own messages, as the engine builds them under the CLI.

Analyze gets one resource with its *inputs*; AnalyzeStack gets every resource with its outputs (over its
inputs: a preview's outputs of a new resource are its inputs plus unknowns), parents, dependencies,
property dependencies and provider.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from google.protobuf import struct_pb2
from pulumi.runtime.proto import analyzer_pb2

from obsctl.policy.plan import Plan


def _struct(props: Mapping[str, Any]) -> struct_pb2.Struct:
    message = struct_pb2.Struct()
    message.update(dict(props))
    return message


def _urn_name(urn: str) -> str:
    return urn.split("::", 3)[-1]


def _options(state: Mapping[str, Any]) -> analyzer_pb2.AnalyzerResourceOptions:
    return analyzer_pb2.AnalyzerResourceOptions(
        protect=state.get("protect") is True,
        ignoreChanges=list(state.get("ignoreChanges") or []),
        additionalSecretOutputs=list(state.get("additionalSecretOutputs") or []),
        aliases=[a for a in state.get("aliases") or [] if isinstance(a, str)],
        parent=state.get("parent") or "",
    )


def _provider(
    state: Mapping[str, Any], plan: Plan, built: dict[str, analyzer_pb2.AnalyzerProviderResource]
) -> analyzer_pb2.AnalyzerProviderResource | None:
    """The resource's provider (`<provider urn>::<id>`), which validation guarantees is in the plan; built
    once per plan (`built`), copied into each message that names it."""
    ref = state.get("provider")
    if not ref:
        return None
    urn = ref.rsplit("::", 1)[0]
    if urn not in built:
        provider = plan.providers[urn]
        built[urn] = analyzer_pb2.AnalyzerProviderResource(
            type=provider["type"], properties=_struct(provider["inputs"]), urn=urn, name=_urn_name(urn)
        )
    return built[urn]


def configure_stack_request(plan: Plan) -> analyzer_pb2.AnalyzerStackConfigureRequest:
    urn = next((s["urn"] for s in plan.states if s["type"] == "pulumi:pulumi:Stack"), plan.states[0]["urn"])
    # urn:pulumi:<stack>::<project>::...
    stack, project = urn.removeprefix("urn:pulumi:").split("::")[:2]
    return analyzer_pb2.AnalyzerStackConfigureRequest(stack=stack, project=project, dry_run=True, tags=plan.stack_tags)


def analyze_messages(
    plan: Plan,
) -> tuple[list[tuple[str, analyzer_pb2.AnalyzeRequest]], analyzer_pb2.AnalyzeStackRequest]:
    """(URN, Analyze request) for every resource (its inputs), and the AnalyzeStack request (every resource's
    outputs over its inputs). Each state's properties, options and provider are built once and copied where
    both messages need them (a plan from `obsctl plan` has no outputs: the stack sees the inputs)."""
    providers: dict[str, analyzer_pb2.AnalyzerProviderResource] = {}
    requests = []
    stack_request = analyzer_pb2.AnalyzeStackRequest()
    for state in plan.states:
        urn, name = state["urn"], _urn_name(state["urn"])
        properties, options = _struct(state["inputs"]), _options(state)
        request = analyzer_pb2.AnalyzeRequest(
            type=state["type"], properties=properties, urn=urn, name=name, options=options
        )
        resource = stack_request.resources.add(
            type=state["type"],
            urn=urn,
            name=name,
            options=options,
            parent=state.get("parent") or "",
            dependencies=list(state.get("dependencies") or []),
        )
        if state["outputs"]:
            resource.properties.CopyFrom(_struct({**state["inputs"], **state["outputs"]}))
        else:
            resource.properties.CopyFrom(properties)
        for prop, urns in (state.get("propertyDependencies") or {}).items():
            resource.propertyDependencies[prop].urns.extend(urns)
        provider = _provider(state, plan, providers)
        if provider is not None:
            request.provider.CopyFrom(provider)
            resource.provider.CopyFrom(provider)
        requests.append((urn, request))
    return requests, stack_request
