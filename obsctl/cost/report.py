"""The estimate as `obsctl plan` prints it: one compact table per stack, components by account-region."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from obsctl.cost.estimate import COMPONENTS


def heading(cost: dict[str, Any]) -> str:
    assumptions = next(iter(cost["assumptions"].values()), None)
    traffic = ""
    if assumptions and "logs ingestion" in cost["components"]:
        traffic = (
            f"; {assumptions['invocations_per_day']:,.0f} invocations/day per region, "
            f"{assumptions['avg_payload_kb']:g} KB records, {assumptions['large_payload_share']:.0%} large"
        )
    unconfirmed = len(cost["unconfirmedPrices"])
    # Absent from estimates written before it existed.
    not_priced = cost.get("notPriced") or []
    missing = f"; not priced: {'; '.join(not_priced)}" if not_priced else ""
    return (
        f"estimated cost: USD {cost['monthlyUsd']:,.2f}/month (steady state, list prices{traffic}; "
        f"{unconfirmed} prices unconfirmed{missing})"
    )


def table(cost: dict[str, Any]) -> Table:
    """Rows: components; columns: account-regions (and account-wide charges), then the total."""
    places = cost["places"]
    several_accounts = len({p["account"] for p in places}) > 1
    grid = Table()
    grid.add_column("USD / month", no_wrap=True)
    for place in places:
        name = place["region"] or "account-wide"
        grid.add_column(f"{place['account']} {name}" if several_accounts else name, justify="right")
    grid.add_column("total", justify="right", style="bold")
    for component in (c for c in COMPONENTS if c in cost["components"]):
        cells = [_usd(p["components"].get(component)) for p in places]
        grid.add_row(component, *cells, _usd(cost["components"][component]))
    grid.add_row("total", *(_usd(p["monthlyUsd"]) for p in places), _usd(cost["monthlyUsd"]), style="bold")
    return grid


def _usd(value: float | None) -> str:
    return "" if value is None else f"{value:,.2f}"
