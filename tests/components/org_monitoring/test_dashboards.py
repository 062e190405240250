"""Aggregate dashboards of the monitoring account: CloudWatch quotas at 200 accounts x 10 regions, regions
and limitations stated, estimated cost from the one price table."""

from __future__ import annotations

import json
import time

import pytest

from components.cloudwatch.widgets import MetricWidget
from components.org_monitoring.alarms import org_alarms
from components.org_monitoring.dashboards import build_dashboards
from components.org_monitoring.refs import WorkloadRef
from inventory.monitoring import MAX_PRICED_MODELS, ModelPrice, Pricing
from inventory.org_monitoring import OrgMonitoringSettings
from tests.components.org_monitoring.common import MONITORING, REGIONS_10, max_prices, org
from vocabulary import arns
from vocabulary import limits as quotas

# --- scale: 200 accounts x 10 regions ------------------------------------------------------------------


def test_aggregate_dashboards_fit_cloudwatch_quotas_for_200_accounts_in_10_regions():
    workloads = org(200, REGIONS_10)
    settings = OrgMonitoringSettings()
    specs_alarms = org_alarms(REGIONS_10, workloads, settings.alarms)
    alarm_arns = [arns.alarm_arn(s.region, MONITORING, s.name) for s in specs_alarms if s.region_wide]
    started = time.perf_counter()
    dashboards = build_dashboards(REGIONS_10, workloads, settings, alarm_arns, max_prices())  # check_limits runs
    elapsed = time.perf_counter() - started

    assert len(dashboards) == 1 + len(REGIONS_10)
    report = []
    for spec in dashboards:
        body = spec.body_json
        widgets = json.loads(body)["widgets"]
        # Worst case per widget: every SEARCH / Metrics Insights entry at its max_series.
        per_widget = [w.body.metric_count for w in spec.widgets]
        assert len(widgets) == len(per_widget)
        assert len(widgets) <= quotas.MAX_WIDGETS_PER_DASHBOARD
        assert max(per_widget) <= quotas.MAX_METRICS_PER_WIDGET, spec.name
        assert sum(per_widget) == spec.metric_count <= quotas.MAX_METRICS_PER_DASHBOARD, spec.name
        assert len(body.encode()) <= quotas.DASHBOARD_BODY_BUDGET_BYTES, spec.name
        for widget in widgets:
            assert widget["x"] + widget["width"] <= quotas.GRID_WIDTH
            if widget["type"] == "metric":
                # Static entries per widget too (the console refuses more than 500 lines).
                assert len(widget["properties"]["metrics"]) <= quotas.MAX_METRICS_PER_WIDGET
            if widget["type"] == "alarm":
                assert len(widget["properties"]["alarms"]) <= quotas.MAX_ALARMS_PER_ALARM_WIDGET
        for expression in spec.expressions():
            assert len(expression) <= quotas.MAX_EXPRESSION_CHARS, expression[:80]
        report.append((spec.name, len(widgets), max(per_widget), spec.metric_count, len(body.encode())))
    # Regional dashboards: every SEARCH returns one series per account (+ monitoring account); the widest
    # panels hold two searches (the estimated cost is a region total from Metrics Insights, not a SEARCH).
    region_specs = dashboards[1:]
    assert all(max(w.body.metric_count for w in s.widgets) == 2 * 201 for s in region_specs)
    # Measured (README "Scale"): overview 32 widgets / 370 metrics, each region 7 widgets / 1,430 metrics.
    assert report[0][1:4] == (32, 23, 370)
    assert all(r[1:4] == (7, 402, 1430) for r in report[1:])
    # The old 100,000-byte body budget still holds for these bodies (the shared budget is 256 KiB).
    assert all(r[4] <= 100_000 for r in report)
    assert elapsed < 5
    print(
        "\n" + "\n".join(f"{n}: {w} widgets, widest {x}, {m} metrics worst case, {b} bytes" for n, w, x, m, b in report)
    )


def test_an_org_too_large_for_a_regional_dashboard_fails_at_build_time_naming_limit_and_fix():
    # 250 accounts + the monitoring account in one region: the two-SEARCH widgets need 2 x 251 > 500.
    too_many = r"bedrock-org-us-east-1.*has 502 metrics > 500.*at most 249 workload accounts"
    with pytest.raises(ValueError, match=too_many):
        build_dashboards(["us-east-1"], org(250, ["us-east-1"]), OrgMonitoringSettings(), [])
    build_dashboards(["us-east-1"], org(249, ["us-east-1"]), OrgMonitoringSettings(), [])


def test_search_and_insights_entries_count_their_worst_case_series():
    overview, regional = build_dashboards(
        ["us-east-1"], org(3, ["us-east-1"]), OrgMonitoringSettings(), [], max_prices()
    )
    by_title = {
        w.body.title: w.body for d in (overview, regional) for w in d.widgets if isinstance(w.body, MetricWidget)
    }
    assert by_title["us-east-1 - errors by account"].metric_count == 2 * 4
    assert by_title["us-east-1 - top 10 models by invocations, all accounts"].metric_count == 10
    assert by_title["us-east-1 - requests, all accounts"].metric_count == 4


