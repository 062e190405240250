"""IAM policy documents as plain dicts (JSON-serialised by the components).

Each service principal is scoped with `aws:SourceAccount` / `aws:SourceArn` (confused-deputy protection)
and every statement names the narrowest actions and resources the service needs.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from vocabulary import arns, names, oam

Statement = dict[str, Any]

CLOUDWATCH_SERVICE = "cloudwatch.amazonaws.com"
BUDGETS_SERVICE = "budgets.amazonaws.com"


def policy(statements: Iterable[Statement]) -> dict[str, Any]:
    """A policy document as a dict (for builders whose callers inspect it before serialising)."""
    statements = list(statements)
    if not statements:
        raise ValueError("a policy document needs at least one statement")
    return {"Version": "2012-10-17", "Statement": statements}


def document(statements: Iterable[Statement]) -> str:
    return json.dumps(policy(statements), sort_keys=False)


def service_trust(service: str, account_id: str, source_arn: str) -> str:
    """Trust policy letting one AWS service assume a role only on behalf of this account's resources."""
    return document(
        [
            {
                "Sid": "AllowServiceForThisAccountOnly",
                "Effect": "Allow",
                "Principal": {"Service": service},
                "Action": "sts:AssumeRole",
                "Condition": {
                    "StringEquals": {"aws:SourceAccount": account_id},
                    "ArnLike": {"aws:SourceArn": source_arn},
                },
            }
        ]
    )


# --- SNS topic policies -------------------------------------------------------------------------------


def sns_publish_for_alarms(topic_arn: str, region: str, account_id: str) -> Statement:
    """CloudWatch alarms of this account and region (only) may publish: an alarm notifies only topics of its
    own region, and `aws:SourceAccount` stops other accounts' alarms (confused deputy)."""
    return {
        "Sid": "AllowCloudWatchAlarmsOfThisAccount",
        "Effect": "Allow",
        "Principal": {"Service": CLOUDWATCH_SERVICE},
        "Action": "sns:Publish",
        "Resource": topic_arn,
        "Condition": {
            "StringEquals": {"aws:SourceAccount": account_id},
            "ArnLike": {"aws:SourceArn": arns.any_alarm_arn(region, account_id)},
        },
    }


def sns_publish_for_budgets(topic_arn: str, account_id: str) -> Statement:
    """AWS Budgets of this account (only) may publish."""
    return {
        "Sid": "AllowBudgetsOfThisAccount",
        "Effect": "Allow",
        "Principal": {"Service": BUDGETS_SERVICE},
        "Action": "sns:Publish",
        "Resource": topic_arn,
        "Condition": {
            "StringEquals": {"aws:SourceAccount": account_id},
            "ArnLike": {"aws:SourceArn": arns.any_budget_arn(account_id)},
        },
    }


# --- S3 bucket policies -------------------------------------------------------------------------------


