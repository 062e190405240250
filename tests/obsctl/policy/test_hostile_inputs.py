"""Hostile plan and config files through the real CLI: each is refused with exit 2 and exactly one line
naming the file, the problem and the fix - never a traceback, never a pass."""

from __future__ import annotations

import codecs
import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from obsctl.cli import app
from obsctl.policy import files
from obsctl.policy import plan as plan_module
from tests.policy_fixtures.build import HERE, PROVIDER_URN, load, plan, state

GOOD = HERE / "good_workload.json"
TOPIC = "aws:sns/topic:Topic"


def _base() -> dict[str, Any]:
    return plan(state(TOPIC, "alerts", {"kmsMasterKeyId": "arn:aws:kms:us-east-1:111111111111:key/k"}))


def _edit(change: Callable[[dict[str, Any]], Any]) -> bytes:
    """The base plan with one change applied to it, as JSON bytes."""
    document = _base()
    change(document)
    return json.dumps(document).encode()


def _topic(document: dict[str, Any]) -> dict[str, Any]:
    return document["steps"][-1]["newState"]


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """Set a key of the topic's newState ('inputs.x' for nested keys)."""

    def change(document: dict[str, Any]) -> None:
        target = _topic(document)
        *parents, key = path.split(".")
        for parent in parents:
            target = target[parent]
        target[key] = value

    return change


def _raw(text: str) -> bytes:
    """The base plan's JSON with the topic's inputs replaced by a raw JSON fragment."""
    marker = '"__raw__"'
    document = _base()
    _topic(document)["inputs"] = "__raw__"
    return json.dumps(document).replace(marker, text).encode()


def _duplicate_urn(document: dict[str, Any]) -> None:
    document["steps"].append(copy.deepcopy(document["steps"][-1]))


def _deep(levels: int) -> bytes:
    return _raw("[" * levels + "]" * levels)


SECRET = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270"}

