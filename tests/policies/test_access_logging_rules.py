"""S3 server access logging (`s3-server-access-logging`, S3.9 / CloudTrail.7) and the one bucket role the pack
admits explicitly: the access-log bucket, excused from access logging of its own and from SSE-KMS only while
it is tagged `access-logs` *and* really is the stack's access-log target (tests/policy_fixtures/good_workload.json
holds one: `access-logs`, target of `invocation-logs-access-logging` and `trail-logs-access-logging`)."""

from __future__ import annotations

from typing import Any

import pytest

from obsctl.policy import UNKNOWN, check_plans
from tests.policy_fixtures.build import drop, load, step_by_name

RULE = "s3-server-access-logging"
SSE_RULE = "s3-bucket-sse-kms"
ROLE_TAG = "bedrock-observability:bucket-role"
OBJECT_LOCK = "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration"


def findings(document: dict[str, Any], policy: str, config: dict | None = None) -> list[Any]:
    return [f for f in check_plans([("p", document)], config).findings if f.policy == policy]


def rules_hit(document: dict[str, Any], config: dict | None = None) -> set[str]:
    return {f.policy for f in check_plans([("p", document)], config).findings}


def test_the_access_log_bucket_passes_without_logging_of_its_own_and_with_sse_s3() -> None:
    document = load("good_workload.json")
    access = step_by_name(document, "access-logs")
    assert access["inputs"]["tags"][ROLE_TAG] == "access-logs"
    sse = step_by_name(document, "access-logs-sse")["inputs"]["rules"]
    assert sse == [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]
    assert rules_hit(document) == set()


@pytest.mark.parametrize("bucket", ["invocation-logs", "trail-logs"])
def test_a_log_bucket_without_access_logging_is_reported(bucket: str) -> None:
    """S3.9 for every log bucket; CloudTrail.7 for the trail's."""
    [finding] = findings(drop(load("good_workload.json"), f"{bucket}-access-logging"), RULE)
    assert finding.urn.endswith(f"::{bucket}") and "has no S3 server access logging" in finding.message
    assert "fix: add an aws.s3.BucketLogging" in finding.message and finding.level == "mandatory"


def test_an_untagged_bucket_without_logging_fails_even_when_access_logs_are_exempt_elsewhere() -> None:
    document = drop(load("good_workload.json"), "invocation-logs-access-logging")
    step_by_name(document, "invocation-logs")["inputs"].pop("tags")
    [finding] = findings(document, RULE)
    assert finding.urn.endswith("::invocation-logs")


def test_a_bucket_wrongly_tagged_access_logs_is_not_excused() -> None:
    """Tagging a bucket `access-logs` excuses nothing unless the stack's logging delivers to it."""
    document = drop(load("good_workload.json"), "invocation-logs-access-logging")
    step_by_name(document, "invocation-logs")["inputs"]["tags"][ROLE_TAG] = "access-logs"
    [finding] = findings(document, RULE)
    assert finding.urn.endswith("::invocation-logs")
    assert "is tagged bedrock-observability:bucket-role=access-logs" in finding.message
    assert "no other bucket's aws.s3.BucketLogging delivers to it" in finding.message
    # ... nor admitted with SSE-S3.
    step_by_name(document, "invocation-logs-sse")["inputs"]["rules"] = [
        {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}
    ]
    [sse] = findings(document, SSE_RULE)
    assert sse.urn.endswith("::invocation-logs-sse") and "admitted only for the S3 server access log bucket" in (
        sse.message
    )


def test_sse_s3_needs_the_role_tag() -> None:
    document = load("good_workload.json")
    step_by_name(document, "access-logs")["inputs"].pop("tags")
    [sse] = findings(document, SSE_RULE)
    assert sse.urn.endswith("::access-logs-sse") and "'AES256'" in sse.message
    # The untagged target is reported by the logging rule too: once per logging delivering to it, and as a
    # bucket without access logging of its own.
    messages = [f.message for f in findings(document, RULE)]
    assert sum("which is not tagged" in m for m in messages) == 2
    assert sum("has no S3 server access logging" in m for m in messages) == 1


def test_sse_s3_admission_can_be_withdrawn() -> None:
    config = {SSE_RULE: {"properties": {"allowSseS3ForRoles": []}}}
    [sse] = findings(load("good_workload.json"), SSE_RULE, config)
    assert sse.urn.endswith("::access-logs-sse")


