"""CloudWatch alarm specifications (pure: no Pulumi). A spec renders once, to `aws.cloudwatch.*Alarm` keyword
arguments; tests validate what that sends (the plan's engine inputs, converted to the PutMetricAlarm /
PutCompositeAlarm request) against botocore's model.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from inventory.base import FrozenModel
from inventory.evaluation import Tier, TreatMissingData
from vocabulary.limits import MAX_METRICS_PER_MATH_ALARM

ComparisonOperator = Literal[
    "GreaterThanOrEqualToThreshold",
    "GreaterThanThreshold",
    "LessThanThreshold",
    "LessThanOrEqualToThreshold",
    "LessThanLowerOrGreaterThanUpperThreshold",
    "LessThanLowerThreshold",
    "GreaterThanUpperThreshold",
]
BAND_OPERATORS = frozenset(
    {"LessThanLowerOrGreaterThanUpperThreshold", "LessThanLowerThreshold", "GreaterThanUpperThreshold"}
)
QUERY_ID = r"^[a-z][A-Za-z0-9_]*$"
# The topic of a workload region an alarm notifies: its tier's, or the escalation topic (a critical alarm still
# failing after a delay).
Route = Literal["warning", "critical", "escalation"]


class MetricStat(FrozenModel):
    namespace: str
    metric_name: str
    dimensions: tuple[tuple[str, str], ...] = ()
    stat: str
    period: int = Field(ge=60)

    def pulumi(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "namespace": self.namespace,
            "metric_name": self.metric_name,
            "stat": self.stat,
            "period": self.period,
        }
        if self.dimensions:
            out["dimensions"] = dict(self.dimensions)
        return out


class MetricQuery(FrozenModel):
    id: str = Field(pattern=QUERY_ID)
    metric: MetricStat | None = None
    expression: str | None = Field(default=None, max_length=2048)
    label: str | None = None
    return_data: bool = False
    # Only for a Metrics Insights expression (`SELECT ...`), which carries its own period; plain metric math
    # inherits the period of its inputs.
    period: int | None = Field(default=None, ge=60)
    # The source account of a metric in a monitoring account (CloudWatch cross-account observability).
    account_id: str | None = Field(default=None, pattern=r"^\d{12}$")

    @model_validator(mode="after")
    def _one_source(self) -> MetricQuery:
        if (self.metric is None) == (self.expression is None):
            raise ValueError(f"query {self.id}: set exactly one of metric or expression")
        return self

    def pulumi(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "return_data": self.return_data}
        if self.metric is not None:
            out["metric"] = self.metric.pulumi()
        if self.expression is not None:
            out["expression"] = self.expression
        if self.label:
            out["label"] = self.label
        if self.period is not None:
            out["period"] = self.period
        if self.account_id is not None:
            out["account_id"] = self.account_id
        return out


class MetricAlarmSpec(FrozenModel):
    """One CloudWatch metric alarm. Either a single metric (namespace/metric_name/...) or `metrics` queries.

    `pulumi_args` is its one rendering (what the program sends); tests convert the resulting engine inputs
    to the PutMetricAlarm request shape and validate that with botocore's model."""

    key: str = Field(description="stable logical key, used for Pulumi resource names")
    name: str = Field(min_length=1, max_length=255)
    description: str = Field(min_length=1, max_length=1024)
    # Severity: which of a workload region's topics the alarm notifies (and its Severity tag). None: the
    # alarm has a single topic of its own (the monitoring account's org alarms).
    tier: Route | None
    notify_ok: bool
    comparison_operator: ComparisonOperator
    evaluation_periods: int = Field(ge=1)
    datapoints_to_alarm: int = Field(ge=1)
    treat_missing_data: TreatMissingData
    threshold: float | None = None
    threshold_metric_id: str | None = None
    # single-metric form
    namespace: str | None = None
    metric_name: str | None = None
    dimensions: tuple[tuple[str, str], ...] = ()
    period: int | None = Field(default=None, ge=60)
    statistic: Literal["SampleCount", "Average", "Sum", "Minimum", "Maximum"] | None = None
    extended_statistic: str | None = Field(default=None, pattern=r"^p\d{1,2}(\.\d+)?$")
    evaluate_low_sample_count_percentiles: Literal["evaluate", "ignore"] | None = None
    # metric-math form
    metrics: tuple[MetricQuery, ...] = ()
    model_id: str | None = None
    # Tags besides Severity (from tier) and BedrockModelId (from model_id).
    extra_tags: tuple[tuple[str, str], ...] = ()

    @model_validator(mode="after")
    def _shape(self) -> MetricAlarmSpec:
        single = self.metric_name is not None
        if single == bool(self.metrics):
            raise ValueError(f"{self.name}: use either a single metric or metric queries, not both/neither")
        problem = (self._single_metric_problem() if single else self._queries_problem()) or self._threshold_problem()
        if problem:
            raise ValueError(f"{self.name}: {problem}")
        return self

    @property
    def is_band(self) -> bool:
        return self.comparison_operator in BAND_OPERATORS

    def _single_metric_problem(self) -> str | None:
        if self.namespace is None or self.period is None:
            return "single-metric alarms need namespace and period"
        if (self.statistic is None) == (self.extended_statistic is None):
            return "set exactly one of statistic or extended_statistic"
        return None

    def _queries_problem(self) -> str | None:
        returned = [q.id for q in self.metrics if q.return_data]
        if self.is_band:
            # Anomaly alarms are the exception: the band *and* the metric it models must return data
            # (AWS CDK's AnomalyDetectionAlarm renders them this way for the same reason).
            if len(returned) != 2 or self.threshold_metric_id not in returned:
                return f"the band and its metric must both return data, got {returned}"
        elif len(returned) != 1:
            return f"exactly one metric query must return data, got {returned}"
        if len([q for q in self.metrics if q.metric is not None]) > MAX_METRICS_PER_MATH_ALARM:
            return f"metric-math alarms may read at most {MAX_METRICS_PER_MATH_ALARM} metrics"
        return None

    def _threshold_problem(self) -> str | None:
        if self.is_band:
            ids = {q.id for q in self.metrics}
            if self.threshold_metric_id not in ids or self.threshold is not None:
                return "band operators need threshold_metric_id of a query and no threshold"
        elif self.threshold is None:
            return "static alarms need a threshold"
        if self.datapoints_to_alarm > self.evaluation_periods:
            return "datapoints_to_alarm > evaluation_periods"
        return None

    def pulumi_args(self, topic: Any, region: str) -> dict[str, Any]:
        """Keyword arguments for `aws.cloudwatch.MetricAlarm`; `topic` is the SNS topic it notifies."""
        args: dict[str, Any] = {
            "name": self.name,
            "alarm_description": self.description,
            "actions_enabled": True,
            "alarm_actions": [topic],
            "ok_actions": [topic] if self.notify_ok else [],
            "evaluation_periods": self.evaluation_periods,
            "datapoints_to_alarm": self.datapoints_to_alarm,
            "comparison_operator": self.comparison_operator,
            "treat_missing_data": self.treat_missing_data,
            "threshold": self.threshold,
            "threshold_metric_id": self.threshold_metric_id,
            "tags": self.tags(),
            "region": region,
        }
        if self.metrics:
            args["metric_queries"] = [q.pulumi() for q in self.metrics]
        else:
            args.update(
                namespace=self.namespace,
                metric_name=self.metric_name,
                dimensions=dict(self.dimensions),
                period=self.period,
                statistic=self.statistic,
                extended_statistic=self.extended_statistic,
                evaluate_low_sample_count_percentiles=self.evaluate_low_sample_count_percentiles,
            )
        return {k: v for k, v in args.items() if v is not None}

    def tags(self) -> dict[str, str]:
        tags = {"Severity": self.tier} if self.tier else {}
        if self.model_id:
            tags["BedrockModelId"] = self.model_id
        return tags | dict(self.extra_tags)


class CompositeAlarmSpec(FrozenModel):
    key: str
    name: str = Field(min_length=1, max_length=255)
    description: str = Field(min_length=1, max_length=1024)
    tier: Tier
    notify_ok: bool
    rule: str = Field(min_length=1, max_length=10240)
    children: tuple[str, ...] = Field(min_length=1, description="keys of the alarms the rule reads")
    model_id: str | None = None

    def pulumi_args(self, topic: Any, region: str) -> dict[str, Any]:
        """Keyword arguments for `aws.cloudwatch.CompositeAlarm`; `topic` is the SNS topic it notifies."""
        return {
            "alarm_name": self.name,
            "alarm_description": self.description,
            "alarm_rule": self.rule,
            "actions_enabled": True,
            "alarm_actions": [topic],
            "ok_actions": [topic] if self.notify_ok else [],
            "tags": {"Severity": self.tier},
            "region": region,
        }


def all_of(alarm_names: tuple[str, ...]) -> str:
    """A composite alarm rule that is in ALARM when every named alarm is."""
    return " AND ".join(f'ALARM("{name}")' for name in alarm_names)
