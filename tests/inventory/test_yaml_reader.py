"""Hostile or broken YAML is refused before it is built in memory: one line naming the file and the line."""

from __future__ import annotations

import resource
import time
from pathlib import Path

import pytest
import yaml

from inventory import yaml_reader
from inventory.errors import ConfigError
from inventory.load import load_organisation
from inventory.yaml_reader import MAX_YAML_ALIASES, MAX_YAML_BYTES, MAX_YAML_DEPTH, parse_yaml, read_yaml
from tests.conftest import EXAMPLE_ORG


def refusal(text: str | bytes) -> str:
    with pytest.raises(ConfigError) as caught:
        parse_yaml(text, "stacks/org.yaml")
    error = caught.value
    assert error.source == "stacks/org.yaml"
    [problem] = error.problems
    assert "\n" not in problem and "Traceback" not in problem
    return problem


def _bomb(levels: int) -> str:
    """The classic alias bomb: each level lists the previous one 9 times (9**levels values)."""
    lines = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, levels + 1):
        lines.append(f"l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * 9)}]")
    return "\n".join(lines) + "\n"


def test_the_example_inventory_reads_the_same_as_pyyaml() -> None:
    assert read_yaml(Path("stacks/org.yaml")) == EXAMPLE_ORG


def test_duplicate_key_names_both_lines() -> None:
    text = "monitoring_account: {}\nworkload_accounts:\n  - a\ndefaults: {}\nworkload_accounts:\n  - b\n"
    problem = refusal(text)
    assert problem.startswith("line 5: duplicate key 'workload_accounts' (first at line 2)")
    assert "fix:" in problem


def test_nested_duplicate_key() -> None:
    assert refusal("a:\n  b: 1\n  c: 2\n  b: 3\n").startswith("line 4: duplicate key 'b' (first at line 2)")


def test_merge_keys_are_not_duplicates() -> None:
    assert parse_yaml("base: &b {x: 1, y: 1}\nc:\n  <<: *b\n  y: 2\n", "f") == {
        "base": {"x": 1, "y": 1},
        "c": {"x": 1, "y": 2},
    }


@pytest.mark.parametrize("text", ["[" * 5000 + "]" * 5000, "{a: " * 5000 + "1" + "}" * 5000, "a:\n" + "- " * 3000])
def test_deep_nesting_is_refused_without_recursion(text: str) -> None:
    assert f"nested deeper than {MAX_YAML_DEPTH} levels" in refusal(text)


def test_nesting_at_the_limit_is_read() -> None:
    text = "[" * MAX_YAML_DEPTH + "1" + "]" * MAX_YAML_DEPTH
    assert parse_yaml(text, "f") is not None


def test_alias_bomb_is_refused_fast_and_small() -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # CPU time of this process, not wall time: other processes loading the machine do not count.
    started = time.process_time()
    problem = refusal(_bomb(9))
    assert "expands to more than" in problem and problem.startswith("line ")
    assert time.process_time() - started < 2  # CPU seconds; 37 s and 3 GB before the event pass
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50 * 1024  # KiB


def test_too_many_aliases_and_recursive_or_undefined_aliases() -> None:
    many = "a: &a 1\nb: [" + ", ".join(["*a"] * (MAX_YAML_ALIASES + 1)) + "]\n"
    assert f"more than {MAX_YAML_ALIASES} aliases" in refusal(many)
    assert "alias *a refers to itself" in refusal("a: &a [1, *a]\n")
    assert "alias *nowhere refers to itself or to nothing" in refusal("a: *nowhere\n")


def test_a_few_aliases_are_fine() -> None:
    assert parse_yaml("a: &x [1, 2]\nb: *x\n", "f") == {"a": [1, 2], "b": [1, 2]}


def test_oversized_file_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    path = tmp_path / "org.yaml"
    path.write_bytes(b"#" * (MAX_YAML_BYTES + 1))
    with pytest.raises(ConfigError, match="is larger than 4 MiB"):
        read_yaml(path)


def test_special_files_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="is not a regular file"):
        read_yaml(tmp_path)
    with pytest.raises(ConfigError, match="file not found"):
        read_yaml(tmp_path / "missing.yaml")
    with pytest.raises(ConfigError, match=r"'org\\x00.yaml':\n  - file not found"):
        read_yaml(Path("org\0.yaml"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (b"a: 1\nb: \xff\n", "line 2: not UTF-8 (byte 0xff)"),
        ("a: 1\nb: x\x07\n", "line 2: character '\\x07' is not allowed in YAML"),
        ("a: [\n", "line 2, column 1: not valid YAML"),
        ("a:\n\tb: 1\n", "line 2, column 1: not valid YAML"),
        ("a: 1\n---\nb: 2\n", "line 2, column 1: not valid YAML: but found another document"),
        ("a: !!python/object/apply:os.system [echo]\n", "line 1, column 4: not valid YAML: could not determine"),
        ("a: " + "9" * 5000 + "\n", "line 1: a: an integer of 5,000 digits is far outside the range of every field"),
    ],
    ids=["not-utf8", "control-char", "syntax", "tab", "two-documents", "python-tag", "huge-int"],
)
def test_broken_files_get_one_line(text: str | bytes, expected: str) -> None:
    assert refusal(text).startswith(expected)


def test_utf8_bom_is_accepted() -> None:
    assert parse_yaml("\ufeffa: 1\n".encode(), "f") == {"a": 1}


def test_pure_python_loader_applies_the_same_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_reader, "_Loader", yaml.SafeLoader)
    assert "nested deeper" in refusal("[" * 3000 + "]" * 3000)
    assert "duplicate key 'a'" in refusal("a: 1\na: 2\n")
    assert "expands to more than" in refusal(_bomb(9))


def test_load_organisation_reports_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "org.yaml"
    text = Path("stacks/org.yaml").read_text()
    path.write_text(text + "workload_accounts: []\n")
    with pytest.raises(ConfigError) as caught:
        load_organisation(path)
    message = str(caught.value)
    assert str(path) in message and "duplicate key 'workload_accounts' (first at line" in message


@pytest.mark.parametrize(("key", "read_as"), [("1", "1"), ("null", "None"), ("on", "True"), ("2024-01-01", "datetime")])
def test_keys_must_be_text(key: str, read_as: str) -> None:
    problem = refusal(f"a: 1\n{key}: x\n")
    assert problem.startswith(f"line 2: key {key!r} is read as {read_as}") and "fix: quote it" in problem


def test_unknown_key_with_invisible_characters_is_shown(tmp_path: Path) -> None:
    path = tmp_path / "org.yaml"
    path.write_text(Path("stacks/org.yaml").read_text() + '"allow_data_deletion\\u200b": true\n')
    with pytest.raises(ConfigError) as caught:
        load_organisation(path)
    assert "- 'allow_data_deletion\\u200b': unknown key" in str(caught.value)
