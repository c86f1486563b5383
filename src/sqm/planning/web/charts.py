"""Plotly figures for the planning pages (figure JSON; the page draws it with plotly.js).

Each function takes a plan's payload (the JSON the planning modules return) and the page's
translated labels, so nothing here depends on the language or on Django."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqm.lib.charts import (
    ALERT,
    AMBER,
    DATE_AXIS,
    DAY_AXIS,
    GOOD,
    GREY,
    GRID,
    HOUSE,
    HOUSE_FILL,
    INK,
    LIGHT,
    PALETTE,
    SOFT_BLUE,
    count_axis,
    escape,
    figure_json,
)

Labels = dict[str, str]

VIP_COLOUR = AMBER
ORDINARY_COLOUR = SOFT_BLUE
AGENTS_COLOUR = HOUSE
SCHEDULED_COLOUR = GOOD
ALERT_COLOUR = ALERT
# The planning pages read the interval under the pointer across every series.
HOVER = "x unified"


def hotline_requirement(payload: dict[str, Any], labels: Labels) -> dict[str, Any]:
    """Forecast calls per interval, VIP stacked on ordinary (left axis), and the agents on
    the phones and to schedule (right axis)."""
    import plotly.graph_objects as go

    cols = payload["intervals"]
    x = cols["start"]
    figure = go.Figure()
    figure.add_bar(
        x=x, y=cols["ordinary_calls"], name=labels["ordinary"], marker_color=ORDINARY_COLOUR
    )
    figure.add_bar(x=x, y=cols["vip_calls"], name=labels["vip"], marker_color=VIP_COLOUR)
    figure.add_scatter(
        x=x,
        y=cols["agents"],
        name=labels["agents"],
        yaxis="y2",
        mode="lines",
        line={"color": AGENTS_COLOUR, "width": 2, "shape": "hv"},
    )
    figure.add_scatter(
        x=x,
        y=cols["scheduled"],
        name=labels["scheduled"],
        yaxis="y2",
        mode="lines",
        line={"color": SCHEDULED_COLOUR, "width": 2, "dash": "dot", "shape": "hv"},
    )
    return figure_json(
        figure,
        380,
        hovermode=HOVER,
        barmode="stack",
        bargap=0,
        yaxis={"title": labels["calls_axis"], "rangemode": "tozero"},
        yaxis2={
            **count_axis(labels["agents_axis"], cols["agents"]),
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
        },
        xaxis=DATE_AXIS,
    )


def forecast_check(error: dict[str, Any], labels: Labels) -> dict[str, Any]:
    """The held-back week: the forecast, what happened, and the seasonal-naive forecast."""
    import plotly.graph_objects as go

    first = date.fromisoformat(error["holdout_first"])
    x = [(first + timedelta(days=d)).isoformat() for d in range(len(error["actual"]))]
    figure = go.Figure()
    figure.add_scatter(
        x=x, y=error["actual"], name=labels["actual"], mode="lines+markers",
        line={"color": INK, "width": 3},
    )  # fmt: skip
    figure.add_scatter(
        x=x, y=error["forecast"], name=labels["forecast"], mode="lines+markers",
        line={"color": AGENTS_COLOUR},
    )  # fmt: skip
    figure.add_scatter(
        x=x, y=error["naive"], name=labels["naive"], mode="lines+markers",
        line={"color": GREY, "dash": "dash"},
    )  # fmt: skip
    return figure_json(
        figure, 280, hovermode=HOVER, yaxis={"title": labels["calls_per_day"]}, xaxis=DAY_AXIS
    )


def simulated_service(simulation: dict[str, Any], labels: Labels) -> dict[str, Any]:
    """Simulated share answered in time, per interval and tier, against each tier's target."""
    import plotly.graph_objects as go

    cols = simulation["intervals"]
    targets = simulation["targets"]
    figure = go.Figure()
    for key, name, colour in (
        ("vip_service_level", labels["vip"], VIP_COLOUR),
        ("ordinary_service_level", labels["ordinary"], AGENTS_COLOUR),
    ):
        figure.add_scatter(
            x=cols["start"],
            y=[None if v is None else round(100 * v, 1) for v in cols[key]],
            name=name,
            mode="lines",
            line={"color": colour, "width": 1.5},
        )
        if targets.get(key) is not None:
            figure.add_hline(
                y=100 * targets[key], line={"color": colour, "dash": "dash", "width": 1}
            )
    return figure_json(
        figure,
        260,
        hovermode=HOVER,
        yaxis={"title": labels["service_axis"], "range": [0, 101]},
        xaxis=DATE_AXIS,
    )


