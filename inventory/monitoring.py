"""Per-account monitoring settings: alarm thresholds, notification targets, price table, budget.

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
from collections.abc import Iterable
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator

from inventory.aws_facts import INFERENCE_PROFILE_REGION_PREFIXES
from inventory.base import StrictModel
from inventory.identifiers import is_model_id
from inventory.types import Items, MetricThreshold, Percent, PositiveInt, Text
from vocabulary.limits import (
    MAX_BUDGET_LIMIT_USD,
    MAX_BUDGET_NOTIFICATIONS,
    MAX_BUDGET_THRESHOLD_PCT,
    MAX_INVOCATION_LATENCY_MS,
    MAX_METRIC_NAMESPACE,
    MAX_PRICE_PER_1K_TOKENS_USD,
    MIN_BUDGET_LIMIT_USD,
)

# Bedrock publishes runtime metrics at one-minute resolution, so alarm periods are whole minutes.
_MIN_PERIOD_SECONDS = 60
# CloudWatch quota "Alarm evaluation period": period x evaluation periods may not exceed one day.
MAX_ALARM_EVALUATION_SECONDS = 86_400
_MAX_EVALUATION_PERIODS = MAX_ALARM_EVALUATION_SECONDS // _MIN_PERIOD_SECONDS

# Deliberately the intersection of what the workload and monitoring-account settings accepted before they
# were unified: common local-part characters, dot-separated domain labels, a letters-only top-level domain.
# It catches the typos that matter at plan time (missing "@", spaces, "name@host"), not full RFC 5322.
# Matched with fullmatch (`$` would accept a trailing newline) over ASCII classes (`\d` matches any digit).
_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# E.164: a plus sign, a non-zero country code digit, at most 15 digits in total.
_E164_RE = re.compile(r"\+[1-9][0-9]{6,14}")
# Obvious placeholders left in copied examples ("REPLACE_WITH_KEY", "CHANGEME", "<integration key>"): an HTTPS
# subscription to such a URL is auto-confirmed by nobody, so `pulumi up` would wait for it and then fail.
_PLACEHOLDER_RE = re.compile(r"replace|change[_-]?me|placeholder|<[^>]*>", re.IGNORECASE)
# Cross-region inference profile prefixes (us., eu., apac., ...) are stripped when looking up prices.
_GEO_PREFIX_RE = re.compile(rf"({'|'.join(re.escape(p) for p in INFERENCE_PROFILE_REGION_PREFIXES)})\.")
# The org dashboards price every entry of the org-wide table (`defaults.monitoring.pricing.models`) in every
# region: each priced model adds two Metrics Insights queries to a cost widget and a term to its cost
# expression, so 10 keeps the widget far below 500 metrics and the expression below 1024 characters.
# Enforced by `inventory.models.Organisation`; the org dashboard builders import it from here.
MAX_PRICED_MODELS = 10
# CloudWatch namespaces (user guide, "Namespaces"): ASCII letters, digits, . - _ / # : and space, at most 255;
# CloudWatch Logs metric filters also refuse ':' (botocore logs MetricNamespace `[^:*$]*`); AWS/ is reserved.
_NAMESPACE_RE = re.compile(rf"[A-Za-z0-9._/# -]{{1,{MAX_METRIC_NAMESPACE}}}")

TreatMissingData = Literal["missing", "ignore", "breaching", "notBreaching"]
Tier = Literal["warning", "critical"]


class Evaluation(StrictModel):
    """How long a condition must hold before an alarm fires: `datapoints_to_alarm` of the last
    `evaluation_periods` periods of `period_seconds` each (an "M out of N" alarm)."""

    period_seconds: int = Field(default=300, ge=_MIN_PERIOD_SECONDS, le=MAX_ALARM_EVALUATION_SECONDS)
    evaluation_periods: int = Field(default=3, ge=1, le=_MAX_EVALUATION_PERIODS)
    datapoints_to_alarm: int = Field(default=3, ge=1, le=_MAX_EVALUATION_PERIODS)

    @field_validator("period_seconds")
    @classmethod
    def _whole_minutes(cls, value: int) -> int:
        if value % 60:
            raise ValueError(
                f"period_seconds={value} is not a whole number of minutes; Bedrock metrics have one-minute "
                "resolution, use 60, 120, 300, ..."
            )
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Evaluation:
        if self.datapoints_to_alarm > self.evaluation_periods:
            raise ValueError(
                f"datapoints_to_alarm={self.datapoints_to_alarm} exceeds evaluation_periods="
                f"{self.evaluation_periods}; set datapoints_to_alarm <= evaluation_periods"
            )
        if self.period_seconds * self.evaluation_periods > MAX_ALARM_EVALUATION_SECONDS:
            raise ValueError(
                f"period_seconds x evaluation_periods = {self.period_seconds * self.evaluation_periods}s exceeds "
                f"CloudWatch's one-day limit ({MAX_ALARM_EVALUATION_SECONDS}s); shorten the period or the window"
            )
        return self

    @property
    def seconds_to_fire(self) -> int:
        """Minimum time from fault start to ALARM: the alarm needs `datapoints_to_alarm` breaching periods."""
        return self.period_seconds * self.datapoints_to_alarm


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


class NotificationTargets(StrictModel):
    """Subscribers of one SNS alert topic: a workload tier's topic (`monitoring.notifications.<tier>`) or
    the monitoring account's org alert topics (`monitoring_account.settings.notifications`).
    Email and SMS subscriptions need the recipient to confirm. Emails are stored lower-case."""

    emails: Items[str] = ()
    https_endpoints: Items[Text] = ()
    sms_numbers: Items[str] = ()
    # PagerDuty/Opsgenie SNS integrations confirm the subscription themselves.
    https_endpoints_auto_confirm: bool = True

    @field_validator("emails")
    @classmethod
    def _emails(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        for value in values:
            if not _EMAIL_RE.fullmatch(value):
                raise ValueError(f"emails: {value!r} is not an email address; use the form name@example.com")
        return tuple(value.lower() for value in _unique("emails", values))

    @field_validator("https_endpoints")
    @classmethod
    def _https(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        for value in values:
            parts = urlsplit(value)
            if parts.scheme != "https" or not parts.hostname or any(c.isspace() or not c.isascii() for c in value):
                raise ValueError(
                    f"https_endpoints: {value!r} is not an https:// URL with a host (ASCII, no spaces); alert payloads "
                    "must travel over TLS, e.g. https://events.pagerduty.com/integration/<key>/enqueue"
                )
            placeholder = _PLACEHOLDER_RE.search(value)
            if placeholder:
                raise ValueError(
                    f"https_endpoints: {value!r} still contains the placeholder {placeholder.group(0)!r}; fix: "
                    "paste the real integration URL from your paging tool (e.g. PagerDuty service > Integrations "
                    "> Amazon CloudWatch), or remove the entry"
                )
        return _unique("https_endpoints", values)

    @field_validator("sms_numbers")
    @classmethod
    def _sms(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        for value in values:
            if not _E164_RE.fullmatch(value):
                raise ValueError(
                    f"sms_numbers: {value!r} is not an E.164 number; write it as + country code and digits "
                    "without spaces, e.g. +14155550100"
                )
        return _unique("sms_numbers", values)


def _unique(field: str, values: tuple[str, ...]) -> tuple[str, ...]:
    seen: set[str] = set()
    for value in values:
        if value.lower() in seen:
            raise ValueError(f"{field}: {value!r} is listed twice; remove the duplicate")
        seen.add(value.lower())
    return values


class Notifications(StrictModel):
    warning: NotificationTargets = NotificationTargets()
    critical: NotificationTargets = NotificationTargets()


class ModelPrice(StrictModel):
    input_per_1k_tokens_usd: float = Field(ge=0, le=MAX_PRICE_PER_1K_TOKENS_USD)
    output_per_1k_tokens_usd: float = Field(ge=0, le=MAX_PRICE_PER_1K_TOKENS_USD)


class Pricing(StrictModel):
    """On-demand prices used only for the *estimated* cost widgets (the budget uses billed cost).

    The one price table of the platform: workload cost dashboards read the account's merged
    `settings.monitoring.pricing`; the monitoring account's org dashboards read the org-wide
    `defaults.monitoring.pricing`. A model without a price (after the inference-profile fallback) has no
    cost line ("price unknown"), or fails inventory validation with `missing_price: error` (checked in
    `inventory.models`, before any resource is registered). There is no catch-all default price.
    """

    models: dict[str, ModelPrice] = {}
    missing_price: Literal["show_unknown", "error"] = "show_unknown"

    @field_validator("models")
    @classmethod
    def _model_ids(cls, value: dict[str, ModelPrice]) -> dict[str, ModelPrice]:
        for key in value:
            # Keys end up quoted inside metric-math / Metrics Insights expressions: model ids only.
            if not is_model_id(key):
                raise ValueError(
                    f"pricing.models: {key!r} is not a Bedrock model id (provider.model[:version], lowercase "
                    "letters, digits and '-'); fix: use the id as listed in models, e.g. "
                    "anthropic.claude-3-haiku-20240307-v1:0"
                )
        return value

    def price_for(self, model_id: str) -> ModelPrice | None:
        """Exact id first, then the id without a cross-region inference profile prefix (us., eu., ...)."""
        if model_id in self.models:
            return self.models[model_id]
        return self.models.get(_without_geo_prefix(model_id))

    def model_ids_priced_as(self, key: str, candidates: Iterable[str]) -> tuple[str, ...]:
        """`key` (a price table entry) and every id among `candidates` that `price_for` resolves to that
        entry: its cross-region inference profiles (us.<key>, eu.<key>, ...) that have no price of their own."""
        ids = [key]
        for model_id in candidates:
            if model_id != key and model_id not in self.models and _without_geo_prefix(model_id) == key:
                ids.append(model_id)
        return tuple(dict.fromkeys(ids))

    def unpriced(self, model_ids: Iterable[str]) -> list[str]:
        """The ids among `model_ids` without a price (after the inference-profile fallback), in order.
        Whether that is an error (`missing_price: error`) is checked by the inventory validators."""
        return [model for model in dict.fromkeys(model_ids) if self.price_for(model) is None]


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
        return _unique("service_names", values)

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
    # Warning alarms notify on recovery too when true; critical alarms always do.
    warning_ok_actions: bool = False


def _without_geo_prefix(model_id: str) -> str:
    match = _GEO_PREFIX_RE.match(model_id)
    return model_id[match.end() :] if match else model_id
