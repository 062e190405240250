"""Per-model results of a load run: latency percentiles, time to first token, throttles, errors by code,
tokens and their estimated cost; as a table and as the JSON document `--json` writes."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from obsctl.costs import estimated_cost
from obsctl.loadgen.plan import LoadPlan
from obsctl.loadgen.runner import NOT_SENT, CallRecord, RunResult

SCHEMA = "obsctl-loadgen/1"
PERCENTILES = (50, 95, 99)


def percentile(values: Sequence[float], p: float) -> float | None:
    """Nearest-rank percentile: the smallest value with at least p % of the values at or below it (every
    result is an observed latency; with 20 samples p95 is the 19th fastest). None without values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class ModelResult:
    model: str
    sent: int
    ok: int
    throttles: int
    errors: int  # failed calls other than throttles
    not_sent: int
    errors_by_code: dict[str, int]
    latency_ms: dict[int, float | None]  # percentile -> ms, successful calls
    ttft_ms: dict[int, float | None]  # percentile -> ms, successful streaming calls
    input_tokens: int
    output_tokens: int
    cost_usd: Decimal | None  # None: no price for the model


def summarise_model(model: str, records: Sequence[CallRecord], plan: LoadPlan) -> ModelResult:
    sent = [r for r in records if r.outcome != NOT_SENT]
    ok = [r for r in sent if r.ok]
    latencies = [r.latency_ms for r in ok if r.latency_ms is not None]
    ttfts = [r.ttft_ms for r in ok if r.ttft_ms is not None]
    tokens = {"input": sum(r.input_tokens for r in ok), "output": sum(r.output_tokens for r in ok)}
    price = plan.account.settings.monitoring.pricing.price_for(model)
    return ModelResult(
        model=model,
        sent=len(sent),
        ok=len(ok),
        throttles=sum(1 for r in sent if r.throttled),
        errors=sum(1 for r in sent if not r.ok and not r.throttled),
        not_sent=len(records) - len(sent),
        errors_by_code=dict(sorted(Counter(r.outcome for r in sent if not r.ok).items())),
        latency_ms={p: percentile(latencies, p) for p in PERCENTILES},
        ttft_ms={p: percentile(ttfts, p) for p in PERCENTILES} if plan.stream else {},
        input_tokens=tokens["input"],
        output_tokens=tokens["output"],
        cost_usd=estimated_cost(price, tokens),
    )


def summarise(result: RunResult, plan: LoadPlan) -> list[ModelResult]:
    return [summarise_model(m, [r for r in result.records if r.model == m], plan) for m in plan.models]


def _ms(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def document(
    result: RunResult, plan: LoadPlan, models: list[ModelResult], stack: str, started_at: str
) -> dict[str, Any]:
    """The `--json` document: the plan, per-model results, totals and every call."""
    estimate, unpriced = plan.estimate()
    costs = [m.cost_usd for m in models]
    return {
        "schema": SCHEMA,
        "stack": stack,
        "account": plan.account.name,
        "account_id": plan.account.account_id,
        "region": plan.region,
        "profile": plan.profile,
        "api": "ConverseStream" if plan.stream else "Converse",
        "started_at": started_at,
        "seconds": round(result.seconds, 3),
        "stopped_early": result.stopped,
        "plan": {
            "models": list(plan.models),
            **asdict(plan.load),
            "estimated_cost_usd_upper_bound": float(estimate),
            "unpriced_models": unpriced,
        },
        "models": [
            {
                "model": m.model,
                "sent": m.sent,
                "ok": m.ok,
                "throttles": m.throttles,
                "errors": m.errors,
                "not_sent": m.not_sent,
                "errors_by_code": m.errors_by_code,
                "latency_ms": {f"p{p}": _ms(v) for p, v in m.latency_ms.items()},
                "time_to_first_token_ms": {f"p{p}": _ms(v) for p, v in m.ttft_ms.items()} or None,
                "input_tokens": m.input_tokens,
                "output_tokens": m.output_tokens,
                "estimated_cost_usd": None if m.cost_usd is None else float(m.cost_usd),
            }
            for m in models
        ],
        "totals": {
            "sent": sum(m.sent for m in models),
            "ok": sum(m.ok for m in models),
            "throttles": sum(m.throttles for m in models),
            "errors": sum(m.errors for m in models),
            "not_sent": sum(m.not_sent for m in models),
            "estimated_cost_usd": float(sum(c for c in costs if c is not None)),
            "cost_unknown_for": [m.model for m in models if m.cost_usd is None and m.ok],
        },
        "requests": [
            {
                "index": r.index,
                "model": r.model,
                "started_s": None if r.started_s is None else round(r.started_s, 3),
                "latency_ms": _ms(r.latency_ms),
                "ttft_ms": _ms(r.ttft_ms),
                "outcome": r.outcome,
                "kind": r.kind,
                "input_tokens": r.input_tokens,
                "output_tokens": r.output_tokens,
            }
            for r in result.records
        ],
    }
