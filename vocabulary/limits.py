"""AWS limits the platform checks against, each with where it comes from.

Name lengths: the API models shipped with botocore where they state one (`min`/`max`/`pattern` of the
request member), else the service documentation named beside the constant.
"""

from __future__ import annotations

# --- physical names ---------------------------------------------------------------------------------------
MAX_ALARM_NAME = 255  # botocore cloudwatch PutMetricAlarm/PutCompositeAlarm AlarmName
MAX_DASHBOARD_NAME = 255  # CloudWatch PutDashboard API reference: DashboardName, A-Z a-z 0-9 - _
MAX_TOPIC_NAME = 256  # SNS CreateTopic API reference: up to 256 characters, A-Z a-z 0-9 - _
MIN_BUCKET_NAME, MAX_BUCKET_NAME = 3, 63  # S3 user guide, "General purpose bucket naming rules"
MAX_ROLE_NAME = 64  # botocore iam CreateRole RoleName
MAX_LOG_GROUP_NAME = 512  # botocore logs CreateLogGroup logGroupName
MAX_QUERY_DEFINITION_NAME = 255  # botocore logs PutQueryDefinition name
MAX_METRIC_FILTER_NAME = 512  # botocore logs PutMetricFilter filterName
MAX_TRAIL_NAME = 128  # CloudTrail CreateTrail API reference: 3-128 characters
MAX_BUDGET_NAME = 100  # botocore budgets BudgetName
MAX_KMS_ALIAS = 256  # botocore kms CreateAlias AliasName
MAX_SINK_NAME = 255  # botocore oam CreateSink Name pattern {1,255}
MAX_LINK_LABEL_TEMPLATE = 64  # botocore oam CreateLink LabelTemplate
MAX_ALARM_DESCRIPTION = 1024  # botocore cloudwatch PutMetricAlarm AlarmDescription
MAX_DIMENSION_VALUE = 1024  # botocore cloudwatch DimensionValue: a model id is the ModelId dimension's value
MAX_METRIC_NAMESPACE = 255  # botocore cloudwatch Namespace, logs MetricNamespace
MAX_GRAFANA_WORKSPACE_NAME = 255  # botocore grafana CreateWorkspace workspaceName pattern {1,255}
# Pulumi stack names: 1-100 of A-Z a-z 0-9 _ . - (pulumi/pkg backend, validateStackName).
MAX_STACK_NAME = 100

# --- CloudWatch dashboards and alarms --------------------------------------------------------------------
# Amazon CloudWatch User Guide, "CloudWatch service quotas" (cloudwatch_limits.html), Dashboards row:
# "Up to 500 widgets per dashboard. Up to 500 metrics per dashboard widget. Up to 2500 metrics per
# dashboard, across all widgets." These count every metric retrieved for metric math, SEARCH and Metrics
# Insights, even when not displayed. Not adjustable.
MAX_WIDGETS_PER_DASHBOARD = 500
MAX_METRICS_PER_WIDGET = 500
MAX_METRICS_PER_DASHBOARD = 2500
# "Dashboard Body Structure and Syntax", alarm status widget: `alarms` holds 1-100 alarm ARNs.
MAX_ALARMS_PER_ALARM_WIDGET = 100
# Same page, widget object: width 1-24 grid units, height 1-1000.
GRID_WIDTH = 24
MAX_WIDGET_HEIGHT = 1000
# The quotas page lists no byte limit for DashboardBody; PutDashboard is a form-encoded Query-API request,
# so we keep a self-imposed budget far below any request-size limit.
DASHBOARD_BODY_BUDGET_BYTES = 256 * 1024
# The API model allows 2048 characters per MetricDataQuery expression (botocore `MetricExpression`), but
# GetMetricData has been seen rejecting longer than 1024 (grafana/grafana#25062): we stay within 1024.
MAX_EXPRESSION_CHARS = 1024
# CloudWatch User Guide, "CloudWatch search expression syntax": a SEARCH returns at most 500 series.
MAX_SEARCH_RESULTS = 500
# CloudWatch User Guide, Metrics Insights quotas: a query processes at most 10,000 metrics and returns at
# most 500 time series; 200 Metrics Insights alarms per account and region (default).
MAX_INSIGHTS_METRICS_SCANNED = 10_000
MAX_INSIGHTS_SERIES_RETURNED = 500
MAX_INSIGHTS_ALARMS_PER_REGION = 200
# Same page: "Each GetMetricData operation can have only one query, but you can have multiple widgets in a
# dashboard, each including one query"; "Dashboard Body Structure and Syntax", metric widget `metrics`: "One
# metrics array can include no more than one Metrics Insights query." A widget with a second SELECT fails with
# "Maximum number of queries (1) exceeded" (the API error quoted in grafana/grafana#74563). One `expression` cannot
# hold both a query and math (same page), so `SUM(SELECT ...) * price` is not valid; math may reference a query's
# id, but `q1 * p1 + q2 * p2` over two SELECTs needs both in one request. SEARCH and plain metrics are not limited
# this way (only by the metric counts above).
MAX_INSIGHTS_QUERIES_PER_WIDGET = 1
# CloudWatch API reference, MetricDataQuery: a PutMetricAlarm call holds at most 10 MetricStat queries.
MAX_METRICS_PER_MATH_ALARM = 10
# CloudWatch API reference, GetMetricData: at most 500 MetricDataQuery structures per call.
MAX_QUERIES_PER_GET_METRIC_DATA = 500
# CloudWatch Logs PutMetricFilter: filterPattern is at most 1024 characters.
MAX_FILTER_PATTERN_LENGTH = 1024

