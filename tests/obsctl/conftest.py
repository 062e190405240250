"""Fixtures for the operator commands that talk to AWS: a real moto server process, emptied per test."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.obsctl import moto_server
from tests.obsctl.moto_server import OPERATOR_ENV, MotoServer


@pytest.fixture(scope="session")
def _moto_process() -> Iterator[MotoServer]:
    server = moto_server.start()
    yield server
    moto_server.stop(server)


@pytest.fixture
def moto(_moto_process: MotoServer, monkeypatch: pytest.MonkeyPatch) -> MotoServer:
    """An empty moto server; in-process boto3 sees only operator test credentials (never the real ones)."""
    _moto_process.reset()
    for key in [k for k in os.environ if k.startswith("AWS_")]:
        monkeypatch.delenv(key)
    for key, value in OPERATOR_ENV.items():
        monkeypatch.setenv(key, value)
    return _moto_process


@pytest.fixture
def no_operator_credentials(moto: MotoServer, monkeypatch: pytest.MonkeyPatch) -> MotoServer:
    """The moto server, with no AWS credentials anywhere the SDK looks (env, files, instance metadata)."""
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(key)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    return moto
