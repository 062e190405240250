"""Offline request validation against AWS's own API models shipped with botocore.

`botocore.validate.ParamValidator` checks required members, types and minimum lengths/values; it does not
enforce the models' `max` lengths or `enum` values, so `validate` adds those checks from the same model
metadata (e.g. AlarmDescription <= 1024 characters, ComparisonOperator in its enum, <= 5 alarm actions).
"""

from __future__ import annotations

from typing import Any

import botocore.session
from botocore.model import Shape
from botocore.validate import ParamValidator

_SESSION = botocore.session.get_session()


def _strict(shape: Shape, value: Any, path: str, errors: list[str]) -> None:
    meta = shape.metadata
    if shape.type_name == "structure" and isinstance(value, dict):
        for name, member_value in value.items():
            if name in shape.members:
                _strict(shape.members[name], member_value, f"{path}.{name}", errors)
    elif shape.type_name == "list" and isinstance(value, list):
        if "max" in meta and len(value) > meta["max"]:
            errors.append(f"{path}: {len(value)} items > max {meta['max']}")
        for index, item in enumerate(value):
            _strict(shape.member, item, f"{path}[{index}]", errors)
    elif shape.type_name == "map" and isinstance(value, dict):
        for key, item in value.items():
            _strict(shape.value, item, f"{path}[{key}]", errors)
    elif shape.type_name == "string" and isinstance(value, str):
        if "max" in meta and len(value) > meta["max"]:
            errors.append(f"{path}: length {len(value)} > max {meta['max']}")
        if shape.enum and value not in shape.enum:
            errors.append(f"{path}: {value!r} not one of {shape.enum}")
    elif shape.type_name in ("integer", "long") and isinstance(value, int) and "max" in meta and value > meta["max"]:
        errors.append(f"{path}: {value} > max {meta['max']}")


def validate(service: str, operation: str, params: dict[str, Any]) -> list[str]:
    """All problems botocore (plus max/enum checks from its model) finds in `params`; empty when valid."""
    shape = _SESSION.get_service_model(service).operation_model(operation).input_shape
    report = ParamValidator().validate(params, shape)
    errors = [report.generate_report()] if report.has_errors() else []
    _strict(shape, params, operation, errors)
    return errors