def _week_axis(
    per_day: int, weekdays: Sequence[str]
) -> tuple[list[float], dict[str, Any], list[str]]:
    """x in hours from Monday 00:00, ticks at noon named by the weekday, hover text."""
    step = 1440 // per_day
    minutes = [i * step for i in range(7 * per_day)]
    x = [round(m / 60, 4) for m in minutes]
    text = [f"{weekdays[m // 1440]} {m % 1440 // 60:02d}:{m % 60:02d}" for m in minutes]
    axis = {
        "tickvals": [24 * d + 12 for d in range(7)],
        "ticktext": list(weekdays),
        "range": [0, 168],
        "showgrid": False,
    }
    return x, axis, text


def schedule_coverage(
    payload: dict[str, Any], weekdays: Sequence[str], labels: Labels
) -> dict[str, Any]:
    """The week's requirement (agents to schedule) against the roster's coverage."""
    import plotly.graph_objects as go

    need = [v for day in payload["requirement"] for v in day]
    cover = [v for day in payload["coverage"] for v in day]
    per_day = len(payload["requirement"][0]) if payload["requirement"] else 48
    x, axis, text = _week_axis(per_day, weekdays)
    figure = go.Figure()
    figure.add_scatter(
        x=x, y=need, name=labels["requirement"], text=text, mode="lines",
        line={"color": ALERT_COLOUR, "width": 2, "shape": "hv"},
        hovertemplate="%{text}: %{y}<extra></extra>",
    )  # fmt: skip
    figure.add_scatter(
        x=x, y=cover, name=labels["coverage"], text=text, mode="lines", fill="tozeroy",
        line={"color": AGENTS_COLOUR, "width": 1, "shape": "hv"},
        fillcolor=HOUSE_FILL,
        hovertemplate="%{text}: %{y}<extra></extra>",
    )  # fmt: skip
    for d in range(1, 7):
        figure.add_vline(x=24 * d, line={"color": GRID, "width": 1})
    return figure_json(
        figure,
        340,
        hovermode="closest",
        xaxis=axis,
        yaxis=count_axis(labels["agents_axis"], need + cover),
    )


def halls_heatmap(halls: list[dict[str, Any]], day: int, labels: Labels) -> dict[str, Any]:
    """Servers (counters + collectors) per hall and hour of one day of the plan."""
    import plotly.graph_objects as go

    names = [f"{h['name']} ({h['code']})" for h in halls]
    counters = [h["grid"]["counters"][day] for h in halls]
    collectors = [h["grid"]["collectors"][day] for h in halls]
    visits = [h["grid"]["visits"][day] for h in halls]
    z = [
        [c + k for c, k in zip(cs, ks, strict=True)]
        for cs, ks in zip(counters, collectors, strict=True)
    ]
    text = [
        [f"{c}+{k}" if k else (str(c) if c else "") for c, k in zip(cs, ks, strict=True)]
        for cs, ks in zip(counters, collectors, strict=True)
    ]
    hours = [f"{h:02d}:00" for h in range(24)]
    figure = go.Figure(
        go.Heatmap(
            z=z,
            x=hours,
            y=names,
            text=text,
            texttemplate="%{text}",
            customdata=visits,
            colorscale="Blues",
            colorbar={"title": {"text": labels["servers"]}},
            hovertemplate=(
                f"%{{y}}<br>%{{x}}: %{{text}} · {escape(labels['visits'])} %{{customdata}}"
                "<extra></extra>"
            ),
        )
    )
    return figure_json(
        figure,
        max(220, 60 + 26 * len(halls)),
        yaxis={"autorange": "reversed"},
        xaxis={"title": labels["hour"]},
    )