# (case id, file bytes (None: no file), fragment of the one-line error)
PLAN_CASES: list[tuple[str, bytes | None, str]] = [
    ("missing-file", None, "cannot read the plan"),
    ("empty-file", b"", "is empty"),
    ("whitespace-only", b" \n\t ", "is empty"),
    ("not-json", b"{not json", "not valid JSON"),
    ("truncated", json.dumps(_base()).encode()[:-40], "not valid JSON"),
    ("top-level-array", b"[]", "not a plan document"),
    ("top-level-string", b'"plan"', "not a plan document"),
    ("top-level-null", b"null", "not a plan document"),
    ("no-steps", b'{"resources": []}', "'steps' is a required property"),
    ("steps-object", b'{"steps": {}}', "is not of type 'array'"),
    ("steps-empty", b'{"steps": []}', "should be non-empty"),
    ("step-string", b'{"steps": ["create"]}', "steps[0]: 'create' is not of type 'object'"),
    ("step-null", b'{"steps": [null]}', "steps[0]: None is not of type 'object'"),
    ("step-without-op", _edit(lambda d: d["steps"][-1].pop("op")), "'op' is a required property"),
    ("op-number", _edit(lambda d: d["steps"][-1].update(op=3)), "steps[2].op: 3 is not of type 'string'"),
    ("all-states-null", _edit(lambda d: [s.update(newState=None) for s in d["steps"]]), "no step has a newState"),
    ("new-state-list", _edit(lambda d: d["steps"][-1].update(newState=[])), "is not of type 'object', 'null'"),
    ("state-without-urn", _edit(lambda d: _topic(d).pop("urn")), "'urn' is a required property"),
    ("state-without-type", _edit(lambda d: _topic(d).pop("type")), "'type' is a required property"),
    ("type-number", _edit(_set("type", 7)), "newState.type: 7 is not of type 'string'"),
    ("type-list", _edit(_set("type", [TOPIC])), "is not of type 'string'"),
    ("type-not-a-token", _edit(_set("type", "Topic")), "does not match"),
    ("type-not-the-urns", _edit(_set("type", "aws:s3/bucket:Bucket")), "is not the type its URN names"),
    ("urn-number", _edit(_set("urn", 5)), "newState.urn: 5 is not of type 'string'"),
    ("urn-not-pulumi", _edit(_set("urn", "arn:aws:sns:x")), "does not match '^urn:pulumi:'"),
    (
        "urn-too-short",
        _edit(lambda d: d["steps"][-1].pop("urn") and _set("urn", "urn:pulumi:s::p")(d)),
        "not a Pulumi URN",
    ),
    ("step-urn-mismatch", _edit(lambda d: d["steps"][-1].update(urn="urn:pulumi:a::b::c:d:e::f")), "differs from"),
    ("inputs-string", _edit(_set("inputs", "x")), "newState.inputs: 'x' is not of type 'object'"),
    ("outputs-list", _edit(_set("outputs", [])), "newState.outputs: [] is not of type 'object'"),
    ("dependencies-string", _edit(_set("dependencies", "urn:x")), "dependencies: 'urn:x' is not of type 'array'"),
    ("dependencies-number-item", _edit(_set("dependencies", [1])), "dependencies[0]: 1 is not of type 'string'"),
    ("provider-number", _edit(_set("provider", 9)), "newState.provider: 9 is not of type 'string'"),
    (
        "provider-missing",
        _edit(_set("provider", "urn:pulumi:test::p::pulumi:providers:aws::gone::id")),
        "not in the plan",
    ),
    ("parent-number", _edit(_set("parent", 0)), "newState.parent: 0 is not of type 'string'"),
    ("protect-string-false", _edit(_set("protect", "false")), "protect: 'false' is not of type 'boolean'"),
    ("protect-number", _edit(_set("protect", 1)), "protect: 1 is not of type 'boolean'"),
    ("retain-string", _edit(_set("retainOnDelete", "true")), "retainOnDelete: 'true' is not of type 'boolean'"),
    ("property-deps-string", _edit(_set("propertyDependencies", {"x": "urn"})), "propertyDependencies.x: 'urn'"),
    ("aliases-number", _edit(_set("aliases", [3])), "aliases[0]: 3 is not of type"),
    ("stack-tags-number", _edit(lambda d: d.update(stackTags={"team": 1})), "stackTags.team: 1 is not of type"),
    ("stack-tags-list", _edit(lambda d: d.update(stackTags=["a"])), "stackTags: ['a'] is not of type 'object'"),
    ("change-summary-text", _edit(lambda d: d.update(changeSummary={"create": "3"})), "changeSummary.create"),
    ("nan", _raw('{"retentionInDays": NaN}'), "contains NaN"),
    ("infinity", _raw('{"retentionInDays": Infinity}'), "contains Infinity"),
    ("minus-infinity", _raw('{"retentionInDays": -Infinity}'), "contains -Infinity"),
    ("float-overflow", _raw('{"retentionInDays": 1e400}'), "too large for a double"),
    ("huge-integer", _raw('{"retentionInDays": 123456789012345678901234567890}'), "larger than 2^53"),
    ("5000-digit-integer", _raw('{"retentionInDays": ' + "9" * 5000 + "}"), "larger than 2^53"),
    ("nested-100", _deep(100), "more than 64 levels deep"),
    ("nested-100000", _deep(100_000), "nested too deeply"),
    ("duplicate-key", _raw('{"kmsMasterKeyId": "a", "kmsMasterKeyId": "b"}'), "repeats the key 'kmsMasterKeyId'"),
    ("lone-surrogate", _raw('{"displayName": "\\ud800"}'), "lone surrogate"),
    ("surrogate-key", _raw('{"\\udfff": 1}'), "lone surrogate"),
    ("duplicate-urn", _edit(_duplicate_urn), "repeats the URN"),
    ("delete-with-state", _edit(lambda d: d["steps"][-1].update(op="delete")), "is a 'delete' step but has a newState"),
    ("secret-bad-plaintext", _edit(_set("inputs.name", {**SECRET, "plaintext": "{oops"})), "not valid JSON"),
    ("secret-plaintext-number", _edit(_set("inputs.name", {**SECRET, "plaintext": 5})), "must be JSON text"),
    ("newline-in-key", _raw('{"a\\nb": ' + "[" * 70 + "]" * 70 + "}"), "inputs.a\\nb[0]"),
    ("utf16", codecs.BOM_UTF16_LE + json.dumps(_base()).encode("utf-16-le"), "is UTF-16-encoded"),
    ("latin-1", json.dumps({"steps": [], "x": "caf\u00e9"}, ensure_ascii=False).encode("latin-1"), "not UTF-8"),
    ("binary", bytes(range(256)), "not UTF-8"),
]

