"""Property: whatever a careless or hostile user does to the inventory, the outcome is a valid Organisation or
one clean ConfigError naming the field (or, for broken YAML, the line). Never a traceback, a hang, or a silent
accept of a wrong type.

The mutations (types, ranges, unicode, nesting, deletions, duplicates, typos, raw text edits) are applied to
the example inventory, serialised to YAML and read through the same reader and models as `obsctl plan`.
A few fixed mutations are also planned end to end (`test_mutations_planned_end_to_end`).

Counts of the last run are kept in COUNTS; `python -m tests.inventory.test_fuzz [N]` runs N examples of
each property outside pytest and prints them.
"""

from __future__ import annotations

import copy
import json
import math
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from inventory.errors import ConfigError
from inventory.load import parse_organisation
from inventory.models import Organisation
from tests.conftest import EXAMPLE_ORG, org_data

COUNTS: Counter[str] = Counter()
EXAMPLE_TEXT = yaml.safe_dump(EXAMPLE_ORG, sort_keys=False)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


PATHS = _paths(EXAMPLE_ORG)


def _get(node: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        node = node[part]
    return node


CONTAINERS = [(), *(p for p in PATHS if isinstance(_get(EXAMPLE_ORG, p), (dict, list)))]
MAPPINGS = [p for p in CONTAINERS if isinstance(_get(EXAMPLE_ORG, p), dict)]
LISTS = [p for p in CONTAINERS if isinstance(_get(EXAMPLE_ORG, p), list)]

_awkward_text = st.sampled_from(
    [
        "",
        " ",
        "true",
        "1",
        "1e3",
        ".inf",
        "x" * 300,
        "us-east-1\n",
        "222222222222\n",
        " 111111111111",
        "\u200b",
        "\u0661\u0662",
        "payments-prod",
        "anthropic.claude-3-5-sonnet-20240620-v1-0",
        "anthropic." + "x" * 240 + "-v1:0",
        f"anthropic.{'x' * 63}.{'y' * 63}.{'z' * 60}-v1:{'0' * 40}",
        "a/b",
        "arn:aws:iam::111111111111:role/x",
        "REPLACE_ME",
        "<script>",
        "\ud7ff\ue000\U0010fffd",
    ]
)
_scalars = st.one_of(
    st.booleans(),
    st.none(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0, -1, 1, 29, 30, 60, 61, 365, 3653, 2**31 - 1, 2**31, 10**12]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Nd", "Mn"]), min_size=1, max_size=4),
    _awkward_text,
)
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)


@st.composite
def mutations(draw: st.DrawFn) -> tuple[dict[str, Any], str, str]:
    """(mutated org, kind of mutation, the field name a refusal must mention)."""
    org = org_data()
    kind = draw(
        st.sampled_from(["replace", "replace", "replace", "delete", "duplicate", "unknown_key", "typo", "wrap"])
    )
    if kind in ("replace", "delete", "wrap"):
        path = draw(st.sampled_from(PATHS))
        parent, last = _get(org, path[:-1]), path[-1]
        if kind == "replace":
            parent[last] = draw(_values)
        elif kind == "wrap":
            parent[last] = draw(st.sampled_from([[parent[last]], {"value": parent[last]}]))
        else:
            del parent[last]
        return org, kind, _field_token(path)
    if kind == "duplicate":
        path = draw(st.sampled_from(LISTS))
        items = _get(org, path)
        if items:
            items.append(copy.deepcopy(draw(st.sampled_from(items))))
        return org, kind, _field_token(path)
    path = draw(st.sampled_from(MAPPINGS))
    mapping = _get(org, path)
    if kind == "typo" and mapping:
        key = draw(st.sampled_from(sorted(mapping, key=str)))
        new = str(key)[:-1] if len(str(key)) > 1 else f"{key}x"
        mapping[new] = mapping.pop(key)
        return org, kind, new
    new = draw(st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12))
    if new in mapping:
        return org, "noop", ""
    mapping[new] = draw(_values)
    return org, "unknown_key", new


def _field_token(path: tuple[Any, ...]) -> str:
    """The last key of `path` (a list element is named through its list's key)."""
    return next((str(part) for part in reversed(path) if isinstance(part, str)), "")


def classify(org: dict[str, Any], token: str) -> str:
    """Plan-equivalent check of one mutated inventory; an AssertionError for any outcome not allowed."""
    text = yaml.safe_dump(org, sort_keys=False, allow_unicode=False)
    try:
        result = parse_organisation(text, "stacks/org.yaml")
    except ConfigError as error:
        message = str(error)
        assert message.startswith("Invalid configuration in stacks/org.yaml:"), message
        assert "Traceback" not in message and error.problems, message
        if token and token not in message:
            raise AssertionError(f"refusal does not name {token!r}:\n{message}") from None
        return "refused, field named"
    assert isinstance(result, Organisation)
    _assert_no_silent_coercion(result)
    return "accepted, valid"


