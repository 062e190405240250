"""Resource and role policies specific to the monitoring account (OAM sink, Grafana), built with the
`components.iam_documents` helpers like every other policy of the platform. The alert key and alert topic
policies are the shared ones (`components.kms.RegionalKeyArgs.for_alert_topics`,
`components.monitoring.alerting.topic_policy`).

Every statement names the narrowest principal, action and condition that still works; the tests assert
that nothing broader slips in.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from components import arns
from components import iam_documents as docs
from components.org_monitoring import naming

GRAFANA_SERVICE = "grafana.amazonaws.com"


def sink_policy(
    workload_account_ids: Sequence[str],
    organization_id: str | None,
    monitoring_account_id: str,
    share_log_groups: bool = False,
) -> dict[str, Any]:
    """Who may link to the sink: the workload accounts (or the organisation), sharing only
    `naming.shared_resource_types(share_log_groups)` (metrics; log groups only when opted in).

    `ForAllValues:StringEquals` alone is satisfied by an empty key, so `Null: false` additionally requires
    the link request to declare its resource types.
    """
    condition: dict[str, dict[str, Any]] = {
        "ForAllValues:StringEquals": {"oam:ResourceTypes": list(naming.shared_resource_types(share_log_groups))},
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
    return docs.policy(
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
    return docs.service_trust(
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
    return docs.document(
        [
            {
                "Sid": "ReadMetricsAlarmsAndLogs" if read_logs else "ReadMetricsAndAlarms",
                "Effect": "Allow",
                "Action": sorted(metrics + (logs if read_logs else [])),
                "Resource": "*",
            }
        ]
    )
