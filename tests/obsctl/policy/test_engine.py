"""The offline engine: whole plans, values unknown at preview, secrets, replacements, config handling, the
CLI body's exit codes and report."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from obsctl.policy import UNKNOWN, PolicyInputError, check_plans, parse_policy_config, run_policy_check
from tests.policy_fixtures.build import HERE, drop, load, plan, state

EXAMPLE_CONFIG = HERE.parents[1] / "policies" / "policy-config.example.json"


def test_broken_fixture_fails_with_the_expected_rules() -> None:
    result = check_plans([("broken", load("broken_workload.json"))])
    assert {f.policy for f in result.findings} == {
        "log-group-retention",
        "log-group-kms",
        "kms-key-rotation",
        "data-resources-protected",
        "data-resources-retained",
        "s3-bucket-sse-kms",
        "s3-server-access-logging",
        "s3-public-access-block",
        "log-bucket-no-force-destroy",
        "cloudtrail-bucket-retention",
        "cloudtrail-cloudwatch-logs",
        "sns-topic-kms",
        "cloudtrail-log-file-validation",
        "service-role-source-condition",
        "log-bucket-companions",
        "log-group-deletion-protection",
        "s3-deny-non-kms-uploads",
        "regional-observability-complete",
    }
    assert {f.level for f in result.findings} == {"mandatory"}
    assert result.exit_code == 1


def test_example_org_plans_pass_every_rule(example_plans: dict[str, dict[str, Any]]) -> None:
    result = check_plans(sorted(example_plans.items()))
    assert [(f.plan, f.policy, f.urn, f.message) for f in result.findings] == []


def test_example_org_plans_pass_with_the_example_config(example_plans: dict[str, dict[str, Any]]) -> None:
    """The example config turns on the region allow-list (the example org's regions): it runs, and passes."""
    config = parse_policy_config(json.loads(EXAMPLE_CONFIG.read_text()), "example")
    result = check_plans(sorted(example_plans.items()), config)
    assert [(f.plan, f.policy, f.message) for f in result.findings] == []
    assert not [n for p in result.plans for n in p.not_applicable if n.policy == "allowed-regions"]


# --- values unknown at preview, secrets, replacements ------------------------------------------------------


def test_unknown_value_is_an_advisory_cannot_run_as_under_the_cli() -> None:
    group = state(
        "aws:cloudwatch/logGroup:LogGroup",
        "g",
        {"retentionInDays": UNKNOWN, "kmsKeyId": "k", "deletionProtectionEnabled": True},
        protect=True,
    )
    result = check_plans([("p", plan(group))])
    [finding] = [f for f in result.findings if f.policy == "log-group-retention"]
    assert finding.level == "advisory" and finding.unknown_at_preview
    assert "can't be known during preview" in finding.message and finding.urn == group["urn"]
    assert result.exit_code == 1  # data-resources-retained: the fixture state is not retained
    assert {f.policy for f in result.mandatory} == {"data-resources-retained"}


def test_presence_rules_still_run_when_the_reference_is_unknown() -> None:
    """`kms_key_id=key.arn` is unknown at a real preview, but it is set: the rule passes instead of being
    skipped, while a missing key is still reported."""
    guarded = {"retentionInDays": 90, "deletionProtectionEnabled": True}
    referenced = state("aws:cloudwatch/logGroup:LogGroup", "g", {**guarded, "kmsKeyId": UNKNOWN}, protect=True)
    assert not [f for f in check_plans([("p", plan(referenced))]).findings if f.policy == "log-group-kms"]
    missing = state("aws:cloudwatch/logGroup:LogGroup", "g", guarded, protect=True)
    assert [f.policy for f in check_plans([("p", plan(missing))]).findings if f.policy.startswith("log-group")] == [
        "log-group-kms"
    ]


def test_secret_inputs_are_read_like_the_engine_does() -> None:
    secret = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "plaintext": "30"}
    group = state("aws:cloudwatch/logGroup:LogGroup", "g", {"retentionInDays": secret, "kmsKeyId": "k"}, protect=True)
    assert not [f for f in check_plans([("p", plan(group))]).findings if f.policy == "log-group-retention"]


