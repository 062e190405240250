"""`pulumi import` commands for resources that already exist in an account the platform is about to manage.

The logical name, parent and provider of each resource come from the offline plan of the new stack (the
real program under the mock runtime), so the command adopts the resource exactly where `pulumi up` would
create it. The plan is made once, and only when a preflight finds something to import.
"""

from __future__ import annotations

import json
import shlex
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from inventory.load import PROJECT_NAME


@lru_cache(maxsize=4)
def _planned_steps(stack: str, org_text: str) -> tuple[dict[str, Any], ...]:
    """The offline plan's steps of `stack` under this inventory text (a pure function of both: cached)."""
    from obsctl.plan.batch import plan_many

    with tempfile.TemporaryDirectory(prefix="obsctl-onboard-plan-") as scratch:
        inventory = Path(scratch) / "org.yaml"
        inventory.write_text(org_text, encoding="utf-8")
        config = {f"{PROJECT_NAME}:account": stack, f"{PROJECT_NAME}:inventory": str(inventory)}
        [outcome] = plan_many([stack], Path(scratch) / "plans", workers=1, configs={stack: config})
        if outcome.error or outcome.path is None:
            return ()
        return tuple(json.loads(outcome.path.read_text(encoding="utf-8"))["steps"])


class ImportCommands:
    def __init__(self, stack: str, org_text: str) -> None:
        self._stack = stack
        self._org_text = org_text

    @property
    def _steps(self) -> tuple[dict[str, Any], ...]:
        return _planned_steps(self._stack, self._org_text)

    def command(self, type_: str, import_id: str, region: str | None = None) -> str:
        """The command adopting the resource of `type_` (in `region`) that the stack's plan creates."""
        for step in self._steps:
            state = step["newState"]
            if state["type"] == type_ and (region is None or state["inputs"].get("region") == region):
                return render(self._stack, type_, state["urn"].rsplit("::", 1)[-1], import_id, state)
        return f"pulumi import --stack {self._stack} {type_} <name> {shlex.quote(import_id)}"


def render(stack: str, type_: str, name: str, import_id: str, state: dict[str, Any]) -> str:
    parts = ["pulumi", "import", "--stack", stack, type_, name, import_id]
    if state.get("parent"):
        parts += ["--parent", f"parent={state['parent']}"]
    if state.get("provider"):
        # A provider reference is "<urn>::<id>"; the flag takes the URN.
        parts += ["--provider", f"provider={state['provider'].rsplit('::', 1)[0]}"]
    return " ".join(shlex.quote(part) for part in parts)
