"""`obsctl plan --all` + `obsctl policy-check` of a whole synthetic org, as CI runs them: once on this
machine's cores, and shard by shard (`--shard K/N`), each shard as one CI runner would run it."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import orgs

# Runs a command and prints the peak RSS of its processes. Peak RSS (ru_maxrss) is inherited through fork
# and exec, so it is read here, in a process started from a small parent, over the command's own children.
_MEASURED = (
    "import resource, subprocess, sys, time; started = time.perf_counter(); "
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode; "
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN); "
    "print(time.perf_counter() - started, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024); "
    "sys.exit(code)"
)


@dataclass(frozen=True)
class Run:
    seconds: float
    cpu_seconds: float  # of every process of the command
    peak_rss_mib: float


@dataclass
class OrgResult:
    accounts: int
    regions: int
    models: int
    stacks: int = 0
    resources: int = 0
    plan: Run | None = None
    check: Run | None = None
    stack_seconds: dict[str, float] = field(default_factory=dict)  # per stack, as plan --all's --json reports
    shards: list[tuple[Run, Run]] = field(default_factory=list)  # (plan, check) of shard 1..N

    @property
    def total(self) -> float:
        assert self.plan and self.check
        return self.plan.seconds + self.check.seconds

    @property
    def total_cpu(self) -> float:
        assert self.plan and self.check
        return self.plan.cpu_seconds + self.check.cpu_seconds


def _obsctl(root: Path, *args: str) -> Run:
    result = subprocess.run(
        [sys.executable, "-c", _MEASURED, sys.executable, "-m", "obsctl", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"obsctl {' '.join(args[:3])} ... failed (exit {result.returncode}):\n{result.stderr[-3000:]}")
    seconds, cpu, peak = result.stdout.split()[-3:]
    return Run(float(seconds), float(cpu), float(peak))


def measure(work: Path, accounts: int, regions: int, models: int, shards: int, progress=print) -> OrgResult:
    result = OrgResult(accounts, regions, models)
    root = orgs.project_copy(orgs.organisation(accounts, regions, models), work / "org")
    plans, summary = root / "build" / "plans", root / "build" / "plan-summary.json"

    progress(f"  plan --all ({accounts + 1} stacks)")
    result.plan = _obsctl(root, "plan", "--all", "--out-dir", str(plans), "--json", str(summary))
    stacks = json.loads(summary.read_text())["stacks"]
    result.stacks = len(stacks)
    result.resources = sum(stack["resources"] for stack in stacks)
    result.stack_seconds = {stack["stack"]: stack["seconds"] for stack in stacks}
    progress("  policy-check")
    files = sorted(str(path) for path in plans.glob("*.json"))
    result.check = _obsctl(root, "policy-check", *files, "--json", str(root / "build" / "policy-report.json"))

    for index in range(1, shards + 1):
        progress(f"  shard {index}/{shards}")
        shard_dir = root / "build" / f"shard-{index}"
        shard = f"{index}/{shards}"
        plan = _obsctl(root, "plan", "--all", "--shard", shard, "--out-dir", str(shard_dir))
        check = _obsctl(root, "policy-check", "--shard", shard, *sorted(map(str, shard_dir.glob("*.json"))))
        result.shards.append((plan, check))
    return result
