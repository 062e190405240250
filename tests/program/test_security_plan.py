"""Security features of the workload plans (issue 11): S3 server access logging into a per account-region
access-log bucket, bucket roles, log bucket settings protected with their bucket, CloudWatch Logs data
protection, and the opt-in Object Lock, CloudTrail Insights and account-wide S3 Block Public Access."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from obsctl.policy import check_plans
from tests.conftest import org_data, resources

WORKLOADS = {
    "payments-prod": ("111111111111", ["us-east-1", "eu-west-1"]),
    "research-dev": ("222222222222", ["us-west-2", "eu-central-1", "ap-southeast-2"]),
}
ROLE_TAG = "bedrock-observability:bucket-role"
BUCKET = "aws:s3/bucket:Bucket"
BUCKET_LOGGING = "aws:s3/bucketLogging:BucketLogging"
SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
OBJECT_LOCK = "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration"
ACCOUNT_PAB = "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock"
BUCKET_SETTINGS = (
    SSE,
    LIFECYCLE,
    BUCKET_POLICY,
    BUCKET_LOGGING,
    "aws:s3/bucketVersioning:BucketVersioning",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
)
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
DATA_PROTECTION = "aws:cloudwatch/logDataProtectionPolicy:LogDataProtectionPolicy"
LOGGING = "aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration"
TRAIL = "aws:cloudtrail/trail:Trail"
KEY = "aws:kms/key:Key"
FINDINGS = "/aws/vendedlogs/bedrock-observability/data-protection-findings"


def by_bucket(plan: dict[str, Any], type_: str) -> dict[str, dict[str, Any]]:
    return {r["inputs"]["bucket"]: r for r in resources(plan, type_)}


def statements(document: str) -> dict[str, dict[str, Any]]:
    return {s["Sid"]: s for s in json.loads(document)["Statement"]}


# --- S3 server access logging ------------------------------------------------------------------------------


@pytest.mark.parametrize("stack", sorted(WORKLOADS))
def test_every_log_bucket_logs_its_access_to_the_regions_access_log_bucket(example_plans: dict, stack: str) -> None:
    account, regions = WORKLOADS[stack]
    plan = example_plans[stack]
    loggings = by_bucket(plan, BUCKET_LOGGING)
    for region in regions:
        target = f"bedrock-access-logs-{account}-{region}"
        sources = [f"bedrock-invocation-logs-{account}-{region}"]
        if region == regions[0]:
            sources.append(f"bedrock-audit-trail-{account}-{region}")  # CloudTrail.7
        for source in sources:
            inputs = loggings.pop(source)["inputs"]
            assert (inputs["targetBucket"], inputs["targetPrefix"], inputs["region"]) == (
                target,
                "s3-access-logs/",
                region,
            )
            assert inputs["targetObjectKeyFormat"] == {"partitionedPrefix": {"partitionDateSource": "EventTime"}}
        # Only the log buckets' own grant: the logging service, for exactly these sources of this account.
        policy = statements(by_bucket(plan, BUCKET_POLICY)[target]["inputs"]["policy"])
        assert set(policy) == {"DenyInsecureTransport", "AllowS3ServerAccessLogDelivery"}
        grant = policy["AllowS3ServerAccessLogDelivery"]
        assert grant["Principal"] == {"Service": "logging.s3.amazonaws.com"} and grant["Action"] == "s3:PutObject"
        assert grant["Resource"] == f"arn:aws:s3:::{target}/s3-access-logs/*"
        assert grant["Condition"] == {
            "ArnLike": {"aws:SourceArn": sorted(f"arn:aws:s3:::{s}" for s in sources)},
            "StringEquals": {"aws:SourceAccount": account},
        }
    assert loggings == {}  # nothing else logs: the access-log buckets have no access logging of their own


@pytest.mark.parametrize("stack", sorted(WORKLOADS))
def test_access_log_buckets_are_sse_s3_private_and_expire_after_a_year(example_plans: dict, stack: str) -> None:
    account, regions = WORKLOADS[stack]
    plan = example_plans[stack]
    for region in regions:
        target = f"bedrock-access-logs-{account}-{region}"
        bucket = by_bucket(plan, BUCKET)[target]
        assert bucket["inputs"]["tags"] == {ROLE_TAG: "access-logs"}
        assert bucket["protect"] is True and bucket["retainOnDelete"] is True
        assert "objectLockEnabled" not in bucket["inputs"]
        # SSE-S3: the only default encryption AWS documents for an access-log target; no KMS upload deny.
        [rule] = by_bucket(plan, SSE)[target]["inputs"]["rules"]
        assert rule == {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}
        [lifecycle] = by_bucket(plan, LIFECYCLE)[target]["inputs"]["rules"]
        assert "transitions" not in lifecycle and lifecycle["expiration"] == {"days": 365}
        assert lifecycle["noncurrentVersionExpiration"]["noncurrentDays"] == 30
    assert not resources(plan, OBJECT_LOCK)


@pytest.mark.parametrize("stack", sorted(WORKLOADS))
def test_log_buckets_carry_their_role(example_plans: dict, stack: str) -> None:
    account, regions = WORKLOADS[stack]
    roles = {b["inputs"]["bucket"]: b["inputs"]["tags"][ROLE_TAG] for b in resources(example_plans[stack], BUCKET)}
    expected = {f"bedrock-audit-trail-{account}-{regions[0]}": "audit-trail"}
    for region in regions:
        expected[f"bedrock-invocation-logs-{account}-{region}"] = "invocation-logs"
        expected[f"bedrock-access-logs-{account}-{region}"] = "access-logs"
    assert roles == expected


@pytest.mark.parametrize("stack", sorted(WORKLOADS))
def test_kms_buckets_accept_kms_and_dsse_uploads_only_and_keep_small_files_in_place(
    example_plans: dict, stack: str
) -> None:
    plan = example_plans[stack]
    for policy in resources(plan, BUCKET_POLICY):
        deny = statements(policy["inputs"]["policy"]).get("DenyNonKmsEncryption")
        if "access-logs" in policy["inputs"]["bucket"]:
            assert deny is None
            continue
        assert deny["Condition"]["StringNotEquals"] == {"s3:x-amz-server-side-encryption": ["aws:kms", "aws:kms:dsse"]}
    # S3's own default, made explicit: files under 128 KB stay in Standard (cheaper than tiering them).
    assert {r["inputs"]["transitionDefaultMinimumObjectSize"] for r in resources(plan, LIFECYCLE)} == {
        "all_storage_classes_128K"
    }


@pytest.mark.parametrize("stack", sorted(WORKLOADS))
def test_bucket_settings_are_protected_and_retained_with_the_bucket(example_plans: dict, stack: str) -> None:
    plan = example_plans[stack]
    for type_ in BUCKET_SETTINGS:
        settings = resources(plan, type_)
        assert settings
        for setting in settings:
            assert (setting["protect"], setting["retainOnDelete"]) == (True, True), setting["urn"]


def test_allow_data_deletion_lifts_protect_on_bucket_settings_but_retains_them(plan_inventory: Callable) -> None:
    org = org_data()
    org["workload_accounts"][1]["settings"]["allow_data_deletion"] = True
    plan = plan_inventory(org, "research-dev")
    for type_ in BUCKET_SETTINGS:
        for setting in resources(plan, type_):
            assert (setting["protect"], setting["retainOnDelete"]) == (False, True), setting["urn"]


# --- CloudWatch Logs data protection (payments-prod turns it on in the example org) -----------------------


def test_data_protection_masks_the_inventorys_identifiers_in_every_region(example_plans: dict) -> None:
    account, regions = WORKLOADS["payments-prod"]
    plan = example_plans["payments-prod"]
    wanted = org_data()["workload_accounts"][0]["settings"]["invocation_logging"]["data_protection"]["identifiers"]
    arns = [f"arn:aws:dataprotection::aws:data-identifier/{name}" for name in wanted]
    policies = {p["inputs"]["region"]: p for p in resources(plan, DATA_PROTECTION)}
    assert sorted(policies) == sorted(regions)
    for region, policy in policies.items():
        assert policy["inputs"]["logGroupName"] == "/bedrock-observability/model-invocations"
        document = json.loads(policy["inputs"]["policyDocument"])
        audit, mask = document["Statement"]
        assert audit["DataIdentifier"] == mask["DataIdentifier"] == arns
        assert audit["Operation"] == {"Audit": {"FindingsDestination": {"CloudWatchLogs": {"LogGroup": FINDINGS}}}}
        assert mask["Operation"] == {"Deidentify": {"MaskConfig": {}}}
        # Bedrock starts logging only once masking is in place.
        [logging] = [c for c in resources(plan, LOGGING) if c["inputs"]["region"] == region]
        assert policy["urn"] in logging["dependencies"]
        # The findings go to a KMS-encrypted, retained log group the region's key admits.
        [findings] = [
            g for g in resources(plan, LOG_GROUP) if g["inputs"]["region"] == region and g["inputs"]["name"] == FINDINGS
        ]
        assert findings["inputs"]["retentionInDays"] == 90 and findings["inputs"]["kmsKeyId"].startswith("arn:aws:kms:")
        assert findings["protect"] is True and findings["urn"] in policy["dependencies"]
        [key] = [k for k in resources(plan, KEY) if k["inputs"]["region"] == region]
        assert f"arn:aws:logs:{region}:{account}:log-group:{FINDINGS}" in key["inputs"]["policy"]


def test_data_protection_is_off_by_default(example_plans: dict) -> None:
    plan = example_plans["research-dev"]
    assert resources(plan, DATA_PROTECTION) == []
    assert FINDINGS not in json.dumps(plan["steps"])


def test_data_protection_without_a_findings_destination(plan_inventory: Callable) -> None:
    org = org_data()
    org["workload_accounts"][1]["settings"]["invocation_logging"]["data_protection"] = {
        "enabled": True,
        "findings_destination": "none",
    }
    plan = plan_inventory(org, "research-dev")
    policies = resources(plan, DATA_PROTECTION)
    assert len(policies) == 3
    for policy in policies:
        document = json.loads(policy["inputs"]["policyDocument"])
        assert document["Statement"][0]["Operation"] == {"Audit": {"FindingsDestination": {}}}
        # The defaults: credentials, card data and e-mail addresses.
        assert [i.rsplit("/", 1)[1] for i in document["Statement"][0]["DataIdentifier"]][:2] == [
            "AwsSecretKey",
            "OpenSshPrivateKey",
        ]
    assert FINDINGS not in json.dumps(plan["steps"])


# --- Opt-in: Object Lock, Insights, account-wide Block Public Access ----------------------------------------


@pytest.fixture(scope="module")
def hardened(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """research-dev with every opt-in security option on, planned once."""
    import yaml

    from obsctl.plan.batch import plan_many

    org = org_data()
    settings = org["workload_accounts"][1]["settings"]
    settings["audit"].update(
        object_lock={"enabled": True, "mode": "COMPLIANCE", "retention_days": 400},
        insights=["ApiCallRateInsight", "ApiErrorRateInsight"],
    )
    settings["account_public_access_block"] = True
    path = tmp_path_factory.mktemp("hardened")
    (path / "org.yaml").write_text(yaml.safe_dump(org))
    config = {
        "bedrock-observability:account": "research-dev",
        "bedrock-observability:inventory": str(path / "org.yaml"),
    }
    [outcome] = plan_many(["research-dev"], path / "plans", workers=1, configs={"research-dev": config})
    assert outcome.error is None, outcome.error
    return json.loads(outcome.path.read_text())


def test_object_lock_locks_the_audit_bucket_only_without_replacing_it(hardened: dict[str, Any]) -> None:
    [lock] = resources(hardened, OBJECT_LOCK)
    inputs = lock["inputs"]
    assert inputs["bucket"] == "bedrock-audit-trail-222222222222-us-west-2"
    assert inputs["objectLockEnabled"] == "Enabled"
    assert inputs["rule"] == {"defaultRetention": {"mode": "COMPLIANCE", "days": 400}}
    assert (lock["protect"], lock["retainOnDelete"]) == (True, True)
    assert any(u.endswith("-audit-bucket-versioning") for u in lock["dependencies"])  # versioning first
    # Enabled through the configuration, never the bucket's own (replacing) object_lock_enabled.
    assert all("objectLockEnabled" not in b["inputs"] for b in resources(hardened, BUCKET))


def test_insights_are_an_option_of_the_trail(hardened: dict[str, Any], example_plans: dict) -> None:
    [trail] = resources(hardened, TRAIL)
    assert trail["inputs"]["insightSelectors"] == [
        {"insightType": "ApiCallRateInsight"},
        {"insightType": "ApiErrorRateInsight"},
    ]
    [default] = resources(example_plans["research-dev"], TRAIL)
    assert "insightSelectors" not in default["inputs"] and "snsTopicName" not in default["inputs"]
    cost = hardened["x-bedrock-observability"]["costEstimate"]
    insights = [i for i in cost["items"] if i["price"] == "cloudtrail.insights_event"]
    assert len(insights) == 2 and all(i["monthlyUsd"] > 0 for i in insights)


def test_account_public_access_block_is_global_retained_and_complete(hardened: dict[str, Any]) -> None:
    [block] = resources(hardened, ACCOUNT_PAB)
    inputs = block["inputs"]
    assert inputs["accountId"] == "222222222222" and "region" not in inputs
    assert all(
        inputs[f] is True for f in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
    )
    assert block["retainOnDelete"] is True


def test_every_option_on_still_passes_the_pack(hardened: dict[str, Any]) -> None:
    result = check_plans([("hardened", hardened)])
    assert [(f.policy, f.message) for f in result.findings] == []
    applicable = {"s3-object-lock-retention", "s3-account-public-access-block", "s3-server-access-logging"}
    assert not applicable & {n.policy for n in result.plans[0].not_applicable}
