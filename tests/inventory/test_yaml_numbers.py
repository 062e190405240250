"""YAML 1.1 number forms are refused from the raw text, naming the line, the field, the text and the fix.

Hypothesis fuzzing mutates parsed values, so it never writes `0620` or `6:40`: this table is raw text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from inventory.errors import ConfigError
from inventory.load import parse_organisation
from inventory.yaml_reader import parse_yaml

ORG = Path("stacks/org.yaml").read_text(encoding="utf-8")


def refusal(text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        parse_yaml(text, "stacks/org.yaml")
    assert len(caught.value.problems) == 1
    problem = caught.value.problems[0]
    assert "\n" not in problem
    return problem


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "days: 0620",
            "line 1: days: '0620' is a YAML 1.1 octal number (read as 400), not a plain decimal one; "
            "fix: write 620 or 400 as a plain decimal number, or quote it if it is text",
        ),
        ("a:\n  days: 6:40", "line 2: a.days: '6:40' is a YAML 1.1 base-60 (sexagesimal) number (read as 400)"),
        ("after_minutes: [15, 1:30]", "line 1: after_minutes[1]: '1:30' is a YAML 1.1 base-60"),
        ("x: 0x1F", "line 1: x: '0x1F' is a YAML 1.1 hexadecimal number (read as 31)"),
        ("x: 0b101", "line 1: x: '0b101' is a YAML 1.1 binary number (read as 5)"),
        ("x: 0o620", "line 1: x: '0o620' is an octal number in YAML 1.2 and text in YAML 1.1"),
        ("x: 1_000", "line 1: x: '1_000' is a YAML 1.1 digit-grouped (_) number (read as 1000)"),
        ("x: +5", "line 1: x: '+5' is a YAML 1.1 signed (+) number (read as 5)"),
        ("x: .5", "fix: write 0.5 as a plain decimal number"),
        ("x: 1.", "fix: write 1 or 1.0 as a plain decimal number"),
        ("x: 1_000.5", "fix: write 1000.5 as a plain decimal number"),
        ("x: 00", "fix: write 0 as a plain decimal number"),
        ("- [1, 2]\n- {k: 0620}", "line 2: [1].k: '0620'"),
        ("0620: x", "line 1: key '0620' is a YAML 1.1 octal number"),
        ("x: !!int 1e5", "line 1: x: '1e5' is a YAML 1.1 non-decimal number"),
        ("x: 1e400", "line 1: x: '1e400' is out of range (beyond ±1.8e308, the largest double)"),
        ("x: 1" + "0" * 5000, "line 1: x: an integer of 5,001 digits is far outside the range of every field"),
    ],
)
def test_non_decimal_numbers_are_refused_with_line_field_and_fix(text: str, expected: str) -> None:
    problem = refusal(text)
    assert problem.startswith(expected) if expected.startswith("line ") else expected in problem


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("x: 620", 620),
        ("x: -3", -3),
        ("x: 0", 0),
        ("x: 1.5", 1.5),
        ("x: 1.5e+3", 1500.0),
        ("x: 1e300", 1e300),  # YAML 1.1 text; read as the number it looks like, so its range is checked
        ("x: 1.0e5", 100000.0),
        ("x: '0620'", "0620"),
        ('x: "6:40"', "6:40"),
        ("x: v1:0", "v1:0"),
        ("x: '1e300'", "1e300"),
    ],
)
def test_plain_decimals_and_quoted_text_are_read_as_written(text: str, value: object) -> None:
    assert parse_yaml(text, "f") == {"x": value}


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("expire_after_days: 400", "expire_after_days: 0620", "write 620 or 400 as a plain decimal number"),
        ("expire_after_days: 400", "expire_after_days: 6:40", "'6:40' is a YAML 1.1 base-60"),
        ("after_minutes: [15, 30]", "after_minutes: [15, 1:30]", "after_minutes[1]: '1:30'"),
        ("monthly_limit_usd: 1000", "monthly_limit_usd: 1e300", "monthly_limit_usd = 1e+300: input should be less"),
    ],
)
def test_the_example_inventory_refuses_reinterpreted_numbers(old: str, new: str, expected: str) -> None:
    assert old in ORG
    with pytest.raises(ConfigError) as caught:
        parse_organisation(ORG.replace(old, new, 1), "stacks/org.yaml")
    (problem,) = caught.value.problems
    assert expected in problem
    assert "unquoted" not in problem
