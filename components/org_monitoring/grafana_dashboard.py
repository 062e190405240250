"""Grafana dashboard model for the optional Amazon Managed Grafana workspace (pure, no Pulumi).

Panels mirror the per-account CloudWatch operations dashboard (invocations, errors, throttles, latency
percentiles, tokens, estimated cost, invocation-log delivery), but every query takes the `$region` and
`$account` template variables, so one Grafana dashboard browses every account and region through the
monitoring account's cross-account observability ("all" = every linked account).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from components.org_monitoring.alarms import NAMESPACE
from components.org_monitoring.refs import WorkloadRef
from inventory.org_monitoring import TokenPrice

DASHBOARD_UID = "bedrock-org"
DATASOURCE_UID = "bedrock-cloudwatch"

# (title, [(metric, statistic)], unit)
PANELS: tuple[tuple[str, tuple[tuple[str, str], ...], str], ...] = (
    ("Invocations", (("Invocations", "Sum"),), "short"),
    ("Client errors", (("InvocationClientErrors", "Sum"),), "short"),
    ("Server errors", (("InvocationServerErrors", "Sum"),), "short"),
    ("Throttles", (("InvocationThrottles", "Sum"),), "short"),
    ("Invocation latency p50 / p95 / p99",
     (("InvocationLatency", "p50"), ("InvocationLatency", "p95"), ("InvocationLatency", "p99")), "ms"),
    ("Tokens", (("InputTokenCount", "Sum"), ("OutputTokenCount", "Sum")), "short"),
    ("Invocation log delivery failures",
     (("ModelInvocationLogsCloudWatchDeliveryFailure", "Sum"), ("ModelInvocationLogsS3DeliveryFailure", "Sum")),
     "short"),
)


def _datasource() -> dict[str, str]:
    return {"type": "cloudwatch", "uid": DATASOURCE_UID}


def _metric_query(ref_id: str, metric: str, stat: str) -> dict[str, Any]:
    return {
        "refId": ref_id,
        "datasource": _datasource(),
        "queryMode": "Metrics",
        "metricQueryType": 0,  # metric search
        "metricEditorMode": 0,  # builder
        "namespace": NAMESPACE,
        "metricName": metric,
        "dimensions": {"ModelId": ["*"]},
        "matchExact": True,
        "statistic": stat,
        "region": "$region",
        "accountId": "$account",
        "period": "",
        "label": f"{stat} · ${{PROP('Dim.ModelId')}}",
    }


def _code_query(ref_id: str, expression: str, label: str) -> dict[str, Any]:
    return {
        "refId": ref_id,
        "datasource": _datasource(),
        "queryMode": "Metrics",
        "metricQueryType": 0,
        "metricEditorMode": 1,  # code: a raw metric-math expression
        "expression": expression,
        "region": "$region",
        "accountId": "$account",
        "label": label,
        "id": "",
        "period": "3600",
    }


def _panel(panel_id: int, title: str, targets: list[dict[str, Any]], unit: str) -> dict[str, Any]:
    return {
        "id": panel_id,
        "type": "timeseries",
        "title": title,
        "datasource": _datasource(),
        "gridPos": {"h": 8, "w": 12, "x": ((panel_id - 1) % 2) * 12, "y": ((panel_id - 1) // 2) * 8},
        "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
        "targets": targets,
    }


def _variable(name: str, label: str, options: Sequence[tuple[str, str]]) -> dict[str, Any]:
    return {
        "name": name,
        "label": label,
        "type": "custom",
        "query": ",".join(f"{text} : {value}" for text, value in options),
        "current": {"text": options[0][0], "value": options[0][1]},
        "options": [{"text": t, "value": v, "selected": i == 0} for i, (t, v) in enumerate(options)],
    }


def build_grafana_dashboard(
    regions: Sequence[str], workloads: Sequence[WorkloadRef], default_price: TokenPrice
) -> dict[str, Any]:
    panels: list[dict[str, Any]] = []
    for i, (title, series, unit) in enumerate(PANELS, start=1):
        targets = [_metric_query(chr(ord("A") + j), metric, stat) for j, (metric, stat) in enumerate(series)]
        panels.append(_panel(i, title, targets, unit))
    tokens = "SEARCH('{%s,ModelId} MetricName=\"%s\"', 'Sum', 3600)"
    cost = (
        f"(SUM({tokens % (NAMESPACE, 'InputTokenCount')})*{default_price.input_usd_per_1k:.10g}"
        f"+SUM({tokens % (NAMESPACE, 'OutputTokenCount')})*{default_price.output_usd_per_1k:.10g})/1000"
    )
    panels.append(_panel(len(panels) + 1, "Estimated cost (USD/hour, default price)",
                         [_code_query("A", cost, "Estimated USD / hour")], "currencyUSD"))
    accounts = [("All accounts", "all")] + [(f"{w.name} ({w.account_id})", w.account_id) for w in workloads]
    return {
        "uid": DASHBOARD_UID,
        "title": "Amazon Bedrock — organisation",
        "tags": ["bedrock", "managed-by-pulumi"],
        "timezone": "utc",
        "schemaVersion": 39,
        "time": {"from": "now-6h", "to": "now"},
        "templating": {"list": [
            _variable("region", "Region", [(r, r) for r in regions]),
            _variable("account", "Account", accounts),
        ]},
        "panels": panels,
    }


def grafana_dashboard_json(
    regions: Sequence[str], workloads: Sequence[WorkloadRef], default_price: TokenPrice
) -> str:
    return json.dumps(build_grafana_dashboard(regions, workloads, default_price), sort_keys=True)