CONFIG_CASES: list[tuple[str, bytes | None, str]] = [
    ("missing-config", None, "cannot read the policy config"),
    ("not-utf8", b'{"log-group-retention": {"description": "\xff"}}', "not UTF-8"),
    ("not-json", b"{", "not valid JSON"),
    ("array", b"[]", "must be a JSON object"),
    ("unknown-rule", b'{"sns-topic-kmss": "advisory"}', "did you mean 'sns-topic-kms'"),
    ("unknown-key", b'{"log-group-retention": {"minRetentionDay": 365}}', "unknown key 'minRetentionDay'"),
    ("min-above-max", b'{"log-group-retention": {"minRetentionDays": 400, "maxRetentionDays": 365}}', "is above"),
    (
        "lifecycle-min-above-max",
        b'{"log-bucket-lifecycle": {"minExpirationDays": 90, "maxExpirationDays": 30}}',
        "above",
    ),
    ("wrong-type", b'{"log-group-retention": {"minRetentionDays": "long"}}', "is not of type 'integer'"),
    ("below-minimum", b'{"kms-key-deletion-window": {"minDeletionWindowDays": 1}}', "is less than the minimum"),
    ("bad-level", b'{"sns-topic-kms": "blocking"}', "'blocking'"),
    ("level-number", b'{"sns-topic-kms": {"enforcementLevel": 1}}', "has enforcement level 1"),
    ("rule-null", b'{"sns-topic-kms": null}', "neither an enforcement level nor an object"),
    ("nan", b'{"log-group-retention": {"minRetentionDays": NaN}}', "contains NaN"),
    ("duplicate-key", b'{"sns-topic-kms": "advisory", "sns-topic-kms": "disabled"}', "repeats the key"),
    ("settings-under-all", b'{"all": {"minRetentionDays": 5}}', "only its enforcementLevel applies"),
    ("bad-region", b'{"allowed-regions": {"allowedRegions": ["us-east-9x"]}}', "does not match"),
    ("bad-bucket-role", b'{"log-bucket-companions": {"exemptCompanionsByRole": {"other": []}}}', "is not one of"),
    ("oversize", b'{"x": "' + b"a" * (1024 * 1024) + b'"}', "larger than 1 MiB"),
    ("all-disabled", b'{"all": "disabled"}', "every rule is disabled (0 of"),
    (
        "every-rule-disabled-one-by-one",
        b'{"all": "disabled", "sns-topic-kms": "disabled"}',
        "so any plan would pass",
    ),
    ("protected-types-empty", b'{"data-resources-protected": {"resourceTypes": []}}', "resourceTypes is []"),
    ("retained-types-empty", b'{"data-resources-retained": {"resourceTypes": []}}', "resourceTypes is []"),
    ("companions-empty", b'{"log-bucket-companions": {"requiredCompanions": []}}', "requiredCompanions is []"),
    ("kinds-empty", b'{"regional-observability-complete": {"requiredKinds": []}}', "requiredKinds is []"),
]


def _invoke(args: list[str]) -> Any:
    return CliRunner().invoke(app, ["policy-check", *args])


def _assert_one_line_refusal(result: Any, path: Path, fragment: str) -> None:
    output = result.output
    assert result.exit_code == 2, output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in output and len(output.strip().splitlines()) == 1, output
    assert str(path) in output and "fix:" in output, output
    assert fragment in output, output
    assert result.stdout == ""  # errors go to stderr; stdout stays clean for pipes


@pytest.mark.parametrize(("content", "fragment"), [c[1:] for c in PLAN_CASES], ids=[c[0] for c in PLAN_CASES])
def test_hostile_plan_is_refused_in_one_line(tmp_path: Path, content: bytes | None, fragment: str) -> None:
    path = tmp_path / "plan.json"
    if content is not None:
        path.write_bytes(content)
    _assert_one_line_refusal(_invoke([str(path)]), path, fragment)


@pytest.mark.parametrize(("content", "fragment"), [c[1:] for c in CONFIG_CASES], ids=[c[0] for c in CONFIG_CASES])
def test_hostile_config_is_refused_in_one_line(tmp_path: Path, content: bytes | None, fragment: str) -> None:
    path = tmp_path / "config.json"
    if content is not None:
        path.write_bytes(content)
    _assert_one_line_refusal(_invoke([str(GOOD), "--config", str(path)]), path, fragment)


