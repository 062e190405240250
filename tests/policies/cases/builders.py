"""Names, documents and builders the resource-rule cases are written with."""

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
ACCOUNT_PAB = "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock"
OBJECT_LOCK = "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration"
ACCOUNT_BLOCK = {
    "accountId": "111111111111",
    "blockPublicAcls": True,
    "blockPublicPolicy": True,
    "ignorePublicAcls": True,
    "restrictPublicBuckets": True,
}


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


METRIC_FILTER = {"metricConfiguration": {"filter": "Namespace IN ('AWS/Bedrock')"}}
LOG_FILTER = {"logGroupConfiguration": {"filter": "LogGroupName LIKE '/bedrock-observability/%'"}}


def link(types: list[str], **extra: Any) -> dict[str, Any]:
    """A link as the program renders it (metrics filtered to AWS/Bedrock, log groups to the platform's)."""
    configuration = {**METRIC_FILTER, **(LOG_FILTER if "AWS::Logs::LogGroup" in types else {})}
    return {
        "sinkIdentifier": "arn:aws:oam:us-east-1:999999999999:sink/s",
        "resourceTypes": types,
        "linkConfiguration": configuration,
        **extra,
    }


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


def lock(mode: str = "GOVERNANCE", days: float | None = 365, years: int | None = None) -> dict[str, Any]:
    retention: dict[str, Any] = {"mode": mode}
    if days is not None:
        retention["days"] = days
    if years is not None:
        retention["years"] = years
    return {"bucket": BUCKET, "objectLockEnabled": "Enabled", "rule": {"defaultRetention": retention}}
