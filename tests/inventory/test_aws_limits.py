"""Each limit in vocabulary.limits that botocore's API models state is the one botocore states."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import botocore.session
import pytest

from vocabulary import limits


@cache
def _session() -> botocore.session.Session:
    return botocore.session.get_session()


def _member(service: str, operation: str, *path: str) -> dict[str, Any]:
    shape = _session().get_service_model(service).operation_model(operation).input_shape
    for part in path:
        shape = shape.members[part]
    return shape.metadata


def _shape(service: str, name: str) -> dict[str, Any]:
    return _session().get_service_model(service).shape_for(name).metadata


@pytest.mark.parametrize(
    ("constant", "metadata", "key"),
    [
        ("MAX_ALARM_NAME", _member("cloudwatch", "PutMetricAlarm", "AlarmName"), "max"),
        ("MAX_ALARM_NAME", _member("cloudwatch", "PutCompositeAlarm", "AlarmName"), "max"),
        ("MAX_ALARM_DESCRIPTION", _member("cloudwatch", "PutMetricAlarm", "AlarmDescription"), "max"),
        ("MAX_DIMENSION_VALUE", _shape("cloudwatch", "DimensionValue"), "max"),
        ("MAX_METRIC_NAMESPACE", _member("cloudwatch", "PutMetricData", "Namespace"), "max"),
        ("MAX_ROLE_NAME", _member("iam", "CreateRole", "RoleName"), "max"),
        ("MAX_LOG_GROUP_NAME", _member("logs", "CreateLogGroup", "logGroupName"), "max"),
        ("MAX_QUERY_DEFINITION_NAME", _member("logs", "PutQueryDefinition", "name"), "max"),
        ("MAX_METRIC_FILTER_NAME", _member("logs", "PutMetricFilter", "filterName"), "max"),
        ("MAX_BUDGET_NAME", _member("budgets", "CreateBudget", "Budget", "BudgetName"), "max"),
        ("MAX_KMS_ALIAS", _member("kms", "CreateAlias", "AliasName"), "max"),
        ("MAX_LINK_LABEL_TEMPLATE", _member("oam", "CreateLink", "LabelTemplate"), "max"),
    ],
)
def test_limit_matches_botocore(constant: str, metadata: dict[str, Any], key: str) -> None:
    assert getattr(limits, constant) == metadata[key]


@pytest.mark.parametrize(
    ("constant", "pattern"),
    [
        ("MAX_SINK_NAME", _member("oam", "CreateSink", "Name")["pattern"]),
        ("MAX_GRAFANA_WORKSPACE_NAME", _member("grafana", "CreateWorkspace", "workspaceName")["pattern"]),
    ],
)
def test_limit_matches_botocore_pattern(constant: str, pattern: str) -> None:
    [bound] = re.findall(r"\{1,([0-9]+)\}", pattern)
    assert getattr(limits, constant) == int(bound)


def test_budget_limits_match_the_budgets_model() -> None:
    # The amount travels as a decimal string; the inventory's range must render inside that pattern.
    amount = _member("budgets", "CreateBudget", "Budget", "BudgetLimit", "Amount")
    for value in (limits.MIN_BUDGET_LIMIT_USD, limits.MAX_BUDGET_LIMIT_USD):
        assert re.fullmatch(amount["pattern"], f"{value:.2f}")
    assert _shape("budgets", "NotificationThreshold")["max"] >= limits.MAX_BUDGET_THRESHOLD_PCT


@pytest.mark.parametrize(
    ("service", "shape"),
    [("s3", "Days"), ("s3", "DaysAfterInitiation"), ("s3", "NoncurrentVersionExpiration"), ("cloudwatch", "Period")],
)
def test_days_and_counts_are_api_integers(service: str, shape: str) -> None:
    # What the inventory bounds by AWS_MAX_INTEGER (and refuses as 1.5 or true) is an `integer` in the API.
    model = _session().get_service_model(service).shape_for(shape)
    if model.type_name == "structure":
        model = model.members["NoncurrentDays"]
    assert model.type_name == "integer"
