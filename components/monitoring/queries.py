"""CloudWatch Logs Insights queries over the Bedrock invocation log and the CloudTrail log group.

Invocation log records (Bedrock user guide, "Model invocation logging", log schema) carry `schemaType`,
`schemaVersion`, `timestamp`, `accountId`, `region`, `requestId`, `operation`, `modelId`, `identity.arn`,
`requestMetadata`, `input.*` (e.g. `input.inputTokenCount`) and `output.*` (e.g. `output.outputTokenCount`).
They have **no error field**: failed calls are found in CloudTrail instead, where the Bedrock runtime calls
(InvokeModel, InvokeModelWithResponseStream, Converse, ConverseStream) are management events with
`eventSource` = bedrock.amazonaws.com, `awsRegion` (the region called), `requestParameters.modelId`,
`userIdentity.arn`, `requestID` and, when the call failed, `errorCode` / `errorMessage`. There is no
top-level latency field in the invocation log: Converse responses carry it in
`output.outputBodyJson.metrics.latencyMs` (empty for InvokeModel), so latency comes from metrics instead.

Queries are pipelines of stages joined with " | " so each stage stays readable and testable.
"""

from __future__ import annotations

from dataclasses import dataclass

from components.cloudwatch.logs import SavedQuerySpec
from components.monitoring.context import RegionContext
from vocabulary import bedrock, names

# Missing token counts (failed calls) would turn sums into null; coalesce keeps them as zero.
_TOTAL_TOKENS = "coalesce(input.inputTokenCount, 0) + coalesce(output.outputTokenCount, 0) as totalTokens"

# Titles of the saved queries that alarm descriptions point the on-call to.
TOP_IDENTITIES_TITLE = "Top identities by tokens"
FAILURES_BY_CODE_TITLE = "Failed invocations by region, error code and model (CloudTrail)"


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
        "requestId",
        "sort @timestamp desc",
        f"limit {limit}",
    )


def invocations_per_minute_by_model() -> str:
    return pipeline("stats count(*) as invocations by bin(1m), modelId", "sort bin(1m) desc")


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
        SavedQuery("top-identities-by-tokens", TOP_IDENTITIES_TITLE, top_identities_by_tokens(top)),
    )


# --- CloudTrail ---------------------------------------------------------------------------------------
def _bedrock_events(names: tuple[str, ...]) -> str:
    return f'filter eventSource = "{bedrock.EVENT_SOURCE}" and eventName in {_in_list(names)}'


def _failed_invocations_filter(region: str | None = None) -> str:
    where = f' and awsRegion = "{region}"' if region else ""
    return (
        f'filter eventSource = "{bedrock.EVENT_SOURCE}" and eventName in {_in_list(bedrock.RUNTIME_INVOCATION_EVENTS)}'
        f"{where} and ispresent(errorCode)"
    )


def trail_failed_invocations(region: str, limit: int) -> str:
    """Most recent failed model invocations made in `region`: the account's multi-region trail records every
    region's calls in one log group (in the trail's home region), so `awsRegion` picks this region's."""
    return pipeline(
        _failed_invocations_filter(region),
        "fields @timestamp, requestParameters.modelId as modelId, eventName, errorCode, errorMessage, "
        "userIdentity.arn, requestID",
        "sort @timestamp desc",
        f"limit {limit}",
    )


def trail_failures_by_code() -> str:
    """Failed model invocations of every region of the account, by region, error code and model."""
    return pipeline(
        _failed_invocations_filter(),
        "stats count(*) as failures, latest(@timestamp) as lastSeen by awsRegion, errorCode, requestParameters.modelId",
        "sort failures desc",
    )


def trail_queries() -> tuple[SavedQuery, ...]:
    """Saved queries on the CloudTrail log group; they exist only in the trail's home region (a saved query
    can only name log groups of its own region) and cover every region through `awsRegion`."""
    return (SavedQuery("failed-invocations-by-code", FAILURES_BY_CODE_TITLE, trail_failures_by_code()),)


def trail_access_denied() -> str:
    return pipeline(
        f'filter eventSource = "{bedrock.EVENT_SOURCE}" and '
        "(errorCode like /AccessDenied/ or errorCode like /UnauthorizedOperation/)",
        "stats count(*) as denied, latest(@timestamp) as lastSeen by userIdentity.arn, eventName",
        "sort denied desc",
        "limit 50",
    )


def trail_logging_changes() -> str:
    return pipeline(
        _bedrock_events(bedrock.LOGGING_CHANGE_EVENTS),
        "fields @timestamp, eventName, userIdentity.arn, sourceIPAddress, errorCode",
        "sort @timestamp desc",
        "limit 50",
    )


def trail_guardrail_and_access_changes() -> str:
    return pipeline(
        _bedrock_events(bedrock.GUARDRAIL_EVENTS + bedrock.MODEL_ACCESS_EVENTS),
        "fields @timestamp, eventName, userIdentity.arn, sourceIPAddress, errorCode",
        "sort @timestamp desc",
        "limit 50",
    )


# --- what a region saves ------------------------------------------------------------------------------
def saved_queries(ctx: RegionContext) -> tuple[SavedQuerySpec, ...]:
    """Invocation-log queries in every region; the CloudTrail failures query only where the trail's log group
    is (a saved query can only name log groups of its own region; it covers every region)."""
    sources = [
        (q, ctx.invocation_log_group_name) for q in invocation_log_queries(ctx.settings.dashboards.top_identities)
    ]
    if trail_here := ctx.trail_log_group_here:
        sources += [(q, trail_here) for q in trail_queries()]
    return tuple(
        SavedQuerySpec(
            slug=query.slug,
            name=names.saved_query_name(ctx.account_name, query.title),
            log_group_names=(log_group,),
            query=query.query,
        )
        for query, log_group in sources
    )
