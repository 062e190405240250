"""Run a Pulumi program (components, not a whole stack) under the plan recorder and see what it registers.

The one mock runtime of the repository: `obsctl plan` records stacks with the same `PlanRecorder`, so the
tests and the offline plans fake AWS (ids, ARNs) the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pulumi

from inventory.load import PROJECT_NAME
from obsctl.plan.recorder import PlanRecorder, Registration
from obsctl.pulumi_internals import run_program

ACCOUNT_ID = "111122223333"


@dataclass
class Recorded:
    """Every registration of one program run (the root stack excluded), in registration order."""

    resources: list[Registration]

    def of_type(self, type_: str) -> list[Registration]:
        return [r for r in self.resources if r.type == type_]

    def named(self, name: str) -> Registration:
        (match,) = [r for r in self.resources if r.name == name]
        return match


def run(build: Callable[[], Any], account_id: str = ACCOUNT_ID) -> tuple[Recorded, Any]:
    """Run `build` as a Pulumi program; return what it registered and `build`'s result, resolved.

    `build` returns Outputs/values (e.g. a dict of them); they are resolved after every registration finished.
    Resources registered without an explicit provider belong to `account_id`.
    """
    recorder = PlanRecorder(default_account=account_id)
    pulumi.runtime.set_mocks(recorder.mocks, project=PROJECT_NAME, stack="test", preview=False, monitor=recorder)
    box: dict[str, Any] = {}

    def program() -> None:
        pulumi.Output.from_input(build()).apply(lambda value: box.setdefault("value", value))

    try:
        run_program(program)
    finally:
        recorder.close_thread_loops()
    resources = [r for r in recorder.registrations if r.type != "pulumi:pulumi:Stack"]
    return Recorded(resources), box.get("value")
