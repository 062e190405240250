"""Small inventories for verify's moto tests: one account per seeded defect, each reached through STS."""

from __future__ import annotations

import copy
from typing import Any

from inventory.models import Organisation
from obsctl.verify.expected import expected_region
from obsctl.verify.shapes import ExpectedRegion
from tests.conftest import org_data

MODEL = "anthropic.claude-3-haiku-20240307-v1:0"


# Every opt-in the verify checks follow: Object Lock and Insights on the trail, the account-wide public access
# block, data protection (with its findings log group) on the invocation log group.
OPTIONS_ON: dict[str, Any] = {
    "audit": {
        "object_lock": {"enabled": True, "mode": "GOVERNANCE", "retention_days": 365},
        "insights": ["ApiCallRateInsight", "ApiErrorRateInsight"],
    },
    "account_public_access_block": True,
    "invocation_logging": {"data_protection": {"enabled": True}},
}


def account(
    name: str, account_id: str, regions: tuple[str, ...] = ("us-east-1",), options: bool = False
) -> dict[str, Any]:
    """A workload account; `options`: with every opt-in of OPTIONS_ON."""
    return {
        "name": name,
        "account_id": account_id,
        "deploy_role_arn": f"arn:aws:iam::{account_id}:role/bedrock-observability-deploy",
        "environment": "prod",
        "regions": list(regions),
        "models": [MODEL],
        "settings": {
            "monitoring": {
                "notifications": {
                    "warning": {"emails": [f"{name}-warning@example.com"]},
                    "critical": {
                        "emails": [f"{name}-oncall@example.com"],
                        "https_endpoints": ["https://pager.example.com/x"],
                    },
                }
            },
            **(copy.deepcopy(OPTIONS_ON) if options else {}),
        },
    }


def organisation(accounts: list[dict[str, Any]]) -> Organisation:
    data = copy.deepcopy(org_data())
    data["workload_accounts"] = accounts
    return Organisation.model_validate(data)


def home_regions(org: Organisation) -> list[ExpectedRegion]:
    return [expected_region(a.name, org, a, a.home_region) for a in org.workload_accounts]
