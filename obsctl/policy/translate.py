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


def _provider(state: Mapping[str, Any], plan: Plan) -> analyzer_pb2.AnalyzerProviderResource | None:
    """The resource's provider (`<provider urn>::<id>`), which validation guarantees is in the plan."""
    ref = state.get("provider")
    if not ref:
        return None
    urn = ref.rsplit("::", 1)[0]
    provider = plan.providers[urn]
    return analyzer_pb2.AnalyzerProviderResource(
        type=provider["type"], properties=_struct(provider["inputs"]), urn=urn, name=_urn_name(urn)
    )


def configure_stack_request(plan: Plan) -> analyzer_pb2.AnalyzerStackConfigureRequest:
    urn = next((s["urn"] for s in plan.states if s["type"] == "pulumi:pulumi:Stack"), plan.states[0]["urn"])
    # urn:pulumi:<stack>::<project>::...
    stack, project = urn.removeprefix("urn:pulumi:").split("::")[:2]
    return analyzer_pb2.AnalyzerStackConfigureRequest(stack=stack, project=project, dry_run=True, tags=plan.stack_tags)


def analyze_requests(plan: Plan) -> list[tuple[str, analyzer_pb2.AnalyzeRequest]]:
    """(URN, request) for every resource: Analyze sees the resource's inputs."""
    requests = []
    for state in plan.states:
        request = analyzer_pb2.AnalyzeRequest(
            type=state["type"],
            properties=_struct(state["inputs"]),
            urn=state["urn"],
            name=_urn_name(state["urn"]),
            options=_options(state),
        )
        provider = _provider(state, plan)
        if provider is not None:
            request.provider.CopyFrom(provider)
        requests.append((state["urn"], request))
    return requests


def analyze_stack_request(plan: Plan) -> analyzer_pb2.AnalyzeStackRequest:
    request = analyzer_pb2.AnalyzeStackRequest()
    for state in plan.states:
        resource = analyzer_pb2.AnalyzerResource(
            type=state["type"],
            properties=_struct({**state["inputs"], **state["outputs"]}),
            urn=state["urn"],
            name=_urn_name(state["urn"]),
            options=_options(state),
            parent=state.get("parent") or "",
            dependencies=list(state.get("dependencies") or []),
        )
        for prop, urns in (state.get("propertyDependencies") or {}).items():
            resource.propertyDependencies[prop].urns.extend(urns)
        provider = _provider(state, plan)
        if provider is not None:
            resource.provider.CopyFrom(provider)
        request.resources.append(resource)
    return request