def opening_profiles(rows: list[dict[str, Any]], labels: Labels) -> dict[str, Any]:
    """Mean visits per hall and hour, one line per district type and day type."""
    import plotly.graph_objects as go

    figure = go.Figure()
    hours = [f"{h:02d}:00" for h in range(24)]
    for i, row in enumerate(rows):
        figure.add_scatter(
            x=hours,
            y=row["profile"],
            name=row["label"],
            mode="lines",
            line={
                "color": PALETTE[(i // 2) % len(PALETTE)],
                "dash": "solid" if row["day_type"] == "workday" else "dot",
            },
        )
    return figure_json(
        figure,
        300,
        hovermode=HOVER,
        yaxis={"title": labels["visits_per_hour"], "rangemode": "tozero"},
    )


def billing_load(payload: dict[str, Any], labels: Labels) -> dict[str, Any]:
    """Daily contact load (visits + calls) over the month, today's bill days and the plan's,
    each peak marked."""
    import plotly.graph_objects as go

    figure = go.Figure()
    for key, name, colour in (
        ("before", labels["before"], ALERT_COLOUR),
        ("after", labels["after"], AGENTS_COLOUR),
    ):
        load = payload[key]["load"]
        days = list(range(1, len(load) + 1))
        figure.add_scatter(
            x=days, y=load, name=name, mode="lines+markers",
            line={"color": colour, "width": 2}, marker={"size": 5},
        )  # fmt: skip
        peak = max(range(len(load)), key=load.__getitem__) if load else 0
        if load:
            figure.add_scatter(
                x=[peak + 1],
                y=[load[peak]],
                name=f"{name} · {labels['peak']}",
                mode="markers+text",
                text=[f"{labels['peak']} {load[peak]:,.0f}"],
                textposition="top center",
                marker={"color": colour, "size": 13, "symbol": "diamond"},
                showlegend=False,
            )
    for day in payload.get("bill_days", []):
        figure.add_vline(x=day, line={"color": LIGHT, "dash": "dot", "width": 1})
    return figure_json(
        figure,
        340,
        hovermode=HOVER,
        xaxis={"title": labels["day"], "dtick": 1},
        yaxis={"title": labels["load"], "rangemode": "tozero"},
    )


def compare_agents(plans: list[dict[str, Any]], labels: Labels) -> dict[str, Any]:
    """Agents on the phones per interval, one line per hotline plan, by hours from the start
    of each plan's period (plans of different weeks overlay)."""
    import plotly.graph_objects as go

    figure = go.Figure()
    longest = 0
    everyone: list[float] = []
    for i, entry in enumerate(plans):
        payload = entry["payload"]
        step = payload["interval_minutes"] / 60
        agents = payload["intervals"]["agents"]
        everyone.extend(agents)
        longest = max(longest, payload["days"])
        figure.add_scatter(
            x=[round(k * step, 4) for k in range(len(agents))],
            y=agents,
            text=payload["intervals"]["start"],
            name=entry["name"],
            mode="lines",
            line={"color": PALETTE[i % len(PALETTE)], "width": 1.8, "shape": "hv"},
            hovertemplate="%{text}: %{y}<extra>%{fullData.name}</extra>",
        )
    axis = {
        "tickvals": [24 * d + 12 for d in range(longest)],
        "ticktext": [labels["day_n"].format(n=d + 1) for d in range(longest)],
        "range": [0, 24 * longest],
        "showgrid": False,
    }
    return figure_json(
        figure,
        340,
        hovermode="closest",
        xaxis=axis,
        yaxis=count_axis(labels["agents_axis"], everyone),
    )
