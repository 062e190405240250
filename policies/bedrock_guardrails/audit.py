"""Audit rules: the trail records every region's (and the global services') read and write management
events, signs its files, keeps logging and streams to CloudWatch Logs; Bedrock invocation logging delivers to
both destinations."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pulumi_policy import ReportViolation, ResourceValidationArgs, ResourceValidationPolicy

from bedrock_guardrails._aws import INVOCATION_LOGGING, TRAIL
from bedrock_guardrails._controls import control
from bedrock_guardrails._util import (
    HIGH,
    MANDATORY,
    MEDIUM,
    as_list,
    block,
    config,
    is_set,
    label,
    schema,
    shown,
    truthy,
)


def _trail_rule(
    name: str, description: str, check: Callable[[Mapping[str, Any]], str | None], remediation: str, **kwargs: Any
) -> ResourceValidationPolicy:
    """A rule on aws.cloudtrail.Trail: `check(props)` returns the problem and fix, or None."""

    def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
        if args.resource_type == TRAIL:
            problem = check(args.props)
            if problem:
                report(f"{label(args.resource_type, args.name)} {problem}.", None)

    return ResourceValidationPolicy(
        name=name,
        description=description,
        validate=validate,
        enforcement_level=MANDATORY,
        tags=["audit"],
        remediation_steps=remediation,
        **kwargs,
    )


def _log_file_validation(props: Mapping[str, Any]) -> str | None:
    if not truthy(props.get("enableLogFileValidation")):
        return "does not sign its log files, so tampering goes unnoticed; fix: set enable_log_file_validation=True"
    return None


def _multi_region(props: Mapping[str, Any]) -> str | None:
    if not truthy(props.get("isMultiRegionTrail")):
        return "records only its home region, missing Bedrock calls made elsewhere; fix: set is_multi_region_trail=True"
    # Unset means included (the provider's default is true); only an explicit false drops them.
    value = props.get("includeGlobalServiceEvents")
    if value is False or str(value).lower() == "false":
        return (
            "sets include_global_service_events=False, so IAM, STS and other global service calls (role and "
            "policy changes, who assumed the deploy role) are not recorded; fix: remove "
            "include_global_service_events or set it to True"
        )
    return None


def _logging_enabled(props: Mapping[str, Any]) -> str | None:
    # Unset means logging (the provider's default is true); only an explicit false stops it.
    value = props.get("enableLogging")
    if value is False or str(value).lower() == "false":
        return (
            "is created with logging stopped (enable_logging=False), so nothing is recorded; fix: remove "
            "enable_logging or set it to True"
        )
    return None


def _cloudwatch_logs(props: Mapping[str, Any]) -> str | None:
    wanted = (
        ("cloudWatchLogsGroupArn", "cloud_watch_logs_group_arn"),
        ("cloudWatchLogsRoleArn", "cloud_watch_logs_role_arn"),
    )
    missing = [arg for key, arg in wanted if not is_set(props, key)]
    if missing:
        return (
            f"does not stream to CloudWatch Logs ({', '.join(missing)} unset), so no metric filter or alarm sees "
            "its events; fix: set cloud_watch_logs_group_arn (log group ARN with ':*') and cloud_watch_logs_role_arn"
        )
    return None


_MGMT_FIX = (
    "fix: add an advanced event selector whose only field selector is eventCategory equals ['Management'] "
    "(or an event selector with include_management_events=True and read_write_type='All')"
)


def _fields(selector: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    return {str(f.get("field")): f for f in as_list(selector.get("fieldSelectors")) if isinstance(f, Mapping)}


def _advanced_management(selectors: list[Any]) -> str | None:
    for selector in selectors:
        fields = _fields(selector) if isinstance(selector, Mapping) else {}
        category = fields.pop("eventCategory", None)
        if category is None or as_list(category.get("equals")) != ["Management"]:
            continue
        if not fields:
            return None
        narrowed = ", ".join(sorted(fields))
        return f"records only the management events matching {narrowed}; {_MGMT_FIX}"
    return f"has advanced event selectors but none for management events; {_MGMT_FIX}"


def _basic_management(selectors: list[Any]) -> str | None:
    for selector in selectors:
        if not isinstance(selector, Mapping) or selector.get("includeManagementEvents") is False:
            continue
        excluded = [str(e) for e in as_list(selector.get("excludeManagementEventSources"))]
        if excluded:
            return (
                f"excludes the management events of {', '.join(excluded)} (exclude_management_event_sources; "
                f"kms.amazonaws.com would hide ScheduleKeyDeletion and DisableKey); {_MGMT_FIX} and no "
                "exclude_management_event_sources"
            )
        if selector.get("readWriteType", "All") in ("All", None):
            return None
        return f"records only {selector.get('readWriteType')} management events; {_MGMT_FIX}"
    return f"excludes management events (include_management_events=False); {_MGMT_FIX}"


def _management_events(props: Mapping[str, Any]) -> str | None:
    """Read and write management events (where InvokeModel/Converse and logging changes are recorded)."""
    advanced = as_list(props.get("advancedEventSelectors"))
    if advanced:
        return _advanced_management(advanced)
    basic = as_list(props.get("eventSelectors"))
    return _basic_management(basic) if basic else None  # no selectors: all management events


cloudtrail_log_file_validation = _trail_rule(
    "cloudtrail-log-file-validation",
    "CloudTrail trails have log file integrity validation enabled.",
    _log_file_validation,
    "Set enable_log_file_validation=True on the aws.cloudtrail.Trail.",
    severity=MEDIUM,
    framework=control("CloudTrail.4"),
)
cloudtrail_multi_region = _trail_rule(
    "cloudtrail-multi-region",
    "CloudTrail trails record every region and the global service events (IAM, STS).",
    _multi_region,
    "Set is_multi_region_trail=True (and leave include_global_service_events on) on the aws.cloudtrail.Trail.",
    severity=HIGH,
    framework=control("CloudTrail.1"),
)
cloudtrail_management_events = _trail_rule(
    "cloudtrail-management-events",
    "CloudTrail trails record all read and write management events.",
    _management_events,
    "Record all management events (advanced selector eventCategory=Management with no other field).",
    severity=HIGH,
    framework=control("CloudTrail.1"),
)
cloudtrail_logging_enabled = _trail_rule(
    "cloudtrail-logging-enabled",
    "CloudTrail trails are not created with logging stopped.",
    _logging_enabled,
    "Remove enable_logging=False from the aws.cloudtrail.Trail.",
    severity=HIGH,
    framework=control("CloudTrail.1", "CloudTrail.3"),
)
cloudtrail_cloudwatch_logs = _trail_rule(
    "cloudtrail-cloudwatch-logs",
    "CloudTrail trails deliver to CloudWatch Logs (log group and role).",
    _cloudwatch_logs,
    "Set cloud_watch_logs_group_arn and cloud_watch_logs_role_arn on the aws.cloudtrail.Trail.",
    severity=MEDIUM,
    framework=control("CloudTrail.5"),
)

_LOGGING_SCHEMA = schema(
    requireCloudWatch={
        "type": "boolean",
        "default": True,
        "description": "Require delivery to CloudWatch Logs (log group + role).",
    },
    requireS3={"type": "boolean", "default": True, "description": "Require delivery to S3."},
    requireLargeDataDelivery={
        "type": "boolean",
        "default": True,
        "description": "With CloudWatch delivery, require the large-data S3 location (payloads over 100 KB "
        "and binary data are dropped without it).",
    },
)


def validate_invocation_logging(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != INVOCATION_LOGGING:
        return
    who = f"{label(args.resource_type, args.name)} ({shown(args.props, 'region')})"
    logging = block(args.props.get("loggingConfig"))
    cloudwatch = block(logging.get("cloudwatchConfig"))
    s3 = block(logging.get("s3Config"))
    if config(args, _LOGGING_SCHEMA, "requireCloudWatch"):
        wanted = (("logGroupName", "log_group_name"), ("roleArn", "role_arn"))
        missing = [arg for key, arg in wanted if not is_set(cloudwatch, key)]
        if missing:
            report(
                f"{who} does not deliver to CloudWatch Logs ({', '.join(missing)} unset); fix: set "
                "logging_config.cloudwatch_config with log_group_name and role_arn.",
                None,
            )
        elif config(args, _LOGGING_SCHEMA, "requireLargeDataDelivery"):
            large = block(cloudwatch.get("largeDataDeliveryS3Config"))
            if not is_set(large, "bucketName"):
                report(
                    f"{who} has no large-data S3 location, so payloads over 100 KB are lost; fix: set "
                    "cloudwatch_config.large_data_delivery_s3_config.bucket_name.",
                    None,
                )
    if config(args, _LOGGING_SCHEMA, "requireS3") and not is_set(s3, "bucketName"):
        report(
            f"{who} does not deliver to S3; fix: set logging_config.s3_config.bucket_name to the region's log bucket.",
            None,
        )


bedrock_invocation_logging_destinations = ResourceValidationPolicy(
    name="bedrock-invocation-logging-destinations",
    description="Bedrock model invocation logging delivers to both CloudWatch Logs and S3.",
    validate=validate_invocation_logging,
    enforcement_level=MANDATORY,
    config_schema=_LOGGING_SCHEMA,
    severity=HIGH,
    tags=["audit", "bedrock"],
    remediation_steps="Set cloudwatch_config (with large_data_delivery_s3_config) and s3_config on "
    "aws.bedrockmodel.InvocationLoggingConfiguration.",
)

POLICIES = [
    cloudtrail_log_file_validation,
    cloudtrail_multi_region,
    cloudtrail_management_events,
    cloudtrail_logging_enabled,
    cloudtrail_cloudwatch_logs,
    bedrock_invocation_logging_destinations,
]
