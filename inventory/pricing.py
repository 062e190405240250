"""The one price table (`settings.monitoring.pricing`): on-demand prices per model for the *estimated* cost
widgets, the org dashboards and `obsctl report`. The budget uses billed cost."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Annotated, Literal

from pydantic import Field, field_validator

from inventory.aws_facts import INFERENCE_PROFILE_REGION_PREFIXES
from inventory.base import StrictModel
from inventory.identifiers import is_model_id
from vocabulary.limits import MAX_PRICE_PER_1K_TOKENS_USD

# Cross-region inference profile prefixes (us., eu., apac., ...) are stripped when looking up prices.
_GEO_PREFIX_RE = re.compile(rf"({'|'.join(re.escape(p) for p in INFERENCE_PROFILE_REGION_PREFIXES)})\.")
# The org dashboards price every entry of the org-wide table (`defaults.monitoring.pricing.models`) in every
# region: each priced model adds a row of two price-line widgets (four with cache prices) to each regional
# dashboard, and its token series per account to the management dashboard's cost expressions, so 10 keeps the
# rows readable and those expressions below 1024 characters for a handful of accounts. Enforced by
# `inventory.models.Organisation`; the org dashboard builders import it from here.
MAX_PRICED_MODELS = 10

PricePer1K = Annotated[float, Field(ge=0, le=MAX_PRICE_PER_1K_TOKENS_USD)]


class ModelPrice(StrictModel):
    """USD per 1,000 tokens of each kind. Prompt-cache reads and writes are billed at their own prices
    (optional: models without prompt caching have none); `InputTokenCount` excludes cache tokens, so each
    kind is priced once."""

    input_per_1k_tokens_usd: PricePer1K
    output_per_1k_tokens_usd: PricePer1K
    cache_read_per_1k_tokens_usd: PricePer1K | None = None
    cache_write_per_1k_tokens_usd: PricePer1K | None = None

    @property
    def prices_cache(self) -> bool:
        return self.cache_read_per_1k_tokens_usd is not None or self.cache_write_per_1k_tokens_usd is not None


class Pricing(StrictModel):
    """On-demand prices used only for the *estimated* cost widgets (the budget uses billed cost).

    The one price table of the platform: workload cost dashboards read the account's merged
    `settings.monitoring.pricing`; the monitoring account's org dashboards read the org-wide
    `defaults.monitoring.pricing`. A model without a price (after the inference-profile fallback) has no
    cost line ("price unknown"), or fails inventory validation with `missing_price: error` (checked in
    `inventory.models`, before any resource is registered). There is no catch-all default price.
    """

    models: dict[str, ModelPrice] = {}
    missing_price: Literal["show_unknown", "error"] = "show_unknown"

    @field_validator("models")
    @classmethod
    def _model_ids(cls, value: dict[str, ModelPrice]) -> dict[str, ModelPrice]:
        for key in value:
            # Keys end up quoted inside metric-math / Metrics Insights expressions: model ids only.
            if not is_model_id(key):
                raise ValueError(
                    f"pricing.models: {key!r} is not a Bedrock model id (provider.model[:version], lowercase "
                    "letters, digits and '-'); fix: use the id as listed in models, e.g. "
                    "anthropic.claude-3-haiku-20240307-v1:0"
                )
        return value

    def price_for(self, model_id: str) -> ModelPrice | None:
        """Exact id first, then the id without a cross-region inference profile prefix (us., eu., ...)."""
        if model_id in self.models:
            return self.models[model_id]
        return self.models.get(without_geo_prefix(model_id))

    def model_ids_priced_as(self, key: str, candidates: Iterable[str]) -> tuple[str, ...]:
        """`key` (a price table entry) and every id among `candidates` that `price_for` resolves to that
        entry: its cross-region inference profiles (us.<key>, eu.<key>, ...) that have no price of their own."""
        ids = [key]
        for model_id in candidates:
            if model_id != key and model_id not in self.models and without_geo_prefix(model_id) == key:
                ids.append(model_id)
        return tuple(dict.fromkeys(ids))

    def unpriced(self, model_ids: Iterable[str]) -> list[str]:
        """The ids among `model_ids` without a price (after the inference-profile fallback), in order.
        Whether that is an error (`missing_price: error`) is checked by the inventory validators."""
        return [model for model in dict.fromkeys(model_ids) if self.price_for(model) is None]


def without_geo_prefix(model_id: str) -> str:
    match = _GEO_PREFIX_RE.match(model_id)
    return model_id[match.end() :] if match else model_id
