"""The resource-rule table: for every resource rule, a compliant resource and each kind of mistake.

(rule, resource type, compliant inputs, [(case id, violating inputs, fragment of the expected message)])
"""

from __future__ import annotations

import json
from typing import Any

KEY = "arn:aws:kms:us-east-1:111111111111:key/k-1"
ACCOUNT = "111111111111"
ORG = "o-a1b2c3d4e5"
BUCKET = "logs-111111111111-us-east-1"
ARN = f"arn:aws:s3:::{BUCKET}"

LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
TRAIL = "aws:cloudtrail/trail:Trail"
LOGGING = "aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration"
ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
TOPIC = "aws:sns/topic:Topic"
TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy"
KMS_KEY = "aws:kms/key:Key"
METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
COMPOSITE_ALARM = "aws:cloudwatch/compositeAlarm:CompositeAlarm"
OAM_LINK = "aws:oam/link:Link"
SINK_POLICY = "aws:oam/sinkPolicy:SinkPolicy"
VERSIONING = "aws:s3/bucketVersioning:BucketVersioning"


def doc(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(principal: Any, action: Any = "sns:Publish", condition: dict | None = None, **extra: Any) -> dict:
    """An Allow statement; no Principal (identity policy) when principal is None, no Action when None."""
    statement: dict[str, Any] = {"Effect": "Allow", "Principal": principal, "Action": action, "Resource": "*"}
    statement = {k: v for k, v in statement.items() if v is not None}
    if condition is not None:
        statement["Condition"] = condition
    statement.update(extra)
    return statement


ORG_ONLY = {"StringEquals": {"aws:PrincipalOrgID": ORG}}
ACCOUNT_ONLY = {"StringEquals": {"aws:SourceAccount": ACCOUNT}}


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
    return doc(statement)


def trust(condition: dict | None, principal: Any = None) -> str:
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": principal or {"Service": "bedrock.amazonaws.com"},
        "Action": "sts:AssumeRole",
    }
    if condition is not None:
        statement["Condition"] = condition
    return doc(statement)


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


def sse(algorithm: str = "aws:kms", key: str | None = KEY, bucket_key: bool | None = True) -> dict[str, Any]:
    default: dict[str, Any] = {"sseAlgorithm": algorithm}
    if key is not None:
        default["kmsMasterKeyId"] = key
    rule: dict[str, Any] = {"applyServerSideEncryptionByDefault": default}
    if bucket_key is not None:
        rule["bucketKeyEnabled"] = bucket_key
    return {"bucket": BUCKET, "rules": [rule]}


def link(types: list[str], **extra: Any) -> dict[str, Any]:
    return {"sinkIdentifier": "arn:aws:oam:us-east-1:999999999999:sink/s", "resourceTypes": types, **extra}


def sink_policy(principal: Any = None, condition: dict | None = None) -> dict[str, Any]:
    if condition is None:
        condition = {
            "ForAllValues:StringEquals": {"oam:ResourceTypes": ["AWS::CloudWatch::Metric"]},
            "Null": {"oam:ResourceTypes": "false"},
        }
    statement = allow(principal or {"AWS": [ACCOUNT]}, ["oam:CreateLink", "oam:UpdateLink"], condition)
    return {"sinkIdentifier": "arn:aws:oam:us-east-1:999999999999:sink/s", "policy": doc(statement)}


