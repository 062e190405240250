"""`policy-check` on several workers, and the servicer that decodes each property struct once: the same
report as one process running pulumi-policy's servicer as the CLI does, on compliant and violating plans;
bad input refused with the same single error whatever the number of workers."""

from __future__ import annotations

import copy
import functools
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from google.protobuf import json_format
from pulumi_policy import proxy

from obsctl import pulumi_internals
from obsctl.policy import UNKNOWN, PolicyInputError, parse_policy_config
from obsctl.policy.engine import load_pack, make_servicer
from obsctl.policy.plan import validate_plan
from obsctl.policy.translate import analyze_messages, configure_stack_request
from obsctl.policy.workers import check_plan_files, deal
from tests.policies.fixtures import HERE as OWN
from tests.policies.mutations import MUTATIONS
from tests.policy_fixtures.build import HERE, plan, state

EXAMPLE_CONFIG = parse_policy_config(
    json.loads((HERE.parents[1] / "policies" / "policy-config.example.json").read_text()), "example"
)
SECRET = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "plaintext": "30"}


def _write(directory: Path, name: str, document: dict[str, Any]) -> Path:
    path = directory / f"{name}.json"
    path.write_text(json.dumps(document))
    return path


@pytest.fixture(scope="module")
def plan_files(example_plans: dict[str, dict[str, Any]], tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The example plans, every single-edit mutation of them (each violates one rule), the broken fixture
    and a plan with values unknown at preview and a secret: compliant and violating plans of every kind."""
    directory = tmp_path_factory.mktemp("plan-files")
    paths = [_write(directory, name, document) for name, document in sorted(example_plans.items())]
    for case, plan_name, edit, _, _ in MUTATIONS:
        document = copy.deepcopy(example_plans[plan_name])
        edit(document)
        paths.append(_write(directory, f"mutation-{case}", document))
    paths.append(HERE / "broken_workload.json")
    unknowns = plan(
        state("aws:cloudwatch/logGroup:LogGroup", "g", {"retentionInDays": UNKNOWN, "kmsKeyId": UNKNOWN}),
        state("aws:cloudwatch/logGroup:LogGroup", "s", {"retentionInDays": SECRET, "kmsKeyId": "k"}, protect=True),
        state("aws:s3/bucket:Bucket", "b", {"bucket": UNKNOWN}),
    )
    paths.append(_write(directory, "unknowns", unknowns))
    return paths


@pytest.fixture
def sdk_servicer(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process checks with pulumi-policy's servicer exactly as the CLI runs it (no shared decoding)."""
    plain = functools.partial(pulumi_internals.analyzer_servicer, decode_once=False)
    monkeypatch.setattr(pulumi_internals, "analyzer_servicer", plain)


@pytest.fixture
def read_only_properties(monkeypatch: pytest.MonkeyPatch) -> None:
    """A rule writing to a resource's properties fails (sharing one decoding between policies relies on it)."""

    def refuse(self: Any, key: Any, value: Any) -> None:
        raise AssertionError(f"a rule wrote {key!r} into a resource's properties")

    monkeypatch.setattr(proxy._DictProxy, "__setitem__", refuse)


@pytest.fixture(scope="module")
def one_worker(plan_files: list[Path]) -> dict[str, Any]:
    return check_plan_files(plan_files, EXAMPLE_CONFIG, workers=1).to_json()


def test_the_plans_cover_findings_of_every_kind(one_worker: dict[str, Any]) -> None:
    findings = [f for p in one_worker["plans"] for f in p["findings"]]
    assert {f["level"] for f in findings} == {"mandatory", "advisory"}
    assert any(f["unknown_at_preview"] for f in findings)
    assert len({f["policy"] for f in findings}) >= 30
    assert not [f for f in findings if f["policy"] == "(pack error)"]
    assert any(p["notApplicable"] for p in one_worker["plans"])


def test_shared_decoding_reports_what_the_sdk_servicer_reports(
    plan_files: list[Path], one_worker: dict[str, Any], sdk_servicer: None
) -> None:
    assert check_plan_files(plan_files, EXAMPLE_CONFIG, workers=1).to_json() == one_worker


def test_rules_never_write_to_the_shared_properties(plan_files: list[Path], read_only_properties: None) -> None:
    report = check_plan_files(plan_files, EXAMPLE_CONFIG, workers=1).to_json()
    assert not [f for p in report["plans"] for f in p["findings"] if f["policy"] == "(pack error)"]


def test_two_workers_report_what_one_reports(plan_files: list[Path], one_worker: dict[str, Any]) -> None:
    report = check_plan_files(plan_files, EXAMPLE_CONFIG, workers=2).to_json()
    assert [p["plan"] for p in report["plans"]] == [str(path) for path in plan_files]
    assert json.dumps(report, indent=2) == json.dumps(one_worker, indent=2)


def test_each_property_struct_is_decoded_once_per_stack(
    example_plans: dict[str, dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not once per policy: the resources' properties, and each provider's once for all its resources."""
    decoded: Counter[bytes] = Counter()
    original = json_format.MessageToDict

    def counting(message: Any, *args: Any, **kwargs: Any) -> Any:
        decoded[message.SerializeToString(deterministic=True)] += 1
        return original(message, *args, **kwargs)

    monkeypatch.setattr(json_format, "MessageToDict", counting)
    servicer = make_servicer(load_pack())
    document = validate_plan(example_plans["payments-prod"], "payments-prod")
    servicer.ConfigureStack(configure_stack_request(document), None)
    requests, stack_request = analyze_messages(document)
    for _, request in requests:
        servicer.Analyze(request, None)
    servicer.AnalyzeStack(stack_request, None)
    assert decoded and max(decoded.values()) == 1
    assert len(decoded) <= len(requests) + len(document.providers)


def test_dealing_balances_bytes_and_keeps_each_share_in_order(tmp_path: Path) -> None:
    sizes = [900, 100, 100, 300, 300, 300, 50]
    items = []
    for index, size in enumerate(sizes):
        path = tmp_path / f"{index}.json"
        path.write_bytes(b" " * size)
        items.append((index, path))
    shares = deal(items, 2)
    assert sorted(item for share in shares for item in share) == items
    assert all(share == sorted(share) for share in shares)
    loads = [sum(sizes[index] for index, _ in share) for share in shares]
    assert max(loads) - min(loads) <= 100
    assert deal(items[:1], 4) == [items[:1]]


# --- bad input: the error one process names, whatever the number of workers ----------------------------


def _bad_files(tmp_path: Path) -> dict[str, Path]:
    good = OWN / "good_workload.json"
    invalid = _write(tmp_path, "invalid", {"steps": []})
    unparsable = tmp_path / "unparsable.json"
    unparsable.write_text("{not json")
    return {"good": good, "invalid": invalid, "unparsable": unparsable, "missing": tmp_path / "missing.json"}


@pytest.mark.parametrize(
    ("order", "config", "named", "fragment"),
    [
        # Every file is read before any is validated: an unreadable later file is named first.
        (["invalid", "good", "unparsable"], None, "unparsable", "not valid JSON"),
        (["good", "missing", "unparsable"], None, "missing", "cannot read the plan"),
        (["good", "good", "invalid"], None, "invalid", "should be non-empty"),
        # The config is checked against the rules after the plans.
        (["good", "invalid"], {"sns-topic-kmss": "advisory"}, "invalid", "should be non-empty"),
        (["good", "good"], {"sns-topic-kmss": "advisory"}, "cfg.json", "did you mean 'sns-topic-kms'"),
    ],
)
@pytest.mark.parametrize("workers", [1, 2])
def test_bad_input_names_the_same_error_for_any_number_of_workers(
    tmp_path: Path, order: list[str], config: dict[str, Any] | None, named: str, fragment: str, workers: int
) -> None:
    files = _bad_files(tmp_path)
    policy_config = parse_policy_config(config, "cfg.json") if config else None
    with pytest.raises(PolicyInputError) as refused:
        check_plan_files([files[name] for name in order], policy_config, "cfg.json", workers=workers)
    message = str(refused.value)
    assert fragment in message and str(files.get(named, named)) in message, message
