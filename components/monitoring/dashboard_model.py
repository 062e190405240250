"""Typed model of a CloudWatch dashboard body, rendered to JSON with `json.dumps` (never string templates).

Structure follows "Dashboard Body Structure and Syntax" (CloudWatch API reference). Limits are checked by
`Dashboard.check_limits()` against the named quota constants below.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

# Quotas every dashboard and alarm builder checks against: `vocabulary.limits`.
from vocabulary.limits import (
    DASHBOARD_BODY_BUDGET_BYTES,
    GRID_WIDTH,
    MAX_ALARMS_PER_ALARM_WIDGET,
    MAX_DASHBOARD_NAME,
    MAX_EXPRESSION_CHARS,
    MAX_INSIGHTS_SERIES_RETURNED,
    MAX_METRICS_PER_DASHBOARD,
    MAX_METRICS_PER_WIDGET,
    MAX_SEARCH_RESULTS,
    MAX_WIDGET_HEIGHT,
    MAX_WIDGETS_PER_DASHBOARD,
)


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MetricRef(_Frozen):
    """One metric in a widget's `metrics` array: [namespace, name, dim, value, ..., {rendering options}]."""

    namespace: str
    metric_name: str
    dimensions: tuple[tuple[str, str], ...] = ()
    stat: str | None = None
    label: str | None = None
    id: str | None = Field(default=None, pattern=r"^[a-z][A-Za-z0-9_]*$")
    visible: bool | None = None
    y_axis: Literal["left", "right"] | None = None
    period: int | None = None

    def render(self) -> list[Any]:
        entry: list[Any] = [self.namespace, self.metric_name]
        for name, value in self.dimensions:
            entry += [name, value]
        options = _options(
            stat=self.stat, label=self.label, id=self.id, visible=self.visible, yAxis=self.y_axis, period=self.period
        )
        if options:
            entry.append(options)
        return entry

    @property
    def metric_count(self) -> int:
        return 1


class Expression(_Frozen):
    """A metric-math, SEARCH or Metrics Insights expression entry: [{"expression": ..., "label": ..., "id": ...}].

    `max_series` is the worst-case number of series the expression returns, which CloudWatch counts
    against the per-widget and per-dashboard metric quotas (not rendered). Builders of SEARCH and Metrics
    Insights expressions state it (one series per linked account, `LIMIT 10`, 1 for an aggregate without
    GROUP BY; at most MAX_SEARCH_RESULTS / MAX_INSIGHTS_SERIES_RETURNED). Unset, the entry counts as one:
    right for plain metric math, whose inputs are counted on their own entries.
    """

    expression: str = Field(min_length=1, max_length=2048)
    label: str | None = None
    id: str | None = Field(default=None, pattern=r"^[a-z][A-Za-z0-9_]*$")
    visible: bool | None = None
    y_axis: Literal["left", "right"] | None = None
    period: int | None = None
    max_series: int | None = Field(default=None, ge=1, le=max(MAX_SEARCH_RESULTS, MAX_INSIGHTS_SERIES_RETURNED))

    def render(self) -> list[Any]:
        return [
            _options(
                expression=self.expression,
                label=self.label,
                id=self.id,
                visible=self.visible,
                yAxis=self.y_axis,
                period=self.period,
            )
        ]

    @property
    def metric_count(self) -> int:
        return 1 if self.max_series is None else self.max_series


class HorizontalAnnotation(_Frozen):
    label: str
    value: float
    color: str | None = None

    def render(self) -> dict[str, Any]:
        return _options(label=self.label, value=self.value, color=self.color)


