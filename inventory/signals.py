"""Settings of the signals platform teams page on beyond the thresholds: tokens-per-minute quota headroom,
output tokens per second (OTPS), guardrail interventions and time-based escalation
(`settings.monitoring.<quotas|otps|guardrails|escalation>`).

Quota values are account- and region-specific (Service Quotas), so they come from the inventory, per model
and region. Entries must name models and regions the account uses (`inventory.signal_problems`, run by the
organisation model): a quota for a typo'd model id would otherwise silently watch nothing.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, field_validator, model_validator

from inventory.aws_facts import bedrock_regions
from inventory.base import StrictModel
from inventory.evaluation import Evaluation
from inventory.identifiers import is_model_id
from inventory.types import Items, Percent, Text
from vocabulary.limits import (
    MAX_GUARDRAIL_ID,
    MAX_GUARDRAIL_VERSION,
    MAX_OUTPUT_BURNDOWN_RATE,
    MAX_OUTPUT_TOKENS_PER_SECOND,
    MAX_SERVICE_QUOTA_VALUE,
)

if TYPE_CHECKING:
    pass

# botocore bedrock GuardrailId / GuardrailVersion patterns, matched in full over ASCII.
_GUARDRAIL_ID = re.compile(rf"[a-z0-9]{{1,{MAX_GUARDRAIL_ID}}}")
_GUARDRAIL_VERSION = re.compile(r"[1-9][0-9]{0,7}|DRAFT")
# Escalation steps: the seed escalation policy's 15 / 30 / 60 minutes fit easily; more steps than this are noise.
MAX_ESCALATION_STEPS = 4


# Models that produce no output tokens: embeddings and image/video generators (Bedrock user guide, "Supported
# models and model features"; the Converse API serves none of them). OTPS is a measure of text generation, and
# `obsctl loadgen` sends Converse calls to the others only.
_NOT_TEXT = re.compile(r"embed|image-generator|nova-canvas|nova-reel|^(?:[a-z-]+\.)?stability\.")


def generates_text(model_id: str) -> bool:
    """True for a text generation model (Converse serves it, OutputTokenCount counts its answer)."""
    return not _NOT_TEXT.search(model_id)


def _model_key(value: str) -> str:
    if not is_model_id(value):
        raise ValueError(
            f"{value!r} is not a Bedrock model id (provider.model[:version], lowercase letters, digits and '-'); "
            "fix: use the id as listed in the account's models, e.g. anthropic.claude-3-5-sonnet-20240620-v1:0"
        )
    return value


def _region_key(value: str) -> str:
    if value not in bedrock_regions():
        raise ValueError(
            f"{value!r} is not an AWS region where Amazon Bedrock is available; "
            f"fix: use one of {', '.join(sorted(bedrock_regions()))}"
        )
    return value


ModelKey = Annotated[str, AfterValidator(_model_key)]
RegionKey = Annotated[str, AfterValidator(_region_key)]
QuotaValue = Annotated[int, Field(ge=1, le=MAX_SERVICE_QUOTA_VALUE)]
TokensPerSecond = Annotated[float, Field(gt=0, le=MAX_OUTPUT_TOKENS_PER_SECOND)]


# estimated: EstimatedTPMQuotaUsage (Bedrock's own estimate, cache writes and burndown included);
# token_counts: InputTokenCount + cache writes (both spellings, vocabulary.bedrock)
#               + OutputTokenCount x output_burndown_rate.
UsageMetric = Literal["estimated", "token_counts"]


# --- quota headroom ---------------------------------------------------------------------------------------
class ModelQuota(StrictModel):
    """The applied Service Quotas value of one model (or inference profile) per region, e.g. "On-demand
    InvokeModel tokens per minute for ..." or, for a `us.` profile, "Cross-region model inference tokens per
    minute for ..." (`aws service-quotas list-service-quotas --service-code bedrock`)."""

    # No region (an empty mapping): no quota alarms for the model anywhere.
    tokens_per_minute: dict[RegionKey, QuotaValue] = {}
    # Quota tokens per output token, used only with `usage_metric: token_counts` (Bedrock user guide, "How
    # tokens are counted": 5 for Claude 3.7 Sonnet, Sonnet 4, Sonnet 4.5, Opus 4; 1 for most models).
    output_burndown_rate: int = Field(default=1, ge=1, le=MAX_OUTPUT_BURNDOWN_RATE)


class QuotaTier(StrictModel):
    percent: Percent = Field(description="alarm when quota use per minute exceeds this share of the quota")
    evaluation: Evaluation


