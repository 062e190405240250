"""Plan many stacks: a few worker processes, started once, each planning stack after stack.

A worker plans its first stack itself, which loads what every plan needs (imports, the price table, the
validated inventory), and then each further stack in a child forked from that warm state: the child pays
none of the loading, and exits without collecting its garbage (for a big stack, collecting costs a tenth
of the plan). Where fork is not available the worker plans every stack itself and collects in between.
Either way each plan runs against a pristine Pulumi runtime (`obsctl.pulumi_internals.fresh_runtime`), so
every stack is planned exactly as a process of its own would plan it (tests/obsctl/plan/test_batch.py).
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import multiprocessing
import os
import pickle
import sys
import time
import traceback
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


# Whether this worker has planned a stack in its own process (which loaded what every plan needs).
_warm = False
# Where fork exists and is safe (a worker is one thread), later stacks are planned in a child forked from
# the warm worker: the child starts from the warm state and exits without collecting its garbage.
FORK = sys.platform == "linux"
_fork = FORK


def _start_worker(fork: bool) -> None:
    global _fork
    _fork = fork
    # A worker never collects in the middle of a plan (see `obsctl.plan.runner.collector_paused`).
    gc.disable()


def _plan_in_worker(
    stack: str, out: Path, config: dict[str, str] | None, cost_overrides: dict[str, float] | None
) -> PlanOutcome:
    global _warm
    started = time.perf_counter()
    if _warm and _fork:
        outcome = _in_child(stack, out, config, cost_overrides)
    else:
        try:
            outcome = plan_to_file(stack, out, config, cost_overrides)
        finally:
            # What the plan left is garbage now. What it loaded (modules, the price table, the inventory)
            # stays for the next stacks: frozen, a collection never walks it again.
            gc.collect()
            if not _warm:
                gc.freeze()
            _warm = True
    return dataclasses.replace(outcome, seconds=time.perf_counter() - started, worker=os.getpid())


def _in_child(
    stack: str, out: Path, config: dict[str, str] | None, cost_overrides: dict[str, float] | None
) -> PlanOutcome:
    """`plan_to_file` in a child forked from this warm worker; its outcome comes back through a pipe."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: plan, report, and leave without cleaning up (the worker still holds it all)
        os.close(read)
        try:
            payload = pickle.dumps(("ok", plan_to_file(stack, out, config, cost_overrides)))
        except BaseException:
            payload = pickle.dumps(("bug", traceback.format_exc()))
        with os.fdopen(write, "wb") as pipe:
            pipe.write(payload)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        payload = pipe.read()
    _, status = os.waitpid(pid, 0)
    if not payload:
        raise RuntimeError(f"planning {stack} ended without a result (wait status {status})")
    kind, value = pickle.loads(payload)
    if kind == "bug":  # a bug in the program or the tools, not the user's config: keep the traceback
        raise RuntimeError(f"planning {stack} failed:\n{value}")
    return value


def plan_many(
    stacks: list[str],
    out_dir: Path,
    workers: int | None = None,
    configs: dict[str, dict[str, str]] | None = None,
    cost_overrides: dict[str, float] | None = None,
    on_outcome: Callable[[PlanOutcome], None] | None = None,
    fork: bool = FORK,
) -> list[PlanOutcome]:
    """Plan `stacks` into `out_dir/<stack>.json` on `workers` processes (default: one per core); outcomes in
    the order of `stacks`. `on_outcome` sees each outcome in that order as soon as it and those before it are
    done (progress for long runs). `fork`: plan a worker's later stacks in forked children (see above)."""
    if not stacks:
        return []
    count = max(1, min(workers or default_workers(), len(stacks)))
    # spawn, not fork: a worker starts without the parent's threads and state, and imports what it needs.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=count, mp_context=context, initializer=_start_worker, initargs=(fork,)
    ) as pool:
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
