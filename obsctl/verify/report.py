"""verify's output: a summary per account-region and the records that need attention (rich), and every
record as JSON for CI."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import TextIO

from rich.console import Console
from rich.table import Table

from obsctl.files import write_atomic
from obsctl.verify.run import RegionResult

STATUSES = ("pass", "fail", "error", "skip")
_STYLE = {"pass": "green", "fail": "bold red", "error": "red", "skip": "dim"}


def summary_table(results: list[RegionResult]) -> Table:
    table = Table(title=None)
    for column in ("stack", "account", "region", *STATUSES, "calls", "seconds"):
        table.add_column(column, justify="right" if column in (*STATUSES, "calls", "seconds") else "left")
    for result in results:
        counts = Counter(record.status for record in result.records)
        e = result.expected
        table.add_row(
            e.stack,
            e.account_id,
            e.region,
            *(f"[{_STYLE[s]}]{counts[s]}[/]" if counts[s] else "0" for s in STATUSES),
            str(result.calls),
            f"{result.seconds:.2f}",
        )
    return table


def records_table(results: list[RegionResult], show_passed: bool) -> Table | None:
    rows = [r for result in results for r in result.records if show_passed or r.status != "pass"]
    if not rows:
        return None
    table = Table(title=None)
    for column in ("account", "region", "check", "resource", "status", "detail"):
        table.add_column(column, overflow="fold")
    for r in rows:
        table.add_row(r.account_id, r.region, r.check, r.resource, f"[{_STYLE[r.status]}]{r.status}[/]", r.detail)
    return table


def print_report(console: Console, results: list[RegionResult], show_passed: bool, seconds: float) -> None:
    console.print(summary_table(results))
    details = records_table(results, show_passed)
    if details is not None:
        console.print(details)
    counts = Counter(record.status for result in results for record in result.records)
    calls = sum(result.calls for result in results)
    console.print(
        f"{len(results)} account-regions, {sum(counts.values())} checks: "
        + ", ".join(f"{counts[s]} {s}" for s in STATUSES)
        + f"; {calls} API calls, {seconds:.1f}s",
        highlight=False,
    )


def write_json(results: list[RegionResult], target: Path | TextIO) -> None:
    """Every record: {stack, account_id, region, check, resource, status, detail}; a file is written whole
    (temporary file and rename: a reader never sees half of it; OutputError if it cannot be written)."""
    records = [asdict(record) for result in results for record in result.records]
    text = json.dumps(records, indent=2) + "\n"
    if isinstance(target, Path):
        write_atomic(target, text, "--json path")
    else:
        target.write(text)
