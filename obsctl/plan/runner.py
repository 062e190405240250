"""Run the real Pulumi program for one stack under Pulumi's mock runtime and capture its plan.

Nothing here talks to AWS or needs the Pulumi CLI: `pulumi.runtime.set_mocks` replaces the engine, the
program (`__main__.py`) runs unchanged, and every registration is recorded by `PlanRecorder`.
"""

from __future__ import annotations

import runpy
import sys
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.runtime.stack import run_pulumi_func
from pulumi.runtime.sync_await import _sync_await

from inventory.errors import ConfigError
from inventory.load import PROJECT_DIR, PROJECT_NAME, load_stack, read_stack_file
from obsctl.plan.document import build_document, resources_by_place
from obsctl.plan.placeholders import sink_arn
from obsctl.plan.recorder import PlanRecorder, Registration


class PlanError(Exception):
    """The program refused the stack (bad config) or failed; the message is meant for the user."""


@dataclass
class StackPlan:
    stack: str
    document: dict[str, Any]
    registrations: list[Registration]

    @property
    def resource_count(self) -> int:
        return sum(1 for r in self.registrations if r.custom and not r.type.startswith("pulumi:providers:"))

    def by_place(self):
        return resources_by_place(self.registrations)


def _stack_reference_outputs(reference: str) -> dict[str, Any]:
    """What a workload stack reads from the monitoring stack, derived the way that stack computes it."""
    from components.org_monitoring import sink_resource_name

    target = load_stack(reference.rsplit("/", 1)[-1])
    if target.role != "monitoring":
        return {}
    account = target.account.account_id
    return {"oamSinkArns": {
        region: sink_arn(account, region, sink_resource_name(region)) for region in target.org.workload_regions
    }}


def run_stack(stack: str, config: dict[str, str] | None = None) -> StackPlan:
    """Plan one stack in this process. Call once per process: Pulumi's runtime settings are global.

    `config` replaces stacks/Pulumi.<stack>.yaml (tests plan throwaway inventories this way).
    """
    if str(PROJECT_DIR) not in sys.path:
        sys.path.insert(0, str(PROJECT_DIR))
    if config is None:
        try:
            config = read_stack_file(stack)
        except ConfigError as error:
            raise PlanError(str(error)) from None

    recorder = PlanRecorder(stack_reference_outputs=_stack_reference_outputs)
    pulumi.runtime.set_all_config(config)
    pulumi.runtime.set_mocks(recorder.mocks,
                             project=PROJECT_NAME, stack=stack, preview=False, monitor=recorder)
    try:
        _sync_await(run_pulumi_func(lambda: runpy.run_path(str(PROJECT_DIR / "__main__.py"), run_name="__main__")))
    except pulumi.RunError as error:
        raise PlanError(str(error)) from None
    document = build_document(stack, recorder.registrations)
    return StackPlan(stack=stack, document=document, registrations=recorder.registrations)
