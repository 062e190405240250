"""Sessions, retries and error messages of the AWS layer, against a real moto server."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError, NoCredentialsError

from obsctl.aws.errors import classify, explain
from obsctl.aws.parallel import map_bounded
from obsctl.aws.session import Sessions, UnsupportedByEndpoint
from tests.obsctl.moto_server import MotoServer


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
