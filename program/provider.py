"""One explicit AWS provider per account, assuming the account's deploy role.

Regions are chosen per resource with pulumi-aws v7's `region` input, so one provider serves every
region of the account (see README: "Why one provider per account").
"""

from __future__ import annotations

import pulumi_aws as aws

from inventory.models import MonitoringAccount, WorkloadAccount

MANAGED_BY = "pulumi/bedrock-observability"
# The RoleSessionName of `pulumi up`'s sessions in the account: what its CloudTrail events show as the
# session (obsctl's own sessions are `obsctl.aws.session.SESSION_NAME`). Kept here, its only user.
SESSION_NAME = "bedrock-observability"


def account_provider(account: WorkloadAccount | MonitoringAccount, home_region: str, environment: str) -> aws.Provider:
    return aws.Provider(
        f"aws-{account.name}",
        region=home_region,
        # Args classes (not dicts): provider inputs are JSON-encoded and only Args classes get camelCase keys.
        assume_roles=[aws.ProviderAssumeRoleArgs(role_arn=account.deploy_role_arn, session_name=SESSION_NAME)],
        # Refuse to touch any other account, even if the role ARN is edited by mistake.
        allowed_account_ids=[account.account_id],
        default_tags=aws.ProviderDefaultTagsArgs(
            tags={
                "account": account.name,
                "environment": environment,
                "managed-by": MANAGED_BY,
            }
        ),
    )
