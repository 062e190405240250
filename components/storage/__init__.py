"""Where logs and keys live: the regional KMS key (`kms.RegionalKey`), log buckets (`log_bucket.LogBucket`),
protected log groups (`log_group`) and how data-bearing resources are protected (`protection`)."""
