"""The pack loads the way `pulumi preview --policy-pack policies` runs it: `python policies/__main__.py`
starts the analyzer gRPC server and prints its port; a real gRPC client then asks it for its policies."""

from __future__ import annotations

import os
import select
import subprocess
import sys
from pathlib import Path

import grpc
import yaml
from google.protobuf import empty_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc

from obsctl.policy_check import PACK_DIR, check_plans, load_pack
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
