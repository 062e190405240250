"""What one stack's plan costs, by size, against the flat program of the same resources.

Each size is planned the way a `plan --all` worker plans a stack (obsctl.plan.batch): in a child forked
from a process that has planned before (imports, price table and validated inventory loaded), timed from the
fork to the child's exit. This process warms up once per size (one real and one flat plan, which also
generates the flat program), so every measurement starts from the same warm state, and the two programs are
measured interleaved, round after round; medians are reported. Peak memory is that of a fresh process planning the
stack alone (`obsctl plan --stack`), measured once per size.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from benchmarks import flat, orgs
from inventory.load import PROJECT_DIR


@dataclass(frozen=True)
class Size:
    label: str
    accounts: int  # workload accounts in the org
    regions: int
    models: int
    stack: str  # the account planned: a workload account or "monitoring"


# The sizes issue 12 names: workload stacks by regions x models; the monitoring stack by org size; a
# 4-region workload stack inside a 200-account org.
SIZES = (
    Size("workload, 1 region x 3 models", 1, 1, 3, "bench-000"),
    Size("workload, 4 regions x 3 models", 1, 4, 3, "bench-000"),
    Size("workload, 10 regions x 3 models", 1, 10, 3, "bench-000"),
    Size("workload, 10 regions x 10 models", 1, 10, 10, "bench-000"),
    Size("monitoring, 10 accounts x 4 regions", 10, 4, 3, "monitoring"),
    Size("monitoring, 50 accounts x 4 regions", 50, 4, 3, "monitoring"),
    Size("monitoring, 200 accounts x 4 regions", 200, 4, 3, "monitoring"),
    Size("workload, 4 regions x 3 models, in a 200-account org", 200, 4, 3, "bench-000"),
)


@dataclass
class Result:
    size: Size
    resources: int = 0
    real: list[tuple[float, float]] = field(default_factory=list)  # (wall, cpu) seconds per round
    flat: list[tuple[float, float]] = field(default_factory=list)
    peak_rss_mib: float = 0.0
    alone_seconds: float = 0.0  # `obsctl plan --stack` in a fresh process: imports, inventory, plan

    def median(self, which: str, index: int) -> float:
        return statistics.median(sample[index] for sample in getattr(self, which))

    def paired_ratio(self, index: int) -> float:
        """Median over the rounds of real / flat measured back to back: load that drifts during the run
        touches both sides of a pair alike."""
        return statistics.median(real[index] / flat[index] for real, flat in zip(self.real, self.flat, strict=True))

    @property
    def ratio(self) -> float:
        return self.paired_ratio(0)

    @property
    def cpu_ratio(self) -> float:
        return self.paired_ratio(1)

    @property
    def ms_per_resource(self) -> float:
        return 1000 * self.median("real", 1) / self.resources


def price_every_region() -> None:
    """Sizes beyond the six regions obsctl/cost/prices.yaml prices would be refused by the cost estimate:
    for the benchmark only, the other regions are priced like us-east-1 (the figures do not matter here)."""
    from obsctl.cost import estimate, prices

    data = yaml.safe_load(prices.PRICES_FILE.read_text())
    for price in data["prices"].values():
        for region in orgs.REGIONS:
            if price.get("regions") is not None:
                price["regions"].setdefault(region, price["regions"]["us-east-1"])
    table = prices.PriceTable.model_validate(data)
    estimate.load_prices = lambda: table  # type: ignore[assignment]


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _forked(measure: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Run `measure` in a child forked from this (warm) process, as a `plan --all` worker plans a stack
    (obsctl.plan.batch); wall and CPU seconds from fork to the child's exit, the child's result as JSON."""
    read, write = os.pipe()
    wall, cpu = time.perf_counter(), _cpu(resource.RUSAGE_SELF) + _cpu(resource.RUSAGE_CHILDREN)
    pid = os.fork()
    if pid == 0:  # the child: measure, report, leave without any cleanup
        os.close(read)
        try:
            payload = json.dumps(measure()).encode()
        except BaseException as error:  # reported to the parent, which fails the benchmark
            payload = json.dumps({"error": repr(error)}).encode()
        with os.fdopen(write, "wb") as pipe:
            pipe.write(payload)
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        payload = pipe.read()
    os.waitpid(pid, 0)
    result = json.loads(payload)
    if "error" in result:
        raise SystemExit(f"benchmark child failed: {result['error']}")
    result["wall"] = time.perf_counter() - wall
    result["cpu"] = _cpu(resource.RUSAGE_SELF) + _cpu(resource.RUSAGE_CHILDREN) - cpu
    return result


