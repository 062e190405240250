"""Dashboard bodies: valid JSON inside CloudWatch's limits, documented metrics only, values from config."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from components.cloudwatch.dashboard import Dashboard
from components.monitoring.context import RegionContext, TrailLocation
from components.monitoring.dashboards import AlarmsShown, build_dashboards, cost_dashboard
from components.monitoring.model_alarms import all_model_alarms
from inventory.monitoring import MonitoringSettings
from tests.botocore_requests import validate
from tests.components.monitoring.common import region
from vocabulary import bedrock
from vocabulary.arns import alarm_arn
from vocabulary.limits import (
    DASHBOARD_BODY_BUDGET_BYTES,
    GRID_WIDTH,
    MAX_ALARMS_PER_ALARM_WIDGET,
    MAX_METRICS_PER_DASHBOARD,
    MAX_METRICS_PER_WIDGET,
    MAX_WIDGETS_PER_DASHBOARD,
)

ACCOUNT, REGION = "111122223333", "eu-west-1"
SONNET = "anthropic.claude-3-5-sonnet-20240620-v1:0"
MODELS = (SONNET, "us.anthropic.claude-3-haiku-20240307-v1:0", "amazon.titan-text-express-v1")
# Documented AWS/Bedrock runtime and invocation-logging delivery metrics (Bedrock user guide).
DOCUMENTED_METRICS = bedrock.PER_MODEL_METRICS | frozenset(bedrock.LOG_DELIVERY_METRICS)
PRICED = MonitoringSettings.model_validate(
    {"pricing": {"models": {SONNET: {"input_per_1k_tokens_usd": 0.003, "output_per_1k_tokens_usd": 0.015}}}}
)


def _ctx(
    models: tuple[str, ...] = MODELS,
    s: MonitoringSettings = PRICED,
    trail: str | None = "/aws/ct/x",
    trail_home: tuple[str, str] | None = None,
) -> tuple[RegionContext, AlarmsShown]:
    """`trail`: the trail log group in this region (home region); `trail_home`: (region, group) elsewhere."""
    home = trail_home or ((REGION, trail) if trail else None)
    ctx = region(s, models, TrailLocation(*home) if home else None)
    metric_alarms, composites = all_model_alarms(ctx)
    alarms = AlarmsShown(
        by_model={
            m: tuple(alarm_arn(REGION, ACCOUNT, a.name) for a in [*metric_alarms, *composites] if a.model_id == m)
            for m in models
        },
        security=(alarm_arn(REGION, ACCOUNT, "bedrock-payments-prod-eu-west-1-security-x"),),
        security_metrics=("BedrockAccessDenied",) if trail else (),
    )
    return ctx, alarms


def _metric_entries(body: dict[str, Any]) -> list[list[Any]]:
    return [m for w in body["widgets"] if w["type"] == "metric" for m in w["properties"]["metrics"]]


def _assert_within_limits(dashboard: Dashboard) -> dict[str, Any]:
    text = dashboard.to_json()
    body = json.loads(text)  # valid JSON
    assert len(text.encode()) <= DASHBOARD_BODY_BUDGET_BYTES
    assert len(body["widgets"]) <= MAX_WIDGETS_PER_DASHBOARD
    assert sum(len(w["properties"].get("metrics", [])) for w in body["widgets"]) <= MAX_METRICS_PER_DASHBOARD
    for widget in body["widgets"]:
        props = widget["properties"]
        assert len(props.get("metrics", [])) <= MAX_METRICS_PER_WIDGET
        assert len(props.get("alarms", [])) <= MAX_ALARMS_PER_ALARM_WIDGET
        assert widget["x"] >= 0 and widget["x"] + widget["width"] <= GRID_WIDTH
    assert validate("cloudwatch", "PutDashboard", {"DashboardName": dashboard.name, "DashboardBody": text}) == []
    return body


def test_three_dashboards_per_account_region_with_region_in_name() -> None:
    names = [d.name for d in build_dashboards(*_ctx())]
    assert names == [f"bedrock-payments-prod-{REGION}-{kind}" for kind in ("operations", "cost-usage", "security")]


@pytest.mark.parametrize("count", [0, 1, 3, 20, 21, 60, 160])
def test_bodies_are_valid_json_within_cloudwatch_limits(count: int) -> None:
    models = tuple(f"us.vendor.model-{i:03d}-20240620-v1:0" for i in range(count))
    dashboards = build_dashboards(*_ctx(models))
    for dashboard in dashboards:
        _assert_within_limits(dashboard)
    per_page = PRICED.dashboards.models_per_operations_dashboard
    assert sum(d.name.split("-")[-1].startswith("operations") or "-operations-" in d.name for d in dashboards) == max(
        1, -(-count // per_page)
    )


def test_limits_are_enforced_with_a_helpful_error() -> None:
    models = tuple(f"vendor.model-{i:03d}-v1:0" for i in range(200))  # 600 cost-widget metrics > 500
    with pytest.raises(ValueError, match=r"exceeds CloudWatch limits: .*metrics > 500.*Monitor fewer models"):
        cost_dashboard(_ctx(models)[0]).check_limits()


def test_only_documented_bedrock_metrics_with_modelid_dimension() -> None:
    for dashboard in build_dashboards(*_ctx()):
        for entry in _metric_entries(dashboard.render()):
            if isinstance(entry[0], dict):  # expression
                continue
            namespace, metric, *rest = entry
            dims = [x for x in rest if not isinstance(x, dict)]
            if namespace == bedrock.NAMESPACE:
                assert metric in DOCUMENTED_METRICS
                if metric in bedrock.PER_MODEL_METRICS:
                    assert len(dims) == 2 and dims[0] == "ModelId" and dims[1] in MODELS
                else:  # logging-delivery metrics are published without dimensions
                    assert dims == []
            else:
                assert namespace == "BedrockObservability/Security"


def test_operations_dashboard_covers_each_model() -> None:
    body = build_dashboards(*_ctx())[0].render()
    titles = [w["properties"].get("title", "") for w in body["widgets"]]
    for model in MODELS:
        for part in ("invocations", "latency", "time to first token", "tokens", "errors and throttles", "error rate"):
            assert any(t.startswith(model) and part in t for t in titles), (model, part)
    latency = next(w for w in body["widgets"] if w["properties"].get("title") == f"{SONNET} - latency (ms)")
    assert [m[-1]["stat"] for m in latency["properties"]["metrics"]] == ["p50", "p95", "p99"]
    comparison = next(w for w in body["widgets"] if w["properties"].get("title") == "p95 latency by model (ms)")
    assert len(comparison["properties"]["metrics"]) == len(MODELS)
    failed = next(w for w in body["widgets"] if w["type"] == "log")
    assert failed["properties"]["region"] == REGION
    assert failed["properties"]["query"].startswith(
        "SOURCE '/aws/ct/x' | filter eventSource = \"bedrock.amazonaws.com\" and eventName in "
        '["InvokeModel", "InvokeModelWithResponseStream", "Converse", "ConverseStream"] '
        f'and awsRegion = "{REGION}" and ispresent(errorCode)'
    )
    query = failed["properties"]["query"]
    assert "errorMessage" in query and "requestParameters.modelId as modelId" in query


def _invocation_log_queries(body: dict[str, Any]) -> list[str]:
    return [
        w["properties"]["query"]
        for w in body["widgets"]
        if w["type"] == "log" and w["properties"]["query"].startswith("SOURCE '/aws/bedrock/model-invocations'")
    ]


@pytest.mark.parametrize("trail", ["/aws/ct/x", None])
def test_no_widget_reads_an_error_field_from_the_invocation_log(trail: str | None) -> None:
    # The documented invocation log schema has no errorCode; failures come from CloudTrail or metrics.
    for dashboard in build_dashboards(*_ctx(trail=trail)):
        for query in _invocation_log_queries(dashboard.render()):
            assert "errorCode" not in query and "error" not in query.lower()


def test_failed_invocations_outside_the_trail_region_query_the_home_trail_filtered_on_this_region() -> None:
    body = build_dashboards(*_ctx(trail=None, trail_home=("us-east-1", "/aws/ct/x")))[0].render()
    (failed,) = [w for w in body["widgets"] if w["type"] == "log"]
    assert failed["properties"]["region"] == "us-east-1"
    assert failed["properties"]["query"].startswith("SOURCE '/aws/ct/x' | ")
    assert f'awsRegion = "{REGION}"' in failed["properties"]["query"]
    assert "us-east-1" in failed["properties"]["title"]


@pytest.mark.parametrize("models", [MODELS, ()])
def test_failed_invocations_without_an_account_trail_come_from_the_error_metrics(models: tuple[str, ...]) -> None:
    body = build_dashboards(*_ctx(models, trail=None))[0].render()
    assert not [w for w in body["widgets"] if w["type"] == "log"]
    (failed,) = [w for w in body["widgets"] if w["properties"].get("title", "").startswith("Failed invocations")]
    text = json.dumps(failed)
    assert bedrock.CLIENT_ERRORS in text and bedrock.SERVER_ERRORS in text
    if models:
        expressions = [m[0]["expression"] for m in failed["properties"]["metrics"] if "expression" in m[0]]
        assert expressions == [f"FILL(fce{i}, 0) + FILL(fse{i}, 0)" for i in range(len(models))]


def test_threshold_lines_follow_config() -> None:
    s = MonitoringSettings.model_validate(
        {
            "alarms": {
                "warning": {
                    "latency_p95_ms": 2222,
                    "error_rate_pct": 1,
                    "throttles_per_minute": 1,
                    "tokens_per_minute": 1000,
                }
            }
        }
    )
    body = build_dashboards(*_ctx(s=s))[0].render()
    latency = next(w for w in body["widgets"] if w["properties"].get("title") == f"{SONNET} - latency (ms)")
    lines = {a["label"]: a["value"] for a in latency["properties"]["annotations"]["horizontal"]}
    assert lines == {"warning": 2222, "critical": 5000}


def test_time_to_first_token_can_be_turned_off() -> None:
    s = MonitoringSettings.model_validate({"dashboards": {"include_time_to_first_token": False}})
    text = build_dashboards(*_ctx(s=s))[0].to_json()
    assert bedrock.TIME_TO_FIRST_TOKEN not in text
    assert bedrock.TIME_TO_FIRST_TOKEN in build_dashboards(*_ctx())[0].to_json()


def test_cost_uses_the_price_table_and_marks_unknown_prices() -> None:
    body = build_dashboards(*_ctx())[1].render()
    expressions = [m[0]["expression"] for m in _metric_entries(body) if isinstance(m[0], dict)]
    assert "(FILL(cin0, 0) * 0.003 + FILL(cout0, 0) * 0.015) / 1000" in expressions
    # only the priced model has a cost line; the others are listed as unknown in the header
    assert sum(e.startswith("(FILL(cin") for e in expressions) == 2  # time series + range total
    header = body["widgets"][0]["properties"]["markdown"]
    assert "| amazon.titan-text-express-v1 | price unknown | price unknown |" in header
    top = next(w for w in body["widgets"] if w["properties"].get("title", "").startswith("Top 10 identities"))
    assert "by identity" in top["properties"]["query"] and "limit 10" in top["properties"]["query"]


def test_security_dashboard_uses_cloudtrail_only_when_available() -> None:
    with_trail = build_dashboards(*_ctx())[2].render()
    queries = [w["properties"]["query"] for w in with_trail["widgets"] if w["type"] == "log"]
    assert len(queries) == 3 and all(q.startswith("SOURCE '/aws/ct/x'") for q in queries)
    assert any("DeleteModelInvocationLoggingConfiguration" in q for q in queries)
    assert any("AccessDenied" in q for q in queries)
    assert any("UpdateGuardrail" in q for q in queries)
    without = build_dashboards(*_ctx(trail=None))[2].render()
    assert not [w for w in without["widgets"] if w["type"] == "log"]
    assert "ModelInvocationLogsCloudWatchDeliveryFailure" in json.dumps(without)


@settings(max_examples=25)
@given(
    st.lists(
        st.from_regex(r"(us\.|eu\.)?[a-z]{3,10}\.[a-z0-9-]{3,30}-v[1-3]:[0-9]", fullmatch=True),
        min_size=0,
        max_size=45,
        unique=True,
    )
)
def test_any_model_list_yields_non_overlapping_layouts(models: list[str]) -> None:
    for dashboard in build_dashboards(*_ctx(tuple(models))):
        body = _assert_within_limits(dashboard)
        cells: set[tuple[int, int]] = set()
        for w in body["widgets"]:
            area = {(x, y) for x in range(w["x"], w["x"] + w["width"]) for y in range(w["y"], w["y"] + w["height"])}
            assert not cells & area, f"overlap in {dashboard.name}"
            cells |= area


def test_alarm_status_widgets_show_each_models_alarms_once() -> None:
    models = ("amazon.titan-text-express-v1", "amazon.titan-text-express-v1-0")  # one slug prefixes the other
    s = PRICED.model_copy(
        update={"dashboards": PRICED.dashboards.model_copy(update={"models_per_operations_dashboard": 1})}
    )
    ctx, alarms = _ctx(models, s)
    pages = [d.render() for d in build_dashboards(ctx, alarms) if "-operations" in d.name]
    shown = [a for page in pages for w in page["widgets"] if w["type"] == "alarm" for a in w["properties"]["alarms"]]
    assert sorted(shown) == sorted(arn for arns in alarms.by_model.values() for arn in arns)
