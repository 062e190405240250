"""The platform's building blocks: `cloudwatch/` (the pure CloudWatch library) and one package per capability
(`storage`, `invocation_logging`, `audit`, `alerting`, `monitoring`, `budget`, `org_monitoring`, `account`),
each with its pure builders and one ComponentResource. See README, "Architecture"."""
