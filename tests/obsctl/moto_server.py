"""A real moto server process on 127.0.0.1 (a free port), for the boto3 tooling's tests.

Started once per test process (pytest-xdist runs one per worker) and emptied between tests through moto's
reset API, so every test starts from an empty AWS. Clients reach it only through `--endpoint-url` /
`endpoint_url`, exactly as the tools do against LocalStack or real AWS.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from typing import Any

import boto3

# Any non-empty credentials work with moto; operator calls land in moto's default account.
OPERATOR_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}
# Generous bounds: they only decide how long a broken server takes to be reported. Idle, the server starts in
# under a second and a reset takes milliseconds; a loaded 2-core CI machine (two xdist workers, each starting
# its own server while the other plans) is many times slower, and a tight bound there fails healthy runs.
START_SECONDS = 180
RESET_SECONDS = 60


@dataclass
class MotoServer:
    endpoint: str
    process: subprocess.Popen[bytes]

    def reset(self) -> None:
        request = urllib.request.Request(f"{self.endpoint}/moto-api/reset", method="POST")
        urllib.request.urlopen(request, timeout=RESET_SECONDS).close()

    def env(self) -> dict[str, str]:
        """Environment for a subprocess `python -m obsctl ... --endpoint-url` run: operator credentials only."""
        clean = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        return {**clean, **OPERATOR_ENV}

    def client(self, service: str, region: str = "us-east-1", account_id: str | None = None) -> Any:
        """A client in `account_id` (moto lands an assumed role's calls in the role's account), for seeding."""
        session = boto3.Session(
            aws_access_key_id="testing", aws_secret_access_key="testing", aws_session_token="testing"
        )
        if account_id is not None:
            sts = session.client("sts", region_name=region, endpoint_url=self.endpoint)
            role = f"arn:aws:iam::{account_id}:role/moto-seeder"
            credentials = sts.assume_role(RoleArn=role, RoleSessionName="seed")["Credentials"]
            session = boto3.Session(
                aws_access_key_id=credentials["AccessKeyId"],
                aws_secret_access_key=credentials["SecretAccessKey"],
                aws_session_token=credentials["SessionToken"],
            )
        return session.client(service, region_name=region, endpoint_url=self.endpoint)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start() -> MotoServer:
    # The probe releases the free port before moto binds it: should another process take it in between, moto
    # exits at once and the next free port is tried.
    for _ in range(3):
        server = _start_on(_free_port())
        if server is not None:
            return server
    raise RuntimeError("moto server exited at start on three free ports in a row")


def _start_on(port: int) -> MotoServer | None:
    """The server on `port`; None when it exited before answering (the port was taken)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=2).close()
            return MotoServer(endpoint, process)
        except OSError:
            if process.poll() is not None:
                return None
            if time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"moto server did not start on port {port} within {START_SECONDS} s") from None
            time.sleep(0.1)


def stop(server: MotoServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
