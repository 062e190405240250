"""What the monitoring account gets, as pure specs: the façade `OrgMonitoring` builds from and the operator
tools check against.

    ctx = org_context(org)        # inventory.models.Organisation -> OrgContext
    specs = org_specs(ctx)        # -> OrgSpecs: sinks (name, policy) per region, alarms, dashboards, topics

No Pulumi import here or in anything it imports.
"""

from __future__ import annotations

from typing import Any

from components.cloudwatch.dashboard import Dashboard
from components.org_monitoring.alarms import OrgAlarm, org_alarms
from components.org_monitoring.dashboards import build_dashboards
from components.org_monitoring.management import build_management
from components.org_monitoring.refs import WorkloadRef, accounts_in_region
from inventory.base import FrozenModel
from inventory.models import Organisation
from inventory.org_monitoring import OrgMonitoringSettings
from inventory.pricing import Pricing
from vocabulary import arns, names, oam


class OrgContext(FrozenModel):
    monitoring_account_id: str
    # Where the aggregate dashboards (global, but pinned for the plan) and Grafana live.
    home_region: str
    # Every region any workload account uses (unique): one sink, alert topic and alarm set each.
    regions: tuple[str, ...]
    workloads: tuple[WorkloadRef, ...]
    settings: OrgMonitoringSettings = OrgMonitoringSettings()
    # The one price table (the org-wide `defaults.monitoring.pricing`): estimated cost on the org dashboards
    # and Grafana. Models without a price are left out of the estimate ("price unknown"). Its size limit and
    # `missing_price: error` are inventory checks (`inventory.models.Organisation`).
    pricing: Pricing = Pricing()


class SinkSpec(FrozenModel):
    region: str
    name: str
    # Least privilege: a region's sink admits only the accounts that run workloads in that region.
    policy: dict[str, Any]


class OrgSpecs(FrozenModel):
    sinks: tuple[SinkSpec, ...]
    alarms: tuple[OrgAlarm, ...]
    dashboards: tuple[Dashboard, ...]
    # Per region: the org alert topic every org alarm of the region notifies, and its key's alias.
    alert_topic_name: str = names.ORG_ALERT_TOPIC_NAME
    alert_key_alias: str = names.ORG_ALERT_KEY_ALIAS
    # The management dashboard's name (one of `dashboards`), None when `management.enabled` is false.
    management_dashboard_name: str | None = None

    def alarms_in(self, region: str) -> tuple[OrgAlarm, ...]:
        return tuple(a for a in self.alarms if a.region == region)


def org_context(org: Organisation) -> OrgContext:
    monitoring = org.monitoring_account
    return OrgContext(
        monitoring_account_id=monitoring.account_id,
        home_region=monitoring.home_region,
        regions=tuple(org.workload_regions),
        workloads=tuple(WorkloadRef.of(w) for w in org.workload_accounts),
        settings=monitoring.settings,
        # One price table for the whole org: the workload defaults' (stacks/org.yaml defaults.monitoring).
        pricing=org.defaults.monitoring.pricing,
    )


def _sink(ctx: OrgContext, region: str) -> SinkSpec:
    policy = oam.sink_policy(
        [w.account_id for w in accounts_in_region(ctx.workloads, region)],
        ctx.settings.organization_id,
        ctx.monitoring_account_id,
        share_log_groups=ctx.settings.share_log_groups,
    )
    return SinkSpec(region=region, name=names.SINK_NAME, policy=policy)


def org_specs(ctx: OrgContext) -> OrgSpecs:
    alarms = org_alarms(ctx.regions, ctx.workloads, ctx.settings.alarms)
    region_wide = [arns.alarm_arn(a.region, ctx.monitoring_account_id, a.name) for a in alarms if a.region_wide]
    dashboards = build_dashboards(ctx.regions, ctx.workloads, ctx.settings, region_wide, ctx.pricing)
    management = None
    if ctx.settings.management.enabled:
        management = build_management(ctx.regions, ctx.workloads, ctx.settings, ctx.pricing)
        management.check_limits(
            fix="The management dashboard holds six widgets per region: split the regions across dashboards."
        )
        dashboards.append(management)
    return OrgSpecs(
        sinks=tuple(_sink(ctx, region) for region in ctx.regions),
        alarms=tuple(alarms),
        dashboards=tuple(dashboards),
        management_dashboard_name=management.name if management else None,
    )
