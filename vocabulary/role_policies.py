"""The platform's IAM roles: who may assume each (trust policy) and what it may do (inline policy).

The trail's CloudWatch Logs role, Bedrock's invocation-logging role (workload accounts) and the Amazon
Managed Grafana workspace role (monitoring account).
"""

from __future__ import annotations

from vocabulary import arns, names
from vocabulary.iam import (
    BEDROCK_SERVICE,
    CLOUDTRAIL_SERVICE,
    GRAFANA_SERVICE,
    Statement,
    document,
    service_trust,
)

# --- workload account ------------------------------------------------------------------------------------


def trail_to_logs_trust(account_id: str, trail_arn: str) -> str:
    """Only this account's trail may assume the role that delivers it to CloudWatch Logs."""
    return service_trust(CLOUDTRAIL_SERVICE, account_id, trail_arn)


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


def invocation_logging_trust(region: str, account_id: str) -> str:
    """Only Bedrock acting for this account in this region may assume the region's logging role."""
    return service_trust(BEDROCK_SERVICE, account_id, arns.bedrock_source_arn(region, account_id))


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


# --- monitoring account: Amazon Managed Grafana ------------------------------------------------------------


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