def _assert_no_silent_coercion(org: Organisation) -> None:
    """An accepted inventory holds no bool where a number belongs and no inf/nan anywhere."""
    dumped = org.model_dump()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, (list, tuple)):
            for value in node:
                walk(value)
        elif isinstance(node, float):
            assert math.isfinite(node), dumped

    walk(dumped)
    json.dumps(dumped)  # plain JSON: what a plan can carry


@settings(max_examples=200)
@given(mutations())
def test_mutated_inventory_is_valid_or_refused_naming_the_field(mutation: tuple[dict[str, Any], str, str]) -> None:
    org, kind, token = mutation
    outcome = classify(org, token)
    COUNTS["tried"] += 1
    COUNTS[outcome] += 1
    COUNTS[f"  {kind}: {outcome}"] += 1


# --- raw text: what a YAML serialiser never produces ----------------------------------------------------
_LINES = EXAMPLE_TEXT.splitlines(keepends=True)


@st.composite
def text_mutations(draw: st.DrawFn) -> str:
    lines = list(_LINES)
    index = draw(st.integers(min_value=0, max_value=len(lines) - 1))
    kind = draw(st.sampled_from(["duplicate_line", "delete_line", "insert", "truncate", "nest", "alias", "indent"]))
    if kind == "duplicate_line":
        lines.insert(index, lines[index])
    elif kind == "delete_line":
        del lines[index]
    elif kind == "insert":
        line = lines[index]
        at = draw(st.integers(min_value=0, max_value=len(line)))
        junk = draw(st.sampled_from(["\t", "\x00", "\x1b", "\ufeff", "&a ", "*a", ": ", "- ", "{", "]", "!!binary "]))
        lines[index] = line[:at] + junk + line[at:]
    elif kind == "truncate":
        return "".join(lines)[: draw(st.integers(min_value=0, max_value=len(EXAMPLE_TEXT)))]
    elif kind == "nest":
        depth = draw(st.integers(min_value=10, max_value=5000))
        indent = len(lines[index]) - len(lines[index].lstrip(" "))
        lines.insert(index, " " * indent + "deep: " + "[" * depth + "]" * depth + "\n")
    elif kind == "alias":
        levels = draw(st.integers(min_value=1, max_value=12))
        bomb = ["x0: &x0 [a, a, a, a, a, a, a, a]\n"]
        bomb += [f"x{i}: &x{i} [{', '.join([f'*x{i - 1}'] * 8)}]\n" for i in range(1, levels + 1)]
        return "".join(bomb) + "".join(lines)
    else:
        lines[index] = "  " + lines[index]
    return "".join(lines)


@settings(max_examples=100)
@given(text_mutations())
def test_edited_yaml_text_is_valid_or_refused_naming_a_line_or_field(text: str) -> None:
    try:
        org = parse_organisation(text, "stacks/org.yaml")
    except ConfigError as error:
        message = str(error)
        assert "Traceback" not in message and error.problems, message
        # Either the YAML line, or a field path (x.y / x[0]), or the top-level shape.
        named = re.search(r"line [0-9]+|[a-z_]+(\.|\[[0-9]+\]|: |\s=)|expected a mapping", message)
        assert named, message
        COUNTS["text tried"] += 1
        COUNTS["text refused, line or field named"] += 1
        return
    assert isinstance(org, Organisation)
    _assert_no_silent_coercion(org)
    COUNTS["text tried"] += 1
    COUNTS["text accepted, valid"] += 1


