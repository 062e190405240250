"""`obsctl loadgen`: plan validation, the refusal without --yes, and a stubbed bedrock-runtime (moto has no
Converse) for pacing, percentiles, throttles, error codes and streaming time to first token."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import EventStreamError
from botocore.stub import Stubber
from typer.testing import CliRunner

from inventory.load import read_stack_file, resolve_stack
from inventory.models import WorkloadAccount
from obsctl.cli import app
from obsctl.commands import loadgen as command
from obsctl.loadgen.plan import LoadPlan, PlanError, build_plan, input_tokens_upper_bound
from obsctl.loadgen.results import percentile, summarise
from obsctl.loadgen.runner import NOT_SENT, request, run
from tests.fake_clock import FakeClock
from tests.obsctl.moto_server import MotoServer

SONNET = "anthropic.claude-3-5-sonnet-20240620-v1:0"
SONNET_37 = "us.anthropic.claude-3-7-sonnet-20250219-v1:0"
TITAN = "amazon.titan-embed-text-v2:0"


def payments() -> WorkloadAccount:
    return resolve_stack("payments-prod", read_stack_file("payments-prod")).account


def stubbed_runtime(clock: FakeClock, latencies: list[float], stream: bool = False) -> tuple[Any, Stubber]:
    """A real bedrock-runtime client (botocore validates every request against its model) whose calls are
    answered by a Stubber; each call advances the fake clock by the next latency."""
    client = boto3.client("bedrock-runtime", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y")
    pending = list(latencies)
    operation = "ConverseStream" if stream else "Converse"
    stubber = _StreamStubber(client) if stream else Stubber(client)
    stubber.activate()
    # Emitted on every call (the stubber answers at "before-call", which stops at its response).
    client.meta.events.register(
        f"before-parameter-build.bedrock-runtime.{operation}", lambda **_: clock.sleep(pending.pop(0))
    )
    return client, stubber


class _StreamStubber(Stubber):
    """botocore's Stubber validates a response against the output shape, where ConverseStream's `stream`
    is an event stream object; the stub hands the runner an iterable of the same event dicts instead."""

    def _validate_operation_response(self, operation_name: str, service_response: dict[str, Any]) -> None:
        if operation_name != "ConverseStream":
            super()._validate_operation_response(operation_name, service_response)


def ok_response(input_tokens: int = 12, output_tokens: int = 5) -> dict[str, Any]:
    return {
        "output": {"message": {"role": "assistant", "content": [{"text": "Hello."}]}},
        "stopReason": "end_turn",
        "usage": {
            "inputTokens": input_tokens,
            "outputTokens": output_tokens,
            "totalTokens": input_tokens + output_tokens,
        },
        "metrics": {"latencyMs": 100},
    }


# --- plan ---------------------------------------------------------------------------------------------


def test_default_models_are_the_regions_converse_models() -> None:
    account = payments()
    plan = build_plan(account, "us-east-1", "gentle")
    assert plan.models == (SONNET, SONNET_37)  # the embedding model is not served by Converse
    assert (plan.load.requests, plan.load.concurrency, plan.load.interval_seconds) == (20, 1, 1.0)
    assert plan.requests_per_model() == {SONNET: 10, SONNET_37: 10}
    # eu-west-1: the us. inference profile is not callable there.
    assert build_plan(account, "eu-west-1", "burst").models == (SONNET,)
    burst = build_plan(account, "us-east-1", "burst")
    assert (burst.load.requests, burst.load.concurrency, burst.load.interval_seconds) == (40, 3, 0.0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"region": "us-west-2"}, "--region 'us-west-2' is not a region of account payments-prod; fix: use one of"),
        ({"models": ["anthropic.claude-v2"]}, "--models 'anthropic.claude-v2' is not a configured model"),
        ({"region": "eu-west-1", "models": [SONNET_37]}, "an inference profile of another geography"),
        ({"models": [TITAN]}, "is not served by the Converse API"),
        ({"models": [SONNET, SONNET]}, "lists a model twice"),
        ({"models": []}, "--models names no model; fix: list model ids separated by commas"),
        ({"requests": 201}, "--requests 201 is out of range; fix: use 1 to 200"),
        ({"concurrency": 0}, "--concurrency 0 is out of range; fix: use 1 to 10"),
    ],
)
def test_bad_options_are_refused_naming_option_value_and_fix(kwargs: dict[str, Any], message: str) -> None:
    options = {"region": "us-east-1", "profile": "gentle", **kwargs}
    with pytest.raises(PlanError) as raised:
        build_plan(payments(), **options)
    assert message in str(raised.value)


def test_estimate_is_an_upper_bound_from_the_price_table() -> None:
    plan = build_plan(payments(), "us-east-1", "burst")
    prompt_tokens = input_tokens_upper_bound(plan.load.prompt)
    assert prompt_tokens == 35  # 30 characters -> 15 + 20 framing
    # Both models at 0.003 / 0.015 USD per 1K (the us. profile priced through its base model):
    # 40 x (35 x 0.003 + 16 x 0.015) / 1000 = 40 x 0.000345
    assert plan.estimate() == (Decimal("0.013800"), [])


# --- runner and results ----------------------------------------------------------------------------------


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(20, 0, -1)]  # 20 samples, unordered
    assert (percentile(values, 50), percentile(values, 95), percentile(values, 99)) == (10.0, 19.0, 20.0)
    assert percentile([7.0], 99) == 7.0
    assert percentile([], 50) is None


def _gentle(
    requests: int, stream: bool = False, models: tuple[str, ...] = (SONNET, SONNET_37), **load: Any
) -> LoadPlan:
    plan = build_plan(payments(), "us-east-1", "gentle", list(models), requests, 1, stream)
    return replace(plan, load=replace(plan.load, **load))


def test_one_attempt_per_call_records_latency_throttles_and_error_codes() -> None:
    plan = _gentle(6)
    clock = FakeClock()
    # Binary fractions keep the arithmetic exact.
    client, stubber = stubbed_runtime(clock, [0.25, 0.125, 0.5, 0.375, 0.0625, 0.75])
    for index, outcome in enumerate(["ok", "ThrottlingException", "ok", "ok", "ValidationException", "ok"]):
        expected = request(plan, plan.schedule()[index])
        if outcome == "ok":
            stubber.add_response("converse", ok_response(10 + index, 3), expected)
        else:
            status = 429 if outcome == "ThrottlingException" else 400
            stubber.add_client_error("converse", outcome, "no", status, expected_params=expected)

    result = run(client, plan, clock=clock, sleep=clock.sleep)

    stubber.assert_no_pending_responses()  # exactly one attempt per call: a throttle is not retried
    assert [r.started_s for r in result.records] == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]  # one call a second
    sonnet, profile = summarise(result, plan)
    assert (sonnet.sent, sonnet.ok, sonnet.throttles, sonnet.errors) == (3, 2, 0, 1)
    assert sonnet.errors_by_code == {"ValidationException": 1}
    assert sonnet.latency_ms == {50: 250.0, 95: 500.0, 99: 500.0}
    assert (sonnet.input_tokens, sonnet.output_tokens) == (10 + 12, 6)
    assert sonnet.cost_usd == Decimal("0.000156")  # (22 x 0.003 + 6 x 0.015) / 1000
    assert (profile.sent, profile.ok, profile.throttles, profile.errors) == (3, 2, 1, 0)
    assert profile.errors_by_code == {"ThrottlingException": 1}
    assert profile.latency_ms == {50: 375.0, 95: 750.0, 99: 750.0}
    assert result.stopped is None


def test_streaming_measures_time_to_first_token_and_mid_stream_throttles() -> None:
    plan = _gentle(2, stream=True, models=(SONNET,))
    clock = FakeClock()
    client, stubber = stubbed_runtime(clock, [0.0, 0.0], stream=True)

    def events() -> Iterator[dict[str, Any]]:
        yield {"messageStart": {"role": "assistant"}}
        clock.sleep(0.125)
        yield {"contentBlockDelta": {"delta": {"text": "Hel"}, "contentBlockIndex": 0}}
        clock.sleep(0.25)
        yield {"contentBlockDelta": {"delta": {"text": "lo."}, "contentBlockIndex": 0}}
        yield {"messageStop": {"stopReason": "end_turn"}}
        yield {
            "metadata": {"usage": {"inputTokens": 9, "outputTokens": 2, "totalTokens": 11}, "metrics": {"latencyMs": 1}}
        }

    def throttled() -> Iterator[dict[str, Any]]:
        yield {"messageStart": {"role": "assistant"}}
        error = {"Error": {"Code": "ThrottlingException", "Message": "Too many tokens"}}
        raise EventStreamError(error, "ConverseStream")

    stubber.add_response("converse_stream", {"stream": events()}, request(plan, SONNET))
    stubber.add_response("converse_stream", {"stream": throttled()}, request(plan, SONNET))

    result = run(client, plan, clock=clock, sleep=clock.sleep)

    first, second = result.records
    assert (first.outcome, first.ttft_ms, first.latency_ms, first.output_tokens) == ("ok", 125.0, 375.0, 2)
    assert (second.outcome, second.kind) == ("ThrottlingException", "throttled")
    (summary,) = summarise(result, plan)
    assert summary.ttft_ms[95] == 125.0 and summary.throttles == 1


def test_expired_credentials_stop_the_run_instead_of_failing_every_call() -> None:
    plan = _gentle(4)
    clock = FakeClock()
    client, stubber = stubbed_runtime(clock, [0.0])
    stubber.add_client_error("converse", "ExpiredTokenException", "The security token is expired", 403)

    result = run(client, plan, clock=clock, sleep=clock.sleep)

    assert [r.outcome for r in result.records] == ["ExpiredTokenException", NOT_SENT, NOT_SENT, NOT_SENT]
    assert result.stopped is not None and "ExpiredTokenException" in result.stopped and "fix:" in result.stopped


def test_no_call_starts_after_the_time_limit() -> None:
    plan = _gentle(5, max_seconds=2.0)
    clock = FakeClock()
    client, stubber = stubbed_runtime(clock, [1.5, 1.5])
    stubber.add_response("converse", ok_response(), request(plan, SONNET))
    stubber.add_response("converse", ok_response(), request(plan, SONNET_37))

    result = run(client, plan, clock=clock, sleep=clock.sleep)

    assert [r.outcome for r in result.records] == ["ok", "ok", NOT_SENT, NOT_SENT, NOT_SENT]
    assert result.stopped == "time limit of 2s reached"


# --- the command ---------------------------------------------------------------------------------------


def test_without_yes_nothing_is_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_aws(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("an AWS session was created without --yes")

    monkeypatch.setattr(command, "Sessions", no_aws)
    monkeypatch.setattr(command, "runtime_client", no_aws)
    result = CliRunner().invoke(
        app, ["loadgen", "--stack", "payments-prod", "--region", "us-east-1", "--profile", "burst"]
    )
    assert result.exit_code == 2
    assert "40 Converse calls to account payments-prod (111111111111) in us-east-1, 3 worker(s)" in result.stdout
    assert "20 x anthropic.claude-3-5-sonnet-20240620-v1:0" in result.stdout
    assert "estimated cost: at most $0.0138" in result.stdout
    assert "Nothing sent" in result.stderr and "--yes" in result.stderr


def test_bad_input_fails_before_any_aws_call(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(command, "Sessions", lambda *a, **k: pytest.fail("AWS reached"))
    runner = CliRunner()
    for args, message in (
        (["--stack", "monitoring", "--region", "us-east-1"], "deploys the monitoring account"),
        (["--stack", "payments-prod", "--region", "us-west-2"], "--region 'us-west-2' is not a region"),
        (["--stack", "payments-prd", "--region", "us-east-1"], "no such stack 'payments-prd'"),
        (["--stack", "payments-prod", "--region", "us-east-1", "--aws-profile", "nope"], "--aws-profile 'nope' is not"),
    ):
        result = runner.invoke(app, ["loadgen", *args, "--profile", "gentle", "--yes"])
        assert result.exit_code == 2 and message in result.stderr, result.stderr


@pytest.mark.parametrize("models", [",", "", " , "])
def test_an_empty_model_list_is_refused(monkeypatch: pytest.MonkeyPatch, models: str) -> None:
    monkeypatch.setattr(command, "Sessions", lambda *a, **k: pytest.fail("AWS reached"))
    args = ["--stack", "payments-prod", "--region", "us-east-1", "--profile", "gentle", "--yes", "--models", models]
    result = CliRunner().invoke(app, ["loadgen", *args])
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == (
        f"--models {models!r} names no model; fix: list model ids separated by commas, or omit --models for the "
        "region's text models"
    )


def test_a_json_path_that_cannot_be_written_is_refused_before_any_call(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(command, "Sessions", lambda *a, **k: pytest.fail("AWS reached"))
    read_only = tmp_path / "kept.json"
    read_only.write_text("{}")
    read_only.chmod(0o444)
    real_access = os.access

    # Root may write anything, so the read-only file is read-only the way os.access reports it for others.
    def access(path: Any, mode: int, **kwargs: Any) -> bool:
        return real_access(path, mode, **kwargs) and not (mode & os.W_OK and Path(path) == read_only)

    monkeypatch.setattr(os, "access", access)
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    cases = [
        (tmp_path, f"--json path {tmp_path} is a directory; fix: name a file, e.g. {tmp_path / 'loadgen.json'}"),
        (read_only, f"--json path {read_only} is read-only; fix: make it writable or choose another --json path"),
        (not_a_folder / "load.json", f"cannot write into {not_a_folder} (it is a file)"),
    ]
    if Path("/proc/self").exists():  # a folder where no file can be created, whoever runs the test
        cases.append((Path("/proc/load.json"), "cannot write into /proc"))
    args = ["--stack", "payments-prod", "--region", "us-east-1", "--profile", "gentle", "--yes"]
    for path, message in cases:
        result = CliRunner().invoke(app, ["loadgen", *args, "--json", str(path)])
        assert result.exit_code == 2 and message in result.stderr, (path, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1
    assert read_only.read_text() == "{}"


def test_sends_with_the_accounts_deploy_role_and_writes_json(
    moto: MotoServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    seen: dict[str, str] = {}

    def stubbed(session: Any, region: str) -> Any:
        # The session the command built is the assumed deploy role of the stack's account.
        seen["account"] = session.client("sts", region).get_caller_identity()["Account"]
        client = session.client("bedrock-runtime", region)
        stubber = Stubber(client)
        stubber.add_response("converse", ok_response(20, 4))
        stubber.add_client_error("converse", "ThrottlingException", "slow down", 429)
        stubber.add_response("converse", ok_response(20, 6))
        stubber.activate()
        return client

    monkeypatch.setattr(command, "runtime_client", stubbed)
    out = tmp_path / "load.json"
    result = CliRunner().invoke(
        app,
        [
            "loadgen", "--stack", "payments-prod", "--region", "us-east-1", "--profile", "burst",
            "--requests", "3", "--concurrency", "1", "--models", SONNET, "--yes",
            "--endpoint-url", moto.endpoint, "--json", str(out),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert seen["account"] == "111111111111"
    assert "errors by code: ThrottlingException 1" in result.stdout
    document = json.loads(out.read_text())
    (model,) = document["models"]
    assert (model["sent"], model["ok"], model["throttles"], model["errors"]) == (3, 2, 1, 0)
    assert (model["input_tokens"], model["output_tokens"]) == (40, 10)
    assert model["estimated_cost_usd"] == 0.00027  # (40 x 0.003 + 10 x 0.015) / 1000
    assert [r["outcome"] for r in document["requests"]] == ["ok", "ThrottlingException", "ok"]
    assert document["plan"]["estimated_cost_usd_upper_bound"] == 0.001035  # 3 x 0.000345


def test_an_aws_profile_of_another_account_is_refused(
    moto: MotoServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    credentials = tmp_path / "credentials"
    credentials.write_text("[other]\naws_access_key_id = testing\naws_secret_access_key = testing\n")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    monkeypatch.setattr(command, "runtime_client", lambda *a: pytest.fail("sent from the wrong account"))
    args = ["--stack", "payments-prod", "--region", "us-east-1", "--profile", "gentle", "--yes"]
    result = CliRunner().invoke(app, ["loadgen", *args, "--aws-profile", "other", "--endpoint-url", moto.endpoint])
    assert result.exit_code == 2
    assert "--aws-profile 'other' signs in to account 123456789012, not 111111111111" in result.stderr


def test_an_endpoint_without_converse_stops_at_the_first_call(moto: MotoServer, tmp_path: Path) -> None:
    out = tmp_path / "load.json"
    args = ["--stack", "payments-prod", "--region", "us-east-1", "--profile", "burst", "--requests", "5"]
    result = CliRunner().invoke(app, ["loadgen", *args, "--yes", "--endpoint-url", moto.endpoint, "--json", str(out)])
    assert result.exit_code == 1
    assert "is not implemented by the endpoint" in result.stderr
    document = json.loads(out.read_text())
    assert document["totals"]["sent"] <= 3 and document["totals"]["not_sent"] >= 2  # at most one per worker
