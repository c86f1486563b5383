"""One chart theme for every figure, and no user text rendered as Plotly's markup."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import pytest

from sqm.lib.charts import FONT, HOUSE, count_axis, escape, figure_json
from tests.conftest import browser_page

LINK = '<a href="https://elsewhere.example/">x</a>'
CHARTS_JS = Path(__file__).resolve().parents[2] / "src/sqm/web/static/web/charts.js"


def _strings(value: Any, key: str = "") -> list[tuple[str, str]]:
    if isinstance(value, str):
        return [(key, value)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v, key)]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strings(v, k)]
    return []


def _figure_with_user_text(name: str) -> go.Figure:
    figure = go.Figure()
    figure.add_scatter(
        x=[name, "南京"],
        y=[1, 2],
        name=name,
        text=[name, name],
        customdata=[name, name],
        hovertemplate="%{text}<br>%{y}<extra>%{fullData.name}</extra>",
    )
    return figure


@pytest.mark.parametrize(
    "peak, step", [(0, 1), (3, 1), (6, 1), (7, 2), (13, 5), (35.9, 10), (61, 20), (4800, 1000)]
)
def test_an_axis_of_agents_ticks_on_whole_numbers_only(peak: float, step: int) -> None:
    axis = count_axis("座席", [0.4, peak, None])
    assert axis["dtick"] == step and isinstance(axis["dtick"], int)
    assert axis["tick0"] == 0 and axis["tickformat"] == ",d" and axis["title"] == "座席"
    assert peak / step <= 6


def test_user_text_is_escaped_in_names_points_hover_data_and_axis_labels() -> None:
    figure = figure_json(
        _figure_with_user_text(LINK),
        300,
        title={"text": LINK},
        xaxis={"title": LINK, "ticktext": [LINK], "tickvals": [0]},
    )
    shown = [text for key, text in _strings(figure) if not key.endswith("template")]
    assert not [text for text in shown if "<a" in text]
    trace = figure["data"][0]
    assert trace["name"] == '&lt;a href="https://elsewhere.example/"&gt;x&lt;/a&gt;'
    assert trace["text"] == [escape(LINK)] * 2 and trace["customdata"] == [escape(LINK)] * 2
    assert trace["x"] == [escape(LINK), "南京"]
    assert figure["layout"]["title"]["text"] == escape(LINK)
    assert figure["layout"]["xaxis"]["ticktext"] == [escape(LINK)]


def test_the_code_s_own_hover_templates_keep_their_markup() -> None:
    trace = figure_json(_figure_with_user_text("A&B"), 300)["data"][0]
    assert trace["hovertemplate"] == "%{text}<br>%{y}<extra>%{fullData.name}</extra>"
    assert trace["name"] == "A&amp;B"


def test_every_chart_gets_the_house_theme_and_every_axis_fits_its_labels() -> None:
    figure = go.Figure()
    figure.add_scatter(x=[1, 2], y=[3, 4], line={"color": HOUSE})
    layout = figure_json(
        figure, 280, yaxis={"title": "calls"}, yaxis2={"overlaying": "y", "side": "right"}
    )["layout"]
    assert layout["height"] == 280
    assert layout["font"]["family"] == FONT and "Noto Sans CJK SC" in FONT
    assert layout["colorway"][0] == HOUSE
    assert layout["yaxis"] == {"title": {"text": "calls"}, "automargin": True}
    assert layout["yaxis2"]["automargin"] is True and layout["xaxis"]["automargin"] is True
    # The legend sits above the plot, where it cannot cover the x axis' labels.
    assert layout["legend"]["y"] > 1 and layout["legend"]["yanchor"] == "bottom"


def test_a_chart_s_own_settings_override_the_theme_key_by_key() -> None:
    layout = figure_json(go.Figure(), 300, hovermode="closest", legend={"y": -0.3})["layout"]
    assert layout["hovermode"] == "closest"
    assert layout["legend"]["y"] == -0.3 and layout["legend"]["orientation"] == "h"


@pytest.mark.browser
def test_plotly_draws_a_link_named_legend_entry_as_text_not_as_a_link(
    chromium_path: str,
) -> None:
    from plotly.offline import get_plotlyjs

    figure = figure_json(_figure_with_user_text(LINK), 300, showlegend=True)
    html = (
        '<html lang="zh-hans"><body><div id="chart" data-figure="chart-data"></div>'
        '<script id="chart-data" type="application/json">'
        + _script_safe(figure)
        + "</script><script>"
        + get_plotlyjs()
        + "</script><script>"
        + CHARTS_JS.read_text(encoding="utf-8")
        + "</script></body></html>"
    )
    with browser_page(chromium_path) as page:
        page.set_content(html)
        page.wait_for_selector("#chart .legendtext")
        assert page.locator("#chart a").count() == 0
        assert page.locator("#chart .legendtext").first.text_content() == LINK
        assert page.evaluate("document.getElementById('chart')._context.locale") == "zh-CN"


def _script_safe(figure: dict[str, Any]) -> str:
    import json

    return json.dumps(figure).replace("<", "\\u003c").replace(">", "\\u003e")
