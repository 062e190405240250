"""Aggregate CloudWatch dashboards of the monitoring account (pure builders, no Pulumi).

Layout (all dashboards are global; every widget names the region its metrics live in):
- `<prefix>-overview`: per region, requests/errors/throttles, tokens and estimated cost, top models, for
  the whole organisation, using Metrics Insights queries that aggregate over every linked account
  server-side (one returned series per line, so the dashboard stays tiny at any org size), plus the status
  of every region-wide org alarm.
- `<prefix>-<region>`: per account of that region, invocations, errors, throttles, p95 latency, tokens and
  estimated cost, using SEARCH over the model-less Bedrock series ("Across all model IDs"): one series per
  linked account, picked up automatically as accounts are onboarded.

Why split: CloudWatch counts every metric a SEARCH retrieves against 500 per widget and 2500 per
dashboard. Per-account data for 200 accounts x 10 regions in one dashboard would retrieve ~18,000
series; one dashboard per region retrieves 9 x 201 = 1,809.

Metric math evaluates within a single region: a widget can not add us-east-1 and eu-west-1 series, and
percentiles can not be merged across accounts or regions. Both facts are stated on the dashboards.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from components.monitoring.dashboard_model import math_number
from components.org_monitoring import quotas
from components.org_monitoring.alarms import NAMESPACE, SCHEMA
from components.org_monitoring.refs import WorkloadRef, accounts_in_region
from inventory.monitoring import MAX_PRICED_MODELS, ModelPrice, Pricing
from inventory.org_monitoring import OrgMonitoringSettings

OVERVIEW_PERIOD = 300
COST_PERIOD = 3600
TOP_MODELS = 10
_ACCOUNT_LABEL = "${PROP('AccountLabel')}"

# --- body models ---------------------------------------------------------------------------------------

MetricEntry = list[Any]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class MetricProperties(_Model):
    title: str
    region: str
    view: Literal["timeSeries", "bar", "pie", "singleValue", "table"] = "timeSeries"
    stacked: bool = False
    period: int
    metrics: list[MetricEntry]
    yAxis: dict[str, dict[str, Any]] | None = None


class TextProperties(_Model):
    markdown: str


class AlarmProperties(_Model):
    title: str
    alarms: list[str] = Field(max_length=quotas.MAX_ALARMS_PER_ALARM_WIDGET)


class Widget(_Model):
    type: Literal["metric", "text", "alarm"]
    x: int = Field(ge=0, lt=quotas.GRID_WIDTH)
    y: int = Field(ge=0)
    width: int = Field(ge=1, le=quotas.GRID_WIDTH)
    height: int = Field(ge=1, le=1000)
    properties: MetricProperties | TextProperties | AlarmProperties


class DashboardBody(_Model):
    start: str
    periodOverride: Literal["auto", "inherit"] = "inherit"
    widgets: list[Widget] = Field(max_length=quotas.MAX_WIDGETS_PER_DASHBOARD)

    def to_json(self) -> str:
        return json.dumps(self.model_dump(exclude_none=True), separators=(",", ":"), sort_keys=True)


@dataclass(frozen=True)
class DashboardSpec:
    name: str
    body: DashboardBody
    # Worst-case metrics each widget retrieves, in widget order (0 for text/alarm widgets).
    widget_metric_budget: tuple[int, ...]

    @property
    def body_json(self) -> str:
        return self.body.to_json()


# --- metric entries -------------------------------------------------------------------------------------

def _expr(expression: str, qid: str, label: str, *, visible: bool = True, period: int | None = None) -> MetricEntry:
    options: dict[str, Any] = {"expression": expression, "id": qid, "label": label}
    if not visible:
        options["visible"] = False
    if period is not None:
        options["period"] = period
    return [options]


def _search(metric_name: str, stat: str, period: int) -> str:
    # `{AWS/Bedrock}` with no dimension names matches only the model-less aggregate series: exactly one per
    # account (monitoring account included), so the count is bounded by the inventory.
    return f"SEARCH('{{{NAMESPACE}}} MetricName=\"{metric_name}\"', '{stat}', {period})"


def _insights_sum(metric_name: str, where: str = "") -> str:
    return f"SELECT SUM({metric_name}) FROM {SCHEMA}{where}"


def _cost_terms(price: ModelPrice, tokens_in: str, tokens_out: str) -> str:
    return (f"{tokens_in}*{math_number(price.input_per_1k_tokens_usd)}"
            f"+{tokens_out}*{math_number(price.output_per_1k_tokens_usd)}")


# --- prices (the shared price table, `inventory.monitoring.Pricing`) -----------------------------------

@dataclass(frozen=True)
class PricedModel:
    """One entry of the price table and every ModelId dimension value priced with it: the key itself plus
    the inventory's cross-region inference profiles (us.<key>, ...) that fall back to it (`Pricing.price_for`)."""

    key: str
    model_ids: tuple[str, ...]
    price: ModelPrice


