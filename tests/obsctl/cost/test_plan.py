"""The cost estimate of real plans: in every plan document, from the inventory's assumptions, on the CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from obsctl.cost.model import DAYS_PER_MONTH
from tests.conftest import obsctl, org_data

MODEL = "anthropic.claude-3-5-sonnet-20240620-v1:0"


def _cost(plan: dict[str, Any]) -> dict[str, Any]:
    return plan["x-bedrock-observability"]["costEstimate"]


def _quantity(cost: dict[str, Any], price: str, region: str | None = None) -> float:
    return sum(i["quantity"] for i in cost["items"] if i["price"] == price and region in (None, i["region"]))


@pytest.mark.parametrize("stack", ["monitoring", "payments-prod", "research-dev"])
def test_every_plan_document_carries_its_breakdown(example_plans: dict, stack: str) -> None:
    cost = _cost(example_plans[stack])
    assert cost["currency"] == "USD" and cost["monthlyUsd"] > 0
    assert sum(p["monthlyUsd"] for p in cost["places"]) == pytest.approx(cost["monthlyUsd"], abs=0.05)
    assert sum(cost["components"].values()) == pytest.approx(cost["monthlyUsd"], abs=0.05)
    for component, usd in cost["components"].items():
        items = [i["monthlyUsd"] for i in cost["items"] if i["component"] == component]
        assert sum(items) == pytest.approx(usd, abs=0.01), component
    # Every price used is described with its public page and the date it was read.
    for described in cost["prices"]["used"].values():
        assert described["page"].startswith("https://") and described["read"]


def test_workload_alarm_metrics_are_counted_from_the_plan(example_plans: dict) -> None:
    payments, research = _cost(example_plans["payments-prod"]), _cost(example_plans["research-dev"])
    # Per model: latency 2 x 1, error rate 2 x 3, throttles 2 x 1, tokens 2 x 2, anomaly 2 x (1 x 3) = 20;
    # per region 3 delivery-failure metrics; in the trail's home region 3 security alarms of 1 metric.
    # payments-prod: us-east-1 has 3 models (the us. profile is watched in us-east-1 only), eu-west-1 has 2.
    # It escalates after 15 and 30 minutes: each critical alarm again, twice (latency 1 + error rate 3 +
    # throttles 1 + tokens 2 = 7 metrics, x 2 = 14 per model). The sonnet models have a quota in us-east-1 and
    # the 3.5 one in eu-west-1 (1 metric x 2 tiers, + 2 escalations); the us. profile an OTPS alarm (3 metrics x
    # 2 tiers, + 2 escalations); a guardrail in us-east-1 (anomaly band: 1 x 3).
    assert _quantity(payments, "cloudwatch.alarm_metric", "us-east-1") == 3 * (20 + 14) + 2 * 4 + 3 * 4 + 3 + 3 + 3
    assert _quantity(payments, "cloudwatch.alarm_metric", "eu-west-1") == 2 * (20 + 14) + 4 + 3
    # research-dev turns anomaly detection off: 14 per model, 2 models.
    assert _quantity(research, "cloudwatch.alarm_metric", "us-west-2") == 2 * 14 + 3 + 3
    assert _quantity(research, "cloudwatch.alarm_metric", "ap-southeast-2") == 2 * 14 + 3
    # One composite per model and region: 3 + 2.
    assert _quantity(payments, "cloudwatch.composite_alarm") == 5
    # Dashboards: 3 per region; 3 free per account. payments-prod 6 -> 3 billed; research-dev 9 -> 6.
    assert _quantity(payments, "cloudwatch.dashboard", "") == 3
    assert _quantity(research, "cloudwatch.dashboard", "") == 6


def test_monitoring_insights_alarms_are_billed_per_series_the_inventory_puts_there(example_plans: dict) -> None:
    cost = _cost(example_plans["monitoring"])
    # 3 Metrics Insights alarms per region, each analysing one series per account x model of the region:
    # us-east-1: payments-prod's 3 models; eu-west-1: its 2; us-west-2: research-dev's 2.
    assert _quantity(cost, "cloudwatch.metrics_insights_alarm_metric", "us-east-1") == 3 * 3
    assert _quantity(cost, "cloudwatch.metrics_insights_alarm_metric", "eu-west-1") == 3 * 2
    assert _quantity(cost, "cloudwatch.metrics_insights_alarm_metric", "us-west-2") == 3 * 2
    # No traffic of its own: no logs, no buckets.
    assert not {"logs ingestion", "s3 storage"} & set(cost["components"])


def _one_region_org(**cost_settings: Any) -> dict[str, Any]:
    org = org_data()
    account = org["workload_accounts"][0]
    account["regions"] = ["us-east-1"]
    account["models"] = [MODEL]
    account["settings"] = {"cost_assumptions": cost_settings.pop("account", {})}
    org["workload_accounts"] = [account]
    org["defaults"]["cost_assumptions"] = cost_settings
    return org


def test_one_region_one_model_stack_counted_by_hand(plan_inventory: Callable[..., Any]) -> None:
    # Org-wide 1,000 invocations/day; the account itself logs 16 KB records.
    plan = plan_inventory(_one_region_org(invocations_per_day=1000, account={"avg_payload_kb": 16}), "payments-prod")
    cost = _cost(plan)
    assumptions = cost["assumptions"]["111111111111"]
    assert assumptions["invocations_per_day"] == 1000 and assumptions["avg_payload_kb"] == 16
    assert assumptions["large_payload_share"] == 0.02  # the default
    # Alarms: 20 metrics for the one model + 3 delivery + 3 security = 26 standard; 1 composite.
    assert _quantity(cost, "cloudwatch.alarm_metric") == 26
    assert _quantity(cost, "cloudwatch.composite_alarm") == 1
    # 3 dashboards, all within the free allowance; 3 security metric filters; 1 key + 2 billed rotations.
    assert _quantity(cost, "cloudwatch.dashboard") == 0
    assert _quantity(cost, "cloudwatch.custom_metric") == 3
    assert (_quantity(cost, "kms.key"), _quantity(cost, "kms.rotation")) == (1, 2)
    # Invocation log group: 980 records x 16 KB + 20 large records x 1 KB stub = 15,700 KB a day.
    logs = [i for i in cost["items"] if i["price"] == "cloudwatch.logs_ingestion" and "model-invocations" in i["what"]]
    assert [i["quantity"] for i in logs] == [pytest.approx(15_700 / 1024**2 * DAYS_PER_MONTH)]
    # CloudTrail: 5,000 other + 1,000 Bedrock management events (free, first trail); 500 data events a day.
    assert _quantity(cost, "cloudtrail.data_event") == pytest.approx(500 * DAYS_PER_MONTH)


def test_bad_assumption_in_the_inventory_is_refused(plan_inventory: Callable[..., Any]) -> None:
    refused = plan_inventory(_one_region_org(large_payload_share=2), "payments-prod")
    assert isinstance(refused, str)
    assert "defaults.cost_assumptions.large_payload_share = 2" in refused and "not a percentage" in refused


def test_region_without_a_price_refuses_the_estimate_not_the_plan(plan_inventory: Callable[..., Any]) -> None:
    org = _one_region_org()
    org["workload_accounts"][0]["regions"] = ["ap-northeast-1"]
    plan = plan_inventory(org, "payments-prod")
    assert isinstance(plan, dict) and plan["steps"]
    estimate = plan["x-bedrock-observability"]["costEstimate"]
    assert set(estimate) == {"error"}  # no total at all, never a partial sum or 0
    refused = estimate["error"]
    assert refused.startswith("Cost estimate refused: no price for ")
    assert "'ap-northeast-1'" in refused and "fix: add the ap-northeast-1 list price" in refused


def test_cli_prints_the_estimate_and_applies_overrides(tmp_path: Path) -> None:
    result = obsctl(
        "plan", "--stack", "research-dev", "--out-dir", str(tmp_path), "--invocations-per-day", "20000", "--json", "-"
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)  # only the summary on stdout; the tables went to stderr
    [stack] = summary["stacks"]
    cost = stack["costEstimate"]
    assert cost["assumptions"]["222222222222"]["invocations_per_day"] == 20000
    assert summary["monthlyUsd"] == cost["monthlyUsd"]
    assert "research-dev estimated cost: USD" in result.stderr and "20,000 invocations/day" in result.stderr
    # The plan document carries the same estimate.
    document = json.loads((tmp_path / "research-dev.json").read_text())
    assert _cost(document) == cost


def test_cli_refuses_a_bad_override() -> None:
    result = obsctl("plan", "--stack", "monitoring", "--out", "/dev/null", "--large-payload-share", "5")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "--large-payload-share = 5.0: must be a finite number from 0 to 1" in result.stderr


def test_json_summary_file_is_written_with_its_directory(tmp_path: Path) -> None:
    from obsctl.commands.plan import _write_summary

    target = tmp_path / "reports" / "plan.json"
    _write_summary({"stacks": [], "failed": [], "monthlyUsd": 0}, target)
    assert json.loads(target.read_text()) == {"stacks": [], "failed": [], "monthlyUsd": 0}


def _outcome(stack: str, cost: dict[str, Any] | None) -> Any:
    from obsctl.plan.batch import PlanOutcome

    return PlanOutcome(stack, Path(f"{stack}.json"), 1, {}, None, 0.1, cost)


def test_summary_total_is_null_when_any_estimate_is_unknown() -> None:
    from obsctl.commands.plan import _summary, _total_line

    known = [_outcome("a", {"monthlyUsd": 10.5}), _outcome("b", {"monthlyUsd": 2.25})]
    assert _summary(known)["monthlyUsd"] == 12.75 and _summary(known)["costUnknown"] == []
    assert _total_line(known) == "estimated USD 12.75/month"
    refused = [*known, _outcome("c", {"error": "Cost estimate refused: no price for ..."})]
    summary = _summary(refused)
    # null, never the partial sum (or 0) a CI job would take for the total; each known stack keeps its own.
    assert summary["monthlyUsd"] is None and summary["costUnknown"] == ["c"]
    assert [s["costEstimate"].get("monthlyUsd") for s in summary["stacks"]] == [10.5, 2.25, None]
    assert json.loads(json.dumps(summary))["monthlyUsd"] is None
    assert _total_line(refused) == "estimated USD unknown/month (no estimate for c)"


def test_cli_summary_with_an_unpriced_region(tmp_path: Path) -> None:
    # payments-prod in a region without prices (so is the monitoring stack, which has a sink there);
    # research-dev as in the example org.
    org = _one_region_org()
    org["workload_accounts"][0]["regions"] = ["ap-northeast-1"]
    org["workload_accounts"].append(org_data()["workload_accounts"][1])
    stacks = tmp_path / "stacks"
    stacks.mkdir()
    (stacks / "org.yaml").write_text(yaml.safe_dump(org))
    for stack in ("monitoring", "payments-prod", "research-dev"):
        (stacks / f"Pulumi.{stack}.yaml").write_text(f"config:\n  bedrock-observability:account: {stack}\n")
    result = obsctl("plan", "--all", "--stacks-dir", str(stacks), "--out-dir", str(tmp_path / "plans"), "--json", "-")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["monthlyUsd"] is None and summary["costUnknown"] == ["monitoring", "payments-prod"]
    monitoring, payments, research = summary["stacks"]
    assert research["costEstimate"]["monthlyUsd"] > 0  # a stack with prices keeps its estimate
    assert set(monitoring["costEstimate"]) == set(payments["costEstimate"]) == {"error"}
    assert "3/3 stacks planned" in result.stderr
    assert "estimated USD unknown/month (no estimate for monitoring, payments-prod)" in result.stderr


def test_cli_stacks_dir_names_a_missing_stack(tmp_path: Path) -> None:
    result = obsctl("plan", "--stacks-dir", str(tmp_path), "--stack", "nope", "--out-dir", str(tmp_path))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"--stack 'nope': no stack file {tmp_path}/Pulumi.nope.yaml" in result.stderr
    assert "holds no stack file; check --stacks-dir" in result.stderr
