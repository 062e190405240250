"""`python -m obsctl` as a user runs it: exit codes and messages, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import obsctl


def test_plan_stack_writes_into_out_dir(tmp_path: Path) -> None:
    # `--all` runs this same path per stack (and in CI's main job); one stack keeps the suite fast.
    result = obsctl("plan", "--stack", "monitoring", "--out-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["monitoring.json"]
    assert "1/1 stacks planned" in result.stdout
    plan = json.loads((tmp_path / "monitoring.json").read_text())
    assert plan["changeSummary"]["create"] == len(plan["steps"]) > 30


def test_unknown_or_malformed_stack_is_bad_input(tmp_path: Path) -> None:
    result = obsctl("plan", "--stack", "payments-prd", "--out", str(tmp_path / "p.json"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "'payments-prd'" in result.stderr and "payments-prod" in result.stderr
    result = obsctl("plan", "--stack", "acme/payments-prod", "--out", str(tmp_path / "p.json"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "organisation prefix" in result.stderr and "fix:" in result.stderr
    assert not list(tmp_path.iterdir())


def test_unwritable_output_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = obsctl("plan", "--stack", "monitoring", "--out", str(blocker / "plan.json"))
    assert result.returncode == 1 and "cannot write" in result.stderr and "Traceback" not in result.stderr


def test_option_misuse_is_refused() -> None:
    result = obsctl("plan", "--all", "--stack", "monitoring")
    assert result.returncode == 2 and "exactly one of" in result.stderr
    result = obsctl("plan", "--all", "--out", "x.json")
    assert result.returncode == 2 and "--out-dir" in result.stderr
