"""Stack files: one stack per account, and every file name a valid stack name."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from inventory import load
from inventory.errors import ConfigError
from inventory.identifiers import check_stack_name
from inventory.load import STACKS_DIR, read_stack_file, resolve_stack

STACK = "config:\n  bedrock-observability:account: {account}\n"


@pytest.fixture
def stacks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stacks/ directory with the example inventory and one stack file per account."""
    shutil.copy(STACKS_DIR / "org.yaml", tmp_path / "org.yaml")
    for account in ("monitoring", "payments-prod", "research-dev"):
        (tmp_path / f"Pulumi.{account}.yaml").write_text(STACK.format(account=account))
    monkeypatch.setattr(load, "STACKS_DIR", tmp_path)
    return tmp_path


def resolve(stack: str) -> object:
    return resolve_stack(stack, read_stack_file(stack))


def refusal(stack: str) -> str:
    with pytest.raises(ConfigError) as caught:
        resolve(stack)
    (problem,) = caught.value.problems
    return f"{caught.value.source}: {problem}"


def test_every_example_stack_resolves(stacks: Path) -> None:
    assert [resolve(stack).account.name for stack in load.list_stacks()] == [
        "monitoring",
        "payments-prod",
        "research-dev",
    ]


def test_an_account_named_by_two_stack_files_is_refused_naming_both(stacks: Path) -> None:
    (stacks / "Pulumi.research-dev.yaml").write_text(STACK.format(account="payments-prod"))
    assert refusal("research-dev").startswith(
        "stacks/Pulumi.research-dev.yaml: bedrock-observability:account = 'payments-prod': also named by "
        "stacks/Pulumi.payments-prod.yaml; an account is deployed by exactly one stack; fix: "
    )
    assert "also named by stacks/Pulumi.research-dev.yaml" in refusal("payments-prod")
    assert resolve("monitoring").account.name == "monitoring"


def test_the_same_account_name_in_another_inventory_is_another_account(stacks: Path) -> None:
    shutil.copy(stacks / "org.yaml", stacks / "other.yaml")
    (stacks / "Pulumi.other.yaml").write_text(
        STACK.format(account="payments-prod") + "  bedrock-observability:inventory: other.yaml\n"
    )
    assert resolve("other").account.name == "payments-prod"
    assert resolve("payments-prod").account.name == "payments-prod"


@pytest.mark.parametrize("name", [".", "..", "-x", "_x", "research dev"])
def test_a_stack_file_whose_name_is_no_stack_name_is_refused_naming_the_file(stacks: Path, name: str) -> None:
    (stacks / f"Pulumi.{name}.yaml").write_text(STACK.format(account="research-dev"))
    assert name in load.list_stacks()
    message = refusal(name)
    assert f"Pulumi.{name}.yaml: the file name makes the stack name {name!r}, which is not a Pulumi" in message
    assert message.endswith("(rename the file)")


@pytest.mark.parametrize("name", [".", "..", "-monitoring", "_", ".hidden"])
def test_stack_names_start_with_a_letter_or_digit(name: str) -> None:
    with pytest.raises(ValueError, match="starting with a letter or digit"):
        check_stack_name(name)


@pytest.mark.parametrize("name", ["monitoring", "0-dev", "a", "research_dev.v2", "A" * 100])
def test_valid_stack_names_pass(name: str) -> None:
    assert check_stack_name(name) == name
