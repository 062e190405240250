"""OrgMonitoring / OamLink under Pulumi mocks: what each stack registers, with which inputs."""

from __future__ import annotations

import json

import pulumi
import pytest

from inventory.org_monitoring import OrgMonitoringSettings

MONITORING = "999999999999"


class _Mocks(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.resources: list[pulumi.runtime.MockResourceArgs] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs):
        self.resources.append(args)
        state = dict(args.inputs)
        region = args.inputs.get("region", "us-east-1")
        state.setdefault("arn", f"arn:aws:mock:{region}:{MONITORING}:{args.name}")
        if args.typ == "aws:kms/key:Key":
            state["keyId"] = f"key-{args.name}"
        if args.typ == "aws:grafana/workspace:Workspace":
            state["endpoint"] = "g-abc.grafana-workspace.us-east-1.amazonaws.com"
        if args.typ == "aws:grafana/workspaceServiceAccount:WorkspaceServiceAccount":
            state["serviceAccountId"] = "1"
        if args.typ == "aws:grafana/workspaceServiceAccountToken:WorkspaceServiceAccountToken":
            state["key"] = "glsa_mock"
        return f"{args.name}-id", state

    def call(self, args: pulumi.runtime.MockCallArgs):
        return {}

    def of_type(self, typ: str) -> list[pulumi.runtime.MockResourceArgs]:
        return [r for r in self.resources if r.typ == typ]


@pytest.fixture
def mocks():
    m = _Mocks()
    pulumi.runtime.set_mocks(m, preview=False)
    yield m


def _settings(**overrides) -> OrgMonitoringSettings:
    return OrgMonitoringSettings.model_validate(overrides)


def _org(settings: OrgMonitoringSettings):
    from components.org_monitoring import OrgMonitoring, OrgMonitoringArgs, WorkloadRef

    refs = [
        WorkloadRef("111111111111", "payments-prod", ("us-east-1", "eu-west-1"), ("amazon.titan-embed-text-v2:0",)),
        WorkloadRef("222222222222", "research-dev", ("us-west-2", "eu-west-1")),
    ]
    return OrgMonitoring(
        "org-monitoring",
        OrgMonitoringArgs(
            monitoring_account_id=MONITORING,
            home_region="us-east-1",
            # Unique, as the inventory's workload_regions are.
            regions=["us-east-1", "eu-west-1", "us-west-2"],
            workload_accounts=refs,
            settings=settings,
        ),
    )


def _run(program):
    """Run `program` to completion under the mocks (all registrations done), then return its outputs."""
    box: dict = {}

    @pulumi.runtime.test
    def _inner():
        outputs = program()
        return pulumi.Output.from_input(outputs).apply(lambda v: box.setdefault("v", v))

    _inner()
    return box.get("v")


def test_one_sink_per_region_named_for_the_plan_runner(mocks):
    from components.org_monitoring import sink_resource_name

    arns = _run(lambda: _org(_settings()).sink_arns)
    sinks = mocks.of_type("aws:oam/sink:Sink")
    expected = sorted(sink_resource_name(r) for r in ("us-east-1", "eu-west-1", "us-west-2"))
    assert sorted(s.name for s in sinks) == expected
    assert all(s.inputs["region"] in s.name for s in sinks)
    assert set(arns) == {"us-east-1", "eu-west-1", "us-west-2"}
    policies = mocks.of_type("aws:oam/sinkPolicy:SinkPolicy")
    assert len(policies) == 3
    # Each region's sink admits only the accounts with workloads there.
    principals = {p.inputs["region"]: json.loads(p.inputs["policy"])["Statement"][0]["Principal"] for p in policies}
    assert principals == {
        "us-east-1": {"AWS": ["111111111111"]},
        "eu-west-1": {"AWS": ["111111111111", "222222222222"]},
        "us-west-2": {"AWS": ["222222222222"]},
    }


def test_alert_topics_are_encrypted_with_protected_rotating_keys(mocks):
    _run(lambda: _org(_settings(notifications={"emails": ["ops@example.com"]})).alert_topic_arns)
    keys = mocks.of_type("aws:kms/key:Key")
    assert len(keys) == 3
    assert all(k.inputs["enableKeyRotation"] and k.inputs["deletionWindowInDays"] == 30 for k in keys)
    topics = mocks.of_type("aws:sns/topic:Topic")
    assert len(topics) == 3 and all(t.inputs["kmsMasterKeyId"].startswith("arn:") for t in topics)
    subs = mocks.of_type("aws:sns/topicSubscription:TopicSubscription")
    assert len(subs) == 3 and {s.inputs["protocol"] for s in subs} == {"email"}
    regional = [r for r in mocks.resources if r.typ.startswith("aws:")]
    assert regional and all("region" in r.inputs for r in regional)


