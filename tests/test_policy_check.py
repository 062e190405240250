"""The offline engine: whole plans, stack rules, config handling, unknowns, CLI exit codes and report."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from obsctl.policy_check import UNKNOWN, PolicyInputError, check_plans, parse_policy_config, run_policy_check
from tests.policy_fixtures.build import HERE, drop, load, plan, state, step_by_name

STACK_RULES = ("cloudtrail-bucket-retention", "regional-observability-complete", "log-bucket-companions")


def rules_hit(document: dict[str, Any], config: dict | None = None) -> set[str]:
    return {f.policy for f in check_plans([("plan", document)], config).findings}


def test_good_fixture_passes_every_rule() -> None:
    result = check_plans([("good", load("good_workload.json"))])
    assert result.findings == []
    # ... and the stack rules really ran (were not "not applicable").
    assert not {n.policy for n in result.plans[0].not_applicable} & set(STACK_RULES)
    assert result.exit_code == 0


def test_broken_fixture_fails_with_the_expected_rules() -> None:
    result = check_plans([("broken", load("broken_workload.json"))])
    assert {f.policy for f in result.findings} == {
        "log-group-retention",
        "log-group-kms",
        "kms-key-rotation",
        "data-resources-protected",
        "s3-bucket-sse-kms",
        "s3-public-access-block",
        "log-bucket-no-force-destroy",
        "cloudtrail-bucket-retention",
        "sns-topic-kms",
        "cloudtrail-log-file-validation",
        "service-role-source-condition",
        "log-bucket-companions",
        "regional-observability-complete",
    }
    assert {f.level for f in result.findings} == {"mandatory"}
    assert result.exit_code == 1


def test_example_org_plans_pass_every_rule(example_plans: dict[str, dict[str, Any]]) -> None:
    result = check_plans(sorted(example_plans.items()))
    assert [(f.plan, f.policy, f.urn, f.message) for f in result.findings] == []


# --- stack rules -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("missing", "kind"),
    [
        ("invocation-logs-pab", "publicAccessBlock"),
        ("invocation-logs-sse", "serverSideEncryption"),
        ("invocation-logs-lifecycle", "lifecycle"),
        ("invocation-logs-policy", "bucketPolicy"),
        ("invocation-logs-ownership", "ownershipControls"),
    ],
)
def test_bucket_without_a_companion_is_reported(missing: str, kind: str) -> None:
    document = drop(load("good_workload.json"), missing)
    [finding] = [f for f in check_plans([("p", document)]).findings if f.policy == "log-bucket-companions"]
    assert finding.urn.endswith("::invocation-logs") and f"has no {kind}" in finding.message


@pytest.mark.parametrize(("missing", "kind"), [("throttles", "alarm"), ("dashboard", "dashboard"), ("alerts", "topic")])
def test_region_without_monitoring_is_reported(missing: str, kind: str) -> None:
    document = drop(load("good_workload.json"), missing)
    [finding] = [f for f in check_plans([("p", document)]).findings if f.policy == "regional-observability-complete"]
    assert f"no {kind} there" in finding.message and "us-east-1" in finding.message


def test_monitoring_in_another_region_does_not_count() -> None:
    document = load("good_workload.json")
    step_by_name(document, "dashboard")["inputs"]["region"] = "eu-west-1"
    assert "regional-observability-complete" in rules_hit(document)


def test_region_falls_back_to_the_provider_region() -> None:
    document = load("good_workload.json")
    for name in ("invocation-logging", "throttles", "dashboard", "alerts"):
        step_by_name(document, name)["inputs"].pop("region")
    assert rules_hit(document) == set()  # provider is in us-east-1, like everything else
    step_by_name(document, "throttles")["inputs"]["region"] = "eu-west-1"
    assert rules_hit(document) == {"regional-observability-complete"}


def test_short_cloudtrail_bucket_retention_is_reported_and_configurable() -> None:
    document = load("good_workload.json")
    lifecycle = step_by_name(document, "trail-logs-lifecycle")
    lifecycle["inputs"]["rules"][0]["expiration"]["days"] = 200
    assert rules_hit(document) == {"cloudtrail-bucket-retention"}
    relaxed = {"cloudtrail-bucket-retention": {"properties": {"minCloudTrailRetentionDays": 180}}}
    assert rules_hit(document, relaxed) == set()


def test_stack_rules_are_not_applicable_without_their_resources() -> None:
    result = check_plans([("empty", plan())])
    assert result.findings == []
    assert {n.policy for n in result.plans[0].not_applicable} == set(STACK_RULES)


# --- values unknown at preview -----------------------------------------------------------------------------


def test_unknown_value_is_an_advisory_cannot_run_as_under_the_cli() -> None:
    group = state("aws:cloudwatch/logGroup:LogGroup", "g", {"retentionInDays": UNKNOWN, "kmsKeyId": "k"}, protect=True)
    result = check_plans([("p", plan(group))])
    [finding] = [f for f in result.findings if f.policy == "log-group-retention"]
    assert finding.level == "advisory" and finding.unknown_at_preview
    assert "can't be known during preview" in finding.message and finding.urn == group["urn"]
    assert result.exit_code == 0


def test_presence_rules_still_run_when_the_reference_is_unknown() -> None:
    """`kms_key_id=key.arn` is unknown at a real preview, but it is set: the rule passes instead of being
    skipped, while a missing key is still reported."""
    referenced = state(
        "aws:cloudwatch/logGroup:LogGroup", "g", {"retentionInDays": 90, "kmsKeyId": UNKNOWN}, protect=True
    )
    assert check_plans([("p", plan(referenced))]).findings == []
    missing = state("aws:cloudwatch/logGroup:LogGroup", "g", {"retentionInDays": 90}, protect=True)
    assert [f.policy for f in check_plans([("p", plan(missing))]).findings] == ["log-group-kms"]


def test_unknown_bucket_names_are_linked_by_property_dependencies() -> None:
    document = load("good_workload.json")
    bucket = step_by_name(document, "invocation-logs")
    bucket["inputs"].pop("bucket")  # autonamed: the name is unknown until apply
    for step in document["steps"]:
        inputs = step["newState"]["inputs"]
        if step["urn"].split("::")[-1].startswith("invocation-logs-"):
            inputs["bucket"] = UNKNOWN
            step["newState"]["propertyDependencies"] = {"bucket": [bucket["urn"]]}
    result = check_plans([("p", document)])
    assert [f for f in result.findings if f.policy == "log-bucket-companions"] == []


def test_stack_rules_see_outputs_over_inputs() -> None:
    """An autonamed bucket has no `bucket` input; its output (the engine sends outputs to stack rules)
    links it to its sub-resources."""
    document = load("good_workload.json")
    bucket = step_by_name(document, "invocation-logs")
    name = bucket["inputs"].pop("bucket")
    for step in document["steps"]:
        step["newState"].pop("propertyDependencies", None)  # link by name only
    assert "log-bucket-companions" in rules_hit(document)
    bucket["outputs"] = {"bucket": name, "arn": f"arn:aws:s3:::{name}"}
    assert rules_hit(document) == set()


def test_unknown_bucket_names_without_dependencies_cannot_be_decided() -> None:
    document = load("good_workload.json")
    for step in document["steps"]:
        if step["urn"].endswith("::invocation-logs-pab"):
            step["newState"]["inputs"]["bucket"] = UNKNOWN
            step["newState"].pop("propertyDependencies", None)
    [finding] = [f for f in check_plans([("p", document)]).findings if f.policy == "log-bucket-companions"]
    assert finding.level == "advisory" and finding.unknown_at_preview


def test_secret_inputs_are_read_like_the_engine_does() -> None:
    secret = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "plaintext": "30"}
    group = state("aws:cloudwatch/logGroup:LogGroup", "g", {"retentionInDays": secret, "kmsKeyId": "k"}, protect=True)
    assert [f for f in check_plans([("p", plan(group))]).findings] == []


# --- config ------------------------------------------------------------------------------------------------


def test_enforcement_level_can_be_lowered_and_all_disabled() -> None:
    document = load("broken_workload.json")
    advisory = check_plans([("p", document)], parse_policy_config({"all": "advisory"}, "cfg"))
    assert advisory.findings and {f.level for f in advisory.findings} == {"advisory"}
    assert advisory.exit_code == 0
    disabled = check_plans([("p", document)], parse_policy_config({"all": "disabled"}, "cfg"))
    assert disabled.findings == []


def test_per_policy_level_overrides_all() -> None:
    config = parse_policy_config({"all": "advisory", "sns-topic-kms": {"enforcementLevel": "mandatory"}}, "c")
    result = check_plans([("p", load("broken_workload.json"))], config)
    assert {f.policy for f in result.mandatory} == {"sns-topic-kms"}


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
    ],
)
def test_config_violating_the_schema_is_refused(config: dict, fragment: str) -> None:
    with pytest.raises(PolicyInputError, match=fragment):
        check_plans([("p", plan())], parse_policy_config(config, "cfg.json"))


def test_bad_enforcement_level_is_refused() -> None:
    with pytest.raises(PolicyInputError, match="'blocking'"):
        parse_policy_config({"sns-topic-kms": "blocking"}, "cfg.json")


def test_unknown_policy_name_is_warned_about() -> None:
    result = check_plans([("p", plan())], parse_policy_config({"sns-topic-kmss": "advisory"}, "cfg.json"))
    assert any("'sns-topic-kmss'" in w for w in result.warnings)


def test_example_config_file_is_valid() -> None:
    run = run_policy_check(
        [HERE / "good_workload.json"],
        None,
        HERE.parents[1] / "policies" / "policy-config.example.json",
        Console(file=io.StringIO()),
    )
    assert run == 0


# --- CLI body ----------------------------------------------------------------------------------------------


def _run(tmp_path: Path, plans: list[Path], config: Path | None = None) -> tuple[int, str, Path]:
    out = tmp_path / "report" / "policy.json"
    console = Console(record=True, width=300, file=open(tmp_path / "console.txt", "w"))  # noqa: SIM115
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
    assert set(finding) >= {"policy", "urn", "message", "level"}


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (None, "cannot read the plan"),
        ("{not json", "not valid JSON"),
        ('{"resources": []}', "no 'steps' list"),
        ('{"steps": [{"newState": {"inputs": {}}}]}', "needs 'urn' and 'type'"),
        ('{"steps": [{"newState": {"urn": "u", "type": "t", "inputs": {}}}]}', "is not a Pulumi URN"),
        (
            '{"steps": [{"newState": {"urn": "urn:pulumi:s::p::t::n", "type": "t", "inputs": "x"}}]}',
            "inputs must be an object",
        ),
    ],
)
def test_bad_plan_is_exit_2_with_one_line(tmp_path: Path, content: str | None, fragment: str) -> None:
    path = tmp_path / "plan.json"
    if content is not None:
        path.write_text(content)
    code, text, _ = _run(tmp_path, [path])
    assert code == 2
    assert fragment in text and str(path) in text and "fix:" in text
    assert "Traceback" not in text and len(text.strip().splitlines()) == 1


def test_bad_config_file_is_exit_2(tmp_path: Path) -> None:
    config = tmp_path / "cfg.json"
    config.write_text(json.dumps({"log-group-retention": {"minRetentionDays": "x"}}))
    code, text, _ = _run(tmp_path, [HERE / "good_workload.json"], config)
    assert code == 2 and "cfg.json" in text and "minRetentionDays" in text
    code, text, _ = _run(tmp_path, [HERE / "good_workload.json"], tmp_path / "missing.json")
    assert code == 2 and "missing.json" in text


def test_settings_under_all_are_reported_not_dropped_silently(tmp_path: Path) -> None:
    config = tmp_path / "cfg.json"
    config.write_text(json.dumps({"all": {"enforcementLevel": "advisory", "minRetentionDays": 5}}))
    code, text, _ = _run(tmp_path, [HERE / "good_workload.json"], config)
    assert code == 0 and "settings under 'all' are ignored" in text


def test_fixture_mutations_do_not_leak() -> None:
    """Guard for the tests above: load() returns a fresh copy each time."""
    first = load("good_workload.json")
    second = copy.deepcopy(first)
    drop(first, "alerts")
    assert load("good_workload.json") == second
