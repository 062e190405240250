"""The report as a JSON document (`--format json`): every number of the Markdown and HTML reports.

Costs are estimates in USD from the price table, rounded to micro-dollars; `null` means unknown (no price)
or not available. `trend_pct` is the change against the previous period in percent (`null` when the
previous period had none). `unpriced_tokens` (kind -> count, e.g. `{"cache_read": 1200000.0}`) are tokens
left out of `estimated_cost_usd` although the model has a price: cache tokens of a price without cache prices,
as on the dashboards; in totals `unpriced_tokens_of` names their models. Both are empty when nothing was left
out. Additions to "obsctl-report/1" only: no field changed meaning.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from obsctl.report.model import AccountReport, Figures, FiringAlarm, ModelRow, Report, change_pct, top_models

SCHEMA = "obsctl-report/1"
_MICRO = Decimal("0.000001")


def money(value: Decimal | None) -> float | None:
    return None if value is None else float(value.quantize(_MICRO))


def _figures(f: Figures) -> dict[str, Any]:
    return {
        "invocations": f.invocations,
        "input_tokens": f.tokens.get("input", 0.0),
        "output_tokens": f.tokens.get("output", 0.0),
        "tokens": dict(f.tokens),
        "client_errors": f.client_errors,
        "server_errors": f.server_errors,
        "throttles": f.throttles,
        "error_rate_pct": f.error_rate_pct,
        "latency_p50_ms": f.latency_p50_ms,
        "latency_p95_ms": f.latency_p95_ms,
        "time_to_first_token_p95_ms": f.ttft_p95_ms,
        "estimated_cost_usd": money(f.cost_usd),
        "cost_unknown_for": list(f.unpriced),
        "unpriced_tokens": dict(f.unpriced_tokens),
        "unpriced_tokens_of": list(f.unpriced_tokens_of),
    }


def trends(current: Figures, previous: Figures) -> dict[str, float | None]:
    return {
        "invocations": change_pct(current.invocations, previous.invocations),
        "tokens": change_pct(current.total_tokens, previous.total_tokens),
        "estimated_cost_usd": change_pct(current.cost_usd, previous.cost_usd),
        "errors": change_pct(current.errors, previous.errors),
        "throttles": change_pct(current.throttles, previous.throttles),
    }


def _row(row: ModelRow) -> dict[str, Any]:
    return {
        "region": row.region,
        "model": row.model,
        "price_per_1k_tokens_usd": None if row.price is None else row.price.model_dump(),
        "current": _figures(row.current),
        "previous": _figures(row.previous),
        "trend_pct": trends(row.current, row.previous),
    }


def _alarm(alarm: FiringAlarm) -> dict[str, Any]:
    return {
        "name": alarm.name,
        "account": alarm.account,
        "region": alarm.region,
        "since": alarm.since.isoformat() if alarm.since else None,
        "reason": alarm.reason,
    }


def _account(account: AccountReport) -> dict[str, Any]:
    current, previous = account.totals
    budget = account.budget
    return {
        "name": account.name,
        "account_id": account.account_id,
        "environment": account.environment,
        "current": _figures(current),
        "previous": _figures(previous),
        "trend_pct": trends(current, previous),
        "models": [_row(row) for row in account.rows],
        "budget": None
        if budget is None
        else {
            "name": budget.name,
            "limit_usd": money(budget.limit_usd),
            "actual_usd_month_to_date": money(budget.actual_usd),
            "forecast_usd_month": money(budget.forecast_usd),
            "note": budget.note,
        },
        "security_signals": None
        if account.security is None
        else {s.key: {"metric": s.metric, "current": s.current, "previous": s.previous} for s in account.security},
        "security_note": account.security_note,
        "alarms_in_alarm": [_alarm(a) for a in account.alarms],
        "problems": list(account.problems),
    }


def to_json(report: Report) -> dict[str, Any]:
    window = report.window
    current, previous = report.totals
    return {
        "schema": SCHEMA,
        "scope": report.scope,
        "via": report.via,
        "generated_at": report.generated_at.isoformat(timespec="seconds"),
        "period": {"start": window.start.isoformat(), "end": window.end.isoformat(), "days": window.days},
        "previous_period": {"start": window.previous_start.isoformat(), "end": window.start.isoformat()},
        "totals": {
            "current": _figures(current),
            "previous": _figures(previous),
            "trend_pct": trends(current, previous),
        },
        "top_models_by_cost": [
            {
                "model": m.model,
                "invocations": m.invocations,
                "tokens": m.tokens,
                "estimated_cost_usd": money(m.cost_usd),
                "trend_pct": change_pct(m.cost_usd, m.previous_cost_usd),
                "unpriced_tokens": dict(m.unpriced_tokens),
            }
            for m in top_models(report.rows)
        ],
        "accounts": [_account(a) for a in report.accounts],
        "org_alarms_in_alarm": [_alarm(a) for a in report.org_alarms],
        "problems": report.all_problems,
    }
