"""Deterministic, realistic values for what AWS would assign (ids, ARNs, autonames).

Same stack in, same plan out: every value is derived from the resource's type, account, region and name,
so plans can be diffed between commits and ARNs that policies reference look like the real thing.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

_NAMESPACE = uuid.UUID("6f1c54b2-6a63-4b8e-9d0e-3c1b7c1f0a55")


@dataclass(frozen=True)
class Placement:
    account_id: str
    region: str  # "" for global services (IAM)


def stable_uuid(*parts: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, "|".join(parts)))


def autoname(logical_name: str) -> str:
    """Pulumi's autonaming appends 7 random hex characters; here they come from the name itself."""
    return f"{logical_name}-{hashlib.sha256(logical_name.encode()).hexdigest()[:7]}"


def _physical_name(logical_name: str, inputs: dict[str, Any]) -> str:
    for key in ("name", "bucket", "alarmName", "dashboardName", "budgetName"):
        value = inputs.get(key)
        if isinstance(value, str) and value:
            return value
    return autoname(logical_name)


def sink_arn(account_id: str, region: str, logical_name: str) -> str:
    sink_id = stable_uuid("aws:oam/sink:Sink", account_id, region, logical_name)
    return f"arn:aws:oam:{region}:{account_id}:sink/{sink_id}"


def resource_state(type_: str, logical_name: str, inputs: dict[str, Any], where: Placement) -> tuple[str, dict]:
    """(id, output state) for a resource; the state echoes the inputs plus what AWS would compute."""
    name = _physical_name(logical_name, inputs)
    acct, region = where.account_id, where.region
    uid = stable_uuid(type_, acct, region, logical_name)
    extra: dict[str, Any]
    match type_:
        case "aws:kms/key:Key":
            extra = {"id": uid, "keyId": uid, "arn": f"arn:aws:kms:{region}:{acct}:key/{uid}"}
        case "aws:kms/alias:Alias":
            extra = {"id": name, "arn": f"arn:aws:kms:{region}:{acct}:{name}"}
        case "aws:s3/bucket:Bucket":
            extra = {
                "id": name,
                "bucket": name,
                "arn": f"arn:aws:s3:::{name}",
                "bucketDomainName": f"{name}.s3.amazonaws.com",
                "region": region,
            }
        case "aws:cloudwatch/logGroup:LogGroup":
            extra = {"id": name, "name": name, "arn": f"arn:aws:logs:{region}:{acct}:log-group:{name}"}
        case "aws:iam/role:Role":
            extra = {
                "id": name,
                "name": name,
                "arn": f"arn:aws:iam::{acct}:role/{name}",
                "uniqueId": "AROA" + hashlib.sha256(uid.encode()).hexdigest()[:17].upper(),
            }
        case "aws:iam/rolePolicy:RolePolicy":
            extra = {"id": f"{inputs.get('role', '')}:{name}", "name": name}
        case "aws:cloudtrail/trail:Trail":
            extra = {
                "id": name,
                "name": name,
                "arn": f"arn:aws:cloudtrail:{region}:{acct}:trail/{name}",
                "homeRegion": region,
            }
        case "aws:sns/topic:Topic":
            arn = f"arn:aws:sns:{region}:{acct}:{name}"
            extra = {"id": arn, "name": name, "arn": arn}
        case "aws:sns/topicSubscription:TopicSubscription":
            arn = f"{inputs.get('topic', f'arn:aws:sns:{region}:{acct}:topic')}:{uid}"
            extra = {"id": arn, "arn": arn}
        case "aws:cloudwatch/metricAlarm:MetricAlarm" | "aws:cloudwatch/compositeAlarm:CompositeAlarm":
            extra = {"id": name, "arn": f"arn:aws:cloudwatch:{region}:{acct}:alarm:{name}"}
        case "aws:cloudwatch/dashboard:Dashboard":
            extra = {"id": name, "dashboardArn": f"arn:aws:cloudwatch::{acct}:dashboard/{name}"}
        case "aws:cloudwatch/queryDefinition:QueryDefinition":
            extra = {"id": uid, "queryDefinitionId": uid}
        case "aws:budgets/budget:Budget":
            extra = {"id": f"{acct}:{name}", "arn": f"arn:aws:budgets::{acct}:budget/{name}"}
        case "aws:oam/sink:Sink":
            arn = sink_arn(acct, region, logical_name)
            extra = {"id": arn, "arn": arn, "sinkId": arn.rsplit("/", 1)[-1]}
        case "aws:oam/link:Link":
            arn = f"arn:aws:oam:{region}:{acct}:link/{uid}"
            extra = {"id": arn, "arn": arn, "linkId": uid, "label": acct}
        case "aws:grafana/workspace:Workspace":
            workspace_id = "g-" + hashlib.sha256(uid.encode()).hexdigest()[:10]
            extra = {
                "id": workspace_id,
                "arn": f"arn:aws:grafana:{region}:{acct}:/workspaces/{workspace_id}",
                "endpoint": f"{workspace_id}.grafana-workspace.{region}.amazonaws.com",
            }
        case _:
            service = type_.split(":")[1].split("/")[0] if type_.count(":") >= 2 else "unknown"
            extra = {"id": f"{name}", "arn": f"arn:aws:{service}:{region}:{acct}:{name}"}
    return extra["id"], {**inputs, **extra}
