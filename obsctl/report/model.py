"""The report's figures: per model row, per account and for the org, for the period and the one before.

Sums (invocations, errors, throttles, tokens, estimated cost) add up across models, regions and accounts;
percentiles do not (a p95 of p95s is not a p95), so totals carry none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from inventory.pricing import ModelPrice
from obsctl.costs import PRICE_COMPONENTS, estimated_cost, unpriced_tokens
from obsctl.report.metrics import LATENCY_SERIES_FIELD, PERCENTILE_FIELDS, SUM_NAMES, Points, SeriesKey
from obsctl.report.window import Window

TOKEN_KINDS = tuple(component.key for component in PRICE_COMPONENTS)
_SUM_NAMES = tuple(name for name in SUM_NAMES if not name.startswith("tokens."))


@dataclass
class Figures:
    """One period's numbers for a model, an account or the org."""

    invocations: float = 0.0
    client_errors: float = 0.0
    server_errors: float = 0.0
    throttles: float = 0.0
    tokens: dict[str, float] = field(default_factory=lambda: dict.fromkeys(TOKEN_KINDS, 0.0))
    latency_p50_ms: float | None = None
    latency_p95_ms: float | None = None
    ttft_p95_ms: float | None = None
    cost_usd: Decimal | None = Decimal(0)  # None: no price (a model row)
    unpriced: tuple[str, ...] = ()  # totals: models with tokens whose cost is unknown (not in cost_usd)
    # Tokens left out of cost_usd although the model has a price: kinds its price does not price (cache tokens
    # without a cache price, `obsctl.costs.unpriced_tokens`), kind -> count; totals: summed, and whose.
    unpriced_tokens: dict[str, float] = field(default_factory=dict)
    unpriced_tokens_of: tuple[str, ...] = ()

    @property
    def total_tokens(self) -> float:
        return sum(self.tokens.values())

    @property
    def errors(self) -> float:
        return self.client_errors + self.server_errors

    @property
    def error_rate_pct(self) -> float | None:
        """(client + server errors) / invocations x 100, the formula of the error-rate alarms (default)."""
        return 100 * self.errors / self.invocations if self.invocations else None

    def plus(self, other: Figures, model: str | None = None) -> Figures:
        """The sum of two figures (percentiles dropped); `model` names `other` when its cost is unknown."""
        unknown = other.cost_usd is None and other.total_tokens > 0
        left_out = {k: self.unpriced_tokens.get(k, 0) + other.unpriced_tokens.get(k, 0) for k in TOKEN_KINDS}
        return Figures(
            **{name: getattr(self, name) + getattr(other, name) for name in _SUM_NAMES},
            tokens={kind: self.tokens[kind] + other.tokens[kind] for kind in TOKEN_KINDS},
            cost_usd=(self.cost_usd or Decimal(0)) + (other.cost_usd or Decimal(0)),
            unpriced=tuple(dict.fromkeys(self.unpriced + other.unpriced + ((model,) if unknown and model else ()))),
            unpriced_tokens={kind: count for kind, count in left_out.items() if count},
            unpriced_tokens_of=tuple(
                dict.fromkeys(
                    self.unpriced_tokens_of
                    + other.unpriced_tokens_of
                    + ((model,) if other.unpriced_tokens and model else ())
                )
            ),
        )


def change_pct(current: float | Decimal | None, previous: float | Decimal | None) -> float | None:
    """Relative change in percent; None when there is nothing to compare with (unknown or zero before)."""
    if current is None or previous is None or not previous:
        return None
    return float((Decimal(str(current)) - Decimal(str(previous))) / Decimal(str(previous)) * 100)


@dataclass
class ModelRow:
    account: str
    account_id: str
    region: str
    model: str
    price: ModelPrice | None
    current: Figures
    previous: Figures
    # Chart data: sum fields at the chart resolution (both periods) and p95 latency (reported period).
    series: dict[str, Points] = field(default_factory=dict)


