"""Org-level alarms of the monitoring account, built from the same `MetricAlarmSpec` as the workload alarms.

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
from dataclasses import dataclass

from components.monitoring.alarms import MetricAlarmSpec, MetricQuery, MetricStat
from components.org_monitoring.refs import WorkloadRef, accounts_in_region
from inventory.org_monitoring import OrgAlarmThresholds
from vocabulary import names
from vocabulary.bedrock import MODEL_DIMENSION, NAMESPACE

# Metrics Insights source over every per-model Bedrock series (every linked account, in a monitoring account).
SCHEMA = f'SCHEMA("{NAMESPACE}", {MODEL_DIMENSION})'


@dataclass(frozen=True)
class OrgAlarm:
    """One org alarm of the monitoring account: the alarm (the same model as the workload alarms), the region
    it lives in (it notifies that region's org topic) and whether it covers the whole region (shown on the
    org overview) or one account."""

    region: str
    spec: MetricAlarmSpec
    region_wide: bool

    @property
    def name(self) -> str:
        return self.spec.name


def _mi_sum(metric_name: str, group_by_account: bool = False) -> str:
    query = f"SELECT SUM({metric_name}) FROM {SCHEMA}"
    if group_by_account:
        # Multi-time-series alarms need GROUP BY + ORDER BY (CloudWatch Metrics Insights alarms docs).
        query += " GROUP BY AWS.AccountId ORDER BY SUM() DESC"
    return query


def _alarm_name(region: str, what: str) -> str:
    return names.org_alarm_name(region, what)


def _org_alarm(
    name: str,
    description: str,
    threshold: float,
    thresholds: OrgAlarmThresholds,
    queries: tuple[MetricQuery, ...],
    tags: dict[str, str],
) -> MetricAlarmSpec:
    return MetricAlarmSpec(
        # The alarm name is also its Pulumi resource name (unique in the monitoring stack).
        key=name,
        name=name,
        description=description,
        tier=None,
        notify_ok=True,
        comparison_operator="GreaterThanThreshold",
        evaluation_periods=thresholds.evaluation.evaluation_periods,
        datapoints_to_alarm=thresholds.evaluation.datapoints_to_alarm,
        # No traffic is not an incident at org level: quiet regions stay OK.
        treat_missing_data="notBreaching",
        threshold=threshold,
        metrics=queries,
        extra_tags=tuple(tags.items()),
    )


def region_alarms(region: str, thresholds: OrgAlarmThresholds) -> list[OrgAlarm]:
    p = thresholds.evaluation.period_seconds
    tags = {"bedrockobs:scope": "org", "bedrockobs:region": region}

    def insights(qid: str, label: str, query: str) -> tuple[MetricQuery, ...]:
        return (MetricQuery(id=qid, label=label, return_data=True, expression=query, period=p),)

    specs = [
        _org_alarm(
            _alarm_name(region, "throttles"),
            f"Bedrock throttles summed over every linked account in {region} exceed "
            f"{thresholds.region_throttles} per {p}s: a regional quota or capacity problem.",
            thresholds.region_throttles,
            thresholds,
            insights("throttles", "Throttles, all accounts", _mi_sum("InvocationThrottles")),
            tags,
        ),
        _org_alarm(
            _alarm_name(region, "server-errors"),
            f"Bedrock server-side errors summed over every linked account in {region} exceed "
            f"{thresholds.region_server_errors} per {p}s: likely a service-side incident.",
            thresholds.region_server_errors,
            thresholds,
            insights("server_errors", "Server errors, all accounts", _mi_sum("InvocationServerErrors")),
            tags,
        ),
        _org_alarm(
            _alarm_name(region, "account-throttles"),
            f"At least one account in {region} is throttled more than {thresholds.account_throttles} "
            f"times per {p}s (one contributor per account).",
            thresholds.account_throttles,
            thresholds,
            insights("by_account", "Throttles by account", _mi_sum("InvocationThrottles", group_by_account=True)),
            tags,
        ),
    ]
    return [OrgAlarm(region=region, spec=spec, region_wide=True) for spec in specs]


def account_error_rate_alarm(region: str, workload: WorkloadRef, thresholds: OrgAlarmThresholds) -> OrgAlarm:
    p = thresholds.evaluation.period_seconds

    def stat(qid: str, metric: str) -> MetricQuery:
        return MetricQuery(
            id=qid,
            label=f"{metric} ({workload.name})",
            return_data=False,
            metric=MetricStat(namespace=NAMESPACE, metric_name=metric, stat="Sum", period=p),
            account_id=workload.account_id,
        )

    rate = (
        f"IF(invocations >= {thresholds.account_min_invocations}, "
        "100 * (client_errors + server_errors) / invocations, 0)"
    )
    spec = _org_alarm(
        _alarm_name(region, names.org_account_alarm_kind(workload.name)),
        f"{workload.name} ({workload.account_id}) in {region}: client+server errors above "
        f"{thresholds.account_error_rate_percent}% of invocations (evaluated from "
        f"{thresholds.account_min_invocations} invocations per {p}s).",
        thresholds.account_error_rate_percent,
        thresholds,
        (
            stat("invocations", "Invocations"),
            stat("client_errors", "InvocationClientErrors"),
            stat("server_errors", "InvocationServerErrors"),
            MetricQuery(id="error_rate", label=f"Error rate % ({workload.name})", return_data=True, expression=rate),
        ),
        {"bedrockobs:scope": "account", "bedrockobs:region": region, "bedrockobs:account": workload.name},
    )
    return OrgAlarm(region=region, spec=spec, region_wide=False)


def org_alarms(
    regions: Sequence[str], workloads: Sequence[WorkloadRef], thresholds: OrgAlarmThresholds
) -> list[OrgAlarm]:
    alarms: list[OrgAlarm] = []
    for region in regions:
        alarms += region_alarms(region, thresholds)
        if thresholds.per_account_error_rate_alarms:
            alarms += [account_error_rate_alarm(region, w, thresholds) for w in accounts_in_region(workloads, region)]
    return alarms
