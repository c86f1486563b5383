"""Forms of the complaint pages. They validate what a person typed; the rules (who may, which
step is legal, what a refund must be) stay in the services, whose errors the views show."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sqm.complaints.choices import (
    ChannelChoices,
    LevelChoices,
    RefundKindChoices,
    SeverityChoices,
    WorkOrderStatusChoices,
)
from sqm.complaints.web import presentation
from sqm.lib.forms import ANY, choice_field, model_choice_field
from sqm.lib.language import localized_name
from sqm.org.models import Branch, CustomerTier, Department, Hall
from sqm.org.scoping import scope_of

if TYPE_CHECKING:
    from sqm.lib.people import Requester


PHONE = r"^[0-9+\-\s]{5,20}$"
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SATISFACTION_CHOICES = [
    (5, _("5 非常满意")),
    (4, _("4 满意")),
    (3, _("3 一般")),
    (2, _("2 不满意")),
    (1, _("1 非常不满意")),
]


def _branches(user: Requester) -> Any:
    scope = scope_of(user)
    rows = Branch.objects.all()
    return rows if scope.branches is None else rows.filter(code__in=sorted(scope.branches))


class IntakeForm(forms.Form):
    """A new complaint from any channel, typed in by the employee who takes it (首问负责)."""

    channel = forms.ChoiceField(label=_("受理渠道"), choices=ChannelChoices.choices)
    category = forms.ChoiceField(label=_("投诉类别"))
    severity = forms.ChoiceField(
        label=_("严重程度"), choices=SeverityChoices.choices, initial="medium"
    )
    customer_id = forms.CharField(label=_("客户标识"), max_length=32)
    customer_phone = forms.RegexField(
        label=_("联系电话"), regex=PHONE, max_length=32, required=False
    )
    branch = forms.ModelChoiceField(label=_("分公司"), queryset=Branch.objects.none())
    tier = forms.ModelChoiceField(
        label=_("客户级别"), queryset=CustomerTier.objects.all(), required=False
    )
    hall = forms.ModelChoiceField(label=_("营业厅"), queryset=Hall.objects.none(), required=False)
    bill = forms.CharField(label=_("关联账单"), max_length=64, required=False)
    product = forms.CharField(label=_("关联产品"), max_length=64, required=False)
    number = forms.RegexField(label=_("关联号码"), regex=PHONE, max_length=32, required=False)
    external_id = forms.CharField(label=_("外部单号"), max_length=64, required=False)
    description = forms.CharField(label=_("投诉内容"), widget=forms.Textarea, max_length=4000)

    def __init__(self, *args: Any, user: Requester, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "category").choices = [("", "—"), *presentation.category_groups()]
        branches = _branches(user)
        model_choice_field(self, "branch").queryset = branches
        if branches.count() == 1:
            self.fields["branch"].initial = branches.first()
        model_choice_field(self, "hall").queryset = Hall.objects.filter(branch__in=branches)

    def related(self) -> list[dict[str, str]]:
        rows = []
        for field, (kind, _label) in presentation.RELATED_TYPES.items():
            value = (self.cleaned_data.get(field) or "").strip()
            if value:
                rows.append({"role": field, "type": kind, "id": value})
        return rows

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        hall, branch = data.get("hall"), data.get("branch")
        if hall is not None and branch is not None and hall.branch_id != branch.pk:
            self.add_error("hall", _("营业厅不属于所选分公司"))
        return data


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状态"), choices=ANY + WorkOrderStatusChoices.choices, required=False
    )
    level = forms.ChoiceField(label=_("级别"), choices=ANY + LevelChoices.choices, required=False)
    factor = forms.ChoiceField(label=_("感知要素"), required=False)
    category = forms.ChoiceField(label=_("投诉类别"), required=False)
    channel = forms.ChoiceField(
        label=_("受理渠道"), choices=ANY + ChannelChoices.choices, required=False
    )
    severity = forms.ChoiceField(
        label=_("严重程度"), choices=ANY + SeverityChoices.choices, required=False
    )
    branch = forms.ChoiceField(label=_("分公司"), required=False)
    # The creation day on the local calendar, both ends included: an indicator's month links
    # here as created_from=first day&created_to=last day.
    created_from = forms.DateField(label=_("受理日期自"), required=False, widget=DATE)
    created_to = forms.DateField(label=_("至"), required=False, widget=DATE)
    q = forms.CharField(label=_("搜索"), max_length=64, required=False)

    def __init__(self, *args: Any, user: Requester, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "factor").choices = ANY + presentation.factor_choices()
        choice_field(self, "category").choices = ANY + presentation.category_groups()
        choice_field(self, "branch").choices = ANY + [
            (b.code, localized_name(b)) for b in _branches(user)
        ]
        self.province_wide = scope_of(user).province_wide

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("created_from"), data.get("created_to")
        if start and end and start > end:
            self.add_error("created_to", _("结束日期早于开始日期"))
        return data

    def apply(self, rows: Any) -> Any:
        """The rows narrowed by every filter that is valid; a bad one is shown as an error
        on the page and narrows nothing."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})  # none at all on an unbound form
        for name in ("status", "level", "factor", "category", "channel", "severity"):
            if data.get(name):
                rows = rows.filter(**{name: data[name]})
        if data.get("branch") and self.province_wide:
            rows = rows.filter(branch__code=data["branch"])
        if data.get("created_from"):
            rows = rows.filter(created_at__date__gte=data["created_from"])
        if data.get("created_to"):
            rows = rows.filter(created_at__date__lte=data["created_to"])
        text = (data.get("q") or "").strip()
        if text:
            rows = rows.filter(Q(number__icontains=text) | Q(customer_id__icontains=text))
        return rows


