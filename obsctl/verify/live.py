"""Read live state of one account-region: each API call made once (checks share responses), paginated,
counted, and "does not exist" answered as `None` rather than an exception."""

from __future__ import annotations

import json
import threading
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from botocore.exceptions import ClientError

from obsctl.aws.errors import classify
from obsctl.aws.session import AccountSession

# Error codes that mean "not configured" for a resource that exists (S3 answers these per sub-resource).
_ABSENT_CODES = frozenset(
    {
        "ServerSideEncryptionConfigurationNotFoundError",
        "OwnershipControlsNotFoundError",
        "NoSuchPublicAccessBlockConfiguration",
        "NoSuchLifecycleConfiguration",
        "NoSuchBucketPolicy",
        "NoSuchTagSet",
        "ObjectLockConfigurationNotFoundError",
        "NotFound",
    }
)


def absent(error: BaseException) -> bool:
    if isinstance(error, ClientError) and error.response.get("Error", {}).get("Code") in _ABSENT_CODES:
        return True
    try:
        return classify(error)[0] == "not_found"
    except Exception:  # not an AWS error: a bug, raised by the caller
        return False


def send_to_endpoint(client: Any, endpoint_url: str) -> None:
    """S3 Control puts the account id in the host name (`<account>.<endpoint>`), which an emulator on an IP
    address does not answer: send its requests to the endpoint itself (the account id also travels in the
    `x-amz-account-id` header). Only for `--endpoint-url`; AWS's own hosts are left alone."""
    host = urlsplit(endpoint_url).netloc

    def rewrite(request: Any, **_: Any) -> None:
        parts = urlsplit(request.url)
        if parts.netloc.endswith(f".{host}"):
            request.url = urlunsplit(parts._replace(netloc=host))

    client.meta.events.register("before-sign.s3-control", rewrite, unique_id="obsctl-s3control-endpoint")


class Live:
    """One account-region's API responses, cached by (service, operation, parameters)."""

    def __init__(self, session: AccountSession, region: str) -> None:
        self.session = session
        self.region = region
        self.calls = 0
        self._cache: dict[str, Any] = {}
        self._lock = threading.Lock()

    def _count(self, **_: Any) -> None:
        with self._lock:
            self.calls += 1

    def client(self, service: str, region: str | None = None) -> Any:
        client = self.session.client(service, region or self.region)
        # Per-call counter (retries are not calls); one registration per client and Live.
        client.meta.events.register("before-call", self._count, unique_id=f"obsctl-verify-count-{id(self)}")
        if service == "s3control" and self.session.endpoint_url:
            send_to_endpoint(client, self.session.endpoint_url)
        return client

    def get(self, service: str, operation: str, **params: Any) -> Any:
        """The (full, all pages) response, or None when the resource does not exist. Other errors raise."""
        key = json.dumps([service, operation, params], sort_keys=True, default=str)
        if key not in self._cache:
            try:
                self._cache[key] = ("ok", self._call(service, operation, params))
            except Exception as error:
                self._cache[key] = ("absent", None) if absent(error) else ("error", error)
        state, value = self._cache[key]
        if state == "error":
            raise value
        return value

    def _call(self, service: str, operation: str, params: dict[str, Any]) -> Any:
        client = self.client(service)
        if client.can_paginate(operation):
            return client.get_paginator(operation).paginate(**params).build_full_result()
        return getattr(client, operation)(**params)
