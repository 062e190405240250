"""Regional Bedrock monitoring of a workload account: dashboards, two-tier alarms, alert topics, saved queries
and security signals, per account-region.

- `specs` is the pure façade: `region_context(account, region)` and `regional_specs(ctx)` say everything a
  region gets; `component.RegionalMonitoring` creates exactly that, and `obsctl verify` checks it.
- builders: `model_alarms`, `signals`, `queries`, `dashboards/`; the region they describe: `context`.

Importing this package (or `specs`) loads no Pulumi module.
"""
