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
from urllib.parse import urlsplit

import boto3
import botocore.session
from botocore.config import Config
from botocore.credentials import CredentialProvider, RefreshableCredentials
from botocore.exceptions import ProfileNotFound

SESSION_NAME = "bedrock-observability-obsctl"
ADAPTIVE = Config(retries={"mode": "adaptive", "max_attempts": 10}, connect_timeout=10, read_timeout=60)
# One attempt, nothing retried: for tools that must observe throttles rather than hide them (loadgen).
NO_RETRIES = Config(retries={"mode": "standard", "total_max_attempts": 1}, connect_timeout=10, read_timeout=120)
# The first call of a run (the operator's credentials): two attempts and short timeouts, so an unreachable
# endpoint or bad credentials are reported in seconds instead of after a minute of adaptive retries.
QUICK_CHECK = Config(retries={"mode": "standard", "total_max_attempts": 2}, connect_timeout=5, read_timeout=15)


class SessionInputError(ValueError):
    """An `--endpoint-url` or profile option that cannot work; the message names the option, the value and
    the fix. Raised before any AWS call: the commands print it and exit 2."""


def check_endpoint_url(url: str | None, option: str = "--endpoint-url") -> None:
    """An endpoint must be an http(s) URL with a host (an emulator: http://127.0.0.1:5000)."""
    if url is None:
        return
    fix = "fix: give an http:// or https:// URL with a host, e.g. http://127.0.0.1:5000"
    try:
        parts = urlsplit(url)
        host, _port = parts.hostname, parts.port  # .port raises on a port that is not a number
    except ValueError as error:
        raise SessionInputError(f"{option} {url!r} is not a valid URL ({error}); {fix}") from None
    if parts.scheme not in ("http", "https"):
        raise SessionInputError(f"{option} {url!r} has scheme {parts.scheme or '(none)'!r}; {fix}")
    if not host:
        raise SessionInputError(f"{option} {url!r} has no host; {fix}")


def operator_session(profile: str | None, option: str = "--profile") -> boto3.Session:
    """The operator's boto3 session; a profile the AWS config files do not define is a SessionInputError."""
    try:
        return boto3.Session(profile_name=profile)
    except ProfileNotFound:
        known = sorted(botocore.session.Session().available_profiles)
        raise SessionInputError(
            f"{option} {profile!r} is not a profile in the AWS config or credentials files; fix: use one of "
            f"{', '.join(known) or '(none configured)'}, or create it (aws configure --profile {profile})"
        ) from None


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
        profile_option: str = "--profile",
    ) -> None:
        """Raises SessionInputError (before any AWS call) for a malformed endpoint or an unknown profile."""
        check_endpoint_url(endpoint_url)
        self.endpoint_url = endpoint_url
        self.config = config
        self._home_region = home_region
        self._operator = AccountSession(operator_session(profile, profile_option), endpoint_url, config)
        self._roles: dict[str, AccountSession] = {}
        # One lock per role: AssumeRole of different roles runs concurrently (200 accounts are not
        # serialised), while concurrent callers of the same role wait for its one AssumeRole.
        self._role_locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()  # guards the two dicts only, never held during a call
        self._models = botocore.session.get_session().get_component("data_loader")

    @property
    def operator(self) -> AccountSession:
        return self._operator

    def check_operator(self, region: str | None = None) -> dict[str, Any]:
        """sts:GetCallerIdentity with the operator's credentials, with few retries and short timeouts (the
        first call of a run: an unreachable endpoint or bad credentials are said at once). Raises as boto3."""
        region = region or self._home_region
        sts = self._operator.session.client(
            "sts", region_name=region, endpoint_url=self.endpoint_url, config=QUICK_CHECK
        )
        return dict(sts.get_caller_identity())

    def for_role(self, role_arn: str) -> AccountSession:
        with self._lock:
            if role_arn in self._roles:
                return self._roles[role_arn]
            role_lock = self._role_locks.setdefault(role_arn, threading.Lock())
        with role_lock:
            with self._lock:
                if role_arn in self._roles:  # assumed by another thread while this one waited
                    return self._roles[role_arn]
            session = self._assume(role_arn)  # a failure caches nothing: the next call tries again
            with self._lock:
                self._roles[role_arn] = session
            return session

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
