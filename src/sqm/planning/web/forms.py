"""Forms of the planning pages. They read what a planner typed (shares in per cent, the
period as text) and turn it into the arguments of :mod:`sqm.planning.services`; the planning
rules themselves stay in the plain modules, whose ``ValueError`` the views show."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sqm.events.core.store import EventStore
from sqm.lib.forms import choice_field
from sqm.lib.language import localized_name
from sqm.lib.periods import Period
from sqm.org.models import Branch
from sqm.planning.choices import PlanKind
from sqm.planning.core.hall_plan import HallTargets
from sqm.planning.core.hotline import HotlineTargets
from sqm.planning.services import planned_period

MAX_PERIOD_DAYS = 31  # a plan is computed while the planner waits: a month at most
PERIOD_HELP = _(
    "YYYY-MM-DD..YYYY-MM-DD、YYYY-MM、YYYY-MM-DD(一天)或 YYYY-MM-DD/P7D(自该日起一周);"
    "留空:数据之后的一周"
)


def _percent(
    label: Any, initial: float, *, minimum: float = 0.1, maximum: float = 100, required: bool = True
) -> forms.FloatField:
    return forms.FloatField(
        label=label,
        initial=initial,
        min_value=minimum,
        max_value=maximum,
        required=required,
        widget=forms.NumberInput(attrs={"step": "0.1"}),
    )


class PlanForm(forms.Form):
    """A new plan of one kind: a name (default: the kind and its period) and its settings.

    ``store`` is the event store the plan learns from; ``branch`` the branch a branch-bound
    planner plans for (None: a province-wide planner)."""

    kind: PlanKind
    title: Any = ""  # the heading of the form on the index
    branch_scoped = False  # the plan covers only a branch-bound planner's own branch
    name = forms.CharField(label=_("方案名称"), max_length=120, required=False)

    def __init__(
        self, *args: Any, store: EventStore, branch: str | None = None, **kwargs: Any
    ) -> None:
        kwargs["prefix"] = self.kind
        super().__init__(*args, **kwargs)
        self.store = store
        self.fixed_branch = branch

    @property
    def plan_branch(self) -> str | None:
        return None

    def parameters(self) -> dict[str, Any]:
        raise NotImplementedError


class PeriodForm(PlanForm):
    """A plan over days to come, forecast from the store's history of ``source``."""

    source = "calls"
    period = forms.CharField(
        label=_("规划周期"), max_length=40, required=False, help_text=PERIOD_HELP
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.chosen: Period | None = None
        if not self.is_bound:
            days = self.store.days(self.source)
            if days:  # suggest the week after the data, the CLI's default
                self.fields["period"].initial = planned_period(None, self.store, self.source).span

    def clean_period(self) -> str:
        text = (self.cleaned_data.get("period") or "").strip()
        try:
            chosen = planned_period(text or None, self.store, self.source)
        except ValueError:
            if not text:
                raise forms.ValidationError(
                    _("事件库中还没有历史数据:请先导入或生成数据")
                ) from None
            raise forms.ValidationError(
                _("无法识别的周期“%(text)s”:请写 YYYY-MM-DD..YYYY-MM-DD、YYYY-MM 或 YYYY-MM-DD"),
                params={"text": text},
            ) from None
        if chosen.days > MAX_PERIOD_DAYS:
            raise forms.ValidationError(
                _("规划周期最长 %(days)s 天"), params={"days": MAX_PERIOD_DAYS}
            )
        self.chosen = chosen
        return chosen.span


class HotlinePlanForm(PeriodForm):
    kind = PlanKind.HOTLINE
    title = _("新建热线人力方案")
    targets: HotlineTargets
    interval_minutes = forms.TypedChoiceField(
        label=_("时段长度"),
        choices=[(30, _("30 分钟")), (15, _("15 分钟"))],
        coerce=int,
        initial=30,
    )
    vip_target = _percent(_("VIP 服务水平目标(%)"), 85)
    vip_threshold_s = forms.FloatField(label=_("VIP 接通时限(秒)"), initial=15, min_value=1)
    ordinary_target = _percent(_("普通客户服务水平目标(%)"), 80)
    ordinary_threshold_s = forms.FloatField(
        label=_("普通客户接通时限(秒)"), initial=20, min_value=1
    )
    max_abandon = _percent(_("普通客户放弃率上限(%,可空)"), 5, required=False)
    shrinkage = _percent(_("人力折损率(%)"), 30, minimum=0, maximum=95)
    max_occupancy = _percent(_("座席占用率上限(%)"), 90, minimum=10)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        abandon = data.get("max_abandon")
        try:
            self.targets = HotlineTargets(
                vip_target=data["vip_target"] / 100,
                vip_threshold_s=data["vip_threshold_s"],
                ordinary_target=data["ordinary_target"] / 100,
                ordinary_threshold_s=data["ordinary_threshold_s"],
                max_ordinary_abandon=None if abandon is None else abandon / 100,
                shrinkage=data["shrinkage"] / 100,
                max_occupancy=data["max_occupancy"] / 100,
            )
        except ValueError as error:
            raise forms.ValidationError(
                _("目标不合理:%(error)s"), params={"error": error}
            ) from None
        return data

    def parameters(self) -> dict[str, Any]:
        return {
            "period": self.cleaned_data["period"],
            "interval_minutes": self.cleaned_data["interval_minutes"],
        }


class HallsPlanForm(PeriodForm):
    kind = PlanKind.HALLS
    title = _("新建营业厅方案")
    branch_scoped = True  # a branch-bound planner plans only their own halls
    source = "hall_visits"
    targets: HallTargets
    target = _percent(_("10 分钟内办结比例目标(%)"), 90, minimum=1, maximum=99.9)
    collectors = forms.IntegerField(label=_("每厅流动收费员"), initial=2, min_value=0, max_value=20)
    branch = forms.ChoiceField(label=_("分公司"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.fixed_branch is None:
            choices = [(b.code, localized_name(b)) for b in Branch.objects.order_by("code")]
            choice_field(self, "branch").choices = [("", _("全省")), *choices]
        else:  # a branch-bound planner plans their own halls only
            del self.fields["branch"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            self.targets = HallTargets(target=data["target"] / 100, collectors=data["collectors"])
        except ValueError as error:
            raise forms.ValidationError(
                _("目标不合理:%(error)s"), params={"error": error}
            ) from None
        return data

    @property
    def plan_branch(self) -> str | None:
        if self.fixed_branch is not None:
            return self.fixed_branch
        return self.cleaned_data.get("branch") or None

    def parameters(self) -> dict[str, Any]:
        return {
            "period": self.cleaned_data["period"],
            "target": self.targets.target,
            "collectors": self.targets.collectors,
        }


class BillingPlanForm(PlanForm):
    kind = PlanKind.BILLING
    title = _("新建分期出账方案")
    cycles = forms.IntegerField(label=_("出账周期数"), initial=4, min_value=1, max_value=10)
    bill_days = forms.CharField(
        label=_("出账日(可选)"),
        max_length=60,
        required=False,
        help_text=_("逗号分隔,例如 1,8,16,23;留空:均匀分布"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["days"] = None
        text = (data.get("bill_days") or "").replace(",", ",").strip()
        if self.errors or not text:
            return data
        try:
            days = tuple(int(part) for part in text.split(",") if part.strip())
        except ValueError:
            raise forms.ValidationError(_("出账日须为 1–30 的整数,用逗号分隔")) from None
        if len(days) != data["cycles"] or not all(1 <= d <= 30 for d in days):
            raise forms.ValidationError(
                _("每个出账周期一个出账日(1–30):共 %(cycles)s 个"),
                params={"cycles": data["cycles"]},
            )
        data["days"] = days
        return data

    def parameters(self) -> dict[str, Any]:
        days = self.cleaned_data["days"]
        return {"cycles": self.cleaned_data["cycles"], "bill_days": list(days or ())}


class ScheduleForm(forms.Form):
    """A week's roster for a hotline plan."""

    name = forms.CharField(label=_("方案名称"), max_length=120, required=False)
    agents = forms.IntegerField(
        label=_("座席人数(可选)"),
        min_value=1,
        max_value=2000,
        required=False,
        help_text=_("留空:按需求估算"),
    )
    time_limit = forms.IntegerField(label=_("求解时限(秒)"), initial=10, min_value=1, max_value=60)


class SimulationForm(forms.Form):
    runs = forms.IntegerField(label=_("仿真次数"), initial=1, min_value=1, max_value=10)
    seed = forms.IntegerField(label=_("随机种子"), initial=0, min_value=0, max_value=2**31 - 1)


PLAN_FORMS: dict[str, type[PlanForm]] = {
    PlanKind.HOTLINE: HotlinePlanForm,
    PlanKind.HALLS: HallsPlanForm,
    PlanKind.BILLING: BillingPlanForm,
}
