"""Stack composition: which components one stack creates, for a workload account or the monitoring account.

Only composition lives here (provider, sink references, stack outputs); every resource comes from
`components/`."""

from inventory.load import MonitoringStack, StackTarget


def build(target: StackTarget) -> None:
    # Imported lazily so a config error is reported before pulumi_aws (slow to import) is loaded.
    if isinstance(target, MonitoringStack):
        from program.monitoring import build_monitoring

        build_monitoring(target)
    else:
        from program.workload import build_workload

        build_workload(target)
