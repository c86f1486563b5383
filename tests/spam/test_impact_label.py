"""Why a suspension would hurt most is said in words, never as the workflow's code."""

from __future__ import annotations

from django.utils import translation

from sqm.spam.choices import impact_label
from sqm.spam.core.workflow import impact_reason


def test_the_impact_of_a_suspension_reads_as_words_in_either_language() -> None:
    port = impact_reason("10690000123", None)
    vip = impact_reason("13900000000", "diamond")
    with translation.override("zh-hans"):
        assert (impact_label(port), impact_label(vip)) == ("企业端口号码", "钻石卡客户")
    with translation.override("en"):
        assert (impact_label(port), impact_label(vip)) == (
            "Enterprise port number",
            "Diamond customer",
        )
    assert impact_label("") == ""
