"""The monitoring account's org-wide Bedrock view: OAM sinks (`component.OrgMonitoring`) and each workload
region's link to them (`link.OamLink`), org alarms, aggregate dashboards, optional Grafana.

`specs` is the pure façade (`org_context`, `org_specs`); importing this package loads no Pulumi module.
"""
