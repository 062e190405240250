"""Shared fixtures: offline plans of the example org and of throwaway inventories."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, settings

from inventory.load import PROJECT_DIR, STACKS_DIR, list_stacks
from obsctl.plan.batch import plan_many

# Property tests check behaviour, never speed (speed targets live in benchmarks/run.py): no per-example
# deadline and no "too slow" health check, both of which a loaded 2-core CI machine trips on examples that
# take milliseconds when idle. Built on the active profile, so under CI=true Hypothesis' `ci` profile still
# derandomizes and keeps no example database. 100 examples unless a test asks for its own bound.
settings.register_profile(
    "bedrock-observability",
    settings.get_profile(settings.get_current_profile_name()),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    max_examples=100,
)
settings.load_profile("bedrock-observability")

EXAMPLE_ORG: dict[str, Any] = yaml.safe_load((STACKS_DIR / "org.yaml").read_text())


@pytest.fixture(scope="session")
def example_plans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Every example stack planned once per test session, through the same code path as `obsctl plan --all`."""
    out_dir = tmp_path_factory.mktemp("plans")
    outcomes = plan_many(list_stacks(), out_dir)
    failed = {o.stack: o.error for o in outcomes if o.error}
    assert not failed, failed
    return {o.stack: json.loads(o.path.read_text()) for o in outcomes}


def org_data() -> dict[str, Any]:
    """A fresh, mutable copy of the example inventory."""
    return copy.deepcopy(EXAMPLE_ORG)


@pytest.fixture
def plan_inventory(tmp_path: Path) -> Callable[..., Any]:
    """Plan an edited inventory for one account; returns the plan document, or the refusal message."""

    def run(org: dict[str, Any], account: str, extra_config: dict[str, str] | None = None) -> dict | str:
        inventory = tmp_path / "org.yaml"
        inventory.write_text(yaml.safe_dump(org))
        config = {
            "bedrock-observability:account": account,
            "bedrock-observability:inventory": str(inventory),
            **(extra_config or {}),
        }
        [outcome] = plan_many([account], tmp_path / "plans", workers=1, configs={account: config})
        return outcome.error if outcome.error else json.loads(outcome.path.read_text())

    return run


def resources(plan: dict[str, Any], type_: str) -> list[dict[str, Any]]:
    """newState of every step of one resource type."""
    return [step["newState"] for step in plan["steps"] if step["newState"]["type"] == type_]


def obsctl(*args: str) -> subprocess.CompletedProcess[str]:
    """`python -m obsctl ...` as a user runs it, from the project directory."""
    return subprocess.run(
        [sys.executable, "-m", "obsctl", *args], cwd=PROJECT_DIR, capture_output=True, text=True, timeout=300
    )
