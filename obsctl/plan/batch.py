"""Plan many stacks: each in a fresh process (Pulumi's runtime state is process-global), two at a time."""

from __future__ import annotations

import multiprocessing
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
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


def plan_to_file(
    stack: str, out: Path, config: dict[str, str] | None = None, cost_overrides: dict[str, float] | None = None
) -> PlanOutcome:
    import time

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
    return PlanOutcome(stack, out, plan.resource_count, plan.by_place(), None, time.perf_counter() - started, cost)


def _write(out: Path, text: str) -> None:
    if out.exists() and not out.is_file():  # a device or pipe (/dev/null, /dev/stdout): never replace it
        out.write_text(text, encoding="utf-8")
        return
    # Written aside and renamed: a reader never sees half a plan.
    partial = out.with_name(f".{out.name}.partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(out)


def plan_many(
    stacks: list[str],
    out_dir: Path,
    workers: int = 2,
    configs: dict[str, dict[str, str]] | None = None,
    cost_overrides: dict[str, float] | None = None,
) -> list[PlanOutcome]:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, max_tasks_per_child=1) as pool:
        futures = [
            pool.submit(plan_to_file, stack, out_dir / f"{stack}.json", (configs or {}).get(stack), cost_overrides)
            for stack in stacks
        ]
        return [future.result() for future in futures]
