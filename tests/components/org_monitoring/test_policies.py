"""Least privilege of the monitoring account: sink policies, what links share, Grafana, alert key and topic."""

from __future__ import annotations

import json

import pytest

from components.alerting.specs import topic_policy
from components.org_monitoring.link import OamLinkArgs
from components.storage.kms import RegionalKeyArgs, key_policy_statements
from inventory.org_monitoring import OrgMonitoringSettings
from tests.components.org_monitoring.common import MONITORING
from vocabulary import arns, names, oam, role_policies

# --- sink policy: least privilege ----------------------------------------------------------------------


def test_sink_policy_admits_only_workload_accounts_and_only_metrics_by_default():
    doc = oam.sink_policy(["222222222222", "111111111111", "111111111111", MONITORING], None, MONITORING)
    assert doc["Version"] == "2012-10-17"
    (stmt,) = doc["Statement"]
    assert stmt["Effect"] == "Allow"
    assert stmt["Principal"] == {"AWS": ["111111111111", "222222222222"]}
    assert sorted(stmt["Action"]) == ["oam:CreateLink", "oam:UpdateLink"]
    assert stmt["Condition"]["ForAllValues:StringEquals"]["oam:ResourceTypes"] == ["AWS::CloudWatch::Metric"]
    assert stmt["Condition"]["Null"] == {"oam:ResourceTypes": "false"}
    assert "AWS::XRay::Trace" not in json.dumps(doc) and "AWS::Logs::LogGroup" not in json.dumps(doc)


def test_sink_policy_admits_log_groups_only_when_opted_in():
    doc = oam.sink_policy(["111111111111"], None, MONITORING, share_log_groups=True)
    (stmt,) = doc["Statement"]
    assert stmt["Condition"]["ForAllValues:StringEquals"]["oam:ResourceTypes"] == [
        "AWS::CloudWatch::Metric",
        "AWS::Logs::LogGroup",
    ]


@pytest.mark.parametrize("share", [False, True])
def test_links_share_exactly_what_the_sink_policy_admits(share: bool):
    link = OamLinkArgs(account_name="a", region="us-east-1", sink_identifier="arn", share_log_groups=share)
    (stmt,) = oam.sink_policy(["111111111111"], None, MONITORING, share_log_groups=share)["Statement"]
    assert list(link.resource_types) == stmt["Condition"]["ForAllValues:StringEquals"]["oam:ResourceTypes"]


def test_link_defaults_to_metrics_only():
    args = OamLinkArgs(account_name="a", region="us-east-1", sink_identifier="arn")
    assert args.resource_types == ("AWS::CloudWatch::Metric",)
    assert OrgMonitoringSettings().share_log_groups is False


def test_grafana_reads_logs_only_when_log_groups_are_shared():
    default = json.loads(role_policies.grafana_read_policy())
    assert not [a for s in default["Statement"] for a in s["Action"] if a.startswith("logs:")]
    shared = json.loads(role_policies.grafana_read_policy(read_logs=True))
    assert "logs:StartQuery" in shared["Statement"][0]["Action"]


def test_sink_policy_with_organization_scopes_the_wildcard_principal_to_the_org():
    doc = oam.sink_policy(["111111111111"], "o-a1b2c3d4e5", MONITORING)
    (stmt,) = doc["Statement"]
    assert stmt["Principal"] == "*"
    assert stmt["Condition"]["StringEquals"] == {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}
    assert "ForAllValues:StringEquals" in stmt["Condition"]


def test_sink_policy_refuses_to_be_empty():
    with pytest.raises(ValueError, match="at least one workload account"):
        oam.sink_policy([], None, MONITORING)


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
