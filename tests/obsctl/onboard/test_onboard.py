"""`obsctl onboard` on a copy of stacks/: the edit keeps every other byte, the result plans and passes the
policy pack, every bad input is refused with nothing written, writes are all-or-nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from inventory.load import load_organisation
from obsctl.onboard.org_edit import EditError, NewAccount, append_account
from obsctl.onboard.steps import next_steps
from obsctl.onboard.write import WriteError, remove_stale_temps, write_pair
from obsctl.plan.batch import plan_many
from obsctl.policy import check_plans
from tests.conftest import resources
from tests.obsctl.onboard.conftest import snapshot

ENTRY = """
  - name: fraud-prod
    account_id: "333333333333"
    deploy_role_arn: arn:aws:iam::333333333333:role/bedrock-observability-deploy
    environment: prod
    regions: [us-east-1, ap-northeast-1]
    models:
      - anthropic.claude-3-haiku-20240307-v1:0
      - us.anthropic.claude-3-7-sonnet-20250219-v1:0
"""


def test_the_account_is_appended_and_every_other_byte_is_kept(stacks: Path, onboard: Callable[..., Result]) -> None:
    original = (stacks / "org.yaml").read_text()
    result = onboard()
    assert result.exit_code == 0, result.output
    edited = (stacks / "org.yaml").read_text()
    # The file's comments, flow mappings wrapped by hand and aligned values are untouched: the edit is
    # exactly the new entry, in the style of the existing ones (quoted id, flow regions, block models).
    assert edited == original + ENTRY
    # The stack file is the existing stack files' own text, for the new account.
    existing = (stacks / "Pulumi.research-dev.yaml").read_text()
    assert (stacks / "Pulumi.fraud-prod.yaml").read_text() == existing.replace("research-dev", "fraud-prod")
    # Defaults the operator did not give are said, not silently taken.
    assert "environment 'prod' taken from the name's suffix" in result.output
    assert "deploy role arn:aws:iam::333333333333:role/bedrock-observability-deploy" in result.output
    assert load_organisation(stacks / "org.yaml").workload("fraud-prod") is not None


def test_the_new_account_plans_passes_the_policy_pack_and_is_admitted_by_the_sink(
    stacks: Path, onboard: Callable[..., Result], tmp_path: Path
) -> None:
    assert onboard().exit_code == 0
    inventory = str(stacks / "org.yaml")
    configs = {
        stack: {"bedrock-observability:account": stack, "bedrock-observability:inventory": inventory}
        for stack in ("fraud-prod", "monitoring")
    }
    outcomes = plan_many(["fraud-prod", "monitoring"], tmp_path / "plans", configs=configs)
    assert [o.error for o in outcomes] == [None, None]
    plans = {o.stack: json.loads(o.path.read_text()) for o in outcomes if o.path}
    assert check_plans(sorted(plans.items())).findings == []
    regions = {s["inputs"]["region"] for s in resources(plans["fraud-prod"], "aws:kms/key:Key")}
    assert regions == {"us-east-1", "ap-northeast-1"}
    # The monitoring stack gains the new region's sink, and each sink policy admits the new account.
    sinks = resources(plans["monitoring"], "aws:oam/sinkPolicy:SinkPolicy")
    admitted = {s["inputs"]["region"]: json.loads(s["inputs"]["policy"]) for s in sinks}
    for region in ("us-east-1", "ap-northeast-1"):
        principals = admitted[region]["Statement"][0]["Principal"]["AWS"]
        assert "333333333333" in principals


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (
            {"name": "payments-prod"},
            "workload_accounts[2].name = 'payments-prod' is already used by workload_accounts[0]",
        ),
        ({"account_id": "111111111111"}, "account_id = '111111111111' is already used by workload_accounts[0]"),
        ({"account_id": "999999999999"}, "account_id = '999999999999' is already used by monitoring_account"),
        ({"account_id": "12345"}, "workload_accounts[2].account_id = '12345': must be exactly 12 digits"),
        ({"regions": "us-east-1,mars-north-1"}, "workload_accounts[2].regions[1] = 'mars-north-1'"),
        ({"regions": "us-east-1,us-east-1"}, "lists region 'us-east-1' twice"),
        ({"regions": "us-east-1,"}, "--regions = 'us-east-1,': empty entry"),
        ({"models": "arn:aws:bedrock:us-east-1::foundation-model/x"}, "is an ARN; fix: use the model id"),
        ({"models": "eu.anthropic.claude-3-7-sonnet-20250219-v1:0"}, "cross-region inference profile for another"),
        ({"name": "Fraud_Prod", "environment": "prod"}, "workload_accounts[2].name = 'Fraud_Prod': must be 3-32"),
        ({"name": "fraud-team"}, "--environment is required"),
        (
            {"role_arn": "arn:aws:iam::111111111111:role/x"},
            "is in account '111111111111', not in account_id '333333333333'",
        ),
        ({"environment": "Prod!"}, "workload_accounts[2].environment = 'Prod!'"),
    ],
)
def test_bad_input_is_refused_with_the_programs_message_and_nothing_written(
    stacks: Path, onboard: Callable[..., Result], flags: dict[str, str], message: str
) -> None:
    before = snapshot(stacks)
    result = onboard(**flags)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert snapshot(stacks) == before


def test_a_validation_message_names_the_flag_to_change(onboard: Callable[..., Result]) -> None:
    result = onboard(account_id="12345")
    assert "workload_accounts[2] is the account being onboarded: fix it with --account-id" in result.stderr


@pytest.mark.parametrize("content", ["config:\n  bedrock-observability:account: other\n", "not: a stack\n"])
def test_an_existing_stack_file_is_never_overwritten(
    stacks: Path, onboard: Callable[..., Result], content: str
) -> None:
    (stacks / "Pulumi.fraud-prod.yaml").write_text(content)
    before = snapshot(stacks)
    result = onboard()
    assert result.exit_code == 2 and "Pulumi.fraud-prod.yaml already exists" in result.stderr
    assert snapshot(stacks) == before


def test_a_stack_file_already_deploying_the_name_is_refused(stacks: Path, onboard: Callable[..., Result]) -> None:
    (stacks / "Pulumi.fraud.yaml").write_text("config:\n  bedrock-observability:account: fraud-prod\n")
    before = snapshot(stacks)
    result = onboard()
    assert result.exit_code == 2 and "Pulumi.fraud.yaml already deploys an account named 'fraud-prod'" in result.stderr
    assert snapshot(stacks) == before


def test_dry_run_prints_the_diff_and_writes_nothing(stacks: Path, onboard: Callable[..., Result]) -> None:
    before = snapshot(stacks)
    result = onboard("--dry-run")
    assert result.exit_code == 0
    assert snapshot(stacks) == before
    assert '+    account_id: "333333333333"' in result.output
    assert "+++ " in result.output and "Pulumi.fraud-prod.yaml" in result.output
    assert "dry run: nothing written" in result.output


def test_running_it_again_is_a_no_op_and_a_changed_rerun_is_refused(
    stacks: Path, onboard: Callable[..., Result]
) -> None:
    assert onboard().exit_code == 0
    after = snapshot(stacks)
    again = onboard()
    assert again.exit_code == 0 and "already onboarded with these settings; nothing to write" in again.output
    changed = onboard(regions="us-east-1")
    assert changed.exit_code == 2 and "name = 'fraud-prod' is already used" in changed.stderr
    assert snapshot(stacks) == after


def test_json_output_is_one_document(onboard: Callable[..., Result]) -> None:
    result = onboard("--json", "--dry-run")
    document = json.loads(result.stdout)
    assert document["dry_run"] is True and document["written"] == []
    assert document["account"]["regions"] == ["us-east-1", "ap-northeast-1"]
    assert document["next_steps"][0]["title"] == "Review and commit the change"


# --- all or nothing -----------------------------------------------------------------------------------------


def _pair(stacks: Path) -> tuple[Path, str, str, Path]:
    org = stacks / "org.yaml"
    original = org.read_text()
    return org, original, original + ENTRY, stacks / "Pulumi.fraud-prod.yaml"


@pytest.mark.parametrize("failure", [KeyboardInterrupt, OSError])
def test_an_interrupted_write_leaves_the_old_files(
    stacks: Path, monkeypatch: pytest.MonkeyPatch, failure: type[BaseException]
) -> None:
    org, original, edited, stack = _pair(stacks)
    before = snapshot(stacks)

    def interrupted(*_: object) -> None:
        raise failure()

    # org.yaml's replace (the first change) fails: the stack file is never linked.
    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises((failure, WriteError)):
        write_pair(org, original, edited, stack, "config: {}\n")
    assert snapshot(stacks) == before  # old org.yaml, no stack file, no temp file left behind


def test_org_yaml_changed_by_someone_else_is_not_overwritten(stacks: Path) -> None:
    org, original, edited, stack = _pair(stacks)
    org.write_text(original + "# edited meanwhile\n")
    before = snapshot(stacks)
    with pytest.raises(WriteError, match="changed while onboarding"):
        write_pair(org, original, edited, stack, "config: {}\n")
    assert snapshot(stacks) == before


def test_a_stack_file_appearing_meanwhile_is_not_clobbered(stacks: Path) -> None:
    org, original, edited, stack = _pair(stacks)
    stack.write_text("someone else's\n")
    before = snapshot(stacks)
    with pytest.raises(WriteError, match="appeared while onboarding"):
        write_pair(org, original, edited, stack, "config: {}\n")
    assert snapshot(stacks) == before


# --- the text edit --------------------------------------------------------------------------------------------

ACCOUNT = NewAccount("fraud-prod", "333333333333", "arn:aws:iam::333333333333:role/d", "prod", ("us-east-1",), ("m.x",))


def test_comments_and_keys_after_the_accounts_stay_after_the_new_entry() -> None:
    text = (
        "workload_accounts:\n"
        "- name: a  # first\n"
        "  regions: [us-east-1]\n"
        "  # trailing comment of a\n"
        "\n"
        "# about defaults\n"
        "defaults: {}\n"
    )
    edited = append_account(text, ACCOUNT)
    assert edited.startswith(text.split("\n\n# about")[0] + '\n\n- name: fraud-prod\n  account_id: "333333333333"')
    assert edited.endswith("  models:\n  - m.x\n\n# about defaults\ndefaults: {}\n")


def test_a_file_without_a_final_newline_gets_one_before_the_entry() -> None:
    edited = append_account("workload_accounts:\n  - name: a", ACCOUNT)
    assert edited.startswith("workload_accounts:\n  - name: a\n\n  - name: fraud-prod\n")


@pytest.mark.parametrize(
    "text", ["workload_accounts: [{name: a}]\n", "workload_accounts:\n  - {name: a}\n", "workload_accounts: []\n"]
)
def test_layouts_that_cannot_be_edited_safely_are_refused(text: str) -> None:
    with pytest.raises(EditError, match="fix:"):
        append_account(text, ACCOUNT)


# --- next steps ----------------------------------------------------------------------------------------------


def _titles(stacks: Path, account: str) -> list[str]:
    org = load_organisation(stacks / "org.yaml")
    account_model = org.workload(account)
    assert account_model is not None
    return [step.title for step in next_steps(org, account_model, preflight_done=False)]


def test_a_new_region_puts_the_monitoring_stack_first(stacks: Path, onboard: Callable[..., Result]) -> None:
    result = onboard()
    titles = _titles(stacks, "fraud-prod")
    first = titles.index("Update the monitoring stack FIRST (monitoring)")
    assert first < titles.index("Deploy the account (fraud-prod)")
    assert "ap-northeast-1 is used by no other account" in result.output
    assert "pulumi up --stack monitoring" in result.output and "pulumi up --stack fraud-prod" in result.output


def test_with_an_organisation_sink_policy_and_known_regions_the_monitoring_update_follows(
    stacks: Path, onboard: Callable[..., Result]
) -> None:
    org_file = stacks / "org.yaml"
    org_file.write_text(
        org_file.read_text().replace("# organization_id: o-a1b2c3d4e5", "organization_id: o-a1b2c3d4e5")
    )
    assert onboard(regions="us-east-1").exit_code == 0
    titles = _titles(stacks, "fraud-prod")
    assert "Update the monitoring stack FIRST (monitoring)" not in titles
    assert titles.index("Deploy the account (fraud-prod)") < titles.index(
        "Update the monitoring stack (monitoring), any time after"
    )


def test_an_interrupt_after_org_yaml_was_replaced_puts_it_back(stacks: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    org, original, edited, stack = _pair(stacks)
    before = snapshot(stacks)
    replaced: list[str] = []
    real_replace = os.replace

    def replace(source: str, target: str) -> None:
        replaced.append(Path(target).read_text())
        real_replace(source, target)

    def interrupted(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(os, "link", interrupted)  # org.yaml is replaced first, the stack file linked last
    with pytest.raises(KeyboardInterrupt):
        write_pair(org, original, edited, stack, "config: {}\n")
    assert replaced == [original, edited]  # replaced with the edit, then put back
    assert snapshot(stacks) == before


_KILLED_ONBOARD = """
import os, signal, sys
from obsctl.cli import app
os.link = lambda *_: os.kill(os.getpid(), signal.SIGKILL)  # killed between replacing org.yaml and the link
sys.argv = ["obsctl", *sys.argv[1:]]
app()
"""


def test_a_killed_onboard_is_completed_by_running_it_again(stacks: Path, onboard: Callable[..., Result]) -> None:
    from inventory.load import PROJECT_DIR
    from obsctl.verify.run import account_regions, stack_names
    from tests.obsctl.onboard.conftest import NEW

    original = (stacks / "org.yaml").read_text()
    argv = ["onboard", "--stacks-dir", str(stacks), *(part for item in NEW.items() for part in item)]
    killed = subprocess.run([sys.executable, "-c", _KILLED_ONBOARD, *argv], cwd=PROJECT_DIR, check=False)
    assert killed.returncode == -signal.SIGKILL
    # org.yaml holds the account, its stack file was never written: nothing refers to the account yet, and
    # every stack still loads (verify --all works).
    assert (stacks / "org.yaml").read_text() == original + ENTRY
    assert not (stacks / "Pulumi.fraud-prod.yaml").exists()
    assert "fraud-prod" not in stack_names(stacks)
    assert account_regions(stack_names(stacks), stacks)[0]
    leftovers = sorted(p.name for p in stacks.iterdir() if p.name.endswith(".tmp"))
    assert leftovers  # what the kill left behind
    for name in leftovers:  # ... a while ago
        os.utime(stacks / name, (time.time() - 3600, time.time() - 3600))

    dry = onboard("--dry-run")
    assert dry.exit_code == 0 and "+++ " in dry.output and "org.yaml" not in dry.output.split("+++ ", 1)[1]
    result = onboard()
    assert result.exit_code == 0, result.output
    assert "is missing (an interrupted onboard?): writing only the stack file" in result.output
    assert "wrote " in result.output and "org.yaml" not in result.output.split("wrote ", 1)[1].splitlines()[0]
    assert (stacks / "org.yaml").read_text() == original + ENTRY  # not appended twice
    existing = (stacks / "Pulumi.research-dev.yaml").read_text()
    assert (stacks / "Pulumi.fraud-prod.yaml").read_text() == existing.replace("research-dev", "fraud-prod")
    assert [p.name for p in stacks.iterdir() if p.name.endswith(".tmp")] == []  # stale temp files removed
    assert "already onboarded with these settings" in onboard().output


def test_only_stale_temp_files_of_our_naming_are_removed(stacks: Path) -> None:
    old = time.time() - 3600
    ours_old = [stacks / ".org.yaml.abc123.tmp", stacks / ".Pulumi.fraud-prod.yaml.x1y2.tmp"]
    kept = [stacks / ".org.yaml.young.tmp", stacks / ".org.yaml.bak", stacks / "notes.tmp"]
    for path in ours_old + kept:
        path.write_text("x")
    for path in [*ours_old, kept[1], kept[2]]:
        os.utime(path, (old, old))
    assert sorted(remove_stale_temps(stacks)) == sorted(ours_old)
    assert all(path.exists() for path in kept) and not any(path.exists() for path in ours_old)
