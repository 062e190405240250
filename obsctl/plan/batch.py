"""Plan many stacks: a few worker processes, started once, each planning stack after stack.

Every plan runs against a pristine Pulumi runtime (`obsctl.pulumi_internals.fresh_runtime`), so a worker's
second stack is planned exactly as a process of its own would plan it (tests/obsctl/plan/test_batch.py
proves it), while imports, the price table and the validated inventory are paid once per worker. Each
worker collects garbage between stacks rather than during them (`obsctl.plan.runner.collector_paused`).
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import multiprocessing
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class PlanOutcome:
    stack: str
    path: Path | None
    resource_count: int
    by_place: dict[tuple[str, str], Counter[str]]
    error: str | None
    seconds: float
    cost: dict[str, Any] | None = None  # the plan's cost estimate (obsctl.cost)
    worker: int | None = None  # process id of the worker that planned it (plan_many)
    sha256: str | None = None  # of the plan document as written


def plan_to_file(
    stack: str, out: Path, config: dict[str, str] | None = None, cost_overrides: dict[str, float] | None = None
) -> PlanOutcome:
    from obsctl.plan.runner import PlanError, run_stack

    started = time.perf_counter()
    try:
        plan = run_stack(stack, config, cost_overrides)
    except PlanError as error:
        return PlanOutcome(stack, None, 0, {}, str(error), time.perf_counter() - started)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        _write(out, plan.text)
    except OSError as error:
        message = f"cannot write {out} ({error.strerror}); fix: choose a writable --out / --out-dir"
        return PlanOutcome(stack, None, 0, {}, message, time.perf_counter() - started)
    cost = plan.document["x-bedrock-observability"].get("costEstimate")
    return PlanOutcome(
        stack,
        out,
        plan.resource_count,
        plan.by_place(),
        None,
        time.perf_counter() - started,
        cost,
        sha256=hashlib.sha256(plan.text.encode()).hexdigest(),
    )


def _write(out: Path, text: str) -> None:
    if out.exists() and not out.is_file():  # a device or pipe (/dev/null, /dev/stdout): never replace it
        out.write_text(text, encoding="utf-8")
        return
    # Written aside and renamed: a reader never sees half a plan.
    partial = out.with_name(f".{out.name}.partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(out)


def default_workers() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


_planned = 0  # stacks this worker has planned


def _start_worker() -> None:
    # The worker collects between stacks (`_plan_in_worker`), never in the middle of one.
    gc.disable()


def _plan_in_worker(
    stack: str, out: Path, config: dict[str, str] | None, cost_overrides: dict[str, float] | None
) -> PlanOutcome:
    global _planned
    started = time.perf_counter()
    try:
        outcome = plan_to_file(stack, out, config, cost_overrides)
    finally:
        # What the plan left is garbage now. What the first plan loaded (modules, the price table, the
        # inventory) stays for the next stacks: frozen, later collections do not walk it again.
        gc.collect()
        if _planned == 0:
            gc.freeze()
        _planned += 1
    return dataclasses.replace(outcome, seconds=time.perf_counter() - started, worker=os.getpid())


def plan_many(
    stacks: list[str],
    out_dir: Path,
    workers: int | None = None,
    configs: dict[str, dict[str, str]] | None = None,
    cost_overrides: dict[str, float] | None = None,
    on_outcome: Callable[[PlanOutcome], None] | None = None,
) -> list[PlanOutcome]:
    """Plan `stacks` into `out_dir/<stack>.json` on `workers` processes (default: one per core); outcomes in
    the order of `stacks`. `on_outcome` sees each outcome in that order as soon as it and those before it are
    done (progress for long runs)."""
    if not stacks:
        return []
    count = max(1, min(workers or default_workers(), len(stacks)))
    # spawn, not fork: a worker starts without the parent's threads and state, and imports what it needs.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=count, mp_context=context, initializer=_start_worker) as pool:
        futures = [
            pool.submit(_plan_in_worker, stack, out_dir / f"{stack}.json", (configs or {}).get(stack), cost_overrides)
            for stack in stacks
        ]
        outcomes = []
        for outcome in _in_order(futures):
            if on_outcome is not None:
                on_outcome(outcome)
            outcomes.append(outcome)
        return outcomes


def _in_order(futures: list[Future[PlanOutcome]]) -> Iterator[PlanOutcome]:
    for future in futures:
        yield future.result()