def inventory_models(workloads: Sequence[WorkloadRef]) -> list[str]:
    return sorted({m for w in workloads for m in w.models})


def priced_models(pricing: Pricing, workloads: Sequence[WorkloadRef]) -> list[PricedModel]:
    candidates = inventory_models(workloads)
    return [PricedModel(key, pricing.model_ids_priced_as(key, candidates), price)
            for key, price in sorted(pricing.models.items())]


def unpriced_models(pricing: Pricing, workloads: Sequence[WorkloadRef]) -> list[str]:
    return [m for m in inventory_models(workloads) if pricing.price_for(m) is None]


def _model_filter(model_ids: Sequence[str]) -> str:
    return " WHERE " + " OR ".join(f"ModelId = '{m}'" for m in model_ids)


# --- widget builders ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Built:
    widget: Widget
    budget: int


def _metric_widget(x: int, y: int, w: int, h: int, props: MetricProperties, budget: int) -> _Built:
    return _Built(Widget(type="metric", x=x, y=y, width=w, height=h, properties=props), budget)


def _text(y: int, markdown: str, height: int) -> _Built:
    return _Built(Widget(type="text", x=0, y=y, width=24, height=height,
                         properties=TextProperties(markdown=markdown)), 0)


LIMITATION_NOTE = (
    "**Cross-region limits.** CloudWatch metric math and SEARCH evaluate inside one region, so there is no "
    "single org-wide line: each region has its own widgets and org totals are the sum of the regional "
    "widgets. Percentiles (p95 latency) can not be combined across accounts or regions and are shown per "
    "account on the regional dashboards. Metrics Insights widgets cover the most recent 3 hours. "
    "Estimated cost = tokens x the org-wide price table `defaults.monitoring.pricing` in `stacks/org.yaml` "
    "(an inference profile uses its base model's price; models without a price are left out); not a bill, "
    "see Cost Explorer."
)


def _cost_properties(region: str, priced: Sequence[PricedModel]) -> MetricProperties:
    """Tokens and estimated cost of the whole region (all accounts): priced models only, each at its own
    price; models without a price count in the token lines but not in the cost ("price unknown")."""
    entries: list[MetricEntry] = [
        _expr(_insights_sum("InputTokenCount"), "tin", "Input tokens", period=COST_PERIOD),
        _expr(_insights_sum("OutputTokenCount"), "tout", "Output tokens", period=COST_PERIOD),
    ]
    terms: list[str] = []
    for i, model in enumerate(priced):
        where = _model_filter(model.model_ids)
        entries.append(_expr(_insights_sum("InputTokenCount", where), f"i{i}", f"in {model.key}",
                             visible=False, period=COST_PERIOD))
        entries.append(_expr(_insights_sum("OutputTokenCount", where), f"o{i}", f"out {model.key}",
                             visible=False, period=COST_PERIOD))
        terms.append(_cost_terms(model.price, f"FILL(i{i},0)", f"FILL(o{i},0)"))
    if terms:
        entries.append(_expr("(" + "+".join(terms) + ")/1000", "cost", "Estimated USD / hour (priced models)"))
    return MetricProperties(
        title=f"{region} - tokens and estimated cost, all accounts",
        region=region,
        period=COST_PERIOD,
        metrics=entries,
        yAxis={"right": {"label": "USD", "showUnits": False}},
    )


