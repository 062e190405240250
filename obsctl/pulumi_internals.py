"""The private pulumi and pulumi-policy APIs the offline tooling relies on, and nothing else.

`obsctl plan` runs the program under Pulumi's mock runtime and `obsctl policy-check` drives pulumi-policy's
analyzer servicer without the CLI. Both need a few objects that are not public API; they are imported here
only, so an upgrade has one module to re-check. Checked against the versions in `CHECKED_VERSIONS`
(pinned in requirements.txt); tests/obsctl/test_pulumi_internals.py fails when the installed versions differ.

Outside obsctl: the program reads its config from the runtime's config map (`program/stack_config.py`; the
program cannot import the tools), and the policy commands build pulumi's analyzer protobuf messages
(`pulumi.runtime.proto.analyzer_pb2`, the wire format the CLI speaks).
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

from google.protobuf import struct_pb2
from pulumi.runtime import mocks as runtime_mocks
from pulumi.runtime import resource as resource_runtime
from pulumi.runtime import rpc
from pulumi.runtime.proto import resource_pb2, source_pb2
from pulumi.runtime.stack import run_pulumi_func
from pulumi.runtime.sync_await import _ensure_event_loop, _sync_await

CHECKED_VERSIONS = {"pulumi": "3.272.0", "pulumi-policy": "1.21.0"}

T = TypeVar("T")


class _InlineLoop(asyncio.SelectorEventLoop):
    """An event loop whose executor is the calling thread.

    The SDK hands every RPC to the loop's thread pool (`run_in_executor`) because a real engine answers over
    gRPC; the mock monitor answers in-process at once, so the thread hop only adds hand-offs and GIL
    contention. Here the call runs inline and its future is already done: the coroutine awaiting it goes on
    at its next step, in the same order the pool would have produced on an idle machine.
    """

    def run_in_executor(self, executor: Any, func: Callable[..., Any], *args: Any) -> asyncio.Future[Any]:
        future = self.create_future()
        try:
            future.set_result(func(*args))
        except BaseException as error:  # delivered to the awaiting coroutine, as the pool would
            future.set_exception(error)
        return future


_EMPTY_STACK_TRACE = source_pb2.StackTrace()


def _no_stack_trace() -> Any:
    return _EMPTY_STACK_TRACE


def fresh_runtime(function: Callable[..., T], *args: Any) -> T:
    """Call `function` against a pristine Pulumi runtime, so one process can run many programs in turn.

    Pulumi keeps its runtime state in context variables (so that inline programs of the Automation API can
    run side by side): the settings bag (`pulumi.runtime.settings.SETTINGS`: monitor, engine, project, stack,
    RPC manager, pending outputs), the root stack resource (`settings.ROOT`) and the config
    (`pulumi.runtime.config.CONFIG`, `_SECRET_KEYS`). An empty `contextvars.Context` holds none of a previous
    run's values; `set_mocks` and `set_all_config` then set them for this run only. The event loop is the
    other process-wide state (`set_mocks` already creates the root stack's futures on it): `function` gets a
    loop of its own (`_InlineLoop`), closed afterwards, so nothing of one run outlives it.

    While it runs, registrations carry no stack trace: the SDK walks the Python stack of every resource
    (`pulumi.runtime.resource._get_stack_trace`, a file URI per frame) for the engine's source positions,
    which only the CLI's diagnostics show and the plan recorder never reads.
    """
    previous = _current_event_loop()
    loop = _InlineLoop()
    asyncio.set_event_loop(loop)
    stack_trace = resource_runtime._get_stack_trace
    resource_runtime._get_stack_trace = _no_stack_trace
    try:
        return contextvars.Context().run(function, *args)
    finally:
        resource_runtime._get_stack_trace = stack_trace
        asyncio.set_event_loop(previous)
        loop.close()


def _current_event_loop() -> asyncio.AbstractEventLoop | None:
    """The thread's event loop, to give back after a run (code that uses the thread's default loop, such as
    tests running programs directly under set_mocks, keeps working)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # 3.12+: creating the main thread's loop implicitly
        try:
            return asyncio.get_event_loop_policy().get_event_loop()
        except RuntimeError:
            return None


class MockMonitor(runtime_mocks.MockMonitor):
    """Pulumi's mock monitor (`pulumi.runtime.mocks.MockMonitor`, not exported), which `set_mocks` installs in
    place of the engine: the base of the plan recorder (`obsctl.plan.recorder.PlanRecorder`), which answers
    RegisterResource itself. Relied on: `__init__(mocks)`, the `mocks` attribute, `resources` (URN ->
    registration, read by the SDK's own calls such as `get_registered_resources`) and the other RPC methods."""

    def remember(self, urn: str, id_: str, outputs: dict[str, Any]) -> None:
        """Record a resource the way the base class's own RegisterResource does."""
        self.resources[urn] = runtime_mocks.MockMonitor.ResourceRegistration(urn, id_, outputs)


def register_resource_response(urn: str, id_: str | None = None, outputs: Any = None) -> Any:
    """The engine's answer to RegisterResource (`resource_pb2.RegisterResourceResponse`); `outputs` is a
    property struct (`serialize_properties`). The root stack resource gets its URN only."""
    if id_ is None and outputs is None:
        return resource_pb2.RegisterResourceResponse(urn=urn)
    return resource_pb2.RegisterResourceResponse(urn=urn, id=id_ or "", object=outputs)


def run_program(program: Callable[[], Any]) -> None:
    """Run `program` as a Pulumi program against whatever monitor `set_mocks` installed, to completion."""
    _sync_await(run_pulumi_func(program))


def ensure_event_loop() -> asyncio.AbstractEventLoop:
    """The event loop of the calling thread, created if needed (the mock monitor calls us from threads), and
    replaced if a previous program run in this process closed it."""
    loop = _ensure_event_loop()
    if loop.is_closed():
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
    return loop


