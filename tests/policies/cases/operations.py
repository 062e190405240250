"""Trail, invocation logging, alarms and OAM sharing."""

from __future__ import annotations

from tests.policies.cases.builders import (
    ALARM,
    BUCKET,
    COMPOSITE_ALARM,
    DATA,
    GOOD_TRAIL,
    LOGGING,
    MANAGEMENT,
    METRIC_ALARM,
    OAM_LINK,
    SINK_POLICY,
    TRAIL,
    link,
    logging_config,
    sink_policy,
)

CASES = [
    (
        "cloudtrail-log-file-validation",
        TRAIL,
        GOOD_TRAIL,
        [("off", {**GOOD_TRAIL, "enableLogFileValidation": False}, "enable_log_file_validation")],
    ),
    (
        "cloudtrail-multi-region",
        TRAIL,
        GOOD_TRAIL,
        [
            ("single-region", {**GOOD_TRAIL, "isMultiRegionTrail": False}, "is_multi_region_trail"),
            ("no-global-events", {**GOOD_TRAIL, "includeGlobalServiceEvents": False}, "include_global_service_events"),
            ("no-global-events-text", {**GOOD_TRAIL, "includeGlobalServiceEvents": "false"}, "IAM, STS"),
        ],
    ),
    ("cloudtrail-multi-region", TRAIL, {**GOOD_TRAIL, "includeGlobalServiceEvents": True}, []),
    (
        "cloudtrail-management-events",
        TRAIL,
        {**GOOD_TRAIL, "advancedEventSelectors": [MANAGEMENT, DATA]},
        [
            ("data-only", {**GOOD_TRAIL, "advancedEventSelectors": [DATA]}, "none for management events"),
            (
                "read-only",
                {
                    **GOOD_TRAIL,
                    "advancedEventSelectors": [
                        {"fieldSelectors": [*MANAGEMENT["fieldSelectors"], {"field": "readOnly", "equals": ["true"]}]}
                    ],
                },
                "matching readOnly",
            ),
            (
                "basic-excluded",
                {**GOOD_TRAIL, "eventSelectors": [{"includeManagementEvents": False, "readWriteType": "All"}]},
                "include_management_events=False",
            ),
            (
                "basic-write-only",
                {**GOOD_TRAIL, "eventSelectors": [{"includeManagementEvents": True, "readWriteType": "WriteOnly"}]},
                "only WriteOnly",
            ),
            (
                "basic-kms-excluded",
                {
                    **GOOD_TRAIL,
                    "eventSelectors": [
                        {
                            "includeManagementEvents": True,
                            "readWriteType": "All",
                            "excludeManagementEventSources": ["kms.amazonaws.com"],
                        }
                    ],
                },
                "excludes the management events of kms.amazonaws.com",
            ),
        ],
    ),
    (
        "cloudtrail-logging-enabled",
        TRAIL,
        {**GOOD_TRAIL, "enableLogging": True},
        [("stopped", {**GOOD_TRAIL, "enableLogging": False}, "logging stopped")],
    ),
    (
        "cloudtrail-cloudwatch-logs",
        TRAIL,
        GOOD_TRAIL,
        [
            ("no-group", {**GOOD_TRAIL, "cloudWatchLogsGroupArn": None}, "cloud_watch_logs_group_arn"),
            ("no-role", {**GOOD_TRAIL, "cloudWatchLogsRoleArn": None}, "cloud_watch_logs_role_arn"),
        ],
    ),
    (
        "bedrock-invocation-logging-destinations",
        LOGGING,
        logging_config(),
        [
            ("no-s3", logging_config(s3Config=None), "does not deliver to S3"),
            ("no-cloudwatch", logging_config(cloudwatchConfig=None), "does not deliver to CloudWatch"),
            (
                "no-role",
                logging_config(
                    cloudwatchConfig={"logGroupName": "/x", "largeDataDeliveryS3Config": {"bucketName": BUCKET}}
                ),
                "role_arn",
            ),
            (
                "no-large-data",
                logging_config(cloudwatchConfig={"logGroupName": "/x", "roleArn": "arn:r"}),
                "large-data",
            ),
        ],
    ),
    (
        "alarm-actions-enabled",
        METRIC_ALARM,
        ALARM,
        [
            ("actions-disabled", {**ALARM, "actionsEnabled": False}, "actions_enabled=False"),
            ("no-actions", {**ALARM, "alarmActions": []}, "no alarm_actions"),
            ("actions-unset", {"name": "a"}, "no alarm_actions"),
        ],
    ),
    (
        "alarm-actions-enabled",
        COMPOSITE_ALARM,
        {**ALARM, "alarmRule": "ALARM(a)"},
        [("actions-disabled", {**ALARM, "alarmRule": "ALARM(a)", "actionsEnabled": False}, "actions_enabled=False")],
    ),
    (
        "oam-shared-types",
        OAM_LINK,
        link(["AWS::CloudWatch::Metric"]),
        [
            ("logs", link(["AWS::CloudWatch::Metric", "AWS::Logs::LogGroup"]), "shares 'AWS::Logs::LogGroup'"),
            (
                "log-config",
                link(["AWS::CloudWatch::Metric"], linkConfiguration={"logGroupConfiguration": {"filter": "x"}}),
                "log group sharing",
            ),
        ],
    ),
    (
        "oam-shared-types",
        SINK_POLICY,
        sink_policy(),
        [
            (
                "admits-logs",
                sink_policy(
                    condition={
                        "ForAllValues:StringEquals": {
                            "oam:ResourceTypes": ["AWS::CloudWatch::Metric", "AWS::Logs::LogGroup"]
                        },
                        "Null": {"oam:ResourceTypes": "false"},
                    }
                ),
                "admits AWS::Logs::LogGroup",
            ),
            ("no-condition", sink_policy(condition={}), "any resource type"),
            (
                "no-null-guard",
                sink_policy(
                    condition={"ForAllValues:StringEquals": {"oam:ResourceTypes": ["AWS::CloudWatch::Metric"]}}
                ),
                "any resource type",
            ),
        ],
    ),
]
