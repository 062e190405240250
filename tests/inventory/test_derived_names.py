"""Every derived physical name is checked against its AWS limit and for collisions, at inventory time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from inventory import derived_names
from inventory.errors import ConfigError
from inventory.load import load_organisation
from inventory.models import Organisation
from tests.conftest import org_data
from vocabulary import limits, names

# Inputs of every physical name a plan holds, by resource type.
_NAME_INPUTS = {
    "aws:cloudwatch/metricAlarm:MetricAlarm": ("name", derived_names.ALARM),
    "aws:cloudwatch/compositeAlarm:CompositeAlarm": ("alarmName", derived_names.ALARM),
    "aws:cloudwatch/dashboard:Dashboard": ("dashboardName", derived_names.DASHBOARD),
    "aws:sns/topic:Topic": ("name", derived_names.TOPIC),
    "aws:s3/bucket:Bucket": ("bucket", derived_names.BUCKET),
    "aws:iam/role:Role": ("name", derived_names.ROLE),
    "aws:cloudwatch/logGroup:LogGroup": ("name", derived_names.LOG_GROUP),
    "aws:cloudwatch/logMetricFilter:LogMetricFilter": ("name", derived_names.METRIC_FILTER),
    "aws:cloudtrail/trail:Trail": ("name", derived_names.TRAIL),
    "aws:budgets/budget:Budget": ("name", derived_names.BUDGET),
    "aws:kms/alias:Alias": ("name", derived_names.KEY_ALIAS),
    "aws:oam/sink:Sink": ("name", derived_names.SINK),
    "aws:oam/link:Link": ("labelTemplate", derived_names.LINK_LABEL),
}


def long_model(length: int) -> str:
    """A well-formed model id (provider.part.part.part:version, parts of at most 63) of `length` characters."""
    base = f"anthropic.{'x' * 63}.{'y' * 63}."
    rest = length - len(base)
    assert 1 <= rest <= 60 + 1 + 63
    return base + ("z" * rest if rest <= 63 else "z" * 60 + ":" + "0" * (rest - 61))


def refusal(tmp_path: Path, org: dict[str, Any]) -> str:
    path = tmp_path / "org.yaml"
    path.write_text(yaml.safe_dump(org))
    with pytest.raises(ConfigError) as caught:
        load_organisation(path)
    return str(caught.value)


def test_every_name_the_example_plans_create_is_checked(example_plans: dict[str, dict[str, Any]]) -> None:
    checked = {(d.kind, d.name) for d in derived_names.derived_names(Organisation.model_validate(org_data()))}
    planned = set()
    for plan in example_plans.values():
        for step in plan["steps"]:
            state = step["newState"]
            if state["type"] in _NAME_INPUTS:
                key, kind = _NAME_INPUTS[state["type"]]
                planned.add((kind, state["inputs"][key]))
    assert {kind for kind, _ in planned} == {kind for _, kind in _NAME_INPUTS.values()}  # the table is not stale
    assert planned - checked == set()


def test_example_org_names_fit_and_do_not_collide() -> None:
    org = Organisation.model_validate(org_data())
    assert derived_names.problems(org) == []


def test_long_model_id_names_the_model_the_region_and_the_fix(tmp_path: Path) -> None:
    org = org_data()
    org["workload_accounts"][0]["models"].append(long_model(206))
    message = refusal(tmp_path, org)
    assert "workload_accounts[0].models[3] = 'anthropic.xxxx" in message
    assert "makes the CloudWatch alarm name 'bedrock-payments-prod-us-east-1-anthropic.xxx" in message
    assert "in us-east-1 " in message and "AWS allows 255" in message
    assert "remove or replace workload_accounts[0].models[3]" in message
    assert message.count("\n  - ") == 1  # one problem per model, not one per alarm


def test_model_that_fits_under_a_shorter_account_name(tmp_path: Path) -> None:
    org = org_data()
    org["workload_accounts"][1]["name"] = "research-and-development-sandbox"  # 32 characters
    org["workload_accounts"][1]["models"].append(long_model(180))
    message = refusal(tmp_path, org)
    assert "fix: shorten workload_accounts[1].name ('research-and-development-sandbox') by at least" in message
    assert "in ap-southeast-2" in message  # the longest region makes the longest name


@pytest.mark.parametrize(
    "twin", ["anthropic.claude-3-5-sonnet-20240620-v1-0", "anthropic.claude-3-5-sonnet-20240620:v1-0"]
)
def test_models_with_the_same_slug_collide(tmp_path: Path, twin: str) -> None:
    org = org_data()
    org["workload_accounts"][0]["models"].append(twin)
    message = refusal(tmp_path, org)
    assert (
        f"workload_accounts[0].models[0] = 'anthropic.claude-3-5-sonnet-20240620-v1:0' and "
        f"workload_accounts[0].models[3] = {twin!r} both make the CloudWatch alarm name" in message
    )
    assert "fix: keep only one of them" in message


def test_collisions_across_accounts_only_within_one_aws_account() -> None:
    org = Organisation.model_validate(org_data())
    found = list(derived_names.derived_names(org))
    # Both workload accounts create the same trail and log group names, each in its own AWS account: fine.
    assert sum(d.name == names.TRAIL_NAME for d in found) == 2
    assert derived_names.problems(org) == []


def test_too_long_names_from_a_patched_vocabulary_are_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check reads the vocabulary: a name function that grows past a limit fails validation."""
    monkeypatch.setattr(names, "budget_name", lambda account: f"bedrock-{account}-" + "m" * 100)
    with pytest.raises(ValueError, match=r"AWS Budgets budget name .* AWS allows 100"):
        Organisation.model_validate(org_data())


def test_saved_query_names_fit_for_any_account_name() -> None:
    # Saved-query titles are fixed in the builders, so no inventory can make these too long: proven here
    # for the longest account name the inventory accepts.
    from components.monitoring import queries

    titles = [q.title for q in (*queries.invocation_log_queries(), *queries.trail_queries())]
    longest = max(len(names.saved_query_name("a" * 32, title)) for title in titles)
    assert longest <= limits.MAX_QUERY_DEFINITION_NAME