def test_org_alarms_and_dashboards_without_grafana_by_default(mocks):
    _run(lambda: _org(_settings()).alert_topic_arns)
    alarms = mocks.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")
    # 3 region-wide per region + one error-rate alarm per (account, region): 2 + 2.
    assert len(alarms) == 3 * 3 + 4
    for alarm in alarms:
        assert alarm.inputs["alarmActions"] == alarm.inputs["okActions"]
        assert sum(bool(q.get("returnData")) for q in alarm.inputs["metricQueries"]) == 1
    dashboards = mocks.of_type("aws:cloudwatch/dashboard:Dashboard")
    assert sorted(d.name for d in dashboards) == [
        "bedrock-org-eu-west-1",
        "bedrock-org-overview",
        "bedrock-org-us-east-1",
        "bedrock-org-us-west-2",
    ]
    assert all(d.inputs["region"] == "us-east-1" for d in dashboards)
    assert not [r for r in mocks.resources if "grafana" in r.typ]


def test_grafana_when_enabled(mocks):
    url = _run(lambda: _org(_settings(grafana={"enabled": True})).grafana_url)
    assert url == "https://g-abc.grafana-workspace.us-east-1.amazonaws.com"
    (ws,) = mocks.of_type("aws:grafana/workspace:Workspace")
    assert ws.inputs["dataSources"] == ["CLOUDWATCH"] and ws.inputs["permissionType"] == "CUSTOMER_MANAGED"
    assert mocks.of_type("grafana:oss/dataSource:DataSource")
    (dash,) = mocks.of_type("grafana:oss/dashboard:Dashboard")
    assert json.loads(dash.inputs["configJson"])["uid"] == "bedrock-org"
    assert mocks.of_type("pulumi:providers:grafana")


def test_oam_link_shares_only_bedrock_metrics_by_default(mocks):
    from components.org_monitoring import OamLink, OamLinkArgs

    _run(
        lambda: (
            OamLink(
                "payments-prod-us-east-1-oam",
                OamLinkArgs(
                    account_name="payments-prod",
                    region="us-east-1",
                    sink_identifier="arn:aws:oam:us-east-1:999999999999:sink/abc",
                ),
            ).arn
        )
    )
    (res,) = mocks.of_type("aws:oam/link:Link")
    assert res.inputs["region"] == "us-east-1"
    assert res.inputs["labelTemplate"] == "$AccountName"
    assert res.inputs["resourceTypes"] == ["AWS::CloudWatch::Metric"]
    cfg = res.inputs["linkConfiguration"]
    assert cfg["metricConfiguration"]["filter"] == "Namespace IN ('AWS/Bedrock')"
    assert "logGroupConfiguration" not in cfg


def test_oam_link_shares_platform_log_groups_only_when_opted_in(mocks):
    from components.org_monitoring import OamLink, OamLinkArgs

    _run(
        lambda: (
            OamLink(
                "payments-prod-us-east-1-oam",
                OamLinkArgs(
                    account_name="payments-prod",
                    region="us-east-1",
                    sink_identifier="arn:aws:oam:us-east-1:999999999999:sink/abc",
                    share_log_groups=True,
                ),
            ).arn
        )
    )
    (res,) = mocks.of_type("aws:oam/link:Link")
    assert res.inputs["resourceTypes"] == ["AWS::CloudWatch::Metric", "AWS::Logs::LogGroup"]
    cfg = res.inputs["linkConfiguration"]
    assert cfg["logGroupConfiguration"]["filter"] == "LogGroupName LIKE '/bedrock-observability/%'"


@pytest.mark.parametrize("share", [False, True])
def test_sink_policies_follow_share_log_groups(mocks, share):
    _run(lambda: _org(_settings(share_log_groups=share)).sink_arns)
    for policy in mocks.of_type("aws:oam/sinkPolicy:SinkPolicy"):
        (stmt,) = json.loads(policy.inputs["policy"])["Statement"]
        types = stmt["Condition"]["ForAllValues:StringEquals"]["oam:ResourceTypes"]
        assert types == (["AWS::CloudWatch::Metric", "AWS::Logs::LogGroup"] if share else ["AWS::CloudWatch::Metric"])
