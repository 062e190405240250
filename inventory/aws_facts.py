"""AWS facts the inventory validates against, each with where it comes from."""

from functools import cache

import botocore.session

# CloudWatch Logs PutRetentionPolicy accepts only these values (API reference, `retentionInDays`).
LOG_RETENTION_DAYS: tuple[int, ...] = (
    1,
    3,
    5,
    7,
    14,
    30,
    60,
    90,
    120,
    150,
    180,
    365,
    400,
    545,
    731,
    1096,
    1827,
    2192,
    2557,
    2922,
    3288,
    3653,
)

# CloudTrail advanced event selector `resources.type` values for Amazon Bedrock data events
# (CloudTrail user guide, "Logging data events" table; InvokeModel/Converse are management events).
BEDROCK_DATA_EVENT_TYPES: tuple[str, ...] = (
    "AWS::Bedrock::AgentAlias",
    "AWS::Bedrock::AsyncInvoke",
    "AWS::Bedrock::FlowAlias",
    "AWS::Bedrock::Guardrail",
    "AWS::Bedrock::KnowledgeBase",
    "AWS::Bedrock::PromptVersion",
)

# Cross-region inference profile prefixes (`us.anthropic...`) and the source regions each is called from;
# `global.` profiles from any region (Bedrock user guide, "Supported Regions and models for inference
# profiles").
INFERENCE_PROFILE_REGION_PREFIXES: dict[str, tuple[str, ...]] = {
    "us": ("us-east-", "us-west-"),
    "us-gov": ("us-gov-",),
    "eu": ("eu-",),
    "apac": ("ap-",),
    "jp": ("ap-northeast-1", "ap-northeast-3"),
    "au": ("ap-southeast-2", "ap-southeast-4"),
    "ca": ("ca-",),
    "global": ("",),
}

# S3 refuses lifecycle transitions to STANDARD_IA / ONEZONE_IA earlier than 30 days after creation.
S3_IA_MIN_DAYS = 30


@cache
def bedrock_regions() -> frozenset[str]:
    """Regions where Amazon Bedrock has an endpoint, from botocore's bundled endpoint data (offline)."""
    return frozenset(botocore.session.get_session().get_available_regions("bedrock"))
