"""Deterministic AWS names: needed up front to build policies, and unique per account and region."""

INVOCATION_LOG_GROUP = "/bedrock-observability/model-invocations"
TRAIL_LOG_GROUP = "/bedrock-observability/cloudtrail"
TRAIL_NAME = "bedrock-observability-audit"
INVOCATION_LOG_PREFIX = "invocation-logs"
LARGE_DATA_PREFIX = "large-payloads"


def invocation_bucket(account_id: str, region: str) -> str:
    return f"bedrock-invocation-logs-{account_id}-{region}"


def trail_bucket(account_id: str, region: str) -> str:
    return f"bedrock-audit-trail-{account_id}-{region}"


def invocation_role(region: str) -> str:
    # IAM is global: one role per region keeps each role's SourceArn scoped to its own region.
    return f"bedrock-invocation-logging-{region}"


def trail_role() -> str:
    return "bedrock-observability-trail-to-logs"
