"""`plan --all` plans many stacks in each worker process: every plan must be exactly the plan a process of
its own makes, whatever the worker planned before (Pulumi's runtime state is process-global)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from inventory.load import list_stacks
from obsctl.plan.batch import FORK, plan_many
from tests.conftest import obsctl


# With fork, a worker plans its first stack itself and the others in children forked from it; without,
# it plans them all itself, one after another. Either way each plan must be the plan of a fresh process.
@pytest.mark.parametrize("fork", sorted({False, FORK}))
def test_one_worker_planning_stack_after_stack_gives_the_plans_of_separate_processes(
    fork: bool, tmp_path: Path
) -> None:
    alone = {}
    for stack in list_stacks():
        out = tmp_path / "alone" / f"{stack}.json"
        result = obsctl("plan", "--stack", stack, "--out", str(out))
        assert result.returncode == 0, result.stderr
        alone[stack] = hashlib.sha256(out.read_bytes()).hexdigest()

    # Every stack twice, in another order, and a stack whose program fails inside the runtime in between:
    # nothing of one run may leak into the next.
    order = ["research-dev", "monitoring", "broken", "payments-prod", "monitoring", "research-dev", "payments-prod"]
    configs = {"broken": {"bedrock-observability:account": "no-such-account"}}
    outcomes = plan_many(order, tmp_path / "worker", workers=1, configs=configs, fork=fork)

    assert len({o.worker for o in outcomes}) == 1, "one worker planned every stack"
    assert [o.stack for o in outcomes] == order
    for outcome in outcomes:
        if outcome.stack == "broken":
            assert outcome.error and "no-such-account" in outcome.error
            continue
        assert outcome.error is None, outcome.error
        assert outcome.sha256 == alone[outcome.stack], f"{outcome.stack} differs when planned after other stacks"
    assert {o.stack: hashlib.sha256(o.path.read_bytes()).hexdigest() for o in outcomes if o.path} == alone
