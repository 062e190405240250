"""The monitoring account's pure façade (`components.org_monitoring.specs`) is exactly what its stack deploys."""

from __future__ import annotations

import json

from components.org_monitoring.specs import org_context, org_specs
from inventory.load import STACKS_DIR, load_organisation
from tests.conftest import resources

ORG = load_organisation(STACKS_DIR / "org.yaml")


def _inputs(plan: dict, type_: str) -> list[dict]:
    return [r["inputs"] for r in resources(plan, type_)]


def test_the_monitoring_account_deploys_exactly_its_specs(example_plans: dict) -> None:
    plan = example_plans[ORG.monitoring_account.stack]
    specs = org_specs(org_context(ORG))
    policies = {
        p["inputs"]["region"]: json.loads(p["inputs"]["policy"])
        for p in resources(plan, "aws:oam/sinkPolicy:SinkPolicy")
    }
    assert policies == {s.region: s.policy for s in specs.sinks}
    sinks = {s["region"]: s["name"] for s in _inputs(plan, "aws:oam/sink:Sink")}
    assert sinks == {s.region: s.name for s in specs.sinks}
    alarms = {a["name"]: a for a in _inputs(plan, "aws:cloudwatch/metricAlarm:MetricAlarm")}
    assert {n: (a["region"], a["alarmDescription"]) for n, a in alarms.items()} == {
        a.name: (a.region, a.spec.description) for a in specs.alarms
    }
    dashboards = {
        d["inputs"]["dashboardName"]: d["inputs"] for d in resources(plan, "aws:cloudwatch/dashboard:Dashboard")
    }
    assert {n: d["dashboardBody"] for n, d in dashboards.items()} == {d.name: d.body_json for d in specs.dashboards}
    topics = {t["region"]: t["name"] for t in _inputs(plan, "aws:sns/topic:Topic")}
    assert topics == {region: specs.alert_topic_name for region in ORG.workload_regions}
