"""Run the monitoring components under Pulumi's mock runtime and record every registration."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pulumi

from obsctl.pulumi_internals import run_program

ACCOUNT_ID = "111122223333"


@dataclass
class Recorded:
    typ: str
    name: str
    inputs: dict[str, Any]
    provider: str | None


@dataclass
class MonitoringMocks(pulumi.runtime.Mocks):
    resources: list[Recorded] = field(default_factory=list)

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.resources.append(Recorded(args.typ, args.name, dict(args.inputs), args.provider))
        state = dict(args.inputs)
        region = args.inputs.get("region", "us-east-1")
        if args.typ == "aws:sns/topic:Topic":
            state["arn"] = f"arn:aws:sns:{region}:{ACCOUNT_ID}:{args.inputs['name']}"
        return f"{args.name}-id", state

    def call(self, args: pulumi.runtime.MockCallArgs) -> dict[str, Any]:
        return {}

    def of_type(self, typ: str) -> list[Recorded]:
        return [r for r in self.resources if r.typ == typ]


def run(build: Callable[[], Any]) -> tuple[MonitoringMocks, dict[str, Any]]:
    """Run `build` as a Pulumi program; return the recorded resources and `build`'s resolved outputs.

    `build` returns a dict of Outputs/values; they are resolved after every registration finished.
    """
    mocks = MonitoringMocks()
    pulumi.runtime.set_mocks(mocks, project="bedrock-observability", stack="test", preview=False)
    resolved: dict[str, Any] = {}

    def program() -> None:
        outputs = build()
        pulumi.Output.from_input(outputs).apply(resolved.update)

    run_program(program)
    return mocks, resolved
