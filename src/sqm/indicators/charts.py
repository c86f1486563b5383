"""Plotly figures for the indicator pages, as JSON-ready dicts (the page draws them with the
Plotly served from the installed package)."""

from __future__ import annotations

from typing import Any

from sqm.indicators.dashboards import Breakdown, Trend

PROVINCE_COLOUR = "#0b5cad"
TARGET_COLOUR = "#b42318"
BRANCH_COLOURS = ("#e08a00", "#2e7d32", "#6a1b9a", "#00838f", "#5d4037")


def _layout(y_title: str, height: int = 340) -> dict[str, Any]:
    return {
        "margin": {"l": 56, "r": 20, "t": 16, "b": 48},
        "height": height,
        "legend": {"orientation": "h", "y": -0.18},
        "yaxis": {"title": y_title, "zeroline": False},
        "hovermode": "x unified",
    }


def trend_chart(trend: Trend, labels: dict[str, str]) -> dict[str, Any]:
    import plotly.graph_objects as go

    figure = go.Figure()
    figure.add_scatter(
        x=trend.days,
        y=trend.province,
        name=labels["province"],
        mode="lines+markers",
        line={"color": PROVINCE_COLOUR, "width": 3},
    )
    for index, (name, values) in enumerate(trend.branches.items()):
        figure.add_scatter(
            x=trend.days,
            y=values,
            name=name,
            mode="lines",
            line={"color": BRANCH_COLOURS[index % len(BRANCH_COLOURS)], "width": 2},
        )
    if trend.target is not None and trend.days:
        figure.add_scatter(
            x=[trend.days[0], trend.days[-1]],
            y=[trend.target, trend.target],
            name=labels["target"],
            mode="lines",
            line={"color": TARGET_COLOUR, "dash": "dash"},
        )
    figure.update_layout(**_layout(labels["unit"]))
    return dict(figure.to_plotly_json())


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
        marker_color=PROVINCE_COLOUR,
    )
    if target is not None and names:
        figure.add_scatter(
            x=names,
            y=[target] * len(names),
            name=labels["target"],
            mode="lines",
            line={"color": TARGET_COLOUR, "dash": "dash"},
        )
    figure.update_layout(**_layout(labels["unit"], height=300))
    return dict(figure.to_plotly_json())
