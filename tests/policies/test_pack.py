"""The pack loads the way `pulumi preview --policy-pack policies` runs it: `python policies/__main__.py`
starts the analyzer gRPC server and prints its port; a real gRPC client then asks it for its policies."""

from __future__ import annotations

import ast
import os
import re
import select
import subprocess
import sys
from pathlib import Path

import grpc
import yaml
from google.protobuf import empty_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc

from obsctl.policy import PACK_DIR, check_plans, load_pack
from tests.policy_fixtures.build import load


def test_pack_serves_every_policy_over_grpc(tmp_path: Path) -> None:
    # Run from an unrelated directory with only the pack dir importable, as the CLI's language host does.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    process = subprocess.Popen(
        [sys.executable, "-u", str(PACK_DIR / "__main__.py")],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # PolicyPack prints its port, then blocks serving; never wait forever on a pack that hangs.
        ready, _, _ = select.select([process.stdout], [], [], 60)
        assert ready, "the policy pack printed no port within 60 s"
        port_line = process.stdout.readline()
        assert port_line.strip().isdigit(), (port_line, process.stderr.read() if process.poll() else "")
        with grpc.insecure_channel(f"127.0.0.1:{port_line.strip()}") as channel:
            stub = analyzer_pb2_grpc.AnalyzerStub(channel)
            info = stub.GetAnalyzerInfo(empty_pb2.Empty(), timeout=20)
            served = {p.name: p for p in info.policies}
            assert info.name == load_pack().PACK_NAME
            assert set(served) == {p.name for p in load_pack().ALL_POLICIES}
            assert served["log-group-retention"].enforcementLevel == analyzer_pb2.MANDATORY
            # The served pack judges a resource the same way the offline check does.
            request = analyzer_pb2.AnalyzeRequest(
                type="aws:sns/topic:Topic", urn="urn:pulumi:s::p::t::alerts", name="alerts"
            )
            response = stub.Analyze(request, timeout=20)
            assert [d.policyName for d in response.diagnostics] == ["sns-topic-kms"]
    finally:
        process.kill()
        process.wait(timeout=10)


def test_pack_manifest_and_requirements_match_the_repo_pins() -> None:
    manifest = yaml.safe_load((PACK_DIR / "PulumiPolicy.yaml").read_text())
    assert manifest["runtime"]["name"] == "python" and manifest["version"]
    pins = dict(line.split("==") for line in (PACK_DIR / "requirements.txt").read_text().split())
    repo = dict(line.split("==") for line in (PACK_DIR.parent / "requirements.txt").read_text().split() if "==" in line)
    assert pins == {"pulumi": repo["pulumi"], "pulumi-policy": repo["pulumi-policy"]}


def test_offline_report_carries_the_manifest_version() -> None:
    manifest = yaml.safe_load((PACK_DIR / "PulumiPolicy.yaml").read_text())
    assert check_plans([("p", load("good_workload.json"))]).version == str(manifest["version"])


def test_every_rule_of_the_pack_is_exercised() -> None:
    """A new rule without cases in the resource table (or a stack-rule test) fails this test."""
    from obsctl.policy.plan_rules import PLAN_RULES
    from tests.policies.cases import RESOURCE_CASES
    from tests.policies.test_stack_rules import STACK_RULES

    tested_apart = {"data-resources-protected", "data-resources-retained", "kms-alias-target"}
    covered = {c[0] for c in RESOURCE_CASES} | set(STACK_RULES) | tested_apart
    assert {p.name for p in load_pack().ALL_POLICIES} | {r.name for r in PLAN_RULES} == covered


def test_every_rule_has_a_violating_case_and_a_compliant_one() -> None:
    from tests.policies.cases import RESOURCE_CASES

    rules = {c[0] for c in RESOURCE_CASES}
    assert all(any(c[0] == rule and c[3] for c in RESOURCE_CASES) for rule in rules)


def _readme_rows() -> dict[str, str]:
    """Rule name -> its README table row, for every row of the policy pack's rule tables."""
    text = (PACK_DIR.parent / "README.md").read_text()
    section = text.split("## Policy pack `bedrock-guardrails` (CrossGuard)", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        match = re.match(r"^\| `([a-z0-9-]+)`", line)
        if match:
            rows[match.group(1)] = line
    return rows


def test_readme_rule_tables_list_every_rule_with_its_control() -> None:
    from obsctl.policy.plan_rules import PLAN_RULES

    pack = load_pack()
    rows = _readme_rows()
    assert set(rows) == {p.name for p in pack.ALL_POLICIES} | {r.name for r in PLAN_RULES}
    for policy in pack.ALL_POLICIES:
        if policy.framework is not None:
            # The row names each control and the standards it belongs to, as the rule's metadata does.
            assert policy.framework.reference in rows[policy.name], policy.name
            for standard in policy.framework.specification.split("; "):
                assert standard in rows[policy.name], (policy.name, standard)


def test_controls_outside_fsbp_are_not_labelled_fsbp() -> None:
    """SNS.1 left FSBP in April 2024; CloudWatch.15-17, KMS.4, S3.14 and S3.17 were never in it."""
    sys.path.insert(0, str(PACK_DIR))
    from bedrock_guardrails._controls import CONTROLS, FSBP, NIST

    for control in ("SNS.1", "CloudWatch.15", "CloudWatch.16", "CloudWatch.17", "KMS.4", "S3.14", "S3.17"):
        assert FSBP not in CONTROLS[control] and NIST in CONTROLS[control], control
    for policy in load_pack().ALL_POLICIES:
        if policy.framework is not None:
            assert policy.framework.name == "AWS Security Hub"
            assert all(c in CONTROLS for c in policy.framework.reference.split(", "))


def test_pack_imports_nothing_from_the_project() -> None:
    """The pack is installed on its own (policies/requirements.txt): only stdlib, pulumi and itself."""
    allowed = {"bedrock_guardrails", "pulumi", "pulumi_policy", "__future__"} | set(sys.stdlib_module_names)
    for path in PACK_DIR.rglob("*.py"):
        if "venv" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module]
                if isinstance(node, ast.ImportFrom) and node.module
                else []
            )
            for name in names:
                assert name.split(".")[0] in allowed, f"{path.name} imports {name}"
