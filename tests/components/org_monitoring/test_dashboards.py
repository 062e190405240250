"""Aggregate dashboards of the monitoring account: CloudWatch quotas at 200 accounts x 10 regions, regions
and limitations stated, estimated cost from the one price table."""

from __future__ import annotations

import json
import time

import pytest

from components.cloudwatch.dashboard import Dashboard
from components.cloudwatch.widgets import Expression, MetricWidget, TextWidget
from components.org_monitoring.alarms import org_alarms
from components.org_monitoring.dashboards import build_dashboards
from components.org_monitoring.refs import WorkloadRef
from inventory.org_monitoring import OrgMonitoringSettings
from inventory.pricing import MAX_PRICED_MODELS, ModelPrice, Pricing
from tests.components.org_monitoring.common import (
    MONITORING,
    REGIONS_10,
    insights_per_widget,
    max_cache_prices,
    max_prices,
    org,
)
from vocabulary import arns, bedrock
from vocabulary import limits as quotas

# --- scale: 200 accounts x 10 regions ------------------------------------------------------------------


# (price table, price lines per region): 10 models x input/output, or 10 models x 6 cells with cache prices
# (a cache kind is one cell per spelling of its metric, `bedrock.cache_spellings`).
SCALE_PRICES = {"max_prices": (max_prices, 20), "max_cache_prices": (max_cache_prices, 60)}


@pytest.mark.parametrize("table", sorted(SCALE_PRICES))
def test_aggregate_dashboards_fit_cloudwatch_quotas_for_200_accounts_in_10_regions(table: str):
    prices, lines = SCALE_PRICES[table]
    workloads = org(200, REGIONS_10)
    settings = OrgMonitoringSettings()
    specs_alarms = org_alarms(REGIONS_10, workloads, settings.alarms)
    alarm_arns = [arns.alarm_arn(s.region, MONITORING, s.name) for s in specs_alarms if s.region_wide]
    # CPU time of this process, not wall time: other processes loading the machine do not count.
    started = time.process_time()
    dashboards = build_dashboards(REGIONS_10, workloads, settings, alarm_arns, prices())  # check_limits runs
    elapsed = time.process_time() - started

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
        # GetMetricData runs one Metrics Insights query per request: one per widget, read from the rendered body.
        assert max(insights_per_widget(body).values()) == quotas.MAX_INSIGHTS_QUERIES_PER_WIDGET, spec.name
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
    # panels hold two searches. Each price line is one widget: its Insights sum (1 series) and the USD math.
    region_specs = dashboards[1:]
    assert all(max(w.body.metric_count for w in s.widgets) == 2 * 201 for s in region_specs)
    assert all(sum(isinstance(w.body, MetricWidget) and w.body.view == "singleValue" for w in s.widgets) == lines
               for s in region_specs)  # fmt: skip
    # Measured (README "Scale"): the overview 82 widgets / 160 metrics whatever the prices (8 widgets per region,
    # header, alarms); each region 7 SEARCHes x 201 + 2 per price line.
    assert report[0][1:4] == (82, 10, 160)
    assert all(r[1:4] == (7 + lines, 402, 7 * 201 + 2 * lines) for r in report[1:])
    # The old 100,000-byte body budget still holds for these bodies (the shared budget is 256 KiB).
    assert all(r[4] <= 100_000 for r in report)
    assert elapsed < 5  # CPU seconds
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
    for line in ("invocations", "client errors", "server errors", "throttles", "input tokens", "output tokens"):
        assert by_title[f"us-east-1 - {line}, all accounts"].metric_count == 1
    assert by_title["vendor.model-0-v1:0 - input"].metric_count == 2  # the Insights sum and its USD


def test_every_overview_line_and_price_line_is_its_own_widget_with_one_insights_query():
    """The widgets that held several Metrics Insights queries (overview requests and cost, regional cost) are
    split: each org-wide line and each price line is one widget with one SELECT."""
    overview, regional = build_dashboards(
        ["us-east-1"], org(3, ["us-east-1"]), OrgMonitoringSettings(), [], max_cache_prices()
    )
    lines = insights_per_widget(overview.body_json)
    assert set(lines.values()) == {1}
    metrics = {bedrock.INVOCATIONS, bedrock.CLIENT_ERRORS, bedrock.SERVER_ERRORS, bedrock.THROTTLES,
               bedrock.INPUT_TOKENS, bedrock.OUTPUT_TOKENS}  # fmt: skip
    assert {e.split("(")[1].split(")")[0] for e in overview.expressions()} == metrics
    assert not [e for e in overview.expressions() if e.endswith("/ 1000")]  # no cost on the overview
    cells = {t: n for t, n in insights_per_widget(regional.body_json).items() if " - " in t and "by account" not in t}
    # A prompt-cache kind is a cell per spelling of its metric (one Metrics Insights query names one metric).
    kinds = ("input", "output", "cache read", "cache read (CacheReadInputTokenCount)", "cache write",
             "cache write (CacheWriteInputTokenCount)")  # fmt: skip
    assert set(cells) == {f"vendor.model-{i}-v1:0 - {k}" for i in range(MAX_PRICED_MODELS) for k in kinds}
    assert set(cells.values()) == {1}
    # A row per model, a column per cell: each model's six cells side by side, in the price table's order.
    placed = {w.body.title: (w.x, w.y) for w in regional.widgets if getattr(w.body, "title", "") in cells}
    assert [placed[f"vendor.model-3-v1:0 - {k}"] for k in kinds] == [
        (x, placed["vendor.model-3-v1:0 - input"][1]) for x in (0, 4, 8, 12, 16, 20)
    ]


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
    for wanted in ("invocations", "errors", "throttles", "p95 latency", "tokens"):
        assert any(wanted in t for t in titles), wanted
    markdown = " ".join(w["properties"]["markdown"] for w in us["widgets"] if w["type"] == "text")
    assert "us-east-1 - estimated cost over the selected time range, all accounts (USD)" in markdown
    overview = json.loads(per_region["bedrock-org-overview"].body_json)
    assert any("top 10 models" in w["properties"].get("title", "") for w in overview["widgets"])
    header = overview["widgets"][0]["properties"]["markdown"]
    assert "one widget per price line" in header and "#dashboards:name=bedrock-org-management" in header


