"""Offline request validation against AWS's own API models shipped with botocore.

`botocore.validate.ParamValidator` checks required members, types and minimum lengths/values; it does not
enforce the models' `max` lengths or `enum` values, so `validate` adds those checks from the same model
metadata (e.g. AlarmDescription <= 1024 characters, ComparisonOperator in its enum, <= 5 alarm actions).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import botocore.session
from botocore.model import Shape
from botocore.validate import ParamValidator

_SESSION = botocore.session.get_session()


def _max_problem(meta: dict[str, Any], size: int, what: str) -> list[str]:
    return [f"{what} > max {meta['max']}"] if "max" in meta and size > meta["max"] else []


def _structure(shape: Shape, value: Any, path: str) -> list[str]:
    return [
        problem
        for name, member in value.items()
        if name in shape.members
        for problem in _strict(shape.members[name], member, f"{path}.{name}")
    ]


def _list(shape: Shape, value: Any, path: str) -> list[str]:
    problems = _max_problem(shape.metadata, len(value), f"{path}: {len(value)} items")
    for index, item in enumerate(value):
        problems += _strict(shape.member, item, f"{path}[{index}]")
    return problems


def _map(shape: Shape, value: Any, path: str) -> list[str]:
    return [problem for key, item in value.items() for problem in _strict(shape.value, item, f"{path}[{key}]")]


def _string(shape: Shape, value: Any, path: str) -> list[str]:
    problems = _max_problem(shape.metadata, len(value), f"{path}: length {len(value)}")
    if shape.enum and value not in shape.enum:
        problems.append(f"{path}: {value!r} not one of {shape.enum}")
    return problems


def _integer(shape: Shape, value: Any, path: str) -> list[str]:
    return _max_problem(shape.metadata, value, f"{path}: {value}")


# Shape type -> (Python type the value must have to be checked, checker). Other mismatches are
# ParamValidator's to report.
_CHECKS: dict[str, tuple[type | tuple[type, ...], Callable[[Shape, Any, str], list[str]]]] = {
    "structure": (dict, _structure),
    "list": (list, _list),
    "map": (dict, _map),
    "string": (str, _string),
    "integer": (int, _integer),
    "long": (int, _integer),
}


def _strict(shape: Shape, value: Any, path: str) -> list[str]:
    """The model's `max` and `enum` constraints, which ParamValidator does not check."""
    kind, check = _CHECKS.get(shape.type_name, (type(None), lambda *_: []))
    return check(shape, value, path) if isinstance(value, kind) else []


def validate(service: str, operation: str, params: dict[str, Any]) -> list[str]:
    """All problems botocore (plus max/enum checks from its model) finds in `params`; empty when valid."""
    shape = _SESSION.get_service_model(service).operation_model(operation).input_shape
    report = ParamValidator().validate(params, shape)
    errors = [report.generate_report()] if report.has_errors() else []
    return errors + _strict(shape, params, operation)


# --- what Pulumi sends -> the API request -----------------------------------------------------------------
# Plans record each resource's engine inputs (camelCase, as `pulumi preview --json` shows them). These
# converters map the inputs of the three resource types whose requests we validate to the request the AWS
# provider makes from them; an input they do not know fails loudly, so a new argument cannot escape validation.
# Kept with the tests: the program renders each alarm and budget once (`pulumi_args`), nothing else.

METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
COMPOSITE_ALARM = "aws:cloudwatch/compositeAlarm:CompositeAlarm"
BUDGET = "aws:budgets/budget:Budget"

_NOT_SENT = {"region"}  # provider routing, not a request member


def _tags(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in tags.items()]


def _dimensions(dimensions: dict[str, str]) -> list[dict[str, str]]:
    return [{"Name": k, "Value": v} for k, v in dimensions.items()]


