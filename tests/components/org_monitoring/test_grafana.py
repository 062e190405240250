"""The Grafana dashboard model: the operations panels, org variables, the right series per panel."""

from __future__ import annotations

from components.org_monitoring.grafana_dashboard import PANELS, build_grafana_dashboard
from tests.components.org_monitoring.common import max_prices, org
from vocabulary.bedrock import LOG_DELIVERY_FAILURE_METRICS, PER_MODEL_METRICS


def test_grafana_dashboard_has_the_operations_panels_and_org_variables():
    refs = org(2, ["us-east-1"])
    dash = build_grafana_dashboard(["us-east-1", "eu-west-1"], refs, max_prices())
    titles = [p["title"] for p in dash["panels"]]
    assert titles[: len(PANELS)] == [p[0] for p in PANELS]
    assert any("cost" in t.lower() for t in titles)
    variables = {v["name"]: v for v in dash["templating"]["list"]}
    assert [o["value"] for o in variables["account"]["options"]] == ["all", *(r.account_id for r in refs)]
    assert all(t["accountId"] == "$account" and t["region"] == "$region" for p in dash["panels"] for t in p["targets"])


def _grafana_metric_targets() -> list[dict]:
    dash = build_grafana_dashboard(["us-east-1"], org(2, ["us-east-1"]), max_prices())
    return [t for p in dash["panels"] for t in p["targets"] if "metricName" in t]


def test_grafana_delivery_panel_covers_every_invocation_log_destination():
    (panel,) = [
        p
        for p in build_grafana_dashboard(["us-east-1"], org(1, ["us-east-1"]), max_prices())["panels"]
        if p["title"] == "Invocation log delivery failures"
    ]
    assert {t["metricName"] for t in panel["targets"]} == {
        "ModelInvocationLogsCloudWatchDeliveryFailure",
        "ModelInvocationLogsS3DeliveryFailure",
        "ModelInvocationLargeDataS3DeliveryFailure",
    }


def test_grafana_delivery_targets_read_the_dimensionless_series_and_runtime_targets_read_modelid():
    # Delivery metrics are published only "across all model IDs" (no dimension): a ModelId dimension with
    # matchExact would match nothing and leave the panel empty.
    targets = _grafana_metric_targets()
    delivery = [t for t in targets if t["metricName"] in LOG_DELIVERY_FAILURE_METRICS]
    runtime = [t for t in targets if t["metricName"] in PER_MODEL_METRICS]
    assert len(delivery) == len(LOG_DELIVERY_FAILURE_METRICS) and runtime
    assert len(delivery) + len(runtime) == len(targets)
    for t in delivery:
        assert t["dimensions"] == {} and t["matchExact"] is True, t
        assert "Dim.ModelId" not in t["label"]
    for t in runtime:
        assert t["dimensions"] == {"ModelId": ["*"]} and t["matchExact"] is True, t