def test_a_directory_is_refused(tmp_path: Path) -> None:
    _assert_one_line_refusal(_invoke([str(tmp_path)]), tmp_path, "cannot read the plan")


def test_a_50_mb_plan_is_refused_before_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:  # sparse: 50 MB on paper, nothing on disk
        handle.truncate(50 * 1024 * 1024)

    def never(*_: Any, **__: Any) -> None:
        raise AssertionError("the oversized plan was opened")

    monkeypatch.setattr(Path, "open", never)
    _assert_one_line_refusal(_invoke([str(path)]), path, "larger than 32 MiB")


def test_the_size_limit_is_an_option(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(load("good_workload.json")) + " " * 2 * 1024 * 1024)
    _assert_one_line_refusal(_invoke([str(path), "--max-file-mb", "1"]), path, "larger than 1 MiB")
    assert _invoke([str(path), "--max-file-mb", "3"]).exit_code == 0


def test_a_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    plan_path = tmp_path / "plan.json"
    plan_path.write_bytes(codecs.BOM_UTF8 + GOOD.read_bytes())
    config = tmp_path / "config.json"
    config.write_bytes(codecs.BOM_UTF8 + b'{"sns-topic-kms": "mandatory"}')
    result = _invoke([str(plan_path), "--config", str(config)])
    assert result.exit_code == 0 and "PASS" in result.output, result.output


def test_every_plan_is_checked_before_any_rule_runs(tmp_path: Path) -> None:
    """A bad second plan stops the run: nothing is reported for the first."""
    bad = tmp_path / "bad.json"
    bad.write_text('{"steps": []}')
    result = _invoke([str(GOOD), str(bad)])
    assert result.exit_code == 2 and "PASS" not in result.output


def test_provider_reference_fix_names_show_sames(tmp_path: Path) -> None:
    document = _base()
    document["steps"] = [s for s in document["steps"] if s["urn"] != PROVIDER_URN]
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(document))
    _assert_one_line_refusal(_invoke([str(path)]), path, "--show-sames")


def _true_count(document: Any) -> int:
    count, pending = 0, [document]
    while pending:
        value = pending.pop()
        count += 1
        if isinstance(value, dict):
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return count


@pytest.mark.parametrize(
    "text",
    [
        "[]",
        "{}",
        "0",
        '{"a": [1, 2, {}], "b": {"c": [[], [[]]]}}',
        '["a,b[", "{\\"x\\": [1, 2]}", "\\\\", "\\\\\\"", ","]',
        json.dumps({"k,[{": ["\\", '"', "]}", {"": [None, True, 1.5]}]}, indent=2),
    ],
)
def test_the_value_count_is_exact(text: str) -> None:
    assert files.count_values(text) == _true_count(json.loads(text))


def test_the_value_count_of_real_plans_is_exact() -> None:
    for path in sorted(HERE.glob("*.json")):
        text = path.read_text(encoding="utf-8")
        assert files.count_values(text) == _true_count(json.loads(text)), path


def test_the_value_limit_is_ten_times_the_largest_plan_and_grows_with_max_file_mb() -> None:
    assert files.MAX_JSON_VALUES >= 10 * files.LARGEST_PLAN_VALUES
    assert files.max_values(32 * files.MIB) == files.max_values(files.MIB) == files.MAX_JSON_VALUES
    assert files.max_values(64 * files.MIB) == 2 * files.MAX_JSON_VALUES


@pytest.mark.parametrize(("item", "count"), [("{}", files.MAX_JSON_VALUES), ("0", files.MAX_JSON_VALUES), ("[]", 10)])
def test_a_plan_of_too_many_values_is_refused_before_it_is_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, item: str, count: int
) -> None:
    """10 million `{}` took 95 s and 9.4 GB to parse: counted from the text, they are refused unbuilt."""
    path = tmp_path / "plan.json"
    path.write_text("[" + ",".join([item] * count) + "]")
    if count < files.MAX_JSON_VALUES:
        monkeypatch.setattr(files, "MAX_JSON_VALUES", count - 1)
        monkeypatch.setattr(plan_module, "max_values", lambda _: count - 1)

    def never(*_: Any, **__: Any) -> None:
        raise AssertionError("the plan was parsed")

    monkeypatch.setattr(files.json, "loads", never)
    result = _invoke([str(path)])
    _assert_one_line_refusal(result, path, f"the plan holds {count + 1:,} JSON values, more than the")
    assert "--max-file-mb" in result.output
