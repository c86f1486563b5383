"""Figures for the tracing pages: a signal's series against its expected band, the effect of a
case's measures (treated and control around the intervention date), and the small inline
sparklines of the signal list (SVG drawn by the template: dozens of Plotly charts on one list
would cost more than the list).

Each function takes plain data and the page's translated labels; nothing here depends on the
language or on Django."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqm.lib.charts import (
    ALERT,
    DAY_AXIS,
    GREY,
    GRID,
    HOUSE,
    HOUSE_FILL,
    SERIES,
    figure_json,
)

Labels = dict[str, str]
Point = Sequence[Any]  # (day ISO, observed, expected, low, high)
WINDOW_FILL = "rgba(180, 35, 24, 0.08)"
BEFORE_FILL = "rgba(138, 148, 166, 0.10)"
AFTER_FILL = "rgba(11, 92, 173, 0.07)"


@dataclass(frozen=True, slots=True)
class Sparkline:
    """SVG coordinates in a ``width × height`` box: the band polygon, the expected and the
    observed polylines, and whether the last point lies above the band."""

    width: int
    height: int
    band: str
    expected: str
    observed: str
    last_x: float
    last_y: float
    above: bool


def sparkline(series: Sequence[Point], width: int = 120, height: int = 28) -> Sparkline | None:
    points = [p for p in series if len(p) >= 5]
    if len(points) < 2:
        return None
    values = [float(v) for p in points for v in p[1:5] if v is not None]
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = (width - 4) / (len(points) - 1)

    def xy(k: int, value: float) -> tuple[float, float]:
        return 2 + k * step, height - 2 - (float(value) - low) / span * (height - 4)

    def line(column: int) -> str:
        return " ".join(
            f"{x:.1f},{y:.1f}" for x, y in (xy(k, p[column]) for k, p in enumerate(points))
        )

    upper = [xy(k, p[4]) for k, p in enumerate(points)]
    lower = [xy(k, p[3]) for k, p in reversed(list(enumerate(points)))]
    band = " ".join(f"{x:.1f},{y:.1f}" for x, y in upper + lower)
    last_x, last_y = xy(len(points) - 1, points[-1][1])
    return Sparkline(
        width,
        height,
        band,
        line(2),
        line(1),
        last_x,
        last_y,
        float(points[-1][1]) > float(points[-1][4]),
    )


def signal_chart(
    series: Sequence[Point], window: tuple[str, str], labels: Labels
) -> dict[str, Any] | None:
    """The observed series, the expected value and its band, and the signal's window shaded."""
    import plotly.graph_objects as go

    points = [p for p in series if len(p) >= 5]
    if not points:
        return None
    days = [p[0] for p in points]
    figure = go.Figure()
    figure.add_scatter(
        x=days, y=[p[4] for p in points], mode="lines", line={"width": 0},
        hoverinfo="skip", showlegend=False,
    )  # fmt: skip
    figure.add_scatter(
        x=days, y=[p[3] for p in points], mode="lines", line={"width": 0}, fill="tonexty",
        fillcolor=HOUSE_FILL, name=labels["band"], hoverinfo="skip",
    )  # fmt: skip
    figure.add_scatter(
        x=days, y=[p[2] for p in points], mode="lines", name=labels["expected"],
        line={"color": HOUSE, "dash": "dash", "width": 1.5},
    )  # fmt: skip
    figure.add_scatter(
        x=days, y=[p[1] for p in points], mode="lines+markers", name=labels["observed"],
        line={"color": ALERT, "width": 2}, marker={"size": 5},
    )  # fmt: skip
    figure.add_vrect(x0=window[0], x1=window[1], fillcolor=WINDOW_FILL, line_width=0)
    return figure_json(
        figure, 320, xaxis={**DAY_AXIS, "dtick": None, "gridcolor": GRID},
        yaxis={"title": {"text": labels["value"]}, "gridcolor": GRID, "rangemode": "tozero"},
        hovermode="x unified",
    )  # fmt: skip


def effect_chart(
    series: Sequence[tuple[str, int, int]], start: date, days: int, labels: Labels
) -> dict[str, Any] | None:
    """Treated and control daily complaints, each as an index of its own before-window mean
    (= 100), so the two groups share one axis and a seasonal drop moves both lines; the
    intervention date is a line, the before and after windows are shaded."""
    import plotly.graph_objects as go

    if not series:
        return None
    x = [s[0] for s in series]
    figure = go.Figure()
    for column, name, colour in ((1, labels["treated"], ALERT), (2, labels["control"], SERIES[3])):
        raw = [int(s[column]) for s in series]
        before = raw[:days]
        mean = sum(before) / len(before) if before and sum(before) else None
        index = [None if mean is None else v / mean * 100 for v in raw]
        figure.add_scatter(
            x=x, y=index, name=name, mode="lines+markers", customdata=raw,
            line={"color": colour, "width": 2}, marker={"size": 4},
            hovertemplate="%{customdata} (%{y:.0f})<extra>%{fullData.name}</extra>",
        )  # fmt: skip
    first = start - timedelta(days=days)
    last = start + timedelta(days=days - 1)
    figure.add_vrect(x0=first.isoformat(), x1=(start - timedelta(days=1)).isoformat(),
                     fillcolor=BEFORE_FILL, line_width=0)  # fmt: skip
    figure.add_vrect(x0=start.isoformat(), x1=last.isoformat(), fillcolor=AFTER_FILL, line_width=0)
    figure.add_vline(x=start.isoformat(), line={"color": GREY, "dash": "dot", "width": 2})
    figure.add_annotation(
        x=start.isoformat(), y=1, yref="paper", text=labels["intervention"], showarrow=False,
        xanchor="left", yanchor="bottom",
    )  # fmt: skip
    return figure_json(
        figure, 340, xaxis={**DAY_AXIS, "dtick": 7 * 86_400_000, "gridcolor": GRID},
        yaxis={"title": {"text": labels["index"]}, "gridcolor": GRID, "rangemode": "tozero"},
        hovermode="x unified",
    )  # fmt: skip
