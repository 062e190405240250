"""Sessions, retries and error messages of the AWS layer, against a real moto server."""

from __future__ import annotations

import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    ReadTimeoutError,
)

from obsctl.aws.errors import classify, explain
from obsctl.aws.parallel import map_bounded
from obsctl.aws.session import SessionInputError, Sessions, UnsupportedByEndpoint, check_endpoint_url
from tests.obsctl.moto_server import OPERATOR_ENV, MotoServer


def test_assumed_role_calls_land_in_the_roles_account(moto: MotoServer) -> None:
    sessions = Sessions(endpoint_url=moto.endpoint)
    for account in ("111111111111", "222222222222"):
        session = sessions.for_role(f"arn:aws:iam::{account}:role/bedrock-observability-deploy")
        assert session.client("sts", "eu-west-1").get_caller_identity()["Account"] == account
    # The role's session is cached: one AssumeRole per role, one client per service and region.
    role = "arn:aws:iam::111111111111:role/bedrock-observability-deploy"
    assert sessions.for_role(role) is sessions.for_role(role)
    assert sessions.for_role(role).client("s3", "us-east-1") is sessions.for_role(role).client("s3", "us-east-1")


def test_seeded_resources_are_seen_only_in_their_account(moto: MotoServer) -> None:
    moto.client("s3", account_id="111111111111").create_bucket(Bucket="only-in-111")
    sessions = Sessions(endpoint_url=moto.endpoint)
    mine = sessions.for_role("arn:aws:iam::111111111111:role/r").client("s3", "us-east-1").list_buckets()
    other = sessions.for_role("arn:aws:iam::222222222222:role/r").client("s3", "us-east-1").list_buckets()
    assert [b["Name"] for b in mine["Buckets"]] == ["only-in-111"]
    assert other["Buckets"] == []


def test_an_operation_the_emulator_lacks_is_refused_at_once_not_retried(moto: MotoServer) -> None:
    client = Sessions(endpoint_url=moto.endpoint).operator.client("bedrock", "us-east-1")
    with pytest.raises(UnsupportedByEndpoint) as raised:
        client.list_foundation_models()
    assert classify(raised.value)[0] == "unsupported"


def _client_error(code: str, message: str = "boom") -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": message}}, "AnyOperation")


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (_client_error("ExpiredToken", "The security token included in the request is expired"), "credentials"),
        (_client_error("InvalidClientTokenId"), "credentials"),
        (_client_error("AccessDenied", "User is not authorized to perform: sts:AssumeRole"), "denied"),
        (_client_error("AccessDeniedException"), "denied"),
        (_client_error("OptInRequired"), "region"),
        (_client_error("ThrottlingException", "Rate exceeded"), "throttled"),
        (_client_error("ResourceNotFoundException"), "not_found"),
        (_client_error("NoSuchBucket"), "not_found"),
        (_client_error("ValidationException"), "other"),
        (NoCredentialsError(), "credentials"),
    ],
)
def test_errors_become_one_line_naming_action_place_and_fix(error: Exception, kind: str) -> None:
    problem = explain(error, "sts:AssumeRole arn:aws:iam::111111111111:role/x", "account 111111111111, us-east-1")
    assert problem.kind == kind
    text = str(problem)
    assert "\n" not in text
    assert text.startswith("sts:AssumeRole arn:aws:iam::111111111111:role/x failed in account 111111111111")
    assert "; fix: " in text


def test_an_unexpected_exception_is_not_disguised_as_an_aws_error() -> None:
    with pytest.raises(ZeroDivisionError):
        classify(ZeroDivisionError("bug"))


def test_map_bounded_keeps_input_order() -> None:
    assert map_bounded(lambda n: n * n, list(range(20)), concurrency=4, description="squares") == [
        n * n for n in range(20)
    ]


# --- bad --endpoint-url / --profile: a user error before any AWS call --------------------------------------


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("not-a-url", "has scheme '(none)'"),
        ("http://[::1", "is not a valid URL (Invalid IPv6 URL)"),
        ("ftp://x", "has scheme 'ftp'"),
        ("http://", "has no host"),
        ("http://localhost:port", "is not a valid URL"),
    ],
)
def test_a_malformed_endpoint_is_refused_when_the_sessions_are_built(url: str, says: str) -> None:
    with pytest.raises(SessionInputError) as raised:
        Sessions(endpoint_url=url)
    assert str(raised.value).startswith(f"--endpoint-url {url!r} {says}")
    assert "fix: give an http:// or https:// URL with a host" in str(raised.value)
    assert isinstance(raised.value, ValueError)  # the commands' input errors