def test_a_replacement_is_analyzed_once() -> None:
    """`--show-replacement-steps` gives create-replacement and replace steps for the same URN."""
    topic = state("aws:sns/topic:Topic", "t", {})
    document = plan(topic)
    document["steps"][-1]["op"] = "create-replacement"
    document["steps"].append({"op": "replace", "urn": topic["urn"], "newState": copy.deepcopy(topic)})
    document["steps"].append({"op": "delete-replaced", "urn": topic["urn"], "oldState": topic, "newState": None})
    result = check_plans([("p", document)])
    assert [f.policy for f in result.findings] == ["sns-topic-kms"] and result.plans[0].resources == 3


def test_protect_must_be_a_real_boolean() -> None:
    """`protect: "false"` is a string: refused, never read as protected."""
    key = state("aws:kms/key:Key", "k", {"enableKeyRotation": True}, protect=True)
    key["protect"] = "false"
    with pytest.raises(PolicyInputError, match=r"steps\[2\]\.newState\.protect: 'false' is not of type 'boolean'"):
        check_plans([("p", plan(key))])


# --- config ------------------------------------------------------------------------------------------------


def test_enforcement_level_can_be_lowered_but_not_everything_disabled() -> None:
    document = load("broken_workload.json")
    advisory = check_plans([("p", document)], parse_policy_config({"all": "advisory"}, "cfg"))
    assert advisory.findings and {f.level for f in advisory.findings} == {"advisory"}
    assert advisory.exit_code == 0
    # A config under which any plan passes is refused, not reported as "0 of N rules enabled" and exit 0.
    with pytest.raises(PolicyInputError, match="every rule is disabled"):
        check_plans([("p", document)], parse_policy_config({"all": "disabled"}, "cfg"))
    one = check_plans([("p", document)], parse_policy_config({"all": "disabled", "sns-topic-kms": "mandatory"}, "cfg"))
    assert {f.policy for f in one.findings} == {"sns-topic-kms"}


def test_per_policy_level_overrides_all() -> None:
    config = parse_policy_config({"all": "advisory", "sns-topic-kms": {"enforcementLevel": "mandatory"}}, "c")
    result = check_plans([("p", load("broken_workload.json"))], config)
    assert {f.policy for f in result.mandatory} == {"sns-topic-kms"}


def test_plan_rules_follow_the_config_like_pack_rules() -> None:
    document = load("broken_workload.json")
    config = parse_policy_config({"data-resources-retained": "advisory"}, "c")
    retained = [f for f in check_plans([("p", document)], config).findings if f.policy == "data-resources-retained"]
    assert retained and {f.level for f in retained} == {"advisory"}
    narrowed = parse_policy_config({"data-resources-retained": {"resourceTypes": ["aws:kms/key:Key"]}}, "c")
    retained = [f for f in check_plans([("p", document)], narrowed).findings if f.policy == "data-resources-retained"]
    assert [f.urn.rsplit("::", 1)[-1] for f in retained] == ["logs-key"]


def test_schema_defaults_reach_the_policies() -> None:
    result = check_plans([("p", plan())])
    assert result.config["log-group-retention"]["properties"] == {"minRetentionDays": 30, "maxRetentionDays": 3653}
    assert result.config["s3-bucket-sse-kms"]["enforcementLevel"] == "mandatory"


@pytest.mark.parametrize(
    ("config", "fragment"),
    [
        ({"log-group-retention": {"minRetentionDays": "long"}}, "is not of type 'integer'"),
        ({"log-group-retention": {"minRetentionDays": 0}}, "minimum"),
        ({"s3-bucket-sse-kms": {"allowedAlgorithms": ["AES256"]}}, "AES256"),
        ({"log-group-retention": {"minRetentionDay": 365}}, "unknown key 'minRetentionDay' (did you mean"),
        ({"log-group-retention": {"minRetentionDays": 400, "maxRetentionDays": 365}}, "is above maxRetentionDays"),
        ({"sns-topic-kmss": "advisory"}, "did you mean 'sns-topic-kms'"),
        ({"kms-key-deletion-window": {"minDeletionWindowDays": 31}}, "maximum"),
    ],
)
def test_config_violating_the_schema_is_refused(config: dict, fragment: str) -> None:
    with pytest.raises(PolicyInputError, match=fragment.replace("(", r"\(")):
        check_plans([("p", plan())], parse_policy_config(config, "cfg.json"))