# --- numbers the inventory bounds (each refused above its limit before anything is registered) ---------
# AWS APIs type counts and days as `integer` (botocore shape type), a signed 32-bit value on the wire.
AWS_MAX_INTEGER = 2**31 - 1
# CloudWatch accepts metric values within -2^360..2^360 (PutMetricData); an alarm threshold above that
# can never be crossed.
MAX_METRIC_VALUE = 2.0**360
# Amazon Bedrock inference requests can take up to 60 minutes (Bedrock/Nova user guides, client timeout):
# a latency threshold above that can never be crossed.
MAX_INVOCATION_LATENCY_MS = 60 * 60 * 1000
# Budgets: the limit is sent as a decimal string with two decimals (`BudgetLimit.Amount`, pattern
# `([0-9]*\.)?[0-9]+`), so less than a cent would be "0.00". The API states no maximum; above 10^12 USD a
# month, extra zeros are a typo, never a budget (self-imposed).
MIN_BUDGET_LIMIT_USD = 0.01
MAX_BUDGET_LIMIT_USD = 1e12
# botocore budgets NotificationThreshold: 0..1.5e13; this platform's thresholds are percentages of the
# limit, kept within (0, 1000] (self-imposed: a notification at 10x the budget is the most anyone needs).
MAX_BUDGET_THRESHOLD_PCT = 1000.0
# AWS Budgets: at most 10 notifications per budget (Budgets user guide, quotas).
MAX_BUDGET_NOTIFICATIONS = 10
# Estimated-cost price table, USD per 1,000 tokens. No Bedrock model is priced anywhere near this; it
# catches a misplaced decimal point (self-imposed).
MAX_PRICE_PER_1K_TOKENS_USD = 1000.0
# botocore service-quotas QuotaValue: a double within 0..10^10. A tokens-per-minute quota is a whole number of
# tokens, at least 1.
MAX_SERVICE_QUOTA_VALUE = 10_000_000_000
# botocore bedrock GuardrailId: `[a-z0-9]+`, at most 64 characters; GuardrailVersion: 1..99999999 or DRAFT.
MAX_GUARDRAIL_ID = 64
MAX_GUARDRAIL_VERSION = 99_999_999
# Output tokens per second of one model. No model decodes anywhere near this; it catches a misplaced decimal
# point or a per-minute figure (self-imposed).
MAX_OUTPUT_TOKENS_PER_SECOND = 100_000.0
# Quota tokens one output token burns (Bedrock user guide, "How tokens are counted": 1 for most models, 5 for
# some Claude models); above 100 is a typo (self-imposed).
MAX_OUTPUT_BURNDOWN_RATE = 100
# --- CloudTrail -------------------------------------------------------------------------------------------
# CloudTrail user guide, "Quotas in AWS CloudTrail": "Trails per Region: 5", cannot be increased. Preflight
# counts DescribeTrails(includeShadowTrails=True) in the home region: the Region's own trails plus the
# multi-Region and organisation trails that apply to it.
MAX_TRAILS_PER_REGION = 5