def _price_note(pricing: Pricing, workloads: Sequence[WorkloadRef]) -> str:
    unpriced = unpriced_models(pricing, workloads)
    if not pricing.models:
        return ("\n\nNo model has a price in `defaults.monitoring.pricing.models` (up to "
                f"{MAX_PRICED_MODELS} models): no estimated cost is shown.")
    if not unpriced:
        return ""
    return ("\n\nPrice unknown (not in the estimated cost): " + ", ".join(f"`{m}`" for m in unpriced)
            + "; add them to `defaults.monitoring.pricing.models`.")


def _region_overview_widgets(region: str, y: int, priced: Sequence[PricedModel]) -> list[_Built]:
    p = OVERVIEW_PERIOD
    requests = MetricProperties(
        title=f"{region} - requests, all accounts",
        region=region,
        period=p,
        metrics=[
            _expr(_insights_sum("Invocations"), "inv", "Invocations", period=p),
            _expr(_insights_sum("InvocationClientErrors"), "cli", "Client errors", period=p),
            _expr(_insights_sum("InvocationServerErrors"), "srv", "Server errors", period=p),
            _expr(_insights_sum("InvocationThrottles"), "thr", "Throttles", period=p),
        ],
    )
    tokens_cost = _cost_properties(region, priced)
    top_models = MetricProperties(
        title=f"{region} - top {TOP_MODELS} models by invocations, all accounts",
        region=region,
        view="bar",
        period=p,
        metrics=[_expr(
            _insights_sum("Invocations") + f" GROUP BY ModelId ORDER BY SUM() DESC LIMIT {TOP_MODELS}",
            "top", "${PROP('Dim.ModelId')}", period=p,
        )],
    )
    return [
        _metric_widget(0, y, 8, 6, requests, len(requests.metrics)),
        _metric_widget(8, y, 8, 6, tokens_cost, len(tokens_cost.metrics)),
        _metric_widget(16, y, 8, 6, top_models, TOP_MODELS),
    ]


def region_dashboard_name(settings: OrgMonitoringSettings, region: str) -> str:
    return f"{settings.dashboard_name_prefix}-{region}"


def overview_dashboard_name(settings: OrgMonitoringSettings) -> str:
    return f"{settings.dashboard_name_prefix}-overview"


def build_overview(
    regions: Sequence[str], settings: OrgMonitoringSettings, region_wide_alarm_arns: Sequence[str],
    pricing: Pricing, workloads: Sequence[WorkloadRef] = (),
) -> DashboardSpec:
    priced = priced_models(pricing, workloads)
    links = " - ".join(f"[{r}](#dashboards:name={region_dashboard_name(settings, r)})" for r in regions)
    built: list[_Built] = [
        _text(0, "# Amazon Bedrock - organisation overview\nManaged by Pulumi (bedrock-observability, "
                 f"monitoring stack); edits in the console are overwritten.\n\nPer-account detail: {links}\n\n"
                 + LIMITATION_NOTE + _price_note(pricing, workloads), 5),
    ]
    y = 5
    alarm_arns = list(region_wide_alarm_arns)
    for start in range(0, len(alarm_arns), quotas.MAX_ALARMS_PER_ALARM_WIDGET):
        chunk = alarm_arns[start:start + quotas.MAX_ALARMS_PER_ALARM_WIDGET]
        built.append(_Built(Widget(type="alarm", x=0, y=y, width=24, height=3,
                                   properties=AlarmProperties(title="Org alarms (all regions)", alarms=chunk)), 0))
        y += 3
    for region in regions:
        built += _region_overview_widgets(region, y, priced)
        y += 6
    return DashboardSpec(
        name=overview_dashboard_name(settings),
        body=DashboardBody(start="-PT3H", widgets=[b.widget for b in built]),
        widget_metric_budget=tuple(b.budget for b in built),
    )


