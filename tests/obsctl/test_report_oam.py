"""The monitoring-account path of `obsctl report`, which moto cannot emulate (no OAM, no AccountId on
GetMetricData, no percentiles, no pagination): a real botocore CloudWatch client, so every request is
validated against AWS's own API model, answered by botocore's Stubber. Proves the request shape: one role,
queries carrying `AccountId`, at most 500 queries per call, NextToken pages merged, percentiles read per
period; and that an account whose own role fails keeps its metrics."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import boto3
import pytest
import yaml
from botocore.exceptions import ClientError
from botocore.stub import Stubber

from inventory.load import STACKS_DIR
from inventory.models import Organisation
from obsctl.aws.errors import AwsProblem
from obsctl.report.collect import Collector
from obsctl.report.metrics import PERCENTILE_FIELDS, SUM_FIELDS
from obsctl.report.window import Window
from tests.obsctl.test_report import END, HAIKU, SONNET
from vocabulary import names

ACCOUNTS = 60  # x 2 models x 8 sum queries = 960: two GetMetricData calls (500 + 460)
MONITORING_ROLE = "arn:aws:iam::999999999999:role/bedrock-observability-deploy"
WINDOW = Window(END, 7)


def big_org() -> Organisation:
    data = yaml.safe_load((STACKS_DIR / "org.yaml").read_text())
    data["workload_accounts"] = [
        {
            "name": f"team-{index:03d}",
            "account_id": f"{300000000000 + index:012d}",
            "deploy_role_arn": f"arn:aws:iam::{300000000000 + index:012d}:role/bedrock-observability-deploy",
            "environment": "prod",
            "regions": ["us-east-1"],
            "models": [SONNET, HAIKU],
        }
        for index in range(ACCOUNTS)
    ]
    return Organisation.model_validate(data)


class _Session:
    def __init__(self, client: Any) -> None:
        self._client = client

    def client(self, service: str, region: str) -> Any:
        assert (service, region) == ("cloudwatch", "us-east-1")
        return self._client


class FakeSessions:
    """The monitoring role works; every workload account's own role is denied."""

    def __init__(self, cloudwatch: Any) -> None:
        self.cloudwatch = cloudwatch
        self.roles: list[str] = []

    def for_role(self, arn: str) -> _Session:
        self.roles.append(arn)
        if arn != MONITORING_ROLE:
            raise ClientError({"Error": {"Code": "AccessDenied", "Message": "not authorized"}}, "AssumeRole")
        return _Session(self.cloudwatch)


def result(query_id: str, points: list[tuple[Any, float]], status: str = "Complete") -> dict[str, Any]:
    return {
        "Id": query_id,
        "Timestamps": [t for t, _ in points],
        "Values": [v for _, v in points],
        "StatusCode": status,
    }