def _timed_plan(stack: str, config: dict[str, str], program: Callable[[], object] | None) -> Callable[[], dict]:
    from obsctl.plan.runner import run_stack

    def measure() -> dict[str, Any]:
        plan = run_stack(stack, config, program=program) if program else run_stack(stack, config)
        return {"resources": plan.resource_count}

    return measure


class _Prepared:
    def __init__(self, size: Size, work: Path) -> None:
        from obsctl.plan.runner import run_stack

        self.size = size
        org = orgs.organisation(size.accounts, size.regions, size.models)
        self.inventory = orgs.write_inventory(org, work / f"{_slug(size.label)}.yaml")
        self.config = orgs.stack_config(size.stack, self.inventory)
        real = run_stack(size.stack, self.config)
        module = f"flat_{_slug(size.label)}"
        (work / f"{module}.py").write_text(flat.generate(real.document))
        self.program = importlib.import_module(module).main
        flat_plan = run_stack(size.stack, self.config, program=self.program)
        if flat.resources(flat_plan.document) != flat.resources(real.document):
            raise SystemExit(f"{size.label}: the flat program does not register the same resources")
        self.resources = real.resource_count
        gc.collect()


def _slug(label: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in label).strip("_")


def _alone(size: Size, prepared: _Prepared) -> tuple[float, float]:
    """(wall seconds, peak RSS MiB) of a fresh process planning the stack alone, as `obsctl plan --stack` does."""
    # Peak RSS from the kernel's high-water mark of this process alone (ru_maxrss would include the
    # benchmark's own, inherited through fork and exec).
    script = (
        "import json, re, sys, time; started = time.perf_counter(); "
        "sys.path.insert(0, sys.argv[1]); import benchmarks.plan_scale as b; b.price_every_region(); "
        "from obsctl.plan.runner import run_stack; run_stack(sys.argv[2], json.loads(sys.argv[3])); "
        "peak = re.search(r'VmHWM:\\s+([0-9]+) kB', open('/proc/self/status').read()).group(1); "
        "print(time.perf_counter() - started, int(peak) / 1024)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(PROJECT_DIR), size.stack, json.dumps(prepared.config)],
        capture_output=True,
        text=True,
        check=False,
        cwd=PROJECT_DIR,
    )
    if result.returncode != 0:
        raise SystemExit(f"{size.label}: planning alone failed:\n{result.stderr}")
    seconds, peak = result.stdout.split()
    return float(seconds), float(peak)


def measure(
    work: Path, rounds: int, sizes: tuple[Size, ...] = SIZES, progress: Callable[[str], None] = print
) -> list[Result]:
    """Every size: warm up, then `rounds` rounds of (flat, real) per size, interleaved across sizes."""
    price_every_region()
    sys.path.insert(0, str(work))
    prepared = []
    for size in sizes:
        progress(f"  preparing {size.label}")
        prepared.append(_Prepared(size, work))
    gc.freeze()  # what the warm-up loaded is the workers' steady state; children leave it alone
    gc.disable()
    results = [Result(p.size, p.resources) for p in prepared]
    for round_ in range(rounds):
        progress(f"  round {round_ + 1}/{rounds}")
        for result, p in zip(results, prepared, strict=True):
            # Alternate which program goes first, so neither always follows the other.
            order = (("flat", p.program), ("real", None)) if round_ % 2 == 0 else (("real", None), ("flat", p.program))
            for which, program in order:
                sample = _forked(_timed_plan(p.size.stack, p.config, program))
                getattr(result, which).append((sample["wall"], sample["cpu"]))
    gc.enable()
    for result, p in zip(results, prepared, strict=True):
        result.alone_seconds, result.peak_rss_mib = _alone(p.size, p)
    return results


def process_fixed_costs(work: Path) -> dict[str, float]:
    """What a process pays before its first stack: imports, and reading + validating a 200-account inventory."""
    script = (
        "import sys, time; started = time.perf_counter(); sys.path.insert(0, sys.argv[1]); "
        "import obsctl.plan.runner, program.workload, program.monitoring; imported = time.perf_counter(); "
        "from pathlib import Path; from inventory.load import load_organisation; "
        "load_organisation(Path(sys.argv[2])); print(imported - started, time.perf_counter() - imported)"
    )
    inventory = orgs.write_inventory(orgs.organisation(200, 4, 3), work / "fixed-200.yaml")
    samples = []
    for _ in range(3):
        result = subprocess.run(
            [sys.executable, "-c", script, str(PROJECT_DIR), str(inventory)],
            capture_output=True,
            text=True,
            check=True,
            cwd=PROJECT_DIR,
        )
        samples.append(tuple(map(float, result.stdout.split())))
    return {
        "imports": statistics.median(s[0] for s in samples),
        "inventory_200": statistics.median(s[1] for s in samples),
    }
