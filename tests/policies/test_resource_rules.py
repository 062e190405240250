"""Each resource rule against hand-built resources: a compliant one passes, each kind of mistake is reported.

Every case runs through the offline engine (pulumi-policy's analyzer servicer), so props arrive exactly as
under the CLI: Struct-encoded (numbers as doubles), behind the unknown-checking proxy.
"""

from __future__ import annotations

from typing import Any

import pytest

from obsctl.policy import check_plans
from tests.policies.cases import RESOURCE_CASES
from tests.policy_fixtures.build import plan, state


def violations(policy: str, *states: dict[str, Any], config: dict | None = None) -> list[str]:
    """Messages `policy` reports for a plan of `states` (other rules' findings are ignored)."""
    result = check_plans([("case", plan(*states))], config)
    return [f.message for f in result.findings if f.policy == policy]


@pytest.mark.parametrize(
    ("rule", "type_", "inputs"), [c[:3] for c in RESOURCE_CASES], ids=[f"{c[0]}-{c[1]}" for c in RESOURCE_CASES]
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


@pytest.mark.parametrize("type_", ["aws:kms/key:Key", "aws:cloudwatch/logGroup:LogGroup", "aws:s3/bucket:Bucket"])
def test_data_resources_must_be_protected(type_: str) -> None:
    inputs = {"bucket": "b", "enableKeyRotation": True, "retentionInDays": 90, "kmsKeyId": "arn:aws:kms:k"}
    assert violations("data-resources-protected", state(type_, "kept", inputs, protect=True)) == []
    [message] = violations("data-resources-protected", state(type_, "lost", inputs, protect=False))
    assert "'lost'" in message and "protect=True" in message


@pytest.mark.parametrize("type_", ["aws:kms/key:Key", "aws:cloudwatch/logGroup:LogGroup", "aws:s3/bucket:Bucket"])
def test_data_resources_must_be_retained_on_delete(type_: str) -> None:
    """Checked from the plan by policy-check (CrossGuard never shows a policy `retainOnDelete`)."""
    kept = state(type_, "kept", {}, protect=True)
    kept["retainOnDelete"] = True
    assert violations("data-resources-retained", kept) == []
    lost = state(type_, "lost", {}, protect=True)
    del lost["retainOnDelete"]  # `pulumi preview --json` omits it when false
    [message] = violations("data-resources-retained", lost)
    assert "'lost'" in message and "retain_on_delete=True" in message


def test_other_resources_need_no_protection() -> None:
    topic = state("aws:sns/topic:Topic", "t", {"kmsMasterKeyId": "arn:aws:kms:k"})
    assert violations("data-resources-protected", topic) == violations("data-resources-retained", topic) == []


def test_asymmetric_keys_are_not_applicable_to_rotation() -> None:
    key = state("aws:kms/key:Key", "signing", {"customerMasterKeySpec": "RSA_2048"}, protect=True)
    result = check_plans([("case", plan(key))])
    assert not [f for f in result.findings if f.policy == "kms-key-rotation"]
    assert [(n.policy, n.urn) for n in result.plans[0].not_applicable if n.policy == "kms-key-rotation"] == [
        ("kms-key-rotation", key["urn"])
    ]


def test_retention_range_is_configurable() -> None:
    group = state("aws:cloudwatch/logGroup:LogGroup", "short", {"retentionInDays": 90, "kmsKeyId": "k"}, protect=True)
    assert violations("log-group-retention", group) == []
    strict = {"log-group-retention": {"properties": {"minRetentionDays": 365}}}
    [message] = violations("log-group-retention", group, config=strict)
    assert "[365, 3653]" in message


def test_exempt_service_principals_are_configurable() -> None:
    from tests.policies.cases import trust

    role = state("aws:iam/role:Role", "r", {"assumeRolePolicy": trust(None)})
    config = {"service-role-source-condition": {"properties": {"exemptServices": ["bedrock.amazonaws.com"]}}}
    assert violations("service-role-source-condition", role, config=config) == []


def test_aws_managed_sns_key_can_be_allowed_explicitly() -> None:
    topic = state("aws:sns/topic:Topic", "t", {"kmsMasterKeyId": "alias/aws/sns"})
    assert violations("sns-topic-kms", topic)
    assert (
        violations("sns-topic-kms", topic, config={"sns-topic-kms": {"properties": {"allowAwsManagedKey": True}}}) == []
    )


def test_dsse_is_refused_only_when_configured_out() -> None:
    from tests.policies.cases import sse

    dsse = state(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "dsse",
        sse(algorithm="aws:kms:dsse", bucket_key=False),
    )
    assert violations("s3-bucket-sse-kms", dsse) == []
    only_kms = {"s3-bucket-sse-kms": {"properties": {"allowedAlgorithms": ["aws:kms"]}}}
    assert any("'aws:kms:dsse'" in m for m in violations("s3-bucket-sse-kms", dsse, config=only_kms))


def test_log_sharing_is_admitted_when_configured() -> None:
    from tests.policies.cases import link

    shares_logs = state("aws:oam/link:Link", "l", link(["AWS::CloudWatch::Metric", "AWS::Logs::LogGroup"]))
    assert violations("oam-shared-types", shares_logs)
    config = {
        "oam-shared-types": {"properties": {"allowedResourceTypes": ["AWS::CloudWatch::Metric", "AWS::Logs::LogGroup"]}}
    }
    assert violations("oam-shared-types", shares_logs, config=config) == []
    # The filters: the configured namespaces and log group patterns only.
    wide = {"logGroupConfiguration": {"filter": "LogGroupName LIKE '%'"}, "metricConfiguration": {"filter": "x"}}
    messages = violations(
        "oam-shared-types",
        {**shares_logs, "inputs": {**shares_logs["inputs"], "linkConfiguration": wide}},
        config=config,
    )
    assert any("log groups matching \"LogGroupName LIKE '%'\"" in m for m in messages), messages
    assert any("metrics matching 'x'" in m for m in messages), messages
    relaxed = {
        "oam-shared-types": {
            "properties": {
                **config["oam-shared-types"]["properties"],
                "allowedLogGroupPatterns": ["%"],
                "allowedMetricNamespaces": ["x"],
            }
        }
    }
    narrow_metrics = {**wide, "metricConfiguration": {"filter": "Namespace IN ('x')"}}
    relaxed_link = {**shares_logs, "inputs": {**shares_logs["inputs"], "linkConfiguration": narrow_metrics}}
    assert violations("oam-shared-types", relaxed_link, config=relaxed) == []


def test_noncurrent_minimum_is_configurable() -> None:
    from tests.policies.cases import lifecycle_rule

    lifecycle = state(
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        "l",
        {"bucket": "b", "rules": [lifecycle_rule(noncurrentVersionExpiration={"noncurrentDays": 7})]},
    )
    assert any("after 7 days" in m for m in violations("log-bucket-lifecycle", lifecycle))
    relaxed = {"log-bucket-lifecycle": {"properties": {"minNoncurrentDays": 7}}}
    assert violations("log-bucket-lifecycle", lifecycle, config=relaxed) == []
