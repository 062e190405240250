"""Org-level alarm definitions (pure data), shaped like CloudWatch PutMetricAlarm requests.

Why Metrics Insights and `AccountId` instead of SEARCH:
- Alarms cannot use SEARCH expressions, and a metric-math alarm may reference at most 10 metrics, so a
  region-wide sum over 200 accounts x N models cannot be written as metric math.
- In a monitoring account, a Metrics Insights query (`SELECT ... FROM SCHEMA(...)`) aggregates over every
  linked source account and is allowed in alarms (default quota: 200 such alarms per region). It picks up
  newly linked accounts and new model ids without a deploy. With `GROUP BY AWS.AccountId` each account
  becomes a contributor of one alarm.
- Per-account error rates need a ratio; a `MetricStat` query may name the source account with
  `AccountId`, so 3 metrics + 1 expression per account stay within the 10-metric limit. They read the
  model-less Bedrock series ("Across all model IDs"), so the alarm does not change when models change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from components.monitoring.naming import MODEL_DIMENSION, NAMESPACE
from components.org_monitoring import naming
from components.org_monitoring.refs import WorkloadRef, accounts_in_region
from inventory.org_monitoring import OrgAlarmThresholds

# Metrics Insights source over every per-model Bedrock series (every linked account, in a monitoring account).
SCHEMA = f'SCHEMA("{NAMESPACE}", {MODEL_DIMENSION})'


@dataclass(frozen=True)
class MetricStatSpec:
    metric_name: str
    stat: str
    period: int
    namespace: str = NAMESPACE
    dimensions: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class QuerySpec:
    id: str
    label: str
    return_data: bool
    expression: str | None = None
    metric: MetricStatSpec | None = None
    # Metrics Insights queries carry their own period; pure math inherits it from its inputs.
    period: int | None = None
    account_id: str | None = None

    def __post_init__(self) -> None:
        if (self.expression is None) == (self.metric is None):
            raise ValueError(f"query {self.id}: exactly one of expression and metric")


@dataclass(frozen=True)
class OrgAlarmSpec:
    region: str
    name: str
    description: str
    queries: tuple[QuerySpec, ...]
    threshold: float
    comparison_operator: str
    evaluation_periods: int
    datapoints_to_alarm: int
    # No traffic is not an incident at org level: quiet regions stay OK.
    treat_missing_data: str = "notBreaching"
    region_wide: bool = True
    tags: dict[str, str] = field(default_factory=dict)

    def put_metric_alarm_params(self, topic_arn: str) -> dict[str, Any]:
        """The PutMetricAlarm request this alarm corresponds to (validated offline against botocore)."""
        metrics: list[dict[str, Any]] = []
        for q in self.queries:
            item: dict[str, Any] = {"Id": q.id, "Label": q.label, "ReturnData": q.return_data}
            if q.expression is not None:
                item["Expression"] = q.expression
            if q.metric is not None:
                item["MetricStat"] = {
                    "Metric": {
                        "Namespace": q.metric.namespace,
                        "MetricName": q.metric.metric_name,
                        "Dimensions": [{"Name": k, "Value": v} for k, v in q.metric.dimensions],
                    },
                    "Period": q.metric.period,
                    "Stat": q.metric.stat,
                }
            if q.period is not None:
                item["Period"] = q.period
            if q.account_id is not None:
                item["AccountId"] = q.account_id
            metrics.append(item)
        return {
            "AlarmName": self.name,
            "AlarmDescription": self.description,
            "ActionsEnabled": True,
            "AlarmActions": [topic_arn],
            "OKActions": [topic_arn],
            "Metrics": metrics,
            "Threshold": self.threshold,
            "ComparisonOperator": self.comparison_operator,
            "EvaluationPeriods": self.evaluation_periods,
            "DatapointsToAlarm": self.datapoints_to_alarm,
            "TreatMissingData": self.treat_missing_data,
            "Tags": [{"Key": k, "Value": v} for k, v in sorted(self.tags.items())],
        }


def _mi_sum(metric_name: str, group_by_account: bool = False) -> str:
    query = f"SELECT SUM({metric_name}) FROM {SCHEMA}"
    if group_by_account:
        # Multi-time-series alarms need GROUP BY + ORDER BY (CloudWatch Metrics Insights alarms docs).
        query += " GROUP BY AWS.AccountId ORDER BY SUM() DESC"
    return query


def _alarm_name(region: str, what: str) -> str:
    return f"{naming.ALARM_PREFIX}-{what}-{region}"


def region_alarms(region: str, thresholds: OrgAlarmThresholds) -> list[OrgAlarmSpec]:
    p = thresholds.period_seconds
    common: dict[str, Any] = {
        "region": region,
        "comparison_operator": "GreaterThanThreshold",
        "evaluation_periods": thresholds.evaluation_periods,
        "datapoints_to_alarm": thresholds.datapoints_to_alarm,
        "tags": {"bedrockobs:scope": "org", "bedrockobs:region": region},
    }
    return [
        OrgAlarmSpec(
            name=_alarm_name(region, "throttles"),
            description=(
                f"Bedrock throttles summed over every linked account in {region} exceed "
                f"{thresholds.region_throttles} per {p}s: a regional quota or capacity problem."
            ),
            queries=(QuerySpec("throttles", "Throttles, all accounts", True,
                               expression=_mi_sum("InvocationThrottles"), period=p),),
            threshold=thresholds.region_throttles,
            **common,
        ),
        OrgAlarmSpec(
            name=_alarm_name(region, "server-errors"),
            description=(
                f"Bedrock server-side errors summed over every linked account in {region} exceed "
                f"{thresholds.region_server_errors} per {p}s: likely a service-side incident."
            ),
            queries=(QuerySpec("server_errors", "Server errors, all accounts", True,
                               expression=_mi_sum("InvocationServerErrors"), period=p),),
            threshold=thresholds.region_server_errors,
            **common,
        ),
        OrgAlarmSpec(
            name=_alarm_name(region, "account-throttles"),
            description=(
                f"At least one account in {region} is throttled more than {thresholds.account_throttles} "
                f"times per {p}s (one contributor per account)."
            ),
            queries=(QuerySpec("by_account", "Throttles by account", True,
                               expression=_mi_sum("InvocationThrottles", group_by_account=True), period=p),),
            threshold=thresholds.account_throttles,
            **common,
        ),
    ]


def account_error_rate_alarm(region: str, workload: WorkloadRef, thresholds: OrgAlarmThresholds) -> OrgAlarmSpec:
    p = thresholds.period_seconds

    def stat(qid: str, metric: str) -> QuerySpec:
        return QuerySpec(qid, f"{metric} ({workload.name})", False,
                         metric=MetricStatSpec(metric, "Sum", p), account_id=workload.account_id)

    rate = (
        f"IF(invocations >= {thresholds.account_min_invocations}, "
        "100 * (client_errors + server_errors) / invocations, 0)"
    )
    return OrgAlarmSpec(
        region=region,
        name=_alarm_name(region, f"error-rate-{workload.name}"),
        description=(
            f"{workload.name} ({workload.account_id}) in {region}: client+server errors above "
            f"{thresholds.account_error_rate_percent}% of invocations (evaluated from "
            f"{thresholds.account_min_invocations} invocations per {p}s)."
        ),
        queries=(
            stat("invocations", "Invocations"),
            stat("client_errors", "InvocationClientErrors"),
            stat("server_errors", "InvocationServerErrors"),
            QuerySpec("error_rate", f"Error rate % ({workload.name})", True, expression=rate),
        ),
        threshold=thresholds.account_error_rate_percent,
        comparison_operator="GreaterThanThreshold",
        evaluation_periods=thresholds.evaluation_periods,
        datapoints_to_alarm=thresholds.datapoints_to_alarm,
        region_wide=False,
        tags={"bedrockobs:scope": "account", "bedrockobs:region": region, "bedrockobs:account": workload.name},
    )


def org_alarms(
    regions: Sequence[str], workloads: Sequence[WorkloadRef], thresholds: OrgAlarmThresholds
) -> list[OrgAlarmSpec]:
    specs: list[OrgAlarmSpec] = []
    for region in regions:
        specs += region_alarms(region, thresholds)
        if thresholds.per_account_error_rate_alarms:
            specs += [account_error_rate_alarm(region, w, thresholds) for w in accounts_in_region(workloads, region)]
    return specs