def _convert(inputs: dict[str, Any], simple: dict[str, str], special: dict[str, Any], what: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in inputs.items():
        if key in _NOT_SENT:
            continue
        if key in simple:
            out[simple[key]] = value
        elif key in special:
            special[key](out, value)
        else:
            raise KeyError(f"{what}: no request mapping for input {key!r}; add it to tests/botocore_requests.py")
    return out


def _metric_stat(metric: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"Metric": {}}
    for key, value in metric.items():
        if key == "namespace":
            out["Metric"]["Namespace"] = value
        elif key == "metricName":
            out["Metric"]["MetricName"] = value
        elif key == "dimensions":
            out["Metric"]["Dimensions"] = _dimensions(value)
        elif key in ("period", "stat", "unit"):
            out[key.capitalize()] = value
        else:
            raise KeyError(f"metric query metric: no request mapping for input {key!r}")
    return out


def _metric_query(query: dict[str, Any]) -> dict[str, Any]:
    simple = {
        "id": "Id",
        "expression": "Expression",
        "label": "Label",
        "returnData": "ReturnData",
        "period": "Period",
        "accountId": "AccountId",
    }
    special = {"metric": lambda out, v: out.__setitem__("MetricStat", _metric_stat(v))}
    return _convert(query, simple, special, "metric query")


def put_metric_alarm_request(inputs: dict[str, Any]) -> dict[str, Any]:
    """`aws.cloudwatch.MetricAlarm` engine inputs -> PutMetricAlarm request parameters."""
    simple = {
        "name": "AlarmName",
        "alarmDescription": "AlarmDescription",
        "actionsEnabled": "ActionsEnabled",
        "alarmActions": "AlarmActions",
        "okActions": "OKActions",
        "insufficientDataActions": "InsufficientDataActions",
        "evaluationPeriods": "EvaluationPeriods",
        "datapointsToAlarm": "DatapointsToAlarm",
        "comparisonOperator": "ComparisonOperator",
        "treatMissingData": "TreatMissingData",
        "threshold": "Threshold",
        "thresholdMetricId": "ThresholdMetricId",
        "namespace": "Namespace",
        "metricName": "MetricName",
        "period": "Period",
        "statistic": "Statistic",
        "extendedStatistic": "ExtendedStatistic",
        "unit": "Unit",
        "evaluateLowSampleCountPercentiles": "EvaluateLowSampleCountPercentile",
    }
    special = {
        "tags": lambda out, v: out.__setitem__("Tags", _tags(v)),
        "dimensions": lambda out, v: out.__setitem__("Dimensions", _dimensions(v)),
        "metricQueries": lambda out, v: out.__setitem__("Metrics", [_metric_query(q) for q in v]),
    }
    return _convert(inputs, simple, special, "MetricAlarm")


def put_composite_alarm_request(inputs: dict[str, Any]) -> dict[str, Any]:
    """`aws.cloudwatch.CompositeAlarm` engine inputs -> PutCompositeAlarm request parameters."""
    simple = {
        "alarmName": "AlarmName",
        "alarmDescription": "AlarmDescription",
        "alarmRule": "AlarmRule",
        "actionsEnabled": "ActionsEnabled",
        "alarmActions": "AlarmActions",
        "okActions": "OKActions",
        "insufficientDataActions": "InsufficientDataActions",
    }
    return _convert(inputs, simple, {"tags": lambda out, v: out.__setitem__("Tags", _tags(v))}, "CompositeAlarm")


def _budget_notification(notification: dict[str, Any]) -> dict[str, Any]:
    subscribers = [
        {"SubscriptionType": kind, "Address": address}
        for kind, key in (("SNS", "subscriberSnsTopicArns"), ("EMAIL", "subscriberEmailAddresses"))
        for address in notification.get(key, [])
    ]
    simple = {
        "notificationType": "NotificationType",
        "comparisonOperator": "ComparisonOperator",
        "threshold": "Threshold",
        "thresholdType": "ThresholdType",
    }
    ignore = {"subscriberSnsTopicArns": lambda out, v: None, "subscriberEmailAddresses": lambda out, v: None}
    return {"Notification": _convert(notification, simple, ignore, "budget notification"), "Subscribers": subscribers}


def create_budget_request(inputs: dict[str, Any]) -> dict[str, Any]:
    """`aws.budgets.Budget` engine inputs -> CreateBudget request parameters."""
    budget: dict[str, Any] = {}
    request: dict[str, Any] = {"Budget": budget}
    simple_budget = {"name": "BudgetName", "budgetType": "BudgetType", "timeUnit": "TimeUnit"}

    def limit(field: str) -> Any:
        return lambda out, v: budget.setdefault("BudgetLimit", {}).__setitem__(field, v)

    special = {
        "accountId": lambda out, v: request.__setitem__("AccountId", v),
        "limitAmount": limit("Amount"),
        "limitUnit": limit("Unit"),
        "costFilters": lambda out, v: budget.__setitem__("CostFilters", {f["name"]: f["values"] for f in v}),
        "notifications": lambda out, v: request.__setitem__(
            "NotificationsWithSubscribers", [_budget_notification(n) for n in v]
        ),
    }
    budget.update(_convert(inputs, simple_budget, special, "Budget"))
    return request


REQUESTS = {
    METRIC_ALARM: ("cloudwatch", "PutMetricAlarm", put_metric_alarm_request),
    COMPOSITE_ALARM: ("cloudwatch", "PutCompositeAlarm", put_composite_alarm_request),
    BUDGET: ("budgets", "CreateBudget", create_budget_request),
}


def request_of(type_: str, inputs: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    """(service, operation, request parameters) for one resource's engine inputs."""
    service, operation, convert = REQUESTS[type_]
    return service, operation, convert(inputs)


def rendered_requests(resources: Sequence[tuple[type, str, dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """Register `(resource class, logical name, pulumi_args)` under Pulumi's mock runtime, exactly as the
    components do, and return each one's request parameters by logical name (for unit tests of specs)."""
    from obsctl.plan.document import _engine_numbers  # whole numbers as the plan documents show them
    from tests.harness import run

    recorded, _ = run(lambda: {name: cls(name, **kwargs).urn for cls, name, kwargs in resources})
    return {r.name: request_of(r.type, _engine_numbers(r.inputs))[2] for r in recorded.resources if r.type in REQUESTS}
