"""Base model shared by every inventory model.

- Unknown keys are errors, so a typo never passes silently.
- Strict types: YAML `true` is not the number 1, `1.5` is not an integer, "300" is not a number, and
  `.inf`/`.nan` are refused everywhere. Lists are accepted where a tuple is declared (YAML has no tuples):
  those fields say `Field(strict=False)`; their items stay strict.
- A partial mapping for a nested model overrides only the keys it names: it is merged over that field's
  *own* default (e.g. the audit bucket's 7-year expiry), not over the nested model's class defaults.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """`override` over `base`; nested mappings merge key by key, anything else is replaced."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


class FrozenModel(BaseModel):
    """Immutable, no unknown fields, no inf/nan: the base of the builders' specs (alarms, dashboards, ...),
    which the program constructs itself (sequences may arrive as lists where a tuple is declared)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class StrictModel(FrozenModel):
    """What a user writes (the inventory): strict types on top of `FrozenModel`."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _partial_overrides_keep_field_defaults(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        merged = dict(data)
        for name, default in _model_defaults(cls).items():
            given = data.get(name)
            if isinstance(given, dict):
                merged[name] = deep_merge(default, given)
        return merged


# Per model class: the dumped defaults of its nested-model fields. Defaults are frozen models, so one dump
# serves every validation (deep_merge copies what it changes and never mutates its base).
_DEFAULT_DUMPS: dict[type[BaseModel], dict[str, dict[str, Any]]] = {}


def _model_defaults(cls: type[BaseModel]) -> dict[str, dict[str, Any]]:
    dumps = _DEFAULT_DUMPS.get(cls)
    if dumps is None:
        dumps = {}
        for name, field in cls.model_fields.items():
            default = field.get_default(call_default_factory=True)
            if isinstance(default, BaseModel):
                dumps[name] = default.model_dump()
        _DEFAULT_DUMPS[cls] = dumps
    return dumps
