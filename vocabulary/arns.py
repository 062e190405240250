"""ARNs derived from names we choose, so policies are complete at preview time (no unknown outputs)."""

PARTITION = "aws"


def log_group_arn(region: str, account_id: str, name: str) -> str:
    return f"arn:{PARTITION}:logs:{region}:{account_id}:log-group:{name}"


def bucket_arn(bucket: str) -> str:
    return f"arn:{PARTITION}:s3:::{bucket}"


def role_arn(account_id: str, name: str) -> str:
    return f"arn:{PARTITION}:iam::{account_id}:role/{name}"


def trail_arn(region: str, account_id: str, name: str) -> str:
    return f"arn:{PARTITION}:cloudtrail:{region}:{account_id}:trail/{name}"


def bedrock_source_arn(region: str, account_id: str) -> str:
    """Any Bedrock resource of the account in the region: the `aws:SourceArn` Bedrock presents."""
    return f"arn:{PARTITION}:bedrock:{region}:{account_id}:*"


def account_root(account_id: str) -> str:
    return f"arn:{PARTITION}:iam::{account_id}:root"


def sns_topic_arn(region: str, account_id: str, name: str) -> str:
    return f"arn:{PARTITION}:sns:{region}:{account_id}:{name}"


def alarm_arn(region: str, account_id: str, name: str) -> str:
    return f"arn:{PARTITION}:cloudwatch:{region}:{account_id}:alarm:{name}"


def any_alarm_arn(region: str, account_id: str) -> str:
    """Any CloudWatch alarm of the account in the region: the `aws:SourceArn` CloudWatch presents to SNS."""
    return alarm_arn(region, account_id, "*")


def any_budget_arn(account_id: str) -> str:
    """Any budget of the account (budgets are global): the `aws:SourceArn` AWS Budgets presents to SNS."""
    return f"arn:{PARTITION}:budgets::{account_id}:*"


def any_grafana_workspace_arn(region: str, account_id: str) -> str:
    return f"arn:{PARTITION}:grafana:{region}:{account_id}:/workspaces/*"


def kms_alias_arn(region: str, account_id: str, alias: str) -> str:
    return f"arn:{PARTITION}:kms:{region}:{account_id}:{alias}"


def guardrail_arn(region: str, account_id: str, guardrail_id: str) -> str:
    """A Bedrock guardrail (botocore bedrock GuardrailArn): the `GuardrailArn` dimension of its metrics."""
    return f"arn:{PARTITION}:bedrock:{region}:{account_id}:guardrail/{guardrail_id}"
