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
