"""The pure CloudWatch library both monitoring features build on (no Pulumi imports).

- `alarms`: metric and composite alarm specs, rendered once to the `aws.cloudwatch.*Alarm` arguments;
- `dashboard`: the typed dashboard body model, its layout and its quota check (`vocabulary.limits`);
- `expressions`: the metric-math, SEARCH and Metrics Insights expressions the features share;
- `logs`: CloudWatch Logs metric filters and saved Logs Insights queries.

Nothing here knows about workload accounts, the monitoring account or the inventory beyond its value types.
"""
