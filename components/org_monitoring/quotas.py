"""CloudWatch limits the org dashboards and alarms are built to respect, with their sources.

Sources (retrieved for this implementation):
- CloudWatch service quotas, "Dashboards" row
  (docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html): up to 500 widgets per
  dashboard; up to 500 metrics per dashboard widget; up to 2500 metrics per dashboard across all widgets;
  "these quotas include all metrics retrieved for use in metric math functions, even if those metrics are
  not displayed". Not adjustable.
- CloudWatch API reference, Dashboard Body Structure: a DashboardBody holds 0 to 500 widget objects; a
  widget is at most 24 grid units wide.
- CloudWatch API (GetMetricData validation, e.g. grafana/grafana#25062): a MetricDataQuery expression is at
  most 1024 characters.
- SEARCH expressions return at most 500 time series (CloudWatch search expression syntax; CDK
  SearchExpression docs).
- Metrics Insights: a query processes at most 10,000 metrics and returns at most 500 time series; default
  200 Metrics Insights alarms per account and region (cloudwatch-metrics-insights-limits.html).
- Alarms: a metric-math alarm references at most 10 metrics; at most 5 actions per alarm state
  (cloudwatch_limits.html, "Alarms" / "Alarm actions").
- An alarm-status widget shows at most 100 alarms (Dashboard Body Structure, alarm widget `alarms`).

CloudWatch documents no size limit for DashboardBody itself; DASHBOARD_BODY_BUDGET_BYTES is our own
engineering budget (far below any request-size limit) so bodies stay reviewable in a plan diff.
"""

MAX_WIDGETS_PER_DASHBOARD = 500
MAX_METRICS_PER_WIDGET = 500
MAX_METRICS_PER_DASHBOARD = 2500
MAX_EXPRESSION_CHARS = 1024
MAX_SEARCH_RESULTS = 500
MAX_INSIGHTS_METRICS_SCANNED = 10_000
MAX_INSIGHTS_SERIES_RETURNED = 500
MAX_INSIGHTS_ALARMS_PER_REGION = 200
MAX_METRICS_PER_MATH_ALARM = 10
MAX_ALARMS_PER_ALARM_WIDGET = 100
GRID_WIDTH = 24
DASHBOARD_BODY_BUDGET_BYTES = 100_000
