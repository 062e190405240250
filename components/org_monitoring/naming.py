"""Names the monitoring account derives from the inventory, so nothing is copy-pasted.

ARNs are built with `components.arns` (e.g. `arns.sns_topic_arn(region, account, ALERT_TOPIC_NAME)`).
"""

from __future__ import annotations

# The AWS-side name of each regional sink. Sinks are regional, so one name serves every region.
SINK_NAME = "bedrock-observability"
ALERT_TOPIC_NAME = "bedrock-org-alerts"
ALERT_KEY_ALIAS = "alias/bedrock-org-alerts"
ALARM_PREFIX = "bedrock-org"
METRIC_RESOURCE_TYPE = "AWS::CloudWatch::Metric"
LOG_GROUP_RESOURCE_TYPE = "AWS::Logs::LogGroup"


def shared_resource_types(share_log_groups: bool) -> tuple[str, ...]:
    """What OAM links share and the sink policy admits: metrics only (all the org dashboards and alarms
    read), plus log groups with `monitoring_account.settings.share_log_groups`. Traces, Application Insights,
    Internet Monitor etc. always stay in the workload accounts."""
    return (METRIC_RESOURCE_TYPE, LOG_GROUP_RESOURCE_TYPE) if share_log_groups else (METRIC_RESOURCE_TYPE,)


def sink_resource_name(region: str) -> str:
    """Pulumi logical name of the region's OAM sink.

    The lead's offline plan runner derives the placeholder sink ARN a workload stack reads through its
    StackReference from this name, so it must never change.
    """
    return f"oam-sink-{region}"