def deny_insecure_transport(bucket: str) -> Statement:
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [arns.bucket_arn(bucket), f"{arns.bucket_arn(bucket)}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


# Upload encryption headers a KMS log bucket accepts: SSE-KMS and dual-layer DSSE-KMS (both KMS keys; the
# policy pack accepts both as default encryption too). SSE-S3 (`AES256`) is refused.
KMS_UPLOAD_ENCRYPTION = ("aws:kms", "aws:kms:dsse")


def deny_non_kms_uploads(bucket: str) -> Statement:
    """Refuse uploads that ask for weaker encryption (AES256); headerless uploads get the default KMS key."""
    return {
        "Sid": "DenyNonKmsEncryption",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:PutObject",
        "Resource": f"{arns.bucket_arn(bucket)}/*",
        "Condition": {
            # A list under StringNotEquals matches a header equal to none of the values.
            "StringNotEquals": {"s3:x-amz-server-side-encryption": list(KMS_UPLOAD_ENCRYPTION)},
            "Null": {"s3:x-amz-server-side-encryption": "false"},
        },
    }


S3_LOGGING_SERVICE = "logging.s3.amazonaws.com"


def s3_access_log_delivery(target_bucket: str, source_buckets: Iterable[str], account_id: str) -> Statement:
    """S3 server access logging (the logging service principal) may write the access logs of exactly these
    buckets of this account, under the access-log prefix (S3 user guide, "Enabling Amazon S3 server access
    logging": bucket policy for a target bucket with ACLs disabled)."""
    sources = sorted(set(source_buckets))
    if not sources:
        raise ValueError("an access-log bucket needs at least one source bucket")
    return {
        "Sid": "AllowS3ServerAccessLogDelivery",
        "Effect": "Allow",
        "Principal": {"Service": S3_LOGGING_SERVICE},
        "Action": "s3:PutObject",
        "Resource": f"{arns.bucket_arn(target_bucket)}/{names.ACCESS_LOG_PREFIX}*",
        "Condition": {
            "ArnLike": {"aws:SourceArn": [arns.bucket_arn(bucket) for bucket in sources]},
            "StringEquals": {"aws:SourceAccount": account_id},
        },
    }


def bedrock_log_delivery(bucket: str, prefixes: Iterable[str], region: str, account_id: str) -> Statement:
    return {
        "Sid": "AllowBedrockInvocationLogDelivery",
        "Effect": "Allow",
        "Principal": {"Service": "bedrock.amazonaws.com"},
        "Action": "s3:PutObject",
        "Resource": [
            f"{arns.bucket_arn(bucket)}/{prefix}/AWSLogs/{account_id}/BedrockModelInvocationLogs/*"
            for prefix in prefixes
        ],
        "Condition": {
            "StringEquals": {"aws:SourceAccount": account_id},
            "ArnLike": {"aws:SourceArn": arns.bedrock_source_arn(region, account_id)},
        },
    }


def cloudtrail_delivery(bucket: str, account_id: str, trail_arn: str) -> list[Statement]:
    condition = {"StringEquals": {"aws:SourceArn": trail_arn}}
    return [
        {
            "Sid": "AllowCloudTrailAclCheck",
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "s3:GetBucketAcl",
            "Resource": arns.bucket_arn(bucket),
            "Condition": condition,
        },
        {
            "Sid": "AllowCloudTrailWrite",
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "s3:PutObject",
            "Resource": f"{arns.bucket_arn(bucket)}/AWSLogs/{account_id}/*",
            "Condition": {
                "StringEquals": {"aws:SourceArn": trail_arn, "s3:x-amz-acl": "bucket-owner-full-control"},
            },
        },
    ]


# --- KMS key policy -----------------------------------------------------------------------------------


def key_administration(account_id: str) -> Statement:
    # Delegates key management to the account's IAM policies (the AWS default); without it the key
    # becomes unmanageable.
    return {
        "Sid": "AccountAdministersKeyThroughIam",
        "Effect": "Allow",
        "Principal": {"AWS": arns.account_root(account_id)},
        "Action": "kms:*",
        "Resource": "*",
    }


def key_for_log_groups(region: str, account_id: str, log_group_names: Iterable[str]) -> Statement:
    return {
        "Sid": "CloudWatchLogsEncryptsTheseLogGroups",
        "Effect": "Allow",
        "Principal": {"Service": f"logs.{region}.amazonaws.com"},
        "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        "Resource": "*",
        "Condition": {
            "ArnEquals": {
                "kms:EncryptionContext:aws:logs:arn": [
                    arns.log_group_arn(region, account_id, name) for name in log_group_names
                ]
            }
        },
    }


def key_for_bedrock(region: str, account_id: str) -> Statement:
    return {
        "Sid": "BedrockEncryptsInvocationLogs",
        "Effect": "Allow",
        "Principal": {"Service": "bedrock.amazonaws.com"},
        "Action": "kms:GenerateDataKey",
        "Resource": "*",
        "Condition": {
            "StringEquals": {"aws:SourceAccount": account_id},
            "ArnLike": {"aws:SourceArn": arns.bedrock_source_arn(region, account_id)},
        },
    }


def key_for_cloudtrail(account_id: str, trail_arn: str) -> list[Statement]:
    return [
        {
            "Sid": "CloudTrailEncryptsTrailLogs",
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "kms:GenerateDataKey*",
            "Resource": "*",
            "Condition": {
                "StringEquals": {"aws:SourceArn": trail_arn},
                "StringLike": {
                    "kms:EncryptionContext:aws:cloudtrail:arn": f"arn:aws:cloudtrail:*:{account_id}:trail/*",
                },
            },
        },
        {
            "Sid": "CloudTrailDescribesKey",
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "kms:DescribeKey",
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:SourceArn": trail_arn}},
        },
    ]


def key_for_notifications(account_id: str, *, budgets: bool = True) -> Statement:
    """CloudWatch alarms (and, with `budgets`, AWS Budgets) publish to KMS-encrypted SNS topics; without
    this grant alarms deploy fine but never deliver. `budgets=False` where no budget publishes (the
    monitoring account's org alert topics)."""
    if budgets:
        sid, principal = "AlarmsAndBudgetsPublishToEncryptedTopics", [CLOUDWATCH_SERVICE, BUDGETS_SERVICE]
    else:
        sid, principal = "CloudWatchAlarmsPublishToEncryptedTopic", CLOUDWATCH_SERVICE
    return {
        "Sid": sid,
        "Effect": "Allow",
        "Principal": {"Service": principal},
        "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
        "Resource": "*",
        "Condition": {"StringEquals": {"aws:SourceAccount": account_id}},
    }


# --- role policies ------------------------------------------------------------------------------------


def trail_to_logs_policy(region: str, account_id: str) -> list[Statement]:
    """What the trail's CloudWatch Logs role may do: write the trail's own streams of its log group."""
    log_group_arn = arns.log_group_arn(region, account_id, names.TRAIL_LOG_GROUP)
    return [
        {
            "Sid": "WriteTrailLogStreams",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": f"{log_group_arn}:log-stream:{account_id}_CloudTrail_*",
        }
    ]


def invocation_logging_role_policy(region: str, account_id: str, key_arn: str) -> list[Statement]:
    """What Bedrock's logging role may do: write the invocation stream, put large payloads, encrypt via S3."""
    log_group_arn = arns.log_group_arn(region, account_id, names.INVOCATION_LOG_GROUP)
    bucket = names.invocation_bucket(account_id, region)
    return [
        {
            "Sid": "WriteInvocationLogStream",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": f"{log_group_arn}:log-stream:{names.BEDROCK_LOG_STREAM}",
        },
        {
            "Sid": "WriteLargePayloads",
            "Effect": "Allow",
            "Action": "s3:PutObject",
            "Resource": f"{arns.bucket_arn(bucket)}/{names.LARGE_DATA_PREFIX}/*",
        },
        {
            "Sid": "EncryptLargePayloadsThroughS3",
            "Effect": "Allow",
            "Action": "kms:GenerateDataKey",
            "Resource": key_arn,
            "Condition": {"StringEquals": {"kms:ViaService": f"s3.{region}.amazonaws.com"}},
        },
    ]


# --- monitoring account: OAM sink and Grafana ------------------------------------------------------------

GRAFANA_SERVICE = "grafana.amazonaws.com"


def sink_policy(
    workload_account_ids: Iterable[str],
    organization_id: str | None,
    monitoring_account_id: str,
    share_log_groups: bool = False,
) -> dict[str, Any]:
    """Who may link to the sink: the workload accounts (or the organisation), sharing only
    `oam.shared_resource_types(share_log_groups)` (metrics; log groups only when opted in).

    `ForAllValues:StringEquals` alone is satisfied by an empty key, so `Null: false` additionally requires
    the link request to declare its resource types.
    """
    condition: dict[str, dict[str, Any]] = {
        "ForAllValues:StringEquals": {"oam:ResourceTypes": list(oam.shared_resource_types(share_log_groups))},
        "Null": {"oam:ResourceTypes": "false"},
    }
    principal: dict[str, list[str]] | str
    if organization_id:
        # Onboarding an account of the organisation then needs no change in the monitoring stack.
        principal = "*"
        condition["StringEquals"] = {"aws:PrincipalOrgID": organization_id}
    else:
        accounts = sorted({a for a in workload_account_ids if a != monitoring_account_id})
        if not accounts:
            raise ValueError("the OAM sink policy needs at least one workload account or an organization_id")
        principal = {"AWS": accounts}
    return policy(
        [
            {
                "Sid": "WorkloadAccountsLinkMetricsAndLogs" if share_log_groups else "WorkloadAccountsLinkMetrics",
                "Effect": "Allow",
                "Principal": principal,
                "Action": ["oam:CreateLink", "oam:UpdateLink"],
                "Resource": "*",
                "Condition": condition,
            }
        ]
    )


def grafana_trust_policy(region: str, monitoring_account_id: str) -> str:
    """Only Amazon Managed Grafana workspaces of this account and region may assume the workspace role."""
    return service_trust(
        GRAFANA_SERVICE, monitoring_account_id, arns.any_grafana_workspace_arn(region, monitoring_account_id)
    )


def grafana_read_policy(read_logs: bool = False) -> str:
    """Read-only CloudWatch access for the workspace's CloudWatch data source: metrics and alarms; Logs
    Insights only when log groups are shared (`share_log_groups`), as the dashboards read no logs."""
    metrics = [
        "cloudwatch:DescribeAlarms",
        "cloudwatch:DescribeAlarmsForMetric",
        "cloudwatch:GetMetricData",
        "cloudwatch:GetMetricStatistics",
        "cloudwatch:ListMetrics",
        "oam:ListAttachedLinks",
        "oam:ListSinks",
    ]
    logs = [
        "logs:DescribeLogGroups",
        "logs:GetLogGroupFields",
        "logs:GetQueryResults",
        "logs:StartQuery",
        "logs:StopQuery",
    ]
    return document(
        [
            {
                "Sid": "ReadMetricsAlarmsAndLogs" if read_logs else "ReadMetricsAndAlarms",
                "Effect": "Allow",
                "Action": sorted(metrics + (logs if read_logs else [])),
                "Resource": "*",
            }
        ]
    )