class TransitionForm(forms.Form):
    action = forms.CharField(max_length=24)
    note = forms.CharField(required=False, max_length=2000)
    version = forms.IntegerField(required=False, min_value=1)


class ClosureForm(forms.Form):
    """The return visit: the customer confirmed (with satisfaction) or could not be reached
    (with the documented attempts)."""

    outcome = forms.ChoiceField(
        label=_("回访结果"),
        choices=[("confirmed", _("客户已确认")), ("unreachable", _("多次联系未接通"))],
    )
    satisfaction = forms.TypedChoiceField(
        label=_("满意度"), choices=SATISFACTION_CHOICES, coerce=int, required=False
    )
    note = forms.CharField(label=_("回访记录"), required=False, max_length=2000)
    version = forms.IntegerField(required=False, min_value=1)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == "confirmed" and not data.get("satisfaction"):
            self.add_error("satisfaction", _("请记录客户满意度"))
        if data.get("outcome") == "unreachable" and not (data.get("note") or "").strip():
            self.add_error("note", _("请记录联系尝试(时间、方式、结果)"))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=2000)
    version = forms.IntegerField(required=False, min_value=1)


class TransferForm(forms.Form):
    to_department = forms.ModelChoiceField(
        label=_("转派部门"), queryset=Department.objects.filter(active=True), required=False
    )
    to_user = forms.ModelChoiceField(
        label=_("处理人"), queryset=get_user_model().objects.none(), required=False
    )
    reason = forms.CharField(label=_("转派原因"), max_length=2000)
    version = forms.IntegerField(required=False, min_value=1)

    def __init__(self, *args: Any, users: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "to_user").queryset = get_user_model().objects.filter(
            pk__in=[u.pk for u in users]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("to_department") and not data.get("to_user"):
            raise forms.ValidationError(_("请选择转派的部门或处理人"))
        return data


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("处理人"), queryset=get_user_model().objects.none())
    version = forms.IntegerField(required=False, min_value=1)

    def __init__(self, *args: Any, users: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "assignee").queryset = get_user_model().objects.filter(
            pk__in=[u.pk for u in users]
        )


class RepeatOwnerForm(forms.Form):
    """A repeated problem needs a named owner and a deadline (重复投诉须有责任人和时限)."""

    owner = forms.ModelChoiceField(label=_("责任人"), queryset=get_user_model().objects.none())
    due = forms.DateTimeField(
        label=_("解决时限"), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    version = forms.IntegerField(required=False, min_value=1)

    def __init__(self, *args: Any, users: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "owner").queryset = get_user_model().objects.filter(
            pk__in=[u.pk for u in users]
        )


class BulkAssignForm(AssignForm):
    numbers = forms.MultipleChoiceField(label=_("工单"))

    def __init__(self, *args: Any, users: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, users=users, **kwargs)
        # Which numbers the person may touch is the service's business; here only the shape.
        data = args[0] if args else kwargs.get("data")
        values = data.getlist("numbers") if data is not None else []
        choice_field(self, "numbers").choices = [(n, n) for n in values[:500]]


class NoteForm(forms.Form):
    text = forms.CharField(label=_("备注"), max_length=4000)


class RefundForm(forms.Form):
    kind = forms.ChoiceField(label=_("退费类型"), choices=RefundKindChoices.choices)
    overcharge = forms.DecimalField(
        label=_("多收金额"), min_value=0, max_digits=12, decimal_places=2
    )
    amount = forms.DecimalField(label=_("退费金额"), min_value=0, max_digits=12, decimal_places=2)


class ReverseRefundForm(forms.Form):
    evidence = forms.CharField(label=_("冲正依据"), max_length=2000)


class RevealForm(forms.Form):
    reason = forms.CharField(label=_("查看原因"), max_length=200)
