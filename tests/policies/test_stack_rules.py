"""Stack rules on a whole workload plan (tests/policy_fixtures/good_workload.json): what must exist next to
what, where data may go, and how resources are linked (names, property dependencies, outputs)."""

from __future__ import annotations

from typing import Any

import pytest

from obsctl.policy import UNKNOWN, check_plans
from tests.policy_fixtures.build import drop, load, plan, step_by_name

STACK_RULES = (
    "cloudtrail-bucket-retention",
    "regional-observability-complete",
    "log-bucket-companions",
    "log-destinations-managed",
    "allowed-regions",
    "s3-bucket-sse-kms",
    "s3-server-access-logging",
    "cross-account-grants",
    "s3-deny-non-kms-uploads",
    "s3-object-lock-placement",
)
ALLOW_US_EAST_1 = {"allowed-regions": {"properties": {"allowedRegions": ["us-east-1"]}}}


def findings(document: dict[str, Any], policy: str, config: dict | None = None) -> list[Any]:
    return [f for f in check_plans([("p", document)], config).findings if f.policy == policy]


def rules_hit(document: dict[str, Any], config: dict | None = None) -> set[str]:
    return {f.policy for f in check_plans([("plan", document)], config).findings}


def test_good_fixture_runs_every_stack_rule_and_passes() -> None:
    result = check_plans([("good", load("good_workload.json"))], ALLOW_US_EAST_1)
    assert result.findings == []
    assert not {n.policy for n in result.plans[0].not_applicable} & set(STACK_RULES)


def test_stack_rules_are_not_applicable_without_their_resources() -> None:
    result = check_plans([("empty", plan())])
    assert result.findings == []
    # kms-alias-target is tested apart (test_key_rules.py): the good workload fixture has no alias.
    assert {n.policy for n in result.plans[0].not_applicable} == {*STACK_RULES, "kms-alias-target"}


# --- log-bucket-companions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("missing", "kind"),
    [
        ("invocation-logs-pab", "publicAccessBlock"),
        ("invocation-logs-sse", "serverSideEncryption"),
        ("invocation-logs-lifecycle", "lifecycle"),
        ("invocation-logs-policy", "bucketPolicy"),
        ("invocation-logs-ownership", "ownershipControls"),
        ("invocation-logs-versioning", "versioning"),
    ],
)
def test_bucket_without_a_companion_is_reported(missing: str, kind: str) -> None:
    [finding] = findings(drop(load("good_workload.json"), missing), "log-bucket-companions")
    assert finding.urn.endswith("::invocation-logs") and f"has no {kind}" in finding.message


def test_a_bucket_role_is_admitted_explicitly_and_only_that_role() -> None:
    document = drop(load("good_workload.json"), "invocation-logs-versioning")
    config = {"log-bucket-companions": {"properties": {"exemptCompanionsByRole": {"access-logs": ["versioning"]}}}}
    assert findings(document, "log-bucket-companions", config)  # untagged: no exemption
    tags = step_by_name(document, "invocation-logs")["inputs"]["tags"] = {}
    tags["bedrock-observability:bucket-role"] = "invocation-logs"
    assert findings(document, "log-bucket-companions", config)  # another role: no exemption
    tags["bedrock-observability:bucket-role"] = "access-logs"
    assert findings(document, "log-bucket-companions", config) == []


def test_unknown_bucket_names_are_linked_by_property_dependencies() -> None:
    document = load("good_workload.json")
    bucket = step_by_name(document, "invocation-logs")
    bucket["inputs"].pop("bucket")  # autonamed: the name is unknown until apply
    for step in document["steps"]:
        if step["urn"].split("::")[-1].startswith("invocation-logs-"):
            step["newState"]["inputs"]["bucket"] = UNKNOWN
            step["newState"]["propertyDependencies"] = {"bucket": [bucket["urn"]]}
    assert findings(document, "log-bucket-companions") == []


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
    assert "log-bucket-companions" not in rules_hit(document)


def test_unknown_bucket_names_without_dependencies_cannot_be_decided() -> None:
    document = load("good_workload.json")
    for step in document["steps"]:
        if step["urn"].endswith("::invocation-logs-pab"):
            step["newState"]["inputs"]["bucket"] = UNKNOWN
            step["newState"].pop("propertyDependencies", None)
    [finding] = findings(document, "log-bucket-companions")
    assert finding.level == "advisory" and finding.unknown_at_preview


# --- regional-observability-complete -----------------------------------------------------------------------


