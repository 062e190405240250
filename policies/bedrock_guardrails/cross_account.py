"""Cross-account grants and references: a stack grants to, and sends data or notifications to, only its own
account, the accounts the operator lists (`allowedAccounts`), and - for OAM - its monitoring account.

What counts as "own": every account an AWS provider of the stack is pinned to (`allowedAccountIds`). What the
program legitimately names outside it:
- a workload stack's OAM links name the monitoring account's sinks: `monitoringAccounts` when configured,
  else every link of the stack must name one and the same account (an edited link stands out);
- the monitoring stack's sink policies admit the workload accounts: those whose Bedrock metrics the stack's
  own alarms read (`metricQueries[].accountId`), plus `allowedAccounts`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from pulumi_policy import ReportViolation, StackValidationArgs, StackValidationPolicy

from bedrock_guardrails._accounts import (
    ACCOUNT,
    arn_account,
    aws_principals,
    principal_account,
    source_accounts,
    stack_accounts,
)
from bedrock_guardrails._aws import (
    BUCKET_SSE,
    BUDGET,
    COMPOSITE_ALARM,
    IAM_ROLE,
    INVOCATION_LOGGING,
    LOG_GROUP,
    METRIC_ALARM,
    OAM_LINK,
    OAM_SINK_POLICY,
    SNS_TOPIC,
    TRAIL,
)
from bedrock_guardrails._iam import allows, parse_policy_document, service_principals, sid, statements
from bedrock_guardrails._util import HIGH, MANDATORY, as_list, block, config, label, maybe_unknown, resources_of, schema
from bedrock_guardrails.accounts import RESOURCE_POLICY_PROPS

TOPIC_SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription"
_POLICY_PROPS = {**RESOURCE_POLICY_PROPS, IAM_ROLE: "assumeRolePolicy", OAM_SINK_POLICY: "policy"}
_ALARM_ACTIONS = ("alarmActions", "okActions", "insufficientDataActions")
# Resource type -> inputs holding ARNs (keys, topics, roles, log groups, endpoints) that must be the stack's.
_ARN_PROPS: dict[str, tuple[str, ...]] = {
    TRAIL: ("kmsKeyId", "cloudWatchLogsGroupArn", "cloudWatchLogsRoleArn", "snsTopicName"),
    LOG_GROUP: ("kmsKeyId",),
    SNS_TOPIC: ("kmsMasterKeyId",),
    METRIC_ALARM: _ALARM_ACTIONS,
    COMPOSITE_ALARM: _ALARM_ACTIONS,
    TOPIC_SUBSCRIPTION: ("endpoint", "topic"),
}

_ACCOUNTS = {"type": "array", "items": {"type": "string", "pattern": ACCOUNT.pattern}, "uniqueItems": True}
_SCHEMA = schema(
    allowedAccounts={
        **_ACCOUNTS,
        "default": [],
        "description": "Accounts besides the stack's own that policies may grant to and resources may reference.",
    },
    monitoringAccounts={
        **_ACCOUNTS,
        "default": [],
        "description": "Accounts whose OAM sinks links may name. Empty: all links of a stack name one account.",
    },
)


def _arns(resource: Any) -> Iterator[tuple[str, Any]]:
    """(input, value) of every ARN-holding input of the resource that names an account."""
    for prop in _ARN_PROPS.get(resource.resource_type, ()):
        for value in as_list(maybe_unknown(resource.props, prop)):
            yield prop, value
    if resource.resource_type == BUCKET_SSE:
        for rule in as_list(maybe_unknown(resource.props, "rules")):
            default = block(rule.get("applyServerSideEncryptionByDefault")) if isinstance(rule, Mapping) else {}
            yield "rules.apply_server_side_encryption_by_default.kms_master_key_id", default.get("kmsMasterKeyId")
    elif resource.resource_type == BUDGET:
        for notification in as_list(maybe_unknown(resource.props, "notifications")):
            if isinstance(notification, Mapping):
                for topic in as_list(notification.get("subscriberSnsTopicArns")):
                    yield "notifications.subscriber_sns_topic_arns", topic
    elif resource.resource_type == INVOCATION_LOGGING:
        cloudwatch = block(block(maybe_unknown(resource.props, "loggingConfig")).get("cloudwatchConfig"))
        yield "logging_config.cloudwatch_config.role_arn", cloudwatch.get("roleArn")


def _statement_accounts(statement: Mapping[str, Any], resource_type: str) -> set[str]:
    """The accounts an Allow statement grants to: its AWS principals and its account conditions (those of a
    service statement in a resource policy are `resource-policy-source-condition`'s to check)."""
    found = {a for a in map(principal_account, aws_principals(statement)) if a}
    if resource_type in RESOURCE_POLICY_PROPS and service_principals(statement):
        return found
    for accounts in source_accounts(statement).values():
        found |= {a for a in accounts if a}
    return found


def _observed_accounts(resources: Iterable[Any]) -> set[str]:
    """Accounts whose metrics the stack's alarms read (the monitoring stack's workload accounts)."""
    found: set[str] = set()
    for alarm in resources_of(resources, METRIC_ALARM):
        for query in as_list(maybe_unknown(alarm.props, "metricQueries")):
            account = query.get("accountId") if isinstance(query, Mapping) else None
            if isinstance(account, str) and ACCOUNT.match(account):
                found.add(account)
    return found


def _check_policies(args: StackValidationArgs, permitted: set[str], sink_permitted: set[str], report: Any) -> None:
    for resource in args.resources:
        prop = _POLICY_PROPS.get(resource.resource_type)
        document = parse_policy_document(maybe_unknown(resource.props, prop)) if prop else None
        allowed = sink_permitted if resource.resource_type == OAM_SINK_POLICY else permitted
        for index, statement in enumerate(statements(document) if document else []):
            foreign = (
                sorted(_statement_accounts(statement, resource.resource_type) - allowed) if allows(statement) else []
            )
            if foreign:
                report(
                    f"{label(resource.resource_type, resource.name)} {sid(statement, index)} grants to account(s) "
                    f"{', '.join(foreign)}, outside this stack's account(s) {', '.join(sorted(permitted))}; fix: "
                    "grant only this account, or add the account to the cross-account-grants allowedAccounts "
                    "config if the grant is intended.",
                    resource.urn,
                )


def _check_references(args: StackValidationArgs, permitted: set[str], report: Any) -> None:
    for resource in args.resources:
        for prop, value in _arns(resource):
            account = arn_account(value)
            if account and account not in permitted:
                report(
                    f"{label(resource.resource_type, resource.name)} {prop}={value!r} is in account {account}, "
                    f"outside this stack's account(s) {', '.join(sorted(permitted))} (data, keys or "
                    "notifications would leave the account); fix: use this account's own resource, or add the "
                    "account to the cross-account-grants allowedAccounts config if intended.",
                    resource.urn,
                )


def _check_links(args: StackValidationArgs, allowed: set[str], monitoring: set[str], report: Any) -> None:
    links = [
        (link, arn_account(maybe_unknown(link.props, "sinkIdentifier")))
        for link in resources_of(args.resources, OAM_LINK)
    ]
    counts = Counter(account for _, account in links if account)
    # Without a configured monitoring account, the account most links name is taken as it (ties: none is).
    usual = {a for a, n in counts.items() if n == max(counts.values())} if counts else set()
    named = set(counts)
    for link, account in links:
        if not account:
            continue
        if monitoring and account not in monitoring | allowed:
            problem = f"not the configured monitoring account ({', '.join(sorted(monitoring))})"
        elif not monitoring and len(named) > 1 and (len(usual) > 1 or account not in usual):
            problem = f"while the stack's other links name {', '.join(sorted(named - {account}))}"
        else:
            continue
        report(
            f"{label(link.resource_type, link.name)} shares with a sink in account {account}, {problem}; fix: "
            "link to the monitoring account's sink (set cross-account-grants monitoringAccounts to it).",
            link.urn,
        )


def validate_cross_account(args: StackValidationArgs, report: ReportViolation) -> None:
    own = stack_accounts(args.resources)
    if not own:
        args.not_applicable("No AWS provider of the stack pins its account (allowedAccountIds).")
    allowed = set(config(args, _SCHEMA, "allowedAccounts"))
    permitted = own | allowed
    _check_policies(args, permitted, permitted | _observed_accounts(args.resources), report)
    _check_references(args, permitted, report)
    _check_links(args, allowed, set(config(args, _SCHEMA, "monitoringAccounts")), report)


cross_account_grants = StackValidationPolicy(
    name="cross-account-grants",
    description="Policies grant to, and resources reference keys, topics, roles and log groups of, only the "
    "stack's own account, the allowed accounts, and (OAM) the monitoring account.",
    validate=validate_cross_account,
    enforcement_level=MANDATORY,
    config_schema=_SCHEMA,
    severity=HIGH,
    tags=["stack", "access", "accounts"],
    remediation_steps="Grant and reference only this account's principals and resources; list intended other "
    "accounts in allowedAccounts / monitoringAccounts.",
)

POLICIES = [cross_account_grants]
