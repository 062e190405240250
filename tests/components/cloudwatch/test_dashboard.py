"""The dashboard model itself: worst-case series counts, expression lengths and rendering details."""

from __future__ import annotations

import pytest

from components.cloudwatch.dashboard import Dashboard, PlacedWidget
from components.cloudwatch.widgets import Expression, MetricWidget
from vocabulary.limits import GRID_WIDTH, MAX_EXPRESSION_CHARS

REGION = "eu-west-1"


def test_expressions_count_their_worst_case_series_against_the_metric_limits() -> None:
    search = Expression(expression="SEARCH('{AWS/Bedrock} MetricName=\"Invocations\"', 'Sum', 300)", max_series=300)
    math = Expression(expression="FILL(m1, 0)")
    assert search.metric_count == 300 and math.metric_count == 1
    widget = MetricWidget(title="w", region=REGION, metrics=(search, Expression(expression="m2", max_series=201)))
    assert widget.metric_count == 501
    dashboard = Dashboard(name="d", widgets=(PlacedWidget(body=widget, x=0, y=0, width=GRID_WIDTH, height=6),))
    with pytest.raises(ValueError, match=r"widget 'w' has 501 metrics > 500\. Split it\.$"):
        dashboard.check_limits(fix="Split it.")


def test_expressions_longer_than_the_getmetricdata_limit_are_refused() -> None:
    long = Expression(expression="+".join(["FILL(m1, 0)"] * 100))
    assert len(long.expression) > MAX_EXPRESSION_CHARS
    widget = MetricWidget(title="w", region=REGION, metrics=(long,))
    dashboard = Dashboard(name="d", widgets=(PlacedWidget(body=widget, x=0, y=0, width=GRID_WIDTH, height=6),))
    with pytest.raises(ValueError, match=rf"characters > {MAX_EXPRESSION_CHARS}"):
        dashboard.check_limits()


def test_right_axis_label_is_rendered_for_right_axis_entries() -> None:
    widget = MetricWidget(
        title="w", region=REGION, right_y_axis_label="USD", metrics=(Expression(expression="m1 * 2", y_axis="right"),)
    )
    assert widget.render()["yAxis"] == {"right": {"label": "USD", "showUnits": False}}
    assert widget.render()["metrics"][0][0]["yAxis"] == "right"


def _one_widget(*metrics: Expression) -> Dashboard:
    widget = MetricWidget(title="requests", region=REGION, metrics=metrics)
    return Dashboard(name="d", widgets=(PlacedWidget(body=widget, x=0, y=0, width=GRID_WIDTH, height=6),))


def test_a_widget_with_two_metrics_insights_queries_is_refused_naming_it_and_the_fix() -> None:
    # GetMetricData runs one Metrics Insights query per request ("Maximum number of queries (1) exceeded"), and
    # math over two SELECTs needs both in the same request.
    invocations = Expression(expression='SELECT SUM(Invocations) FROM SCHEMA("AWS/Bedrock", ModelId)', id="q1")
    throttles = Expression(expression='select sum(InvocationThrottles) FROM "AWS/Bedrock"', id="q2")
    both = _one_widget(invocations, throttles, Expression(expression="q1 * 0.5 + q2 * 2"))
    with pytest.raises(
        ValueError, match=r"widget .requests. \(2\) holds more than 1 Metrics Insights query .*its own widget"
    ):
        both.check_limits(fix="Split the regions.")
    # One query with metric math over it, SEARCHes and plain metrics beside it are fine.
    search = Expression(expression="SEARCH('{AWS/Bedrock} MetricName=\"Invocations\"', 'Sum', 300)", max_series=3)
    _one_widget(
        invocations, Expression(expression="q1 * 2"), search, search.model_copy(update={"id": "s2"})
    ).check_limits()