def _price_line(dashboard: Dashboard, title: str) -> dict[str, str]:
    """The expressions of one price-line widget, by query id."""
    (widget,) = [w.body for w in dashboard.widgets if getattr(w.body, "title", "") == title]
    return {m.id: m.expression for m in widget.metrics if isinstance(m, Expression) and m.id}


def test_region_cost_applies_model_prices_and_leaves_unpriced_models_out():
    # The shared price table has no catch-all price: a model without one is "price unknown" (named on the
    # overview and above the region's price lines), exactly as on the workload cost dashboards.
    haiku = "anthropic.claude-3-haiku-20240307-v1:0"
    pricing = Pricing(models={haiku: ModelPrice(input_per_1k_tokens_usd=0.00025, output_per_1k_tokens_usd=0.00125)})
    (ref,) = org(1, ["us-east-1"])
    overview, regional = build_dashboards(["us-east-1"], [ref], OrgMonitoringSettings(), [], pricing)
    query = f"SELECT SUM({bedrock.INPUT_TOKENS}) FROM SCHEMA(\"AWS/Bedrock\", ModelId) WHERE ModelId = '{haiku}'"
    assert _price_line(regional, f"{haiku} - input") == {"t": query, "usd": "(t * 0.00025) / 1000"}
    assert _price_line(regional, f"{haiku} - output")["usd"] == "(t * 0.00125) / 1000"
    assert not [e for e in regional.expressions() if "vendor.model-0-v1:0" in e]
    for dashboard in (overview, regional):
        markdown = " ".join(w.body.markdown for w in dashboard.widgets if isinstance(w.body, TextWidget))
        assert "Price unknown" in markdown and "`vendor.model-0-v1:0`" in markdown


def test_org_cost_uses_the_shared_inference_profile_fallback_and_plain_decimals():
    sonnet = "anthropic.claude-3-7-sonnet-20250219-v1:0"
    pricing = Pricing(
        models={
            sonnet: ModelPrice(input_per_1k_tokens_usd=0.003, output_per_1k_tokens_usd=0.015),
            "amazon.titan-embed-text-v2:0": ModelPrice(input_per_1k_tokens_usd=0.00002, output_per_1k_tokens_usd=0),
        }
    )
    ref = WorkloadRef(
        account_id="111111111111",
        name="payments-prod",
        regions=("us-east-1",),
        models=(f"us.{sonnet}", "amazon.titan-embed-text-v2:0"),
    )
    overview, regional = build_dashboards(["us-east-1"], [ref], OrgMonitoringSettings(), [], pricing)
    line = _price_line(regional, f"{sonnet} - output")
    assert line["t"].endswith(f"WHERE ModelId = '{sonnet}' OR ModelId = 'us.{sonnet}'")
    titan = _price_line(regional, "amazon.titan-embed-text-v2:0 - input")["usd"]
    assert "e-05" not in titan and titan == "(t * 0.00002) / 1000"
    header = json.loads(overview.body_json)["widgets"][0]["properties"]["markdown"]
    assert "Price unknown" not in header


def test_org_dashboards_are_built_for_the_maximum_price_table_only_priced_models_costed():
    # The size limit and `missing_price: error` are inventory checks (tests/test_inventory.py); the builder
    # itself never raises for a user's price table. No price: no price line, and the header says why.
    pricing = Pricing(missing_price="error")
    overview, regional = build_dashboards(["us-east-1"], org(1, ["us-east-1"]), OrgMonitoringSettings(), [], pricing)
    assert not [e for d in (overview, regional) for e in d.expressions() if e.endswith("/ 1000")]
    assert not [w for w in regional.widgets if isinstance(w.body, MetricWidget) and w.body.view == "singleValue"]
    assert f"up to {MAX_PRICED_MODELS} models" in json.loads(overview.body_json)["widgets"][0]["properties"]["markdown"]
    with_prices = build_dashboards(["us-east-1"], org(1, ["us-east-1"]), OrgMonitoringSettings(), [], max_prices())
    assert len([e for e in with_prices[1].expressions() if e.endswith("/ 1000")]) == 2 * MAX_PRICED_MODELS
