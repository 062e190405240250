"""The HTML report's charts: matplotlib figures rendered to inline SVG (no network, no image files).

Each chart covers the reported period at the window's bucket size (hourly up to 14 days, daily beyond):
tokens per model, estimated cost per model, p95 latency per account/region/model (percentiles cannot be
merged, so one line each, the busiest `MAX_LATENCY_LINES`), and errors and throttles of the whole scope.
Series without any data in the period are left out of the chart and its legend.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from obsctl.costs import estimated_cost
from obsctl.report.metrics import LATENCY_SERIES_FIELD, Points
from obsctl.report.model import TOKEN_KINDS, ModelRow, Report
from obsctl.report.window import Window

MAX_LATENCY_LINES = 10
_STYLE = {
    "svg.fonttype": "none",  # text stays text: searchable, small, readable at any zoom
    # Bundled with matplotlib, so layout is measured with real glyph widths on every machine.
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
}


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    note: str
    svg: str


def _buckets(window: Window) -> list[datetime]:
    count = window.days * 86_400 // window.bucket_seconds
    return [window.start + timedelta(seconds=i * window.bucket_seconds) for i in range(count)]


def _index(window: Window, timestamp: datetime) -> int | None:
    if not window.is_current(timestamp) or timestamp >= window.end:
        return None
    return int((timestamp - window.start).total_seconds() // window.bucket_seconds)


def _summed(window: Window, series: Iterable[Points]) -> list[float]:
    values = [0.0] * len(_buckets(window))
    for points in series:
        for timestamp, value in points:
            index = _index(window, timestamp)
            if index is not None:
                values[index] += value
    return values


def _tokens(window: Window, rows: list[ModelRow]) -> list[float]:
    return _summed(window, (row.series.get(f"tokens.{kind}", []) for row in rows for kind in TOKEN_KINDS))


def _cost(window: Window, rows: list[ModelRow]) -> list[float]:
    per_kind = [{kind: _summed(window, [row.series.get(f"tokens.{kind}", [])]) for kind in TOKEN_KINDS} for row in rows]
    values = [0.0] * len(_buckets(window))
    for row, kinds in zip(rows, per_kind, strict=True):
        for index in range(len(values)):
            cost = estimated_cost(row.price, {kind: kinds[kind][index] for kind in TOKEN_KINDS})
            values[index] += float(cost or 0)
    return values


def _by_model(rows: list[ModelRow]) -> dict[str, list[ModelRow]]:
    grouped: dict[str, list[ModelRow]] = {}
    for row in rows:
        grouped.setdefault(row.model, []).append(row)
    return grouped


def _figure(title: str, ylabel: str) -> tuple[Any, Any]:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(10.5, 3.0), layout="constrained")
    axes = figure.subplots()
    axes.set_title(title, loc="left", fontsize=11, fontweight="bold")
    axes.set_ylabel(ylabel)
    return figure, axes


def _svg(figure: Any, axes: Any, window: Window, has_data: bool, empty: str) -> str:
    import matplotlib.dates as mdates

    if has_data:
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    else:
        axes.text(0.5, 0.5, empty, transform=axes.transAxes, ha="center", color="#777")
    axes.set_xlim(window.start, window.end)
    locator = mdates.AutoDateLocator(maxticks=10)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    axes.set_ylim(bottom=0)
    stream = io.StringIO()
    figure.savefig(stream, format="svg", metadata={"Date": None, "Creator": "obsctl report"})
    text = stream.getvalue()
    return text[text.index("<svg") :]


def _line_chart(
    window: Window,
    chart_id: str,
    title: str,
    ylabel: str,
    lines: dict[str, list[float]],
    note: str = "",
    empty: str = "no data in the period",
) -> Chart:
    import matplotlib

    # A salt per chart: stable ids (the same data renders the same file), distinct between the charts of a page.
    with matplotlib.rc_context({**_STYLE, "svg.hashsalt": chart_id}):
        figure, axes = _figure(title, ylabel)
        x = _buckets(window)
        drawn = {label: values for label, values in lines.items() if any(v and not math.isnan(v) for v in values)}
        for label, values in drawn.items():
            axes.plot(x, values, label=label, linewidth=1.4, drawstyle="steps-post")
        has_data = bool(drawn)
        svg = _svg(figure, axes, window, has_data, empty)
    return Chart(chart_id, title, note, svg)


def tokens_chart(report: Report) -> Chart:
    window = report.window
    lines = {model: _tokens(window, rows) for model, rows in _by_model(report.rows).items()}
    unit = "hour" if window.bucket_seconds == 3_600 else "day"
    return _line_chart(window, "chart-tokens", "Tokens per model", f"tokens per {unit} (input + output)", lines)


def cost_chart(report: Report) -> Chart:
    window = report.window
    grouped = _by_model(report.rows)
    priced = {m: rows for m, rows in grouped.items() if all(r.price is not None for r in rows)}
    unpriced = [m for m in grouped if m not in priced]
    lines = {model: _cost(window, rows) for model, rows in priced.items()}
    unit = "hour" if window.bucket_seconds == 3_600 else "day"
    note = f"No price in the price table (not drawn): {', '.join(unpriced)}." if unpriced else ""
    return _line_chart(window, "chart-cost", "Estimated cost per model", f"USD per {unit} (estimate)", lines, note)


def latency_chart(report: Report) -> Chart:
    window = report.window
    busiest = sorted(report.rows, key=lambda r: -r.current.invocations)[:MAX_LATENCY_LINES]
    lines = {}
    for row in busiest:
        values = [math.nan] * len(_buckets(window))
        for timestamp, value in row.series.get(LATENCY_SERIES_FIELD, []):
            index = _index(window, timestamp)
            if index is not None:
                values[index] = value
        lines[f"{row.model} ({row.account}, {row.region})"] = values
    note = (
        f"One line per account, region and model (percentiles cannot be combined); the {MAX_LATENCY_LINES} "
        "busiest are drawn."
        if len(report.rows) > MAX_LATENCY_LINES
        else "One line per account, region and model (percentiles cannot be combined)."
    )
    return _line_chart(window, "chart-latency", "p95 latency per model", "InvocationLatency p95 (ms)", lines, note)


def errors_chart(report: Report) -> Chart:
    window = report.window
    rows = report.rows
    lines = {
        label: _summed(window, (row.series.get(field, []) for row in rows))
        for label, field in (
            ("client errors", "client_errors"),
            ("server errors", "server_errors"),
            ("throttles", "throttles"),
        )
    }
    unit = "hour" if window.bucket_seconds == 3_600 else "day"
    empty = "no errors or throttles in the period"
    return _line_chart(window, "chart-errors", "Errors and throttles", f"count per {unit}", lines, empty=empty)


def charts(report: Report) -> list[Chart]:
    return [tokens_chart(report), cost_chart(report), latency_chart(report), errors_chart(report)]
