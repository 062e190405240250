"""Run the real Pulumi program for one stack under Pulumi's mock runtime and capture its plan.

Nothing here talks to AWS or needs the Pulumi CLI: `pulumi.runtime.set_mocks` replaces the engine, the
program (`__main__.py`) runs unchanged, and every registration is recorded by `PlanRecorder`.
"""

from __future__ import annotations

import gc
import runpy
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pulumi

from inventory.errors import ConfigError
from inventory.load import PROJECT_DIR, PROJECT_NAME, read_stack_file, resolve_stack
from obsctl.cost.attach import DOCUMENT_KEY as COST_KEY
from obsctl.cost.attach import add_cost_estimate
from obsctl.plan.document import NonFiniteNumber, build_document, resources_by_place, to_json
from obsctl.plan.placeholders import sink_arn
from obsctl.plan.provider_inputs import is_provider
from obsctl.plan.recorder import PlanRecorder, Registration
from obsctl.pulumi_internals import fresh_runtime, run_program
from program.sinks import SINK_ARNS_OUTPUT
from vocabulary import names

PROGRAM = PROJECT_DIR / "__main__.py"


class PlanError(Exception):
    """The program refused the stack (bad config) or failed; the message is meant for the user."""


@dataclass
class StackPlan:
    stack: str
    document: dict[str, Any]
    registrations: list[Registration]
    # The document as written to disk (JSON, finite numbers only).
    text: str

    @property
    def resource_count(self) -> int:
        return sum(1 for r in self.registrations if r.custom and not is_provider(r.type))

    def by_place(self):
        return resources_by_place(self.registrations)


def _stack_reference_outputs(stack: str, config: dict[str, str]) -> Callable[[str], dict[str, Any]]:
    """What the planned stack reads from the monitoring stack, derived from the same inventory.

    Every stack reads the one org inventory, so the monitoring stack's exports (its OAM sink per workload
    region, under the placeholder ARN its own plan gives the sink: from the sink's account, region and
    physical name) follow from the inventory this stack uses.
    """

    def outputs(reference: str) -> dict[str, Any]:
        org = resolve_stack(stack, config).org
        monitoring = org.monitoring_account
        if reference.rsplit("/", 1)[-1] != monitoring.stack:
            return {}
        return {
            SINK_ARNS_OUTPUT: {
                region: sink_arn(monitoring.account_id, region, names.SINK_NAME) for region in org.workload_regions
            }
        }

    return outputs


def _user_error(error: BaseException) -> str | None:
    """The message of a deliberate refusal (RunError/ConfigError), however deep Pulumi wrapped it."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, pulumi.RunError | ConfigError):
            return str(seen)
        seen = seen.__cause__ or seen.__context__
    return None


def project_program() -> None:
    """The real program, as `pulumi up` runs it."""
    runpy.run_path(str(PROGRAM), run_name="__main__")


def run_stack(
    stack: str,
    config: dict[str, str] | None = None,
    cost_overrides: dict[str, float] | None = None,
    program: Callable[[], object] = project_program,
) -> StackPlan:
    """Plan one stack in this process, against a pristine Pulumi runtime (`fresh_runtime`): a process may
    plan any number of stacks in turn, each exactly as a process of its own would.

    `config` replaces stacks/Pulumi.<stack>.yaml (tests plan throwaway inventories this way);
    `cost_overrides` are command-line cost assumptions (inventory.cost) for the document's cost estimate;
    `program` is what registers the resources (the benchmark's flat programs go through the same runner).
    """
    if str(PROJECT_DIR) not in sys.path:
        sys.path.insert(0, str(PROJECT_DIR))
    if config is None:
        try:
            config = read_stack_file(stack)
        except ConfigError as error:
            raise PlanError(str(error)) from None
    with collector_paused():
        return fresh_runtime(_run, stack, config, cost_overrides, program)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a stack is planned.

    A plan allocates hundreds of thousands of objects (resources, outputs, futures) that all live until the
    plan is done; every full collection the allocations trigger walks all of them again, so collection time
    grows with the square of the stack's size (half the time of a 1,000-resource plan). Whoever plans
    another stack in the same process collects once in between (`obsctl.plan.batch`).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _run(
    stack: str, config: dict[str, str], cost_overrides: dict[str, float] | None, program: Callable[[], object]
) -> StackPlan:
    recorder = PlanRecorder(stack_reference_outputs=_stack_reference_outputs(stack, config))
    pulumi.runtime.set_all_config(config)
    pulumi.runtime.set_mocks(recorder.mocks, project=PROJECT_NAME, stack=stack, preview=False, monitor=recorder)
    try:
        run_program(program)
    except Exception as error:
        message = _user_error(error)
        if message is None:
            raise  # a bug in the program, not in the user's config: keep the traceback
        raise PlanError(message) from None
    finally:
        recorder.close_thread_loops()
    document = build_document(stack, recorder.registrations)
    try:
        add_cost_estimate(document, resolve_stack(stack, config), cost_overrides)
    except ConfigError as error:
        # A region the price table does not cover: the plan stands, its estimate says why it has none
        # (never a silent 0).
        document["x-bedrock-observability"][COST_KEY] = {"error": str(error)}
    return StackPlan(
        stack=stack, document=document, registrations=recorder.registrations, text=plan_text(stack, document)
    )


def plan_text(stack: str, document: dict[str, Any]) -> str:
    """The plan document as written; Infinity and NaN are refused with a message naming stack and input."""
    try:
        return to_json(document)
    except NonFiniteNumber as error:
        raise PlanError(
            f"stack {stack!r}: {error.where} is {error.value}, which a plan (JSON) cannot hold; fix: find the "
            "inventory setting that feeds this input and give it a finite number"
        ) from None
