"""The 13+N pages' charts: the month's scores by unit, and a unit's score and rank by month."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqm.assessment.core.outcome import UnitResult
from sqm.lib.charts import ALERT, GREY, HOUSE, figure_json
from sqm.lib.language import pick


def ranking_chart(units: Sequence[UnitResult], score_label: str) -> dict[str, Any]:
    import plotly.graph_objects as go

    ordered = list(reversed(units))  # the best at the top of a horizontal bar chart
    figure = go.Figure()
    figure.add_bar(
        x=[u.score for u in ordered],
        y=[pick(u.name_zh, u.name_en) for u in ordered],
        orientation="h",
        name=score_label,
        marker_color=[ALERT if u.veto else HOUSE for u in ordered],
        text=[f"{u.score:.2f}" for u in ordered],
        textposition="outside",
    )
    height = 120 + 26 * len(ordered)
    return figure_json(figure, height, xaxis={"range": [0, 110]}, showlegend=False)


def trend_chart(
    history: Sequence[tuple[str, float, int]], score_label: str, rank_label: str, of: int
) -> dict[str, Any]:
    """The score (left axis) and the rank among ``of`` units (right axis, 1 at the top)."""
    import plotly.graph_objects as go

    months = [month for month, _, _ in history]
    figure = go.Figure()
    figure.add_scatter(
        x=months,
        y=[score for _, score, _ in history],
        name=score_label,
        mode="lines+markers+text",
        text=[f"{score:.1f}" for _, score, _ in history],
        textposition="top center",
        line={"color": HOUSE, "width": 3},
    )
    figure.add_scatter(
        x=months,
        y=[rank for _, _, rank in history],
        name=rank_label,
        mode="lines+markers",
        yaxis="y2",
        line={"color": GREY, "dash": "dot"},
    )
    return figure_json(
        figure,
        300,
        xaxis={"type": "category"},
        yaxis={"title": score_label, "range": [0, 110]},
        yaxis2={
            "title": rank_label,
            "overlaying": "y",
            "side": "right",
            "range": [of + 0.5, 0.5],
            "dtick": 1,
        },
    )