def deserialize_properties(struct: Any) -> dict[str, Any]:
    """A RegisterResource request's protobuf property struct -> plain Python values."""
    return rpc.deserialize_properties(struct)


def analyzer_servicer(
    name: str, version: str, policies: list[Any], enforcement_level: Any, description: str, decode_once: bool = True
) -> Any:
    """The object `PolicyPack` serves over gRPC under the Pulumi CLI, constructed without a server.

    `decode_once` (the default): the same servicer, but a stack's property structs are decoded once (see
    `_DecodeOnce`); False gives the SDK's servicer exactly as the CLI runs it."""
    from pulumi_policy.policy import _PolicyAnalyzerServicer

    servicer_class = _decode_once_servicer() if decode_once else _PolicyAnalyzerServicer
    return servicer_class(name, version, policies, enforcement_level, None, description)


class _DecodeOnce:
    """Each distinct property struct of one stack decoded once, instead of once per policy.

    pulumi-policy's `Analyze` runs `unknown_checking_proxy(deserialize_properties(json_format.MessageToDict(
    struct)))` on the resource's properties and its provider's for every resource policy, and `AnalyzeStack`
    on every resource for every stack policy: with 30 resource policies, 29 in 30 decodings repeat one
    already done. While a request runs, those three names in `pulumi_policy.policy` are replaced by these
    memoised versions: a Struct is looked up by identity (a request hands the same message object to every
    policy), then by its deterministic serialization (equal bytes, equal content: a provider's properties
    in every request); the two later steps by the identity of what the step before returned. Everything
    looked up by identity is kept alive here, so an id is never reused while the memo lives. Every policy
    then gets a proxy equal to the one the SDK would have built for it alone; the pack never writes to a
    resource's properties (tests/obsctl/policy/test_workers.py checks that sharing them changes nothing).
    Anything else (another message type, extra arguments: `Remediate`, `Configure`) goes to the SDK as is.
    """

    def __init__(self, module: Any) -> None:
        self.module = module
        self.originals = (module.json_format, module.deserialize_properties, module.unknown_checking_proxy)
        self.by_identity: dict[tuple[str, int], tuple[Any, Any]] = {}
        self.by_content: dict[bytes, Any] = {}

    def once(self, kind: str, value: Any, function: Callable[[Any], Any]) -> Any:
        """`function(value)`, computed once per `value` object (and `kind`) while the memo lives."""
        key = (kind, id(value))
        found = self.by_identity.get(key)
        if found is None or found[0] is not value:
            found = self.by_identity[key] = (value, function(value))
        return found[1]

    def MessageToDict(self, message: Any, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs or type(message) is not struct_pb2.Struct:
            return self.originals[0].MessageToDict(message, *args, **kwargs)
        return self.once("dict", message, self._struct_to_dict)

    def _struct_to_dict(self, message: Any) -> Any:
        key = message.SerializeToString(deterministic=True)
        decoded = self.by_content.get(key)
        if decoded is None:
            decoded = self.by_content[key] = self.originals[0].MessageToDict(message)
        return decoded

    def deserialize_properties(self, props: Any, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs:
            return self.originals[1](props, *args, **kwargs)
        return self.once("deserialized", props, self.originals[1])

    def unknown_checking_proxy(self, props: Any, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs:
            return self.originals[2](props, *args, **kwargs)
        return self.once("proxy", props, self.originals[2])

    def __enter__(self) -> None:
        self.module.json_format = self
        self.module.deserialize_properties = self.deserialize_properties
        self.module.unknown_checking_proxy = self.unknown_checking_proxy

    def __exit__(self, *_: object) -> None:
        self.module.json_format, self.module.deserialize_properties, self.module.unknown_checking_proxy = self.originals


@functools.cache
def _decode_once_servicer() -> type:
    """`_PolicyAnalyzerServicer` whose Analyze and AnalyzeStack share one `_DecodeOnce` per stack (reset by
    ConfigureStack, which the engine sends before a stack's requests); a resource's options and provider
    are built once per stack too. The SDK's own code runs unchanged."""
    from pulumi_policy import policy as policy_module
    from pulumi_policy.policy import _PolicyAnalyzerServicer

    class DecodeOnceServicer(_PolicyAnalyzerServicer):
        _memo: _DecodeOnce | None = None

        def ConfigureStack(self, request: Any, context: Any) -> Any:
            self._memo = _DecodeOnce(policy_module)
            return super().ConfigureStack(request, context)

        def Analyze(self, request: Any, context: Any) -> Any:
            with self._stack_memo():
                return super().Analyze(request, context)

        def AnalyzeStack(self, request: Any, context: Any) -> Any:
            with self._stack_memo():
                return super().AnalyzeStack(request, context)

        def _get_resource_options(self, request: Any) -> Any:
            return self._stack_memo().once("options", request, super()._get_resource_options)

        def _get_provider_resource(self, request: Any) -> Any:
            return self._stack_memo().once("provider", request, super()._get_provider_resource)

        def _stack_memo(self) -> _DecodeOnce:
            if self._memo is None:
                self._memo = _DecodeOnce(policy_module)
            return self._memo

    return DecodeOnceServicer


def serialize_properties(values: dict[str, Any]) -> Any:
    """Plain Python values -> the protobuf property struct a RegisterResource response carries.

    The SDK's serializer is a coroutine, but for plain values (no Output, no resource) it never waits: it is
    run to its end here, without an event loop, from whichever thread the monitor is called on."""
    coroutine = rpc.serialize_properties(values, {})
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value
    coroutine.close()
    raise TypeError("serialize_properties: the values hold something to wait for (an Output?); pass plain values")
