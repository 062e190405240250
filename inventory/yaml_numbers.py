"""Numbers in YAML: plain decimal integers and decimal floats only.

PyYAML implements YAML 1.1, which silently reads `0620` as the octal number 400, `6:40` and `1:30` as
base-60 numbers (400, 90), `0x1F`, `0b101`, `1_000` and `+5` as integers, and `.5` or `1.` as floats, while
`1e300` (no dot) stays text. An inventory value written one way and planned as another is worse than a
refusal, so every number node must be written as a plain decimal (`620`, `-3`, `0.5`, `1.5e3`); anything
else is refused naming the line, the text, what YAML 1.1 would make of it, and the fix. `1e300` is read as
the number it looks like (YAML 1.2), so the field's own range check reports it.
"""

from __future__ import annotations

import re
import sys

import yaml

INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"
STR_TAG = "tag:yaml.org,2002:str"

_DECIMAL_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_DECIMAL_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_EXPONENT_ONLY = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?[eE][-+]?[0-9]+")
_OCTAL_12 = re.compile(r"[-+]?0[oO][0-7]+")  # YAML 1.2 octal, text in YAML 1.1: refused, never "400" or "0o620"
_SPECIAL_FLOAT = re.compile(r"[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")
# Python refuses to turn longer digit strings into an int (CVE-2020-10735); 0 means no limit.
_MAX_DIGITS = getattr(sys, "get_int_max_str_digits", lambda: 4300)() or 4300
_KINDS_1_2 = {"0o": "an octal number in YAML 1.2 and text in YAML 1.1"}
_SHOWN = 40  # characters of a refused value shown in the message


class NumberProblem(ValueError):
    """A number node that is not a plain decimal (the message names the text, the reading and the fix)."""


def check_number(loader: yaml.BaseLoader, node: yaml.ScalarNode) -> None:
    """Refuse an int/float node that is not plain decimal; retag plain `1e300`-style text as a float."""
    text = node.value
    if node.tag == INT_TAG:
        _check_int(loader, node, text)
    elif node.tag == FLOAT_TAG:
        _check_float(loader, node, text)
    elif node.tag == STR_TAG and not node.style and _EXPONENT_ONLY.fullmatch(text):
        # Plain (style None, or "" from libyaml). YAML 1.1 wants a dot and a signed exponent; YAML 1.2 does not.
        node.tag = FLOAT_TAG
        _check_float(loader, node, text)
    elif node.tag == STR_TAG and not node.style and _OCTAL_12.fullmatch(text):
        digits = text.lstrip("+-")[2:]
        _refuse(text, "0o", None, [digits.lstrip("0") or "0", str(int(digits, 8))])


def _check_int(loader: yaml.BaseLoader, node: yaml.ScalarNode, text: str) -> None:
    if _DECIMAL_INT.fullmatch(text):
        digits = len(text.lstrip("-"))
        if digits > _MAX_DIGITS:
            raise NumberProblem(
                f"an integer of {digits:,} digits is far outside the range of every field and too long to read; "
                "fix: use a value within the field's range (README, Validation)"
            )
        return
    kind = _int_kind(text)
    value = _reading(loader, node)
    choices = [str(value)] if value is not None else []
    if kind == "octal" and text.lstrip("0").isdigit():
        choices.insert(0, text.lstrip("0"))  # the decimal number the writer probably meant
    _refuse(text, kind, value, choices)


def _check_float(loader: yaml.BaseLoader, node: yaml.ScalarNode, text: str) -> None:
    if _SPECIAL_FLOAT.fullmatch(text):
        return  # .inf/.nan: the models refuse them with the field's name
    if _DECIMAL_FLOAT.fullmatch(text):
        try:
            value = float(text)
        except (ValueError, OverflowError):  # pragma: no cover - every match of the pattern converts
            value = float("nan")
        if value in (float("inf"), float("-inf")):
            raise NumberProblem(
                f"{_shown(text)} is out of range (beyond ±1.8e308, the largest double); "
                "fix: use a value within the field's range (README, Validation)"
            )
        return
    value = _reading(loader, node)
    choices = [repr(value)] if isinstance(value, float) else []
    if isinstance(value, float) and value.is_integer():
        choices.insert(0, str(int(value)))
    _refuse(text, _float_kind(text), value, choices)


def _int_kind(text: str) -> str:
    body = text.lstrip("+-")
    if ":" in body:
        return "base-60 (sexagesimal)"
    if body[:2] in ("0x", "0X"):
        return "hexadecimal"
    if body[:2] in ("0b", "0B"):
        return "binary"
    if body[:2] in ("0o", "0O") or (len(body) > 1 and body.startswith("0")):
        return "octal"
    if "_" in body:
        return "digit-grouped (_)"
    if text.startswith("+"):
        return "signed (+)"
    return "non-decimal"


def _float_kind(text: str) -> str:
    if ":" in text:
        return "base-60 (sexagesimal)"
    if "_" in text:
        return "digit-grouped (_)"
    if text.startswith("+"):
        return "signed (+)"
    return "abbreviated (a dot without digits on one side)"


def _reading(loader: yaml.BaseLoader, node: yaml.ScalarNode) -> int | float | None:
    """What YAML 1.1 makes of the text, when it is short enough to convert cheaply."""
    if len(node.value) > _SHOWN:
        return None
    try:
        return loader.construct_object(node)
    except (ValueError, OverflowError, yaml.YAMLError):
        return None


def _refuse(text: str, kind: str, value: int | float | None, choices: list[str]) -> None:
    reading = f" (read as {value!r})" if value is not None else ""
    written = " or ".join(dict.fromkeys(choices))  # unique, in order
    fix = f"write {written} as a plain decimal number" if written else "write it as a plain decimal number"
    raise NumberProblem(
        f"{_shown(text)} is {_KINDS_1_2.get(kind, f'a YAML 1.1 {kind} number')}{reading}, not a plain decimal one; "
        f"fix: {fix}, "
        "or quote it if it is text"
    )


def _shown(text: str) -> str:
    return repr(text) if len(text) <= _SHOWN else f"{text[:_SHOWN]!r}... ({len(text):,} characters)"
