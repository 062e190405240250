"""Turn validation failures into one clear message: field, value, fix. Never a traceback."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ValidationError


class ConfigError(Exception):
    """A user mistake in the inventory or stack config. The message is meant to be shown as-is."""

    def __init__(self, source: str, problems: Sequence[str]) -> None:
        self.source = source
        self.problems = list(problems)
        lines = "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(f"Invalid configuration in {source}:\n{lines}")


def _path(loc: Sequence[int | str]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _known_keys(model: type[BaseModel], loc: Sequence[int | str]) -> list[str]:
    """The keys accepted at `loc`'s parent, found by walking the model's field annotations."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            return []
        annotation = fields[part].annotation
        # list[Model] / Model | None: look inside for the model class.
        candidates = [annotation, *getattr(annotation, "__args__", ())]
        current = next((c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), None)
        if current is None:
            return []
    return sorted(getattr(current, "model_fields", {}))


# Fixes for pydantic's built-in checks, whose own messages name neither the value nor the fix.
_BUILTIN_FIXES = {
    "too_short": "fix: list at least one",
    "dict_type": "fix: write a mapping (key: value lines)",
    "model_type": "fix: write a mapping (key: value lines)",
    "model_attributes_type": "fix: write a mapping (key: value lines)",
    "list_type": "fix: write a list ([a, b] or '- a' lines)",
    "string_type": "fix: write a text value (quote it in YAML)",
    "string_pattern_mismatch": "fix: use only the characters the pattern allows",
    "int_parsing": "fix: write a whole number",
    "int_type": "fix: write a whole number",
    "float_parsing": "fix: write a number",
    "bool_parsing": "fix: write true or false",
    "bool_type": "fix: write true or false",
    "literal_error": "fix: use one of the listed values",
    "greater_than_equal": "fix: use a larger value",
    "less_than_equal": "fix: use a smaller value",
}


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _describe(model: type[BaseModel], error: dict[str, Any]) -> str:
    loc = error["loc"]
    where = _path(loc) or "(top level)"
    message = str(error["msg"]).removeprefix("Value error, ")
    value = error.get("input")
    if error["type"] == "extra_forbidden":
        known = _known_keys(model, loc)
        hint = f" (known keys: {', '.join(known)})" if known else ""
        return f"{where}: unknown key; fix: remove it or correct the spelling{hint}"
    if error["type"] == "missing":
        return f"{where}: required but missing; fix: add it"
    fix = _BUILTIN_FIXES.get(error["type"])
    if fix:
        return f"{where} = {_shown(value)}: {message[:1].lower()}{message[1:]}; {fix}"
    if isinstance(value, (dict, list)):
        # Model-level checks name the offending field and value in their own message.
        return f"{where}: {message}" if loc else message
    return f"{where} = {_shown(value)}: {message}"


def from_validation_error(source: str, model: type[BaseModel], error: ValidationError) -> ConfigError:
    return ConfigError(source, [_describe(model, e) for e in error.errors(include_url=False)])
