"""The Amazon Bedrock vocabulary: CloudWatch metrics and CloudTrail events.

Runtime metrics: Bedrock user guide, "Monitor bedrock-runtime inference using CloudWatch metrics"
(monitoring-runtime-metrics.html); every per-model metric uses the single dimension `ModelId`.
Guardrail metrics: Bedrock user guide, "Monitor Amazon Bedrock Guardrails using CloudWatch metrics"
(monitoring-guardrails-cw-metrics.html). Output tokens per second: "Diagnose InvocationLatency increases using
output tokens per second (OTPS)" (monitoring-runtime-otps.html), metric math over the runtime metrics.
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
# "Estimated Tokens Per Minute (TPM) quota consumption" (runtime-metrics page): emitted for every successful
# request, so its Sum over a minute is the minute's estimated quota use, cache writes and output burndown
# included. The page calls it an approximation: throttling is decided on the upfront reservation of input
# tokens plus max_tokens, which may be higher.
ESTIMATED_TPM_QUOTA_USAGE = "EstimatedTPMQuotaUsage"
# Prompt-cache input tokens, billed apart from InputTokenCount (which excludes them). The runtime-metrics
# page's table spells them `CacheReadInputTokens` / `CacheWriteInputTokens`; the same user guide's "How tokens
# are counted in Amazon Bedrock" (quotas-token-burndown.html) has been published with
# `CacheReadInputTokenCount` / `CacheWriteInputTokenCount`, the names measured CloudWatch data carries (and
# the invocation metrics' `cacheReadInputTokenCount` field). Unconfirmed here: README "Dashboards, alarms and
# alert routing" gives the one `aws cloudwatch list-metrics` command that settles it in an account.
CACHE_READ_INPUT_TOKENS = "CacheReadInputTokenCount"
CACHE_WRITE_INPUT_TOKENS = "CacheWriteInputTokenCount"
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
        ESTIMATED_TPM_QUOTA_USAGE,
        CACHE_READ_INPUT_TOKENS,
        CACHE_WRITE_INPUT_TOKENS,
    }
)

# --- Guardrails (namespace AWS/Bedrock/Guardrails) ---------------------------------------------------
GUARDRAILS_NAMESPACE = "AWS/Bedrock/Guardrails"
# One guardrail version's series carry exactly these two dimensions: the guardrail's ARN (not its id) and
# its version number or DRAFT.
GUARDRAIL_ARN_DIMENSION = "GuardrailArn"
GUARDRAIL_VERSION_DIMENSION = "GuardrailVersion"
GUARDRAIL_INVOCATIONS = "Invocations"
GUARDRAIL_INTERVENTIONS = "InvocationsIntervened"  # invocations where the guardrail intervened
GUARDRAIL_METRICS = frozenset({GUARDRAIL_INVOCATIONS, GUARDRAIL_INTERVENTIONS})

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
