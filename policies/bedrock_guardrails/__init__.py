"""The bedrock-guardrails CrossGuard rules, importable without starting the analyzer.

`policies/__main__.py` hands ALL_POLICIES to `PolicyPack` (whose constructor starts the gRPC server and
blocks); `obsctl policy-check` hands the very same objects to pulumi-policy's analyzer servicer offline.
The pack is installed on its own: nothing here imports the project's packages.
"""

from pulumi_policy import EnforcementLevel, Policy

from bedrock_guardrails import (
    access,
    access_logging,
    accounts,
    alarms,
    audit,
    cross_account,
    destinations,
    encryption,
    keys,
    placement,
    protection,
    public,
    retention,
    settings,
    stack,
    trust,
)

PACK_NAME = "bedrock-guardrails"
PACK_DESCRIPTION = "Retention, encryption and access guardrails for Amazon Bedrock observability stacks."
# Used for any policy that does not set its own level (all of ours do).
PACK_ENFORCEMENT_LEVEL = EnforcementLevel.ADVISORY

ALL_POLICIES: list[Policy] = [
    *retention.POLICIES,
    *encryption.POLICIES,
    *access.POLICIES,
    *trust.POLICIES,
    *accounts.POLICIES,
    *cross_account.POLICIES,
    *access_logging.POLICIES,
    *public.POLICIES,
    *audit.POLICIES,
    *alarms.POLICIES,
    *protection.POLICIES,
    *keys.POLICIES,
    *settings.POLICIES,
    *placement.POLICIES,
    *destinations.POLICIES,
    *stack.POLICIES,
]

__all__ = ["ALL_POLICIES", "PACK_DESCRIPTION", "PACK_ENFORCEMENT_LEVEL", "PACK_NAME"]