# --- a few mutations planned end to end -----------------------------------------------------------------
def _mutated(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    org = org_data()
    _get(org, path[:-1])[path[-1]] = value
    return org


def _extremes() -> dict[str, Any]:
    """Every bounded value at its limit (and the longest model id that fits): valid, so it must plan."""
    org = org_data()
    monitoring = org["defaults"]["monitoring"]
    for tier, evaluation in (("warning", (60, 1440, 1440)), ("critical", (86_400, 1, 1))):
        monitoring["alarms"][tier] = {
            "latency_p95_ms": 3_600_000,
            "error_rate_pct": 100,
            "throttles_per_minute": 2.0**360,
            "tokens_per_minute": 2.0**360,
            "evaluation": dict(
                zip(("period_seconds", "evaluation_periods", "datapoints_to_alarm"), evaluation, strict=True)
            ),
        }
    monitoring["alarms"]["error_rate_min_invocations"] = 2**31 - 1
    monitoring["budget"] = {"monthly_limit_usd": 1e12, "actual_thresholds_pct": [0.001, 1000, *range(1, 8)]}
    monitoring["security"] = {"access_denied_threshold": 2**31 - 1, "metric_namespace": "A" * 255}
    monitoring["dashboards"] = {"models_per_operations_dashboard": 1, "top_identities": 100, "recent_failures": 1000}
    days = ("infrequent_access", "glacier_instant_retrieval", "deep_archive", "expire")
    org["defaults"]["invocation_logging"]["bucket_lifecycle"] = {
        # expiry at the policy pack's default maximum (maxExpirationDays), the tiers just before it
        **{f"{tier}_after_days": 3653 - 3 + index for index, tier in enumerate(days)},
        "noncurrent_version_expire_after_days": 2**31 - 1,
        "abort_incomplete_upload_after_days": 7,
    }
    org["monitoring_account"]["settings"]["alarms"]["region_throttles"] = 2**31 - 1
    org["monitoring_account"]["settings"]["dashboard_name_prefix"] = "p" * 200
    # A one-day critical window leaves no room for an escalation delay: refused while escalation is on.
    org["workload_accounts"][0]["settings"]["monitoring"]["escalation"] = {"enabled": False}
    research = org["workload_accounts"][1]
    research["name"] = "research-and-development-sandbox"  # 32 characters, the longest account name
    research["models"].append(f"anthropic.{'x' * 63}.{'y' * 63}.{'z' * 33}")  # alarm names of exactly 255
    haiku = research["models"][0]
    research["settings"]["monitoring"] |= {
        "quotas": {
            "warning": {"percent": 99.999},
            "critical": {"percent": 100},
            "models": {haiku: {"tokens_per_minute": {"us-west-2": 10**10}, "output_burndown_rate": 100}},
        },
        "otps": {"models": {haiku: {"warning_below": 100_000, "critical_below": 0.001, "traffic": "any"}}},
        "guardrails": [{"id": "g" * 64, "version": 99_999_999, "region": "us-west-2", "name": "n" * 100}],
    }
    return org


END_TO_END: dict[str, tuple[str, dict[str, Any] | str, str | None]] = {
    # stack: (account, inventory (mapping, or raw YAML text), field a refusal names; None: must plan)
    "e2e-bool": (
        "payments-prod",
        _mutated(("defaults", "invocation_logging", "log_retention_days"), True),
        "log_retention_days",
    ),
    "e2e-long-model": (
        "payments-prod",
        _mutated(("workload_accounts", 0, "models", 2), f"amazon.{'t' * 63}.{'u' * 63}.{'v' * 60}-v2:{'0' * 40}"),
        "models[2]",
    ),
    "e2e-stack-slash": (
        "payments-prod",
        _mutated(("monitoring_account", "stack"), "acme/monitoring"),
        "monitoring_account.stack",
    ),
    "e2e-dup-key": ("monitoring", EXAMPLE_TEXT + "workload_accounts: []\n", "duplicate key 'workload_accounts'"),
    "e2e-valid-extremes": ("research-and-development-sandbox", _extremes(), None),
}


def test_mutations_planned_end_to_end(tmp_path: Path) -> None:
    from obsctl.plan.batch import plan_many

    configs = {}
    for stack, (account, inventory, _) in END_TO_END.items():
        path = tmp_path / f"{stack}.yaml"
        path.write_text(inventory if isinstance(inventory, str) else yaml.safe_dump(inventory))
        configs[stack] = {"bedrock-observability:account": account, "bedrock-observability:inventory": str(path)}
    outcomes = {o.stack: o for o in plan_many(list(END_TO_END), tmp_path / "plans", configs=configs)}
    for stack, (_, _, field) in END_TO_END.items():
        outcome = outcomes[stack]
        if field is None:
            assert outcome.error is None and outcome.resource_count > 0, (stack, outcome.error)
            plan = outcome.path.read_text()
            assert "Infinity" not in plan and "NaN" not in plan
        else:
            assert outcome.error is not None, stack
            assert outcome.error.startswith("Invalid configuration in "), (stack, outcome.error)
            assert field in outcome.error and "Traceback" not in outcome.error, (stack, outcome.error)


if __name__ == "__main__":  # fuzz counts outside pytest: python -m tests.inventory.test_fuzz 2000
    examples = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    for test, strategy in (
        (test_mutated_inventory_is_valid_or_refused_naming_the_field, mutations()),
        (test_edited_yaml_text_is_valid_or_refused_naming_a_line_or_field, text_mutations()),
    ):
        inner = test.hypothesis.inner_test  # the undecorated property, run with a larger budget
        settings(max_examples=examples, database=None)(given(strategy)(inner))()
    for key, value in sorted(COUNTS.items()):
        print(f"{key}: {value}")
