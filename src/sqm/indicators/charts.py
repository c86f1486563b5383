"""Plotly figures for the indicator pages, as JSON-ready dicts (the page draws them with the
Plotly served from the installed package)."""

from __future__ import annotations

from typing import Any

from sqm.indicators.dashboards import Breakdown, Trend
from sqm.lib.charts import ALERT, HOUSE, SERIES, figure_json


def _axes(y_title: str) -> dict[str, Any]:
    return {"yaxis": {"title": y_title, "zeroline": False}, "hovermode": "x unified"}


def trend_chart(trend: Trend, labels: dict[str, str]) -> dict[str, Any]:
    import plotly.graph_objects as go

    figure = go.Figure()
    figure.add_scatter(
        x=trend.days,
        y=trend.province,
        name=labels["province"],
        mode="lines+markers",
        line={"color": HOUSE, "width": 3},
    )
    for index, (name, values) in enumerate(trend.branches.items()):
        figure.add_scatter(
            x=trend.days,
            y=values,
            name=name,
            mode="lines",
            line={"color": SERIES[index % len(SERIES)], "width": 2},
        )
    if trend.target is not None and trend.days:
        figure.add_scatter(
            x=[trend.days[0], trend.days[-1]],
            y=[trend.target, trend.target],
            name=labels["target"],
            mode="lines",
            line={"color": ALERT, "dash": "dash"},
        )
    return figure_json(figure, 340, **_axes(labels["unit"]))


def breakdown_chart(
    breakdown: Breakdown, labels: dict[str, str], target: float | None
) -> dict[str, Any]:
    import plotly.graph_objects as go

    names = [label for _, label, _ in breakdown.rows]
    figure = go.Figure()
    figure.add_bar(
        x=names,
        y=[f.value for _, _, f in breakdown.rows],
        name=labels["value"],
        marker_color=HOUSE,
    )
    if target is not None and names:
        figure.add_scatter(
            x=names,
            y=[target] * len(names),
            name=labels["target"],
            mode="lines",
            line={"color": ALERT, "dash": "dash"},
        )
    return figure_json(figure, 300, **_axes(labels["unit"]))
