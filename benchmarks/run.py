"""Speed and memory of the offline tooling, against targets. Not part of the test suite (timings are noisy).

    .venv/bin/python -m benchmarks.run            # prints a table; exit 1 if a target is missed

Measures: `obsctl plan --all` on the example org (wall time, peak memory of one plan process), the offline
policy check of those plans, the program's scaling on a synthetic org (a workload stack with
10 regions x 10 models; the monitoring stack of 50 accounts x 5 regions); `obsctl report --all` against a
local moto server (example org with a week of hourly metrics, both read paths; a synthetic org of
50 accounts x 5 regions x 3 models through the same collector and renderers); and `obsctl verify` against a
moto server for 20 accounts x 4 regions (benchmarks/verify_bench.py: calls per account-region, wall time).
"""

from __future__ import annotations

import copy
import json
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from inventory.load import PROJECT_DIR, STACKS_DIR

REGIONS = [
    "us-east-1",
    "us-east-2",
    "us-west-2",
    "eu-west-1",
    "eu-west-2",
    "eu-central-1",
    "eu-north-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-northeast-1",
]
MODELS = [f"anthropic.claude-bench-{i}-v1:0" for i in range(10)]


@dataclass
class Measure:
    name: str
    value: float
    unit: str
    target: float

    @property
    def ok(self) -> bool:
        return self.value <= self.target


def _run(args: list[str]) -> tuple[float, float, str]:
    """(wall seconds, peak RSS MiB of the largest child so far, stdout) of one command."""
    started = time.perf_counter()
    result = subprocess.run([sys.executable, *args], cwd=PROJECT_DIR, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return elapsed, peak_mib, result.stdout


def _synthetic_org(workloads: int, regions: int, models: int) -> dict:
    org = yaml.safe_load((STACKS_DIR / "org.yaml").read_text())
    template = copy.deepcopy(org["workload_accounts"][0])
    template.pop("settings", None)
    org["workload_accounts"] = []
    for index in range(workloads):
        account_id = f"{100000000000 + index:012d}"
        org["workload_accounts"].append(
            {
                **template,
                "name": f"bench-{index:03d}",
                "account_id": account_id,
                "deploy_role_arn": f"arn:aws:iam::{account_id}:role/deploy",
                "regions": REGIONS[:regions],
                "models": MODELS[:models],
            }
        )
    return org


def _plan_synthetic(org: dict, account: str, work: Path) -> tuple[float, float, int]:
    inventory = work / f"{account}-org.yaml"
    inventory.write_text(yaml.safe_dump(org))
    script = (
        "import json, sys; from obsctl.plan.runner import run_stack; "
        f"p = run_stack({account!r}, {{'bedrock-observability:account': {account!r}, "
        f"'bedrock-observability:inventory': {str(inventory)!r}}}); print(p.resource_count)"
    )
    seconds, peak, out = _run(["-c", script])
    return seconds, peak, int(out.strip().splitlines()[-1])


def _report_measures() -> list[Measure]:
    from benchmarks import report_bench
    from obsctl.targets import organisation
    from tests.obsctl import moto_server

    server = moto_server.start()
    try:
        org, end = organisation(), report_bench.end_hour()
        points = report_bench.seed(server, org, end)
        measures = [
            Measure(f"report --all --via {via}, example org vs moto ({points} datapoints)", seconds, "s", 30)
            for via in ("monitoring", "accounts")
            for seconds in [report_bench.cli_report_all(server, via)]
        ]
        server.reset()
        big = report_bench.synthetic_org(org, 50, REGIONS[:5], MODELS[:3])
        report_bench.seed(server, big, end, hours=0)
        for via in ("monitoring", "accounts"):
            seconds = report_bench.collect_and_render(server, big, end, via)
            measures.append(Measure(f"report, 50 accounts x 5 regions x 3 models via {via} vs moto", seconds, "s", 60))
        return measures
    finally:
        moto_server.stop(server)


def main() -> int:
    measures: list[Measure] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        seconds, peak, _ = _run(["-m", "obsctl", "plan", "--all", "--out-dir", str(work / "plans")])
        measures.append(Measure("plan --all, example org (3 stacks)", seconds, "s", 20))
        measures.append(Measure("peak memory of one plan process", peak, "MiB", 600))
        plans = sorted(str(p) for p in (work / "plans").glob("*.json"))
        resources = sum(len(json.loads(Path(p).read_text())["steps"]) for p in plans)
        seconds, _, _ = _run(["-m", "obsctl", "policy-check", *plans])
        measures.append(Measure(f"policy-check, example org ({resources} steps)", seconds, "s", 15))

        org = _synthetic_org(workloads=1, regions=10, models=10)
        seconds, peak, count = _plan_synthetic(org, "bench-000", work)
        measures.append(
            Measure(f"plan one workload stack, 10 regions x 10 models ({count} resources)", seconds, "s", 30)
        )
        org = _synthetic_org(workloads=50, regions=5, models=3)
        seconds, peak, count = _plan_synthetic(org, "monitoring", work)
        measures.append(
            Measure(f"plan monitoring stack, 50 accounts x 5 regions ({count} resources)", seconds, "s", 30)
        )
        measures.append(Measure("peak memory of one plan process (after synthetic plans)", peak, "MiB", 1024))

    measures += _report_measures()
    from benchmarks import verify_bench

    verify = verify_bench.measure(accounts=20)
    where = f"{verify.accounts} accounts x {verify_bench.REGIONS_PER_ACCOUNT} regions, moto"
    measures.append(
        Measure(f"verify, {where} ({verify.account_regions} account-regions)", verify.verify_seconds, "s", 60)
    )
    measures.append(Measure("verify API calls per account-region (mean)", verify.calls_per_region, "", 40))
    measures.append(
        Measure("verify 200 accounts x 4 regions, extrapolated", verify.extrapolated_seconds(800), "s", 600)
    )

    width = max(len(m.name) for m in measures)
    for m in measures:
        print(f"{'ok  ' if m.ok else 'MISS'} {m.name:<{width}}  {m.value:8.1f} {m.unit:<3} (target <= {m.target:g})")
    return 0 if all(m.ok for m in measures) else 1


if __name__ == "__main__":
    raise SystemExit(main())