def test_one_role_reads_every_account_with_account_id_in_500_query_pages() -> None:
    client = boto3.client("cloudwatch", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y")
    sent: list[dict[str, Any]] = []
    client.meta.events.register(
        "provide-client-params.cloudwatch.GetMetricData", lambda params, **_: sent.append(dict(params))
    )
    stubber = Stubber(client)
    now, before = END - timedelta(hours=2), END - timedelta(days=8)
    sums_per_account = 2 * len(SUM_FIELDS)
    # Sums, first 500 queries, in two pages; q0 = invocations of team-000's first model.
    stubber.add_response(
        "get_metric_data",
        {"MetricDataResults": [result("q0", [(before, 4.0), (now, 5.0)], "PartialData")], "NextToken": "page-2"},
    )
    stubber.add_response("get_metric_data", {"MetricDataResults": [result("q0", [(now + timedelta(hours=1), 7.0)])]})
    # Sums, the next 500 queries: team-042's second model, third sum field (server errors).
    server_errors = 42 * sums_per_account + len(SUM_FIELDS) + 2 - 500
    stubber.add_response("get_metric_data", {"MetricDataResults": [result(f"q{server_errors}", [(now, 3.0)])]})
    # Sums, the remaining 200 queries (a prompt-cache kind is read under both spellings of its metric).
    stubber.add_response("get_metric_data", {"MetricDataResults": []})
    # Percentiles, one value per period: q1 = team-000 first model p95, q2 its time to first token p95.
    stubber.add_response(
        "get_metric_data",
        {"MetricDataResults": [result("q1", [(before, 900.0), (WINDOW.start, 1200.0)]), result("q2", [(now, 300.0)])]},
    )
    stubber.add_response("get_metric_data", {"MetricDataResults": [result("q0", [(now, 1100.0)])]})
    org_alarm = names.org_alarm_name("us-east-1", "throttles")
    stubber.add_response(
        "describe_alarms",
        {
            "MetricAlarms": [
                {
                    "AlarmName": org_alarm,
                    "StateValue": "ALARM",
                    "StateReason": "Threshold Crossed",
                    "StateUpdatedTimestamp": now,
                }
            ],
            "CompositeAlarms": [],
        },
        {"AlarmNamePrefix": "bedrock-org-", "StateValue": "ALARM", "AlarmTypes": ["MetricAlarm", "CompositeAlarm"]},
    )
    stubber.activate()
    org = big_org()
    sessions = FakeSessions(client)

    report = Collector(org, list(org.workload_accounts), WINDOW, "monitoring", sessions).collect("org", concurrency=4)  # type: ignore[arg-type]

    stubber.assert_no_pending_responses()
    accounts = [a.account_id for a in org.workload_accounts]
    # Six calls: sums in 500 + 500 + 200 queries (the first one paged), percentiles, p95 latency series.
    assert [len(call["MetricDataQueries"]) for call in sent] == [500, 500, 500, 200, 360, 120]
    assert "NextToken" not in sent[0] and sent[1]["NextToken"] == "page-2"
    sums = sent[0]["MetricDataQueries"] + sent[2]["MetricDataQueries"] + sent[3]["MetricDataQueries"]
    assert [q["AccountId"] for q in sums] == [a for a in accounts for _ in range(sums_per_account)]
    assert {q["AccountId"] for q in sent[4]["MetricDataQueries"] + sent[5]["MetricDataQueries"]} == set(accounts)
    for call in sent:
        ids = [q["Id"] for q in call["MetricDataQueries"]]
        assert len(set(ids)) == len(ids) and call["EndTime"] == END
    assert [call["StartTime"] for call in sent] == [WINDOW.previous_start] * 5 + [WINDOW.start]
    assert {q["MetricStat"]["Stat"] for q in sent[4]["MetricDataQueries"]} == {s for _, _, s in PERCENTILE_FIELDS}
    assert {q["MetricStat"]["Period"] for q in sent[4]["MetricDataQueries"]} == {7 * 86_400}
    assert {q["MetricStat"]["Period"] for q in sums} == {3_600}

    first = report.accounts[0].rows[0]
    assert (first.account, first.model) == ("team-000", SONNET)
    assert (first.current.invocations, first.previous.invocations) == (12.0, 4.0)  # both pages merged
    assert (first.current.latency_p95_ms, first.previous.latency_p95_ms) == (1200.0, 900.0)
    assert first.current.ttft_p95_ms == 300.0
    assert report.accounts[42].rows[1].current.server_errors == 3.0
    assert [a.name for a in report.org_alarms] == [org_alarm]
    # The deploy roles were refused: each account says so once, and keeps its metrics.
    assert sessions.roles.count(MONITORING_ROLE) >= 1
    assert all(len(a.problems) == 1 and "sts:AssumeRole" in a.problems[0] for a in report.accounts)
    assert report.problems == []


@pytest.mark.parametrize("via", ["monitoring", "accounts"])
def test_account_id_only_on_cross_account_reads(via: str) -> None:
    from obsctl.report.metrics import model_groups

    groups = model_groups(WINDOW, "111111111111", "us-east-1", [SONNET], cross_account=via == "monitoring")
    queries = [r.query(f"q{i}") for g in groups for i, r in enumerate(g.requests)]
    assert all(("AccountId" in q) == (via == "monitoring") for q in queries)
    assert all(q["MetricStat"]["Metric"]["Dimensions"] == [{"Name": "ModelId", "Value": SONNET}] for q in queries)


def test_a_monitoring_role_that_cannot_be_assumed_stops_the_report() -> None:
    class Denied:
        def for_role(self, arn: str) -> Any:
            raise ClientError({"Error": {"Code": "AccessDenied", "Message": "not authorized"}}, "AssumeRole")

    org = big_org()
    collector = Collector(org, list(org.workload_accounts), WINDOW, "monitoring", Denied())  # type: ignore[arg-type]
    with pytest.raises(AwsProblem) as raised:
        collector.monitoring_session()
    assert str(raised.value).startswith(f"sts:AssumeRole {MONITORING_ROLE} failed in the monitoring account")
    assert raised.value.kind == "denied"
