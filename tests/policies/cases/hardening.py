"""Role trust scope, subscription protocols, trail global events and OAM link filters."""

from __future__ import annotations

import json

from tests.policies.cases.builders import ACCOUNT, ACCOUNT_ONLY, OAM_LINK, ROLE, doc, link

SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription"
_BEDROCK_SOURCE = {
    "StringEquals": {"aws:SourceAccount": ACCOUNT},
    "ArnLike": {"aws:SourceArn": f"arn:aws:bedrock:us-east-1:{ACCOUNT}:*"},
}


def _trust(action: object = "sts:AssumeRole", service: object = "bedrock.amazonaws.com", **extra: object) -> str:
    statement = {"Effect": "Allow", "Principal": {"Service": service}, "Action": action, "Condition": _BEDROCK_SOURCE}
    statement.update(extra)
    return doc(statement)


def _metrics(text: str) -> dict[str, object]:
    return link(["AWS::CloudWatch::Metric"], linkConfiguration={"metricConfiguration": {"filter": text}})


CASES = [
    (
        "iam-role-trust-scope",
        ROLE,
        {"assumeRolePolicy": _trust()},
        [
            ("sts-star", {"assumeRolePolicy": _trust("sts:*")}, "allows 'sts:*'"),
            ("star", {"assumeRolePolicy": _trust("*")}, "allows '*'"),
            ("assume-glob", {"assumeRolePolicy": _trust(["sts:AssumeRole", "sts:Assume*"])}, "'sts:Assume*'"),
            (
                "not-action",
                {
                    "assumeRolePolicy": json.dumps(
                        {"Statement": [{**json.loads(_trust())["Statement"][0], "NotAction": "iam:*"}]}
                    )
                },
                "NotAction",
            ),
            (
                "two-services",
                {"assumeRolePolicy": _trust(service=["bedrock.amazonaws.com", "ec2.amazonaws.com"])},
                "lets 2 services assume the role",
            ),
            (
                "other-service",
                {"assumeRolePolicy": _trust(service="lambda.amazonaws.com")},
                "lets lambda.amazonaws.com assume a role whose aws:SourceArn names bedrock",
            ),
        ],
    ),
    (
        "iam-role-trust-scope",
        ROLE,
        {"assumeRolePolicy": _trust(["sts:AssumeRole", "sts:TagSession"], Condition=ACCOUNT_ONLY)},
        [],
    ),
    (
        "sns-subscription-https",
        SUBSCRIPTION,
        {"protocol": "https", "endpoint": "https://hooks.example.com/alerts", "topic": "arn:t"},
        [
            ("http", {"protocol": "http", "endpoint": "http://hooks.example.com/", "topic": "arn:t"}, "plain HTTP"),
            ("http-upper", {"protocol": "HTTP", "endpoint": "https://x.example.com/", "topic": "arn:t"}, "'http'"),
            (
                "https-to-http-url",
                {"protocol": "https", "endpoint": "http://x.example.com/", "topic": "arn:t"},
                "https://",
            ),
        ],
    ),
    ("sns-subscription-https", SUBSCRIPTION, {"protocol": "email", "endpoint": "oncall@example.com", "topic": "t"}, []),
    (
        "oam-shared-types",
        OAM_LINK,
        link(
            ["AWS::CloudWatch::Metric"],
            linkConfiguration={"metricConfiguration": {"filter": "Namespace = 'AWS/Bedrock'"}},
        ),
        [
            ("no-filter", link(["AWS::CloudWatch::Metric"], linkConfiguration={}), "shares every metric"),
            ("not-in", _metrics("Namespace NOT IN ('x')"), "NOT IN"),
            ("other-namespace", _metrics("Namespace IN ('AWS/Bedrock', 'AWS/EC2')"), "AWS/EC2"),
            ("or-clause", _metrics("Namespace IN ('AWS/Bedrock') OR Namespace LIKE '%'"), "LIKE"),
        ],
    ),
]
