"""CrossGuard entry point: `pulumi preview --policy-pack policies`.

The only place the pack is constructed: PolicyPack() starts the analyzer gRPC server, prints its port and
blocks, so importing this module anywhere else would hang. The CLI puts this directory on sys.path, hence the
absolute import.
"""

from bedrock_guardrails import ALL_POLICIES, PACK_DESCRIPTION, PACK_ENFORCEMENT_LEVEL, PACK_NAME
from pulumi_policy import PolicyPack

PolicyPack(
    name=PACK_NAME,
    description=PACK_DESCRIPTION,
    enforcement_level=PACK_ENFORCEMENT_LEVEL,
    policies=ALL_POLICIES,
)
