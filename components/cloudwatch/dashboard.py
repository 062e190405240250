"""A CloudWatch dashboard body: placed widgets, a row-based layout, and the quota check.

Rendered to JSON with `json.dumps` (never string templates). `Dashboard.check_limits()` compares the body
with the quotas in `vocabulary.limits`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import Field, model_validator

from components.cloudwatch.widgets import Expression, MetricWidget, WidgetBody
from inventory.base import FrozenModel
from vocabulary.limits import (
    DASHBOARD_BODY_BUDGET_BYTES,
    GRID_WIDTH,
    MAX_DASHBOARD_NAME,
    MAX_EXPRESSION_CHARS,
    MAX_INSIGHTS_QUERIES_PER_WIDGET,
    MAX_METRICS_PER_DASHBOARD,
    MAX_METRICS_PER_WIDGET,
    MAX_WIDGET_HEIGHT,
    MAX_WIDGETS_PER_DASHBOARD,
)


class PlacedWidget(FrozenModel):
    body: WidgetBody
    x: int = Field(ge=0, lt=GRID_WIDTH)
    y: int = Field(ge=0)
    width: int = Field(ge=1, le=GRID_WIDTH)
    height: int = Field(ge=1, le=MAX_WIDGET_HEIGHT)

    @model_validator(mode="after")
    def _inside_grid(self) -> PlacedWidget:
        if self.x + self.width > GRID_WIDTH:
            raise ValueError(f"widget at x={self.x} with width={self.width} overflows the {GRID_WIDTH}-unit grid")
        return self

    def render(self) -> dict[str, Any]:
        return {
            "type": self.body.type,
            "x": self.x,
            "y": self.y,
            "width": self.width,
            "height": self.height,
            "properties": self.body.render(),
        }


class Layout:
    """Row-based placement: each `row()` call puts its widgets left to right below the previous row."""

    def __init__(self) -> None:
        self._placed: list[PlacedWidget] = []
        self._y = 0

    def row(self, height: int, *widgets: tuple[WidgetBody, int]) -> None:
        x = 0
        for body, width in widgets:
            if x + width > GRID_WIDTH:  # wrap: keeps callers simple when a row has many widgets
                x, self._y = 0, self._y + height
            self._placed.append(PlacedWidget(body=body, x=x, y=self._y, width=width, height=height))
            x += width
        self._y += height

    def full(self, height: int, body: WidgetBody) -> None:
        self.row(height, (body, GRID_WIDTH))

    @property
    def widgets(self) -> tuple[PlacedWidget, ...]:
        return tuple(self._placed)


class Dashboard(FrozenModel):
    name: str = Field(min_length=1, max_length=MAX_DASHBOARD_NAME, pattern=r"^[A-Za-z0-9_-]+$")
    widgets: tuple[PlacedWidget, ...]
    start: str = "-PT6H"
    period_override: Literal["auto", "inherit"] = "inherit"

    def render(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "periodOverride": self.period_override,
            "widgets": [w.render() for w in self.widgets],
        }

    def to_json(self) -> str:
        # Compact separators: the body size counts against the dashboard budget.
        return json.dumps(self.render(), separators=(",", ":"), sort_keys=False)

    @property
    def body_json(self) -> str:
        """The DashboardBody sent to PutDashboard."""
        return self.to_json()

    @property
    def metric_count(self) -> int:
        return sum(w.body.metric_count for w in self.widgets)

    def expressions(self) -> list[str]:
        return [
            m.expression
            for w in self.widgets
            if isinstance(w.body, MetricWidget)
            for m in w.body.metrics
            if isinstance(m, Expression)
        ]

    def check_limits(
        self, fix: str = "Monitor fewer models per region or split the models across accounts/regions."
    ) -> None:
        """Raise ValueError naming each exceeded limit and `fix` when the dashboard would exceed a quota.

        Metrics are counted worst case: every expression at its `max_series`. A widget with more than one Metrics
        Insights query is refused whatever `fix` says (its own fix is in the message)."""
        problems: list[str] = []
        if len(self.widgets) > MAX_WIDGETS_PER_DASHBOARD:
            problems.append(f"{len(self.widgets)} widgets > {MAX_WIDGETS_PER_DASHBOARD}")
        for widget in self.widgets:
            if widget.body.metric_count > MAX_METRICS_PER_WIDGET:
                problems.append(
                    f"widget {_title(widget.body)!r} has {widget.body.metric_count} metrics > {MAX_METRICS_PER_WIDGET}"
                )
        problems += _insights_problems(self.widgets)
        if self.metric_count > MAX_METRICS_PER_DASHBOARD:
            problems.append(f"{self.metric_count} metrics > {MAX_METRICS_PER_DASHBOARD} per dashboard")
        for expression in self.expressions():
            if len(expression) > MAX_EXPRESSION_CHARS:
                problems.append(
                    f"expression {expression[:60]!r}... has {len(expression)} characters > {MAX_EXPRESSION_CHARS}"
                )
        size = len(self.to_json().encode())
        if size > DASHBOARD_BODY_BUDGET_BYTES:
            problems.append(f"body is {size} bytes > {DASHBOARD_BODY_BUDGET_BYTES}")
        if problems:
            raise ValueError(f"dashboard {self.name!r} exceeds CloudWatch limits: {'; '.join(problems)}. {fix}")


def _title(body: WidgetBody) -> str:
    return getattr(body, "title", "?")


def _insights_problems(widgets: Sequence[PlacedWidget]) -> list[str]:
    """Widgets holding more than one Metrics Insights query: one problem naming them all, with its own fix."""
    over = [
        f"{_title(w.body)!r} ({w.body.insights_queries})"
        for w in widgets
        if isinstance(w.body, MetricWidget) and w.body.insights_queries > MAX_INSIGHTS_QUERIES_PER_WIDGET
    ]
    if not over:
        return []
    return [
        f"widget {', '.join(over)} holds more than {MAX_INSIGHTS_QUERIES_PER_WIDGET} Metrics Insights query "
        "(GetMetricData runs one per request: the widget would show 'Maximum number of queries (1) exceeded'); "
        "give each SELECT its own widget, or read the other lines with SEARCH or plain metrics"
    ]


def chunks(items: Sequence[str], size: int) -> list[tuple[str, ...]]:
    return [tuple(items[i : i + size]) for i in range(0, len(items), size)]
