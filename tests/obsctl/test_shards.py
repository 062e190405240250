"""`--shard K/N` splits the stacks the same way for `plan --all`, `policy-check` and `stacks`, so a CI runner
policy-checks exactly the plans it made; bad values are refused before any work."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from inventory.load import list_stacks
from obsctl.shards import Shard, ShardError, parse_shard
from tests.conftest import obsctl

STACKS = [f"bench-{index:03d}" for index in range(201)] + ["monitoring"]


@pytest.mark.parametrize("count", [1, 2, 3, 4, 7, 250])
def test_shards_partition_the_stacks_evenly_whatever_their_order(count: int) -> None:
    shards = [Shard(index, count).select(reversed(STACKS)) for index in range(1, count + 1)]
    assert sorted(stack for shard in shards for stack in shard) == sorted(STACKS)
    assert max(map(len, shards)) - min(map(len, shards)) <= 1
    assert shards == [Shard(index, count).select(STACKS) for index in range(1, count + 1)]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0/4", "between 1 and N"),
        ("5/4", "between 1 and N"),
        ("1/0", "at least 1"),
        ("a/b", "is not K/N"),
        ("2", "is not K/N"),
    ],
)
def test_bad_shards_name_the_value_and_the_fix(value: str, expected: str) -> None:
    with pytest.raises(ShardError) as refused:
        parse_shard(value)
    assert repr(value) in str(refused.value) and expected in str(refused.value) and "fix:" in str(refused.value)


def test_plan_all_plans_only_its_shard(tmp_path: Path) -> None:
    result = obsctl("plan", "--all", "--shard", "2/2", "--out-dir", str(tmp_path), "--json", str(tmp_path / "s.json"))
    assert result.returncode == 0, result.stderr
    expected = Shard(2, 2).select(list_stacks())
    assert sorted(p.stem for p in tmp_path.glob("*.json") if p.name != "s.json") == expected
    assert json.loads((tmp_path / "s.json").read_text())["shard"] == "2/2"


def test_plan_shard_misuse_exits_2_before_planning(tmp_path: Path) -> None:
    result = obsctl("plan", "--all", "--shard", "3/2", "--out-dir", str(tmp_path))
    assert result.returncode == 2 and "K must be between 1 and N (2)" in result.stderr
    result = obsctl("plan", "--stack", "monitoring", "--shard", "1/2", "--out-dir", str(tmp_path))
    assert result.returncode == 2 and "--shard" in result.stderr
    assert not list(tmp_path.iterdir())


@pytest.fixture
def plan_files(example_plans: dict[str, dict[str, Any]], tmp_path: Path) -> list[Path]:
    paths = []
    for stack, plan in example_plans.items():
        paths.append(tmp_path / f"{stack}.json")
        paths[-1].write_text(json.dumps(plan))
    return paths


def test_policy_check_of_a_shard_checks_the_plans_plan_made_for_it(plan_files: list[Path]) -> None:
    for index in (1, 2):
        result = obsctl("policy-check", "--shard", f"{index}/2", *map(str, plan_files))
        assert result.returncode == 0, result.stdout + result.stderr
        checked = sorted(
            Path(line.split()[1].rstrip(":")).stem for line in result.stdout.splitlines() if line.startswith("PASS")
        )
        assert checked == Shard(index, 2).select(list_stacks())


def test_policy_check_shard_refuses_missing_and_foreign_plans(plan_files: list[Path], tmp_path: Path) -> None:
    without_monitoring = [p for p in plan_files if p.stem != "monitoring"]
    result = obsctl("policy-check", "--shard", "1/2", *map(str, without_monitoring))
    assert result.returncode == 2 and "no plan given for monitoring" in result.stderr
    foreign = tmp_path / "preview.json"
    foreign.write_text(plan_files[0].read_text())
    result = obsctl("policy-check", "--shard", "1/2", str(foreign), *map(str, plan_files))
    assert result.returncode == 2 and "preview.json" in result.stderr and "not named after a stack" in result.stderr
    result = obsctl("policy-check", "--shard", "1/x", *map(str, plan_files))
    assert result.returncode == 2 and "is not K/N" in result.stderr


def test_stacks_json_feeds_a_ci_matrix() -> None:
    result = obsctl("stacks", "--json")
    assert result.returncode == 0, result.stderr
    rows = {row["name"]: row for row in json.loads(result.stdout)}
    assert sorted(rows) == list_stacks()
    assert rows["monitoring"]["role"] == "monitoring" and "ap-southeast-2" in rows["monitoring"]["regions"]
    assert rows["payments-prod"] == {
        "name": "payments-prod",
        "role": "workload",
        "account": "payments-prod",
        "accountId": "111111111111",
        "regions": ["us-east-1", "eu-west-1"],
    }
    shard = obsctl("stacks", "--json", "--shard", "2/2")
    assert [row["name"] for row in json.loads(shard.stdout)] == Shard(2, 2).select(list_stacks())


def test_policy_check_reports_the_same_on_any_number_of_workers(plan_files: list[Path], tmp_path: Path) -> None:
    reports = []
    for workers in ("1", "2"):
        out = tmp_path / f"report-{workers}.json"
        result = obsctl("policy-check", "--workers", workers, "--json", str(out), *map(str, plan_files))
        assert result.returncode == 0, result.stdout + result.stderr
        reports.append(json.loads(out.read_text()))
    assert reports[0] == reports[1] and len(reports[0]["plans"]) == len(plan_files)
    result = obsctl("policy-check", "--workers", "0", *map(str, plan_files))
    assert result.returncode == 2 and "--workers" in result.stderr