class MetricWidget(_Frozen):
    title: str
    region: str
    metrics: tuple[MetricRef | Expression, ...] = Field(min_length=1)
    view: Literal["timeSeries", "singleValue", "bar", "pie", "table", "gauge"] = "timeSeries"
    stacked: bool = False
    period: int = Field(default=300, ge=60)
    stat: str = "Sum"
    y_axis_label: str | None = None
    y_axis_min: float | None = None
    right_y_axis_label: str | None = None  # for entries with y_axis="right"
    annotations: tuple[HorizontalAnnotation, ...] = ()
    set_period_to_time_range: bool | None = None

    @model_validator(mode="after")
    def _ids_unique(self) -> MetricWidget:
        ids = [m.id for m in self.metrics if m.id]
        if len(ids) != len(set(ids)):
            raise ValueError(f"widget {self.title!r}: metric ids must be unique, got {ids}")
        return self

    @property
    def type(self) -> str:
        return "metric"

    @property
    def metric_count(self) -> int:
        return sum(m.metric_count for m in self.metrics)

    def render(self) -> dict[str, Any]:
        y_axis: dict[str, Any] = {}
        if self.y_axis_label is not None or self.y_axis_min is not None:
            y_axis = {"left": _options(label=self.y_axis_label, min=self.y_axis_min, showUnits=False)}
        if self.right_y_axis_label is not None:
            y_axis["right"] = {"label": self.right_y_axis_label, "showUnits": False}
        return _options(
            title=self.title,
            region=self.region,
            view=self.view,
            stacked=self.stacked,
            period=self.period,
            stat=self.stat,
            metrics=[m.render() for m in self.metrics],
            yAxis=y_axis or None,
            annotations={"horizontal": [a.render() for a in self.annotations]} if self.annotations else None,
            setPeriodToTimeRange=self.set_period_to_time_range,
        )


class LogWidget(_Frozen):
    """Logs Insights query widget; `log_group_names` become the query's SOURCE clause."""

    title: str
    region: str
    log_group_names: tuple[Annotated[str, Field(pattern=r"^[A-Za-z0-9_\-/.#]{1,512}$")], ...] = Field(min_length=1)
    query: str = Field(min_length=1)
    view: Literal["table", "timeSeries", "bar", "pie"] = "table"
    stacked: bool = False

    @property
    def type(self) -> str:
        return "log"

    @property
    def metric_count(self) -> int:
        return 0

    def render(self) -> dict[str, Any]:
        # Log group names cannot contain quotes (allowed: A-Z a-z 0-9 _ - / . #), so single quotes are safe.
        source = " | ".join(f"SOURCE '{name}'" for name in self.log_group_names)
        return _options(
            title=self.title,
            region=self.region,
            query=f"{source} | {self.query}",
            view=self.view,
            stacked=self.stacked if self.view != "table" else None,
        )


class TextWidget(_Frozen):
    markdown: str = Field(min_length=1)

    @property
    def type(self) -> str:
        return "text"

    @property
    def metric_count(self) -> int:
        return 0

    def render(self) -> dict[str, Any]:
        return {"markdown": self.markdown}


class AlarmStatusWidget(_Frozen):
    title: str
    alarm_arns: tuple[str, ...] = Field(min_length=1, max_length=MAX_ALARMS_PER_ALARM_WIDGET)

    @property
    def type(self) -> str:
        return "alarm"

    @property
    def metric_count(self) -> int:
        return 0

    def render(self) -> dict[str, Any]:
        return {"title": self.title, "alarms": list(self.alarm_arns), "sortBy": "stateUpdatedTimestamp"}


WidgetBody = MetricWidget | LogWidget | TextWidget | AlarmStatusWidget


class PlacedWidget(_Frozen):
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


class Dashboard(_Frozen):
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

        Metrics are counted worst case: every expression at its `max_series`."""
        problems: list[str] = []
        if len(self.widgets) > MAX_WIDGETS_PER_DASHBOARD:
            problems.append(f"{len(self.widgets)} widgets > {MAX_WIDGETS_PER_DASHBOARD}")
        for widget in self.widgets:
            if widget.body.metric_count > MAX_METRICS_PER_WIDGET:
                problems.append(
                    f"widget {getattr(widget.body, 'title', '?')!r} has {widget.body.metric_count} metrics "
                    f"> {MAX_METRICS_PER_WIDGET}"
                )
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


def _options(**values: Any) -> dict[str, Any]:
    """Drop unset options so the JSON only carries what the widget needs."""
    return {key: value for key, value in values.items() if value is not None}


def chunks(items: Sequence[str], size: int) -> list[tuple[str, ...]]:
    return [tuple(items[i : i + size]) for i in range(0, len(items), size)]


def math_number(value: float) -> str:
    """Plain decimal for metric-math expressions (metric math does not read scientific notation such as
    1e-05); shared by every dashboard that multiplies tokens by a price."""
    text = f"{value:.10f}".rstrip("0").rstrip(".")
    return text or "0"
