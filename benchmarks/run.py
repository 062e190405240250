"""Speed and memory of the offline tooling, against targets. Not part of the test suite (timings are noisy).

    .venv/bin/python -m benchmarks.run             # everything; writes benchmarks/results.md, exit 1 on a miss
    .venv/bin/python -m benchmarks.run --readme    # ... and puts the tables into README.md ("Benchmarks")
    .venv/bin/python -m benchmarks.run --quick     # a smoke run: 1 round, a 20-account org, no report

Measures (issue 12), in one run:
- per size, one stack's plan (a workload stack by regions x models, the monitoring stack by org size, a
  workload stack inside a 200-account org) against a flat program registering the same resources with the
  same inputs as constants (benchmarks/flat.py), both through the same runner, interleaved, median of the
  rounds: the program's overhead as a ratio; peak RSS of a process planning the stack alone;
- `plan --all` + `policy-check` of a 200-account x 4-region x 3-model org on this machine's cores, and shard
  by shard with N = 4, against the sum of its stacks' flat-program plan times divided by the cores;
- what a process pays before its first stack (imports, a 200-account inventory);
- `obsctl report --all` against a local moto server (benchmarks/report_bench.py);
- `obsctl verify` against a moto server for 20 accounts x 4 regions (benchmarks/verify_bench.py: API calls
  and wall time per account-region).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks import org_scale, plan_scale
from benchmarks.plan_scale import Result
from inventory.load import PROJECT_DIR

RESULTS = Path(__file__).with_name("results.md")
README = PROJECT_DIR / "README.md"
README_BEGIN, README_END = "<!-- benchmarks:begin -->", "<!-- benchmarks:end -->"

RATIO_TARGET = 1.15  # program / flat, every size
ORG_TARGET = 1.25  # plan --all + policy-check / (sum of flat plan times / cores)
LINEAR_TARGET = 0.20  # largest relative distance of a size's plan time from the straight-line fit


@dataclass
class Measure:
    name: str
    value: float
    unit: str
    target: float | None = None

    @property
    def ok(self) -> bool:
        return self.target is None or self.value <= self.target


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def linear_fits(results: list[Result]) -> dict[str, tuple[float, float, float]]:
    """Workload and monitoring stacks apart: their resources differ (the org dashboards are big)."""
    return {
        kind: linear_fit([r for r in results if (r.size.stack == "monitoring") == (kind == "monitoring")])
        for kind in ("workload", "monitoring")
    }


def linear_fit(results: list[Result]) -> tuple[float, float, float]:
    """(fixed seconds, seconds per resource, largest relative distance of a size from the line)."""
    xs = [r.resources for r in results]
    ys = [r.median("real", 1) for r in results]
    slope, intercept = statistics.linear_regression(xs, ys)
    worst = max(abs(y - (intercept + slope * x)) / y for x, y in zip(xs, ys, strict=True))
    return intercept, slope, worst


def verify_measures() -> list[Measure]:
    """`obsctl verify` against the moto server: API calls and wall time per account-region."""
    from benchmarks import verify_bench

    verify = verify_bench.measure(accounts=20)
    where = f"{verify.accounts} accounts x {verify_bench.REGIONS_PER_ACCOUNT} regions, moto"
    return [
        Measure(f"verify, {where} ({verify.account_regions} account-regions)", verify.verify_seconds, "s", 60),
        Measure("verify API calls per account-region (mean)", verify.calls_per_region, "", 40),
        Measure("verify wall time per account-region", 1000 * verify.verify_seconds / verify.account_regions, "ms"),
        Measure("verify 200 accounts x 4 regions, extrapolated", verify.extrapolated_seconds(800), "s", 600),
    ]


def _plan_table(results: list[Result]) -> list[str]:
    rows = [
        "| stack | resources | plan (s) | flat program (s) | program / flat (CPU) | (wall) | CPU ms per resource "
        "| alone, fresh process (s) | peak RSS alone (MiB) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        rows.append(
            f"| {r.size.label} | {r.resources:,} | {r.median('real', 0):.2f} | {r.median('flat', 0):.2f} "
            f"| **{r.cpu_ratio:.2f}** | {r.ratio:.2f} | {r.ms_per_resource:.2f} | {r.alone_seconds:.2f} "
            f"| {r.peak_rss_mib:.0f} |"
        )
    return rows


def _org_rows(
    org: org_scale.OrgResult, flat_sum: float, flat_cpu: float, shards: int
) -> tuple[list[str], list[Measure]]:
    assert org.plan and org.check
    budget = ORG_TARGET * flat_sum / cores()
    name = f"{org.accounts} accounts x {org.regions} regions x {org.models} models"
    measures = [
        Measure(
            f"plan --all + policy-check, {name} / (sum of flat plan times / cores)",
            org.total * cores() / flat_sum,
            "x",
            ORG_TARGET,
        )
    ]
    shard_totals = [plan.seconds + check.seconds for plan, check in org.shards]
    rows = [
        "| org run | wall (s) | peak RSS (MiB) |",
        "|---|---:|---:|",
        f"| `plan --all`: {org.stacks} stacks, {org.resources:,} resources, {cores()} workers | {org.plan.seconds:.1f} "
        f"| {org.plan.peak_rss_mib:.0f} |",
        f"| `policy-check` of the {org.stacks} plans | {org.check.seconds:.1f} | {org.check.peak_rss_mib:.0f} |",
        f"| **together** (target: at most {ORG_TARGET} x {flat_sum:.1f} s of flat plans / {cores()} cores "
        f"= {budget:.1f} s) | **{org.total:.1f}** | |",
    ]
    for index, (plan, check) in enumerate(org.shards, 1):
        rows.append(
            f"| shard {index}/{shards}: `plan --all --shard` + `policy-check --shard` | {plan.seconds:.1f} + "
            f"{check.seconds:.1f} = {plan.seconds + check.seconds:.1f} "
            f"| {max(plan.peak_rss_mib, check.peak_rss_mib):.0f} |"
        )
    if shard_totals:
        rows.append(f"| slowest shard / whole org | {max(shard_totals) / org.total:.2f} | |")
    rows.append(
        f"| sum of the stacks' plan times in the workers (`--json` seconds) / wall of `plan --all` "
        f"| {sum(org.stack_seconds.values()) / org.plan.seconds:.2f} | |"
    )
    rows.append(
        f"| CPU of `plan --all` + `policy-check` ({org.plan.cpu_seconds:.0f} + {org.check.cpu_seconds:.0f} s) / "
        f"CPU of the flat plans ({flat_cpu:.0f} s) | {org.total_cpu / flat_cpu:.2f} | |"
    )
    # What the two would take with the cores to themselves: plan --all spreads over them, policy-check is one
    # process.
    quiet = org.plan.cpu_seconds / cores() + org.check.cpu_seconds
    rows.append(
        f"| the same on an idle machine (CPU of `plan --all` / {cores()} + CPU of `policy-check`, one process) "
        f"/ (CPU of the flat plans / {cores()}) | {quiet * cores() / flat_cpu:.2f} | |"
    )
    return rows, measures


def _markdown(
    results: list[Result],
    org: org_scale.OrgResult | None,
    fixed: dict[str, float],
    measures: list[Measure],
    load: tuple[tuple[float, ...], tuple[float, ...]],
    rounds: int,
    shards: int,
) -> str:
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} on {cores()} cores, load average (1, 5, 15 min) "
        f"{', '.join(f'{x:.1f}' for x in load[0])} at the start and {', '.join(f'{x:.1f}' for x in load[1])} "
        f"at the end; median of {rounds} interleaved rounds. Per stack, the CPU time of the planning process is "
        "the measure (on a shared machine wall time also measures the neighbours; the plan is one thread, so on "
        "a quiet machine the two agree).",
        "",
        *_plan_table(results),
        "",
        *(
            f"Plan time of the {kind} stacks against their resources: {fit[0]:.2f} s + {1000 * fit[1]:.2f} ms per "
            f"resource; the farthest size is {100 * fit[2]:.0f} % from that line."
            for kind, fit in linear_fits(results).items()
        ),
        "",
    ]
    if org is not None:
        rows, _ = _org_rows(org, _flat_sum(results, org, 0), _flat_sum(results, org, 1), shards)
        lines += [*rows, ""]
    lines += [
        f"Per process, before its first stack: imports {fixed['imports']:.2f} s; reading and validating a "
        f"200-account inventory {fixed['inventory_200']:.2f} s (once per `plan --all` worker).",
        "",
        "| target | reached | |",
        "|---|---:|---|",
        *(
            f"| {m.name} (target <= {m.target:g}{m.unit}) | {m.value:.2f}{m.unit} | {'ok' if m.ok else '**missed**'} |"
            for m in measures
            if m.target is not None
        ),
    ]
    verify = [m for m in measures if m.name.startswith("verify")]
    lines += [
        "",
        "`obsctl verify` against moto: "
        + ("; ".join(f"{m.name} {m.value:.1f} {m.unit}".rstrip() for m in verify) if verify else "not measured."),
    ]
    return "\n".join(lines) + "\n"


def _flat_sum(results: list[Result], org: org_scale.OrgResult, index: int) -> float:
    """Wall (index 0) or CPU (1) seconds of the org's stacks planned as flat programs one after another: its
    workload stacks are all the size 'workload in a 200-account org', its monitoring stack the size
    'monitoring, 200 accounts'."""
    by_label = {r.size.label: r for r in results}
    workload = by_label["workload, 4 regions x 3 models, in a 200-account org"].median("flat", index)
    monitoring = by_label["monitoring, 200 accounts x 4 regions"].median("flat", index)
    return org.accounts * workload + monitoring


def _update_readme(table: str) -> None:
    text = README.read_text()
    pattern = re.compile(re.escape(README_BEGIN) + ".*?" + re.escape(README_END), re.S)
    if not pattern.search(text):
        raise SystemExit(f"README.md has no {README_BEGIN} ... {README_END} block to replace")
    README.write_text(pattern.sub(lambda _: f"{README_BEGIN}\n{table}{README_END}", text))


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
        big = report_bench.synthetic_org(org, 50, list(plan_scale.orgs.REGIONS[:5]), list(plan_scale.orgs.MODELS[:3]))
        report_bench.seed(server, big, end, hours=0)
        for via in ("monitoring", "accounts"):
            seconds = report_bench.collect_and_render(server, big, end, via)
            measures.append(Measure(f"report, 50 accounts x 5 regions x 3 models via {via} vs moto", seconds, "s", 60))
        return measures
    finally:
        moto_server.stop(server)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds per size (default 5)")
    parser.add_argument("--accounts", type=int, default=200, help="workload accounts of the org run (default 200)")
    parser.add_argument("--shards", type=int, default=4, help="N of the sharded org run (default 4)")
    parser.add_argument("--readme", action="store_true", help="also replace the tables in README.md")
    parser.add_argument("--skip-report", action="store_true", help="leave out obsctl report against moto")
    parser.add_argument("--skip-verify", action="store_true", help="leave out obsctl verify against moto")
    parser.add_argument("--quick", action="store_true", help="smoke run: 1 round, a 20-account org, no moto")
    args = parser.parse_args(argv)
    if args.quick:
        args.rounds, args.accounts, args.skip_report, args.skip_verify = 1, 20, True, True

    started = time.perf_counter()
    load_start = os.getloadavg()
    measures: list[Measure] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        # The org run first, from this still small process: peak RSS is inherited by the processes it starts.
        print(f"org run: {args.accounts} accounts x 4 regions x 3 models", flush=True)
        org = org_scale.measure(work, args.accounts, 4, 3, args.shards)
        print("fixed costs per process", flush=True)
        fixed = plan_scale.process_fixed_costs(work)
        print(f"plan sizes: {args.rounds} rounds", flush=True)
        results = plan_scale.measure(work, args.rounds)
    for r in results:
        measures.append(Measure(f"program / flat (CPU), {r.size.label}", r.cpu_ratio, "x", RATIO_TARGET))
    for kind, fit in linear_fits(results).items():
        measures.append(Measure(f"{kind} stacks: farthest size from a straight line", fit[2], "", LINEAR_TARGET))
    measures += _org_rows(org, _flat_sum(results, org, 0), _flat_sum(results, org, 1), args.shards)[1]
    if not args.skip_report:
        print("report against moto", flush=True)
        measures += _report_measures()
    if not args.skip_verify:
        print("verify against moto", flush=True)
        measures += verify_measures()
    table = _markdown(results, org, fixed, measures, (load_start, os.getloadavg()), args.rounds, args.shards)
    RESULTS.write_text(table)
    if args.readme:
        _update_readme(table)
    print(table)
    for m in measures:
        target = f"(target <= {m.target:g})" if m.target is not None else ""
        print(f"{'ok  ' if m.ok else 'MISS'} {m.name}: {m.value:.2f} {m.unit} {target}")
    print(f"benchmark took {time.perf_counter() - started:.0f} s; tables in {RESULTS.relative_to(PROJECT_DIR)}")
    return 0 if all(m.ok for m in measures) else 1


if __name__ == "__main__":
    sys.exit(main())
