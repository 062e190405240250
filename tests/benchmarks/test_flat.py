"""The benchmark's yardstick: a flat program generated from a plan registers exactly the plan's resources
(types, inputs, options, provider), so program / flat measures the program's overhead and nothing else."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from benchmarks import flat
from inventory.load import read_stack_file
from obsctl.plan.runner import run_stack


# The flat program imports pulumi-aws modules into this process, which warn about their deprecated classes.
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("stack", ["monitoring", "payments-prod"])
def test_flat_program_registers_the_plans_resources(
    stack: str, example_plans: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    source = flat.generate(example_plans[stack])
    assert "ComponentResource" not in source and "pulumi.Output" not in source
    path = tmp_path / f"flat_{stack.replace('-', '_')}.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    planned = run_stack(stack, read_stack_file(stack), program=module.main)

    assert flat.resources(planned.document) == flat.resources(example_plans[stack])
    assert planned.resource_count == sum(
        1 for step in example_plans[stack]["steps"] if step["newState"]["custom"] and "providers" not in step["urn"]
    )
    components = {s["newState"]["type"] for s in planned.document["steps"] if not s["newState"]["custom"]}
    assert components == {"pulumi:pulumi:Stack"}


def test_an_input_the_resource_class_does_not_take_is_refused() -> None:
    document = {
        "steps": [
            {
                "newState": {
                    "type": "aws:sns/topic:Topic",
                    "custom": True,
                    "urn": "urn:pulumi:s::p::aws:sns/topic:Topic::t",
                    "inputs": {"nmae": "typo"},
                    "provider": "",
                    "protect": False,
                    "retainOnDelete": False,
                }
            }
        ]
    }
    with pytest.raises(ValueError, match="'nmae' is not a keyword of Topic"):
        flat.generate(document)