GOOD_TRAIL = {
    "name": "t",
    "s3BucketName": BUCKET,
    "kmsKeyId": KEY,
    "enableLogFileValidation": True,
    "isMultiRegionTrail": True,
    "cloudWatchLogsGroupArn": "arn:aws:logs:us-east-1:111111111111:log-group:/trail:*",
    "cloudWatchLogsRoleArn": "arn:aws:iam::111111111111:role/trail-to-logs",
}
MANAGEMENT = {"name": "m", "fieldSelectors": [{"field": "eventCategory", "equals": ["Management"]}]}
DATA = {
    "name": "d",
    "fieldSelectors": [
        {"field": "eventCategory", "equals": ["Data"]},
        {"field": "resources.type", "equals": ["AWS::Bedrock::Guardrail"]},
    ],
}
ALARM = {"name": "a", "alarmActions": ["arn:aws:sns:us-east-1:111111111111:alerts"], "actionsEnabled": True}
PUBLISH = "arn:aws:cloudwatch:us-east-1:111111111111:alarm:*"
KEY_ADMIN = allow({"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "kms:*")

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
            ("fractional", {"retentionInDays": 90.5, "kmsKeyId": KEY}, "not a whole number"),
            ("boolean", {"retentionInDays": True, "kmsKeyId": KEY}, "not a whole number"),
            ("text", {"retentionInDays": "ninety", "kmsKeyId": KEY}, "not a whole number"),
        ],
    ),
    (
        "log-group-kms",
        LOG_GROUP,
        {"retentionInDays": 90, "kmsKeyId": KEY},
        [
            ("no-key", {"retentionInDays": 90}, "kms_key_id"),
            ("aws-managed", {"retentionInDays": 90, "kmsKeyId": "alias/aws/logs"}, "AWS managed key"),
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
                "expiry-fractional",
                {"bucket": BUCKET, "rules": [lifecycle_rule(expiration={"days": 400.5})]},
                "not a whole number",
            ),
            (
                "no-noncurrent",
                {"bucket": BUCKET, "rules": [lifecycle_rule(noncurrentVersionExpiration=None)]},
                "noncurrent",
            ),
            (
                "noncurrent-too-short",
                {"bucket": BUCKET, "rules": [lifecycle_rule(noncurrentVersionExpiration={"noncurrentDays": 1})]},
                "after 1 days, less than the required 30",
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
        sse(),
        [
            ("sse-s3", sse(algorithm="AES256", key=None), "'AES256'"),
            ("no-key", sse(key=None), "aws/s3 managed key"),
            ("aws-managed-alias", sse(key="alias/aws/s3"), "AWS managed key 'alias/aws/s3'"),
            (
                "aws-managed-alias-arn",
                sse(key="arn:aws:kms:us-east-1:111111111111:alias/aws/s3"),
                "AWS managed key",
            ),
            ("no-bucket-key", sse(bucket_key=None), "Bucket Key"),
            ("no-rules", {"bucket": BUCKET, "rules": []}, "has no rules"),
        ],
    ),
    # DSSE-KMS satisfies the requirement; it does not support S3 Bucket Keys, so none is required.
    ("s3-bucket-sse-kms", SSE, sse(algorithm="aws:kms:dsse", bucket_key=False), []),
    (
        "sns-topic-kms",
        TOPIC,
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
            ("aws-managed", {**GOOD_TRAIL, "kmsKeyId": "alias/aws/cloudtrail"}, "AWS managed key"),
        ],
    ),
    (
        "kms-key-rotation",
        KMS_KEY,
        {"enableKeyRotation": True},
        [("off", {"enableKeyRotation": False}, "does not rotate"), ("unset", {}, "does not rotate")],
    ),
    (
        "kms-key-deletion-window",
        KMS_KEY,
        {"deletionWindowInDays": 30},
        [
            ("seven-days", {"deletionWindowInDays": 7}, "7 days after a deletion is scheduled"),
            ("fractional", {"deletionWindowInDays": 29.5}, "not a whole number"),
        ],
    ),
    ("kms-key-deletion-window", KMS_KEY, {}, []),  # unset: KMS uses 30 days
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
        BUCKET_POLICY,
        {"bucket": BUCKET, "policy": tls_policy()},
        [
            ("allow-instead", {"bucket": BUCKET, "policy": tls_policy(Effect="Allow")}, "plain-HTTP"),
            ("objects-only", {"bucket": BUCKET, "policy": tls_policy(Resource=f"{ARN}/*")}, "plain-HTTP"),
            (
                "true-condition",
                {"bucket": BUCKET, "policy": tls_policy(Condition={"Bool": {"aws:SecureTransport": "true"}})},
                "plain-HTTP",
            ),
            (
                "neutralised-by-extra-condition",
                {
                    "bucket": BUCKET,
                    "policy": tls_policy(
                        Condition={
                            "Bool": {"aws:SecureTransport": "false"},
                            "StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"},
                        }
                    ),
                },
                "only when StringEquals aws:SourceVpce",
            ),
            (
                "not-principal",
                {"bucket": BUCKET, "policy": tls_policy(NotPrincipal={"AWS": f"arn:aws:iam::{ACCOUNT}:root"})},
                "plain-HTTP",
            ),
            ("not-json", {"bucket": BUCKET, "policy": "{not json"}, "not a JSON policy"),
        ],
    ),
    (
        "s3-acls-disabled",
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
        {"bucket": BUCKET, "rule": {"objectOwnership": "BucketOwnerEnforced"}},
        [("preferred", {"bucket": BUCKET, "rule": {"objectOwnership": "BucketOwnerPreferred"}}, "keeps ACLs")],
    ),
    (
        "log-bucket-versioning",
        VERSIONING,
        {"bucket": BUCKET, "versioningConfiguration": {"status": "Enabled"}},
        [
            ("suspended", {"bucket": BUCKET, "versioningConfiguration": {"status": "Suspended"}}, "'Suspended'"),
            ("disabled", {"bucket": BUCKET, "versioningConfiguration": {"status": "Disabled"}}, "'Disabled'"),
        ],
    ),
    (
        "service-role-source-condition",
        ROLE,
        {"assumeRolePolicy": trust(ACCOUNT_ONLY)},
        [
            ("no-condition", {"assumeRolePolicy": trust(None)}, "confused deputy"),
            (
                "unrelated-condition",
                {"assumeRolePolicy": trust({"Bool": {"aws:MultiFactorAuthPresent": "true"}})},
                "confused deputy",
            ),
            (
                "wildcard-account",
                {"assumeRolePolicy": trust({"StringLike": {"aws:SourceAccount": "*"}})},
                "confused deputy",
            ),
            (
                "wildcard-arn-account",
                {"assumeRolePolicy": trust({"ArnLike": {"aws:SourceArn": "arn:aws:bedrock:us-east-1:*:*"}})},
                "confused deputy",
            ),
            (
                "negated",
                {"assumeRolePolicy": trust({"StringNotEquals": {"aws:SourceAccount": ACCOUNT}})},
                "confused deputy",
            ),
            (
                "if-exists",
                {"assumeRolePolicy": trust({"StringEqualsIfExists": {"aws:SourceAccount": ACCOUNT}})},
                "confused deputy",
            ),
        ],
    ),
    (
        "iam-role-trust-not-public",
        ROLE,
        {"assumeRolePolicy": trust(ACCOUNT_ONLY)},
        [
            ("aws-star", {"assumeRolePolicy": trust(None, principal={"AWS": "*"})}, "without an organisation"),
            ("star", {"assumeRolePolicy": trust(None, principal="*")}, "without an organisation"),
            (
                "star-with-wildcard-account",
                {"assumeRolePolicy": trust({"StringLike": {"aws:PrincipalAccount": "*"}}, principal="*")},
                "without an organisation",
            ),
        ],
    ),
    ("iam-role-trust-not-public", ROLE, {"assumeRolePolicy": trust(ORG_ONLY, principal={"AWS": "*"})}, []),
    (
        "kms-key-policy-not-public",
        KMS_KEY,
        {"policy": doc(KEY_ADMIN)},
        [
            ("everyone", {"policy": doc(KEY_ADMIN, allow({"AWS": "*"}, "kms:Decrypt"))}, "allows {'AWS': '*'}"),
            (
                "not-principal",
                {"policy": doc({"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::1:root"}, "Action": "kms:*"})},
                "NotPrincipal",
            ),
        ],
    ),
    ("kms-key-policy-not-public", KMS_KEY, {"policy": doc(allow("*", "kms:Decrypt", ORG_ONLY))}, []),
    ("kms-key-policy-not-public", KMS_KEY, {}, []),  # the default key policy
    (
        "sns-topic-policy-not-public",
        TOPIC_POLICY,
        {"arn": "arn:t", "policy": doc(allow({"Service": "cloudwatch.amazonaws.com"}, condition=ACCOUNT_ONLY))},
        [
            ("everyone", {"arn": "arn:t", "policy": doc(allow("*"))}, "allows '*'"),
            (
                "wildcard-condition",
                {"arn": "arn:t", "policy": doc(allow("*", condition={"StringLike": {"aws:SourceAccount": "*"}}))},
                "without an organisation",
            ),
            (
                "policy-variable",
                {
                    "arn": "arn:t",
                    "policy": doc(allow("*", condition={"StringEquals": {"aws:SourceAccount": "${aws:username}"}})),
                },
                "without an organisation",
            ),
        ],
    ),
    ("sns-topic-policy-not-public", TOPIC_POLICY, {"arn": "arn:t", "policy": doc(allow("*", condition=ORG_ONLY))}, []),
    (
        "sns-topic-policy-not-public",
        TOPIC_POLICY,
        {"arn": "arn:t", "policy": doc(allow("*", condition={"ArnLike": {"aws:SourceArn": PUBLISH}}))},
        [],
    ),
    (
        "sns-topic-policy-not-public",
        TOPIC,
        {"kmsMasterKeyId": KEY},
        [("inline-everyone", {"kmsMasterKeyId": KEY, "policy": doc(allow({"AWS": ["*"]}))}, "without an organisation")],
    ),
    (
        "s3-bucket-policy-not-public",
        BUCKET_POLICY,
        {"bucket": BUCKET, "policy": tls_policy()},
        [
            (
                "public-read",
                {"bucket": BUCKET, "policy": doc(allow("*", "s3:GetObject", Resource=f"{ARN}/*"))},
                "allows '*' ['s3:GetObject']",
            ),
            (
                "wildcard-account-root",
                {"bucket": BUCKET, "policy": doc(allow({"AWS": "arn:aws:iam::*:root"}, "s3:GetObject"))},
                "without an organisation",
            ),
        ],
    ),
    (
        "s3-bucket-policy-not-public",
        BUCKET_POLICY,
        {
            "bucket": BUCKET,
            "policy": doc(allow("*", "s3:GetObject", {"StringEquals": {"aws:PrincipalAccount": ACCOUNT}})),
        },
        [],
    ),
    (
        "oam-sink-policy-not-public",
        SINK_POLICY,
        sink_policy(),
        [("everyone", sink_policy(principal="*"), "without an organisation")],
    ),
    (
        "oam-sink-policy-not-public",
        SINK_POLICY,
        sink_policy(
            principal="*",
            condition={
                "ForAllValues:StringEquals": {"oam:ResourceTypes": ["AWS::CloudWatch::Metric"]},
                "Null": {"oam:ResourceTypes": "false"},
                "StringEquals": {"aws:PrincipalOrgID": ORG},
            },
        ),
        [],
    ),
    (
        "iam-no-wildcard-actions",
        ROLE_POLICY,
        {"role": "r", "policy": doc(allow(None, ["logs:CreateLogStream", "logs:PutLogEvents"]))},
        [
            ("star", {"role": "r", "policy": doc(allow(None, "*"))}, "allows *"),
            ("star-star", {"role": "r", "policy": doc(allow(None, "*:*"))}, "allows *:*"),
            ("service-star", {"role": "r", "policy": doc(allow(None, ["s3:*"]))}, "allows s3:*"),
            ("not-action", {"role": "r", "policy": doc(allow(None, None, NotAction="iam:*"))}, "NotAction"),
        ],
    ),
    ("iam-no-wildcard-actions", ROLE_POLICY, {"role": "r", "policy": doc(allow(None, ["logs:Describe*"]))}, []),
    (
        "iam-no-wildcard-actions",
        ROLE,
        {"assumeRolePolicy": trust(ACCOUNT_ONLY)},
        [
            (
                "inline-star",
                {
                    "assumeRolePolicy": trust(ACCOUNT_ONLY),
                    "inlinePolicies": [{"name": "p", "policy": doc(allow(None, "*"))}],
                },
                "inline policy 'p'",
            ),
            (
                "admin-attached",
                {
                    "assumeRolePolicy": trust(ACCOUNT_ONLY),
                    "managedPolicyArns": ["arn:aws:iam::aws:policy/AdministratorAccess"],
                },
                "AdministratorAccess",
            ),
        ],
    ),
    (
        "cloudtrail-log-file-validation",
        TRAIL,
        GOOD_TRAIL,
        [("off", {**GOOD_TRAIL, "enableLogFileValidation": False}, "enable_log_file_validation")],
    ),
    (
        "cloudtrail-multi-region",
        TRAIL,
        GOOD_TRAIL,
        [("single-region", {**GOOD_TRAIL, "isMultiRegionTrail": False}, "is_multi_region_trail")],
    ),
    (
        "cloudtrail-management-events",
        TRAIL,
        {**GOOD_TRAIL, "advancedEventSelectors": [MANAGEMENT, DATA]},
        [
            ("data-only", {**GOOD_TRAIL, "advancedEventSelectors": [DATA]}, "none for management events"),
            (
                "read-only",
                {
                    **GOOD_TRAIL,
                    "advancedEventSelectors": [
                        {"fieldSelectors": [*MANAGEMENT["fieldSelectors"], {"field": "readOnly", "equals": ["true"]}]}
                    ],
                },
                "matching readOnly",
            ),
            (
                "basic-excluded",
                {**GOOD_TRAIL, "eventSelectors": [{"includeManagementEvents": False, "readWriteType": "All"}]},
                "include_management_events=False",
            ),
            (
                "basic-write-only",
                {**GOOD_TRAIL, "eventSelectors": [{"includeManagementEvents": True, "readWriteType": "WriteOnly"}]},
                "only WriteOnly",
            ),
        ],
    ),
    (
        "cloudtrail-logging-enabled",
        TRAIL,
        {**GOOD_TRAIL, "enableLogging": True},
        [("stopped", {**GOOD_TRAIL, "enableLogging": False}, "logging stopped")],
    ),
    (
        "cloudtrail-cloudwatch-logs",
        TRAIL,
        GOOD_TRAIL,
        [
            ("no-group", {**GOOD_TRAIL, "cloudWatchLogsGroupArn": None}, "cloud_watch_logs_group_arn"),
            ("no-role", {**GOOD_TRAIL, "cloudWatchLogsRoleArn": None}, "cloud_watch_logs_role_arn"),
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
        "alarm-actions-enabled",
        METRIC_ALARM,
        ALARM,
        [
            ("actions-disabled", {**ALARM, "actionsEnabled": False}, "actions_enabled=False"),
            ("no-actions", {**ALARM, "alarmActions": []}, "no alarm_actions"),
            ("actions-unset", {"name": "a"}, "no alarm_actions"),
        ],
    ),
    (
        "alarm-actions-enabled",
        COMPOSITE_ALARM,
        {**ALARM, "alarmRule": "ALARM(a)"},
        [("actions-disabled", {**ALARM, "alarmRule": "ALARM(a)", "actionsEnabled": False}, "actions_enabled=False")],
    ),
    (
        "log-bucket-no-force-destroy",
        "aws:s3/bucket:Bucket",
        {"bucket": BUCKET, "forceDestroy": False},
        [("force-destroy", {"bucket": BUCKET, "forceDestroy": True}, "force_destroy=True")],
    ),
    (
        "oam-shared-types",
        OAM_LINK,
        link(["AWS::CloudWatch::Metric"]),
        [
            ("logs", link(["AWS::CloudWatch::Metric", "AWS::Logs::LogGroup"]), "shares 'AWS::Logs::LogGroup'"),
            (
                "log-config",
                link(["AWS::CloudWatch::Metric"], linkConfiguration={"logGroupConfiguration": {"filter": "x"}}),
                "log group sharing",
            ),
        ],
    ),
    (
        "oam-shared-types",
        SINK_POLICY,
        sink_policy(),
        [
            (
                "admits-logs",
                sink_policy(
                    condition={
                        "ForAllValues:StringEquals": {
                            "oam:ResourceTypes": ["AWS::CloudWatch::Metric", "AWS::Logs::LogGroup"]
                        },
                        "Null": {"oam:ResourceTypes": "false"},
                    }
                ),
                "admits AWS::Logs::LogGroup",
            ),
            ("no-condition", sink_policy(condition={}), "any resource type"),
            (
                "no-null-guard",
                sink_policy(
                    condition={"ForAllValues:StringEquals": {"oam:ResourceTypes": ["AWS::CloudWatch::Metric"]}}
                ),
                "any resource type",
            ),
        ],
    ),
]
