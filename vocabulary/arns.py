"""ARNs derived from names we choose, so policies are complete at preview time (no unknown outputs)."""

PARTITION = "aws"


def arn(service: str, region: str, account_id: str, resource: str) -> str:
    """`arn:<partition>:<service>:<region>:<account>:<resource>`; region (and account) empty where the service
    has none (IAM, S3 buckets, Budgets). Every ARN the platform writes or looks for is built here."""
    return f"arn:{PARTITION}:{service}:{region}:{account_id}:{resource}"


def log_group_arn(region: str, account_id: str, name: str) -> str:
    return arn("logs", region, account_id, f"log-group:{name}")


def bucket_arn(bucket: str) -> str:
    return arn("s3", "", "", bucket)


def role_arn(account_id: str, name: str) -> str:
    return arn("iam", "", account_id, f"role/{name}")


def trail_arn(region: str, account_id: str, name: str) -> str:
    return arn("cloudtrail", region, account_id, f"trail/{name}")


def bedrock_source_arn(region: str, account_id: str) -> str:
    """Any Bedrock resource of the account in the region: the `aws:SourceArn` Bedrock presents."""
    return arn("bedrock", region, account_id, "*")


def account_root(account_id: str) -> str:
    return arn("iam", "", account_id, "root")


def sns_topic_arn(region: str, account_id: str, name: str) -> str:
    return arn("sns", region, account_id, name)


def alarm_arn(region: str, account_id: str, name: str) -> str:
    return arn("cloudwatch", region, account_id, f"alarm:{name}")


def any_alarm_arn(region: str, account_id: str) -> str:
    """Any CloudWatch alarm of the account in the region: the `aws:SourceArn` CloudWatch presents to SNS."""
    return alarm_arn(region, account_id, "*")


def any_budget_arn(account_id: str) -> str:
    """Any budget of the account (budgets are global): the `aws:SourceArn` AWS Budgets presents to SNS."""
    return arn("budgets", "", account_id, "*")


def any_grafana_workspace_arn(region: str, account_id: str) -> str:
    return arn("grafana", region, account_id, "/workspaces/*")


def kms_alias_arn(region: str, account_id: str, alias: str) -> str:
    return arn("kms", region, account_id, alias)


def guardrail_arn(region: str, account_id: str, guardrail_id: str) -> str:
    """A Bedrock guardrail (botocore bedrock GuardrailArn): the `GuardrailArn` dimension of its metrics."""
    return arn("bedrock", region, account_id, f"guardrail/{guardrail_id}")


def sink_arn(region: str, account_id: str, sink_id: str) -> str:
    """An OAM sink; AWS generates its id, so `sink_id=""` gives the prefix every sink of the account-region
    shares (how the tools recognise a link to the monitoring account's sink)."""
    return arn("oam", region, account_id, f"sink/{sink_id}")
