"""What the report asks CloudWatch for, and the batched, paginated GetMetricData that asks it.

Per account, region and model three groups of queries are read, each group in its own calls so a statistic
one endpoint cannot serve (an emulator without percentiles) costs only that group:
- sums (`SUM_FIELDS`) at the chart resolution over both periods: charts, and exact period totals;
- percentiles (`PERCENTILE_FIELDS`) with the period as the query period: one value per period (percentiles
  of hourly values cannot be combined into a period's percentile);
- p95 latency at the chart resolution over the reported period, for the latency chart.
Reading from the monitoring account, every query carries `AccountId` (CloudWatch cross-account
observability); reading with the account's own role it does not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from obsctl.costs import PRICE_COMPONENTS
from obsctl.report.window import Window
from vocabulary import bedrock
from vocabulary.limits import MAX_QUERIES_PER_GET_METRIC_DATA

# (report field, AWS/Bedrock metric) read with the Sum statistic. Token fields follow the price table's
# components, so a priced kind of token is fetched, totalled and costed without further edits. A prompt-cache
# field is read under both spellings of its metric (`PriceComponent.metrics`): two requests with the same
# field, whose points `fetch` puts in one series, so the field is their sum and either spelling counts.
SUM_FIELDS: tuple[tuple[str, str], ...] = (
    ("invocations", bedrock.INVOCATIONS),
    ("client_errors", bedrock.CLIENT_ERRORS),
    ("server_errors", bedrock.SERVER_ERRORS),
    ("throttles", bedrock.THROTTLES),
    *((f"tokens.{component.key}", metric) for component in PRICE_COMPONENTS for metric in component.metrics),
)
# Each report field once (a cache field has one request per spelling).
SUM_NAMES: tuple[str, ...] = tuple(dict.fromkeys(name for name, _ in SUM_FIELDS))
# (report field, metric, extended statistic), one value per period.
PERCENTILE_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("latency_p50_ms", bedrock.LATENCY, "p50"),
    ("latency_p95_ms", bedrock.LATENCY, "p95"),
    ("ttft_p95_ms", bedrock.TIME_TO_FIRST_TOKEN, "p95"),
)
LATENCY_SERIES_FIELD = "latency_p95_series"
# Status codes of a result that carries (all or part of) its data; anything else is reported.
_DATA_STATUSES = frozenset({"Complete", "PartialData"})


@dataclass(frozen=True)
class SeriesKey:
    account_id: str
    region: str
    model: str | None  # None for account-level metrics (security signals)
    field: str


@dataclass(frozen=True)
class MetricRequest:
    key: SeriesKey
    namespace: str
    metric: str
    dimensions: tuple[tuple[str, str], ...]
    stat: str
    period: int
    cross_account: bool  # read from the monitoring account: the query names the source account

    def query(self, query_id: str) -> dict[str, Any]:
        query: dict[str, Any] = {
            "Id": query_id,
            "MetricStat": {
                "Metric": {
                    "Namespace": self.namespace,
                    "MetricName": self.metric,
                    "Dimensions": [{"Name": name, "Value": value} for name, value in self.dimensions],
                },
                "Period": self.period,
                "Stat": self.stat,
            },
            "ReturnData": True,
        }
        if self.cross_account:
            query["AccountId"] = self.key.account_id
        return query


@dataclass(frozen=True)
class QueryGroup:
    """Requests read together: one time range per GetMetricData call."""

    name: str
    start: datetime
    end: datetime
    requests: tuple[MetricRequest, ...]


def model_groups(
    window: Window, account_id: str, region: str, models: Sequence[str], cross_account: bool
) -> list[QueryGroup]:
    """The three query groups for the models of one account and region."""
    sums, percentiles, latency = [], [], []
    for model in models:

        def request(field: str, metric: str, stat: str, period: int, model: str = model) -> MetricRequest:
            key = SeriesKey(account_id, region, model, field)
            dims = ((bedrock.MODEL_DIMENSION, model),)
            return MetricRequest(key, bedrock.NAMESPACE, metric, dims, stat, period, cross_account)

        sums += [request(field, metric, "Sum", window.bucket_seconds) for field, metric in SUM_FIELDS]
        percentiles += [request(f, metric, stat, window.period_seconds) for f, metric, stat in PERCENTILE_FIELDS]
        latency.append(request(LATENCY_SERIES_FIELD, bedrock.LATENCY, "p95", window.bucket_seconds))
    return [
        QueryGroup("sums", window.previous_start, window.end, tuple(sums)),
        QueryGroup("percentiles", window.previous_start, window.end, tuple(percentiles)),
        QueryGroup("latency series", window.start, window.end, tuple(latency)),
    ]


def security_group(window: Window, account_id: str, region: str, namespace: str, metrics: dict[str, str]) -> QueryGroup:
    """The platform's CloudTrail metric-filter counters (no dimensions), one Sum per period."""
    requests = tuple(
        MetricRequest(
            SeriesKey(account_id, region, None, f"security.{key}"),
            namespace,
            metric,
            (),
            "Sum",
            window.period_seconds,
            False,
        )
        for key, metric in metrics.items()
    )
    return QueryGroup("security signals", window.previous_start, window.end, requests)


Points = list[tuple[datetime, float]]


def fetch(client: Any, group: QueryGroup) -> tuple[dict[SeriesKey, Points], list[str]]:
    """Every series of `group`: at most 500 queries per GetMetricData call, every page (NextToken) merged
    per query. Returns the points by series and the problems CloudWatch reported for some series."""
    points: dict[SeriesKey, Points] = {}
    problems: list[str] = []
    paginator = client.get_paginator("get_metric_data")
    for offset in range(0, len(group.requests), MAX_QUERIES_PER_GET_METRIC_DATA):
        chunk = group.requests[offset : offset + MAX_QUERIES_PER_GET_METRIC_DATA]
        pages = paginator.paginate(
            MetricDataQueries=[request.query(f"q{index}") for index, request in enumerate(chunk)],
            StartTime=group.start,
            EndTime=group.end,
            ScanBy="TimestampAscending",
        )
        for page in pages:
            for result in page.get("MetricDataResults", []):
                key = chunk[int(result["Id"][1:])].key
                points.setdefault(key, []).extend(
                    zip(result.get("Timestamps", []), result.get("Values", []), strict=True)
                )
                status = result.get("StatusCode", "Complete")
                if status not in _DATA_STATUSES:
                    problems.append(f"{group.name}: {key.field} of {key.model or 'account'} returned {status}")
            problems += [f"{group.name}: {m.get('Code')}: {m.get('Value')}" for m in page.get("Messages", [])]
    return points, problems
