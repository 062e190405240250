"""The Amazon Bedrock vocabulary: CloudWatch metrics and CloudTrail events.

Runtime metrics: Bedrock user guide, "Monitor bedrock-runtime inference using CloudWatch metrics"
(monitoring-runtime-metrics.html); every per-model metric uses the single dimension `ModelId`.
"""

from __future__ import annotations

NAMESPACE = "AWS/Bedrock"
MODEL_DIMENSION = "ModelId"
INVOCATIONS = "Invocations"
LATENCY = "InvocationLatency"
TIME_TO_FIRST_TOKEN = "TimeToFirstToken"  # streaming APIs only (ConverseStream, InvokeModelWithResponseStream)
CLIENT_ERRORS = "InvocationClientErrors"
SERVER_ERRORS = "InvocationServerErrors"
THROTTLES = "InvocationThrottles"
INPUT_TOKENS = "InputTokenCount"
OUTPUT_TOKENS = "OutputTokenCount"
# Published "across all model IDs" (no dimension) for invocation-logging delivery health, one success and one
# failure metric per destination: CloudWatch Logs, S3, and S3 for large payloads.
LOG_DELIVERY_FAILURE_METRICS = (
    "ModelInvocationLogsCloudWatchDeliveryFailure",
    "ModelInvocationLogsS3DeliveryFailure",
    "ModelInvocationLargeDataS3DeliveryFailure",
)
LOG_DELIVERY_METRICS = (
    "ModelInvocationLogsCloudWatchDeliverySuccess",
    "ModelInvocationLogsCloudWatchDeliveryFailure",
    "ModelInvocationLogsS3DeliverySuccess",
    "ModelInvocationLogsS3DeliveryFailure",
    "ModelInvocationLargeDataS3DeliverySuccess",
    "ModelInvocationLargeDataS3DeliveryFailure",
)
PER_MODEL_METRICS = frozenset(
    {
        INVOCATIONS,
        LATENCY,
        TIME_TO_FIRST_TOKEN,
        CLIENT_ERRORS,
        SERVER_ERRORS,
        THROTTLES,
        INPUT_TOKENS,
        OUTPUT_TOKENS,
    }
)

# --- CloudTrail ---------------------------------------------------------------------------------------
EVENT_SOURCE = "bedrock.amazonaws.com"
LOGGING_CHANGE_EVENTS = ("PutModelInvocationLoggingConfiguration", "DeleteModelInvocationLoggingConfiguration")
GUARDRAIL_EVENTS = ("CreateGuardrail", "UpdateGuardrail", "DeleteGuardrail", "CreateGuardrailVersion")
# Bedrock runtime APIs that invoke a model (the calls the AWS/Bedrock invocation metrics count).
RUNTIME_INVOCATION_EVENTS = ("InvokeModel", "InvokeModelWithResponseStream", "Converse", "ConverseStream")
MODEL_ACCESS_EVENTS = (
    "PutFoundationModelEntitlement",
    "CreateFoundationModelAgreement",
    "DeleteFoundationModelAgreement",
    "PutUseCaseForModelAccess",
)
