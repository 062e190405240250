"""Every physical AWS name the platform creates, defined once.

The program names resources with these functions, the inventory checks every derived name against its
AWS limit (`vocabulary.limits`) before anything is registered, and `obsctl verify` looks resources up by
the same names. Names are deterministic and unique per account and region.
"""

from __future__ import annotations

import hashlib
import re

# --- building blocks ------------------------------------------------------------------------------------
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
    """Prefix of every regional workload resource name; dashboards are account-global, so region is included."""
    return f"bedrock-{slug(account_name)}-{region}"


# --- workload account: logging and audit ------------------------------------------------------------------
INVOCATION_LOG_GROUP = "/bedrock-observability/model-invocations"
TRAIL_LOG_GROUP = "/bedrock-observability/cloudtrail"
# The CloudWatch Logs stream Bedrock's logging role writes to (Bedrock user guide, "Model invocation logging").
BEDROCK_LOG_STREAM = "aws/bedrock/modelinvocations"
TRAIL_NAME = "bedrock-observability-audit"
INVOCATION_LOG_PREFIX = "invocation-logs"
LARGE_DATA_PREFIX = "large-payloads"
KEY_ALIAS = "alias/bedrock-observability"
# S3 server access logs of the log buckets land under this prefix of the account-region's access-log bucket.
ACCESS_LOG_PREFIX = "s3-access-logs/"
# Findings of the invocation log group's data protection policy (counts and positions, never the data).
# `/aws/vendedlogs/` is the prefix AWS recommends for log groups that services deliver to: CloudWatch Logs
# grants its delivery service on the whole prefix in one resource policy.
DATA_PROTECTION_FINDINGS_LOG_GROUP = "/aws/vendedlogs/bedrock-observability/data-protection-findings"
# The policy's `Name`; CloudWatch Logs reports its audit findings metrics with this name as a dimension.
DATA_PROTECTION_POLICY_NAME = "bedrock-invocation-logs-data-protection"

# Every log bucket carries its role in this tag: the policy pack admits one kind of bucket explicitly by it
# (the access-log bucket's SSE-S3 and its missing access logging of its own), never by weakening a rule.
BUCKET_ROLE_TAG = "bedrock-observability:bucket-role"
INVOCATION_LOGS_ROLE = "invocation-logs"
AUDIT_TRAIL_ROLE = "audit-trail"
ACCESS_LOGS_ROLE = "access-logs"
BUCKET_ROLES = (INVOCATION_LOGS_ROLE, AUDIT_TRAIL_ROLE, ACCESS_LOGS_ROLE)


def invocation_bucket(account_id: str, region: str) -> str:
    return f"bedrock-invocation-logs-{account_id}-{region}"


def trail_bucket(account_id: str, region: str) -> str:
    return f"bedrock-audit-trail-{account_id}-{region}"


def access_log_bucket(account_id: str, region: str) -> str:
    """The target of the S3 server access logs of every log bucket of the account-region (S3 requires the
    target in the source's account and region)."""
    return f"bedrock-access-logs-{account_id}-{region}"


def invocation_role(region: str) -> str:
    # IAM is global: one role per region keeps each role's SourceArn scoped to its own region.
    return f"bedrock-invocation-logging-{region}"


def trail_role() -> str:
    return "bedrock-observability-trail-to-logs"


# --- workload account: monitoring -------------------------------------------------------------------------
def topic_name(account_name: str, region: str, tier: str) -> str:
    """The region's alert topic of one tier (warning / critical) or the escalation topic (`ESCALATION`)."""
    return f"{prefix(account_name, region)}-alerts-{tier}"


def dashboard_name(account_name: str, region: str, kind: str) -> str:
    """`kind`: operations, operations-<n>, cost-usage, security."""
    return f"{prefix(account_name, region)}-{kind}"


def alarm_name(account_name: str, region: str, *parts: str) -> str:
    """A regional alarm: `<prefix>-<part>-...`, e.g. (model slug, 'latency-p95', 'warning')."""
    return "-".join((prefix(account_name, region), *parts))


def model_alarm_name(account_name: str, region: str, model_id: str, kind: str, tier: str | None = None) -> str:
    """A per-model alarm; `tier` is left out where the kind already says it (anomaly alarms)."""
    parts = (model_slug(model_id), kind, *((tier,) if tier else ()))
    return alarm_name(account_name, region, *parts)


def escalation_tier(minutes: int) -> str:
    """The tier part of an escalation alarm's name: `<prefix>-<model slug>-<kind>-escalation-<minutes>m`."""
    return f"{ESCALATION}-{minutes}m"


