"""The README's comparison with the seed solution's USD 146/month, reproduced by the one command it quotes,
on the reduced inventory in stacks/examples/seed-scope (not a stack of stacks/)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from inventory.load import PROJECT_DIR, list_stacks
from tests.conftest import obsctl

SEED_SCOPE = "stacks/examples/seed-scope"
# Exactly as the README quotes it.
COMMAND = ("plan", "--stacks-dir", SEED_SCOPE, "--stack", "payments-prod", "--invocations-per-day", "438600")
README = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")

# The README's table, "this platform, same scope" (USD per month).
COMPONENTS = {
    "alarms": 8.10,
    "dashboards": 0.00,
    "custom metrics": 0.90,
    "logs ingestion": 64.42,
    "logs storage": 6.96,
    "s3 storage": 7.63,
    "s3 requests": 24.24,
    "kms": 3.09,
    "cloudtrail": 6.67,
    "sns": 0.13,
    "budgets": 0.00,
    "oam": 0.00,
}


def _summary(*args: str, out_dir: Path) -> dict[str, Any]:
    result = obsctl(*args, "--out-dir", str(out_dir), "--json", "-")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def seed_scope(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    summary = _summary(*COMMAND, out_dir=tmp_path_factory.mktemp("seed"))
    [stack] = summary["stacks"]
    return stack["costEstimate"]


def test_the_readme_quotes_the_command_and_its_total() -> None:
    section = README.split("### Compared with the seed solution's USD 146/month", 1)[1].split("\n## ", 1)[0]
    assert f"obsctl {' '.join(COMMAND)}" in section
    assert "**USD 122.14/month**" in section and "| **total** | **146** | | **122.14** |" in section


def test_total_and_line_items(seed_scope: dict[str, Any]) -> None:
    assert seed_scope["monthlyUsd"] == 122.14
    assert {k: round(v, 2) for k, v in seed_scope["components"].items()} == COMPONENTS
    # One account-region (and the account-wide dashboards and budget).
    assert sorted(p["region"] for p in seed_scope["places"]) == ["", "us-east-1"]


def test_quantities_the_readme_names(seed_scope: dict[str, Any]) -> None:
    def quantity(price: str, what: str = "") -> float:
        return sum(i["quantity"] for i in seed_scope["items"] if i["price"] == price and what in i["what"])

    # 3 models x 20 + 3 delivery + 3 security alarm metrics; one composite per model.
    assert (quantity("cloudwatch.alarm_metric"), quantity("cloudwatch.composite_alarm")) == (66, 3)
    assert quantity("cloudwatch.custom_metric") == 3
    # The seed's 100 GB of invocation logs a month, and the trail's events.
    assert quantity("cloudwatch.logs_ingestion", "model-invocations") == pytest.approx(100, abs=0.01)
    assert quantity("cloudwatch.logs_ingestion", "cloudtrail") == pytest.approx(28.8, abs=0.05)
    assert quantity("cloudtrail.data_event") == pytest.approx(6.67e6, rel=1e-3)
    assert (quantity("kms.key"), quantity("kms.rotation")) == (1, 2)
    assert quantity("cloudwatch.dashboard") == 0  # 3 dashboards, within the free three


def test_default_traffic_and_the_monitoring_account(tmp_path: Path) -> None:
    summary = _summary("plan", "--all", "--stacks-dir", SEED_SCOPE, out_dir=tmp_path)
    totals = {s["stack"]: s["costEstimate"]["monthlyUsd"] for s in summary["stacks"]}
    assert totals == {"monitoring": 4.20, "payments-prod": 15.30}
    assert summary["monthlyUsd"] == 19.50 and summary["costUnknown"] == []
    assert "USD 15.30" in README and "USD 4.20/month for such a one-region org" in README


def test_the_example_is_not_a_stack_of_stacks(example_plans: dict[str, dict[str, Any]]) -> None:
    # plan --all reads stacks/ only: the example org's payments-prod keeps both its regions.
    assert set(example_plans) == set(list_stacks())
    places = {p["region"] for p in example_plans["payments-prod"]["x-bedrock-observability"]["costEstimate"]["places"]}
    assert places == {"", "us-east-1", "eu-west-1"}
