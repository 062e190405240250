"""Dashboard widgets: typed models of the `properties` of each widget kind, rendered to plain dicts.

Structure follows "Dashboard Body Structure and Syntax" (CloudWatch API reference).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from inventory.base import FrozenModel
from vocabulary.limits import MAX_ALARMS_PER_ALARM_WIDGET, MAX_INSIGHTS_SERIES_RETURNED, MAX_SEARCH_RESULTS


class MetricRef(FrozenModel):
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
    # The source account of the metric, read from a monitoring account (CloudWatch cross-account observability).
    account_id: str | None = Field(default=None, pattern=r"^\d{12}$")

    def render(self) -> list[Any]:
        entry: list[Any] = [self.namespace, self.metric_name]
        for name, value in self.dimensions:
            entry += [name, value]
        options = _options(
            stat=self.stat,
            label=self.label,
            id=self.id,
            visible=self.visible,
            yAxis=self.y_axis,
            period=self.period,
            accountId=self.account_id,
        )
        if options:
            entry.append(options)
        return entry

    @property
    def metric_count(self) -> int:
        return 1


class Expression(FrozenModel):
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

    @property
    def is_insights_query(self) -> bool:
        """A Metrics Insights query (SQL, `SELECT ...`; keywords are case-insensitive), as opposed to metric math
        or SEARCH: GetMetricData runs one per request, so a widget may hold one."""
        return self.expression.lstrip()[:6].upper() == "SELECT"


class HorizontalAnnotation(FrozenModel):
    label: str
    value: float
    color: str | None = None

    def render(self) -> dict[str, Any]:
        return _options(label=self.label, value=self.value, color=self.color)


class MetricWidget(FrozenModel):
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
    # The widget's own time range (relative, e.g. -P14D) instead of the dashboard's.
    start: str | None = Field(default=None, pattern=r"^-P(T[0-9]{1,6}[HM]|[0-9]{1,6}[DW])$")

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

    @property
    def insights_queries(self) -> int:
        return sum(isinstance(m, Expression) and m.is_insights_query for m in self.metrics)

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
            start=self.start,
        )


class LogWidget(FrozenModel):
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


class TextWidget(FrozenModel):
    markdown: str = Field(min_length=1)

    @property
    def type(self) -> str:
        return "text"

    @property
    def metric_count(self) -> int:
        return 0

    def render(self) -> dict[str, Any]:
        return {"markdown": self.markdown}


class AlarmStatusWidget(FrozenModel):
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


def _options(**values: Any) -> dict[str, Any]:
    """Drop unset options so the JSON only carries what the widget needs."""
    return {key: value for key, value in values.items() if value is not None}
