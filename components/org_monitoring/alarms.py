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

from components.cloudwatch import expressions
from components.cloudwatch.alarms import MetricAlarmSpec, MetricQuery, MetricStat
from components.org_monitoring.refs import WorkloadRef, accounts_in_region
from inventory.base import FrozenModel
from inventory.org_monitoring import OrgAlarmThresholds
from vocabulary import bedrock, names


class OrgAlarm(FrozenModel):
    """One org alarm of the monitoring account: the alarm (the same model as the workload alarms), the region
    it lives in (it notifies that region's org topic) and whether it covers the whole region (shown on the
    org overview) or one account."""

    region: str
    spec: MetricAlarmSpec
    region_wide: bool

    @property
    def name(self) -> str:
        return self.spec.name


def _org_alarm(
    region: str,
    kind: str,
    description: str,
    threshold: float,
    thresholds: OrgAlarmThresholds,
    queries: tuple[MetricQuery, ...],
    tags: dict[str, str],
) -> MetricAlarmSpec:
    return MetricAlarmSpec(
        key=f"{kind}-{region}",
        name=names.org_alarm_name(region, kind),
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

    throttles, server_errors, account_throttles = names.ORG_REGION_ALARMS
    specs = [
        _org_alarm(
            region,
            throttles,
            f"Bedrock throttles summed over every linked account in {region} exceed "
            f"{thresholds.region_throttles} per {p}s: a regional quota or capacity problem.",
            thresholds.region_throttles,
            thresholds,
            insights("throttles", "Throttles, all accounts", expressions.insights_sum(bedrock.THROTTLES)),
            tags,
        ),
        _org_alarm(
            region,
            server_errors,
            f"Bedrock server-side errors summed over every linked account in {region} exceed "
            f"{thresholds.region_server_errors} per {p}s: likely a service-side incident.",
            thresholds.region_server_errors,
            thresholds,
            insights("server_errors", "Server errors, all accounts", expressions.insights_sum(bedrock.SERVER_ERRORS)),
            tags,
        ),
        _org_alarm(
            region,
            account_throttles,
            f"At least one account in {region} is throttled more than {thresholds.account_throttles} "
            f"times per {p}s (one contributor per account).",
            thresholds.account_throttles,
            thresholds,
            insights(
                "by_account",
                "Throttles by account",
                expressions.insights_sum(bedrock.THROTTLES, group_by="AWS.AccountId"),
            ),
            tags,
        ),
    ]
    return [OrgAlarm(region=region, spec=spec, region_wide=True) for spec in specs]


# Query id per series the per-account error rate reads.
_ACCOUNT_SERIES = (
    ("invocations", bedrock.INVOCATIONS),
    ("client_errors", bedrock.CLIENT_ERRORS),
    ("server_errors", bedrock.SERVER_ERRORS),
)


def account_error_rate_alarm(region: str, workload: WorkloadRef, thresholds: OrgAlarmThresholds) -> OrgAlarm:
    p = thresholds.evaluation.period_seconds
    series = tuple(
        MetricQuery(
            id=qid,
            label=f"{metric} ({workload.name})",
            return_data=False,
            metric=MetricStat(namespace=bedrock.NAMESPACE, metric_name=metric, stat="Sum", period=p),
            account_id=workload.account_id,
        )
        for qid, metric in _ACCOUNT_SERIES
    )
    (invocations, _), *errors = _ACCOUNT_SERIES
    rate = expressions.error_rate(
        invocations, [qid for qid, _ in errors], thresholds.account_min_invocations, fill_missing=False
    )
    spec = _org_alarm(
        region,
        names.org_account_alarm_kind(workload.name),
        f"{workload.name} ({workload.account_id}) in {region}: client+server errors above "
        f"{thresholds.account_error_rate_percent}% of invocations (evaluated from "
        f"{thresholds.account_min_invocations} invocations per {p}s).",
        thresholds.account_error_rate_percent,
        thresholds,
        (
            *series,
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
