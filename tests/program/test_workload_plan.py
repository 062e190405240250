"""The real program, planned offline: what lands in every workload account-region, and how it is secured."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from inventory.aws_facts import BEDROCK_DATA_EVENT_TYPES
from tests.conftest import org_data, resources

WORKLOADS = {
    "payments-prod": ("111111111111", ["us-east-1", "eu-west-1"]),
    "research-dev": ("222222222222", ["us-west-2", "eu-central-1", "ap-southeast-2"]),
}

KEY = "aws:kms/key:Key"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
BUCKET = "aws:s3/bucket:Bucket"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
TRAIL = "aws:cloudtrail/trail:Trail"
ROLE = "aws:iam/role:Role"
LOGGING = "aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration"
ROLE_TAG = "bedrock-observability:bucket-role"
BUCKET_PARTS = [
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketVersioning:BucketVersioning",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    BUCKET_POLICY,
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
]


def statements(policy: str) -> list[dict[str, Any]]:
    return json.loads(policy)["Statement"]


def in_region(items: list[dict], region: str) -> list[dict]:
    return [item for item in items if item["inputs"].get("region") == region]


@pytest.mark.parametrize("stack", sorted(WORKLOADS))
def test_every_region_gets_key_logging_and_bucket(example_plans: dict, stack: str) -> None:
    account_id, regions = WORKLOADS[stack]
    plan = example_plans[stack]
    for region in regions:
        for type_ in (KEY, LOGGING, *BUCKET_PARTS):
            assert in_region(resources(plan, type_), region), f"{type_} missing in {stack}/{region}"
        [config] = in_region(resources(plan, LOGGING), region)
        logging = config["inputs"]["loggingConfig"]
        bucket = f"bedrock-invocation-logs-{account_id}-{region}"
        assert logging["s3Config"]["bucketName"] == bucket
        assert logging["cloudwatchConfig"]["largeDataDeliveryS3Config"]["bucketName"] == bucket
        assert logging["cloudwatchConfig"]["roleArn"] == (
            f"arn:aws:iam::{account_id}:role/bedrock-invocation-logging-{region}"
        )
    # One trail per account, multi-region, in the home (first) region only.
    [trail] = resources(plan, TRAIL)
    assert trail["inputs"]["region"] == regions[0]


def test_data_kinds_and_retention_come_from_config(example_plans: dict) -> None:
    [payments_group] = [
        g
        for g in in_region(resources(example_plans["payments-prod"], LOG_GROUP), "eu-west-1")
        if g["inputs"]["name"] == "/bedrock-observability/model-invocations"
    ]
    assert payments_group["inputs"]["retentionInDays"] == 365  # account override
    research = resources(example_plans["research-dev"], LOGGING)[0]["inputs"]["loggingConfig"]
    assert research["imageDataDeliveryEnabled"] is True and research["videoDataDeliveryEnabled"] is False
    trail_group = [
        g
        for g in resources(example_plans["research-dev"], LOG_GROUP)
        if g["inputs"]["name"] == "/bedrock-observability/cloudtrail"
    ]
    assert trail_group[0]["inputs"]["retentionInDays"] == 400


@pytest.mark.parametrize("stack", sorted(WORKLOADS))
def test_one_explicit_provider_per_account_used_by_every_resource(example_plans: dict, stack: str) -> None:
    account_id, regions = WORKLOADS[stack]
    steps = example_plans[stack]["steps"]
    providers = [s for s in steps if s["newState"]["type"] == "pulumi:providers:aws"]
    assert len(providers) == 1
    inputs = providers[0]["newState"]["inputs"]
    assert inputs["allowedAccountIds"] == [account_id]
    assert inputs["assumeRoles"][0]["roleArn"] == f"arn:aws:iam::{account_id}:role/bedrock-observability-deploy"
    assert set(inputs["defaultTags"]["tags"]) == {"account", "environment", "managed-by"}
    provider_ref = f"{providers[0]['urn']}::"
    aws_steps = [s for s in steps if s["newState"]["custom"] and s["newState"]["type"].startswith("aws:")]
    assert aws_steps and all(s["provider"].startswith(provider_ref) for s in aws_steps)
    # Regional resources name their region explicitly (pulumi-aws v7 per-resource region).
    regional = [s for s in aws_steps if not s["newState"]["type"].startswith(("aws:iam/", "aws:budgets/"))]
    assert all(s["newState"]["inputs"].get("region") in regions for s in regional)


@pytest.mark.parametrize("stack", sorted(WORKLOADS))
def test_kms_keys(example_plans: dict, stack: str) -> None:
    account_id, regions = WORKLOADS[stack]
    for key in resources(example_plans[stack], KEY):
        inputs = key["inputs"]
        region = inputs["region"]
        assert inputs["enableKeyRotation"] is True and inputs["deletionWindowInDays"] == 30
        by_sid = {s["Sid"]: s for s in statements(inputs["policy"])}
        logs = by_sid["CloudWatchLogsEncryptsTheseLogGroups"]
        assert logs["Principal"] == {"Service": f"logs.{region}.amazonaws.com"}
        context = logs["Condition"]["ArnEquals"]["kms:EncryptionContext:aws:logs:arn"]
        assert f"arn:aws:logs:{region}:{account_id}:log-group:/bedrock-observability/model-invocations" in context
        bedrock = by_sid["BedrockEncryptsInvocationLogs"]
        assert bedrock["Condition"]["StringEquals"] == {"aws:SourceAccount": account_id}
        assert bedrock["Condition"]["ArnLike"] == {"aws:SourceArn": f"arn:aws:bedrock:{region}:{account_id}:*"}
        # Only the home region's key serves the trail, and only for this account's trail.
        trail = by_sid.get("CloudTrailEncryptsTrailLogs")
        assert (trail is not None) == (region == regions[0])
        if trail:
            assert trail["Condition"]["StringEquals"]["aws:SourceArn"] == (
                f"arn:aws:cloudtrail:{region}:{account_id}:trail/bedrock-observability-audit"
            )
        for statement in by_sid.values():
            assert statement["Action"] not in ("*", "*:*")
            if "Service" in statement["Principal"]:
                assert statement.get("Condition"), f"service statement without condition: {statement['Sid']}"


def role_of(bucket: dict[str, Any]) -> str:
    return bucket["inputs"]["tags"][ROLE_TAG]


def kms_log_buckets(plan: dict[str, Any]) -> set[str]:
    """The invocation and audit buckets (the access-log buckets are SSE-S3: tested apart)."""
    return {b["inputs"]["bucket"] for b in resources(plan, BUCKET) if role_of(b) != "access-logs"}


def of_buckets(items: list[dict[str, Any]], buckets: set[str]) -> list[dict[str, Any]]:
    return [item for item in items if item["inputs"]["bucket"] in buckets]


@pytest.mark.parametrize("stack", sorted(WORKLOADS))
def test_buckets_are_private_encrypted_tls_only_and_expire(example_plans: dict, stack: str) -> None:
    account_id, _ = WORKLOADS[stack]
    plan = example_plans[stack]
    all_buckets = {b["inputs"]["bucket"] for b in resources(plan, BUCKET)}
    buckets = kms_log_buckets(plan)
    assert len(buckets) == len(WORKLOADS[stack][1]) + 1  # one per region + the trail bucket
    for part in BUCKET_PARTS:
        assert {r["inputs"]["bucket"] for r in resources(plan, part)} == all_buckets, part
    for bucket in resources(plan, BUCKET):
        assert bucket["inputs"]["forceDestroy"] is False
    for sse in of_buckets(resources(plan, BUCKET_PARTS[0]), buckets):
        [rule] = sse["inputs"]["rules"]
        assert rule["applyServerSideEncryptionByDefault"]["sseAlgorithm"] == "aws:kms"
        assert rule["applyServerSideEncryptionByDefault"]["kmsMasterKeyId"].startswith(
            f"arn:aws:kms:{sse['inputs']['region']}:{account_id}:key/"
        )
        assert rule["bucketKeyEnabled"] is True
    for block in resources(plan, BUCKET_PARTS[2]):
        assert all(
            block["inputs"][flag] is True
            for flag in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
        )
    for ownership in resources(plan, BUCKET_PARTS[3]):
        assert ownership["inputs"]["rule"]["objectOwnership"] == "BucketOwnerEnforced"
    for lifecycle in of_buckets(resources(plan, BUCKET_PARTS[5]), buckets):
        [rule] = lifecycle["inputs"]["rules"]
        assert rule["status"] == "Enabled" and rule["expiration"]["days"] > 0
        assert rule["noncurrentVersionExpiration"]["noncurrentDays"] > 0
        assert rule["abortIncompleteMultipartUpload"]["daysAfterInitiation"] > 0
        assert [t["storageClass"] for t in rule["transitions"]] == ["STANDARD_IA", "GLACIER_IR", "DEEP_ARCHIVE"]
    for policy in of_buckets(resources(plan, BUCKET_POLICY), buckets):
        by_sid = {s["Sid"]: s for s in statements(policy["inputs"]["policy"])}
        tls = by_sid["DenyInsecureTransport"]
        assert tls["Effect"] == "Deny" and tls["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
        assert by_sid["DenyNonKmsEncryption"]["Effect"] == "Deny"
        for statement in by_sid.values():
            if statement["Effect"] == "Allow":
                assert statement["Principal"]["Service"] in ("bedrock.amazonaws.com", "cloudtrail.amazonaws.com")
                condition = json.dumps(statement["Condition"])
                assert "aws:SourceArn" in condition


def test_bedrock_bucket_delivery_is_scoped(example_plans: dict) -> None:
    policy = in_region(resources(example_plans["payments-prod"], BUCKET_POLICY), "eu-west-1")
    [invocations] = [p for p in policy if "invocation-logs" in p["inputs"]["bucket"]]
    [allow] = [s for s in statements(invocations["inputs"]["policy"]) if s["Effect"] == "Allow"]
    assert allow["Action"] == "s3:PutObject"
    assert allow["Condition"] == {
        "StringEquals": {"aws:SourceAccount": "111111111111"},
        "ArnLike": {"aws:SourceArn": "arn:aws:bedrock:eu-west-1:111111111111:*"},
    }
    assert all("/AWSLogs/111111111111/BedrockModelInvocationLogs/*" in r for r in allow["Resource"])


@pytest.mark.parametrize("stack", sorted(WORKLOADS))
def test_service_roles_resist_confused_deputy(example_plans: dict, stack: str) -> None:
    account_id, _ = WORKLOADS[stack]
    roles = resources(example_plans[stack], ROLE)
    assert roles
    for role in roles:
        [trust] = statements(role["inputs"]["assumeRolePolicy"])
        assert trust["Condition"]["StringEquals"] == {"aws:SourceAccount": account_id}
        assert trust["Condition"]["ArnLike"]["aws:SourceArn"].startswith("arn:aws:")
    for policy in resources(example_plans[stack], "aws:iam/rolePolicy:RolePolicy"):
        for statement in statements(policy["inputs"]["policy"]):
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            assert all(not a.endswith(":*") and a != "*" for a in actions)
            assert statement["Resource"] != "*"


@pytest.mark.parametrize("stack", sorted(WORKLOADS))
def test_trail(example_plans: dict, stack: str) -> None:
    account_id, regions = WORKLOADS[stack]
    [trail] = resources(example_plans[stack], TRAIL)
    inputs = trail["inputs"]
    assert inputs["isMultiRegionTrail"] is True and inputs["enableLogFileValidation"] is True
    assert inputs["includeGlobalServiceEvents"] is True
    assert inputs["kmsKeyId"].startswith(f"arn:aws:kms:{regions[0]}:{account_id}:key/")
    assert inputs["cloudWatchLogsGroupArn"] == (
        f"arn:aws:logs:{regions[0]}:{account_id}:log-group:/bedrock-observability/cloudtrail:*"
    )
    selectors = inputs["advancedEventSelectors"]
    management = [s for s in selectors if s["fieldSelectors"] == [{"field": "eventCategory", "equals": ["Management"]}]]
    assert len(management) == 1  # all management events, read and write: InvokeModel/Converse included
    data_types = {f["equals"][0] for s in selectors for f in s["fieldSelectors"] if f["field"] == "resources.type"}
    assert data_types == set(BEDROCK_DATA_EVENT_TYPES)


@pytest.mark.parametrize("stack", sorted(WORKLOADS))
def test_data_bearing_resources_are_protected(example_plans: dict, stack: str) -> None:
    plan = example_plans[stack]
    for type_ in (KEY, LOG_GROUP, BUCKET):
        for resource in resources(plan, type_):
            assert resource["protect"] is True and resource["retainOnDelete"] is True, resource["urn"]
    assert all(g["inputs"]["deletionProtectionEnabled"] is True for g in resources(plan, LOG_GROUP))


def test_allow_data_deletion_lifts_protect_but_keeps_data(plan_inventory: Callable) -> None:
    org = org_data()
    org["workload_accounts"][0]["settings"]["allow_data_deletion"] = True
    plan = plan_inventory(org, "payments-prod")
    for type_ in (KEY, LOG_GROUP, BUCKET):
        for resource in resources(plan, type_):
            assert resource["protect"] is False and resource["retainOnDelete"] is True
    assert all(g["inputs"]["deletionProtectionEnabled"] is False for g in resources(plan, LOG_GROUP))


def test_org_trail_covered_account_gets_no_trail(plan_inventory: Callable) -> None:
    org = org_data()
    org["workload_accounts"][1]["settings"]["audit"] = {"enabled": False}
    plan = plan_inventory(org, "research-dev")
    assert resources(plan, TRAIL) == []
    assert len(kms_log_buckets(plan)) == 3  # invocation buckets only
    for key in resources(plan, KEY):
        assert "cloudtrail.amazonaws.com" not in key["inputs"]["policy"]


def test_bad_config_registers_nothing(plan_inventory: Callable) -> None:
    org = org_data()
    org["workload_accounts"][0]["regions"] = ["us-east-1", "mars-north-1"]
    message = plan_inventory(org, "payments-prod")
    assert isinstance(message, str)
    assert "workload_accounts[0].regions[1] = 'mars-north-1'" in message
    assert "Traceback" not in message


def test_plan_is_deterministic(example_plans: dict, plan_inventory: Callable) -> None:
    again = plan_inventory(org_data(), "payments-prod")
    assert json.dumps(again["steps"], sort_keys=True) == json.dumps(
        example_plans["payments-prod"]["steps"], sort_keys=True
    )


def test_plan_shape_matches_preview_json(example_plans: dict) -> None:
    plan = example_plans["payments-prod"]
    assert plan["changeSummary"] == {"create": len(plan["steps"])}
    first = plan["steps"][0]["newState"]
    assert first["type"] == "pulumi:pulumi:Stack" and first["custom"] is False
    seen: set[str] = set()
    for step in plan["steps"]:
        state = step["newState"]
        assert set(state) >= {"type", "urn", "custom", "parent", "provider", "protect", "retainOnDelete", "inputs"}
        assert step["op"] == "create" and step["urn"] == state["urn"]
        if state["type"] != "pulumi:pulumi:Stack":
            assert state["parent"] in seen  # parents precede their children
        seen.add(state["urn"])
