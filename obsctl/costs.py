"""Estimated on-demand cost from the price table: one row per priced token kind.

The price table (`inventory.pricing.Pricing`) prices tokens per 1K. Each priced kind of token is one
`PriceComponent`: the AWS/Bedrock metric that counts it and the `ModelPrice` field that prices it. The
report fetches one metric per row and `estimated_cost` adds one term per row, so pricing another kind of
token is one row here plus its (optional) field on `ModelPrice`, as the prompt-cache rows are.

Arithmetic is decimal (prices are read through their shortest decimal repr), so 1,000 tokens at 0.003 USD
per 1K cost exactly 0.003 USD, not 0.0030000000000000001.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from inventory.pricing import ModelPrice
from vocabulary import bedrock


@dataclass(frozen=True)
class PriceComponent:
    key: str  # the token kind in reports and JSON: tokens[key]
    metric: str  # the AWS/Bedrock metric (Sum) counting these tokens, dimension ModelId
    price_field: str  # the ModelPrice field: USD per 1,000 tokens; an optional field may be None
    label: str

    @property
    def metrics(self) -> tuple[str, ...]:
        """Every name the tokens are read under and added up: both spellings of a prompt-cache metric
        (`vocabulary.bedrock.cache_spellings`), so whichever one Bedrock publishes counts."""
        return bedrock.cache_spellings(self.metric)


PRICE_COMPONENTS: tuple[PriceComponent, ...] = (
    PriceComponent("input", bedrock.INPUT_TOKENS, "input_per_1k_tokens_usd", "input tokens"),
    PriceComponent("output", bedrock.OUTPUT_TOKENS, "output_per_1k_tokens_usd", "output tokens"),
    # Prompt caching: InputTokenCount excludes cache tokens, so each kind is counted and priced once.
    PriceComponent("cache_read", bedrock.CACHE_READ_INPUT_TOKENS, "cache_read_per_1k_tokens_usd", "cache reads"),
    PriceComponent("cache_write", bedrock.CACHE_WRITE_INPUT_TOKENS, "cache_write_per_1k_tokens_usd", "cache writes"),
)

_THOUSAND = Decimal(1000)


def decimal(value: float | int) -> Decimal:
    """A float as the decimal it was written as (0.003, not its binary approximation)."""
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def estimated_cost(price: ModelPrice | None, tokens: Mapping[str, float]) -> Decimal | None:
    """USD for `tokens` (token kind -> count) at `price`; None ("unknown") without a price. Tokens of a kind
    whose (optional) price the table leaves out, the prompt cache's, are left out of the estimate: the rule of
    every dashboard (metric math cannot make one model's line "unknown"), so a report and a dashboard show the
    same figure; `unpriced_kinds` names what was left out (README "Prompt caching")."""
    if price is None:
        return None
    total = Decimal(0)
    for component in PRICE_COMPONENTS:
        count = tokens.get(component.key, 0)
        per_1k = getattr(price, component.price_field, None)
        if not count or per_1k is None:
            continue
        total += decimal(count) * decimal(per_1k) / _THOUSAND
    return total


def unpriced_kinds(price: ModelPrice | None, tokens: Mapping[str, float]) -> tuple[str, ...]:
    """The token kinds used (count > 0) that `price` does not price and `estimated_cost` leaves out."""
    if price is None:
        return ()
    return tuple(
        c.key for c in PRICE_COMPONENTS if tokens.get(c.key, 0) and getattr(price, c.price_field, None) is None
    )


def unpriced_tokens(price: ModelPrice | None, tokens: Mapping[str, float]) -> dict[str, float]:
    """The tokens `estimated_cost` leaves out, per kind (`unpriced_kinds`): what a report discloses next to
    the estimate, so a lower cost never reads as complete."""
    return {kind: tokens[kind] for kind in unpriced_kinds(price, tokens)}


def usd(amount: Decimal | None) -> str:
    """`$1,234.57`; below a dollar four decimals (`$0.0139`: load tests and quiet models cost fractions of a
    cent); `unknown` for None."""
    if amount is None:
        return "unknown"
    if amount and abs(amount) < 1:
        return f"${amount:.4f}" if abs(amount) >= Decimal("0.0001") else f"${amount:.2e}"
    return f"${amount:,.2f}"