def test_dashboards_never_enumerate_accounts_so_onboarding_changes_only_worst_case_numbers():
    settings = OrgMonitoringSettings()
    small = build_dashboards(["us-east-1"], org(2, ["us-east-1"]), settings, [])
    large = build_dashboards(["us-east-1"], org(150, ["us-east-1"]), settings, [])
    assert [d.body_json for d in small] == [d.body_json for d in large]


def test_every_widget_shows_its_region_and_the_limitation_is_stated():
    dashboards = build_dashboards(
        ["us-east-1", "eu-west-1"], org(3, ["us-east-1", "eu-west-1"]), OrgMonitoringSettings(), []
    )
    for spec in dashboards:
        widgets = json.loads(spec.body_json)["widgets"]
        assert any(w["type"] == "text" and "one region" in w["properties"]["markdown"] for w in widgets)
        regions = {w["properties"]["region"] for w in widgets if w["type"] == "metric"}
        assert regions <= {"us-east-1", "eu-west-1"}
    per_region = {d.name: d for d in dashboards}
    assert "bedrock-org-overview" in per_region and "bedrock-org-eu-west-1" in per_region
    us = json.loads(per_region["bedrock-org-us-east-1"].body_json)
    titles = [w["properties"]["title"] for w in us["widgets"] if w["type"] == "metric"]
    for wanted in ("invocations", "errors", "throttles", "p95 latency", "tokens", "estimated cost"):
        assert any(wanted in t for t in titles), wanted
    overview = json.loads(per_region["bedrock-org-overview"].body_json)
    assert any("top 10 models" in w["properties"].get("title", "") for w in overview["widgets"])


def test_overview_cost_applies_model_prices_and_leaves_unpriced_models_out():
    # The shared price table has no catch-all price: a model without one is "price unknown" (named in the
    # header), exactly as on the workload cost dashboards.
    pricing = Pricing(
        models={
            "anthropic.claude-3-haiku-20240307-v1:0": ModelPrice(
                input_per_1k_tokens_usd=0.00025, output_per_1k_tokens_usd=0.00125
            ),
        }
    )
    (ref,) = org(1, ["us-east-1"])
    overview = build_dashboards(["us-east-1"], [ref], OrgMonitoringSettings(), [], pricing)[0]
    cost = [e for e in overview.expressions() if e.endswith("/1000")]
    assert cost == ["(FILL(i0,0)*0.00025+FILL(o0,0)*0.00125)/1000"]
    assert any("WHERE ModelId = 'anthropic.claude-3-haiku-20240307-v1:0'" in e for e in overview.expressions())
    header = json.loads(overview.body_json)["widgets"][0]["properties"]["markdown"]
    assert "Price unknown" in header and "`vendor.model-0-v1:0`" in header


def test_org_cost_uses_the_shared_inference_profile_fallback_and_plain_decimals():
    pricing = Pricing(
        models={
            "anthropic.claude-3-7-sonnet-20250219-v1:0": ModelPrice(
                input_per_1k_tokens_usd=0.003, output_per_1k_tokens_usd=0.015
            ),
            "amazon.titan-embed-text-v2:0": ModelPrice(input_per_1k_tokens_usd=0.00002, output_per_1k_tokens_usd=0),
        }
    )
    ref = WorkloadRef(
        account_id="111111111111",
        name="payments-prod",
        regions=("us-east-1",),
        models=("us.anthropic.claude-3-7-sonnet-20250219-v1:0", "amazon.titan-embed-text-v2:0"),
    )
    overview = build_dashboards(["us-east-1"], [ref], OrgMonitoringSettings(), [], pricing)[0]
    exprs = overview.expressions()
    assert any(
        "WHERE ModelId = 'anthropic.claude-3-7-sonnet-20250219-v1:0' OR "
        "ModelId = 'us.anthropic.claude-3-7-sonnet-20250219-v1:0'" in e
        for e in exprs
    )
    (cost,) = [e for e in exprs if e.endswith("/1000")]
    assert "e-05" not in cost and "*0.00002+" in cost
    header = json.loads(overview.body_json)["widgets"][0]["properties"]["markdown"]
    assert "Price unknown" not in header


def test_org_dashboards_are_built_for_the_maximum_price_table_only_priced_models_costed():
    # The size limit and `missing_price: error` are inventory checks (tests/test_inventory.py); the builder
    # itself never raises for a user's price table.
    pricing = Pricing(missing_price="error")
    overview = build_dashboards(["us-east-1"], org(1, ["us-east-1"]), OrgMonitoringSettings(), [], pricing)[0]
    assert not [e for e in overview.expressions() if e.endswith("/1000")]
    assert f"up to {MAX_PRICED_MODELS} models" in json.loads(overview.body_json)["widgets"][0]["properties"]["markdown"]
