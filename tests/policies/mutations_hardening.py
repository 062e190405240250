"""Single edits of the example plans for the audit's ninth round (keys and aliases, access-log grants, role
trusts, subscriptions, the trail's global events, OAM filters): same shape as `mutations.MUTATIONS`, which
includes these rows."""

from __future__ import annotations

from tests.policies.edits import Edit, add_statement, inputs, nested, policy

KEY = "aws:kms/key:Key"
ALIAS = "aws:kms/alias:Alias"
ROLE = "aws:iam/role:Role"
LINK = "aws:oam/link:Link"
TRAIL = "aws:cloudtrail/trail:Trail"
SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription"
BUCKET_LOGGING = "aws:s3/bucketLogging:BucketLogging"
FOREIGN_KEY = "arn:aws:kms:us-west-2:666666666666:key/1234abcd-12ab-34cd-56ef-1234567890ab"


ROWS: list[tuple[str, str, Edit, str | None, str]] = [
    # Keys: what an alias names, what a key policy grants, the lockout safety check.
    (
        "alias-retargeted-to-aws-managed-key",
        "research-dev",
        inputs(ALIAS, "us-west-2", targetKeyId="alias/aws/s3"),
        "kms-alias-target",
        "not a key",
    ),
    (
        "alias-retargeted-to-foreign-key",
        "research-dev",
        inputs(ALIAS, "us-west-2", targetKeyId=FOREIGN_KEY),
        "kms-alias-target",
        "a key of account 666666666666",
    ),
    (
        "key-policy-grants-create-grant",
        "research-dev",
        policy(
            KEY,
            "",
            "policy",
            add_statement(
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": "arn:aws:iam::222222222222:root"},
                    "Action": "kms:CreateGrant",
                    "Resource": "*",
                }
            ),
        ),
        "kms-key-policy-scope",
        "'kms:CreateGrant'",
    ),
    (
        "key-policy-role-star",
        "payments-prod",
        policy(
            KEY,
            "",
            "policy",
            add_statement(
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": "arn:aws:iam::111111111111:role/ops"},
                    "Action": ["kms:Decrypt", "kms:*"],
                    "Resource": "*",
                }
            ),
        ),
        "kms-key-policy-scope",
        "'kms:*'",
    ),
    (
        "key-policy-service-put-policy",
        "monitoring",
        policy(
            KEY,
            "",
            "policy",
            lambda p: p["Statement"][1].update(Action=["kms:Decrypt", "kms:GenerateDataKey*", "kms:Put*"]),
        ),
        "kms-key-policy-scope",
        "'kms:Put*'",
    ),
    (
        "key-bypasses-lockout-check",
        "research-dev",
        inputs(KEY, "", bypassPolicyLockoutSafetyCheck=True),
        "kms-key-policy-scope",
        "bypass_policy_lockout_safety_check",
    ),
    # Access logs: no ACL grants on the delivered logs.
    (
        "access-logs-granted-to-everyone",
        "research-dev",
        inputs(
            BUCKET_LOGGING,
            "us-west-2-access-logs-invocation",
            targetGrants=[
                {
                    "grantee": {"type": "Group", "uri": "http://acs.amazonaws.com/groups/global/AllUsers"},
                    "permission": "READ",
                }
            ],
        ),
        "s3-server-access-logging",
        "sets target_grants (to http://acs.amazonaws.com/groups/global/AllUsers)",
    ),
    # Role trusts: only sts:AssumeRole, one service.
    (
        "trust-allows-sts-star",
        "research-dev",
        policy(ROLE, "us-west-2-invocations", "assumeRolePolicy", lambda p: p["Statement"][0].update(Action="sts:*")),
        "iam-role-trust-scope",
        "allows 'sts:*'",
    ),
    (
        "trust-allows-star",
        "payments-prod",
        policy(ROLE, "audit-logs", "assumeRolePolicy", lambda p: p["Statement"][0].update(Action="*")),
        "iam-role-trust-scope",
        "allows '*'",
    ),
    (
        "trust-lists-another-service",
        "research-dev",
        policy(
            ROLE,
            "us-west-2-invocations",
            "assumeRolePolicy",
            lambda p: p["Statement"][0]["Principal"].update(Service=["bedrock.amazonaws.com", "ec2.amazonaws.com"]),
        ),
        "iam-role-trust-scope",
        "ec2.amazonaws.com",
    ),
    # Subscriptions: never plain HTTP.
    (
        "subscription-over-http",
        "research-dev",
        inputs(SUBSCRIPTION, "us-west-2-alerts-critical", protocol="http", endpoint="http://hooks.example.com/"),
        "sns-subscription-https",
        "plain HTTP",
    ),
    # The trail records the global services (IAM, STS).
    (
        "trail-without-global-events",
        "payments-prod",
        inputs(TRAIL, "", includeGlobalServiceEvents=False),
        "cloudtrail-multi-region",
        "include_global_service_events=False",
    ),
    # OAM: links share only the Bedrock namespace.
    (
        "link-filter-shares-every-namespace",
        "research-dev",
        nested(
            LINK,
            "us-west-2",
            lambda i: i["linkConfiguration"]["metricConfiguration"].update(filter="Namespace NOT IN ('x')"),
        ),
        "oam-shared-types",
        "NOT IN",
    ),
    (
        "link-filter-adds-a-namespace",
        "payments-prod",
        nested(
            LINK,
            "",
            lambda i: i["linkConfiguration"]["metricConfiguration"].update(
                filter="Namespace IN ('AWS/Bedrock', 'AWS/S3')"
            ),
        ),
        "oam-shared-types",
        "AWS/S3",
    ),
    (
        "link-without-filter",
        "payments-prod",
        nested(LINK, "", lambda i: i.pop("linkConfiguration")),
        "oam-shared-types",
        "shares every metric",
    ),
]
