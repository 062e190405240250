"""AWS facts the rules need: resource type tokens (pulumi-aws 7.x), accepted values, ARN and key shapes.

Duplicated from the program's `vocabulary/` and `inventory/aws_facts.py` on purpose: the pack is shipped and
installed on its own (`pulumi preview --policy-pack policies` builds a virtualenv with only pulumi and
pulumi-policy in it), so it must not import the project's packages.
"""

from __future__ import annotations

import re
from typing import Any

KMS_KEY = "aws:kms/key:Key"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
BUCKET = "aws:s3/bucket:Bucket"
BUCKET_SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
BUCKET_VERSIONING = "aws:s3/bucketVersioning:BucketVersioning"
BUCKET_PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
BUCKET_OWNERSHIP = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
BUCKET_LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
BUCKET_LOGGING = "aws:s3/bucketLogging:BucketLogging"
BUCKET_OBJECT_LOCK = "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration"
ACCOUNT_PAB = "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock"
IAM_ROLE = "aws:iam/role:Role"
IAM_ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
IAM_POLICY = "aws:iam/policy:Policy"
IAM_USER_POLICY = "aws:iam/userPolicy:UserPolicy"
IAM_GROUP_POLICY = "aws:iam/groupPolicy:GroupPolicy"
IAM_ROLE_POLICY_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
INVOCATION_LOGGING = "aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration"
TRAIL = "aws:cloudtrail/trail:Trail"
SNS_TOPIC = "aws:sns/topic:Topic"
SNS_TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy"
KMS_KEY_POLICY = "aws:kms/keyPolicy:KeyPolicy"
METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
COMPOSITE_ALARM = "aws:cloudwatch/compositeAlarm:CompositeAlarm"
DASHBOARD = "aws:cloudwatch/dashboard:Dashboard"
OAM_LINK = "aws:oam/link:Link"
OAM_SINK_POLICY = "aws:oam/sinkPolicy:SinkPolicy"
LOG_RESOURCE_POLICY = "aws:cloudwatch/logResourcePolicy:LogResourcePolicy"
KMS_ALIAS = "aws:kms/alias:Alias"
BUDGET = "aws:budgets/budget:Budget"
AWS_PROVIDER = "pulumi:providers:aws"

# CloudWatch Logs PutRetentionPolicy accepts only these values (API reference, `retentionInDays`).
LOG_RETENTION_DAYS: tuple[int, ...] = (
    *(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545),
    *(731, 1096, 1827, 2192, 2557, 2922, 3288, 3653),
)

# KMS ScheduleKeyDeletion `PendingWindowInDays`: 7 to 30, 30 when unset.
KMS_DELETION_WINDOW = (7, 30)

# What an OAM link can share (CreateLink `ResourceTypes`).
OAM_METRIC = "AWS::CloudWatch::Metric"
OAM_LOG_GROUP = "AWS::Logs::LogGroup"
OAM_RESOURCE_TYPES: tuple[str, ...] = (
    OAM_METRIC,
    OAM_LOG_GROUP,
    "AWS::XRay::Trace",
    "AWS::ApplicationInsights::Application",
    "AWS::InternetMonitor::Monitor",
    "AWS::ApplicationSignals::Service",
    "AWS::ApplicationSignals::ServiceLevelObjective",
)

REGION_PATTERN = r"^[a-z]{2}(-[a-z]+)+-[0-9]$"

# `alias/aws/<service>` names an AWS managed key, bare or inside an alias ARN.
_AWS_MANAGED_KEY = re.compile(r"(^|:)alias/aws/")


def aws_managed_key(value: Any) -> bool:
    """True for `alias/aws/s3`, `arn:aws:kms:<region>:<account>:alias/aws/sns` and the like: keys whose
    policy the account cannot edit, so no other service or account can be granted use of them."""
    return isinstance(value, str) and bool(_AWS_MANAGED_KEY.search(value))


def log_group_name_from_arn(arn: Any) -> tuple[str, str] | None:
    """`arn:aws:logs:<region>:<account>:log-group:<name>[:*]` -> (region, name); None if not that shape."""
    if not isinstance(arn, str):
        return None
    parts = arn.split(":", 6)
    if len(parts) < 7 or parts[2] != "logs" or parts[5] != "log-group":
        return None
    return parts[3], parts[6].removesuffix(":*")
