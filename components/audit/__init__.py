"""The workload account's own multi-region CloudTrail (`trail.AuditTrail`)."""
