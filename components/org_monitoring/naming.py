"""Names and ARNs the monitoring account derives from the inventory, so nothing is copy-pasted."""

from __future__ import annotations

from components.arns import PARTITION

# The AWS-side name of each regional sink. Sinks are regional, so one name serves every region.
SINK_NAME = "bedrock-observability"
ALERT_TOPIC_NAME = "bedrock-org-alerts"
ALARM_PREFIX = "bedrock-org"
METRIC_RESOURCE_TYPE = "AWS::CloudWatch::Metric"
LOG_GROUP_RESOURCE_TYPE = "AWS::Logs::LogGroup"
# Only what the org dashboards and alarms read. Traces, Application Insights, Internet Monitor etc. stay
# in the workload accounts.
SHARED_RESOURCE_TYPES: tuple[str, ...] = (METRIC_RESOURCE_TYPE, LOG_GROUP_RESOURCE_TYPE)


def sink_resource_name(region: str) -> str:
    """Pulumi logical name of the region's OAM sink.

    The lead's offline plan runner derives the placeholder sink ARN a workload stack reads through its
    StackReference from this name, so it must never change.
    """
    return f"oam-sink-{region}"


def topic_arn(region: str, account_id: str) -> str:
    return f"arn:{PARTITION}:sns:{region}:{account_id}:{ALERT_TOPIC_NAME}"


def alarm_arn(region: str, account_id: str, alarm_name: str) -> str:
    return f"arn:{PARTITION}:cloudwatch:{region}:{account_id}:alarm:{alarm_name}"


def any_alarm_arn(region: str, account_id: str) -> str:
    return f"arn:{PARTITION}:cloudwatch:{region}:{account_id}:alarm:*"
