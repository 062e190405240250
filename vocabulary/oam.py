"""CloudWatch cross-account observability (OAM): what links share and sink policies admit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from vocabulary import bedrock
from vocabulary.iam import policy

METRIC_RESOURCE_TYPE = "AWS::CloudWatch::Metric"
LOG_GROUP_RESOURCE_TYPE = "AWS::Logs::LogGroup"
# What a link shares: the namespace the org dashboards and alarms read, and (with share_log_groups) the
# platform's log groups (invocation log and CloudTrail).
SHARED_METRIC_NAMESPACES = (bedrock.NAMESPACE,)
SHARED_LOG_GROUP_PATTERNS = ("/bedrock-observability/%",)


def shared_resource_types(share_log_groups: bool) -> tuple[str, ...]:
    """What OAM links share and the sink policy admits: metrics only (all the org dashboards and alarms
    read), plus log groups with `monitoring_account.settings.share_log_groups`. Traces, Application Insights,
    Internet Monitor etc. always stay in the workload accounts."""
    return (METRIC_RESOURCE_TYPE, LOG_GROUP_RESOURCE_TYPE) if share_log_groups else (METRIC_RESOURCE_TYPE,)


def metric_filter() -> str:
    names = ", ".join(f"'{n}'" for n in SHARED_METRIC_NAMESPACES)
    return f"Namespace IN ({names})"


def log_group_filter() -> str:
    return " OR ".join(f"LogGroupName LIKE '{p}'" for p in SHARED_LOG_GROUP_PATTERNS)


def sink_policy(
    workload_account_ids: Iterable[str],
    organization_id: str | None,
    monitoring_account_id: str,
    share_log_groups: bool = False,
) -> dict[str, Any]:
    """Who may link to the sink: the workload accounts (or the organisation), sharing only
    `shared_resource_types(share_log_groups)` (metrics; log groups only when opted in).

    `ForAllValues:StringEquals` alone is satisfied by an empty key, so `Null: false` additionally requires
    the link request to declare its resource types.
    """
    condition: dict[str, dict[str, Any]] = {
        "ForAllValues:StringEquals": {"oam:ResourceTypes": list(shared_resource_types(share_log_groups))},
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
