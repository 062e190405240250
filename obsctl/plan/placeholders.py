"""Deterministic, realistic values for what AWS would assign (ids, ARNs, autonames).

Same stack in, same plan out: every value is derived from what AWS knows the resource by — type, account,
region and physical name where the program chooses one (a sink, a bucket, a topic) — else from the
resource's identity in the stack's state: the URN name it was first registered under (its first alias, or
its own name). A resource renamed with an alias so keeps the id it has in a real stack, and ARNs that
policies reference look like the real thing.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from vocabulary import arns

_NAMESPACE = uuid.UUID("6f1c54b2-6a63-4b8e-9d0e-3c1b7c1f0a55")
# Inputs that carry the physical name of a resource, by precedence.
_NAME_INPUTS = ("name", "bucket", "alarmName", "dashboardName", "budgetName")


@dataclass(frozen=True)
class Placement:
    account_id: str
    region: str  # "" for global services (IAM)


def stable_uuid(*parts: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, "|".join(parts)))


def autoname(logical_name: str) -> str:
    """Pulumi's autonaming appends 7 random hex characters; here they come from the name itself."""
    return f"{logical_name}-{hashlib.sha256(logical_name.encode()).hexdigest()[:7]}"


def _chosen_name(inputs: dict[str, Any]) -> str | None:
    for key in _NAME_INPUTS:
        value = inputs.get(key)
        if isinstance(value, str) and value:
            return value
    return None


def sink_arn(account_id: str, region: str, name: str) -> str:
    """The placeholder ARN of the OAM sink `name` (its physical name) of an account and region."""
    sink_id = stable_uuid("aws:oam/sink:Sink", account_id, region, name)
    return arns.sink_arn(region, account_id, sink_id)


@dataclass(frozen=True)
class _Resource:
    type: str
    name: str  # physical name, or an autoname of the identity
    uid: str  # what AWS would generate (key ids, query definition ids, ...)
    account: str
    region: str
    inputs: dict[str, Any]

    def arn(self, service: str, resource: str, *, regional: bool = True) -> str:
        return arns.arn(service, self.region if regional else "", self.account, resource)


def _hex(value: str, length: int) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:length]


def _key(r: _Resource) -> dict[str, Any]:
    return {"id": r.uid, "keyId": r.uid, "arn": r.arn("kms", f"key/{r.uid}")}


def _bucket(r: _Resource) -> dict[str, Any]:
    return {
        "id": r.name,
        "bucket": r.name,
        "arn": arns.bucket_arn(r.name),
        "bucketDomainName": f"{r.name}.s3.amazonaws.com",
        "region": r.region,
    }


def _role(r: _Resource) -> dict[str, Any]:
    return {
        "id": r.name,
        "name": r.name,
        "arn": r.arn("iam", f"role/{r.name}", regional=False),
        "uniqueId": "AROA" + _hex(r.uid, 17).upper(),
    }


def _topic(r: _Resource) -> dict[str, Any]:
    arn = r.arn("sns", r.name)
    return {"id": arn, "name": r.name, "arn": arn}


def _subscription(r: _Resource) -> dict[str, Any]:
    arn = f"{r.inputs.get('topic', r.arn('sns', 'topic'))}:{r.uid}"
    return {"id": arn, "arn": arn}


def _sink(r: _Resource) -> dict[str, Any]:
    arn = sink_arn(r.account, r.region, r.name)
    return {"id": arn, "arn": arn, "sinkId": arn.rsplit("/", 1)[-1]}


def _link(r: _Resource) -> dict[str, Any]:
    arn = r.arn("oam", f"link/{r.uid}")
    return {"id": arn, "arn": arn, "linkId": r.uid, "label": r.account}


def _workspace(r: _Resource) -> dict[str, Any]:
    workspace_id = "g-" + _hex(r.uid, 10)
    return {
        "id": workspace_id,
        "arn": r.arn("grafana", f"/workspaces/{workspace_id}"),
        "endpoint": f"{workspace_id}.grafana-workspace.{r.region}.amazonaws.com",
    }


def _alarm(r: _Resource) -> dict[str, Any]:
    return {"id": r.name, "arn": r.arn("cloudwatch", f"alarm:{r.name}")}


def _generic(r: _Resource) -> dict[str, Any]:
    service = r.type.split(":")[1].split("/")[0] if r.type.count(":") >= 2 else "unknown"
    return {"id": r.name, "arn": r.arn(service, r.name)}


_STATES: dict[str, Callable[[_Resource], dict[str, Any]]] = {
    "aws:kms/key:Key": _key,
    "aws:kms/alias:Alias": lambda r: {"id": r.name, "arn": r.arn("kms", r.name)},
    "aws:s3/bucket:Bucket": _bucket,
    "aws:cloudwatch/logGroup:LogGroup": lambda r: {
        "id": r.name,
        "name": r.name,
        "arn": r.arn("logs", f"log-group:{r.name}"),
    },
    "aws:iam/role:Role": _role,
    "aws:iam/rolePolicy:RolePolicy": lambda r: {"id": f"{r.inputs.get('role', '')}:{r.name}", "name": r.name},
    "aws:cloudtrail/trail:Trail": lambda r: {
        "id": r.name,
        "name": r.name,
        "arn": r.arn("cloudtrail", f"trail/{r.name}"),
        "homeRegion": r.region,
    },
    "aws:sns/topic:Topic": _topic,
    "aws:sns/topicSubscription:TopicSubscription": _subscription,
    "aws:cloudwatch/metricAlarm:MetricAlarm": _alarm,
    "aws:cloudwatch/compositeAlarm:CompositeAlarm": _alarm,
    "aws:cloudwatch/dashboard:Dashboard": lambda r: {
        "id": r.name,
        "dashboardArn": r.arn("cloudwatch", f"dashboard/{r.name}", regional=False),
    },
    "aws:cloudwatch/queryDefinition:QueryDefinition": lambda r: {"id": r.uid, "queryDefinitionId": r.uid},
    "aws:budgets/budget:Budget": lambda r: {
        "id": f"{r.account}:{r.name}",
        "arn": r.arn("budgets", f"budget/{r.name}", regional=False),
    },
    "aws:oam/sink:Sink": _sink,
    "aws:oam/link:Link": _link,
    "aws:grafana/workspace:Workspace": _workspace,
}


def resource_state(type_: str, identity: str, inputs: dict[str, Any], where: Placement) -> tuple[str, dict]:
    """(id, output state) for a resource: what AWS would compute, and the inputs as given (AWS keeps them).

    `identity`: the URN name the resource was first registered under (see the module docstring)."""
    chosen = _chosen_name(inputs)
    resource = _Resource(
        type=type_,
        name=chosen or autoname(identity),
        uid=stable_uuid(type_, where.account_id, where.region, chosen or identity),
        account=where.account_id,
        region=where.region,
        inputs=inputs,
    )
    extra = _STATES.get(type_, _generic)(resource)
    return extra["id"], {**extra, **inputs}
