"""Markdown and HTML from Jinja2 templates (obsctl/report/templates/), JSON from `document.to_json`.

The HTML is one self-contained file: inline CSS and inline SVG charts, no script, no external reference,
so it reads offline and travels as an email attachment.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from obsctl.costs import usd
from obsctl.report.document import to_json, trends
from obsctl.report.model import AccountReport, Figures, ModelRow, Report, change_pct, top_models

FORMATS = ("md", "json", "html")
SIGNAL_LABELS = {
    "logging-changes": "Invocation logging changes",
    "access-denied": "Access-denied Bedrock calls",
    "guardrail-or-access-changes": "Guardrail or model-access changes",
}


# Typographic dash and minus sign (written as escapes: they look like ASCII in an editor).
DASH, MINUS = "\u2013", "\u2212"


def num(value: float | None) -> str:
    if value is None:
        return DASH
    return f"{value:,.0f}" if float(value).is_integer() or abs(value) >= 100 else f"{value:,.1f}"


def ms(value: float | None) -> str:
    return DASH if value is None else f"{value:,.0f} ms"


def pct(value: float | None) -> str:
    return DASH if value is None else f"{value:.2f} %"


def trend(value: float | None) -> str:
    """`+12.5 %`, `-3.0 %` (with a minus sign), `±0 %`, or a dash with nothing to compare."""
    if value is None:
        return DASH
    if abs(value) < 0.05:
        return "±0 %"
    return f"{'+' if value > 0 else MINUS}{abs(value):,.1f} %"


def trend_class(value: float | None) -> str:
    if value is None or abs(value) < 0.05:
        return "flat"
    return "up" if value > 0 else "down"


def share(part: Decimal | None, whole: Decimal | None) -> str:
    if part is None or not whole:
        return DASH
    return f"{part / whole * 100:.0f} %"


def when(value: datetime | None) -> str:
    return DASH if value is None else value.strftime("%Y-%m-%d %H:%M UTC")


def left_out(unpriced: Mapping[str, float]) -> str:
    """`1,200,000 cache-read and 4,000 cache-write tokens`: the tokens an estimated cost leaves out."""
    return " and ".join(f"{num(count)} {kind.replace('_', '-')}" for kind, count in unpriced.items()) + " tokens"


def excludes(unpriced: Mapping[str, float]) -> str:
    """The note of a cost that leaves tokens out (a price without cache prices); empty when nothing is."""
    return f"excludes {left_out(unpriced)}: no cache price" if unpriced else ""


# Marks an aggregate cost (summary, account, total) that leaves tokens out; `excluded_note` explains it.
MARK = "\u2020"


def excluded_note(current: Figures, previous: Figures) -> str:
    """The totals' note on tokens left out of the estimated cost, per period, and whose; empty when none are."""
    periods = [
        f"{left_out(figures.unpriced_tokens)} {label}"
        for figures, label in ((current, "this period"), (previous, "in the previous period"))
        if figures.unpriced_tokens
    ]
    if not periods:
        return ""
    models = ", ".join(dict.fromkeys(current.unpriced_tokens_of + previous.unpriced_tokens_of))
    return (
        f"{MARK} Estimated cost excludes {' and '.join(periods)}: the price table has no cache price for {models} "
        "(as on the dashboards; add its cache prices to count them)."
    )


def md_cell(value: Any) -> str:
    """Markdown table cells: no pipes or line breaks."""
    return str(value).replace("|", "\\|").replace("\n", " ")


def _environment(autoescape: bool) -> Environment:
    environment = Environment(
        loader=PackageLoader("obsctl.report", "templates"),
        autoescape=select_autoescape(["html"]) if autoescape else False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters.update(
        usd=usd,
        num=num,
        ms=ms,
        pct=pct,
        trend=trend,
        trend_class=trend_class,
        share=share,
        when=when,
        md=md_cell,
        change=change_pct,
        excludes=excludes,
    )
    return environment


def security_cells(account: AccountReport) -> list[str]:
    """One cell per signal: `this period (previous)`, or the reason there are none in the first cell."""
    if account.security is None:
        return [account.security_note or "unavailable", *[""] * (len(SIGNAL_LABELS) - 1)]
    by_key = {signal.key: signal for signal in account.security}
    return [f"{num(by_key[k].current)} ({num(by_key[k].previous)})" if k in by_key else DASH for k in SIGNAL_LABELS]


def _used(row: ModelRow) -> bool:
    return any(
        (f.invocations, f.total_tokens, f.errors, f.throttles) != (0, 0, 0, 0) for f in (row.current, row.previous)
    )


def context(report: Report) -> dict[str, Any]:
    current, previous = report.totals
    accounts = []
    for account in report.accounts:
        a_current, a_previous = account.totals
        accounts.append(
            {
                "account": account,
                "current": a_current,
                "previous": a_previous,
                "trend": trends(a_current, a_previous),
                "security_cells": security_cells(account),
                # Configured models with no traffic in either period: one line, not a table row each.
                "active": [r for r in account.rows if _used(r)],
                "idle": [r for r in account.rows if not _used(r)],
            }
        )
    alarms = list(report.org_alarms) + [alarm for account in report.accounts for alarm in account.alarms]
    return {
        "report": report,
        "window": report.window,
        "current": current,
        "previous": previous,
        "trend": trends(current, previous),
        "excluded_note": excluded_note(current, previous),
        "mark": MARK,
        "accounts": accounts,
        "top_models": top_models(report.rows),
        "alarms": alarms,
        "problems": report.all_problems,
        "signal_labels": SIGNAL_LABELS,
        "source": (
            "the monitoring account through CloudWatch cross-account observability (AWS/Bedrock metrics, org "
            "alarms) and each account's deploy role (budget, account alarms, security signals)"
            if report.via == "monitoring"
            else "each account's deploy role"
        ),
    }


def markdown(report: Report) -> str:
    return _environment(autoescape=False).get_template("report.md.j2").render(context(report))


def html(report: Report) -> str:
    from obsctl.report.charts import charts

    return _environment(autoescape=True).get_template("report.html.j2").render(context(report), charts=charts(report))


def render(report: Report, formats: tuple[str, ...]) -> dict[str, str]:
    """Every requested format, rendered in memory before any file is written."""
    renderers = {
        "md": markdown,
        "json": lambda r: json.dumps(to_json(r), indent=2) + "\n",
        "html": html,
    }
    return {fmt: renderers[fmt](report) for fmt in formats}