@pytest.mark.parametrize(("missing", "kind"), [("throttles", "alarm"), ("dashboard", "dashboard"), ("alerts", "topic")])
def test_region_without_monitoring_is_reported(missing: str, kind: str) -> None:
    [finding] = findings(drop(load("good_workload.json"), missing), "regional-observability-complete")
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


# --- cloudtrail-bucket-retention ---------------------------------------------------------------------------


def test_short_cloudtrail_bucket_retention_is_reported_and_configurable() -> None:
    document = load("good_workload.json")
    step_by_name(document, "trail-logs-lifecycle")["inputs"]["rules"][0]["expiration"]["days"] = 200
    assert rules_hit(document) == {"cloudtrail-bucket-retention"}
    relaxed = {"cloudtrail-bucket-retention": {"properties": {"minCloudTrailRetentionDays": 180}}}
    assert rules_hit(document, relaxed) == set()


# --- log-destinations-managed ------------------------------------------------------------------------------


def _logging(document: dict[str, Any]) -> dict[str, Any]:
    return step_by_name(document, "invocation-logging")["inputs"]["loggingConfig"]


@pytest.mark.parametrize(
    ("edit", "fragment"),
    [
        (lambda d: _logging(d)["s3Config"].update(bucketName="someone-elses-bucket"), "'someone-elses-bucket'"),
        (
            lambda d: _logging(d)["cloudwatchConfig"]["largeDataDeliveryS3Config"].update(bucketName="other"),
            "large_data_delivery_s3_config",
        ),
        (lambda d: _logging(d)["cloudwatchConfig"].update(logGroupName="/not/ours"), "log group '/not/ours'"),
        (lambda d: step_by_name(d, "invocations")["inputs"].update(region="eu-west-1"), "/aws/bedrock/invocations"),
        (lambda d: step_by_name(d, "audit")["inputs"].update(s3BucketName="elsewhere"), "'elsewhere'"),
        (
            lambda d: step_by_name(d, "audit")["inputs"].update(
                cloudWatchLogsGroupArn="arn:aws:logs:us-east-1:111111111111:log-group:/other:*"
            ),
            "log group '/other'",
        ),
        (
            lambda d: step_by_name(d, "audit")["inputs"].update(cloudWatchLogsGroupArn="/aws/cloudtrail"),
            "not a log group ARN",
        ),
    ],
)
def test_delivery_to_a_store_the_stack_does_not_manage_is_reported(edit: Any, fragment: str) -> None:
    document = load("good_workload.json")
    edit(document)
    [finding] = findings(document, "log-destinations-managed")
    assert fragment in finding.message and "fix:" in finding.message and finding.urn


def test_invocation_logs_must_stay_in_the_logging_region() -> None:
    document = load("good_workload.json")
    step_by_name(document, "invocation-logs")["inputs"]["region"] = "eu-west-1"
    hits = findings(document, "log-destinations-managed")
    assert len(hits) == 2 and all("same region" in f.message for f in hits)  # S3 and large-data delivery


def test_unknown_destination_names_pass_with_a_dependency_and_are_undecided_without() -> None:
    document = load("good_workload.json")
    logging = step_by_name(document, "invocation-logging")
    logging["inputs"]["loggingConfig"]["s3Config"]["bucketName"] = UNKNOWN
    [finding] = findings(document, "log-destinations-managed")
    assert finding.unknown_at_preview and finding.level == "advisory"
    logging["propertyDependencies"] = {"loggingConfig": [step_by_name(document, "invocation-logs")["urn"]]}
    assert findings(document, "log-destinations-managed") == []


# --- allowed-regions ---------------------------------------------------------------------------------------


def test_resources_outside_the_allowed_regions_are_reported() -> None:
    document = load("good_workload.json")
    step_by_name(document, "dashboard")["inputs"]["region"] = "sa-east-1"
    [finding] = findings(document, "allowed-regions", ALLOW_US_EAST_1)
    assert finding.urn.endswith("::dashboard") and "sa-east-1" in finding.message and "fix:" in finding.message


def test_the_provider_region_counts_for_resources_without_one() -> None:
    document = load("good_workload.json")
    [provider] = [s["newState"] for s in document["steps"] if s["newState"]["type"] == "pulumi:providers:aws"]
    provider["inputs"]["region"] = "ap-south-1"
    hits = findings(document, "allowed-regions", ALLOW_US_EAST_1)
    assert hits and all("ap-south-1" in f.message for f in hits)
    provider["inputs"].pop("region")
    assert any("sets no region" in f.message for f in findings(document, "allowed-regions", ALLOW_US_EAST_1))
