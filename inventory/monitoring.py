"""Per-account monitoring settings: alarm thresholds, notification targets, price table, budget, and the
signals of `inventory.signals` (quota headroom, OTPS, guardrails, escalation).

Overridable per workload account through `settings.monitoring` in stacks/org.yaml (the loader deep-merges
the org defaults with the account's overrides, then validates this model). Every field has a default so
`MonitoringSettings()` is a complete, working configuration.

Design decisions (documented in README, "Dashboards, alarms and alert routing"):
- Thresholds that depend on the alarm period (throttles, tokens) are expressed *per minute* and the alarm
  normalises with metric math, so changing a tier's period never silently changes its sensitivity.
- A model missing from the price table is handled by `pricing.missing_price`: "show_unknown" (default) keeps
  the model on the cost dashboard with an explicit "price unknown" note and no cost line; "error" fails
  inventory validation (inventory.models) with a message naming the model and the key to add.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from inventory.base import StrictModel
from inventory.evaluation import MAX_ALARM_EVALUATION_SECONDS, Evaluation, Tier, TreatMissingData
from inventory.notifications import Notifications, unique
from inventory.pricing import Pricing
from inventory.signals import EscalationSettings, Guardrail, OtpsSettings, QuotaHeadroom, periods_after
from inventory.types import Items, MetricThreshold, Percent, PositiveInt, Text
from vocabulary.limits import (
    MAX_BUDGET_LIMIT_USD,
    MAX_BUDGET_NOTIFICATIONS,
    MAX_BUDGET_THRESHOLD_PCT,
    MAX_INVOCATION_LATENCY_MS,
    MAX_METRIC_NAMESPACE,
    MIN_BUDGET_LIMIT_USD,
)

# CloudWatch namespaces (user guide, "Namespaces"): ASCII letters, digits, . - _ / # : and space, at most 255;
# CloudWatch Logs metric filters also refuse ':' (botocore logs MetricNamespace `[^:*$]*`); AWS/ is reserved.
_NAMESPACE_RE = re.compile(rf"[A-Za-z0-9._/# -]{{1,{MAX_METRIC_NAMESPACE}}}")


class TierThresholds(StrictModel):
    """Per-model thresholds for one severity tier. An alarm fires when the value is above its threshold."""

    latency_p95_ms: float = Field(
        gt=0,
        le=MAX_INVOCATION_LATENCY_MS,
        description="p95 InvocationLatency in milliseconds; a Bedrock call lasts at most 60 minutes",
    )
    error_rate_pct: Percent = Field(description="(client+server errors) / invocations x 100")
    throttles_per_minute: MetricThreshold = Field(description="InvocationThrottles, normalised to one minute")
    tokens_per_minute: MetricThreshold = Field(description="Input+output tokens per minute (token spike)")
    evaluation: Evaluation = Evaluation()


def _default_warning() -> TierThresholds:
    # Warning: sustained degradation worth a look during working hours (15 minutes of evidence).
    return TierThresholds(
        latency_p95_ms=3_000,
        error_rate_pct=1.0,
        throttles_per_minute=1.0,
        tokens_per_minute=200_000,
        evaluation=Evaluation(period_seconds=300, evaluation_periods=3, datapoints_to_alarm=3),
    )


def _default_critical() -> TierThresholds:
    # Critical: users are hurting now; fire after 3 of the last 5 minutes so a single spike never pages.
    return TierThresholds(
        latency_p95_ms=5_000,
        error_rate_pct=5.0,
        throttles_per_minute=10.0,
        tokens_per_minute=1_000_000,
        evaluation=Evaluation(period_seconds=60, evaluation_periods=5, datapoints_to_alarm=3),
    )


class AlarmThresholds(StrictModel):
    warning: TierThresholds = Field(default_factory=_default_warning)
    critical: TierThresholds = Field(default_factory=_default_critical)
    # Error rate is meaningless on a handful of calls (1 failure of 2 = 50 %): below this many invocations
    # in a period the error-rate expression evaluates to 0.
    error_rate_min_invocations: PositiveInt = 20
    # Client errors (4xx) include the application's own bad requests and access denials; keep them in the
    # rate by default because the on-call owns the calling application too.
    error_rate_includes_client_errors: bool = True
    # Percentile alarms on few samples are noisy; "ignore" keeps the previous state when samples are scarce.
    evaluate_low_sample_count_percentiles: Literal["evaluate", "ignore"] = "ignore"
    # No traffic means nothing is failing: a quiet model is not an incident.
    treat_missing_data: TreatMissingData = "notBreaching"

    @model_validator(mode="after")
    def _critical_not_below_warning(self) -> AlarmThresholds:
        for key in ("latency_p95_ms", "error_rate_pct", "throttles_per_minute", "tokens_per_minute"):
            warning, critical = getattr(self.warning, key), getattr(self.critical, key)
            if critical < warning:
                raise ValueError(
                    f"critical.{key}={critical} is below warning.{key}={warning}; the critical tier must be at "
                    "least as severe as the warning tier"
                )
        return self


class AnomalyDetection(StrictModel):
    """Anomaly-detection alarms on Invocations (surge or drop) and OutputTokenCount (surge), warning tier."""

    enabled: bool = True
    band_width: float = Field(default=3.0, gt=0, le=10, description="standard deviations of the band")
    evaluation: Evaluation = Field(
        default_factory=lambda: Evaluation(period_seconds=300, evaluation_periods=3, datapoints_to_alarm=3)
    )


class CompositeSettings(StrictModel):
    """Composite alarm per model: pages (critical topic) only when the latency *and* error-rate alarms of
    `children_tier` are in ALARM together. With the default "warning", either signal alone only warns;
    both together mean a real degradation and page."""

    enabled: bool = True
    children_tier: Tier = "warning"


class SecurityAlarms(StrictModel):
    """Alarms from CloudTrail metric filters (only where the account's trail log group is available)."""

    enabled: bool = True
    access_denied_threshold: PositiveInt = Field(default=10, description="denied Bedrock calls per period")
    access_denied_tier: Tier = "warning"
    logging_change_tier: Tier = "critical"
    guardrail_or_access_change_tier: Tier = "warning"
    evaluation: Evaluation = Field(
        default_factory=lambda: Evaluation(period_seconds=300, evaluation_periods=1, datapoints_to_alarm=1)
    )
    metric_namespace: str = "BedrockObservability/Security"

    @field_validator("metric_namespace")
    @classmethod
    def _namespace(cls, value: str) -> str:
        if not _NAMESPACE_RE.fullmatch(value) or not value.strip() or value.startswith("AWS/"):
            raise ValueError(
                f"is not a CloudWatch namespace for custom metrics; fix: use at most {MAX_METRIC_NAMESPACE} ASCII "
                "letters, digits, '.', '-', '_', '/', '#' or spaces, not starting with 'AWS/' (reserved), e.g. "
                "BedrockObservability/Security"
            )
        return value


BudgetThreshold = Annotated[float, Field(gt=0, le=MAX_BUDGET_THRESHOLD_PCT)]


class BudgetSettings(StrictModel):
    enabled: bool = True
    monthly_limit_usd: float = Field(default=1_000.0, ge=MIN_BUDGET_LIMIT_USD, le=MAX_BUDGET_LIMIT_USD)
    actual_thresholds_pct: Items[BudgetThreshold] = (50.0, 75.0, 90.0)
    forecast_thresholds_pct: Items[BudgetThreshold] = (100.0,)
    # Exact Cost Explorer "Service" names. Third-party models billed through AWS Marketplace may appear under
    # their own service names, which are not guessed here: copy them from Cost Explorer (group by Service)
    # to budget that spend too (README, "Budget"). A wrong name silently matches nothing.
    service_names: Items[Text] = ("Amazon Bedrock",)

    @field_validator("actual_thresholds_pct", "forecast_thresholds_pct")
    @classmethod
    def _pct(cls, values: tuple[float, ...]) -> tuple[float, ...]:
        if len(set(values)) != len(values):
            raise ValueError(f"budget thresholds {list(values)} contain duplicates")
        return values

    @field_validator("service_names")
    @classmethod
    def _services(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        if not values:
            raise ValueError("budget.service_names is empty; keep at least 'Amazon Bedrock'")
        return unique("service_names", values)

    @model_validator(mode="after")
    def _notification_quota(self) -> BudgetSettings:
        if len(self.actual_thresholds_pct) + len(self.forecast_thresholds_pct) > MAX_BUDGET_NOTIFICATIONS:
            raise ValueError(
                f"a budget supports at most {MAX_BUDGET_NOTIFICATIONS} notifications (actual + forecast "
                "thresholds); fix: drop some thresholds"
            )
        return self


class DashboardSettings(StrictModel):
    enabled: bool = True
    # TimeToFirstToken is only published for streaming APIs; turn off to hide empty graphs.
    include_time_to_first_token: bool = True
    default_range: str = Field(default="-PT6H", pattern=r"^-P(T[0-9]{1,6}[HM]|[0-9]{1,6}[DW])$")
    top_identities: int = Field(default=10, ge=1, le=100)
    recent_failures: int = Field(default=20, ge=1, le=1000)
    # Per-model sections beyond this count continue on "<prefix>-operations-2", "-3", ... so a dashboard
    # stays far inside CloudWatch's widget and size limits however many models a region serves.
    models_per_operations_dashboard: int = Field(default=20, ge=1, le=40)


class MonitoringSettings(StrictModel):
    """Everything the regional monitoring and the account budget read from configuration."""

    dashboards: DashboardSettings = DashboardSettings()
    alarms: AlarmThresholds = AlarmThresholds()
    anomaly_detection: AnomalyDetection = AnomalyDetection()
    composite: CompositeSettings = CompositeSettings()
    security: SecurityAlarms = SecurityAlarms()
    notifications: Notifications = Notifications()
    pricing: Pricing = Pricing()
    budget: BudgetSettings = BudgetSettings()
    # Tokens-per-minute quota headroom per model and region (alarms and the operations dashboard).
    quotas: QuotaHeadroom = QuotaHeadroom()
    # Output tokens per second per model, instead of or besides the p95 latency alarms.
    otps: OtpsSettings = OtpsSettings()
    # Guardrail versions of this account whose interventions are graphed and alarmed on (account settings only).
    guardrails: Items[Guardrail] = ()
    # A critical alarm still failing after each of `after_minutes` notifies `notifications.escalation`.
    escalation: EscalationSettings = EscalationSettings()
    # Warning alarms notify on recovery too when true; critical alarms always do.
    warning_ok_actions: bool = False

    def critical_windows(self) -> dict[str, Evaluation]:
        """The evaluation of each critical alarm kind that escalates (setting path -> window)."""
        return {
            "alarms.critical.evaluation": self.alarms.critical.evaluation,
            "quotas.critical.evaluation": self.quotas.critical.evaluation,
            "otps.evaluation": self.otps.evaluation,
        }

    @model_validator(mode="after")
    def _escalation_fits_one_day(self) -> MonitoringSettings:
        # An escalation alarm evaluates the critical window plus the delay: within CloudWatch's one day.
        if not self.escalation.enabled:
            return self
        longest = self.escalation.after_minutes[-1]
        for path, window in self.critical_windows().items():
            periods = window.evaluation_periods + periods_after(window.period_seconds, longest)
            if periods * window.period_seconds > MAX_ALARM_EVALUATION_SECONDS:
                fits = (MAX_ALARM_EVALUATION_SECONDS // window.period_seconds - window.evaluation_periods) * (
                    window.period_seconds // 60
                )
                fix = f"escalate after at most {fits} minutes" if fits > 0 else f"shorten {path}"
                raise ValueError(
                    f"escalation.after_minutes {longest} plus the critical window of {path} "
                    f"({window.evaluation_periods} x {window.period_seconds}s) exceeds CloudWatch's one-day evaluation "
                    f"limit; fix: {fix}, or set escalation.enabled: false"
                )
        return self
