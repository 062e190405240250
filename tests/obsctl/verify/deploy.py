"""Deploy one account-region into the moto server with boto3, as `pulumi up` would leave it: every name and
value from vocabulary and the program's builders (through `obsctl.verify.expected`, which
tests/obsctl/verify/test_expected.py proves equal to the example plans), requests rendered by the specs'
own `pulumi_args` and converted like the plan-validation tests do."""

from __future__ import annotations

import json
import re
from typing import Any

import boto3
import botocore.session

from obsctl.verify.live import send_to_endpoint
from obsctl.verify.shapes import AccessLogging, Bucket, ExpectedRegion
from tests.botocore_requests import create_budget_request, put_metric_alarm_request
from tests.obsctl.moto_server import MotoServer
from vocabulary import iam, names

_SNAKE = re.compile(r"_([a-z])")
PAB_FLAGS = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")


def camel(value: Any) -> Any:
    """pulumi_args (snake_case) -> engine inputs (camelCase), as the plan documents record them."""
    if isinstance(value, dict):
        return {_SNAKE.sub(lambda m: m.group(1).upper(), k): camel(v) for k, v in value.items()}
    if isinstance(value, list):
        return [camel(v) for v in value]
    return value


# Parsed API models, shared by every seeding session (loading them is most of a client's creation time).
_LOADER = botocore.session.get_session().get_component("data_loader")


class Seeder:
    """boto3 sessions in moto accounts (one AssumeRole per account), clients cached. One per test: moto's
    reset forgets assumed-role credentials, which would then land calls in its default account."""

    def __init__(self, moto: MotoServer) -> None:
        self.moto = moto
        self._sessions: dict[str, boto3.Session] = {}
        self._clients: dict[tuple[str, str, str], Any] = {}

    def client(self, account_id: str, service: str, region: str) -> Any:
        key = (account_id, service, region)
        if key not in self._clients:
            self._clients[key] = self.fresh_client(account_id, service, region)
        return self._clients[key]

    def fresh_client(self, account_id: str, service: str, region: str) -> Any:
        client = self._session(account_id).client(service, region_name=region, endpoint_url=self.moto.endpoint)
        if service == "s3control":  # as verify does: the account id is not a host of the emulator
            send_to_endpoint(client, self.moto.endpoint)
        return client

    def _session(self, account_id: str) -> boto3.Session:
        if account_id not in self._sessions:
            sts = self.moto.client("sts")
            role = f"arn:aws:iam::{account_id}:role/moto-seeder"
            credentials = sts.assume_role(RoleArn=role, RoleSessionName="seed")["Credentials"]
            core = botocore.session.get_session()
            core.register_component("data_loader", _LOADER)
            self._sessions[account_id] = boto3.Session(
                botocore_session=core,
                aws_access_key_id=credentials["AccessKeyId"],
                aws_secret_access_key=credentials["SecretAccessKey"],
                aws_session_token=credentials["SessionToken"],
            )
        return self._sessions[account_id]


