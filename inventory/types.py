"""Value types of the inventory: strict, finite, and bounded by the AWS limit each value maps to.

Models inherit strictness from `StrictModel` (no bool-as-int, no "300" as a number, no `.inf`/`.nan`);
these aliases add the bounds, so a model field reads as what AWS receives.
"""

from __future__ import annotations

from typing import Annotated, TypeVar

from pydantic import AfterValidator, Field

from inventory.identifiers import check_visible_text
from vocabulary.limits import AWS_MAX_INTEGER, MAX_METRIC_VALUE

T = TypeVar("T")

# YAML has no tuples: a list is accepted where a tuple is declared; the items stay strict.
Items = Annotated[tuple[T, ...], Field(strict=False)]

# A whole number AWS receives as its `integer` type (counts, thresholds of counts, days).
PositiveInt = Annotated[int, Field(ge=1, le=AWS_MAX_INTEGER)]
Days = Annotated[int, Field(ge=1, le=AWS_MAX_INTEGER)]


def _within_metric_range(value: float) -> float:
    if value > MAX_METRIC_VALUE:
        raise ValueError(
            "is above 2^360, the largest metric value CloudWatch stores, so the alarm could never fire; "
            "fix: use a smaller value"
        )
    return value


# An alarm threshold compared with a CloudWatch metric value: finite, positive, within CloudWatch's range.
MetricThreshold = Annotated[float, Field(gt=0), AfterValidator(_within_metric_range)]
Percent = Annotated[float, Field(gt=0, le=100)]

# Free text that ends up in AWS (service names, namespaces, URLs): nothing a reader cannot see.
Text = Annotated[str, Field(min_length=1), AfterValidator(check_visible_text)]
