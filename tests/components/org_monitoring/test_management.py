"""The monitoring account's management dashboard and the org cost lines' prompt-cache prices: values from the
inventory, the alarms' formulas, CloudWatch's quotas at 200 accounts x 10 regions."""

from __future__ import annotations

import json
from typing import Any

import pytest

from components.cloudwatch import expressions
from components.cloudwatch.dashboard import Dashboard
from components.cloudwatch.widgets import MetricWidget
from components.org_monitoring.dashboards import build_dashboards
from components.org_monitoring.grafana_dashboard import build_grafana_dashboard
from components.org_monitoring.management import DAYS_PER_MONTH, build_management
from components.org_monitoring.specs import org_context, org_specs
from inventory.load import STACKS_DIR, load_organisation
from inventory.models import Organisation
from inventory.org_monitoring import OrgMonitoringSettings
from tests.botocore_requests import validate
from tests.components.org_monitoring.common import REGIONS_10, insights_per_widget, max_cache_prices, max_prices, org
from tests.conftest import org_data
from vocabulary import bedrock
from vocabulary import limits as quotas

ORG = load_organisation(STACKS_DIR / "org.yaml")
CACHED = "us.anthropic.claude-3-7-sonnet-20250219-v1:0"


def _management(organisation: Organisation = ORG) -> Dashboard:
    specs = org_specs(org_context(organisation))
    (dashboard,) = [d for d in specs.dashboards if d.name == specs.management_dashboard_name]
    return dashboard


def _widgets(dashboard: Dashboard) -> dict[str, dict[str, Any]]:
    return {w["properties"].get("title", ""): w["properties"] for w in dashboard.render()["widgets"]}


def _expressions(widget: dict[str, Any]) -> dict[str, str]:
    return {m[0]["id"]: m[0]["expression"] for m in widget["metrics"] if "expression" in m[0]}


def test_the_example_org_gets_a_management_dashboard_valid_for_put_dashboard() -> None:
    dashboard = _management()
    assert dashboard.name == "bedrock-org-management"
    body = dashboard.to_json()
    assert validate("cloudwatch", "PutDashboard", {"DashboardName": dashboard.name, "DashboardBody": body}) == []
    header = dashboard.render()["widgets"][0]["properties"]["markdown"]
    assert "| payments-prod (111111111111) | 25,000.00 | us-east-1, eu-west-1 |" in header
    assert "Total monthly budget: USD 25,500.00" in header and "not a bill" in header and "99.5%" in header
    titles = _widgets(dashboard)
    for region in ORG.workload_regions:
        for wanted in ("estimated cost per day: all accounts and the top 10", "30-day projection", "success rate",
                       "invocations and tokens per day"):  # fmt: skip
            assert any(t.startswith(region) and wanted in t for t in titles), (region, wanted)


@pytest.mark.parametrize("accounts", [1, 200])
def test_no_widget_holds_more_than_one_metrics_insights_query(accounts: int) -> None:
    """GetMetricData runs one Metrics Insights query per request ("Maximum number of queries (1) exceeded")."""
    dashboard = build_management(REGIONS_10, org(accounts, REGIONS_10), OrgMonitoringSettings(), max_prices())
    assert max(insights_per_widget(dashboard.to_json()).values()) == 1
    assert max(insights_per_widget(_management().to_json()).values()) == 1


def test_cost_is_compared_with_the_budgets_of_the_regions_accounts() -> None:
    widgets = _widgets(_management())
    daily = widgets["us-east-1 - estimated cost per day: all accounts and the top 10, vs budget pace (USD)"]
    (pace,) = daily["annotations"]["horizontal"]
    assert pace["value"] == round(25_000 / DAYS_PER_MONTH, 2)  # payments-prod's budget
    research = widgets["us-west-2 - estimated cost per day: all accounts and the top 10, vs budget pace (USD)"]
    assert research["annotations"]["horizontal"][0]["value"] == round(500 / DAYS_PER_MONTH, 2)
    summary = _expressions(widgets["us-east-1 - estimated cost, 14-day total and 30-day projection"])
    assert summary["total"] == "SUM([c0])"
    assert summary["month"] == "total * 2.1714285714" and summary["share"] == "100 * month / 25000"
    assert summary["total"] == _expressions(daily)["total"]


def test_success_rate_is_the_alarms_formula_against_the_inventorys_sla_target() -> None:
    widget = _widgets(_management())["eu-west-1 - success rate per day vs SLA 99.5% (all accounts)"]
    drawn = _expressions(widget)
    assert drawn["success"] == "100 - " + expressions.error_rate("ti", ("te", "ts"), 20)
    assert (drawn["ti"], drawn["te"], drawn["ts"]) == ("SUM([i0])", "SUM([e0])", "SUM([s0])")
    assert widget["annotations"]["horizontal"][0]["value"] == 99.5
    # payments-prod's model-less series ("Across all model IDs"), read from its account.
    reads = {m[1]: (m[-1]["accountId"], len(m)) for m in widget["metrics"] if "expression" not in m[0]}
    assert reads == {metric: ("111111111111", 3) for metric in (bedrock.INVOCATIONS, bedrock.CLIENT_ERRORS,
                                                                bedrock.SERVER_ERRORS)}  # fmt: skip


