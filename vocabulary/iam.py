"""IAM policy documents as plain dicts (JSON-serialised by the components): the document, the service
principals, the confused-deputy condition and the service trust policy every statement module builds on.

The statements live with the resource that carries them: `bucket_policies` (S3), `key_policies` (KMS),
`topic_policies` (SNS), `role_policies` (the platform's roles: who may assume them, what they may do),
`oam.sink_policy` and `scp` (the organisation's guard rails). Each service principal is scoped with
`aws:SourceAccount` / `aws:SourceArn` (confused-deputy protection) and every statement names the narrowest
actions and resources the service needs.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

Statement = dict[str, Any]

BEDROCK_SERVICE = "bedrock.amazonaws.com"
BUDGETS_SERVICE = "budgets.amazonaws.com"
CLOUDTRAIL_SERVICE = "cloudtrail.amazonaws.com"
CLOUDWATCH_SERVICE = "cloudwatch.amazonaws.com"
GRAFANA_SERVICE = "grafana.amazonaws.com"
S3_LOGGING_SERVICE = "logging.s3.amazonaws.com"


def policy(statements: Iterable[Statement]) -> dict[str, Any]:
    """A policy document as a dict (for builders whose callers inspect it before serialising)."""
    statements = list(statements)
    if not statements:
        raise ValueError("a policy document needs at least one statement")
    return {"Version": "2012-10-17", "Statement": statements}


def document(statements: Iterable[Statement]) -> str:
    return json.dumps(policy(statements), sort_keys=False)


def on_behalf_of(account_id: str, source_arn: str) -> dict[str, dict[str, str]]:
    """The condition that lets a service act only for this account's own resources (`source_arn` may be a
    pattern): without it, any account could have the service act on ours (confused deputy)."""
    return {
        "StringEquals": {"aws:SourceAccount": account_id},
        "ArnLike": {"aws:SourceArn": source_arn},
    }


def service_trust(service: str, account_id: str, source_arn: str) -> str:
    """Trust policy letting one AWS service assume a role only on behalf of this account's resources."""
    return document(
        [
            {
                "Sid": "AllowServiceForThisAccountOnly",
                "Effect": "Allow",
                "Principal": {"Service": service},
                "Action": "sts:AssumeRole",
                "Condition": on_behalf_of(account_id, source_arn),
            }
        ]
    )
