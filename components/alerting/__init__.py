"""Alert routing: the one alert topic implementation (`component.AlertTopic`: KMS-encrypted SNS topic,
least-privilege topic policy, subscriptions) and its pure builders (`specs`). Used by the regional
monitoring of every workload account-region and by the monitoring account's org alarms."""
