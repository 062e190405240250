"""The regional dashboards draw the new signals with the alarms' own formulas: quota headroom and OTPS on the
operations dashboard, prompt-cache tokens, cost and hit rate on the cost dashboard, guardrail interventions on
the security dashboard; every body valid for PutDashboard and inside CloudWatch's quotas."""

from __future__ import annotations

import json
from typing import Any

import pytest

from components.cloudwatch.dashboard import Dashboard
from components.monitoring.specs import regional_specs
from inventory.monitoring import MonitoringSettings
from tests.botocore_requests import validate
from tests.components.monitoring.common import MODELS, REGION, SIGNALS, region, requests_of
from vocabulary import bedrock

MODEL = MODELS[0]
CACHE_PRICE = {
    "input_per_1k_tokens_usd": 0.003,
    "output_per_1k_tokens_usd": 0.015,
    "cache_read_per_1k_tokens_usd": 0.0003,
    "cache_write_per_1k_tokens_usd": 0.00375,
}
PLAIN_PRICE = {"input_per_1k_tokens_usd": 0.00002, "output_per_1k_tokens_usd": 0}
SETTINGS = MonitoringSettings.model_validate(
    {**SIGNALS, "pricing": {"models": {MODEL: CACHE_PRICE, MODELS[2]: PLAIN_PRICE}}}
)


def _dashboards(settings: MonitoringSettings = SETTINGS, models: tuple[str, ...] = MODELS) -> dict[str, Dashboard]:
    return {d.name.rsplit(f"{REGION}-", 1)[1]: d for d in regional_specs(region(settings, models)).dashboards}


def _widget(dashboard: Dashboard, title: str) -> dict[str, Any]:
    (widget,) = [w["properties"] for w in dashboard.render()["widgets"] if w["properties"].get("title") == title]
    return widget


def _expressions(widget: dict[str, Any]) -> dict[str, str]:
    return {m[0]["id"]: m[0]["expression"] for m in widget["metrics"] if "expression" in m[0]}


def _alarm_expression(suffix: str, query_id: str) -> str:
    specs = regional_specs(region(SETTINGS)).metric_alarms
    (spec,) = [s for s in specs if s.model_id == MODEL and s.name.endswith(suffix)]
    (params,) = requests_of([spec]).values()
    return next(q["Expression"] for q in params["Metrics"] if q["Id"] == query_id)


def test_operations_dashboard_draws_quota_headroom_with_the_alarms_formula_and_thresholds() -> None:
    operations = _dashboards()["operations"]
    headroom = _widget(operations, f"{MODEL} - TPM quota used % (quota 400,000 tokens/min)")
    lines = {a["label"]: a["value"] for a in headroom["annotations"]["horizontal"]}
    assert lines == {"warning": 80, "critical": 95}
    drawn = _expressions(headroom)
    assert drawn["quota"] == _alarm_expression("tpm-quota-critical", "quota")
    # Beside Bedrock's estimate, the token counts' figure for comparison (cache writes included, 1:1 burndown).
    assert drawn["quotac"] == (
        "100 * (FILL(qinc, 0) + FILL(qcwc, 0) + FILL(qcwtc, 0) + FILL(qoutc, 0)) / (PERIOD(qinc) / 60) / 400000"
    )
    overview = _widget(operations, "TPM quota used by model (% of each model's quota)")
    assert [m[-1]["label"] for m in overview["metrics"] if "expression" in m[0]] == [MODEL]  # only models with a quota


def test_operations_dashboard_draws_otps_with_the_alarms_formula() -> None:
    otps = _widget(_dashboards()["operations"], f"{MODEL} - output tokens per second (p50, streaming calls)")
    assert _expressions(otps)["otps"] == _alarm_expression("otps-critical", "otps")
    assert {a["label"]: a["value"] for a in otps["annotations"]["horizontal"]} == {"warning": 40, "critical": 20}
    assert {m[-1]["stat"] for m in otps["metrics"] if "stat" in m[-1]} == {"p50"}
    plain = _dashboards(MonitoringSettings())["operations"].to_json()
    assert "TPM quota" not in plain and "output tokens per second" not in plain


