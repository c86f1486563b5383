"""Plotly figures for the satisfaction pages (figure JSON; the page draws it with plotly.js)."""

from __future__ import annotations

from typing import Any

from sqm.lib.charts import ALERT, AMBER, GOOD, GREY, HOUSE, figure_json

QUADRANT_COLOURS = {
    "concentrate_here": ALERT,
    "keep_up": GOOD,
    "low_priority": GREY,
    "possible_overkill": AMBER,
}


def trend(
    index: dict[str, Any],
    trend_points: list[dict[str, Any]],
    target_gap: float,
    labels: dict[str, str],
) -> dict[str, Any]:
    """Our index month by month, the best rival's, and the target band below the rival."""
    import plotly.graph_objects as go

    figure = go.Figure()
    months = [m["month"] for m in index.get("months", [])]
    figure.add_scatter(
        x=months,
        y=[m.get("index") for m in index.get("months", [])],
        name=labels["ours"],
        mode="lines+markers",
        line={"color": HOUSE, "width": 3},
    )
    figure.add_scatter(
        x=months,
        y=[round(m["overall_score"], 2) for m in index.get("months", [])],
        name=labels["overall"],
        mode="lines+markers",
        line={"color": HOUSE, "width": 1, "dash": "dot"},
    )
    if trend_points:
        figure.add_scatter(
            x=[t["period"] for t in trend_points],
            y=[t["leader_score"] for t in trend_points],
            name=labels["leader"],
            mode="lines+markers",
            line={"color": ALERT, "dash": "dot"},
        )
        figure.add_scatter(
            x=[t["period"] for t in trend_points],
            y=[t["leader_score"] - target_gap for t in trend_points],
            name=labels["target"],
            mode="lines",
            line={"color": AMBER, "dash": "dash", "width": 1},
        )
    return figure_json(figure, 300, yaxis={"title": labels["axis"]}, xaxis={"type": "category"})


def importance_performance(factors: list[dict[str, Any]], labels: dict[str, str]) -> dict[str, Any]:
    """The importance-performance map: one point per factor, quadrant lines at the means."""
    import plotly.graph_objects as go

    figure = go.Figure()
    for quadrant, colour in QUADRANT_COLOURS.items():
        points = [f for f in factors if f["quadrant"] == quadrant]
        if not points:
            continue
        figure.add_scatter(
            x=[round(100 * f["importance"], 2) for f in points],
            y=[round(f["performance"], 1) for f in points],
            text=[f["label"] for f in points],
            mode="markers+text",
            textposition="top center",
            name=labels[quadrant],
            marker={"color": colour, "size": 11},
            hovertemplate="%{text}<br>%{x:.1f}% · %{y:.1f}<extra></extra>",
        )
    if factors:
        mean_x = 100 * sum(f["importance"] for f in factors) / len(factors)
        mean_y = sum(f["performance"] for f in factors) / len(factors)
        figure.add_vline(x=mean_x, line={"color": GREY, "dash": "dash", "width": 1})
        figure.add_hline(y=mean_y, line={"color": GREY, "dash": "dash", "width": 1})
    return figure_json(
        figure,
        420,
        xaxis={"title": labels["importance"], "rangemode": "tozero"},
        yaxis={"title": labels["performance"]},
    )
