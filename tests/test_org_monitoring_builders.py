"""Pure builders of the monitoring account: scale of the aggregate dashboards, policies, alarms, settings."""

from __future__ import annotations

import json
import time

import pulumi_aws as aws
import pytest
from pydantic import ValidationError

from components.kms import RegionalKeyArgs, key_policy_statements
from components.monitoring.alerting import topic_policy
from components.monitoring.dashboard_model import MetricWidget
from components.org_monitoring.alarms import org_alarms
from components.org_monitoring.dashboard import build_dashboards, expressions
from components.org_monitoring.grafana_dashboard import PANELS, build_grafana_dashboard
from components.org_monitoring.refs import WorkloadRef
from inventory.monitoring import MAX_PRICED_MODELS, ModelPrice, Pricing
from inventory.org_monitoring import OrgMonitoringSettings
from tests.monitoring_botocore import rendered_requests, validate
from vocabulary import arns, names
from vocabulary import iam as policies
from vocabulary import limits as quotas
from vocabulary.bedrock import LOG_DELIVERY_FAILURE_METRICS, PER_MODEL_METRICS

MONITORING = "999999999999"
REGIONS_10 = [
    "us-east-1",
    "us-east-2",
    "us-west-2",
    "eu-west-1",
    "eu-west-3",
    "eu-central-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-northeast-1",
    "ca-central-1",
]
MODELS = [f"vendor.model-{i}-v1:0" for i in range(12)] + [f"us.vendor.profile-{i}-v1:0" for i in range(8)]


def _org(accounts: int, regions: list[str]) -> list[WorkloadRef]:
    return [
        WorkloadRef(
            account_id=f"{100000000000 + i}", name=f"team-{i:03d}", regions=tuple(regions), models=tuple(MODELS)
        )
        for i in range(accounts)
    ]


def _max_prices() -> Pricing:
    return Pricing(
        models={
            m: ModelPrice(input_per_1k_tokens_usd=0.00025, output_per_1k_tokens_usd=0.00125)
            for m in MODELS[:MAX_PRICED_MODELS]
        }
    )


# --- scale: 200 accounts x 10 regions ------------------------------------------------------------------


def test_aggregate_dashboards_fit_cloudwatch_quotas_for_200_accounts_in_10_regions():
    workloads = _org(200, REGIONS_10)
    settings = OrgMonitoringSettings()
    specs_alarms = org_alarms(REGIONS_10, workloads, settings.alarms)
    alarm_arns = [arns.alarm_arn(s.region, MONITORING, s.name) for s in specs_alarms if s.region_wide]
    started = time.perf_counter()
    dashboards = build_dashboards(REGIONS_10, workloads, settings, alarm_arns, _max_prices())  # check_limits runs
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
        for expression in expressions(spec):
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
        build_dashboards(["us-east-1"], _org(250, ["us-east-1"]), OrgMonitoringSettings(), [])
    build_dashboards(["us-east-1"], _org(249, ["us-east-1"]), OrgMonitoringSettings(), [])


def test_search_and_insights_entries_count_their_worst_case_series():
    overview, regional = build_dashboards(
        ["us-east-1"], _org(3, ["us-east-1"]), OrgMonitoringSettings(), [], _max_prices()
    )
    by_title = {
        w.body.title: w.body for d in (overview, regional) for w in d.widgets if isinstance(w.body, MetricWidget)
    }
    assert by_title["us-east-1 - errors by account"].metric_count == 2 * 4
    assert by_title["us-east-1 - top 10 models by invocations, all accounts"].metric_count == 10
    assert by_title["us-east-1 - requests, all accounts"].metric_count == 4


def test_dashboards_never_enumerate_accounts_so_onboarding_changes_only_worst_case_numbers():
    settings = OrgMonitoringSettings()
    small = build_dashboards(["us-east-1"], _org(2, ["us-east-1"]), settings, [])
    large = build_dashboards(["us-east-1"], _org(150, ["us-east-1"]), settings, [])
    assert [d.body_json for d in small] == [d.body_json for d in large]


