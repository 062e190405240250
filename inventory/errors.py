"""Turn validation failures into one clear message: field, value, fix. Never a traceback."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo


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
        text += f"[{part}]" if isinstance(part, int) else (f".{_key(part)}" if text else _key(part))
    return text


def _key(part: str) -> str:
    """A key as written, or its repr() when it holds invisible characters or surrounding spaces."""
    return part if part and part.isprintable() and part == part.strip() else repr(part)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model class inside an annotation (Model, Model | None, list[Model], dict[str, Model], ...)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _field_at(model: type[BaseModel], loc: Sequence[int | str]) -> tuple[type[BaseModel] | None, FieldInfo | None]:
    """The model holding the last named key of `loc`, and that key's field (None where not found)."""
    current: type[BaseModel] | None = model
    field: FieldInfo | None = None
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        field = current.model_fields.get(part)
        if field is None:
            return current, None
        inner = _model_in(field.annotation)
        if inner is None:
            return current, field
        current = inner
    return current, field


def _known_keys(model: type[BaseModel], loc: Sequence[int | str]) -> list[str]:
    """The keys accepted at `loc`'s parent, found by walking the model's field annotations."""
    parent, field = _field_at(model, loc[:-1]) if loc[:-1] else (model, None)
    if field is not None and _model_in(field.annotation) is None:
        return []
    return sorted(getattr(parent, "model_fields", {}))


# Fixes for pydantic's built-in checks, whose own messages name neither the value nor the fix.
_BUILTIN_FIXES = {
    "too_short": "fix: list at least one",
    "too_long": "fix: list fewer",
    "dict_type": "fix: write a mapping (key: value lines)",
    "model_type": "fix: write a mapping (key: value lines)",
    "model_attributes_type": "fix: write a mapping (key: value lines)",
    "list_type": "fix: write a list ([a, b] or '- a' lines)",
    "tuple_type": "fix: write a list ([a, b] or '- a' lines)",
    "string_type": "fix: write a text value (quote it in YAML)",
    "string_too_short": "fix: write a non-empty value",
    "string_too_long": "fix: shorten it",
    "string_pattern_mismatch": "fix: use only the characters the pattern allows",
    "int_parsing": "fix: write a whole number",
    "int_type": "fix: write a whole number",
    "float_parsing": "fix: write a number",
    "float_type": "fix: write a number",
    "finite_number": "fix: write a finite number (.inf and .nan are not accepted)",
    "bool_parsing": "fix: write true or false",
    "bool_type": "fix: write true or false, unquoted",
    "literal_error": "fix: use one of the listed values",
    "greater_than": "fix: use a larger value",
    "greater_than_equal": "fix: use a larger value",
    "less_than": "fix: use a smaller value",
    "less_than_equal": "fix: use a smaller value",
}
_NUMBER_ERRORS = ("int_type", "float_type", "int_parsing", "float_parsing")
_RANGE_ERRORS = ("greater_than", "greater_than_equal", "less_than", "less_than_equal")


def _fix(model: type[BaseModel], error: dict[str, Any]) -> str | None:
    fix = _BUILTIN_FIXES.get(error["type"])
    value = error.get("input")
    if fix is None:
        return None
    if error["type"] in _NUMBER_ERRORS and isinstance(value, bool):
        return fix + " (true/false is not a number)"
    if error["type"] == "int_type" and isinstance(value, float):
        return fix + " (AWS takes an integer here; drop the decimal point)"
    if error["type"] in _NUMBER_ERRORS and isinstance(value, str):
        return fix + ", unquoted"
    if error["type"] in _RANGE_ERRORS:
        _, field = _field_at(model, error["loc"])
        if field is not None and field.description:
            return f"{fix} ({field.description})"
    return fix


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
    fix = _fix(model, error)
    if fix:
        return f"{where} = {_shown(value)}: {message[:1].lower()}{message[1:]}; {fix}"
    if isinstance(value, (dict, list)):
        # Model-level checks name the offending field and value in their own message.
        return f"{where}: {message}" if loc else message
    return f"{where} = {_shown(value)}: {message}"


def from_validation_error(source: str, model: type[BaseModel], error: ValidationError) -> ConfigError:
    return ConfigError(source, [_describe(model, e) for e in error.errors(include_url=False)])
