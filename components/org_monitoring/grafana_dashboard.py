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

from components.cloudwatch import expressions
from components.org_monitoring.pricing import priced_models
from components.org_monitoring.refs import WorkloadRef
from inventory.pricing import Pricing
from vocabulary import bedrock
from vocabulary.bedrock import LOG_DELIVERY_FAILURE_METRICS, MODEL_DIMENSION, NAMESPACE

# Grafana identifiers, not AWS names (so not in vocabulary/): the dashboard's UID (its URL, kept across
# updates) and the UID of the CloudWatch data source (grafana.py creates it; the panels name it).
DASHBOARD_UID = "bedrock-org"
DATASOURCE_UID = "bedrock-cloudwatch"

# Which series a panel reads. Runtime metrics are published per `ModelId`; the invocation-log delivery
# metrics only "across all model IDs", i.e. with no dimension at all.
PER_MODEL: tuple[str, ...] = (MODEL_DIMENSION,)
NO_DIMENSION: tuple[str, ...] = ()

# (title, [(metric, statistic)], unit, dimension names)
PANELS: tuple[tuple[str, tuple[tuple[str, str], ...], str, tuple[str, ...]], ...] = (
    ("Invocations", ((bedrock.INVOCATIONS, "Sum"),), "short", PER_MODEL),
    ("Client errors", ((bedrock.CLIENT_ERRORS, "Sum"),), "short", PER_MODEL),
    ("Server errors", ((bedrock.SERVER_ERRORS, "Sum"),), "short", PER_MODEL),
    ("Throttles", ((bedrock.THROTTLES, "Sum"),), "short", PER_MODEL),
    (
        "Invocation latency p50 / p95 / p99",
        tuple((bedrock.LATENCY, stat) for stat in ("p50", "p95", "p99")),
        "ms",
        PER_MODEL,
    ),
    ("Tokens", ((bedrock.INPUT_TOKENS, "Sum"), (bedrock.OUTPUT_TOKENS, "Sum")), "short", PER_MODEL),
    (
        "Invocation log delivery failures",
        tuple((metric, "Sum") for metric in LOG_DELIVERY_FAILURE_METRICS),
        "short",
        NO_DIMENSION,
    ),
)


def _datasource() -> dict[str, str]:
    return {"type": "cloudwatch", "uid": DATASOURCE_UID}


def _metric_query(ref_id: str, metric: str, stat: str, dimension_names: Sequence[str]) -> dict[str, Any]:
    """A builder-mode metric query. `matchExact: true` restricts it to series with exactly these dimension
    names: with `ModelId: ["*"]` one series per model, with no dimensions (`{}`) only the dimensionless
    series. Grafana turns either into `SEARCH('{"AWS/Bedrock"[,"ModelId"]} MetricName="..."')` for
    account "all" (and adds `:aws.AccountId` for one account); without a wildcard and for one account,
    into a plain MetricStat with no dimensions."""
    if dimension_names:
        label = f"{stat} · " + " ".join(f"${{PROP('Dim.{name}')}}" for name in dimension_names)
    else:
        label = "${PROP('MetricName')}"
    return {
        "refId": ref_id,
        "datasource": _datasource(),
        "queryMode": "Metrics",
        "metricQueryType": 0,  # metric search
        "metricEditorMode": 0,  # builder
        "namespace": NAMESPACE,
        "metricName": metric,
        "dimensions": {name: ["*"] for name in dimension_names},
        "matchExact": True,
        "statistic": stat,
        "region": "$region",
        "accountId": "$account",
        "period": "",
        "label": label,
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


def _tokens_search(metric: str, model_ids: Sequence[str]) -> str:
    """Every series of `metric` of the models. A prompt-cache metric matches both spellings of its name
    (`bedrock.cache_spellings`) in the one SEARCH, so the SUM counts whichever Bedrock publishes."""
    spellings = bedrock.cache_spellings(metric)
    if len(spellings) == 1:
        return expressions.search(
            metric, "Sum", 3600, dimensions=(MODEL_DIMENSION,), where=expressions.any_model(model_ids)
        )
    names = " OR ".join(f'MetricName="{name}"' for name in spellings)
    return f"SEARCH('{{{NAMESPACE},{MODEL_DIMENSION}}} ({names}) {expressions.any_model(model_ids)}', 'Sum', 3600)"


def _cost_targets(workloads: Sequence[WorkloadRef], pricing: Pricing) -> list[dict[str, Any]]:
    """One line per priced model of the shared price table (same ids as the CloudWatch org price lines), and one
    for the prompt-cache tokens of a model with cache prices: its own line, so a model that never caches (an
    empty SEARCH) does not blank the input/output line."""
    targets = []
    for model in priced_models(pricing, workloads):
        tokens_in, tokens_out = (
            f"SUM({_tokens_search(m, model.model_ids)})" for m in (bedrock.INPUT_TOKENS, bedrock.OUTPUT_TOKENS)
        )
        cost = expressions.usd([expressions.token_cost(model.price, tokens_in, tokens_out, compact=True)], compact=True)
        targets.append(_code_query(_ref_id(len(targets)), cost, f"{model.key} USD / hour"))
        cache = (
            (bedrock.CACHE_READ_INPUT_TOKENS, model.price.cache_read_per_1k_tokens_usd),
            (bedrock.CACHE_WRITE_INPUT_TOKENS, model.price.cache_write_per_1k_tokens_usd),
        )
        terms = [
            f"SUM({_tokens_search(metric, model.model_ids)})*{expressions.math_number(unit)}"
            for metric, unit in cache
            if unit is not None
        ]
        if terms:
            cached = expressions.usd(terms, compact=True)
            targets.append(_code_query(_ref_id(len(targets)), cached, f"{model.key} prompt cache USD / hour"))
    return targets


def _ref_id(index: int) -> str:
    return chr(ord("A") + index) if index < 26 else f"Q{index}"


def build_grafana_dashboard(
    regions: Sequence[str], workloads: Sequence[WorkloadRef], pricing: Pricing
) -> dict[str, Any]:
    panels: list[dict[str, Any]] = []
    for i, (title, series, unit, dimension_names) in enumerate(PANELS, start=1):
        targets = [_metric_query(_ref_id(j), metric, stat, dimension_names) for j, (metric, stat) in enumerate(series)]
        panels.append(_panel(i, title, targets, unit))
    # Models without a price (after the inference-profile fallback) have no line: "price unknown".
    panels.append(
        _panel(
            len(panels) + 1,
            "Estimated cost (USD/hour, priced models)",
            _cost_targets(workloads, pricing),
            "currencyUSD",
        )
    )
    accounts = [("All accounts", "all")] + [(f"{w.name} ({w.account_id})", w.account_id) for w in workloads]
    return {
        "uid": DASHBOARD_UID,
        "title": "Amazon Bedrock — organisation",
        "tags": ["bedrock", "managed-by-pulumi"],
        "timezone": "utc",
        "schemaVersion": 39,
        "time": {"from": "now-6h", "to": "now"},
        "templating": {
            "list": [
                _variable("region", "Region", [(r, r) for r in regions]),
                _variable("account", "Account", accounts),
            ]
        },
        "panels": panels,
    }


def grafana_dashboard_json(regions: Sequence[str], workloads: Sequence[WorkloadRef], pricing: Pricing) -> str:
    return json.dumps(build_grafana_dashboard(regions, workloads, pricing), sort_keys=True)