def build_region_dashboard(
    region: str, workloads: Sequence[WorkloadRef], settings: OrgMonitoringSettings, pricing: Pricing
) -> DashboardSpec:
    # +1: the monitoring account's own series also match the search.
    accounts = len(accounts_in_region(workloads, region)) + 1
    p = OVERVIEW_PERIOD
    label = _ACCOUNT_LABEL

    def graph(title: str, metrics: list[MetricEntry], searches: int, period: int = p,
              y_axis: dict[str, dict[str, Any]] | None = None) -> tuple[MetricProperties, int]:
        props = MetricProperties(title=f"{region} - {title} by account", region=region, period=period,
                                 metrics=metrics, yAxis=y_axis)
        # Worst case: every SEARCH returns one series per account, plus each expression entry itself.
        return props, searches * accounts + (len(metrics) - searches)

    panels = [
        graph("invocations", [_expr(_search("Invocations", "Sum", p), "inv", label)], 1),
        graph("errors", [
            _expr(_search("InvocationClientErrors", "Sum", p), "cli", f"client - {label}"),
            _expr(_search("InvocationServerErrors", "Sum", p), "srv", f"server - {label}"),
        ], 2),
        graph("throttles", [_expr(_search("InvocationThrottles", "Sum", p), "thr", label)], 1),
        graph("p95 latency (ms)", [_expr(_search("InvocationLatency", "p95", p), "p95", label)], 1),
        graph("tokens", [
            _expr(_search("InputTokenCount", "Sum", p), "tin", f"input - {label}"),
            _expr(_search("OutputTokenCount", "Sum", p), "tout", f"output - {label}"),
        ], 2),
    ]
    cost = _cost_properties(region, priced_models(pricing, workloads))
    panels.append((cost, len(cost.metrics)))
    built: list[_Built] = [
        _text(0, f"# Amazon Bedrock - {region}, per account\nOne line per linked account (label = OAM "
                 f"account label). Back to the [overview](#dashboards:name={overview_dashboard_name(settings)})."
                 " Estimated cost is the region total over priced models: metric math can not apply per-model "
                 "prices per account (each account's own `-cost-usage` dashboard shows its estimated cost)."
                 "\n\n" + LIMITATION_NOTE, 4),
    ]
    for i, (props, budget) in enumerate(panels):
        built.append(_metric_widget((i % 3) * 8, 4 + (i // 3) * 7, 8, 7, props, budget))
    return DashboardSpec(
        name=region_dashboard_name(settings, region),
        body=DashboardBody(start="-PT12H", widgets=[b.widget for b in built]),
        widget_metric_budget=tuple(b.budget for b in built),
    )


def build_dashboards(
    regions: Sequence[str],
    workloads: Sequence[WorkloadRef],
    settings: OrgMonitoringSettings,
    region_wide_alarm_arns: Sequence[str],
    pricing: Pricing | None = None,
) -> list[DashboardSpec]:
    pricing = pricing or Pricing()
    return [build_overview(regions, settings, region_wide_alarm_arns, pricing, workloads)] + [
        build_region_dashboard(r, workloads, settings, pricing) for r in regions
    ]



def expressions(spec: DashboardSpec) -> list[str]:
    out: list[str] = []
    for widget in spec.body.widgets:
        if isinstance(widget.properties, MetricProperties):
            for entry in widget.properties.metrics:
                for part in entry:
                    if isinstance(part, dict) and "expression" in part:
                        out.append(part["expression"])
    return out