def test_bad_enforcement_level_is_refused() -> None:
    with pytest.raises(PolicyInputError, match="'blocking'"):
        parse_policy_config({"sns-topic-kms": "blocking"}, "cfg.json")


def test_settings_under_all_are_refused_not_dropped_silently() -> None:
    with pytest.raises(PolicyInputError, match="only its enforcementLevel applies"):
        parse_policy_config({"all": {"enforcementLevel": "advisory", "minRetentionDays": 5}}, "cfg.json")


def test_example_config_file_is_valid() -> None:
    console = Console(file=io.StringIO())
    assert run_policy_check([HERE / "good_workload.json"], None, EXAMPLE_CONFIG, console) == 0


# --- CLI body ----------------------------------------------------------------------------------------------


def _run(tmp_path: Path, plans: list[Path], config: Path | None = None) -> tuple[int, str, Path]:
    out = tmp_path / "report" / "policy.json"
    console = Console(record=True, width=300, file=io.StringIO())
    code = run_policy_check(plans, out, config, console)
    return code, console.export_text(), out


def test_cli_passes_good_and_fails_broken_with_json(tmp_path: Path) -> None:
    code, text, out = _run(tmp_path, [HERE / "good_workload.json"])
    assert code == 0 and "PASS" in text
    code, text, out = _run(tmp_path, [HERE / "good_workload.json", HERE / "broken_workload.json"])
    assert code == 1 and "FAIL" in text and "sns-topic-kms" in text and "mandatory" in text
    report = json.loads(out.read_text())
    assert report["summary"]["mandatory"] == len(report["plans"][1]["findings"]) > 0
    assert report["plans"][0]["findings"] == []
    finding = report["plans"][1]["findings"][0]
    assert set(finding) >= {"policy", "urn", "message", "level", "severity"}


def test_unwritable_json_report_is_exit_2(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    console = Console(record=True, width=300, file=io.StringIO())
    assert run_policy_check([HERE / "good_workload.json"], blocker / "r.json", None, console) == 2
    assert "cannot write the JSON report" in console.export_text()


def test_fixture_mutations_do_not_leak() -> None:
    """Guard for the tests above: load() returns a fresh copy each time."""
    first = load("good_workload.json")
    second = copy.deepcopy(first)
    drop(first, "alerts")
    assert load("good_workload.json") == second


def test_under_the_cli_the_rule_itself_reports_an_inverted_range() -> None:
    """The CLI validates config against the JSON schema only; the rule refuses min > max at run time."""
    from obsctl.policy.config import configure, reconcile_config
    from obsctl.policy.engine import analyze_plan, load_pack, make_servicer
    from obsctl.policy.plan import validate_plan
    from obsctl.policy.plan_rules import PLAN_RULES

    pack = load_pack()
    servicer = make_servicer(pack)
    effective = reconcile_config(servicer, None, PLAN_RULES)
    effective["log-group-retention"]["properties"].update(minRetentionDays=400, maxRetentionDays=365)
    configure(servicer, effective, [p.name for p in pack.ALL_POLICIES])
    group = state("aws:cloudwatch/logGroup:LogGroup", "g", {"retentionInDays": 365, "kmsKeyId": "k"}, protect=True)
    report = analyze_plan(servicer, validate_plan(plan(group), "p"), PLAN_RULES, effective)
    [message] = [f.message for f in report.findings if f.policy == "log-group-retention"]
    assert "minRetentionDays=400 above maxRetentionDays=365" in message and "fix:" in message


def test_what_the_pack_protects_the_plan_rule_requires_retained() -> None:
    import sys

    from obsctl.policy.engine import load_pack
    from obsctl.policy.plan_rules import DATA_RESOURCES_RETAINED, NON_EMPTY

    load_pack()
    protection = sys.modules["bedrock_guardrails.protection"]
    retained = DATA_RESOURCES_RETAINED.properties["resourceTypes"]
    assert sorted(retained["default"]) == sorted(protection.PROTECTED_TYPES)
    assert retained[NON_EMPTY] is True
