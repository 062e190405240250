"""`python -m obsctl` as a user runs it: exit codes and messages, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from inventory.load import PROJECT_DIR


def obsctl(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "obsctl", *args], cwd=PROJECT_DIR, capture_output=True,
                          text=True, timeout=300)


def test_plan_all_writes_one_plan_per_stack(tmp_path: Path) -> None:
    result = obsctl("plan", "--all", "--out-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["monitoring.json", "payments-prod.json",
                                                          "research-dev.json"]
    assert "3/3 stacks planned" in result.stdout
    plan = json.loads((tmp_path / "payments-prod.json").read_text())
    assert plan["changeSummary"]["create"] == len(plan["steps"]) > 30


def test_unknown_stack_is_a_clear_error() -> None:
    result = obsctl("plan", "--stack", "payments-prd", "--out", "/dev/null")
    assert result.returncode == 2
    assert "No stack 'payments-prd'" in result.stderr and "payments-prod" in result.stderr
    assert "Traceback" not in result.stderr


def test_stack_and_all_are_exclusive() -> None:
    result = obsctl("plan", "--all", "--stack", "monitoring")
    assert result.returncode == 2 and "exactly one of" in result.stderr