def test_top_accounts_are_ranked_by_their_own_estimated_cost() -> None:
    widget = _widgets(_management())[
        "us-east-1 - estimated cost per day: all accounts and the top 10, vs budget pace (USD)"
    ]
    assert _expressions(widget)["top"] == "SORT([c0], SUM, DESC, 10)"
    # payments-prod's three models, each read from its account; the us. profile is priced with its cache prices.
    reads = [m for m in widget["metrics"] if "expression" not in m[0]]
    assert {m[-1]["accountId"] for m in reads} == {"111111111111"}
    # Cache tokens under both spellings of the metric, summed with gaps as 0.
    for spelling in ("CacheReadInputTokens", "CacheReadInputTokenCount", "CacheWriteInputTokens"):
        assert {m[3] for m in reads if m[1] == spelling} == {CACHED}
    cost = _expressions(widget)["c0"]
    assert "+(FILL(r0x1_0,0)+FILL(r0x1_1,0))*0.0003+" in cost and "+FILL(w0x1_1,0))*0.00375" in cost
    trend = _widgets(_management())["us-east-1 - invocations and tokens per day (all accounts)"]
    assert _expressions(trend)["tokens"] == "SUM([k0x0,k0x1,k0x2_0,k0x2_1,k0x3_0,k0x3_1])"


def test_the_dashboard_fits_cloudwatch_for_200_accounts_in_10_regions_compact_there() -> None:
    heaviest = max_cache_prices()
    # (accounts, price table, reading each account): every account here calls 20 models (10 priced), so from a
    # few accounts on a region's share of the quotas is spent and the compact version is used; with the heaviest
    # table one account's cost expression alone (10 models x 4 kinds) is longer than 1,024 characters.
    cases = ((1, max_prices(), True), (1, heaviest, False), (20, max_prices(), False), (200, heaviest, False))
    for accounts, pricing, per_account in cases:
        dashboard = build_management(REGIONS_10, org(accounts, REGIONS_10), OrgMonitoringSettings(), pricing)
        dashboard.check_limits()
        assert dashboard.metric_count <= quotas.MAX_METRICS_PER_DASHBOARD
        assert max(w.body.metric_count for w in dashboard.widgets) <= quotas.MAX_METRICS_PER_WIDGET
        assert all(len(e) <= quotas.MAX_EXPRESSION_CHARS for e in dashboard.expressions())
        assert len(dashboard.to_json().encode()) <= quotas.DASHBOARD_BODY_BUDGET_BYTES
        titles = _widgets(dashboard)
        full = [t for t in titles if "all accounts and the top 10" in t]
        compact = [t for t in titles if "top 10 accounts by input tokens per day" in t]
        assert (len(full), len(compact)) == ((len(REGIONS_10), 0) if per_account else (0, len(REGIONS_10)))
    assert "GROUP BY AWS.AccountId ORDER BY SUM() DESC LIMIT 10" in dashboard.to_json()
    assert "too many accounts x priced models" in dashboard.to_json()


def test_the_management_dashboard_can_be_turned_off() -> None:
    data = org_data()
    data["monitoring_account"]["settings"]["management"] = {"enabled": False}
    specs = org_specs(org_context(Organisation.model_validate(data)))
    assert specs.management_dashboard_name is None
    assert not [d for d in specs.dashboards if d.name.endswith("-management")]


def test_org_price_lines_price_prompt_cache_tokens_where_the_table_has_cache_prices() -> None:
    pricing = ORG.defaults.monitoring.pricing
    workloads = org_context(ORG).workloads
    overview, regional = build_dashboards(["us-east-1"], workloads, OrgMonitoringSettings(), [], pricing)
    assert not [e for e in overview.expressions() if e.endswith("/ 1000")]  # cost is on the regional dashboard
    sonnet = "anthropic.claude-3-7-sonnet-20250219-v1:0"  # payments-prod calls it through the us. profile
    lines = {
        w.body.title: {m.id: m.expression for m in w.body.metrics}
        for w in regional.widgets
        if isinstance(w.body, MetricWidget) and w.body.view == "singleValue"
    }
    assert lines[f"{sonnet} - cache read"]["usd"] == "(t * 0.0003) / 1000"
    assert lines[f"{sonnet} - cache write"]["usd"] == "(t * 0.00375) / 1000"
    read = lines[f"{sonnet} - cache read"]["t"]
    assert read.startswith("SELECT SUM(CacheReadInputTokens)") and f"'{CACHED}'" in read
    # The other spelling of each cache metric is its own cell (a widget holds one Metrics Insights query).
    other = lines[f"{sonnet} - cache read (CacheReadInputTokenCount)"]
    assert other["t"].startswith("SELECT SUM(CacheReadInputTokenCount)") and other["usd"] == "(t * 0.0003) / 1000"
    assert [t for t in lines if "cache" in t] == [
        f"{sonnet} - cache read",
        f"{sonnet} - cache read (CacheReadInputTokenCount)",
        f"{sonnet} - cache write",
        f"{sonnet} - cache write (CacheWriteInputTokenCount)",
    ]
    assert len(lines) == 2 * len(pricing.models) + 4


def test_grafana_prices_prompt_cache_tokens_on_their_own_line() -> None:
    dash = build_grafana_dashboard(["us-east-1"], org_context(ORG).workloads, ORG.defaults.monitoring.pricing)
    (panel,) = [p for p in dash["panels"] if p["title"].startswith("Estimated cost")]
    labels = [t["label"] for t in panel["targets"]]
    assert "anthropic.claude-3-7-sonnet-20250219-v1:0 prompt cache USD / hour" in labels
    assert sum("prompt cache" in label for label in labels) == 1
    text = json.dumps(panel)
    # One SEARCH per cache kind matching both spellings of its metric.
    assert '(MetricName=\\"CacheReadInputTokens\\" OR MetricName=\\"CacheReadInputTokenCount\\")' in text
    assert '(MetricName=\\"CacheWriteInputTokens\\" OR MetricName=\\"CacheWriteInputTokenCount\\")' in text
