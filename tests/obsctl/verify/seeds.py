"""How each defect of test_defects.py is seeded into a deployment in moto: console edits, deletions, and
policies the program's own builders render with a flag flipped."""

from __future__ import annotations

import dataclasses
import json

from components.account.component import key_args
from components.alerting.specs import topic_policy
from components.storage.kms import key_policy_statements
from components.storage.protection import DataProtection
from obsctl.verify.shapes import AccessLogging, ExpectedRegion
from tests.botocore_requests import put_metric_alarm_request
from tests.obsctl.verify.deploy import Deployment, camel
from vocabulary import names

# ExpectedRegion.buckets of a home region: invocation-log bucket, audit bucket, access-log bucket
INV, TRAIL, ACCESS = 0, 1, 2


def bucket_name(e: ExpectedRegion, which: int) -> str:
    return e.buckets[which].name


def alarm_name(e: ExpectedRegion, which: int) -> str:
    return e.monitoring.metric_alarms[which].name


def topic_name(e: ExpectedRegion, tier: str) -> str:
    return next(t.name for t in e.topics if t.tier == tier)


# --- how each defect is seeded -----------------------------------------------------------------------------


def put_alarm(d: Deployment, which: int, tier: str | None = None, **changes: object) -> None:
    """Re-put one alarm as a console edit would: another tier's topic, or other request members."""
    spec = d.expected.monitoring.metric_alarms[which]
    request = put_metric_alarm_request(camel(spec.pulumi_args(d.expected.topic_arn(tier or spec.tier or ""), d.region)))
    d.client("cloudwatch").put_metric_alarm(**{**request, **changes})


def put_logging(d: Deployment, **overrides: object) -> None:
    config = {k: v for k, v in d.logging_config(**overrides).items() if v is not None}
    d.client("bedrock").put_model_invocation_logging_configuration(loggingConfig=config)


def lifecycle_expiry(d: Deployment, which: int, days: int) -> None:
    [rule] = d.expected.buckets[which].lifecycle
    shorter = {**rule, "Expiration": {"Days": days}, "Transitions": []}
    d.client("s3").put_bucket_lifecycle_configuration(
        Bucket=bucket_name(d.expected, which), LifecycleConfiguration={"Rules": [shorter]}
    )


def policy_without_tls(d: Deployment, which: int) -> None:
    bucket = d.expected.buckets[which]
    d.put_policy(bucket, tuple(s for s in bucket.policy if s != bucket.tls_only))


def foreign_account_reads(d: Deployment, which: int) -> None:
    """A statement the program does not write (not public: the bucket's public access block would refuse that)."""
    bucket = d.expected.buckets[which]
    read = {"Sid": "PartnerRead", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999999999999:root"},
            "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket.name}/*"}  # fmt: skip
    d.put_policy(bucket, (*bucket.policy, read))


def access_log_grant_widened(d: Deployment) -> None:
    """The logging service admitted for any source bucket of any account."""
    bucket = d.expected.buckets[ACCESS]
    widened = tuple({k: v for k, v in s.items() if k != "Condition"} for s in bucket.delivery)
    d.put_policy(bucket, (bucket.tls_only, *widened))


def access_log_bucket_logs_itself(d: Deployment) -> None:
    name = bucket_name(d.expected, ACCESS)
    d.log_access(name, AccessLogging(name, names.ACCESS_LOG_PREFIX, {"SimplePrefix": {}}))


def tag_role(d: Deployment, which: int, role: str) -> None:
    tags = {"TagSet": [{"Key": names.BUCKET_ROLE_TAG, "Value": role}]}
    d.client("s3").put_bucket_tagging(Bucket=bucket_name(d.expected, which), Tagging=tags)


def kms_encrypted(d: Deployment, which: int) -> None:
    rules = [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": d.key_arn}}]
    d.client("s3").put_bucket_encryption(
        Bucket=bucket_name(d.expected, which), ServerSideEncryptionConfiguration={"Rules": rules}
    )


def retention_shortened(d: Deployment, which: int) -> None:
    rule = {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 1}}
    d.client("s3").put_object_lock_configuration(
        Bucket=bucket_name(d.expected, which), ObjectLockConfiguration={"ObjectLockEnabled": "Enabled", "Rule": rule}
    )


def key_policy(d: Deployment, budgets: bool) -> None:
    """The region's key policy as the program would write it with or without the AWS Budgets grant."""
    account = d.expected.account
    args = dataclasses.replace(key_args(account, d.region, DataProtection()), budget_notifications=budgets)
    policy = {"Version": "2012-10-17", "Statement": key_policy_statements(args)}
    d.client("kms").put_key_policy(KeyId=key_id(d), PolicyName="default", Policy=json.dumps(policy))


def critical_topic_admits_budgets(d: Deployment) -> None:
    arn = d.expected.topic_arn("critical")
    policy = json.dumps(topic_policy(arn, d.account_id, d.region, allow_budgets=True))
    d.client("sns").set_topic_attributes(TopicArn=arn, AttributeName="Policy", AttributeValue=policy)


def public_policy_allowed(d: Deployment, which: int) -> None:
    flags = {
        "BlockPublicAcls": True,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": False,
        "RestrictPublicBuckets": True,
    }
    d.client("s3").put_public_access_block(Bucket=bucket_name(d.expected, which), PublicAccessBlockConfiguration=flags)


def aes256(d: Deployment, which: int) -> None:
    rules = [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
    d.client("s3").put_bucket_encryption(
        Bucket=bucket_name(d.expected, which), ServerSideEncryptionConfiguration={"Rules": rules}
    )


def open_topic(d: Deployment, tier: str) -> None:
    arn = d.expected.topic_arn(tier)
    statement = {"Sid": "Open", "Effect": "Allow", "Principal": "*", "Action": "sns:Publish", "Resource": arn}
    policy = json.dumps({"Version": "2012-10-17", "Statement": [statement]})
    d.client("sns").set_topic_attributes(TopicArn=arn, AttributeName="Policy", AttributeValue=policy)


def unsubscribe_first(d: Deployment, tier: str) -> None:
    sns = d.client("sns")
    subscriptions = sns.list_subscriptions_by_topic(TopicArn=d.expected.topic_arn(tier))["Subscriptions"]
    sns.unsubscribe(SubscriptionArn=subscriptions[0]["SubscriptionArn"])


def log_group_without_key(d: Deployment) -> None:
    logs = d.client("logs")
    logs.delete_log_group(logGroupName=names.INVOCATION_LOG_GROUP)
    logs.create_log_group(logGroupName=names.INVOCATION_LOG_GROUP)
    retention = d.expected.log_groups[0].retention_days
    logs.put_retention_policy(logGroupName=names.INVOCATION_LOG_GROUP, retentionInDays=retention)


def key_id(d: Deployment) -> str:
    return d.key_arn.rsplit("/", 1)[-1]
