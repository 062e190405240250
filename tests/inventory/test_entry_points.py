"""Stack and account names are checked where they enter; the inventory is read and validated once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from inventory import load
from inventory.errors import ConfigError
from inventory.identifiers import require_account_id, require_account_name, require_stack_name
from inventory.load import PROJECT_DIR, load_organisation, read_stack_file, resolve_stack
from tests.conftest import org_data


@pytest.mark.parametrize("bad", ["a/b", "org/project/monitoring", "../../etc/passwd", "", "x" * 101, "dev\n", "dév"])
def test_bad_stack_names_are_refused_before_any_file_is_touched(bad: str) -> None:
    with pytest.raises(ConfigError) as caught:
        read_stack_file(bad)
    message = str(caught.value)
    assert f"--stack = {bad!r}: is not a Pulumi stack name" in message and "fix:" in message


@pytest.mark.parametrize("good", ["monitoring", "payments-prod", "Team_A.dev-2", "x" * 100])
def test_pulumi_stack_names(good: str) -> None:
    assert require_stack_name(good) == good


def test_account_name_for_onboarding() -> None:
    assert require_account_name("new-team") == "new-team"
    with pytest.raises(ConfigError) as caught:
        require_account_name("New Team\n")
    message = str(caught.value)
    assert message.startswith("Invalid configuration in the command line:")
    assert "--name = 'New Team\\n': must be 3-32 characters" in message
    assert "invisible character '\\n'" in message


def test_account_id_for_commands() -> None:
    assert require_account_id("123456789012") == "123456789012"
    with pytest.raises(
        ConfigError, match=r"--account-id = '12345678901\u0662': must be exactly 12 digits \(it contains the non-ASCII"
    ):
        require_account_id("12345678901\u0662")


def test_monitoring_stack_name_with_a_slash_is_refused_in_the_inventory(tmp_path: Path) -> None:
    org = org_data()
    org["monitoring_account"]["stack"] = "acme/monitoring"
    path = tmp_path / "org.yaml"
    path.write_text(yaml.safe_dump(org))
    with pytest.raises(ConfigError) as caught:
        load_organisation(path)
    assert "monitoring_account.stack = 'acme/monitoring': is not a Pulumi stack name" in str(caught.value)


def test_plan_with_a_bad_stack_name_is_one_clean_refusal() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "obsctl", "plan", "--stack", "acme/monitoring", "--out-dir", "/nonexistent"],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert "--stack 'acme/monitoring' is not a Pulumi stack name" in output
    assert "Traceback" not in output and "KeyError" not in output


def test_stack_file_with_non_text_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load, "STACKS_DIR", tmp_path)
    (tmp_path / "Pulumi.odd.yaml").write_text("config:\n  1: payments-prod\n")
    with pytest.raises(ConfigError, match="line 2: key '1' is read as 1, not as text; fix: quote it"):
        read_stack_file("odd")


def test_stack_file_duplicate_keys_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load, "STACKS_DIR", tmp_path)
    text = "config:\n  bedrock-observability:account: payments-prod\n  bedrock-observability:account: research-dev\n"
    (tmp_path / "Pulumi.twice.yaml").write_text(text)
    with pytest.raises(ConfigError, match=r"line 3: duplicate key 'bedrock-observability:account' \(first at line 2\)"):
        read_stack_file("twice")


def test_inventory_is_read_and_validated_once_per_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    validations = []
    real = load.Organisation.model_validate
    monkeypatch.setattr(
        load.Organisation, "model_validate", lambda data: validations.append(1) or real(data), raising=True
    )
    path = tmp_path / "org.yaml"
    path.write_text(yaml.safe_dump(org_data()))
    config = {"bedrock-observability:account": "payments-prod", "bedrock-observability:inventory": str(path)}
    first = resolve_stack("payments-prod", config).org
    assert resolve_stack("monitoring", config).org is first  # e.g. __main__ and the stack-reference outputs
    assert len(validations) == 1
    # An edited file is read anew, whatever its timestamp.
    org = org_data()
    org["workload_accounts"][0]["environment"] = "prd"
    path.write_text(yaml.safe_dump(org))
    assert resolve_stack("payments-prod", config).org.workload_accounts[0].environment == "prd"
    assert len(validations) == 2