def test_sse_s3_with_a_kms_key_is_not_admitted() -> None:
    document = load("good_workload.json")
    step_by_name(document, "access-logs-sse")["inputs"]["rules"][0]["applyServerSideEncryptionByDefault"][
        "kmsMasterKeyId"
    ] = "alias/aws/s3"
    assert findings(document, SSE_RULE)


def _logging(document: dict[str, Any], name: str = "invocation-logs-access-logging") -> dict[str, Any]:
    return step_by_name(document, name)["inputs"]


def test_a_bucket_logging_to_itself_is_reported() -> None:
    document = load("good_workload.json")
    _logging(document)["targetBucket"] = _logging(document)["bucket"]
    [finding] = findings(document, RULE)
    assert finding.urn.endswith("::invocation-logs-access-logging") and "log its own access" in finding.message


def test_the_access_log_bucket_logging_to_itself_is_reported() -> None:
    document = load("good_workload.json")
    self_logging = step_by_name(document, "trail-logs-access-logging")
    self_logging["inputs"]["bucket"] = self_logging["inputs"]["targetBucket"]
    hits = findings(document, RULE)
    assert any("log its own access" in f.message for f in hits)
    assert any(f.urn.endswith("::trail-logs") and "has no S3 server access logging" in f.message for f in hits)


@pytest.mark.parametrize(
    ("grantee", "named"),
    [
        ({"type": "Group", "uri": "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"}, "AuthenticatedUsers"),
        ({"type": "CanonicalUser", "id": "abc123"}, "abc123"),
    ],
)
def test_acl_grants_on_the_delivered_logs_are_reported(grantee: dict[str, str], named: str) -> None:
    document = load("good_workload.json")
    _logging(document)["targetGrants"] = [{"grantee": grantee, "permission": "READ"}]
    [finding] = findings(document, RULE)
    assert named in finding.message and "fix: remove target_grants" in finding.message


def test_empty_target_grants_pass() -> None:
    document = load("good_workload.json")
    _logging(document)["targetGrants"] = []
    assert findings(document, RULE) == []


def test_logs_delivered_outside_the_stack_are_reported() -> None:
    document = load("good_workload.json")
    _logging(document)["targetBucket"] = "someone-elses-bucket"
    [finding] = findings(document, RULE)
    assert "'someone-elses-bucket'" in finding.message and "does not create" in finding.message


def test_logs_delivered_to_another_region_are_reported() -> None:
    document = load("good_workload.json")
    step_by_name(document, "invocation-logs")["inputs"]["region"] = "eu-west-1"
    hits = findings(document, RULE)
    assert any("delivers only within a region" in f.message and "eu-west-1" in f.message for f in hits)


def test_an_object_lock_target_is_reported() -> None:
    document = load("good_workload.json")
    lock = {
        "op": "create",
        "urn": step_by_name(document, "access-logs")["urn"].replace("aws:s3/bucket:Bucket", OBJECT_LOCK) + "-lock",
    }
    state = {
        **step_by_name(document, "access-logs-versioning"),
        "type": OBJECT_LOCK,
        "urn": lock["urn"],
        "inputs": {
            "bucket": "bedrock-access-logs-111111111111-us-east-1",
            "region": "us-east-1",
            "objectLockEnabled": "Enabled",
            "rule": {"defaultRetention": {"mode": "GOVERNANCE", "days": 30}},
        },
    }
    document["steps"].append({**lock, "provider": document["steps"][-1]["provider"], "newState": state})
    hits = findings(document, RULE)
    assert len(hits) == 2 and all("S3 does not deliver access logs to Object Lock buckets" in f.message for f in hits)


def test_unknown_target_names_are_linked_by_property_dependencies_or_undecided() -> None:
    document = load("good_workload.json")
    logging = step_by_name(document, "invocation-logs-access-logging")
    logging["inputs"]["targetBucket"] = UNKNOWN
    undecided = findings(document, RULE)
    assert undecided and all(f.level == "advisory" and f.unknown_at_preview for f in undecided)
    logging["propertyDependencies"] = {"targetBucket": [step_by_name(document, "access-logs")["urn"]]}
    assert findings(document, RULE) == []
