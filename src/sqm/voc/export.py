"""The satisfaction report as Excel sheets, one per view (written by sqm.lib.excel)."""

from __future__ import annotations

from typing import Any

from sqm.lib.excel import Sheet


def sheets(report: dict[str, Any]) -> list[Sheet]:
    index = report["index"]
    competitors = report["competitors"]
    operators = competitors["operators"]
    return [
        Sheet(
            "index",
            ["month", "respondents", "pls_index", "overall_score"],
            [
                [m["month"], m["respondents"], m.get("index"), m["overall_score"]]
                for m in index["months"]
            ],
        ),
        Sheet(
            "drivers",
            ["rank", "factor", "name_zh", "importance", "performance", "quadrant", "priority"],
            [
                [
                    f["rank"],
                    f["factor"],
                    f["name_zh"],
                    f["importance"],
                    f["performance"],
                    f["quadrant"],
                    f["priority"],
                ]
                for f in report["drivers"]["factors"]
            ],
        ),
        Sheet(
            "gaps",
            ["factor", "expectation", "perception", "gap", "performance", "answers"],
            [
                [
                    g["factor"],
                    g["expectation"],
                    g["perception"],
                    g["gap"],
                    g["performance"],
                    g["answers"],
                ]
                for g in report["gaps"]
            ],
        ),
        Sheet(
            "competitors",
            ["factor", *operators, "leader", "gap_to_leader"],
            [
                [
                    r["factor"],
                    *[r["scores"].get(o) for o in operators],
                    r["leader"],
                    r["gap_to_leader"],
                ]
                for r in competitors["factors"]
            ],
        ),
        Sheet(
            "trend",
            ["period", "ours", "leader", "leader_score", "gap", "target_gap", "met"],
            [
                [
                    t["period"],
                    t["ours"],
                    t["leader"],
                    t["leader_score"],
                    t["gap"],
                    competitors["target_gap"],
                    t["met"],
                ]
                for t in competitors["trend"]
            ],
        ),
        Sheet(
            "provider_gaps",
            ["gap", "indicator", "name_zh", "value", "target", "status"],
            [
                [g["code"], i["indicator"], i["name_zh"], i["value"], i["target"], i["status"]]
                for g in report["provider_gaps"]
                for i in g["indicators"]
            ],
        ),
    ]
