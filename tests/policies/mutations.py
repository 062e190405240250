"""Single edits of the example org's plans, each a change a reviewer might try to sneak past CI.

(case id, plan, edit, rule expected to refuse it (None: must pass), fragment of its message). Each edit
changes one thing in one resource (or adds one statement to one policy), in place, and returns the name of
the resource it touched.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.policies.edits import Edit, add_statement, first_statement, inputs, nested, option, policy
from tests.policies.mutations_accounts import ROWS as ACCOUNT_ROWS
from tests.policies.mutations_hardening import ROWS as HARDENING_ROWS
from tests.policies.mutations_settings import ROWS as SETTINGS_ROWS

ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
ROLE = "aws:iam/role:Role"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
TOPIC = "aws:sns/topic:Topic"
TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy"
TRAIL = "aws:cloudtrail/trail:Trail"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
SINK_POLICY = "aws:oam/sinkPolicy:SinkPolicy"
KEY = "aws:kms/key:Key"
LOGGING = "aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration"
LINK = "aws:oam/link:Link"
BUCKET = "aws:s3/bucket:Bucket"
LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
VERSIONING = "aws:s3/bucketVersioning:BucketVersioning"
METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
COMPOSITE_ALARM = "aws:cloudwatch/compositeAlarm:CompositeAlarm"
DASHBOARD = "aws:cloudwatch/dashboard:Dashboard"
PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
BUCKET_LOGGING = "aws:s3/bucketLogging:BucketLogging"
EVERYONE_DECRYPT = {
    "Sid": "Oops",
    "Effect": "Allow",
    "Principal": {"AWS": "*"},
    "Action": "kms:Decrypt",
    "Resource": "*",
}
LOGS_TOO = ["AWS::CloudWatch::Metric", "AWS::Logs::LogGroup"]


def _logging_s3(bucket: str) -> Callable[[dict[str, Any]], None]:
    return lambda inputs: inputs["loggingConfig"]["s3Config"].update(bucketName=bucket)


def _sink_types(types: list[str]) -> Callable[[dict[str, Any]], None]:
    return lambda policy: policy["Statement"][0]["Condition"]["ForAllValues:StringEquals"].update(
        {"oam:ResourceTypes": types}
    )


MUTATIONS: list[tuple[str, str, Edit, str | None, str]] = [
    # Policy documents
    (
        "identity-star",
        "payments-prod",
        policy(ROLE_POLICY, "", "policy", first_statement(Action="*")),
        "iam-no-wildcard-actions",
        "allows *",
    ),
    (
        "identity-star-star",
        "payments-prod",
        policy(ROLE_POLICY, "", "policy", first_statement(Action="*:*")),
        "iam-no-wildcard-actions",
        "*:*",
    ),
    (
        "identity-s3-star-on-star",
        "payments-prod",
        policy(ROLE_POLICY, "", "policy", first_statement(Action="s3:*", Resource="*")),
        "iam-no-wildcard-actions",
        "s3:*",
    ),
    (
        "trust-wildcard-source",
        "payments-prod",
        policy(ROLE, "", "assumeRolePolicy", first_statement(Condition={"StringLike": {"aws:SourceAccount": "*"}})),
        "service-role-source-condition",
        "confused deputy",
    ),
    (
        "trust-aws-star",
        "payments-prod",
        policy(ROLE, "", "assumeRolePolicy", first_statement(Principal={"AWS": "*"}, Condition={})),
        "iam-role-trust-not-public",
        "{'AWS': '*'}",
    ),
    (
        "tls-deny-neutralised",
        "payments-prod",
        policy(
            BUCKET_POLICY,
            "audit",
            "policy",
            lambda p: p["Statement"][0]["Condition"].update(StringEquals={"aws:SourceVpce": "vpce-0a1b2c3d"}),
        ),
        "s3-tls-only-policy",
        "aws:SourceVpce",
    ),
    (
        "sse-aws-managed-key",
        "payments-prod",
        nested(
            SSE, "", lambda i: i["rules"][0]["applyServerSideEncryptionByDefault"].update(kmsMasterKeyId="alias/aws/s3")
        ),
        "s3-bucket-sse-kms",
        "alias/aws/s3",
    ),
    (
        "sns-aws-managed-key",
        "payments-prod",
        inputs(TOPIC, "", kmsMasterKeyId="alias/aws/sns"),
        "sns-topic-kms",
        "alias/aws/sns",
    ),
    (
        "trail-aws-managed-key",
        "payments-prod",
        inputs(TRAIL, "", kmsKeyId="arn:aws:kms:us-east-1:111111111111:alias/aws/cloudtrail"),
        "cloudtrail-kms",
        "alias/aws/cloudtrail",
    ),
    (
        "log-group-aws-managed-key",
        "payments-prod",
        inputs(LOG_GROUP, "", kmsKeyId="alias/aws/logs"),
        "log-group-kms",
        "alias/aws/logs",
    ),
    (
        "sink-open-to-everyone",
        "monitoring",
        policy(SINK_POLICY, "", "policy", first_statement(Principal="*")),
        "oam-sink-policy-not-public",
        "allows '*'",
    ),
    (
        "key-policy-public",
        "payments-prod",
        policy(KEY, "", "policy", add_statement(EVERYONE_DECRYPT)),
        "kms-key-policy-not-public",
        "'Oops'",
    ),
    (
        "topic-policy-public",
        "payments-prod",
        policy(
            TOPIC_POLICY,
            "",
            "policy",
            add_statement({"Effect": "Allow", "Principal": "*", "Action": "sns:Subscribe", "Resource": "*"}),
        ),
        "sns-topic-policy-not-public",
        "sns:Subscribe",
    ),
    (
        "topic-policy-wildcard-source",
        "payments-prod",
        policy(
            TOPIC_POLICY,
            "",
            "policy",
            first_statement(Principal="*", Condition={"StringLike": {"aws:SourceAccount": "*"}}),
        ),
        "sns-topic-policy-not-public",
        "without an organisation",
    ),
    (
        "bucket-policy-public-read",
        "payments-prod",
        policy(
            BUCKET_POLICY,
            "",
            "policy",
            add_statement({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}),
        ),
        "s3-bucket-policy-not-public",
        "s3:GetObject",
    ),
    # Where data goes
    (
        "logging-to-foreign-bucket",
        "payments-prod",
        nested(LOGGING, "", _logging_s3("attacker-owned-bucket")),
        "log-destinations-managed",
        "attacker-owned-bucket",
    ),
    (
        "logging-to-foreign-log-group",
        "payments-prod",
        nested(LOGGING, "", lambda i: i["loggingConfig"]["cloudwatchConfig"].update(logGroupName="/exfil")),
        "log-destinations-managed",
        "/exfil",
    ),
    (
        "trail-to-foreign-bucket",
        "payments-prod",
        inputs(TRAIL, "", s3BucketName="attacker-owned-bucket"),
        "log-destinations-managed",
        "attacker-owned-bucket",
    ),
    (
        "trail-to-foreign-log-group",
        "payments-prod",
        inputs(TRAIL, "", cloudWatchLogsGroupArn="arn:aws:logs:us-east-1:111111111111:log-group:/other:*"),
        "log-destinations-managed",
        "'/other'",
    ),
    (
        "resource-outside-allowed-regions",
        "payments-prod",
        inputs(DASHBOARD, "", region="sa-east-1"),
        "allowed-regions",
        "sa-east-1",
    ),
    (
        "link-shares-log-groups",
        "payments-prod",
        inputs(LINK, "", resourceTypes=LOGS_TOO),
        "oam-shared-types",
        "AWS::Logs::LogGroup",
    ),
    (
        "sink-admits-log-groups",
        "monitoring",
        policy(SINK_POLICY, "", "policy", _sink_types(LOGS_TOO)),
        "oam-shared-types",
        "AWS::Logs::LogGroup",
    ),
    # Retention and protection
    (
        "kms-deletion-window-7",
        "payments-prod",
        inputs(KEY, "", deletionWindowInDays=7),
        "kms-key-deletion-window",
        "7 days",
    ),
    (
        "bucket-not-retained",
        "payments-prod",
        option(BUCKET, "", "retainOnDelete", False),
        "data-resources-retained",
        "retain_on_delete",
    ),
    (
        "log-group-not-protected",
        "payments-prod",
        option(LOG_GROUP, "", "protect", False),
        "data-resources-protected",
        "protect=True",
    ),
    (
        "retention-fractional",
        "payments-prod",
        inputs(LOG_GROUP, "", retentionInDays=90.5),
        "log-group-retention",
        "not a whole number",
    ),
    (
        "retention-unsupported",
        "payments-prod",
        inputs(LOG_GROUP, "", retentionInDays=100),
        "log-group-retention",
        "does not accept",
    ),
    (
        "noncurrent-expiry-1-day",
        "payments-prod",
        nested(LIFECYCLE, "", lambda i: i["rules"][0]["noncurrentVersionExpiration"].update(noncurrentDays=1)),
        "log-bucket-lifecycle",
        "after 1 days",
    ),
    (
        "versioning-suspended",
        "payments-prod",
        inputs(VERSIONING, "", versioningConfiguration={"status": "Suspended"}),
        "log-bucket-versioning",
        "'Suspended'",
    ),
    (
        "public-access-block-off",
        "payments-prod",
        inputs(PAB, "", blockPublicPolicy=False),
        "s3-public-access-block",
        "block_public_policy",
    ),
    # Alarms and trail
    (
        "alarm-actions-disabled",
        "payments-prod",
        inputs(METRIC_ALARM, "", actionsEnabled=False),
        "alarm-actions-enabled",
        "actions_enabled=False",
    ),
    (
        "composite-without-actions",
        "payments-prod",
        inputs(COMPOSITE_ALARM, "", alarmActions=[]),
        "alarm-actions-enabled",
        "no alarm_actions",
    ),
    (
        "trail-without-management-events",
        "payments-prod",
        nested(TRAIL, "", lambda i: i["advancedEventSelectors"].pop(0)),
        "cloudtrail-management-events",
        "none for management events",
    ),
    (
        "trail-read-only-management",
        "payments-prod",
        nested(
            TRAIL,
            "",
            lambda i: i["advancedEventSelectors"][0]["fieldSelectors"].append(
                {"field": "readOnly", "equals": ["true"]}
            ),
        ),
        "cloudtrail-management-events",
        "readOnly",
    ),
    (
        "trail-logging-stopped",
        "payments-prod",
        inputs(TRAIL, "", enableLogging=False),
        "cloudtrail-logging-enabled",
        "logging stopped",
    ),
    (
        "trail-without-cloudwatch-logs",
        "payments-prod",
        nested(TRAIL, "", lambda i: i.pop("cloudWatchLogsRoleArn")),
        "cloudtrail-cloudwatch-logs",
        "cloud_watch_logs_role_arn",
    ),
    # S3 server access logging (S3.9 / CloudTrail.7) and the access-log bucket's role
    # In the home region, where the trail bucket still logs to the access-log bucket (which so stays a verified
    # target: elsewhere its SSE-S3 would rightly be refused too).
    (
        "bucket-logs-to-itself",
        "payments-prod",
        nested(BUCKET_LOGGING, "us-east-1-access-logs-invocation", lambda i: i.update(targetBucket=i["bucket"])),
        "s3-server-access-logging",
        "log its own access",
    ),
    (
        "log-bucket-claims-the-access-log-role",
        "payments-prod",
        nested(BUCKET, "invocations", lambda i: i["tags"].update({"bedrock-observability:bucket-role": "access-logs"})),
        "s3-server-access-logging",
        "no other bucket's aws.s3.BucketLogging delivers to it",
    ),
    # Must pass (false positives)
    (
        "dsse-kms-bucket",
        "payments-prod",
        nested(
            SSE,
            "",
            lambda i: i["rules"][0].update(
                applyServerSideEncryptionByDefault={
                    "sseAlgorithm": "aws:kms:dsse",
                    "kmsMasterKeyId": i["rules"][0]["applyServerSideEncryptionByDefault"]["kmsMasterKeyId"],
                },
                bucketKeyEnabled=False,
            ),
        ),
        None,
        "",
    ),
    (
        "sink-open-to-the-org",
        "monitoring",
        policy(
            SINK_POLICY,
            "",
            "policy",
            lambda p: (
                p["Statement"][0].update(Principal="*")
                or p["Statement"][0]["Condition"].update(StringEquals={"aws:PrincipalOrgID": "o-a1b2c3d4e5"})
            ),
        ),
        None,
        "",
    ),
    (
        "topic-open-to-the-org",
        "payments-prod",
        policy(
            TOPIC_POLICY,
            "",
            "policy",
            add_statement(
                {
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "sns:Publish",
                    "Resource": "*",
                    "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
                }
            ),
        ),
        None,
        "",
    ),
    *ACCOUNT_ROWS,
    *SETTINGS_ROWS,
    *HARDENING_ROWS,
]
