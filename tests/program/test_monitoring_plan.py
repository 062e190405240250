"""Dashboards, alarms, alert routing, budgets (workload plans) and cross-account aggregation (monitoring plan)
as they come out of the real program for the example org."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from tests.components.org_monitoring.common import insights_per_widget
from tests.conftest import org_data, resources

WORKLOADS = {
    "payments-prod": ("111111111111", ["us-east-1", "eu-west-1"]),
    "research-dev": ("222222222222", ["us-west-2", "eu-central-1", "ap-southeast-2"]),
}
MODELS = {
    name: [m for a in org_data()["workload_accounts"] if a["name"] == name for m in a["models"]] for name in WORKLOADS
}
US_PROFILE = "us.anthropic.claude-3-7-sonnet-20250219-v1:0"  # payments-prod: callable in us-east-1 only
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
COMPOSITE = "aws:cloudwatch/compositeAlarm:CompositeAlarm"
TOPIC = "aws:sns/topic:Topic"
TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy"
DASHBOARD = "aws:cloudwatch/dashboard:Dashboard"
SINK_POLICY = "aws:oam/sinkPolicy:SinkPolicy"
MONITORING_ACCOUNT = "999999999999"


def model_slug(model: str) -> str:
    return model.replace(":", "-")


@pytest.mark.parametrize("stack", sorted(WORKLOADS))
def test_every_region_has_dashboards_topics_queries(example_plans: dict, stack: str) -> None:
    account_id, regions = WORKLOADS[stack]
    plan = example_plans[stack]
    keys = {k["inputs"]["region"]: k for k in resources(plan, "aws:kms/key:Key")}
    for region in regions:
        dashboards = [d for d in resources(plan, DASHBOARD) if d["inputs"]["region"] == region]
        assert {d["inputs"]["dashboardName"].rsplit(f"{region}-", 1)[1] for d in dashboards} == {
            "operations",
            "cost-usage",
            "security",
        }
        topics = [t for t in resources(plan, TOPIC) if t["inputs"]["region"] == region]
        # payments-prod turns escalation on: its escalation topic too.
        routes = ["critical", "escalation", "warning"] if stack == "payments-prod" else ["critical", "warning"]
        assert sorted(t["inputs"]["name"].rsplit("-", 1)[1] for t in topics) == routes
        # Encrypted with this account-region's key (whose policy admits CloudWatch, and Budgets in the home
        # region only: budget alerts go to the home region's critical topic).
        key_id = {t["inputs"]["kmsMasterKeyId"] for t in topics}
        assert len(key_id) == 1 and key_id.pop().startswith(f"arn:aws:kms:{region}:{account_id}:key/")
        home = region == regions[0]
        key_policy = keys[region]["inputs"]["policy"]
        assert ("AlarmsAndBudgetsPublishToEncryptedTopics" in key_policy) == home
        assert ("CloudWatchAlarmsPublishToEncryptedTopic" in key_policy) == (not home)
        assert ("budgets.amazonaws.com" in key_policy) == home
        for topic_policy in [p for p in resources(plan, TOPIC_POLICY) if p["inputs"].get("region") == region]:
            assert ("budgets.amazonaws.com" in topic_policy["inputs"]["policy"]) == (
                home and "critical" in topic_policy["urn"]
            ), topic_policy["urn"]
        queries = [
            q
            for q in resources(plan, "aws:cloudwatch/queryDefinition:QueryDefinition")
            if q["inputs"]["region"] == region
        ]
        by_group: dict[str, list[dict]] = {}
        for q in queries:
            [group] = q["inputs"]["logGroupNames"]
            by_group.setdefault(group, []).append(q["inputs"])
        assert len(by_group.pop("/bedrock-observability/model-invocations")) == 4
        assert not any(
            "errorCode" in q["inputs"]["queryString"]
            for q in queries
            if q["inputs"]["logGroupNames"] == ["/bedrock-observability/model-invocations"]
        )
        # Failed invocations by code: CloudTrail, saved only where the trail's log group is (home region).
        trail_queries = by_group.pop("/bedrock-observability/cloudtrail", [])
        assert len(trail_queries) == (1 if region == regions[0] else 0) and not by_group
        assert all("ispresent(errorCode)" in q["queryString"] for q in trail_queries)
        if region == regions[0]:
            [operations] = [d for d in dashboards if d["inputs"]["dashboardName"].endswith(f"{region}-operations")]
            failed = [w for w in json.loads(operations["inputs"]["dashboardBody"])["widgets"] if w["type"] == "log"]
            assert len(failed) == 1 and failed[0]["properties"]["region"] == region
            assert failed[0]["properties"]["query"].startswith("SOURCE '/bedrock-observability/cloudtrail' | ")
            assert f'awsRegion = "{region}"' in failed[0]["properties"]["query"]


@pytest.mark.parametrize("stack", sorted(WORKLOADS))
def test_two_tier_alarms_per_model_notify_their_own_region(example_plans: dict, stack: str) -> None:
    account_id, regions = WORKLOADS[stack]
    alarms = resources(example_plans[stack], ALARM)
    for region in regions:
        for model in MODELS[stack]:
            prefix = f"bedrock-{stack}-{region}-{model_slug(model)}-"
            mine = {
                a["inputs"]["name"].removeprefix(prefix): a["inputs"]
                for a in alarms
                if a["inputs"]["name"].startswith(prefix)
            }
            if model == US_PROFILE and region == "eu-west-1":
                assert mine == {}  # a us. inference profile is never invoked from an EU region
                continue
            topic = f"arn:aws:sns:{region}:{account_id}:bedrock-{stack}-{region}-alerts"
            for signal in ("latency-p95", "error-rate", "throttles", "tokens"):
                warning, critical = mine[f"{signal}-warning"], mine[f"{signal}-critical"]
                assert critical["threshold"] > warning["threshold"]
                assert warning["alarmActions"] == [f"{topic}-warning"]
                assert critical["alarmActions"] == [f"{topic}-critical"]
                assert critical["okActions"] == critical["alarmActions"]
                for alarm in (warning, critical):
                    assert alarm["treatMissingData"] in ("missing", "notBreaching", "breaching", "ignore")
                    assert alarm["alarmDescription"]
            assert mine["latency-p95-warning"]["extendedStatistic"] == "p95"
            assert mine["latency-p95-warning"]["dimensions"] == {"ModelId": model}
            error_rate = mine["error-rate-critical"]["metricQueries"]
            assert sum(1 for q in error_rate if q.get("returnData")) == 1  # metric math ratio
    # research-dev turns anomaly detection off in the inventory; payments-prod keeps the default.
    anomaly = [a for a in alarms if a["inputs"]["name"].endswith("-anomaly")]
    assert bool(anomaly) == (stack == "payments-prod")
    for alarm in anomaly:
        band = [q for q in alarm["inputs"]["metricQueries"] if "ANOMALY_DETECTION_BAND" in q.get("expression", "")]
        assert len(band) == 1 and alarm["inputs"]["thresholdMetricId"] == band[0]["id"]


@pytest.mark.parametrize("stack", sorted(WORKLOADS))
def test_composite_pages_only_when_latency_and_errors_degrade_together(example_plans: dict, stack: str) -> None:
    composites = resources(example_plans[stack], COMPOSITE)
    # One per model callable in each region: payments-prod's us. profile is skipped in eu-west-1.
    assert len(composites) == {"payments-prod": 3 + 2, "research-dev": 2 * 3}[stack]
    for composite in composites:
        rule = composite["inputs"]["alarmRule"]
        assert " AND " in rule and "latency-p95" in rule and "error-rate" in rule
        assert composite["inputs"]["alarmActions"][0].endswith("-alerts-critical")


@pytest.mark.parametrize("stack", sorted(WORKLOADS))
def test_security_alarms_in_the_trail_region_only(example_plans: dict, stack: str) -> None:
    _, regions = WORKLOADS[stack]
    filters = resources(example_plans[stack], "aws:cloudwatch/logMetricFilter:LogMetricFilter")
    assert {f["inputs"]["region"] for f in filters} == {regions[0]}
    assert all(f["inputs"]["logGroupName"] == "/bedrock-observability/cloudtrail" for f in filters)
    patterns = " ".join(f["inputs"]["pattern"] for f in filters)
    assert "PutModelInvocationLoggingConfiguration" in patterns
    assert "DeleteModelInvocationLoggingConfiguration" in patterns
    assert "AccessDenied" in patterns


@pytest.mark.parametrize("stack", sorted(WORKLOADS))
def test_log_delivery_alarm_covers_every_destination_in_every_region(example_plans: dict, stack: str) -> None:
    _, regions = WORKLOADS[stack]
    delivery = [
        a["inputs"]
        for a in resources(example_plans[stack], ALARM)
        if a["inputs"]["name"].endswith("-invocation-log-delivery-failure-warning")
    ]
    assert sorted(a["region"] for a in delivery) == sorted(regions)
    for alarm in delivery:
        read = {q["metric"]["metricName"] for q in alarm["metricQueries"] if "metric" in q}
        assert read == {
            "ModelInvocationLogsCloudWatchDeliveryFailure",
            "ModelInvocationLogsS3DeliveryFailure",
            "ModelInvocationLargeDataS3DeliveryFailure",
        }


@pytest.mark.parametrize(("stack", "limit"), [("payments-prod", 25000), ("research-dev", 500)])
def test_budget_routes_to_home_critical_topic(example_plans: dict, stack: str, limit: int) -> None:
    account_id, regions = WORKLOADS[stack]
    [budget] = resources(example_plans[stack], "aws:budgets/budget:Budget")
    inputs = budget["inputs"]
    assert float(inputs["limitAmount"]) == limit
    notes = {(n["notificationType"], n["threshold"]) for n in inputs["notifications"]}
    assert notes == {("ACTUAL", 50), ("ACTUAL", 75), ("ACTUAL", 90), ("FORECASTED", 100)}
    home_critical = f"arn:aws:sns:{regions[0]}:{account_id}:bedrock-{stack}-{regions[0]}-alerts-critical"
    assert all(n["subscriberSnsTopicArns"] == [home_critical] for n in inputs["notifications"])


def test_thresholds_come_from_config(plan_inventory: Callable) -> None:
    org = org_data()
    org["defaults"]["monitoring"]["alarms"]["critical"]["latency_p95_ms"] = 7777
    plan = plan_inventory(org, "payments-prod")
    latency = [a["inputs"] for a in resources(plan, ALARM) if a["inputs"]["name"].endswith("latency-p95-critical")]
    assert latency and all(a["threshold"] == 7777 for a in latency)


def test_monitoring_plan_has_sinks_dashboards_and_org_alarms(example_plans: dict) -> None:
    plan = example_plans["monitoring"]
    workload_regions = {r for _, regions in WORKLOADS.values() for r in regions}
    sinks = resources(plan, "aws:oam/sink:Sink")
    assert {s["inputs"]["region"] for s in sinks} == workload_regions
    for policy in resources(plan, SINK_POLICY):
        [statement] = json.loads(policy["inputs"]["policy"])["Statement"]
        # Only the workload accounts of that region, only links, only metrics (log groups not shared by default).
        region = policy["inputs"]["region"]
        assert statement["Principal"]["AWS"] == sorted(a for a, regions in WORKLOADS.values() if region in regions)
        assert statement["Action"] == ["oam:CreateLink", "oam:UpdateLink"]
        assert statement["Condition"]["ForAllValues:StringEquals"]["oam:ResourceTypes"] == ["AWS::CloudWatch::Metric"]
    dashboards = resources(plan, DASHBOARD)
    assert dashboards and {d["inputs"]["region"] for d in dashboards} == {"us-east-1"}  # the home region
    bodies = " ".join(d["inputs"]["dashboardBody"] for d in dashboards)
    assert "SEARCH(" in bodies or "SELECT " in bodies  # picks up accounts onboarded later without edits
    alarms = resources(plan, ALARM)
    assert {a["inputs"]["region"] for a in alarms} == workload_regions
    topics = {t["inputs"]["region"]: t for t in resources(plan, TOPIC)}
    assert set(topics) == workload_regions and all(t["inputs"]["kmsMasterKeyId"] for t in topics.values())
    for alarm in alarms:
        region = alarm["inputs"]["region"]
        actions = alarm["inputs"]["alarmActions"]
        assert actions and all(arn.startswith(f"arn:aws:sns:{region}:{MONITORING_ACCOUNT}:") for arn in actions)


@pytest.mark.parametrize("stack", sorted(WORKLOADS))
def test_workload_links_point_at_the_monitoring_sink_of_their_region(example_plans: dict, stack: str) -> None:
    sink_by_region = {
        p["inputs"]["region"]: p["inputs"]["sinkIdentifier"]
        for p in resources(example_plans["monitoring"], SINK_POLICY)
    }
    links = resources(example_plans[stack], "aws:oam/link:Link")
    assert sorted(link["inputs"]["region"] for link in links) == sorted(WORKLOADS[stack][1])
    for link in links:
        region = link["inputs"]["region"]
        assert link["inputs"]["sinkIdentifier"] == sink_by_region[region]
        assert link["inputs"]["resourceTypes"] == ["AWS::CloudWatch::Metric"]
        assert "logGroupConfiguration" not in link["inputs"]["linkConfiguration"]


def test_monitoring_sink_policy_admits_log_groups_when_opted_in(plan_inventory: Callable) -> None:
    org = org_data()
    org["monitoring_account"]["settings"]["share_log_groups"] = True
    plan = plan_inventory(org, "monitoring")
    policies = resources(plan, SINK_POLICY)
    assert policies
    for policy in policies:
        [statement] = json.loads(policy["inputs"]["policy"])["Statement"]
        assert statement["Condition"]["ForAllValues:StringEquals"]["oam:ResourceTypes"] == [
            "AWS::CloudWatch::Metric",
            "AWS::Logs::LogGroup",
        ]


@pytest.mark.parametrize("stack", sorted(WORKLOADS))
def test_log_group_readers_wait_for_their_log_group(example_plans: dict, stack: str) -> None:
    """Metric filters and saved queries fail on a log group that does not exist yet: they must depend on it."""
    plan = example_plans[stack]
    groups = {
        (g["inputs"]["region"], g["inputs"]["name"]): g["urn"]
        for g in resources(plan, "aws:cloudwatch/logGroup:LogGroup")
    }
    readers = [
        (r, [r["inputs"]["logGroupName"]]) for r in resources(plan, "aws:cloudwatch/logMetricFilter:LogMetricFilter")
    ]
    readers += [
        (r, r["inputs"]["logGroupNames"]) for r in resources(plan, "aws:cloudwatch/queryDefinition:QueryDefinition")
    ]
    assert readers
    for reader, names in readers:
        for name in names:
            assert groups[(reader["inputs"]["region"], name)] in reader["dependencies"], reader["urn"]


@pytest.mark.parametrize("stack", sorted(WORKLOADS))
def test_budget_waits_for_the_topic_policy_that_admits_it(example_plans: dict, stack: str) -> None:
    plan = example_plans[stack]
    [budget] = resources(plan, "aws:budgets/budget:Budget")
    policies = {
        p["urn"]
        for p in resources(plan, "aws:sns/topicPolicy:TopicPolicy")
        if p["inputs"]["arn"] == budget["inputs"]["notifications"][0]["subscriberSnsTopicArns"][0]
    }
    assert len(policies) == 1 and policies <= set(budget["dependencies"])


def test_failed_invocations_come_from_the_home_trail_in_every_region(example_plans: dict) -> None:
    [operations] = [
        d
        for d in resources(example_plans["payments-prod"], DASHBOARD)
        if d["inputs"]["dashboardName"] == "bedrock-payments-prod-eu-west-1-operations"
    ]
    log_widgets = [w for w in json.loads(operations["inputs"]["dashboardBody"])["widgets"] if w["type"] == "log"]
    failures = [w for w in log_widgets if "/bedrock-observability/cloudtrail" in w["properties"]["query"]]
    assert len(failures) == 1
    assert failures[0]["properties"]["region"] == "us-east-1"  # the trail's home region
    assert "eu-west-1" in failures[0]["properties"]["query"]  # filtered to this region's calls


def test_escalations_notify_the_encrypted_escalation_topic_of_their_region(example_plans: dict) -> None:
    """payments-prod turns escalation on: every escalation alarm notifies (and resolves on) its region's
    escalation topic, which is KMS-encrypted and has the inventory's escalation subscribers."""
    plan = example_plans["payments-prod"]
    account_id, regions = WORKLOADS["payments-prod"]
    topics = {t["inputs"]["name"]: t["inputs"] for t in resources(plan, TOPIC)}
    subscriptions = [s["inputs"] for s in resources(plan, "aws:sns/topicSubscription:TopicSubscription")]
    escalations = [a["inputs"] for a in resources(plan, ALARM) if "-escalation-" in a["inputs"]["name"]]
    assert {a["region"] for a in escalations} == set(regions)
    for region in regions:
        name = f"bedrock-payments-prod-{region}-alerts-escalation"
        assert topics[name]["kmsMasterKeyId"].startswith(f"arn:aws:kms:{region}:{account_id}:key/")
        arn = f"arn:aws:sns:{region}:{account_id}:{name}"
        mine = [a for a in escalations if a["region"] == region]
        assert mine and all(a["alarmActions"] == a["okActions"] == [arn] for a in mine)
        assert any(s["endpoint"] == "payments-management@example.com" and s["region"] == region for s in subscriptions)
    guardrails = [a["inputs"] for a in resources(plan, ALARM) if a["inputs"]["name"].endswith("-interventions-anomaly")]
    assert [a["region"] for a in guardrails] == ["us-east-1"]  # the guardrail's own region only
    assert not [a for a in resources(example_plans["research-dev"], ALARM) if "-escalation-" in a["inputs"]["name"]]


@pytest.mark.parametrize("stack", ["monitoring", *sorted(WORKLOADS)])
def test_no_dashboard_widget_holds_more_than_one_metrics_insights_query(example_plans: dict, stack: str) -> None:
    """GetMetricData runs one Metrics Insights query per request and the console draws a widget with one request:
    read from the planned bodies themselves, whatever builder made them."""
    for dashboard in resources(example_plans[stack], DASHBOARD):
        per_widget = insights_per_widget(dashboard["inputs"]["dashboardBody"])
        assert all(n <= 1 for n in per_widget.values()), (dashboard["inputs"]["dashboardName"], per_widget)
    if stack == "monitoring":  # the org dashboards do use Metrics Insights (one query per widget)
        bodies = [d["inputs"]["dashboardBody"] for d in resources(example_plans[stack], DASHBOARD)]
        assert sum(sum(insights_per_widget(b).values()) for b in bodies) > 0
