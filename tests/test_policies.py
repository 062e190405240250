"""Each rule against hand-built resources: a compliant one passes, each kind of mistake is reported.

Every case runs through the offline engine (pulumi-policy's analyzer servicer), so props arrive exactly as
under the CLI: Struct-encoded (numbers as doubles), behind the unknown-checking proxy.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from obsctl.policy_check import check_plans, load_pack
from tests.policy_fixtures.build import plan, state

KEY = "arn:aws:kms:us-east-1:111111111111:key/k-1"
BUCKET = "logs-111111111111-us-east-1"
ARN = f"arn:aws:s3:::{BUCKET}"
PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
LOGGING = "aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration"


def violations(policy: str, *states: dict[str, Any], config: dict | None = None) -> list[str]:
    """Messages `policy` reports for a plan of `states` (other rules' findings are ignored)."""
    result = check_plans([("case", plan(*states))], config)
    return [f.message for f in result.findings if f.policy == policy]


def lifecycle_rule(**overrides: Any) -> dict[str, Any]:
    rule = {
        "id": "expire",
        "status": "Enabled",
        "filter": {},
        "expiration": {"days": 400},
        "noncurrentVersionExpiration": {"noncurrentDays": 30},
        "abortIncompleteMultipartUpload": {"daysAfterInitiation": 7},
    }
    rule.update(overrides)
    return rule


def tls_policy(**statement_overrides: Any) -> str:
    statement = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [ARN, f"{ARN}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }
    statement.update(statement_overrides)
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def trust(condition: dict | None) -> str:
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": {"Service": "bedrock.amazonaws.com"},
        "Action": "sts:AssumeRole",
    }
    if condition is not None:
        statement["Condition"] = condition
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def logging_config(**overrides: Any) -> dict[str, Any]:
    config: dict[str, Any] = {
        "cloudwatchConfig": {
            "logGroupName": "/aws/bedrock/invocations",
            "roleArn": "arn:aws:iam::1:role/r",
            "largeDataDeliveryS3Config": {"bucketName": BUCKET, "keyPrefix": "large"},
        },
        "s3Config": {"bucketName": BUCKET, "keyPrefix": "invocations"},
    }
    config.update(overrides)
    return {"region": "us-east-1", "loggingConfig": config}


LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
TRAIL = "aws:cloudtrail/trail:Trail"
GOOD_TRAIL = {
    "name": "t",
    "s3BucketName": BUCKET,
    "kmsKeyId": KEY,
    "enableLogFileValidation": True,
    "isMultiRegionTrail": True,
}

# (rule, resource type, compliant inputs, [(case id, broken inputs, expected message fragment)])
RESOURCE_CASES: list[tuple[str, str, dict[str, Any], list[tuple[str, dict[str, Any], str]]]] = [
    (
        "log-group-retention",
        LOG_GROUP,
        {"retentionInDays": 90, "kmsKeyId": KEY},
        [
            ("never-expires", {"kmsKeyId": KEY}, "never expires"),
            ("zero", {"retentionInDays": 0, "kmsKeyId": KEY}, "never expires"),
            ("not-a-cloudwatch-value", {"retentionInDays": 100, "kmsKeyId": KEY}, "does not accept"),
            ("too-short", {"retentionInDays": 7, "kmsKeyId": KEY}, "outside the allowed [30, 3653]"),
        ],
    ),
    (
        "log-group-kms",
        LOG_GROUP,
        {"retentionInDays": 90, "kmsKeyId": KEY},
        [
            ("no-key", {"retentionInDays": 90}, "kms_key_id"),
        ],
    ),
    (
        "log-bucket-lifecycle",
        LIFECYCLE,
        {"bucket": BUCKET, "rules": [lifecycle_rule()]},
        [
            ("no-expiry", {"bucket": BUCKET, "rules": [lifecycle_rule(expiration=None)]}, "never expires"),
            ("disabled-rule", {"bucket": BUCKET, "rules": [lifecycle_rule(status="Disabled")]}, "never expires"),
            (
                "expiry-too-long",
                {"bucket": BUCKET, "rules": [lifecycle_rule(expiration={"days": 5000})]},
                "outside the allowed",
            ),
            (
                "no-noncurrent",
                {"bucket": BUCKET, "rules": [lifecycle_rule(noncurrentVersionExpiration=None)]},
                "noncurrent",
            ),
            (
                "no-abort",
                {"bucket": BUCKET, "rules": [lifecycle_rule(abortIncompleteMultipartUpload=None)]},
                "never aborts",
            ),
            (
                "slow-abort",
                {
                    "bucket": BUCKET,
                    "rules": [lifecycle_rule(abortIncompleteMultipartUpload={"daysAfterInitiation": 30})],
                },
                "only after 30 days",
            ),
        ],
    ),
    (
        "s3-bucket-sse-kms",
        SSE,
        {
            "bucket": BUCKET,
            "rules": [
                {
                    "applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": KEY},
                    "bucketKeyEnabled": True,
                }
            ],
        },
        [
            (
                "sse-s3",
                {
                    "bucket": BUCKET,
                    "rules": [
                        {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}, "bucketKeyEnabled": True}
                    ],
                },
                "'AES256'",
            ),
            (
                "aws-managed-key",
                {
                    "bucket": BUCKET,
                    "rules": [
                        {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms"}, "bucketKeyEnabled": True}
                    ],
                },
                "aws/s3 managed key",
            ),
            (
                "no-bucket-key",
                {
                    "bucket": BUCKET,
                    "rules": [
                        {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": KEY}}
                    ],
                },
                "Bucket Key",
            ),
            ("no-rules", {"bucket": BUCKET, "rules": []}, "has no rules"),
        ],
    ),
    (
        "sns-topic-kms",
        "aws:sns/topic:Topic",
        {"kmsMasterKeyId": KEY},
        [
            ("unencrypted", {}, "is not encrypted"),
            ("aws-managed", {"kmsMasterKeyId": "alias/aws/sns"}, "alias/aws/sns"),
        ],
    ),
    (
        "cloudtrail-kms",
        TRAIL,
        GOOD_TRAIL,
        [
            ("no-key", {**GOOD_TRAIL, "kmsKeyId": None}, "kms_key_id"),
        ],
    ),
    (
        "kms-key-rotation",
        "aws:kms/key:Key",
        {"enableKeyRotation": True},
        [
            ("off", {"enableKeyRotation": False}, "does not rotate"),
            ("unset", {}, "does not rotate"),
        ],
    ),
    (
        "s3-public-access-block",
        PAB,
        {
            "bucket": BUCKET,
            "blockPublicAcls": True,
            "blockPublicPolicy": True,
            "ignorePublicAcls": True,
            "restrictPublicBuckets": True,
        },
        [
            (
                "one-off",
                {
                    "bucket": BUCKET,
                    "blockPublicAcls": True,
                    "blockPublicPolicy": False,
                    "ignorePublicAcls": True,
                    "restrictPublicBuckets": True,
                },
                "block_public_policy",
            ),
            ("all-unset", {"bucket": BUCKET}, "restrict_public_buckets"),
        ],
    ),
    (
        "s3-tls-only-policy",
        "aws:s3/bucketPolicy:BucketPolicy",
        {"bucket": BUCKET, "policy": tls_policy()},
        [
            ("allow-instead", {"bucket": BUCKET, "policy": tls_policy(Effect="Allow")}, "plain-HTTP"),
            ("objects-only", {"bucket": BUCKET, "policy": tls_policy(Resource=f"{ARN}/*")}, "plain-HTTP"),
            (
                "true-condition",
                {"bucket": BUCKET, "policy": tls_policy(Condition={"Bool": {"aws:SecureTransport": "true"}})},
                "plain-HTTP",
            ),
            ("not-json", {"bucket": BUCKET, "policy": "{not json"}, "not a JSON policy"),
        ],
    ),
    (
        "s3-acls-disabled",
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
        {"bucket": BUCKET, "rule": {"objectOwnership": "BucketOwnerEnforced"}},
        [
            ("preferred", {"bucket": BUCKET, "rule": {"objectOwnership": "BucketOwnerPreferred"}}, "keeps ACLs"),
        ],
    ),
    (
        "cloudtrail-log-file-validation",
        TRAIL,
        GOOD_TRAIL,
        [
            ("off", {**GOOD_TRAIL, "enableLogFileValidation": False}, "enable_log_file_validation"),
        ],
    ),
    (
        "cloudtrail-multi-region",
        TRAIL,
        GOOD_TRAIL,
        [
            ("single-region", {**GOOD_TRAIL, "isMultiRegionTrail": False}, "is_multi_region_trail"),
        ],
    ),
    (
        "bedrock-invocation-logging-destinations",
        LOGGING,
        logging_config(),
        [
            ("no-s3", logging_config(s3Config=None), "does not deliver to S3"),
            ("no-cloudwatch", logging_config(cloudwatchConfig=None), "does not deliver to CloudWatch"),
            (
                "no-role",
                logging_config(
                    cloudwatchConfig={"logGroupName": "/x", "largeDataDeliveryS3Config": {"bucketName": BUCKET}}
                ),
                "role_arn",
            ),
            (
                "no-large-data",
                logging_config(cloudwatchConfig={"logGroupName": "/x", "roleArn": "arn:r"}),
                "large-data",
            ),
        ],
    ),
    (
        "service-role-source-condition",
        "aws:iam/role:Role",
        {"assumeRolePolicy": trust({"StringEquals": {"aws:SourceAccount": "111111111111"}})},
        [
            ("no-condition", {"assumeRolePolicy": trust(None)}, "confused deputy"),
            (
                "unrelated-condition",
                {"assumeRolePolicy": trust({"Bool": {"aws:MultiFactorAuthPresent": "true"}})},
                "confused deputy",
            ),
        ],
    ),
    (
        "log-bucket-no-force-destroy",
        "aws:s3/bucket:Bucket",
        {"bucket": BUCKET, "forceDestroy": False},
        [
            ("force-destroy", {"bucket": BUCKET, "forceDestroy": True}, "force_destroy=True"),
        ],
    ),
]


@pytest.mark.parametrize(
    ("rule", "type_", "inputs"), [c[:3] for c in RESOURCE_CASES], ids=[c[0] for c in RESOURCE_CASES]
)
def test_compliant_resource_passes(rule: str, type_: str, inputs: dict[str, Any]) -> None:
    assert violations(rule, state(type_, "ok", inputs, protect=True)) == []


@pytest.mark.parametrize(
    ("rule", "type_", "inputs", "fragment"),
    [(rule, type_, bad, fragment) for rule, type_, _, cases in RESOURCE_CASES for _, bad, fragment in cases],
    ids=[f"{c[0]}-{case_id}" for c in RESOURCE_CASES for case_id, _, _ in c[3]],
)
def test_broken_resource_is_reported(rule: str, type_: str, inputs: dict[str, Any], fragment: str) -> None:
    messages = violations(rule, state(type_, "bad", inputs, protect=True))
    assert messages, f"{rule} did not flag {inputs}"
    assert any(fragment in m for m in messages), messages
    # Messages name the resource and say how to fix it.
    assert all("'bad'" in m and "fix:" in m for m in messages), messages


def test_every_rule_of_the_pack_is_exercised() -> None:
    """A new rule without cases here (or in the stack-rule tests) fails this test."""
    stack_rules = {
        "cloudtrail-bucket-retention",
        "regional-observability-complete",
        "log-bucket-companions",
        "data-resources-protected",
    }
    covered = {c[0] for c in RESOURCE_CASES} | stack_rules
    assert {p.name for p in load_pack().ALL_POLICIES} == covered


@pytest.mark.parametrize("type_", ["aws:kms/key:Key", LOG_GROUP, "aws:s3/bucket:Bucket"])
def test_data_resources_must_be_protected(type_: str) -> None:
    inputs = {"bucket": BUCKET, "enableKeyRotation": True, "retentionInDays": 90, "kmsKeyId": KEY}
    assert violations("data-resources-protected", state(type_, "kept", inputs, protect=True)) == []
    [message] = violations("data-resources-protected", state(type_, "lost", inputs, protect=False))
    assert "'lost'" in message and "protect=True" in message


def test_other_resources_need_no_protection() -> None:
    assert violations("data-resources-protected", state("aws:sns/topic:Topic", "t", {"kmsMasterKeyId": KEY})) == []


def test_asymmetric_keys_are_not_applicable_to_rotation() -> None:
    key = state("aws:kms/key:Key", "signing", {"customerMasterKeySpec": "RSA_2048"}, protect=True)
    result = check_plans([("case", plan(key))])
    assert not [f for f in result.findings if f.policy == "kms-key-rotation"]
    assert [(n.policy, n.urn) for n in result.plans[0].not_applicable if n.policy == "kms-key-rotation"] == [
        ("kms-key-rotation", key["urn"])
    ]


def test_retention_range_is_configurable() -> None:
    group = state(LOG_GROUP, "short", {"retentionInDays": 90, "kmsKeyId": KEY}, protect=True)
    assert violations("log-group-retention", group) == []
    strict = {"log-group-retention": {"properties": {"minRetentionDays": 365}}}
    [message] = violations("log-group-retention", group, config=strict)
    assert "[365, 3653]" in message


def test_exempt_service_principals_are_configurable() -> None:
    role = state("aws:iam/role:Role", "r", {"assumeRolePolicy": trust(None)})
    config = {"service-role-source-condition": {"properties": {"exemptServices": ["bedrock.amazonaws.com"]}}}
    assert violations("service-role-source-condition", role, config=config) == []
