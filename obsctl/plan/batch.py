"""Plan many stacks: each in a fresh process (Pulumi's runtime state is process-global), two at a time."""

from __future__ import annotations

import multiprocessing
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class PlanOutcome:
    stack: str
    path: Path | None
    resource_count: int
    by_place: dict[tuple[str, str], Counter[str]]
    error: str | None
    seconds: float


def plan_to_file(stack: str, out: Path, config: dict[str, str] | None = None) -> PlanOutcome:
    import time

    from obsctl.plan.runner import PlanError, run_stack

    started = time.perf_counter()
    try:
        plan = run_stack(stack, config)
    except PlanError as error:
        return PlanOutcome(stack, None, 0, {}, str(error), time.perf_counter() - started)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed: a reader never sees half a plan.
        partial = out.with_name(f".{out.name}.partial")
        partial.write_text(plan.text, encoding="utf-8")
        partial.replace(out)
    except OSError as error:
        message = f"cannot write {out} ({error.strerror}); fix: choose a writable --out / --out-dir"
        return PlanOutcome(stack, None, 0, {}, message, time.perf_counter() - started)
    return PlanOutcome(stack, out, plan.resource_count, plan.by_place(), None, time.perf_counter() - started)


def plan_many(
    stacks: list[str], out_dir: Path, workers: int = 2, configs: dict[str, dict[str, str]] | None = None
) -> list[PlanOutcome]:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, max_tasks_per_child=1) as pool:
        futures = [
            pool.submit(plan_to_file, stack, out_dir / f"{stack}.json", (configs or {}).get(stack)) for stack in stacks
        ]
        return [future.result() for future in futures]
