"""Sessions and clients: operator credentials, assumed deploy roles, adaptive retries, optional emulator.

Every client gets botocore's adaptive retry mode (client-side rate limiting + retries of throttling and
transient errors). `--endpoint-url` points every client at an emulator (moto, LocalStack). An HTTP 500
whose body is an HTML page is not an AWS error document: it is what an emulator answers for an operation
it does not implement, so it is raised at once as `UnsupportedByEndpoint` instead of being retried for a
minute.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import boto3
import botocore.session
from botocore.config import Config
from botocore.credentials import CredentialProvider, RefreshableCredentials

SESSION_NAME = "bedrock-observability-obsctl"
ADAPTIVE = Config(retries={"mode": "adaptive", "max_attempts": 10}, connect_timeout=10, read_timeout=60)
# One attempt, nothing retried: for tools that must observe throttles rather than hide them (loadgen).
NO_RETRIES = Config(retries={"mode": "standard", "total_max_attempts": 1}, connect_timeout=10, read_timeout=120)


class UnsupportedByEndpoint(Exception):
    """The endpoint (an emulator) does not implement this operation."""

    def __init__(self, operation: str) -> None:
        self.operation = operation
        super().__init__(f"{operation} is not implemented by the endpoint")


def _refuse_emulator_gaps(response: Any, operation: Any, **_: Any) -> None:
    if response is None:
        return
    http, _parsed = response
    if http is not None and http.status_code == 500 and "text/html" in http.headers.get("content-type", ""):
        raise UnsupportedByEndpoint(getattr(operation, "name", str(operation)))


@dataclass
class AccountSession:
    """Clients for one set of credentials (the operator's, or an assumed role), cached per service and region.

    boto3 clients are thread-safe; creating them is not, hence the lock."""

    session: boto3.Session
    endpoint_url: str | None
    config: Config = ADAPTIVE
    _clients: dict[tuple[str, str], Any] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def client(self, service: str, region: str) -> Any:
        key = (service, region)
        with self._lock:
            if key not in self._clients:
                client = self.session.client(
                    service, region_name=region, endpoint_url=self.endpoint_url, config=self.config
                )
                if self.endpoint_url:
                    client.meta.events.register_first("needs-retry.*", _refuse_emulator_gaps)
                self._clients[key] = client
            return self._clients[key]


class Sessions:
    """The operator's credentials and, through STS AssumeRole, one session per deploy role (cached).

    Assumed credentials refresh themselves before they expire, so a long run over many accounts does not
    fail half-way with an expired token."""

    def __init__(
        self,
        endpoint_url: str | None = None,
        profile: str | None = None,
        config: Config = ADAPTIVE,
        home_region: str = "us-east-1",
    ) -> None:
        self.endpoint_url = endpoint_url
        self.config = config
        self._home_region = home_region
        self._operator = AccountSession(boto3.Session(profile_name=profile), endpoint_url, config)
        self._roles: dict[str, AccountSession] = {}
        self._lock = threading.Lock()
        self._models = botocore.session.get_session().get_component("data_loader")

    @property
    def operator(self) -> AccountSession:
        return self._operator

    def for_role(self, role_arn: str) -> AccountSession:
        with self._lock:
            if role_arn not in self._roles:
                self._roles[role_arn] = self._assume(role_arn)
            return self._roles[role_arn]

    def _assume(self, role_arn: str) -> AccountSession:
        sts = self._operator.client("sts", self._home_region)
        refresh = _assume_role_refresher(sts, role_arn)
        credentials = RefreshableCredentials.create_from_metadata(refresh(), refresh, "assume-role")
        core = botocore.session.get_session()
        # Parsed API models are shared by every role's session: loading them is most of a client's creation
        # time, which dominates a run over hundreds of account-regions.
        core.register_component("data_loader", self._models)
        # First in the chain: this session never falls back to the operator's environment credentials.
        core.get_component("credential_provider").insert_before("env", _Fixed(credentials))
        return AccountSession(boto3.Session(botocore_session=core), self.endpoint_url, self.config)


class _Fixed(CredentialProvider):
    METHOD = "obsctl-assume-role"

    def __init__(self, credentials: RefreshableCredentials) -> None:
        super().__init__()
        self._credentials = credentials

    def load(self) -> RefreshableCredentials:
        return self._credentials


def _assume_role_refresher(sts: Any, role_arn: str) -> Callable[[], dict[str, str]]:
    def refresh() -> dict[str, str]:
        credentials = sts.assume_role(RoleArn=role_arn, RoleSessionName=SESSION_NAME)["Credentials"]
        return {
            "access_key": credentials["AccessKeyId"],
            "secret_key": credentials["SecretAccessKey"],
            "token": credentials["SessionToken"],
            "expiry_time": credentials["Expiration"].isoformat(),
        }

    return refresh
