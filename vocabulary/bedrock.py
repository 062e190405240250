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
# Prompt-cache input tokens, billed apart from InputTokenCount (which excludes them). The AWS runtime-metrics
# page (https://docs.aws.amazon.com/bedrock/latest/userguide/monitoring-runtime-metrics.html, "Amazon Bedrock
# runtime metrics" table) lists them as `CacheReadInputTokens` / `CacheWriteInputTokens`: those are the names
# the platform reads first. The `...TokenCount` spelling (that of the invocation log's `cacheReadInputTokenCount`)
# is quoted from the "How tokens are counted in Amazon Bedrock" page (quotas-token-burndown.html) and used by
# public dashboards, and no AWS page settles which one CloudWatch carries, so every reader reads BOTH spellings
# and adds them up with gaps as 0 (`cache_spellings`): whichever one Bedrock publishes in an account counts,
# and a wrong guess cannot read zero silently. Bedrock publishes one of them; should it ever publish both
# with the same data, the sums would count cache tokens twice (README "Prompt caching" says how to check).
CACHE_READ_INPUT_TOKENS = "CacheReadInputTokens"
CACHE_WRITE_INPUT_TOKENS = "CacheWriteInputTokens"
CACHE_READ_INPUT_TOKEN_COUNT = "CacheReadInputTokenCount"
CACHE_WRITE_INPUT_TOKEN_COUNT = "CacheWriteInputTokenCount"
# Per cache metric (the documented name), every spelling read, the documented one first.
CACHE_SPELLINGS: dict[str, tuple[str, ...]] = {
    CACHE_READ_INPUT_TOKENS: (CACHE_READ_INPUT_TOKENS, CACHE_READ_INPUT_TOKEN_COUNT),
    CACHE_WRITE_INPUT_TOKENS: (CACHE_WRITE_INPUT_TOKENS, CACHE_WRITE_INPUT_TOKEN_COUNT),
}


def cache_spellings(metric: str) -> tuple[str, ...]:
    """The metric names to read and add up for `metric`: both spellings of a cache metric, else `metric`."""
    return CACHE_SPELLINGS.get(metric, (metric,))


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
        *CACHE_SPELLINGS[CACHE_READ_INPUT_TOKENS],
        *CACHE_SPELLINGS[CACHE_WRITE_INPUT_TOKENS],
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
