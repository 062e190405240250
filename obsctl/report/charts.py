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


# Series colours: the same model has the same colour in every chart of a report.
_PALETTE = (
    "#2563eb", "#ea580c", "#16a34a", "#dc2626", "#9333ea", "#0891b2", "#ca8a04", "#db2777", "#4b5563", "#65a30d",
    "#1e3a8a", "#9a3412", "#14532d", "#7f1d1d", "#581c87", "#164e63", "#713f12", "#831843", "#111827", "#365314",
)  # fmt: skip
# Legend columns by the longest label: three for model ids, one for "model (account, region)".
_LEGEND_WIDTH_CHARS = 150


def model_colours(report: Report) -> dict[str, str]:
    models = sorted({row.model for row in report.rows})
    return {model: _PALETTE[index % len(_PALETTE)] for index, model in enumerate(models)}


@dataclass(frozen=True)
class _Spec:
    id: str
    title: str
    ylabel: str
    yformat: str  # str.format pattern of the y tick labels, e.g. "{x:,.0f}"
    note: str = ""
    empty: str = "no data in the period"


def _legend_columns(labels: Iterable[str]) -> int:
    longest = max((len(label) for label in labels), default=1)
    return max(1, min(3, _LEGEND_WIDTH_CHARS // (longest + 8)))


def _svg(figure: Any, axes: Any, window: Window, spec: _Spec, columns: int) -> str:
    import matplotlib.dates as mdates
    from matplotlib.ticker import StrMethodFormatter

    if axes.get_lines():
        # Below the plot: the plot keeps the full width however long the labels are.
        figure.legend(loc="outside lower left", ncols=columns, fontsize=8, frameon=False)
    else:
        axes.text(0.5, 0.5, spec.empty, transform=axes.transAxes, ha="center", color="#777")
    axes.set_xlim(window.start, window.end)
    locator = mdates.AutoDateLocator(maxticks=10)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    axes.yaxis.set_major_formatter(StrMethodFormatter(spec.yformat))
    axes.set_ylim(bottom=0)
    stream = io.StringIO()
    figure.savefig(stream, format="svg", metadata={"Date": None, "Creator": "obsctl report"})
    text = stream.getvalue()
    return text[text.index("<svg") :]


def _line_chart(
    window: Window, spec: _Spec, lines: dict[str, list[float]], colours: dict[str, str] | None = None
) -> Chart:
    import matplotlib
    from matplotlib.figure import Figure

    drawn = {label: values for label, values in lines.items() if any(v and not math.isnan(v) for v in values)}
    columns = _legend_columns(drawn)
    legend_rows = math.ceil(len(drawn) / columns)
    # A salt per chart: stable ids (the same data renders the same file), distinct between the charts of a page.
    with matplotlib.rc_context({**_STYLE, "svg.hashsalt": spec.id}):
        figure = Figure(figsize=(10.5, 2.9 + 0.2 * legend_rows), layout="constrained")
        axes = figure.subplots()
        axes.set_title(spec.title, loc="left", fontsize=11, fontweight="bold")
        axes.set_ylabel(spec.ylabel)
        x = _buckets(window)
        for label, values in drawn.items():
            colour = (colours or {}).get(label)
            axes.plot(x, values, label=label, linewidth=1.4, drawstyle="steps-post", color=colour)
        svg = _svg(figure, axes, window, spec, columns)
    return Chart(spec.id, spec.title, spec.note, svg)


def _unit(window: Window) -> str:
    return "hour" if window.bucket_seconds == 3_600 else "day"


def tokens_chart(report: Report) -> Chart:
    window = report.window
    lines = {model: _tokens(window, rows) for model, rows in _by_model(report.rows).items()}
    spec = _Spec("chart-tokens", "Tokens per model", f"tokens per {_unit(window)} (input + output)", "{x:,.0f}")
    return _line_chart(window, spec, lines, model_colours(report))


def cost_chart(report: Report) -> Chart:
    window = report.window
    grouped = _by_model(report.rows)
    priced = {m: rows for m, rows in grouped.items() if all(r.price is not None for r in rows)}
    unpriced = [m for m in grouped if m not in priced]
    lines = {model: _cost(window, rows) for model, rows in priced.items()}
    note = f"No price in the price table (not drawn): {', '.join(unpriced)}." if unpriced else ""
    partial = [m for m, rows in priced.items() if any(r.current.unpriced_tokens for r in rows)]
    if partial:
        note = f"{note} Cache tokens without a cache price are not in the cost: {', '.join(partial)}.".lstrip()
    spec = _Spec("chart-cost", "Estimated cost per model", f"USD per {_unit(window)} (estimate)", "${x:,.4g}", note)
    return _line_chart(window, spec, lines, model_colours(report))


def latency_chart(report: Report) -> Chart:
    window = report.window
    measured = [row for row in report.rows if row.series.get(LATENCY_SERIES_FIELD)]
    busiest = sorted(measured, key=lambda r: -r.current.invocations)[:MAX_LATENCY_LINES]
    lines = {}
    for row in busiest:
        values = [math.nan] * len(_buckets(window))
        for timestamp, value in row.series.get(LATENCY_SERIES_FIELD, []):
            index = _index(window, timestamp)
            if index is not None:
                values[index] = value
        lines[f"{row.model} ({row.account}, {row.region})"] = values
    note = "One line per account, region and model: percentiles cannot be combined."
    if len(measured) > MAX_LATENCY_LINES:
        note += f" The {MAX_LATENCY_LINES} busiest are drawn."
    spec = _Spec("chart-latency", "p95 latency per model", "InvocationLatency p95 (ms)", "{x:,.0f}", note)
    return _line_chart(window, spec, lines)


_ERROR_LINES = (
    ("client errors", "client_errors", "#ca8a04"),
    ("server errors", "server_errors", "#dc2626"),
    ("throttles", "throttles", "#7c3aed"),
)


def errors_chart(report: Report) -> Chart:
    window = report.window
    lines = {
        label: _summed(window, (row.series.get(field, []) for row in report.rows)) for label, field, _ in _ERROR_LINES
    }
    spec = _Spec(
        "chart-errors",
        "Errors and throttles",
        f"count per {_unit(window)}",
        "{x:,.0f}",
        empty="no errors or throttles in the period",
    )
    return _line_chart(window, spec, lines, {label: colour for label, _, colour in _ERROR_LINES})


def charts(report: Report) -> list[Chart]:
    return [tokens_chart(report), cost_chart(report), latency_chart(report), errors_chart(report)]