@pytest.mark.parametrize("url", ["http://127.0.0.1:5000", "https://localhost", "http://[::1]:4566/"])
def test_a_well_formed_endpoint_is_accepted(url: str) -> None:
    check_endpoint_url(url)


def test_an_unknown_profile_is_a_user_error_naming_the_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config"
    config.write_text("[profile ops]\nregion = us-east-1\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    with pytest.raises(SessionInputError) as raised:
        Sessions(profile="nope", profile_option="--aws-profile")
    assert str(raised.value) == (
        "--aws-profile 'nope' is not a profile in the AWS config or credentials files; fix: use one of ops, "
        "or create it (aws configure --profile nope)"
    )


# --- connection errors: their own one line, said fast -------------------------------------------------------


@pytest.mark.parametrize(
    "error",
    [
        EndpointConnectionError(endpoint_url="http://127.0.0.1:9/"),
        ConnectTimeoutError(endpoint_url="http://127.0.0.1:9/"),
        ConnectionClosedError(endpoint_url="http://127.0.0.1:9/"),
        ReadTimeoutError(endpoint_url="http://127.0.0.1:9/"),
    ],
)
def test_connection_errors_say_the_endpoint_cannot_be_reached(error: Exception) -> None:
    problem = explain(error, "sts:GetCallerIdentity", "us-east-1")
    assert problem.kind == "unreachable"
    assert str(problem).startswith("sts:GetCallerIdentity failed in us-east-1: cannot reach http://127.0.0.1:9/ (")
    assert "enable the region" not in str(problem) and "--endpoint-url" in str(problem)


def test_an_unreachable_endpoint_is_reported_in_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in OPERATOR_ENV.items():
        monkeypatch.setenv(key, value)
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sessions = Sessions(endpoint_url=f"http://127.0.0.1:{port}")
    started = time.perf_counter()
    with pytest.raises(EndpointConnectionError) as raised:
        sessions.check_operator("us-east-1")
    assert time.perf_counter() - started < 10  # adaptive retries took ~86 s
    assert classify(raised.value)[0] == "unreachable"


# --- one AssumeRole per role, different roles at once --------------------------------------------------------


class _SlowSts:
    """AssumeRole that waits until `parties` calls are in flight at once (a barrier), counting calls."""

    def __init__(self, parties: int) -> None:
        self.barrier = threading.Barrier(parties, timeout=10)
        self.calls: list[str] = []
        self._lock = threading.Lock()

    def assume_role(self, RoleArn: str, RoleSessionName: str) -> dict[str, Any]:
        with self._lock:
            self.calls.append(RoleArn)
        self.barrier.wait()  # BrokenBarrierError if the calls are serialised
        expiry = datetime.now(UTC) + timedelta(hours=1)
        keys = {"AccessKeyId": "AKIA" + RoleArn[13:25], "SecretAccessKey": "s", "SessionToken": "t"}
        return {"Credentials": {**keys, "Expiration": expiry}}


def test_different_roles_are_assumed_concurrently_and_each_once() -> None:
    sessions = Sessions(endpoint_url="http://127.0.0.1:5000")
    sts = _SlowSts(parties=2)
    sessions.operator._clients[("sts", "us-east-1")] = sts
    roles = [f"arn:aws:iam::{n * 12}:role/deploy" for n in ("1", "2")]
    with ThreadPoolExecutor(6) as pool:  # three callers per role
        found = list(pool.map(sessions.for_role, roles * 3))
    assert sorted(sts.calls) == sorted(roles)  # both in flight at once (the barrier), each assumed once
    assert found[0] is found[2] is found[4] and found[1] is found[3] is found[5] and found[0] is not found[1]


def test_a_failed_assume_role_is_not_cached() -> None:
    sessions = Sessions(endpoint_url="http://127.0.0.1:5000")
    sts = _SlowSts(parties=1)
    failing = {"left": 1}

    def assume_role(**kwargs: str) -> dict[str, Any]:
        if failing["left"]:
            failing["left"] -= 1
            raise _client_error("AccessDenied")
        return sts.assume_role(**kwargs)

    sessions.operator._clients[("sts", "us-east-1")] = SimpleNamespace(assume_role=assume_role)
    role = "arn:aws:iam::111111111111:role/deploy"
    with pytest.raises(ClientError):
        sessions.for_role(role)
    assert sessions.for_role(role) is sessions.for_role(role)
    assert sts.calls == [role]
