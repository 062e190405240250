"""CloudWatch cross-account observability (OAM): what links share and sink policies admit."""

from __future__ import annotations

from vocabulary import bedrock

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
