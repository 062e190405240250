"""Where a workload stack finds the monitoring account's OAM sink for one of its regions.

Sink ARNs end in an id AWS assigns at creation, so they cannot be derived from the inventory; the
monitoring stack exports them and workload stacks read them by StackReference (no copy-paste).
"""

from __future__ import annotations

import pulumi

from inventory.models import MonitoringAccount

# The monitoring stack's export: {region: OAM sink ARN} for every region any workload uses.
SINK_ARNS_OUTPUT = "oamSinkArns"


class MonitoringSinks:
    def __init__(self, monitoring: MonitoringAccount) -> None:
        self._stack = monitoring.stack
        # Links share log groups (prompts and responses) only when the monitoring account opts in.
        self.share_log_groups = monitoring.settings.share_log_groups
        self._reference = pulumi.StackReference(
            f"{pulumi.get_organization()}/{pulumi.get_project()}/{monitoring.stack}"
        )

    def sink_arn(self, region: str) -> pulumi.Output[str]:
        def pick(arns: dict[str, str]) -> str:
            if region not in arns:
                # A workload added a region the monitoring stack has not been deployed for yet.
                raise pulumi.RunError(
                    f"the monitoring stack {self._stack!r} has no OAM sink in {region}; fix: run `pulumi up` "
                    f"on {self._stack!r} first (it creates a sink in every region any workload uses)"
                )
            return arns[region]

        return self._reference.require_output(SINK_ARNS_OUTPUT).apply(pick)