class QuotaHeadroom(StrictModel):
    """Alarms when a model's tokens-per-minute use approaches its quota in a region (the seed articles' 80 %
    warning / 95 % critical). Only models with a quota here get the alarms and the headroom widget."""

    # Throttling is decided per minute: one-minute periods, so a peak minute is not averaged away.
    warning: QuotaTier = Field(
        default_factory=lambda: QuotaTier(
            percent=80, evaluation=Evaluation(period_seconds=60, evaluation_periods=5, datapoints_to_alarm=5)
        )
    )
    critical: QuotaTier = Field(
        default_factory=lambda: QuotaTier(
            percent=95, evaluation=Evaluation(period_seconds=60, evaluation_periods=5, datapoints_to_alarm=3)
        )
    )
    usage_metric: UsageMetric = "estimated"
    models: dict[ModelKey, ModelQuota] = {}

    @model_validator(mode="after")
    def _warning_below_critical(self) -> QuotaHeadroom:
        if self.warning.percent >= self.critical.percent:
            raise ValueError(
                f"quotas.warning.percent={self.warning.percent:g} is not below quotas.critical.percent="
                f"{self.critical.percent:g}; fix: warn earlier than you page, e.g. warning 80 and critical 95"
            )
        return self

    def tokens_per_minute(self, model: str, region: str) -> int | None:
        quota = self.models.get(model)
        return quota.tokens_per_minute.get(region) if quota else None


# --- output tokens per second ----------------------------------------------------------------------------
class ModelOtps(StrictModel):
    """OTPS alarms of one model: fire when output tokens per second (p50) drop below a tier's threshold."""

    warning_below: TokensPerSecond
    critical_below: TokensPerSecond
    # streaming: OutputTokenCount / (InvocationLatency - TimeToFirstToken), the AWS page's formula; its
    # TimeToFirstToken exists only for ConverseStream / InvokeModelWithResponseStream. any: OutputTokenCount /
    # InvocationLatency (time to first token included), for models called without streaming.
    traffic: Literal["streaming", "any"] = "streaming"
    # true: no p95 latency alarms for this model (reasoning / long-output models), OTPS instead.
    replaces_latency_p95: bool = False

    @model_validator(mode="after")
    def _critical_below_warning(self) -> ModelOtps:
        if self.critical_below >= self.warning_below:
            raise ValueError(
                f"critical_below={self.critical_below:g} is not below warning_below={self.warning_below:g}; fewer "
                "output tokens per second is worse, so the critical threshold must be the lower one"
            )
        return self


class OtpsSettings(StrictModel):
    # The AWS page's example: 5-minute periods, 3 of 5.
    evaluation: Evaluation = Field(
        default_factory=lambda: Evaluation(period_seconds=300, evaluation_periods=5, datapoints_to_alarm=3)
    )
    models: dict[ModelKey, ModelOtps] = {}


# --- guardrails -------------------------------------------------------------------------------------------
def _guardrail_id(value: str) -> str:
    if value.startswith("arn:"):
        raise ValueError(
            f"{value!r} is an ARN; fix: use the guardrail id, the part after 'guardrail/' (the platform derives "
            "the ARN from the account and region)"
        )
    if not _GUARDRAIL_ID.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a guardrail id (botocore bedrock GuardrailId: 1-{MAX_GUARDRAIL_ID} lowercase letters "
            "and digits); fix: copy it from `aws bedrock list-guardrails --query 'guardrails[].id'`"
        )
    return value


def _guardrail_version(value: Any) -> Any:
    # YAML reads an unquoted version (3) as a number: the dimension value is its text.
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str) and not _GUARDRAIL_VERSION.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a guardrail version; fix: use a version number (1-{MAX_GUARDRAIL_VERSION}) or DRAFT"
        )
    return value


class Guardrail(StrictModel):
    """A guardrail version whose interventions are graphed and alarmed on (an anomaly band on
    `InvocationsIntervened`, dimensions GuardrailArn + GuardrailVersion)."""

    id: Annotated[str, AfterValidator(_guardrail_id)]
    version: Annotated[str, BeforeValidator(_guardrail_version)]
    region: RegionKey
    # What the dashboards call it (the guardrail's name in the console); the id when unset.
    name: Text | None = Field(default=None, max_length=100)

    @property
    def label(self) -> str:
        return f"{self.name or self.id} ({'draft' if self.version == 'DRAFT' else 'v' + self.version})"


# --- escalation -------------------------------------------------------------------------------------------
class EscalationSettings(StrictModel):
    """Time-based escalation (the seed policy: on-call at once, then management): for each entry of
    `after_minutes`, a critical alarm whose condition still holds that many minutes after it paged notifies
    the escalation topic (`notifications.escalation`). README "Escalation" says exactly what that means."""

    enabled: bool = False
    after_minutes: Items[Annotated[int, Field(ge=1, le=1440)]] = (15, 30)

    @field_validator("after_minutes")
    @classmethod
    def _ascending(cls, values: tuple[int, ...]) -> tuple[int, ...]:
        if not values:
            raise ValueError("escalation.after_minutes is empty; fix: list at least one delay, e.g. [15, 30]")
        if len(values) > MAX_ESCALATION_STEPS:
            raise ValueError(
                f"escalation.after_minutes has {len(values)} steps; fix: keep at most {MAX_ESCALATION_STEPS}"
            )
        if list(values) != sorted(set(values)):
            raise ValueError(
                f"escalation.after_minutes {list(values)} must be strictly increasing without duplicates, e.g. [15, 30]"
            )
        return values


def periods_after(period_seconds: int, minutes: int) -> int:
    """Whole periods covering `minutes`, rounded up: an escalation never fires earlier than promised."""
    return -(-minutes * 60 // period_seconds)
