"""Plan kinds are one list: the model, the forms and the pages read it; nothing spells a kind."""

from __future__ import annotations

import re
from pathlib import Path

from django.utils import translation

from sqm.planning.choices import PlanKind, PlanKindChoices
from sqm.planning.models import Plan
from sqm.planning.web.forms import PLAN_FORMS

TEMPLATES = Path(__file__).parents[2] / "src" / "sqm" / "planning" / "templates"


def test_the_model_and_the_forms_read_the_one_list_of_kinds() -> None:
    assert Plan._meta.get_field("kind").choices == PlanKindChoices.choices
    assert PlanKindChoices.values == tuple(k.value for k in PlanKind)
    assert all(PlanKind(kind) is form.kind for kind, form in PLAN_FORMS.items())
    with translation.override("zh-hans"):
        assert PlanKindChoices.label(PlanKind.HALLS) == "营业厅人力与营业时间"
        assert [str(f.title) for f in PLAN_FORMS.values()] == [
            "新建热线人力方案",
            "新建营业厅方案",
            "新建分期出账方案",
        ]


def test_no_planning_template_compares_a_kind_with_a_spelled_out_string() -> None:
    kinds = "|".join(k.value for k in PlanKind)
    spelled = re.compile(rf"kind\s*[!=]=\s*[\"'](?:{kinds})[\"']")
    found = [p.name for p in TEMPLATES.rglob("*.html") if spelled.search(p.read_text())]
    assert found == []
