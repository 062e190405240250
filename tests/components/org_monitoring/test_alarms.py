"""Org alarms: valid PutMetricAlarm requests, Metrics Insights within quota, per-account error rates."""

from __future__ import annotations

import pulumi_aws as aws

from components.org_monitoring.alarms import org_alarms
from inventory.org_monitoring import OrgMonitoringSettings
from tests.botocore_requests import rendered_requests, validate
from tests.components.org_monitoring.common import MONITORING, REGIONS_10, org
from vocabulary import arns, names
from vocabulary import limits as quotas

# --- alarms: valid PutMetricAlarm requests --------------------------------------------------------------


def test_every_org_alarm_is_a_valid_put_metric_alarm_request():
    # What the component sends: each spec's pulumi_args, registered under the mock runtime and converted to
    # the PutMetricAlarm request (the example monitoring plan's alarms are validated the same way).
    workloads = org(3, ["us-east-1", "eu-west-1"])
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
    (ref,) = org(1, ["us-east-1"])
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
    specs = org_alarms(REGIONS_10, org(200, REGIONS_10), OrgMonitoringSettings().alarms)
    for region in REGIONS_10:
        insights = [s for s in specs if s.region == region and s.region_wide]
        assert len(insights) <= quotas.MAX_INSIGHTS_ALARMS_PER_REGION


def test_per_account_alarms_can_be_switched_off():
    settings = OrgMonitoringSettings.model_validate({"alarms": {"per_account_error_rate_alarms": False}})
    specs = org_alarms(["us-east-1"], org(5, ["us-east-1"]), settings.alarms)
    assert all(s.region_wide for s in specs)