def _figures(points: dict[SeriesKey, Points], base: SeriesKey, window: Window, current: bool) -> Figures:
    figures = Figures()
    for name in SUM_NAMES:
        total = sum(v for ts, v in points.get(_key(base, name), []) if window.is_current(ts) == current)
        if name.startswith("tokens."):
            figures.tokens[name.split(".", 1)[1]] = total
        else:
            setattr(figures, name, total)
    for name, _, _ in PERCENTILE_FIELDS:
        values = [v for ts, v in points.get(_key(base, name), []) if window.is_current(ts) == current]
        # One value per period when periods are aligned; should CloudWatch split one, keep the later part.
        setattr(figures, name, values[-1] if values else None)
    return figures


def _key(base: SeriesKey, name: str) -> SeriesKey:
    return SeriesKey(base.account_id, base.region, base.model, name)


def model_row(
    points: dict[SeriesKey, Points],
    window: Window,
    account: str,
    account_id: str,
    region: str,
    model: str,
    price: ModelPrice | None,
) -> ModelRow:
    base = SeriesKey(account_id, region, model, "")
    current, previous = (_figures(points, base, window, flag) for flag in (True, False))
    for figures in (current, previous):
        figures.cost_usd = estimated_cost(price, figures.tokens)
        figures.unpriced_tokens = unpriced_tokens(price, figures.tokens)
    series = {name: sorted(points.get(_key(base, name), [])) for name in SUM_NAMES}
    series[LATENCY_SERIES_FIELD] = sorted(points.get(_key(base, LATENCY_SERIES_FIELD), []))
    return ModelRow(account, account_id, region, model, price, current, previous, series)


def totals(rows: list[ModelRow]) -> tuple[Figures, Figures]:
    current, previous = Figures(), Figures()
    for row in rows:
        current = current.plus(row.current, row.model)
        previous = previous.plus(row.previous, row.model)
    return current, previous


@dataclass(frozen=True)
class ModelCost:
    model: str
    invocations: float
    tokens: float
    cost_usd: Decimal | None
    previous_cost_usd: Decimal | None
    unpriced_tokens: dict[str, float] = field(default_factory=dict)  # left out of cost_usd (no cache price)


def top_models(rows: list[ModelRow], limit: int = 5) -> list[ModelCost]:
    """Models by estimated cost in the period across accounts and regions; unpriced models with usage last."""
    by_model: dict[str, list[ModelRow]] = {}
    for row in rows:
        by_model.setdefault(row.model, []).append(row)
    ranked = []
    for model, group in by_model.items():
        current, previous = totals(group)
        # Priced in some accounts only (per-account price tables): the sum would understate, so unknown.
        priced = all(row.price is not None for row in group)
        ranked.append(
            ModelCost(
                model,
                current.invocations,
                current.total_tokens,
                current.cost_usd if priced else None,
                previous.cost_usd if priced else None,
                current.unpriced_tokens if priced else {},
            )
        )
    ranked = [m for m in ranked if m.tokens or m.invocations]
    ranked.sort(key=lambda m: (m.cost_usd is None, -(m.cost_usd or 0), -m.tokens))
    return ranked[:limit]


@dataclass(frozen=True)
class BudgetStatus:
    name: str
    limit_usd: Decimal | None = None
    actual_usd: Decimal | None = None  # month to date, billed
    forecast_usd: Decimal | None = None  # end of month
    note: str | None = None  # why there are no numbers


@dataclass(frozen=True)
class SecuritySignal:
    key: str
    metric: str
    current: float
    previous: float


@dataclass(frozen=True)
class FiringAlarm:
    name: str
    account: str
    region: str
    since: datetime | None
    reason: str


@dataclass
class AccountReport:
    name: str
    account_id: str
    environment: str
    rows: list[ModelRow] = field(default_factory=list)
    budget: BudgetStatus | None = None
    security: list[SecuritySignal] | None = None
    security_note: str | None = None
    alarms: list[FiringAlarm] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def totals(self) -> tuple[Figures, Figures]:
        return totals(self.rows)


@dataclass
class Report:
    scope: str  # "org" or the stack name
    via: str  # "monitoring" or "accounts"
    window: Window
    generated_at: datetime
    accounts: list[AccountReport]
    org_alarms: list[FiringAlarm] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def rows(self) -> list[ModelRow]:
        return [row for account in self.accounts for row in account.rows]

    @property
    def totals(self) -> tuple[Figures, Figures]:
        return totals(self.rows)

    @property
    def all_problems(self) -> list[str]:
        return self.problems + [f"{a.name}: {p}" for a in self.accounts for p in a.problems]
