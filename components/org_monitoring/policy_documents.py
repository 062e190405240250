"""Resource policies of the monitoring account (OAM sink, alert keys, alert topics), built from models.

Every statement names the narrowest principal, action and condition that still works; the tests assert
that nothing broader slips in.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from components.arns import PARTITION, account_root
from components.org_monitoring import naming

ConditionBlock = dict[str, dict[str, str | list[str]]]


class Statement(BaseModel):
    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="forbid")

    sid: str = Field(alias="Sid")
    effect: Literal["Allow", "Deny"] = Field(alias="Effect")
    # None for identity policies (IAM role policies name no principal).
    principal: dict[str, str | list[str]] | Literal["*"] | None = Field(default=None, alias="Principal")
    action: str | list[str] = Field(alias="Action")
    resource: str | list[str] = Field(alias="Resource")
    condition: ConditionBlock | None = Field(default=None, alias="Condition")


class PolicyDocument(BaseModel):
    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="forbid")

    version: Literal["2012-10-17"] = Field(default="2012-10-17", alias="Version")
    statement: list[Statement] = Field(alias="Statement", min_length=1)

    def to_dict(self) -> dict:
        return self.model_dump(by_alias=True, exclude_none=True)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True)


def sink_policy(
    workload_account_ids: Sequence[str], organization_id: str | None, monitoring_account_id: str
) -> PolicyDocument:
    """Who may link to the sink: the workload accounts (or the organisation), sharing metrics and logs only.

    `ForAllValues:StringEquals` alone is satisfied by an empty key, so `Null: false` additionally requires
    the link request to declare its resource types.
    """
    condition: ConditionBlock = {
        "ForAllValues:StringEquals": {"oam:ResourceTypes": list(naming.SHARED_RESOURCE_TYPES)},
        "Null": {"oam:ResourceTypes": "false"},
    }
    principal: dict[str, str | list[str]] | Literal["*"]
    if organization_id:
        # Onboarding an account of the organisation then needs no change in the monitoring stack.
        principal = "*"
        condition["StringEquals"] = {"aws:PrincipalOrgID": organization_id}
    else:
        accounts = sorted({a for a in workload_account_ids if a != monitoring_account_id})
        if not accounts:
            raise ValueError("the OAM sink policy needs at least one workload account or an organization_id")
        principal = {"AWS": accounts}
    return PolicyDocument(
        statement=[
            Statement(
                sid="WorkloadAccountsLinkMetricsAndLogs",
                effect="Allow",
                principal=principal,
                action=["oam:CreateLink", "oam:UpdateLink"],
                resource="*",
                condition=condition,
            )
        ]
    )


def alert_key_policy(monitoring_account_id: str) -> PolicyDocument:
    return PolicyDocument(
        statement=[
            # The AWS default: key management is delegated to the account's IAM policies.
            Statement(
                sid="AccountAdministersKeyThroughIam",
                effect="Allow",
                principal={"AWS": account_root(monitoring_account_id)},
                action="kms:*",
                resource="*",
            ),
            # Without this, alarms deploy but never deliver to the encrypted topic.
            Statement(
                sid="CloudWatchAlarmsPublishToEncryptedTopic",
                effect="Allow",
                principal={"Service": "cloudwatch.amazonaws.com"},
                action=["kms:Decrypt", "kms:GenerateDataKey*"],
                resource="*",
                condition={"StringEquals": {"aws:SourceAccount": monitoring_account_id}},
            ),
        ]
    )


def alert_topic_policy(region: str, monitoring_account_id: str) -> PolicyDocument:
    return PolicyDocument(
        statement=[
            Statement(
                sid="OnlyThisAccountsAlarmsPublish",
                effect="Allow",
                principal={"Service": "cloudwatch.amazonaws.com"},
                action="sns:Publish",
                resource=naming.topic_arn(region, monitoring_account_id),
                condition={
                    "StringEquals": {"aws:SourceAccount": monitoring_account_id},
                    "ArnLike": {"aws:SourceArn": naming.any_alarm_arn(region, monitoring_account_id)},
                },
            )
        ]
    )


def grafana_trust_policy(region: str, monitoring_account_id: str) -> PolicyDocument:
    return PolicyDocument(
        statement=[
            Statement(
                sid="ManagedGrafanaOfThisAccount",
                effect="Allow",
                principal={"Service": "grafana.amazonaws.com"},
                action="sts:AssumeRole",
                resource="*",
                condition={
                    "StringEquals": {"aws:SourceAccount": monitoring_account_id},
                    "ArnLike": {
                        "aws:SourceArn": f"arn:{PARTITION}:grafana:{region}:{monitoring_account_id}:/workspaces/*"
                    },
                },
            )
        ]
    )


def grafana_read_policy() -> PolicyDocument:
    """Read-only CloudWatch access for the workspace's CloudWatch data source (metrics, alarms, logs)."""
    return PolicyDocument(
        statement=[
            Statement(
                sid="ReadMetricsAndAlarms",
                effect="Allow",
                action=[
                    "cloudwatch:DescribeAlarms",
                    "cloudwatch:DescribeAlarmsForMetric",
                    "cloudwatch:GetMetricData",
                    "cloudwatch:GetMetricStatistics",
                    "cloudwatch:ListMetrics",
                    "logs:DescribeLogGroups",
                    "logs:GetLogGroupFields",
                    "logs:GetQueryResults",
                    "logs:StartQuery",
                    "logs:StopQuery",
                    "oam:ListAttachedLinks",
                    "oam:ListSinks",
                ],
                resource="*",
            )
        ]
    )
