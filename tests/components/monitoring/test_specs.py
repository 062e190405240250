"""The pure façades (`components.monitoring.specs`, `components.org_monitoring.specs`): what `obsctl verify`
reads is exactly what the program deploys, and importing them loads no Pulumi module."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from components.monitoring.specs import region_context, regional_specs
from inventory.load import PROJECT_DIR, STACKS_DIR, load_organisation
from tests.conftest import resources

ORG = load_organisation(STACKS_DIR / "org.yaml")


def test_the_facades_import_no_pulumi_module() -> None:
    code = (
        "import sys, components.monitoring.specs, components.org_monitoring.specs; "
        "print(sorted(m for m in sys.modules if m.split('.')[0].startswith('pulumi')))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_DIR, capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"


def _by(plan: dict, type_: str, region: str, key: str) -> dict[str, dict]:
    return {r["inputs"][key]: r["inputs"] for r in resources(plan, type_) if r["inputs"].get("region") == region}


@pytest.mark.parametrize("account", ORG.workload_accounts, ids=lambda a: a.name)
def test_every_region_deploys_exactly_its_specs(example_plans: dict, account) -> None:
    plan = example_plans[account.name]
    for region in account.regions:
        specs = regional_specs(region_context(account, region))
        alarms = _by(plan, "aws:cloudwatch/metricAlarm:MetricAlarm", region, "name")
        assert set(alarms) == {s.name for s in specs.metric_alarms}
        for spec in specs.metric_alarms:
            assert alarms[spec.name]["alarmDescription"] == spec.description
            assert alarms[spec.name].get("threshold") == spec.threshold
        composites = _by(plan, "aws:cloudwatch/compositeAlarm:CompositeAlarm", region, "alarmName")
        assert {n: c["alarmRule"] for n, c in composites.items()} == {s.name: s.rule for s in specs.composite_alarms}
        filters = _by(plan, "aws:cloudwatch/logMetricFilter:LogMetricFilter", region, "name")
        assert {n: (f["logGroupName"], f["pattern"]) for n, f in filters.items()} == {
            f.name: (f.log_group_name, f.pattern) for f in specs.metric_filters
        }
        dashboards = _by(plan, "aws:cloudwatch/dashboard:Dashboard", region, "dashboardName")
        assert {n: json.loads(d["dashboardBody"]) for n, d in dashboards.items()} == {
            d.name: d.render() for d in specs.dashboards
        }
        queries = _by(plan, "aws:cloudwatch/queryDefinition:QueryDefinition", region, "name")
        assert {n: (q["logGroupNames"], q["queryString"]) for n, q in queries.items()} == {
            q.name: (list(q.log_group_names), q.query) for q in specs.saved_queries
        }
        topics = _by(plan, "aws:sns/topic:Topic", region, "name")
        assert set(topics) == set(specs.topic_names.values())


def test_a_region_the_account_does_not_use_is_refused_naming_the_fix() -> None:
    account = ORG.workload_accounts[0]
    with pytest.raises(ValueError, match=r"does not use region 'ap-south-1'; fix: use one of us-east-1, eu-west-1"):
        region_context(account, "ap-south-1")
