"""AWS failures as one clear line each: what failed, where, why, and the fix.

`classify` maps botocore's exceptions to a small set of kinds the commands act on (a denied check is an
`error` with its reason, an operation the endpoint lacks is a `skip`, bad credentials stop the run with
exit 2); `AwsProblem` carries the one-line message.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionClosedError,
    NoCredentialsError,
    NoRegionError,
    PartialCredentialsError,
    ReadTimeoutError,
)
from botocore.exceptions import ConnectionError as BotoConnectionError

from obsctl.aws.session import UnsupportedByEndpoint

Kind = Literal["credentials", "denied", "region", "unreachable", "throttled", "unsupported", "not_found", "other"]

# Error codes by kind (IAM/STS, JSON and Query protocols spell some differently).
_CODES: dict[str, Kind] = {
    **dict.fromkeys(
        (
            "ExpiredToken",
            "ExpiredTokenException",
            "RequestExpired",
            "InvalidClientTokenId",
            "SignatureDoesNotMatch",
            "UnrecognizedClientException",
            "AuthFailure",
            "InvalidAccessKeyId",
            "MissingAuthenticationToken",
        ),
        "credentials",
    ),
    **dict.fromkeys(
        (
            "AccessDenied",
            "AccessDeniedException",
            "UnauthorizedOperation",
            "AuthorizationError",
            "UnauthorizedException",
            "Forbidden",
        ),
        "denied",
    ),
    **dict.fromkeys(("OptInRequired", "InvalidRegion"), "region"),
    **dict.fromkeys(
        (
            "Throttling",
            "ThrottlingException",
            "TooManyRequestsException",
            "RequestLimitExceeded",
            "SlowDown",
            "ServiceQuotaExceededException",
        ),
        "throttled",
    ),
}
_FIXES: dict[Kind, str] = {
    "credentials": "refresh the operator's credentials (e.g. `aws sso login`) or check AWS_PROFILE",
    "denied": "grant the role this permission (README, 'Deploy roles') or check the role ARN in the inventory",
    "region": "enable the region for the account (Account settings > AWS Regions) or remove it from the inventory",
    "unreachable": "check the network and proxy (HTTPS_PROXY), the --endpoint-url if one is given (is the emulator "
    "running?), and that the region name is right",
    "throttled": "retry later or lower --concurrency",
    "unsupported": "nothing to fix here: the endpoint (an emulator) does not implement this API; real AWS does",
    "not_found": "create it (pulumi up) or check the name",
    "other": "see the AWS error above",
}


@dataclass(frozen=True)
class AwsProblem(Exception):
    kind: Kind
    message: str

    def __str__(self) -> str:
        return self.message


def classify(error: BaseException) -> tuple[Kind, str]:
    """(kind, AWS's own short reason) of an exception raised by a boto3 call."""
    if isinstance(error, UnsupportedByEndpoint):
        return "unsupported", str(error)
    if isinstance(error, NoCredentialsError | PartialCredentialsError):
        return "credentials", "no AWS credentials found"
    if isinstance(error, NoRegionError):
        return "region", str(error)
    # Connection refused, DNS, TLS, proxy, connect/read timeouts, connection dropped: no AWS answer at all.
    if isinstance(error, BotoConnectionError | ConnectionClosedError | ReadTimeoutError):
        return "unreachable", f"cannot reach {_endpoint(error)} ({type(error).__name__})"
    if isinstance(error, ClientError):
        code = str(error.response.get("Error", {}).get("Code", ""))
        reason = str(error.response.get("Error", {}).get("Message") or code).splitlines()[0][:200]
        if code in _CODES:
            return _CODES[code], f"{code}: {reason}"
        if code.endswith(("NotFound", "NotFoundException", "NoSuchEntity")) or code.startswith("NoSuch"):
            return "not_found", f"{code}: {reason}"
        return "other", f"{code}: {reason}"
    if isinstance(error, BotoCoreError):
        return "other", str(error).splitlines()[0][:200]
    raise error


def _endpoint(error: BotoCoreError) -> str:
    kwargs = getattr(error, "kwargs", {})
    return str(kwargs.get("endpoint_url") or kwargs.get("proxy_url") or "the endpoint")


def explain(error: BaseException, action: str, where: str) -> AwsProblem:
    """`action` (e.g. 'sts:AssumeRole arn:...') failed in `where` (e.g. 'account 1111..., us-east-1')."""
    kind, reason = classify(error)
    return AwsProblem(kind, f"{action} failed in {where}: {reason}; fix: {_FIXES[kind]}")
