"""One chart theme and one way to hand a Plotly figure to a page.

Every chart of the product is built with ``plotly.graph_objects`` by its app, then passed
through :func:`figure_json`, which applies the house theme (fonts with CJK glyphs, the house
colours, margins that grow to fit tick labels and axis titles, the legend above the plot where it
never collides with them) and escapes text. The page draws the JSON with
``web/static/web/charts.js``, which also picks Plotly's locale from the page's language.

Plotly renders names, titles, tick labels, hover text and point text as its own little HTML
(``<a href>``, ``<b>``, ``<br>`` …), so a plan or branch named ``<a href=…>x</a>`` would become a
link. Every string of a figure is therefore escaped here, once; only the ``*template`` attributes
are markup, and they are the code's own: user text must never be pasted into a template string
(put it in ``text`` or ``customdata`` and refer to it with ``%{text}``).
"""

from __future__ import annotations

import json
from typing import Any

# The house colours; HOUSE is --brand in web/static/web/sqm.css.
HOUSE = "#0b5cad"
ALERT = "#b42318"
GOOD = "#1d6b3a"
AMBER = "#b7791f"
GREY = "#8a94a6"
INK = "#1c2733"
LIGHT = "#cfd7e2"
GRID = "#e3e8ef"
SOFT_BLUE = "#8fb3dc"
HOUSE_FILL = "rgba(11, 92, 173, 0.15)"
# Series without a meaning of their own: the house colour first, then well-separated hues.
PALETTE = (HOUSE, ALERT, GOOD, AMBER, "#6b3fa0", "#0f766e")
# Series drawn beside a house-coloured reference line (a branch beside the province).
SERIES = ("#e08a00", "#2e7d32", "#6a1b9a", "#00838f", "#5d4037")
# The stylesheet's --font: system fonts that carry CJK glyphs, no web fonts (no internet).
FONT = (
    '-apple-system, BlinkMacSystemFont, "Segoe UI", "PingFang SC", "Hiragino Sans GB", '
    '"Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", '
    '"Helvetica Neue", Arial, sans-serif'
)
# Dates as numbers (12-01), never Plotly's month names, in either language.
DATE_AXIS = {"type": "date", "tickformat": "%m-%d", "hoverformat": "%m-%d %H:%M"}
DAY_AXIS = {"type": "date", "tickformat": "%m-%d", "hoverformat": "%Y-%m-%d", "dtick": 86_400_000}


def count_axis(title: str, values: Any) -> dict[str, Any]:
    """A y axis of whole things (agents, counters, calls): ticks on whole numbers only, never
    35.9 agents. The step is 1, 2 or 5 times a power of ten, about six ticks up to the peak."""
    peak = max((float(v) for v in values if v is not None), default=0.0)
    step = 1
    while peak / step > 6:
        for factor in (2, 5 / 2, 2):
            step = round(step * factor)
            if peak / step <= 6:
                break
    return {"title": title, "rangemode": "tozero", "tick0": 0, "dtick": step, "tickformat": ",d"}


# Attributes whose value is a format the code wrote, not text to show as is.
_MARKUP_SUFFIX = "template"
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def escape(text: str) -> str:
    """``<a href=…>`` → ``&lt;a href=…&gt;``: Plotly shows the entities as the characters."""
    return text.translate(_ESCAPES)


def theme(height: int) -> dict[str, Any]:
    """The layout every chart starts from; a chart adds its axes and modes on top."""
    return {
        "height": height,
        "font": {"family": FONT, "size": 12, "color": INK},
        "colorway": list(PALETTE),
        "plot_bgcolor": "#ffffff",
        "paper_bgcolor": "#ffffff",
        # Small fixed margins; automargin on every axis grows them to fit labels and titles.
        "margin": {"l": 16, "r": 16, "t": 36, "b": 16, "pad": 4},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0},
        "hoverlabel": {"font": {"family": FONT}},
        "xaxis": {"automargin": True},
        "yaxis": {"automargin": True},
    }


def _merged(base: dict[str, Any], more: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in more.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merged(merged[key], value)
        else:
            merged[key] = value
    return merged


def layout(height: int, **more: Any) -> dict[str, Any]:
    """The theme with a chart's own settings merged in (nested dicts key by key); every axis
    the chart names (``yaxis2`` …) fits its labels too."""
    merged = _merged(theme(height), more)
    for key, value in merged.items():
        if key.startswith(("xaxis", "yaxis")) and isinstance(value, dict):
            value.setdefault("automargin", True)
    return merged


def _escaped(value: Any, key: str = "") -> Any:
    if isinstance(value, str):
        return value if key.endswith(_MARKUP_SUFFIX) else escape(value)
    if isinstance(value, list):
        return [_escaped(v, key) for v in value]
    if isinstance(value, dict):
        return {k: _escaped(v, k) for k, v in value.items()}
    return value


def figure_json(figure: Any, height: int, **more: Any) -> dict[str, Any]:
    """The figure with the house theme, as plain JSON data, every text escaped."""
    figure.update_layout(layout(height, **more))
    data = json.loads(figure.to_json())
    # Plotly's default template is code-owned styling, and the largest part of the JSON.
    template = data.get("layout", {}).pop("template", None)
    result: dict[str, Any] = _escaped(data)
    if template is not None:
        result["layout"]["template"] = template
    return result
