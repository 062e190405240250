"""The service control policies in policies/scp/: rendered from vocabulary.scp, valid IAM JSON within the SCP
size limit, naming only real actions, and covering every log store the example plans create."""

from __future__ import annotations

import fnmatch
import json
import re
from pathlib import Path
from typing import Any

import botocore.session
import pytest

from tests.conftest import org_data, resources
from vocabulary import scp

SCP_DIR = Path(__file__).parents[2] / "policies" / "scp"
FILES = sorted(SCP_DIR.glob("*.json"))
# IAM service prefix -> botocore service model name.
SERVICES = {"bedrock": "bedrock", "cloudtrail": "cloudtrail", "logs": "logs", "kms": "kms", "s3": "s3"}
_SESSION = botocore.session.get_session()


def _documents() -> dict[str, dict[str, Any]]:
    return {path.name: json.loads(path.read_text()) for path in FILES}


def _statements() -> list[dict[str, Any]]:
    return [s for document in _documents().values() for s in document["Statement"]]


def _list(value: Any) -> list[str]:
    return value if isinstance(value, list) else [value]


def test_files_are_what_the_vocabulary_renders() -> None:
    rendered = scp.documents()
    assert sorted(rendered) == [path.name for path in FILES]
    for path in FILES:
        assert path.read_text() == scp.render(rendered[path.name]), (
            f"{path.name} differs from vocabulary.scp; fix: python -m vocabulary.scp"
        )


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_each_is_a_valid_scp_within_the_size_limit(path: Path) -> None:
    text = path.read_text()
    assert len(text) <= scp.MAX_SCP_CHARACTERS
    document = json.loads(text)
    assert set(document) == {"Version", "Statement"} and document["Version"] == "2012-10-17"
    sids = [s["Sid"] for s in document["Statement"]]
    assert len(sids) == len(set(sids)) and all(re.fullmatch(r"[A-Za-z0-9]+", sid) for sid in sids)
    for statement in document["Statement"]:
        # SCPs deny; they take no Principal; every statement names actions and resources.
        assert statement["Effect"] == "Deny" and "Principal" not in statement and "NotAction" not in statement
        assert set(statement) <= {"Sid", "Effect", "Action", "Resource", "Condition"}
        assert _list(statement["Action"]) and _list(statement["Resource"])


@pytest.mark.parametrize("action", sorted({a for s in _statements() for a in _list(s["Action"])}))
def test_every_action_is_real(action: str) -> None:
    """An IAM action is an API operation of the service's botocore model, or (where IAM names differ, e.g.
    s3:PutLifecycleConfiguration for PutBucketLifecycleConfiguration) named in an operation's documentation."""
    prefix, name = action.split(":")
    assert "*" not in name
    model = _SESSION.get_service_model(SERVICES[prefix])
    if name in model.operation_names:
        return
    documented = " ".join(model.operation_model(op).documentation or "" for op in model.operation_names)
    assert f"{prefix}:{name}" in documented, f"{action} is neither an operation nor a documented permission"


def test_only_the_deploy_role_of_every_example_account_is_excepted() -> None:
    role_names = {a["deploy_role_arn"].rsplit("/", 1)[1] for a in org_data()["workload_accounts"]}
    assert role_names == {scp.DEFAULT_DEPLOY_ROLE_NAME}
    for name, document in _documents().items():
        for statement in document["Statement"]:
            excepted = statement.get("Condition", {}).get("ArnNotLike", {}).get("aws:PrincipalArn")
            if name == "deny-prompt-unmask.json":
                assert excepted == "arn:aws:iam::*:role/bedrock-observability-unmask"
            elif statement["Sid"] == "NoOneErasesLogObjectVersions":
                assert excepted is None  # not even the deploy role
            else:
                assert excepted == f"arn:aws:iam::*:role/{scp.DEFAULT_DEPLOY_ROLE_NAME}"


def test_the_issue_list_is_denied() -> None:
    denied = {a for s in _statements() for a in _list(s["Action"])}
    assert {
        "bedrock:DeleteModelInvocationLoggingConfiguration",
        "bedrock:PutModelInvocationLoggingConfiguration",
        "cloudtrail:StopLogging",
        "cloudtrail:DeleteTrail",
        "cloudtrail:UpdateTrail",
        "cloudtrail:PutEventSelectors",
        "logs:DeleteLogGroup",
        "logs:DeleteDataProtectionPolicy",
        "logs:PutRetentionPolicy",
        "kms:ScheduleKeyDeletion",
        "kms:DisableKey",
        "s3:PutBucketPolicy",
        "s3:DeleteBucket",
    } <= denied


def _resources_of(action: str) -> list[str]:
    return [r for s in _statements() if action in _list(s["Action"]) for r in _list(s["Resource"])]


@pytest.mark.parametrize(("stack", "account"), [("payments-prod", "111111111111"), ("research-dev", "222222222222")])
def test_every_log_store_of_the_example_plans_is_covered(example_plans: dict, stack: str, account: str) -> None:
    plan = example_plans[stack]
    buckets = _resources_of("s3:PutBucketPolicy")
    for bucket in resources(plan, "aws:s3/bucket:Bucket"):
        arn = f"arn:aws:s3:::{bucket['inputs']['bucket']}"
        assert any(fnmatch.fnmatchcase(arn, pattern) for pattern in buckets), arn
    groups = _resources_of("logs:DeleteLogGroup")
    for group in resources(plan, "aws:cloudwatch/logGroup:LogGroup"):
        inputs = group["inputs"]
        arn = f"arn:aws:logs:{inputs['region']}:{account}:log-group:{inputs['name']}"
        assert any(fnmatch.fnmatchcase(arn, pattern) for pattern in groups), arn
    [trail] = resources(plan, "aws:cloudtrail/trail:Trail")
    trail_arn = f"arn:aws:cloudtrail:{trail['inputs']['region']}:{account}:trail/{trail['inputs']['name']}"
    assert any(fnmatch.fnmatchcase(trail_arn, pattern) for pattern in _resources_of("cloudtrail:StopLogging"))
    aliases = {a["inputs"]["name"] for a in resources(plan, "aws:kms/alias:Alias")}
    [keys] = [s for s in _statements() if "kms:ScheduleKeyDeletion" in _list(s["Action"])]
    assert aliases <= set(keys["Condition"]["ForAnyValue:StringEquals"]["kms:ResourceAliases"])
