"""A Pulumi mock monitor that records every registration the way the engine would see it.

Pulumi's own `MockMonitor` keeps only urn/id/state and qualifies a URN's type by the direct parent only; the
plan also needs parent, provider, protect, retainOnDelete and aliases (from the RegisterResource request) and
URNs qualified by every ancestor, as the engine makes them (`obsctl.plan.urns`). The same recorder runs the
tests' Pulumi programs (tests/harness.py), so the tests and `obsctl plan` fake AWS one way.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pulumi import get_project, get_stack
from pulumi.runtime import MockCallArgs, MockResourceArgs, Mocks

from obsctl.plan import urns
from obsctl.plan.placeholders import Placement, resource_state, stable_uuid
from obsctl.plan.provider_inputs import is_provider, json_or_value, provider_placement
from obsctl.pulumi_internals import (
    MockMonitor,
    deserialize_properties,
    ensure_event_loop,
    register_resource_response,
    serialize_properties,
)
from vocabulary import arns


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
    # Old URNs an existing stack may hold this resource under (explicit and inherited aliases, engine order).
    aliases: list[str] = field(default_factory=list)
    id: str = ""
    # What the mock answered: the inputs plus the values AWS would compute (placeholders).
    outputs: dict[str, Any] = field(default_factory=dict)


class _PlaceholderMocks(Mocks):
    def __init__(self, recorder: PlanRecorder) -> None:
        self._recorder = recorder

    def new_resource(self, args: MockResourceArgs) -> tuple[str, dict]:
        if is_provider(args.typ):
            return stable_uuid(args.typ, args.name), dict(args.inputs)
        if args.typ == "pulumi:pulumi:StackReference":
            return args.inputs.get("name", args.name), {
                "name": args.inputs.get("name", args.name),
                "outputs": self._recorder.stack_reference_outputs(str(args.inputs.get("name", args.name))),
                "secretOutputNames": [],
            }
        # `args.name` is the resource's identity: the name it was first registered under (see RegisterResource).
        where = self._recorder.where(args.provider, args.inputs)
        return resource_state(args.typ, args.name, dict(args.inputs), where)

    def call(self, args: MockCallArgs) -> tuple[dict, list | None]:
        where = self._recorder.placement(args.provider, {})
        account = self._recorder.where(args.provider, {}).account_id
        if args.token == "aws:index/getCallerIdentity:getCallerIdentity":
            return {"accountId": account, "arn": arns.account_root(account), "userId": account}, None
        if args.token == "aws:index/getRegion:getRegion":
            region = (where.region if where else "") or "us-east-1"
            return {"name": region, "region": region, "id": region}, None
        if args.token == "aws:index/getPartition:getPartition":
            return {"partition": "aws", "dnsSuffix": "amazonaws.com", "id": "aws"}, None
        return {}, None


class PlanRecorder(MockMonitor):
    """Mock monitor + mocks in one: records registrations in order and answers with placeholders.

    `default_account`: the account of resources registered without an explicit provider (the program
    always sets one; tests of single components need not)."""

    def __init__(
        self,
        stack_reference_outputs: Callable[[str], dict[str, Any]] | None = None,
        default_account: str = "000000000000",
    ) -> None:
        super().__init__(_PlaceholderMocks(self))
        self.registrations: list[Registration] = []
        self._providers: dict[str, Placement] = {}  # provider URN -> its account and default region
        self._thread_loops: set[asyncio.AbstractEventLoop] = set()
        self._stack_reference_outputs = stack_reference_outputs or (lambda _name: {})
        self._default_account = default_account
        self._aliases: urns.AliasResolver | None = None

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        # As the engine does (Pulumi's MockMonitor keeps only the direct parent and includes the stack).
        return urns.create(get_stack(), get_project(), type_, name, parent)

    # -- what the mocks ask ------------------------------------------------------------------------------
    def placement(self, provider_ref: str, inputs: dict[str, Any]) -> Placement | None:
        info = self._providers.get(provider_ref.rsplit("::", 1)[0]) if provider_ref else None
        if info is None:
            return None
        region = inputs.get("region") if isinstance(inputs.get("region"), str) else info.region
        return Placement(info.account_id, region)

    def where(self, provider_ref: str, inputs: dict[str, Any]) -> Placement:
        """The resource's account and region; without an explicit provider, the default account."""
        region = inputs.get("region") if isinstance(inputs.get("region"), str) else ""
        return self.placement(provider_ref, inputs) or Placement(self._default_account, region)

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
        if self._aliases is None:
            self._aliases = urns.AliasResolver(get_stack(), get_project())
        inputs = deserialize_properties(request.object)
        urn = self.make_urn(request.parent, request.type, request.name)
        aliases = self._aliases.resolve(urn, request.type, request.name, request.parent, request.aliases)
        registers_provider = is_provider(request.type)
        if registers_provider:
            self._providers[urn] = Placement(*provider_placement(inputs))
        id_, outputs = self._answer(request, inputs, urn, identity=urns.name_of(aliases[0]) if aliases else None)
        placement = None
        if request.custom and not registers_provider:
            placement = self.placement(request.provider, inputs)
            # IAM and other global services have no region of their own.
            if placement and "region" not in inputs and request.type.split(":")[1].split("/")[0] in _GLOBAL:
                placement = Placement(placement.account_id, "")
        self.registrations.append(
            Registration(
                type=request.type,
                name=request.name,
                urn=urn,
                custom=bool(request.custom),
                parent=request.parent,
                provider=request.provider,
                protect=bool(request.protect),
                retain_on_delete=bool(request.retainOnDelete),
                dependencies=sorted(set(request.dependencies)),
                inputs={key: json_or_value(value) if registers_provider else value for key, value in inputs.items()},
                placement=placement,
                aliases=aliases,
                id=id_,
                outputs=outputs,
            )
        )
        if request.type == urns.ROOT_STACK_TYPE:
            return register_resource_response(urn)
        return register_resource_response(urn, id_, serialize_properties(outputs))

    def _answer(
        self, request: Any, inputs: dict[str, Any], urn: str, identity: str | None
    ) -> tuple[str, dict[str, Any]]:
        """What the engine would answer: the mocks' placeholders, keyed on the resource's identity (the name an
        aliased resource has in the old state, so it keeps its id)."""
        if request.type == urns.ROOT_STACK_TYPE:
            return "", {}
        args = MockResourceArgs(
            typ=request.type,
            name=identity or request.name,
            inputs=inputs,
            provider=request.provider,
            resource_id=request.importId,
            custom=request.custom or False,
        )
        id_, outputs = self.mocks.new_resource(args)
        self.remember(urn, id_, outputs)
        return id_, outputs


_GLOBAL = {"iam", "budgets", "organizations"}