def guardrail_version_slug(version: str) -> str:
    """`"3"` -> `v3`, `"DRAFT"` -> `draft` (alarm names carry the version: two versions may be watched)."""
    return "draft" if version == "DRAFT" else f"v{version}"


def guardrail_alarm_name(account_name: str, region: str, guardrail_id: str, version: str, kind: str) -> str:
    """`<prefix>-guardrail-<id>-<v3|draft>-<kind>`."""
    return alarm_name(account_name, region, "guardrail", guardrail_id, guardrail_version_slug(version), kind)


def metric_filter_name(account_name: str, region: str, key: str) -> str:
    return f"{prefix(account_name, region)}-{key}"


def budget_name(account_name: str) -> str:
    return f"bedrock-{slug(account_name)}-monthly"


def saved_query_name(account_name: str, title: str) -> str:
    """The name a saved query has in the console ("/" makes folders in the saved-query list)."""
    return f"Bedrock/{slug(account_name)}/{title}"


# --- monitoring account -----------------------------------------------------------------------------------
# Sinks are regional, so one name serves every region.
SINK_NAME = "bedrock-observability"
ORG_ALERT_TOPIC_NAME = "bedrock-org-alerts"
ORG_ALERT_KEY_ALIAS = "alias/bedrock-org-alerts"
ORG_ALARM_PREFIX = "bedrock-org"
# What OAM resolves a link's label from: the account name in AWS Organizations (what dashboards show per line).
LINK_LABEL_TEMPLATE = "$AccountName"


def org_alarm_name(region: str, what: str) -> str:
    return f"{ORG_ALARM_PREFIX}-{what}-{region}"


def org_dashboard_name(dashboard_prefix: str, scope: str) -> str:
    """`scope`: 'overview' or a region."""
    return f"{dashboard_prefix}-{scope}"


# --- the kinds of names the builders derive (one table: the builders use it, the inventory checks it) -------
TIERS = ("warning", "critical")
# Per model, each named `<prefix>-<model slug>-<kind>-<tier>` in both tiers.
MODEL_THRESHOLD_ALARMS = ("latency-p95", "error-rate", "throttles", "tokens")
# Per model where the inventory configures them (a tokens-per-minute quota, an OTPS threshold), both tiers,
# named like the threshold alarms. Enumerated for every model by the name check all the same.
MODEL_OPTIONAL_THRESHOLD_ALARMS = ("tpm-quota", "otps")
# Per critical alarm of these kinds and per `escalation.after_minutes`: `<prefix>-<model slug>-<kind>-escalation-
# <minutes>m`, notifying the escalation topic `<prefix>-alerts-escalation`.
ESCALATION = "escalation"
ESCALATED_ALARMS = (*MODEL_THRESHOLD_ALARMS, *MODEL_OPTIONAL_THRESHOLD_ALARMS)
# Per guardrail version the inventory lists, warning tier: `<prefix>-guardrail-<id>-<v3|draft>-<kind>`.
GUARDRAIL_ALARMS = ("interventions-anomaly",)
# Per model, warning tier, named `<prefix>-<model slug>-<kind>`.
MODEL_ANOMALY_ALARMS = ("invocations-anomaly", "output-tokens-anomaly")
# Per model, critical tier: `<prefix>-<model slug>-latency-and-errors-critical`.
MODEL_COMPOSITE_ALARM = "latency-and-errors"
# CloudTrail metric filters (`<prefix>-<key>`) and their alarms (`<prefix>-security-<key>-<tier>`).
SECURITY_SIGNALS = ("logging-changes", "access-denied", "guardrail-or-access-changes")
DELIVERY_FAILURE_ALARM = "invocation-log-delivery-failure-warning"
# `<prefix>-<kind>`; operations continues on `operations-2`, `-3`, ... for many models.
DASHBOARD_KINDS = ("operations", "cost-usage", "security")
# Monitoring account, per region: `bedrock-org-<kind>-<region>`, and `bedrock-org-error-rate-<account>-<region>`.
ORG_REGION_ALARMS = ("throttles", "server-errors", "account-throttles")
# Monitoring account, once: `<dashboard prefix>-management` (cost vs budget, success rate vs SLA, trends).
ORG_MANAGEMENT_DASHBOARD = "management"


def org_account_alarm_kind(account_name: str) -> str:
    return f"error-rate-{account_name}"


# The platform's own metrics, published by the CloudTrail metric filters of each SECURITY_SIGNALS key
# (namespace: `settings.monitoring.security.metric_namespace`).
SECURITY_SIGNAL_METRICS = {
    "logging-changes": "BedrockInvocationLoggingChanges",
    "access-denied": "BedrockAccessDenied",
    "guardrail-or-access-changes": "BedrockGuardrailOrModelAccessChanges",
}
