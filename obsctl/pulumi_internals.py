"""The private pulumi and pulumi-policy APIs the offline tooling relies on, and nothing else.

`obsctl plan` runs the program under Pulumi's mock runtime and `obsctl policy-check` drives pulumi-policy's
analyzer servicer without the CLI. Both need a few objects that are not public API; they are imported here
only, so an upgrade has one module to re-check. Checked against the versions in `CHECKED_VERSIONS`
(pinned in requirements.txt); tests/test_pulumi_internals.py fails when the installed versions differ.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from pulumi.runtime import rpc
from pulumi.runtime.stack import run_pulumi_func
from pulumi.runtime.sync_await import _ensure_event_loop, _sync_await

CHECKED_VERSIONS = {"pulumi": "3.272.0", "pulumi-policy": "1.21.0"}


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


def analyzer_servicer(name: str, version: str, policies: list[Any], enforcement_level: Any, description: str) -> Any:
    """The object `PolicyPack` serves over gRPC under the Pulumi CLI, constructed without a server."""
    from pulumi_policy.policy import _PolicyAnalyzerServicer

    return _PolicyAnalyzerServicer(name, version, policies, enforcement_level, None, description)


def serialize_properties(values: dict[str, Any]) -> Any:
    """Plain Python values -> the protobuf property struct a RegisterResource response carries."""
    return _sync_await(rpc.serialize_properties(values, {}))
