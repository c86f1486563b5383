"""The forms of the tracing pages; each one cleans what a service call takes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sqm.lib.forms import ANY, choice_field
from sqm.lib.language import localized_name
from sqm.org.models import Department
from sqm.tracing.choices import (
    RootCauseChoices,
    SignalKindChoices,
    SignalStatusChoices,
    StageChoices,
)
from sqm.tracing.models import CaseMeasure
from sqm.tracing.web.presentation import factor_choices


def _departments() -> list[tuple[str, str]]:
    return [(d.code, localized_name(d)) for d in Department.objects.filter(active=True)]


class SignalFilter(forms.Form):
    month = forms.CharField(label=_("月份"), required=False)
    kind = forms.ChoiceField(label=_("类型"), required=False)
    branch = forms.ChoiceField(label=_("分公司"), required=False)
    category = forms.ChoiceField(label=_("感知要素"), required=False)
    status = forms.ChoiceField(label=_("状态"), required=False)

    def __init__(self, *args: Any, months: list[str], branches: dict[str, str], **kw: Any):
        super().__init__(*args, **kw)
        self.fields["month"] = forms.ChoiceField(
            label=_("月份"), required=False, choices=ANY + [(m, m) for m in months]
        )
        choice_field(self, "kind").choices = ANY + SignalKindChoices.choices
        choice_field(self, "branch").choices = ANY + sorted(branches.items())
        choice_field(self, "category").choices = ANY + factor_choices()
        choice_field(self, "status").choices = ANY + SignalStatusChoices.choices


class CaseFilter(forms.Form):
    stage = forms.ChoiceField(label=_("阶段"), required=False, choices=ANY + StageChoices.choices)
    q = forms.CharField(label=_("单号/标题"), required=False)


class DismissForm(forms.Form):
    reason = forms.CharField(label=_("排除原因"), max_length=500)


class OpenCaseForm(forms.Form):
    signals = forms.CharField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=_("标题"), max_length=200, required=False)
    description = forms.CharField(label=_("描述"), required=False, widget=forms.Textarea)
    branches = forms.MultipleChoiceField(label=_("影响分公司"), required=False)
    category = forms.ChoiceField(label=_("感知要素"), required=False)

    def __init__(self, *args: Any, branches: dict[str, str], **kw: Any) -> None:
        super().__init__(*args, **kw)
        choice_field(self, "branches").choices = sorted(branches.items())
        choice_field(self, "category").choices = ANY + factor_choices()

    def signal_ids(self) -> list[int]:
        raw = str(self.cleaned_data.get("signals") or "")
        return [int(part) for part in raw.split(",") if part.strip().isdigit()]


class CaseForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    description = forms.CharField(label=_("描述"), required=False, widget=forms.Textarea)
    affected_service = forms.CharField(label=_("影响业务"), max_length=120, required=False)
    affected_product = forms.CharField(label=_("影响产品"), max_length=120, required=False)
    category = forms.ChoiceField(label=_("感知要素"), required=False)
    intervention_date = forms.DateField(
        label=_("整改生效日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        choice_field(self, "category").choices = ANY + factor_choices()


class RootCauseForm(forms.Form):
    root_cause_class = forms.ChoiceField(label=_("根因分类"), choices=RootCauseChoices.choices)
    root_cause_text = forms.CharField(label=_("根因说明"), widget=forms.Textarea)
    lead_department = forms.ChoiceField(label=_("牵头部门"), required=False)
    team = forms.MultipleChoiceField(label=_("协同部门"), required=False)

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        departments = _departments()
        choice_field(self, "lead_department").choices = [("", "—"), *departments]
        choice_field(self, "team").choices = departments


class MeasureForm(forms.Form):
    title = forms.CharField(label=_("整改措施"), max_length=200)
    owner_department = forms.ChoiceField(label=_("责任部门"), required=False)
    deadline = forms.DateField(
        label=_("完成时限"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        choice_field(self, "owner_department").choices = [("", "—"), *_departments()]


class MeasureStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=CaseMeasure.Status.choices)


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("阶段"), choices=StageChoices.choices)
    note = forms.CharField(label=_("说明"), required=False, max_length=1000)


class ComplaintsForm(forms.Form):
    ids = forms.CharField(label=_("投诉编号"), max_length=4000)

    def id_list(self) -> list[str]:
        raw = str(self.cleaned_data["ids"]).replace("，", ",").replace("\n", ",").replace(" ", ",")
        return [part.strip() for part in raw.split(",") if part.strip()]
