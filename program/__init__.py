"""Composes the components for one stack: a workload account or the monitoring account."""

from inventory.load import StackTarget


def build(target: StackTarget) -> None:
    # Imported lazily so a config error is reported before pulumi_aws (slow to import) is loaded.
    if target.role == "monitoring":
        from program.monitoring import build_monitoring

        build_monitoring(target)
    else:
        from program.workload import build_workload

        build_workload(target)
