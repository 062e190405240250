"""The price table of the cost estimate: obsctl/cost/prices.yaml, validated once, looked up by key and region.

A price is either the same wherever the resource lives (`usd`) or listed per region (`regions`). A region
missing from a regional price is an error naming the price, the region and the fix: an estimate never
prices something silently at 0.
"""

from __future__ import annotations

import datetime
import math
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from inventory.errors import ConfigError

PRICES_FILE = Path(__file__).with_name("prices.yaml")


class PriceError(ConfigError):
    """A price the estimate needs is missing or the price file is malformed; the message is for the user."""

    def __init__(self, problem: str) -> None:
        super().__init__(f"obsctl/cost/{PRICES_FILE.name}", [problem])
        self.args = (f"Cost estimate refused: {problem}",)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    page: str = Field(pattern=r"^https://")
    read: datetime.date  # the day the figures were read
    as_of: datetime.date | None = None  # the date the copy read carries
    via: str = ""


def _amount(value: float) -> float:
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{value!r} is not a non-negative finite number")
    return value


class _Entry(_Strict):
    source: str
    unit: str
    # True where the sources did not settle the figure (reported with every estimate that uses it).
    unconfirmed: bool = False
    note: str = ""


class Price(_Entry):
    # The price is for this many units (e.g. 100,000 events); quantities stay in single units.
    per: float = Field(default=1, gt=0)
    usd: float | None = None
    regions: dict[str, float] | None = None
    # Regions whose figure was not found in the sources (the us-east-1 figure stands in).
    unconfirmed_regions: list[str] = []

    @field_validator("usd")
    @classmethod
    def _valid_usd(cls, value: float | None) -> float | None:
        return None if value is None else _amount(value)

    @field_validator("regions")
    @classmethod
    def _valid_regions(cls, value: dict[str, float] | None) -> dict[str, float] | None:
        return None if value is None else {region: _amount(usd) for region, usd in value.items()}

    @model_validator(mode="after")
    def _one_kind(self) -> Price:
        if (self.usd is None) == (self.regions is None):
            raise ValueError("give exactly one of usd (same everywhere) or regions (per region)")
        unknown = set(self.unconfirmed_regions) - set(self.regions or {})
        if unknown:
            raise ValueError(f"unconfirmed_regions names regions without a price: {', '.join(sorted(unknown))}")
        return self

    def unconfirmed_in(self, region: str) -> bool:
        return self.unconfirmed or region in self.unconfirmed_regions


class Allowance(_Entry):
    """A free allowance or billing rule (a count or days, not USD)."""

    value: float

    @field_validator("value")
    @classmethod
    def _valid_value(cls, value: float) -> float:
        return _amount(value)


class PriceTable(_Strict):
    sources: dict[str, Source]
    prices: dict[str, Price]
    allowances: dict[str, Allowance] = {}

    @model_validator(mode="after")
    def _sources_exist(self) -> PriceTable:
        for key, entry in {**self.prices, **self.allowances}.items():
            if entry.source not in self.sources:
                raise ValueError(f"{key}: source {entry.source!r} is not listed under sources")
        return self

    def price(self, key: str) -> Price:
        if key not in self.prices:
            raise PriceError(f"obsctl/cost/{PRICES_FILE.name} has no price {key!r}; fix: add it under prices")
        return self.prices[key]

    def usd(self, key: str, region: str) -> float:
        """The price of `key` where the resource lives (region '' = a global resource)."""
        price = self.price(key)
        if price.usd is not None:
            return price.usd
        assert price.regions is not None
        if region in price.regions:
            return price.regions[region]
        where = f"region {region!r}" if region else "a global resource (no region)"
        page = self.sources[price.source].page
        raise PriceError(
            f"no price for {key} ({price.unit}) in {where}: obsctl/cost/{PRICES_FILE.name} lists "
            f"{', '.join(sorted(price.regions))}; fix: add the {region or 'global'} list price from {page} under "
            f"prices.{key}.regions (and the date you read it under sources.{price.source}.read)"
        )

    def allowance(self, key: str) -> float:
        if key not in self.allowances:
            raise PriceError(f"obsctl/cost/{PRICES_FILE.name} has no allowance {key!r}; fix: add it under allowances")
        return self.allowances[key].value

    def describe(self, key: str) -> dict[str, Any]:
        entry: Price | Allowance = self.prices.get(key) or self.allowances[key]
        source = self.sources[entry.source]
        return {
            "unit": entry.unit,
            "page": source.page,
            "read": source.read.isoformat(),
            **({"asOf": source.as_of.isoformat()} if source.as_of else {}),
        }


@cache
def load_prices(path: Path = PRICES_FILE) -> PriceTable:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return PriceTable.model_validate(data)
    except (OSError, yaml.YAMLError) as error:
        raise PriceError(f"cannot read the price table {path}: {error}") from None
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc']))}: {str(e['msg']).removeprefix('Value error, ')}"
            for e in error.errors(include_url=False)
        )
        raise PriceError(f"the price table {path} is malformed: {problems}; fix: correct those entries") from None
