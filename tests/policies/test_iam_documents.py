"""Reading policy documents: which conditions tie a statement to one organisation or account, who a
principal admits, which actions are service-wide wildcards."""

from __future__ import annotations

import sys
from typing import Any

import pytest

from obsctl.policy import PACK_DIR

sys.path.insert(0, str(PACK_DIR))
from bedrock_guardrails._iam import (
    admits_everyone,
    is_everyone,
    restricting_keys,
    wildcard_actions,
)

ACCOUNT = "111111111111"


@pytest.mark.parametrize(
    ("condition", "keys"),
    [
        ({"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}, {"aws:principalorgid"}),
        ({"StringEquals": {"aws:SourceOrgID": "o-a1b2c3d4e5"}}, {"aws:sourceorgid"}),
        ({"StringEquals": {"AWS:SourceAccount": ACCOUNT}}, {"aws:sourceaccount"}),  # keys are case-insensitive
        ({"StringEquals": {"aws:PrincipalAccount": [ACCOUNT, "222222222222"]}}, {"aws:principalaccount"}),
        ({"ArnLike": {"aws:SourceArn": f"arn:aws:bedrock:us-east-1:{ACCOUNT}:*"}}, {"aws:sourcearn"}),
        ({"ArnEquals": {"aws:SourceArn": "arn:aws:s3:::my-log-bucket"}}, {"aws:sourcearn"}),
        ({"StringLike": {"aws:SourceAccount": "*"}}, set()),
        ({"StringLike": {"aws:SourceAccount": "1111111111??"}}, set()),
        ({"StringEquals": {"aws:SourceAccount": "${aws:PrincipalAccount}"}}, set()),
        ({"StringEquals": {"aws:PrincipalOrgID": "o-*"}}, set()),
        ({"StringEquals": {"aws:SourceAccount": []}}, set()),
        ({"StringEquals": {"aws:SourceAccount": [ACCOUNT, "*"]}}, set()),
        ({"StringNotEquals": {"aws:SourceAccount": ACCOUNT}}, set()),
        ({"StringEqualsIfExists": {"aws:SourceAccount": ACCOUNT}}, set()),
        ({"ForAllValues:StringEquals": {"aws:SourceAccount": ACCOUNT}}, set()),
        ({"ArnLike": {"aws:SourceArn": "arn:aws:bedrock:us-east-1:*:*"}}, set()),
        ({"ArnLike": {"aws:SourceArn": f"arn:aws:*:us-east-1:{ACCOUNT}:*"}}, set()),
        ({"ArnLike": {"aws:SourceArn": "arn:aws:s3:::log-bucket-*"}}, set()),
        ({"ArnLike": {"aws:SourceArn": "not-an-arn"}}, set()),
        ({"Bool": {"aws:SecureTransport": "true"}}, set()),
        ("not a mapping", set()),
    ],
)
def test_restricting_conditions(condition: Any, keys: set[str]) -> None:
    assert restricting_keys({"Effect": "Allow", "Principal": "*", "Condition": condition}) == keys


@pytest.mark.parametrize(
    ("principal", "everyone"),
    [
        ("*", True),
        ({"AWS": "*"}, True),
        ({"AWS": ["arn:aws:iam::111111111111:root", "*"]}, True),
        ({"AWS": "arn:aws:iam::*:root"}, True),
        ({"AWS": "arn:aws:iam::111111111111:root"}, False),
        ({"AWS": ["111111111111"]}, False),
        ({"Service": "logs.us-east-1.amazonaws.com"}, False),
        (None, False),
    ],
)
def test_who_a_principal_admits(principal: Any, everyone: bool) -> None:
    assert is_everyone(principal) is everyone


def test_not_principal_admits_everyone_but_deny_admits_nobody() -> None:
    assert admits_everyone({"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::1:root"}})
    assert not admits_everyone({"Effect": "Deny", "Principal": "*"})


@pytest.mark.parametrize(
    ("statement", "found"),
    [
        ({"Effect": "Allow", "Action": "*"}, ["*"]),
        ({"Effect": "Allow", "Action": ["logs:PutLogEvents", "*:*"]}, ["*:*"]),
        ({"Effect": "Allow", "Action": "s3:*"}, ["s3:*"]),
        ({"Effect": "Allow", "Action": "*:GetObject"}, ["*:GetObject"]),
        ({"Effect": "Allow", "NotAction": "iam:*"}, ["NotAction ['iam:*']"]),
        ({"Effect": "Allow", "Action": ["s3:**", "s3:?*", "S3:*"]}, ["s3:**", "s3:?*", "S3:*"]),
        (
            {"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::x"},
            ["NotResource ['arn:aws:s3:::x']"],
        ),
        (
            {"Effect": "Allow", "Action": ["iam:PassRole", "sts:Assume*"], "Resource": "*"},
            [
                "iam:PassRole (on Resource '*')",
                "sts:Assume* (on Resource '*')",
            ],
        ),
        ({"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::111111111111:role/r"}, []),
        ({"Effect": "Allow", "Action": ["logs:Describe*", "kms:GenerateDataKey*"]}, []),
        ({"Effect": "Deny", "Action": "*"}, []),
    ],
)
def test_service_wide_wildcards(statement: dict[str, Any], found: list[str]) -> None:
    assert wildcard_actions(statement) == found