def test_every_widget_shows_its_region_and_the_limitation_is_stated():
    dashboards = build_dashboards(
        ["us-east-1", "eu-west-1"], _org(3, ["us-east-1", "eu-west-1"]), OrgMonitoringSettings(), []
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
    (ref,) = _org(1, ["us-east-1"])
    overview = build_dashboards(["us-east-1"], [ref], OrgMonitoringSettings(), [], pricing)[0]
    cost = [e for e in expressions(overview) if e.endswith("/1000")]
    assert cost == ["(FILL(i0,0)*0.00025+FILL(o0,0)*0.00125)/1000"]
    assert any("WHERE ModelId = 'anthropic.claude-3-haiku-20240307-v1:0'" in e for e in expressions(overview))
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
        "111111111111",
        "payments-prod",
        ("us-east-1",),
        ("us.anthropic.claude-3-7-sonnet-20250219-v1:0", "amazon.titan-embed-text-v2:0"),
    )
    overview = build_dashboards(["us-east-1"], [ref], OrgMonitoringSettings(), [], pricing)[0]
    exprs = expressions(overview)
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
    overview = build_dashboards(["us-east-1"], _org(1, ["us-east-1"]), OrgMonitoringSettings(), [], pricing)[0]
    assert not [e for e in expressions(overview) if e.endswith("/1000")]
    assert f"up to {MAX_PRICED_MODELS} models" in json.loads(overview.body_json)["widgets"][0]["properties"]["markdown"]


# --- sink policy: least privilege ----------------------------------------------------------------------


def test_sink_policy_admits_only_workload_accounts_and_only_metrics_by_default():
    doc = policies.sink_policy(["222222222222", "111111111111", "111111111111", MONITORING], None, MONITORING)
    assert doc["Version"] == "2012-10-17"
    (stmt,) = doc["Statement"]
    assert stmt["Effect"] == "Allow"
    assert stmt["Principal"] == {"AWS": ["111111111111", "222222222222"]}
    assert sorted(stmt["Action"]) == ["oam:CreateLink", "oam:UpdateLink"]
    assert stmt["Condition"]["ForAllValues:StringEquals"]["oam:ResourceTypes"] == ["AWS::CloudWatch::Metric"]
    assert stmt["Condition"]["Null"] == {"oam:ResourceTypes": "false"}
    assert "AWS::XRay::Trace" not in json.dumps(doc) and "AWS::Logs::LogGroup" not in json.dumps(doc)


def test_sink_policy_admits_log_groups_only_when_opted_in():
    doc = policies.sink_policy(["111111111111"], None, MONITORING, share_log_groups=True)
    (stmt,) = doc["Statement"]
    assert stmt["Condition"]["ForAllValues:StringEquals"]["oam:ResourceTypes"] == [
        "AWS::CloudWatch::Metric",
        "AWS::Logs::LogGroup",
    ]


@pytest.mark.parametrize("share", [False, True])
def test_links_share_exactly_what_the_sink_policy_admits(share: bool):
    from components.org_monitoring import OamLinkArgs

    link = OamLinkArgs(account_name="a", region="us-east-1", sink_identifier="arn", share_log_groups=share)
    (stmt,) = policies.sink_policy(["111111111111"], None, MONITORING, share_log_groups=share)["Statement"]
    assert list(link.resource_types) == stmt["Condition"]["ForAllValues:StringEquals"]["oam:ResourceTypes"]


def test_link_defaults_to_metrics_only():
    from components.org_monitoring import OamLinkArgs

    args = OamLinkArgs(account_name="a", region="us-east-1", sink_identifier="arn")
    assert args.resource_types == ("AWS::CloudWatch::Metric",)
    assert OrgMonitoringSettings().share_log_groups is False


def test_grafana_reads_logs_only_when_log_groups_are_shared():
    default = json.loads(policies.grafana_read_policy())
    assert not [a for s in default["Statement"] for a in s["Action"] if a.startswith("logs:")]
    shared = json.loads(policies.grafana_read_policy(read_logs=True))
    assert "logs:StartQuery" in shared["Statement"][0]["Action"]


def test_sink_policy_with_organization_scopes_the_wildcard_principal_to_the_org():
    doc = policies.sink_policy(["111111111111"], "o-a1b2c3d4e5", MONITORING)
    (stmt,) = doc["Statement"]
    assert stmt["Principal"] == "*"
    assert stmt["Condition"]["StringEquals"] == {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}
    assert "ForAllValues:StringEquals" in stmt["Condition"]


def test_sink_policy_refuses_to_be_empty():
    with pytest.raises(ValueError, match="at least one workload account"):
        policies.sink_policy([], None, MONITORING)


