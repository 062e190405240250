"""Deterministic names and the Bedrock metric vocabulary shared by every builder."""

from __future__ import annotations

import hashlib
import re

# Documented runtime metrics (Bedrock user guide, "Monitor bedrock-runtime inference using CloudWatch
# metrics"); every per-model metric uses the single dimension `ModelId`.
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

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")
_UNSAFE_ALARM = re.compile(r"[^A-Za-z0-9._-]+")


def slug(value: str) -> str:
    """Characters allowed in dashboard and SNS topic names (A-Z a-z 0-9 - _)."""
    return _UNSAFE.sub("-", value).strip("-")


def model_slug(model_id: str) -> str:
    """`anthropic.claude-3-5-sonnet-20240620-v1:0` -> `anthropic.claude-3-5-sonnet-20240620-v1-0`."""
    return _UNSAFE_ALARM.sub("-", model_id).strip("-")


def short_hash(value: str, length: int = 8) -> str:
    """Stable short id for values (emails, URLs) that must not leak into URNs or vary with list order."""
    return hashlib.sha256(value.encode()).hexdigest()[:length]


def prefix(account_name: str, region: str) -> str:
    """Prefix of every regional AWS resource name: dashboards are account-global, so region is included."""
    return f"bedrock-{slug(account_name)}-{region}"
