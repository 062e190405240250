"""CloudWatch Logs Insights queries over the Bedrock invocation log and the CloudTrail log group.

Invocation log records (Bedrock user guide, "Model invocation logging") carry `modelId`, `operation`,
`requestId`, `identity.arn`, `input.inputTokenCount`, `output.outputTokenCount` and, on failures,
`errorCode`. There is no top-level latency field: Converse responses carry it in
`output.outputBodyJson.metrics.latencyMs` (empty for InvokeModel), so latency comes from metrics instead.
CloudTrail records carry `eventSource`, `eventName`, `errorCode`, `userIdentity.arn`, `sourceIPAddress`.

Queries are pipelines of stages joined with " | " so each stage stays readable and testable.
"""

from __future__ import annotations

from dataclasses import dataclass

# Missing token counts (failed calls) would turn sums into null; coalesce keeps them as zero.
_TOTAL_TOKENS = "coalesce(input.inputTokenCount, 0) + coalesce(output.outputTokenCount, 0) as totalTokens"

BEDROCK_EVENT_SOURCE = "bedrock.amazonaws.com"
LOGGING_CHANGE_EVENTS = ("PutModelInvocationLoggingConfiguration", "DeleteModelInvocationLoggingConfiguration")
GUARDRAIL_EVENTS = ("CreateGuardrail", "UpdateGuardrail", "DeleteGuardrail", "CreateGuardrailVersion")
MODEL_ACCESS_EVENTS = (
    "PutFoundationModelEntitlement",
    "CreateFoundationModelAgreement",
    "DeleteFoundationModelAgreement",
    "PutUseCaseForModelAccess",
)


def pipeline(*stages: str) -> str:
    return " | ".join(stages)


def _in_list(values: tuple[str, ...]) -> str:
    return "[" + ", ".join(f'"{v}"' for v in values) + "]"


@dataclass(frozen=True)
class SavedQuery:
    """A saved query (`aws.cloudwatch.QueryDefinition`); `slug` names it in the console's folder."""

    slug: str
    title: str
    query: str


# --- invocation log -----------------------------------------------------------------------------------
def usage_summary_by_model() -> str:
    return pipeline(
        "fields modelId, " + _TOTAL_TOKENS,
        "stats count(*) as invocations, sum(input.inputTokenCount) as inputTokens, "
        "sum(output.outputTokenCount) as outputTokens, max(@timestamp) as lastInvokedAt by modelId",
        "sort invocations desc",
    )


def latest_invocations(limit: int = 50) -> str:
    return pipeline(
        "fields @timestamp, modelId, operation, identity.arn, input.inputTokenCount as inputTokens, "
        "output.outputTokenCount as outputTokens, output.outputBodyJson.metrics.latencyMs as converseLatencyMs, "
        "errorCode, requestId",
        "sort @timestamp desc",
        f"limit {limit}",
    )


def invocations_per_minute_by_model() -> str:
    return pipeline("stats count(*) as invocations by bin(1m), modelId", "sort bin(1m) desc")


def errors_by_code() -> str:
    return pipeline(
        "filter ispresent(errorCode)",
        "stats count(*) as failures, latest(@timestamp) as lastSeen by errorCode, modelId",
        "sort failures desc",
    )


def recent_failed_invocations(limit: int) -> str:
    return pipeline(
        "filter ispresent(errorCode)",
        "fields @timestamp, modelId, operation, errorCode, identity.arn, requestId",
        "sort @timestamp desc",
        f"limit {limit}",
    )


def top_identities_by_tokens(limit: int) -> str:
    return pipeline(
        "fields identity.arn as identity, " + _TOTAL_TOKENS,
        "stats sum(totalTokens) as tokens, count(*) as invocations by identity",
        "sort tokens desc",
        f"limit {limit}",
    )


def invocation_log_queries(top: int = 10) -> tuple[SavedQuery, ...]:
    return (
        SavedQuery("usage-summary-by-model", "Usage summary by model", usage_summary_by_model()),
        SavedQuery("latest-invocations", "Latest invocations with token counts", latest_invocations()),
        SavedQuery(
            "invocations-per-minute-by-model", "Invocations per minute by model", invocations_per_minute_by_model()
        ),
        SavedQuery("errors-by-code", "Errors by code", errors_by_code()),
        SavedQuery("top-identities-by-tokens", "Top identities by tokens", top_identities_by_tokens(top)),
    )


# --- CloudTrail ---------------------------------------------------------------------------------------
def _bedrock_events(names: tuple[str, ...]) -> str:
    return f'filter eventSource = "{BEDROCK_EVENT_SOURCE}" and eventName in {_in_list(names)}'


def trail_access_denied() -> str:
    return pipeline(
        f'filter eventSource = "{BEDROCK_EVENT_SOURCE}" and '
        "(errorCode like /AccessDenied/ or errorCode like /UnauthorizedOperation/)",
        "stats count(*) as denied, latest(@timestamp) as lastSeen by userIdentity.arn, eventName",
        "sort denied desc",
        "limit 50",
    )


def trail_logging_changes() -> str:
    return pipeline(
        _bedrock_events(LOGGING_CHANGE_EVENTS),
        "fields @timestamp, eventName, userIdentity.arn, sourceIPAddress, errorCode",
        "sort @timestamp desc",
        "limit 50",
    )


def trail_guardrail_and_access_changes() -> str:
    return pipeline(
        _bedrock_events(GUARDRAIL_EVENTS + MODEL_ACCESS_EVENTS),
        "fields @timestamp, eventName, userIdentity.arn, sourceIPAddress, errorCode",
        "sort @timestamp desc",
        "limit 50",
    )