def test_cost_dashboard_counts_prices_and_rates_prompt_cache_tokens() -> None:
    cost = _dashboards()["cost-usage"]
    header = cost.render()["widgets"][0]["properties"]["markdown"]
    assert f"| {MODEL} | 0.003 | 0.015 | 0.0003 | 0.00375 |" in header
    assert f"| {MODELS[2]} | 2e-05 | 0 | - | - |" in header and "cache tokens are left out" in header
    tokens = _widget(cost, "Tokens by model (input + output + prompt cache, per hour)")
    # MODEL and its us. profile (priced as MODEL) have cache prices; the embedding model has none. Cache
    # tokens are read under both spellings of the metric (`_0`: CacheReadInputTokens, `_1`: ...TokenCount).
    cache = "FILL(tcr{0}_0, 0) + FILL(tcr{0}_1, 0) + FILL(tcw{0}_0, 0) + FILL(tcw{0}_1, 0)"
    assert _expressions(tokens) == {
        "tok0": "FILL(tin0, 0) + FILL(tout0, 0) + " + cache.format(0),
        "tok1": "FILL(tin1, 0) + FILL(tout1, 0) + " + cache.format(1),
        "tok2": "FILL(tin2, 0) + FILL(tout2, 0)",
    }
    spelled = {m[-1]["id"]: m[1] for m in tokens["metrics"] if "expression" not in m[0] and "_" in m[-1]["id"]}
    assert {spelled["tcr0_0"], spelled["tcr0_1"], spelled["tcw0_0"], spelled["tcw0_1"]} == {
        "CacheReadInputTokens", "CacheReadInputTokenCount", "CacheWriteInputTokens", "CacheWriteInputTokenCount"
    }  # fmt: skip
    estimated = _expressions(_widget(cost, "Estimated cost by model (USD per hour)"))
    assert estimated["cost0"] == (
        "(FILL(cin0, 0) * 0.003 + FILL(cout0, 0) * 0.015 + (FILL(ccr0_0, 0) + FILL(ccr0_1, 0)) * 0.0003"
        " + (FILL(ccw0_0, 0) + FILL(ccw0_1, 0)) * 0.00375) / 1000"
    )
    assert estimated["cost2"] == "(FILL(cin2, 0) * 0.00002 + FILL(cout2, 0) * 0) / 1000"
    hits = _widget(cost, "Prompt cache hit rate by model (% of input tokens read from the cache, per hour)")
    reads, writes = "FILL(hr{0}_0, 0) + FILL(hr{0}_1, 0)", "FILL(hw{0}_0, 0) + FILL(hw{0}_1, 0)"
    assert _expressions(hits) == {
        f"hit{i}": f"100 * ({reads.format(i)}) / ({reads.format(i)} + {writes.format(i)} + hi{i})" for i in (0, 1)
    }
    first = {m[1]: m[-1]["id"] for m in hits["metrics"] if "expression" not in m[0] and m[3] == MODEL}
    assert first == {"CacheReadInputTokens": "hr0_0", "CacheReadInputTokenCount": "hr0_1",
                     "CacheWriteInputTokens": "hw0_0", "CacheWriteInputTokenCount": "hw0_1",
                     bedrock.INPUT_TOKENS: "hi0"}  # fmt: skip
    assert "cache hit rate" not in _dashboards(MonitoringSettings())["cost-usage"].to_json()


def test_security_dashboard_graphs_the_regions_guardrails() -> None:
    security = _dashboards()["security"]
    guardrail = _widget(security, "Guardrail q7k2m9x4b1za (v3) - invocations and interventions")
    names = {m[1] for m in guardrail["metrics"] if "expression" not in m[0]}
    assert names == {bedrock.GUARDRAIL_INVOCATIONS, bedrock.GUARDRAIL_INTERVENTIONS}
    assert all(m[0] == bedrock.GUARDRAILS_NAMESPACE for m in guardrail["metrics"] if "expression" not in m[0])
    assert _expressions(guardrail) == {"grate": "100 * FILL(gint, 0) / ginv"}
    assert "elsewhere1" not in security.to_json()  # the us-east-1 guardrail is on that region's dashboard
    status = [w["properties"] for w in security.render()["widgets"] if w["type"] == "alarm"]
    assert any("guardrail-q7k2m9x4b1za-v3-interventions-anomaly" in a for s in status for a in s["alarms"])


def test_escalation_alarms_show_on_the_model_alarm_status() -> None:
    text = _dashboards()["operations"].to_json()
    assert "latency-p95-escalation-15m" in text and "tpm-quota-escalation-30m" in text


@pytest.mark.parametrize("count", [1, 20, 60])
def test_bodies_stay_valid_and_inside_limits_with_every_model_caching(count: int) -> None:
    models = tuple(f"vendor.model-{i:03d}-v1:0" for i in range(count))
    settings = MonitoringSettings.model_validate(
        {
            "pricing": {"models": dict.fromkeys(models, CACHE_PRICE)},
            "quotas": {"models": {m: {"tokens_per_minute": {REGION: 1_000_000}} for m in models}},
            "otps": {"models": {m: {"warning_below": 40, "critical_below": 20} for m in models}},
        }
    )
    for dashboard in regional_specs(region(settings, models)).dashboards:
        dashboard.check_limits()
        body = dashboard.to_json()
        assert validate("cloudwatch", "PutDashboard", {"DashboardName": dashboard.name, "DashboardBody": body}) == []
        json.loads(body)