def test_alert_key_and_topic_policies_are_scoped_to_this_account():
    key = key_policy_statements(
        RegionalKeyArgs.for_alert_topics(
            MONITORING, "eu-west-1", alias_name=names.ORG_ALERT_KEY_ALIAS, description="org alerts"
        )
    )
    service = [s for s in key if "Service" in s["Principal"]]
    assert service == [
        {
            "Sid": "CloudWatchAlarmsPublishToEncryptedTopic",
            "Effect": "Allow",
            "Principal": {"Service": "cloudwatch.amazonaws.com"},
            "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:SourceAccount": MONITORING}},
        }
    ]
    topic_arn = arns.sns_topic_arn("eu-west-1", MONITORING, names.ORG_ALERT_TOPIC_NAME)
    (topic,) = topic_policy(topic_arn, MONITORING, "eu-west-1", allow_budgets=False)["Statement"]
    assert topic["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert topic["Action"] == "sns:Publish"
    assert topic["Resource"] == f"arn:aws:sns:eu-west-1:{MONITORING}:bedrock-org-alerts"
    assert topic["Condition"]["StringEquals"] == {"aws:SourceAccount": MONITORING}


# --- alarms: valid PutMetricAlarm requests --------------------------------------------------------------


def test_every_org_alarm_is_a_valid_put_metric_alarm_request():
    # What the component sends: each spec's pulumi_args, registered under the mock runtime and converted to
    # the PutMetricAlarm request (the example monitoring plan's alarms are validated the same way).
    workloads = _org(3, ["us-east-1", "eu-west-1"])
    alarms = org_alarms(["us-east-1", "eu-west-1"], workloads, OrgMonitoringSettings().alarms)
    assert len(alarms) == 2 * (3 + 3)
    requests = rendered_requests(
        [
            (
                aws.cloudwatch.MetricAlarm,
                a.spec.key,
                a.spec.pulumi_args(arns.sns_topic_arn(a.region, MONITORING, names.ORG_ALERT_TOPIC_NAME), a.region),
            )
            for a in alarms
        ]
    )
    assert len(requests) == len(alarms)
    for params in requests.values():
        assert validate("cloudwatch", "PutMetricAlarm", params) == []
        metrics = params["Metrics"]
        assert sum(m["ReturnData"] for m in metrics) == 1
        assert len(metrics) <= quotas.MAX_METRICS_PER_MATH_ALARM
        assert all("SEARCH(" not in m.get("Expression", "") for m in metrics)
        assert all(len(m.get("Expression", "")) <= quotas.MAX_EXPRESSION_CHARS for m in metrics)
        assert len(params["AlarmName"]) <= 255


def test_per_account_alarms_read_the_source_account_and_region_alarms_use_metrics_insights():
    (ref,) = _org(1, ["us-east-1"])
    specs = org_alarms(["us-east-1"], [ref], OrgMonitoringSettings().alarms)
    per_account = [s for s in specs if not s.region_wide]
    assert [s.name for s in per_account] == ["bedrock-org-error-rate-team-000-us-east-1"]
    stats = [q for q in per_account[0].spec.metrics if q.metric is not None]
    assert {q.account_id for q in stats} == {ref.account_id}
    region_wide = [s for s in specs if s.region_wide]
    assert all(q.expression.startswith("SELECT SUM(") for s in region_wide for q in s.spec.metrics)
    assert any(
        "GROUP BY AWS.AccountId ORDER BY SUM() DESC" in q.expression for s in region_wide for q in s.spec.metrics
    )


def test_metrics_insights_alarm_count_stays_within_the_regional_quota():
    specs = org_alarms(REGIONS_10, _org(200, REGIONS_10), OrgMonitoringSettings().alarms)
    for region in REGIONS_10:
        insights = [s for s in specs if s.region == region and s.region_wide]
        assert len(insights) <= quotas.MAX_INSIGHTS_ALARMS_PER_REGION


def test_per_account_alarms_can_be_switched_off():
    settings = OrgMonitoringSettings.model_validate({"alarms": {"per_account_error_rate_alarms": False}})
    specs = org_alarms(["us-east-1"], _org(5, ["us-east-1"]), settings.alarms)
    assert all(s.region_wide for s in specs)


# --- settings ------------------------------------------------------------------------------------------


def test_settings_defaults_are_valid_and_grafana_is_off():
    s = OrgMonitoringSettings()
    assert s.grafana.enabled is False
    assert s.organization_id is None
    # Prices are not a monitoring-account setting any more: the org dashboards read the one price table.
    assert "prices" not in OrgMonitoringSettings.model_fields


@pytest.mark.parametrize("value", ["o-abc", "O-A1B2C3D4E5", "a1b2c3d4e5", "o-" + "a" * 33])
def test_organization_id_is_validated_with_a_clear_message(value):
    with pytest.raises(ValidationError, match="not an AWS Organizations id"):
        OrgMonitoringSettings(organization_id=value)


def test_notification_targets_are_validated():
    ok = OrgMonitoringSettings.model_validate(
        {"notifications": {"emails": ["Ops@Example.com"], "https_endpoints": ["https://events.example.com/sns"]}}
    )
    assert ok.notifications.emails == ("ops@example.com",)
    for bad in (
        {"emails": ["not-an-email"]},
        {"emails": ["a@b.io", "A@B.io"]},
        {"https_endpoints": ["http://insecure.example.com"]},
    ):
        with pytest.raises(ValidationError):
            OrgMonitoringSettings.model_validate({"notifications": bad})


def test_settings_reject_unknown_keys_and_bad_alarm_windows():
    with pytest.raises(ValidationError):
        OrgMonitoringSettings.model_validate({"grafana": {"enable": True}})
    with pytest.raises(ValidationError, match="datapoints_to_alarm=2 exceeds evaluation_periods=1"):
        OrgMonitoringSettings.model_validate(
            {"alarms": {"evaluation": {"evaluation_periods": 1, "datapoints_to_alarm": 2}}}
        )
    with pytest.raises(ValidationError, match="not a whole number of minutes"):
        OrgMonitoringSettings.model_validate({"alarms": {"evaluation": {"period_seconds": 90}}})
    with pytest.raises(ValidationError, match="one-day limit"):
        OrgMonitoringSettings.model_validate(
            {"alarms": {"evaluation": {"period_seconds": 3600, "evaluation_periods": 25}}}
        )
    with pytest.raises(ValidationError, match="period_seconds"):  # the old flat keys are gone
        OrgMonitoringSettings.model_validate({"alarms": {"period_seconds": 300}})
    partial = OrgMonitoringSettings.model_validate({"alarms": {"evaluation": {"period_seconds": 600}}})
    assert (partial.alarms.evaluation.evaluation_periods, partial.alarms.evaluation.datapoints_to_alarm) == (3, 2)
    with pytest.raises(ValidationError, match="prices"):
        OrgMonitoringSettings.model_validate({"prices": {"x.y": {"input_usd_per_1k": 1, "output_usd_per_1k": 1}}})
    with pytest.raises(ValidationError, match="not a Bedrock model id"):
        Pricing.model_validate({"models": {"x y'": {"input_per_1k_tokens_usd": 1, "output_per_1k_tokens_usd": 1}}})


def test_grafana_dashboard_has_the_operations_panels_and_org_variables():
    refs = _org(2, ["us-east-1"])
    dash = build_grafana_dashboard(["us-east-1", "eu-west-1"], refs, _max_prices())
    titles = [p["title"] for p in dash["panels"]]
    assert titles[: len(PANELS)] == [p[0] for p in PANELS]
    assert any("cost" in t.lower() for t in titles)
    variables = {v["name"]: v for v in dash["templating"]["list"]}
    assert [o["value"] for o in variables["account"]["options"]] == ["all", *(r.account_id for r in refs)]
    assert all(t["accountId"] == "$account" and t["region"] == "$region" for p in dash["panels"] for t in p["targets"])


def _grafana_metric_targets() -> list[dict]:
    dash = build_grafana_dashboard(["us-east-1"], _org(2, ["us-east-1"]), _max_prices())
    return [t for p in dash["panels"] for t in p["targets"] if "metricName" in t]


def test_grafana_delivery_panel_covers_every_invocation_log_destination():
    (panel,) = [
        p
        for p in build_grafana_dashboard(["us-east-1"], _org(1, ["us-east-1"]), _max_prices())["panels"]
        if p["title"] == "Invocation log delivery failures"
    ]
    assert {t["metricName"] for t in panel["targets"]} == {
        "ModelInvocationLogsCloudWatchDeliveryFailure",
        "ModelInvocationLogsS3DeliveryFailure",
        "ModelInvocationLargeDataS3DeliveryFailure",
    }


def test_grafana_delivery_targets_read_the_dimensionless_series_and_runtime_targets_read_modelid():
    # Delivery metrics are published only "across all model IDs" (no dimension): a ModelId dimension with
    # matchExact would match nothing and leave the panel empty.
    targets = _grafana_metric_targets()
    delivery = [t for t in targets if t["metricName"] in LOG_DELIVERY_FAILURE_METRICS]
    runtime = [t for t in targets if t["metricName"] in PER_MODEL_METRICS]
    assert len(delivery) == len(LOG_DELIVERY_FAILURE_METRICS) and runtime
    assert len(delivery) + len(runtime) == len(targets)
    for t in delivery:
        assert t["dimensions"] == {} and t["matchExact"] is True, t
        assert "Dim.ModelId" not in t["label"]
    for t in runtime:
        assert t["dimensions"] == {"ModelId": ["*"]} and t["matchExact"] is True, t
