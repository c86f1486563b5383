"""Render docs/indicators.md from the catalog and the semantic models.

Regenerate with ``python -m sqm.indicators.core.docs`` (a test fails when the committed file
differs from a fresh render, so the reference never drifts from the definitions).
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path

import ibis

from sqm.indicators.core.catalog import load_catalog
from sqm.indicators.core.query import build_query, plan_source
from sqm.indicators.core.semantic import SemanticModel
from sqm.indicators.core.semantic_sources import SEMANTIC_MODELS
from sqm.indicators.core.spec import (
    GROUP_LABELS,
    UNIT_LABELS,
    Catalog,
    CountIndicator,
    DifferenceIndicator,
    Indicator,
    MaxIndicator,
    MeanIndicator,
    Measure,
    PercentileIndicator,
    PerCustomersIndicator,
    RatioIndicator,
    Values,
)
from sqm.lib.periods import parse_period
from sqm.org.core.factors import FACTORS
from sqm.org.core.province import PROVINCE

DOCS_PATH = Path(__file__).resolve().parents[4] / "docs" / "indicators.md"
SQL_EXAMPLE_SOURCE = "calls"
SQL_EXAMPLE_PERIOD = "2024-01"
SQL_EXAMPLE_BY = ("branch", "tier")

_FACTOR = {f.code: f for f in FACTORS}
_DEPARTMENT = {d.code: d for d in PROVINCE.departments}
_KIND_LABELS = {
    "ratio": "ratio 比率",
    "mean": "mean 均值",
    "percentile": "percentile 分位数",
    "count": "count 计数",
    "max": "max 最大值",
    "per_customers": "per customers 每客户率",
    "difference": "difference 差值",
}
_DIRECTION_LABELS = {
    "higher": "越高越好 higher is better",
    "lower": "越低越好 lower is better",
    "neutral": "中性(规模量) neutral (a volume)",
}

INTRO = """\
# 服务质量指标参考 · Indicator reference

> Generated from `src/sqm/indicators/catalog.yaml` and the semantic models in
> `src/sqm/indicators/core/semantic_*.py` by `python -m sqm.indicators.core.docs`.
> Do not edit by hand: a test fails when this file differs from a fresh render.

## Conventions 约定

- **Period 期间**: a half-open range `[start, end)` of local wall-clock time: `YYYY-MM-DD`
  (a day), `YYYY-MM` (a month), `YYYY-Qn` (a quarter) or `YYYY` (a year). A row belongs to
  the period by its source's time column.
- **Ratios 比率**: value = numerator × scale ÷ denominator. Percentages carry scale 100
  explicitly. A zero denominator gives **no value** (null) — never 0, never an error; the
  numerator and denominator are still reported.
- **Means 均值**: value = sum ÷ count of the non-null values; the numerator column reports the
  sum and the denominator column the count.
- **Percentiles 分位数**: linear interpolation between the closest ranks (DuckDB
  `quantile_cont`, Spark `percentile`); the denominator column reports how many values.
- **Filters 筛选**: a row counts when every named filter holds. A flag that is null counts as
  false; a comparison with a missing time counts as false (see each filter below).
  "Within N" is inclusive: answered at exactly 15.000 s is within 15 s, 15.001 s is not.
- **Windows 窗口**: figures that need neighbouring rows (the same customer's next call, the
  same customer's previous complaint, the same hall's queue) read beyond the period — up to
  48 h after it for calls, 30 days before it for complaints, 1 day before it for hall queues —
  and then keep the period's rows.
- **Snapshots 快照**: customer figures use the latest customer snapshot on or before the
  period's end.
- **Scope 数据范围**: a user limited to some branches gets figures computed from those
  branches' rows only (the filter is pushed into the scan), windows included.
- **Targets 目标**: each target names its source. A target limited to tiers applies to figures
  cut by tier, on those tiers' rows. Status is `met`, `missed`, or empty when there is no target
  or no value.
- **Cuts 切分**: an indicator lists the dimensions it can be cut by; asked for another, it is
  skipped for that cut and reported as skipped.
