"""The improvement pages' forms: filters, a new item (or a decision's item), evidence, steps,
meetings and agenda topics."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from sqm.improvement.choices import StandingChoices, StatusChoices
from sqm.improvement.meetings import attendee_label
from sqm.lib.forms import ANY, choice_field, model_choice_field
from sqm.org.models import Branch, Department


def _departments() -> list[tuple[str, str]]:
    return [(d.code, d.name_zh) for d in Department.objects.filter(active=True).order_by("code")]


def _branches() -> list[tuple[str, str]]:
    return [(b.code, b.name_zh) for b in Branch.objects.order_by("rank", "code")]


class ActionFilter(forms.Form):
    department = forms.ChoiceField(label=_("责任部门"), required=False)
    branch = forms.ChoiceField(label=_("分公司"), required=False)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=ANY + StatusChoices.choices)
    standing = forms.ChoiceField(
        label=_("时限"), required=False, choices=ANY + StandingChoices.choices
    )
    q = forms.CharField(label=_("关键字"), required=False, max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "department").choices = ANY + _departments()
        choice_field(self, "branch").choices = ANY + _branches()


class ActionForm(forms.Form):
    """A new action item: by hand, or as the item a meeting's decision creates."""

    title = forms.CharField(label=_("督办事项"), max_length=200)
    owner_department = forms.ChoiceField(label=_("责任部门"))
    owner = forms.ModelChoiceField(
        label=_("责任人"), required=False, queryset=get_user_model().objects.none()
    )
    deadline = forms.DateField(label=_("完成时限"), widget=forms.DateInput(attrs={"type": "date"}))
    expected_result = forms.CharField(
        label=_("预期结果"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    branch = forms.ChoiceField(label=_("分公司"), required=False)
    indicator = forms.CharField(label=_("绑定指标"), required=False, max_length=64)
    target = forms.FloatField(label=_("目标值"), required=False)
    case_number = forms.CharField(label=_("关联溯源单"), required=False, max_length=20)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "owner_department").choices = _departments()
        choice_field(self, "branch").choices = [("", _("全省")), *_branches()]
        model_choice_field(self, "owner").queryset = (
            get_user_model()
            .objects.filter(is_active=True, sqm_profile__isnull=False)
            .order_by("username")
        )


class DecisionForm(ActionForm):
    text = forms.CharField(label=_("决议内容"), widget=forms.Textarea(attrs={"rows": 2}))
    agenda_item = forms.IntegerField(required=False, widget=forms.HiddenInput)

    field_order = ["text", "title", "owner_department", "owner", "deadline", "expected_result"]


class EvidenceForm(forms.Form):
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )
    url = forms.CharField(label=_("链接"), required=False, max_length=1000)
    file = forms.FileField(label=_("文件"), required=False)


class StepForm(forms.Form):
    step = forms.ChoiceField(
        choices=[
            ("start", "start"),
            ("complete", "complete"),
            ("verify", "verify"),
            ("reopen", "reopen"),
        ]
    )
    version = forms.IntegerField(min_value=1)
    reason = forms.CharField(required=False, max_length=2000)
    override_reason = forms.CharField(required=False, max_length=2000)


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("评论"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class MeetingForm(forms.Form):
    day = forms.DateField(label=_("会议日期"), widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=_("会议名称"), required=False, max_length=160)
    chair_name = forms.CharField(label=_("主持人"), required=False, max_length=64)
    departments = forms.MultipleChoiceField(label=_("参会部门"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "departments").choices = _departments()


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("会议纪要"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    chair_name = forms.CharField(label=_("主持人"), required=False, max_length=64)
    held = forms.BooleanField(label=_("已召开"), required=False)


class _People(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return attendee_label(obj)


class AttendanceForm(forms.Form):
    """Who attends: the departments and, among the people ``attendee_choices`` offers for the
    meeting, the persons (set by the view, which knows the secretary and the meeting)."""

    departments = forms.MultipleChoiceField(label=_("参会部门"), required=False)
    attendees = _People(
        label=_("参会人员"),
        required=False,
        queryset=get_user_model().objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args: Any, people: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "departments").choices = _departments()
        if people is not None:
            model_choice_field(self, "attendees").queryset = people


class TopicForm(forms.Form):
    title = forms.CharField(label=_("议题"), max_length=240)


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("项目名称"), max_length=200)
    indicator = forms.CharField(label=_("目标指标"), max_length=64)
    branch = forms.ChoiceField(label=_("分公司"), required=False)
    baseline = forms.FloatField(label=_("基线值"))
    target = forms.FloatField(label=_("目标值"))
    goal_date = forms.DateField(label=_("目标日期"), widget=forms.DateInput(attrs={"type": "date"}))
    department = forms.ChoiceField(label=_("牵头部门"))
    case_number = forms.CharField(label=_("关联溯源单"), required=False, max_length=20)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "department").choices = _departments()
        choice_field(self, "branch").choices = [("", _("全省")), *_branches()]


class TaskForm(forms.Form):
    title = forms.CharField(label=_("任务"), max_length=200)
    deadline = forms.DateField(label=_("完成时限"), widget=forms.DateInput(attrs={"type": "date"}))


class LaunchForm(forms.Form):
    product = forms.CharField(label=_("产品/资费"), max_length=160)
    department = forms.ChoiceField(label=_("负责部门"))
    planned_on = forms.DateField(
        label=_("计划上线日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    description = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "department").choices = _departments()
