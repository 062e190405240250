"""OrgMonitoring / OamLink under the plan recorder: what each stack registers, with which inputs."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from components.org_monitoring.component import OrgMonitoring, OrgMonitoringArgs
from components.org_monitoring.link import OamLink, OamLinkArgs
from components.org_monitoring.refs import WorkloadRef
from components.org_monitoring.specs import OrgContext
from inventory.org_monitoring import OrgMonitoringSettings
from obsctl.plan.placeholders import sink_arn
from obsctl.plan.recorder import Registration
from tests import harness
from vocabulary import names

MONITORING = "999999999999"


def _settings(**overrides) -> OrgMonitoringSettings:
    return OrgMonitoringSettings.model_validate(overrides)


def _org(settings: OrgMonitoringSettings) -> OrgMonitoring:
    refs = (
        WorkloadRef(
            account_id="111111111111",
            name="payments-prod",
            regions=("us-east-1", "eu-west-1"),
            models=("amazon.titan-embed-text-v2:0",),
        ),
        WorkloadRef(account_id="222222222222", name="research-dev", regions=("us-west-2", "eu-west-1")),
    )
    return OrgMonitoring(
        "org-monitoring",
        OrgMonitoringArgs(
            context=OrgContext(
                monitoring_account_id=MONITORING,
                home_region="us-east-1",
                # Unique, as the inventory's workload_regions are.
                regions=("us-east-1", "eu-west-1", "us-west-2"),
                workloads=refs,
                settings=settings,
            )
        ),
    )


def _run(program: Callable[[], Any]) -> tuple[harness.Recorded, Any]:
    """Run `program` to completion under the recorder (all registrations done); its registrations and outputs."""
    return harness.run(program, account_id=MONITORING)


def test_one_sink_per_region_at_the_arn_the_plan_runner_gives_workload_stacks():
    mocks, arns = _run(lambda: _org(_settings()).sink_arns)
    sinks = mocks.of_type("aws:oam/sink:Sink")
    expected = sorted(f"org-monitoring-sink-{r}" for r in ("us-east-1", "eu-west-1", "us-west-2"))
    assert sorted(s.name for s in sinks) == expected
    assert all(s.inputs["region"] in s.name and s.inputs["name"] == names.SINK_NAME for s in sinks)
    assert set(arns) == {"us-east-1", "eu-west-1", "us-west-2"}
    # What a workload stack's plan reads from the monitoring stack (obsctl.plan.runner): derived from the
    # sink's account, region and physical name, never from a logical name.
    assert arns == {region: sink_arn(MONITORING, region, names.SINK_NAME) for region in arns}
    policies = mocks.of_type("aws:oam/sinkPolicy:SinkPolicy")
    assert len(policies) == 3
    # Each region's sink admits only the accounts with workloads there.
    principals = {p.inputs["region"]: json.loads(p.inputs["policy"])["Statement"][0]["Principal"] for p in policies}
    assert principals == {
        "us-east-1": {"AWS": ["111111111111"]},
        "eu-west-1": {"AWS": ["111111111111", "222222222222"]},
        "us-west-2": {"AWS": ["222222222222"]},
    }


def test_alert_topics_are_encrypted_with_protected_rotating_keys():
    mocks, _ = _run(lambda: _org(_settings(notifications={"emails": ["ops@example.com"]})).alert_topic_arns)
    keys = mocks.of_type("aws:kms/key:Key")
    assert len(keys) == 3
    assert all(k.inputs["enableKeyRotation"] and k.inputs["deletionWindowInDays"] == 30 for k in keys)
    topics = mocks.of_type("aws:sns/topic:Topic")
    assert len(topics) == 3 and all(t.inputs["kmsMasterKeyId"].startswith("arn:") for t in topics)
    subs = mocks.of_type("aws:sns/topicSubscription:TopicSubscription")
    assert len(subs) == 3 and {s.inputs["protocol"] for s in subs} == {"email"}
    regional = [r for r in mocks.resources if r.type.startswith("aws:")]
    assert regional and all("region" in r.inputs for r in regional)


def test_org_alarms_and_dashboards_without_grafana_by_default():
    mocks, _ = _run(lambda: _org(_settings()).alert_topic_arns)
    alarms = mocks.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")
    # 3 region-wide per region + one error-rate alarm per (account, region): 2 + 2.
    assert len(alarms) == 3 * 3 + 4
    for alarm in alarms:
        assert alarm.inputs["alarmActions"] == alarm.inputs["okActions"]
        assert sum(bool(q.get("returnData")) for q in alarm.inputs["metricQueries"]) == 1
    dashboards = mocks.of_type("aws:cloudwatch/dashboard:Dashboard")
    assert sorted(d.inputs["dashboardName"] for d in dashboards) == [
        "bedrock-org-eu-west-1",
        "bedrock-org-management",
        "bedrock-org-overview",
        "bedrock-org-us-east-1",
        "bedrock-org-us-west-2",
    ]
    assert all(d.inputs["region"] == "us-east-1" for d in dashboards)
    assert not [r for r in mocks.resources if "grafana" in r.type]


def test_grafana_when_enabled():
    mocks, url = _run(lambda: _org(_settings(grafana={"enabled": True})).grafana_url)
    (ws,) = mocks.of_type("aws:grafana/workspace:Workspace")
    assert url == f"https://{ws.outputs['endpoint']}" and url.endswith(".grafana-workspace.us-east-1.amazonaws.com")
    assert ws.inputs["dataSources"] == ["CLOUDWATCH"] and ws.inputs["permissionType"] == "CUSTOMER_MANAGED"
    assert mocks.of_type("grafana:oss/dataSource:DataSource")
    (dash,) = mocks.of_type("grafana:oss/dashboard:Dashboard")
    assert json.loads(dash.inputs["configJson"])["uid"] == "bedrock-org"
    assert mocks.of_type("pulumi:providers:grafana")


def _link(share_log_groups: bool) -> Registration:
    args = OamLinkArgs(
        account_name="payments-prod",
        region="us-east-1",
        sink_identifier="arn:aws:oam:us-east-1:999999999999:sink/abc",
        share_log_groups=share_log_groups,
    )
    mocks, _ = _run(lambda: OamLink("payments-prod-us-east-1-oam", args).arn)
    (link,) = mocks.of_type("aws:oam/link:Link")
    return link


def test_oam_link_shares_only_bedrock_metrics_by_default():
    res = _link(share_log_groups=False)
    assert res.inputs["region"] == "us-east-1"
    assert res.inputs["labelTemplate"] == "$AccountName"
    assert res.inputs["resourceTypes"] == ["AWS::CloudWatch::Metric"]
    cfg = res.inputs["linkConfiguration"]
    assert cfg["metricConfiguration"]["filter"] == "Namespace IN ('AWS/Bedrock')"
    assert "logGroupConfiguration" not in cfg


def test_oam_link_shares_platform_log_groups_only_when_opted_in():
    res = _link(share_log_groups=True)
    assert res.inputs["resourceTypes"] == ["AWS::CloudWatch::Metric", "AWS::Logs::LogGroup"]
    cfg = res.inputs["linkConfiguration"]
    assert cfg["logGroupConfiguration"]["filter"] == "LogGroupName LIKE '/bedrock-observability/%'"


@pytest.mark.parametrize("share", [False, True])
def test_sink_policies_follow_share_log_groups(share):
    mocks, _ = _run(lambda: _org(_settings(share_log_groups=share)).sink_arns)
    for policy in mocks.of_type("aws:oam/sinkPolicy:SinkPolicy"):
        (stmt,) = json.loads(policy.inputs["policy"])["Statement"]
        types = stmt["Condition"]["ForAllValues:StringEquals"]["oam:ResourceTypes"]
        assert types == (["AWS::CloudWatch::Metric", "AWS::Logs::LogGroup"] if share else ["AWS::CloudWatch::Metric"])