"""


def _words_filters_en(model: SemanticModel, names: Iterable[str]) -> str:
    described = [model.filter(n).en for n in names]
    return "rows where " + "; and ".join(described) if described else "all rows"


def _words_filters_zh(model: SemanticModel, names: Iterable[str]) -> str:
    described = [model.filter(n).zh for n in names]
    return "满足「" + "」且「".join(described) + "」的记录" if described else "全部记录"


def measure_in_words(model: SemanticModel, measure: Measure | Values, agg: str) -> str:
    rows_en = _words_filters_en(model, measure.filters)
    rows_zh = _words_filters_zh(model, measure.filters)
    column = f"`{measure.column}`"
    match agg:
        case "count" if measure.column is None:
            return f"count of {rows_en} ({rows_zh}数)"
        case "count":
            return f"count of non-null {column} over {rows_en} ({rows_zh}中 {column} 非空的个数)"
        case "sum":
            return f"sum of {column} over {rows_en} ({rows_zh}的 {column} 之和)"
        case "count_distinct":
            return f"distinct values of {column} over {rows_en} ({rows_zh}中不同 {column} 的个数)"
        case _:
            return f"{agg} of {column} over {rows_en} ({rows_zh}的 {column} {agg})"


def _in_words(model: SemanticModel, measure: Measure) -> str:
    return measure_in_words(model, measure, measure.agg)


def _figures(indicator: Indicator, model: SemanticModel) -> list[str]:
    match indicator:
        case RatioIndicator():
            scale = f" × {indicator.scale:g}" if indicator.scale != 1 else ""
            return [
                f"- Numerator 分子: {_in_words(model, indicator.numerator)}",
                f"- Denominator 分母: {_in_words(model, indicator.denominator)}",
                f"- Value 值: numerator{scale} ÷ denominator",
            ]
        case MeanIndicator():
            return [
                f"- Numerator 分子: {measure_in_words(model, indicator.values, 'sum')}",
                f"- Denominator 分母: {measure_in_words(model, indicator.values, 'count')}",
                "- Value 值: numerator ÷ denominator (the mean)",
            ]
        case PercentileIndicator():
            return [
                f"- Value 值: the {indicator.q:g} quantile of `{indicator.values.column}` over "
                f"{_words_filters_en(model, indicator.values.filters)}",
                f"- Denominator 分母: {measure_in_words(model, indicator.values, 'count')}",
            ]
        case MaxIndicator():
            return [
                f"- Value 值: the largest `{indicator.values.column}` over "
                f"{_words_filters_en(model, indicator.values.filters)}",
                f"- Denominator 分母: {measure_in_words(model, indicator.values, 'count')}",
            ]
        case CountIndicator():
            return [
                f"- Value 值: {measure_in_words(model, indicator.measure, indicator.measure.agg)}"
            ]
        case PerCustomersIndicator():
            return [
                f"- Numerator 分子: {_in_words(model, indicator.numerator)}",
                "- Denominator 分母: active customers (status active) in the latest customer "
                "snapshot on or before the period's end, by the same branch/tier (快照在网客户数)",
                f"- Value 值: numerator × {indicator.per:,} ÷ denominator",
            ]
        case DifferenceIndicator():
            return [
                f"- Minuend 被减数: mean of `{indicator.minuend.column}` over "
                f"{_words_filters_en(model, indicator.minuend.filters)}",
                f"- Subtrahend 减数: mean of `{indicator.subtrahend.column}` over "
                f"{_words_filters_en(model, indicator.subtrahend.filters)}",
                "- Value 值: minuend − subtrahend (numerator and denominator columns stay empty)",
            ]


def _targets(indicator: Indicator) -> str:
    if not indicator.targets:
        return "none 无"
    parts = []
    for target in indicator.targets:
        sign = "≥" if target.bound == "at_least" else "≤"
        tiers = f" for tiers {', '.join(target.tiers)}" if target.tiers else ""
        parts.append(f"{sign} {target.value:g}{tiers} — {target.source}")
    return "; ".join(parts)


def render_indicator(indicator: Indicator) -> list[str]:
    model = SEMANTIC_MODELS[indicator.source]
    unit_zh, unit_en = UNIT_LABELS[indicator.unit]
    department = _DEPARTMENT[indicator.department]
    lines = [
        f"#### `{indicator.id}` — {indicator.name_zh} · {indicator.name_en}",
        "",
        f"{indicator.definition_zh}",
        "",
        f"{indicator.definition_en}",
        "",
        f"- Kind 类型: {_KIND_LABELS[indicator.kind]}; source 数据源: `{indicator.source}` "
        f"({model.grain_en} · {model.grain_zh})",
        *_figures(indicator, model),
        f"- Unit 单位: {unit_en} ({unit_zh}); "
        f"direction 方向: {_DIRECTION_LABELS[indicator.direction]}",
        f"- Target 目标: {_targets(indicator)}",
        f"- Accountable department 认责部门: {department.name_zh} · {department.name_en} "
        f"(`{department.code}`)",
        f"- Dimensions 可切分维度: {', '.join(indicator.dimensions)}",
        "",
    ]
    return lines


def _summary(catalog: Catalog) -> list[str]:
    groups: Counter[str] = Counter(i.group for i in catalog.indicators)
    lines = [
        "## Summary 概览",
        "",
        f"{len(catalog.indicators)} indicators 个指标.",
        "",
        "| group 类别 | indicators 指标数 |",
        "|---|---|",
    ]
    lines += [
        f"| {GROUP_LABELS[g][0]} · {GROUP_LABELS[g][1]} | {groups[g]} |" for g in GROUP_LABELS
    ]
    lines += ["", "| id | 名称 | name | unit | target |", "|---|---|---|---|---|"]
    for i in catalog.indicators:
        target = "; ".join(
            f"{'≥' if t.bound == 'at_least' else '≤'} {t.value:g}" for t in i.targets
        )
        lines.append(
            f"| `{i.id}` | {i.name_zh} | {i.name_en} | {UNIT_LABELS[i.unit][1]} | {target} |"
        )
    return [*lines, ""]


def _by_group_and_factor(catalog: Catalog) -> list[str]:
    lines: list[str] = []
    order = {f.code: n for n, f in enumerate(FACTORS)}
    for group, (zh, en) in GROUP_LABELS.items():
        members = [i for i in catalog.indicators if i.group == group]
        if not members:
            continue
        lines += [f"## {zh} · {en}", ""]
        by_factor: dict[str | None, list[Indicator]] = defaultdict(list)
        for indicator in members:
            by_factor[indicator.factor].append(indicator)
        for factor in sorted(by_factor, key=lambda f: -1 if f is None else order[f]):
            title = (
                "所有要素 · All factors"
                if factor is None
                else f"{_FACTOR[factor].name_zh} · {_FACTOR[factor].name_en} (`{factor}`)"
            )
            lines += [f"### {title}", ""]
            for indicator in by_factor[factor]:
                lines += render_indicator(indicator)
    return lines


def _semantic_models() -> list[str]:
    lines = ["## Semantic models 语义模型", ""]
    for model in SEMANTIC_MODELS.values():
        lines += [
            f"### `{model.name}` — {model.grain_en} · {model.grain_zh}",
            "",
            f"- Time column 时间列: `{model.time_column}`"
            + (
                " (a snapshot: the latest one on or before the period's end)"
                if model.snapshot
                else ""
            ),
            "- Dimensions 维度: "
            + ", ".join(f"{d} → `{c}`" for d, c in model.dimensions.items())
            + ("" if model.snapshot else f", day/week/month → `{model.time_column}`"),
        ]
        if model.base_filter is not None:
            lines.append(
                f"- Always left out 始终剔除: {model.base_filter.en} · {model.base_filter.zh}"
            )
        if model.window is not None:
            window = model.window
            lines.append(
                f"- Window columns 窗口列 (read {_span(window.lookback)} before and "
                f"{_span(window.lookahead)} after the period):"
            )
            lines += [f"  - `{c.name}`: {c.en} · {c.zh}" for c in window.columns]
        if model.derived:
            lines.append("- Derived columns 派生列:")
            lines += [f"  - `{d.doc.name}`: {d.doc.en} · {d.doc.zh}" for d in model.derived]
        if model.filters:
            lines.append("- Filters 筛选:")
            lines += [f"  - `{f.name}`: {f.en} · {f.zh}" for f in model.filters]
        lines.append("")
    return lines


def _span(span: timedelta) -> str:
    hours = span / timedelta(hours=1)
    if hours == 0:
        return "nothing"
    return f"{hours / 24:g} days" if hours >= 72 else f"{hours:g} h"


def example_sql(catalog: Catalog) -> str:
    """The statement DuckDB gets for every calls indicator (an unbound table named calls)."""
    model = SEMANTIC_MODELS[SQL_EXAMPLE_SOURCE]
    table = ibis.table(ibis.Schema.from_pyarrow(model.source.schema), name=SQL_EXAMPLE_SOURCE)
    indicators = [
        i
        for i in catalog.indicators
        if i.source == SQL_EXAMPLE_SOURCE and set(SQL_EXAMPLE_BY) <= set(i.dimensions)
    ]
    plan = plan_source(model, indicators, SQL_EXAMPLE_BY)
    expression = build_query(table, plan, parse_period(SQL_EXAMPLE_PERIOD), None)
    return str(ibis.to_sql(expression, dialect="duckdb")).strip()


def render(catalog: Catalog) -> str:
    sql = example_sql(catalog)
    lines = [
        INTRO,
        *_summary(catalog),
        *_by_group_and_factor(catalog),
        *_semantic_models(),
        "## Appendix: the SQL for `calls` 附录:来电指标的SQL",
        "",
        f"Every `calls` indicator that can be cut by {' and '.join(SQL_EXAMPLE_BY)}, period "
        f"{SQL_EXAMPLE_PERIOD}, compiled by Ibis for DuckDB: one scan, one `GROUP BY`, each "
        "measure a conditional aggregate, each ratio divided by `NULLIF(denominator, 0)`. "
        "In a real run `calls` is the Parquet files of the period's days.",
        "",
        "```sql",
        sql,
        "```",
        "",
    ]
    return "\n".join(lines)


def write(path: Path = DOCS_PATH) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(load_catalog()), encoding="utf-8")
    return path


if __name__ == "__main__":
    print(f"wrote {write(Path(sys.argv[1]) if len(sys.argv) > 1 else DOCS_PATH)}")
