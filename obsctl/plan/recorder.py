"""A Pulumi mock monitor that records every registration the way the engine would see it.

Pulumi's own `MockMonitor` keeps only urn/id/state; the plan also needs parent, provider, protect and
retainOnDelete, which are on the RegisterResource request itself.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime.settings import get_project, get_stack

from obsctl.plan.placeholders import Placement, resource_state, stable_uuid
from obsctl.pulumi_internals import deserialize_properties, ensure_event_loop

PROVIDER_PREFIX = "pulumi:providers:"


@dataclass
class Registration:
    type: str
    name: str
    urn: str
    custom: bool
    parent: str
    provider: str
    protect: bool
    retain_on_delete: bool
    dependencies: list[str]
    inputs: dict[str, Any]
    placement: Placement | None


def _json_or_value(value: Any) -> Any:
    # Provider inputs that are objects or lists reach the engine JSON-encoded.
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


class _PlaceholderMocks(pulumi_mocks.Mocks):
    def __init__(self, recorder: PlanRecorder) -> None:
        self._recorder = recorder

    def new_resource(self, args: pulumi_mocks.MockResourceArgs) -> tuple[str, dict]:
        if args.typ.startswith(PROVIDER_PREFIX):
            return stable_uuid(args.typ, args.name), dict(args.inputs)
        if args.typ == "pulumi:pulumi:StackReference":
            return args.inputs.get("name", args.name), {
                "name": args.inputs.get("name", args.name),
                "outputs": self._recorder.stack_reference_outputs(str(args.inputs.get("name", args.name))),
                "secretOutputNames": [],
            }
        where = self._recorder.placement(args.provider, args.inputs)
        return resource_state(args.typ, args.name, dict(args.inputs), where or Placement("000000000000", ""))

    def call(self, args: pulumi_mocks.MockCallArgs) -> tuple[dict, list | None]:
        where = self._recorder.placement(args.provider, {})
        account = where.account_id if where else "000000000000"
        if args.token == "aws:index/getCallerIdentity:getCallerIdentity":
            return {"accountId": account, "arn": f"arn:aws:iam::{account}:root", "userId": account}, None
        if args.token == "aws:index/getRegion:getRegion":
            region = (where.region if where else "") or "us-east-1"
            return {"name": region, "region": region, "id": region}, None
        if args.token == "aws:index/getPartition:getPartition":
            return {"partition": "aws", "dnsSuffix": "amazonaws.com", "id": "aws"}, None
        return {}, None


class PlanRecorder(pulumi_mocks.MockMonitor):
    """Mock monitor + mocks in one: records registrations in order and answers with placeholders."""

    def __init__(self, stack_reference_outputs: Callable[[str], dict[str, Any]] | None = None) -> None:
        super().__init__(_PlaceholderMocks(self))
        self.registrations: list[Registration] = []
        self._providers: dict[str, Placement] = {}
        self._thread_loops: set[asyncio.AbstractEventLoop] = set()  # provider URN -> its account and default region
        self._stack_reference_outputs = stack_reference_outputs or (lambda _name: {})

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        # As the engine does: the type is qualified by every ancestor's type except the root stack's.
        # (Pulumi's MockMonitor keeps only the direct parent and includes the stack.)
        if parent:
            parent_type = parent.split("::")[2]
            if parent_type != "pulumi:pulumi:Stack":
                type_ = f"{parent_type}${type_}"
        return "urn:pulumi:" + "::".join([get_stack(), get_project(), type_, name])

    # -- what the mocks ask ------------------------------------------------------------------------------
    def placement(self, provider_ref: str, inputs: dict[str, Any]) -> Placement | None:
        info = self._providers.get(provider_ref.rsplit("::", 1)[0]) if provider_ref else None
        if info is None:
            return None
        region = inputs.get("region") if isinstance(inputs.get("region"), str) else info.region
        return Placement(info.account_id, region)

    def stack_reference_outputs(self, name: str) -> dict[str, Any]:
        return self._stack_reference_outputs(name)

    # -- engine RPCs -------------------------------------------------------------------------------------
    def close_thread_loops(self) -> None:
        """Close the event loops Pulumi's mock monitor opened in its worker threads.

        Left open, they are collected at interpreter shutdown after their selectors, and Python prints an
        "Exception ignored ... Invalid file descriptor" traceback on the way out.
        """
        for loop in self._thread_loops:
            if not loop.is_running() and not loop.is_closed():
                loop.close()

    def RegisterResource(self, request: Any) -> Any:
        loop = ensure_event_loop()
        if threading.current_thread() is not threading.main_thread():
            self._thread_loops.add(loop)
        inputs = deserialize_properties(request.object)
        urn = self.make_urn(request.parent, request.type, request.name)
        if request.type.startswith(PROVIDER_PREFIX):
            allowed = _json_or_value(inputs.get("allowedAccountIds")) or [""]
            self._providers[urn] = Placement(account_id=str(allowed[0]), region=str(inputs.get("region", "")))
        response = super().RegisterResource(request)
        is_custom = bool(request.custom)
        placement = None
        if is_custom and not request.type.startswith(PROVIDER_PREFIX):
            placement = self.placement(request.provider, inputs)
            # IAM and other global services have no region of their own.
            if placement and "region" not in inputs and request.type.split(":")[1].split("/")[0] in _GLOBAL:
                placement = Placement(placement.account_id, "")
        self.registrations.append(
            Registration(
                type=request.type,
                name=request.name,
                urn=urn,
                custom=is_custom,
                parent=request.parent,
                provider=request.provider,
                protect=bool(request.protect),
                retain_on_delete=bool(request.retainOnDelete),
                dependencies=sorted(set(request.dependencies)),
                inputs={
                    key: _json_or_value(value) if request.type.startswith(PROVIDER_PREFIX) else value
                    for key, value in inputs.items()
                },
                placement=placement,
            )
        )
        return response


_GLOBAL = {"iam", "budgets", "organizations"}