class Deployment:
    def __init__(self, seeder: Seeder, expected: ExpectedRegion) -> None:
        self.seeder = seeder
        self.moto = seeder.moto
        self.expected = expected
        self.account_id = expected.account_id
        self.region = expected.region
        self.key_arn = ""

    def client(self, service: str) -> Any:
        return self.seeder.client(self.account_id, service, self.region)

    def deploy(self) -> Deployment:
        self._key()
        self._log_groups()
        for bucket in self.expected.buckets:
            self._bucket(bucket)
        for bucket in self.expected.buckets:
            if bucket.access_logging:
                self.log_access(bucket.name, bucket.access_logging)
        self._logging()
        self._trail()
        self._topics()
        self._alarms()
        self._dashboards_and_filters()
        self._budget()
        self._account_public_access_block()
        # No data protection policy: moto does not implement PutDataProtectionPolicy (verify skips the check).
        return self

    def _key(self) -> None:
        kms = self.client("kms")
        policy = json.dumps({"Version": "2012-10-17", "Statement": list(self.expected.key_policy)})
        key = kms.create_key(Description="Bedrock observability", Policy=policy)["KeyMetadata"]
        kms.create_alias(AliasName=self.expected.key_alias, TargetKeyId=key["KeyId"])
        kms.enable_key_rotation(KeyId=key["KeyId"])
        self.key_arn = key["Arn"]

    def _log_groups(self) -> None:
        logs = self.client("logs")
        for group in self.expected.log_groups:
            logs.create_log_group(logGroupName=group.name, kmsKeyId=self.key_arn)
            logs.put_retention_policy(logGroupName=group.name, retentionInDays=group.retention_days)

    def encryption(self, bucket: Bucket) -> dict[str, Any]:
        default = {"SSEAlgorithm": bucket.sse_algorithm}
        if bucket.sse_algorithm == "aws:kms":
            default["KMSMasterKeyID"] = self.key_arn
        return {"Rules": [{"ApplyServerSideEncryptionByDefault": default, "BucketKeyEnabled": bucket.bucket_key}]}

    def _bucket(self, bucket: Bucket) -> None:
        s3 = self.client("s3")
        location = (
            {} if self.region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": self.region}}
        )
        s3.create_bucket(Bucket=bucket.name, **location)
        s3.put_bucket_tagging(
            Bucket=bucket.name, Tagging={"TagSet": [{"Key": names.BUCKET_ROLE_TAG, "Value": bucket.role}]}
        )
        s3.put_bucket_ownership_controls(
            Bucket=bucket.name, OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
        )
        s3.put_public_access_block(
            Bucket=bucket.name,
            PublicAccessBlockConfiguration=dict.fromkeys(PAB_FLAGS, True),
        )
        s3.put_bucket_encryption(Bucket=bucket.name, ServerSideEncryptionConfiguration=self.encryption(bucket))
        s3.put_bucket_versioning(Bucket=bucket.name, VersioningConfiguration={"Status": "Enabled"})
        s3.put_bucket_lifecycle_configuration(
            Bucket=bucket.name,
            LifecycleConfiguration={"Rules": list(bucket.lifecycle)},
            TransitionDefaultMinimumObjectSize=bucket.minimum_object_size,
        )
        if bucket.object_lock:
            s3.put_object_lock_configuration(
                Bucket=bucket.name, ObjectLockConfiguration={"ObjectLockEnabled": "Enabled", "Rule": bucket.object_lock}
            )
        self.put_policy(bucket)

    def put_policy(self, bucket: Bucket, statements: tuple[iam.Statement, ...] | None = None) -> None:
        policy = {"Version": "2012-10-17", "Statement": list(bucket.policy if statements is None else statements)}
        self.client("s3").put_bucket_policy(Bucket=bucket.name, Policy=json.dumps(policy))

    def log_access(self, source: str, logging: AccessLogging) -> None:
        """Server access logging of `source`. moto 5.2.5's PutBucketLogging fails (HTTP 500) reading a target
        policy with a `"Principal": "*"` statement (the TLS-only deny; AWS has no such problem), so the target
        holds only the logging service's grant while logging is put, then the policy it had again."""
        target = next(b for b in self.expected.buckets if b.name == logging.target_bucket)
        s3 = self.client("s3")
        policy = s3.get_bucket_policy(Bucket=target.name)["Policy"]
        enabled = {"TargetBucket": logging.target_bucket, "TargetPrefix": logging.prefix,
                   "TargetObjectKeyFormat": logging.key_format}  # fmt: skip
        self.put_policy(target, target.delivery)
        s3.put_bucket_logging(Bucket=source, BucketLoggingStatus={"LoggingEnabled": enabled})
        s3.put_bucket_policy(Bucket=target.name, Policy=policy)

    def _account_public_access_block(self) -> None:
        if self.expected.account_public_access_block:
            self.client("s3control").put_public_access_block(
                AccountId=self.account_id, PublicAccessBlockConfiguration=dict.fromkeys(PAB_FLAGS, True)
            )

    def logging_config(self, **overrides: Any) -> dict[str, Any]:
        logging = self.expected.logging
        return {
            "cloudWatchConfig": {
                "logGroupName": logging.log_group,
                "roleArn": logging.role_arn,
                "largeDataDeliveryS3Config": {"bucketName": logging.bucket, "keyPrefix": logging.large_data_prefix},
            },
            "s3Config": {"bucketName": logging.bucket, "keyPrefix": logging.prefix},
            **logging.data_types,
            **overrides,
        }

    def _logging(self) -> None:
        self.client("bedrock").put_model_invocation_logging_configuration(loggingConfig=self.logging_config())

    def _trail(self) -> None:
        trail = self.expected.trail
        if trail is None:
            return
        cloudtrail = self.client("cloudtrail")
        cloudtrail.create_trail(
            Name=trail.name,
            S3BucketName=trail.bucket,
            IsMultiRegionTrail=True,
            IncludeGlobalServiceEvents=True,
            EnableLogFileValidation=True,
            KmsKeyId=self.key_arn,
            CloudWatchLogsLogGroupArn=trail.log_group_arn,
            CloudWatchLogsRoleArn=trail.role_arn,
        )
        cloudtrail.start_logging(Name=trail.name)
        if trail.insights:
            selectors = [{"InsightType": kind} for kind in trail.insights]
            cloudtrail.put_insight_selectors(TrailName=trail.name, InsightSelectors=selectors)

    def _topics(self) -> None:
        sns = self.client("sns")
        for topic in self.expected.topics:
            attributes = {"KmsMasterKeyId": self.key_arn, "Policy": json.dumps(topic.policy)}
            arn = sns.create_topic(Name=topic.name, Attributes=attributes)["TopicArn"]
            for sub in topic.subscriptions:
                sns.subscribe(TopicArn=arn, Protocol=sub.protocol, Endpoint=sub.endpoint)

    def _alarms(self) -> None:
        cloudwatch = self.client("cloudwatch")
        for spec in self.expected.monitoring.metric_alarms:
            assert spec.tier is not None
            inputs = camel(spec.pulumi_args(self.expected.topic_arn(spec.tier), self.region))
            cloudwatch.put_metric_alarm(**put_metric_alarm_request(inputs))
        for composite in self.expected.monitoring.composite_alarms:
            self.put_composite(composite.name, composite.rule, self.expected.topic_arn(composite.tier))

    def put_composite(self, name: str, rule: str, topic: str) -> None:
        """moto 5.2.5 has no PutCompositeAlarm; its PutMetricAlarm stores an `AlarmRule` as a composite alarm.
        botocore would not send that member, so it is added to the serialized (JSON protocol) request."""
        cloudwatch = self.seeder.fresh_client(self.account_id, "cloudwatch", self.region)  # its own hook

        def add_rule(params: dict[str, Any], **_: Any) -> None:
            params["body"] = json.dumps({**json.loads(params["body"]), "AlarmRule": rule}).encode()

        cloudwatch.meta.events.register("before-call.cloudwatch.PutMetricAlarm", add_rule)
        cloudwatch.put_metric_alarm(
            AlarmName=name,
            AlarmActions=[topic],
            OKActions=[topic],
            ActionsEnabled=True,
            EvaluationPeriods=1,
            ComparisonOperator="GreaterThanThreshold",
        )

    def _dashboards_and_filters(self) -> None:
        cloudwatch, logs = self.client("cloudwatch"), self.client("logs")
        for dashboard in self.expected.monitoring.dashboards:
            cloudwatch.put_dashboard(DashboardName=dashboard.name, DashboardBody=dashboard.body)
        for item in self.expected.monitoring.metric_filters:
            spec = item.spec
            logs.put_metric_filter(
                logGroupName=item.log_group,
                filterName=spec.name,
                filterPattern=spec.pattern,
                metricTransformations=[
                    {"metricName": spec.metric_name, "metricNamespace": spec.metric_namespace, "metricValue": "1"}
                ],
            )

    def _budget(self) -> None:
        spec = self.expected.budget
        if spec is None:
            return
        request = create_budget_request(camel(spec.pulumi_args(self.expected.topic_arn("critical"))))
        self.client("budgets").create_budget(**request)


def deploy(seeder: Seeder, expected: ExpectedRegion) -> Deployment:
    return Deployment(seeder, expected).deploy()


def deploy_all(seeder: Seeder, targets: list[ExpectedRegion]) -> list[Deployment]:
    return [deploy(seeder, expected) for expected in targets]


__all__ = ["Deployment", "Seeder", "camel", "deploy", "deploy_all"]
