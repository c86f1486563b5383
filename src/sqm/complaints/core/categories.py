"""What a complaint is about, how it arrived, how bad it is, and how long we may take.

Categories are sub-categories of the 19 customer-perception factors (sqm.org.core.factors), so
every complaint counts against exactly one factor and its accountable department (认责) in the
indicator engine. Codes are ``"<factor>.<sub>"`` and never change once issued: stored work
orders and exported events refer to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqm.org.core.factors import FACTORS, FactorGroup


class IntakeChannel(StrEnum):
    """Where the complaint came in; the codes are org Channel codes (org/core/province.py)."""

    HOTLINE = "hotline"
    HALL = "hall"
    WEB = "web"
    APP = "app"
    SMS = "sms"
    LETTER = "letter"
    REGULATOR = "regulator"  # transferred by the provincial authority or MIIT (管局/工信部转办)
    MANAGER = "manager"


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


@dataclass(frozen=True, slots=True)
class Category:
    code: str
    factor: str
    name_zh: str
    name_en: str
    department: str  # who usually does the work; the factor's department unless noted


_FACTOR_BY_CODE = {f.code: f for f in FACTORS}


def _c(code: str, name_zh: str, name_en: str, department: str | None = None) -> Category:
    factor = _FACTOR_BY_CODE[code.split(".", 1)[0]]
    return Category(code, factor.code, name_zh, name_en, department or factor.department)


CATEGORIES: tuple[Category, ...] = (
    _c("coverage.no_signal", "无信号", "No signal"),
    _c("coverage.weak_signal", "信号弱", "Weak signal"),
    _c("coverage.indoor", "室内覆盖差", "Poor indoor coverage"),
    _c("voice_quality.call_drop", "通话掉线", "Dropped calls"),
    _c("voice_quality.noise", "通话杂音/断续", "Noise or choppy voice"),
    _c("voice_quality.call_failure", "无法接通", "Calls fail to connect"),
    _c("mobile_internet.slow", "网速慢", "Slow data"),
    _c("mobile_internet.no_data", "无法上网", "No data connection"),
    _c("mobile_internet.unstable", "上网不稳定", "Unstable data"),
    _c("tariff_plans.unclear_terms", "套餐内容不清", "Unclear plan terms"),
    _c("tariff_plans.change_refused", "套餐变更受限", "Plan change refused"),
    _c("price_level.too_expensive", "资费偏高", "Prices too high"),
    _c("price_level.roaming", "漫游资费", "Roaming charges"),
    _c("promotions.not_honoured", "优惠未兑现", "Promotion not honoured"),
    _c("promotions.misleading_terms", "活动规则不清", "Misleading promotion terms"),
    _c("new_services.activation_failure", "新业务开通失败", "New service activation failed"),
    _c("new_services.malfunction", "新业务使用故障", "New service malfunction"),
    _c("publicity.misleading_ad", "虚假/误导宣传", "Misleading advertising"),
    _c("publicity.marketing_harassment", "营销骚扰", "Marketing harassment"),
    _c("handsets.defect", "终端质量问题", "Handset defect"),
    _c("handsets.contract_terms", "合约机条款争议", "Handset contract dispute"),
    _c("bills.overcharge", "收费误差", "Billing error (overcharge)"),
    _c("bills.vas_dispute", "增值业务扣费争议", "Value-added-service charge dispute", "data"),
    _c("bills.unclear_bill", "账单不清", "Unclear bill"),
    _c("business_handling.error", "业务办理差错", "Processing error"),
    _c("business_handling.delay", "业务办理超时", "Processing delay"),
    _c("business_handling.unauthorised", "未经同意办理业务", "Unauthorised order"),
    _c("reminders.missing", "提醒缺失", "Missing reminder"),
    _c("reminders.inaccurate", "提醒不准确", "Inaccurate reminder"),
    _c("service_staff.attitude", "服务态度", "Staff attitude"),
    _c("service_staff.competence", "业务不熟练", "Staff competence"),
    _c("info_security.leak", "个人信息泄露", "Personal data leak"),
    _c("info_security.fraud", "冒名办理/诈骗", "Identity misuse or fraud"),
    _c("hotline.hard_to_reach", "热线难接通", "Hotline hard to reach"),
    _c("hotline.unresolved", "热线答复未解决", "Hotline did not resolve"),
    _c("business_hall.long_wait", "营业厅排队时间长", "Long wait in hall"),
    _c("business_hall.facilities", "营业厅环境设施", "Hall facilities"),
    _c("e_channels.outage", "电子渠道系统故障", "E-channel outage"),
    _c("e_channels.transaction_failure", "电子渠道办理失败", "E-channel transaction failed"),
    _c("recharge.not_credited", "充值未到账", "Top-up not credited"),
    _c("recharge.payment_failure", "缴费失败", "Payment failed"),
    _c("consultation.no_reply", "投诉未回复", "Complaint not answered"),
    _c("consultation.repeat_unresolved", "重复投诉未解决", "Repeated complaint unresolved"),
)

BILLING_ERROR = "bills.overcharge"  # 收费误差: double refund (money.py)
VAS_DISPUTE = "bills.vas_dispute"  # 增值业务扣费争议: refund first, verify later (money.py)

_BY_CODE: dict[str, Category] = {c.code: c for c in CATEGORIES}
CATEGORY_CODES: frozenset[str] = frozenset(_BY_CODE)

# The customer is promised an answer within 48 hours, nights and weekends included
# (quality system course 2013): a continuous clock, not working time.
FIRST_REPLY_SECONDS = 48 * 3600

HOUR = 3600

# Resolution budgets in WORKING hours (a working day is 9 h, 08:30-17:30).
#
#               critical  high  medium  low
#   business/      8       16     40     80     ~1 day / 2 days / 1 week / 2 weeks
#   service
#   network       16       32     64     88
#
# Why: a critical complaint (a whole service down for the customer, money taken wrongly, a
# data leak) must be settled the same working day; high within two days; medium inside a
# working week; low inside two. Network complaints need a drive test or a site visit and often
# a parameter change that waits for the next optimisation window, so they get roughly double
# the time at the top of the scale. Every budget stays within ten working days (88 h is 9.8
# days), about two calendar weeks, because after 15 days the customer may take the complaint
# to the regulator (电信用户申诉处理办法 第十条, see escalation.py): a budget that is met never
# leaves a customer both waiting and entitled to appeal.
BUDGET_HOURS: dict[FactorGroup, dict[Severity, int]] = {
    FactorGroup.BUSINESS: {
        Severity.CRITICAL: 8,
        Severity.HIGH: 16,
        Severity.MEDIUM: 40,
        Severity.LOW: 80,
    },
    FactorGroup.SERVICE: {
        Severity.CRITICAL: 8,
        Severity.HIGH: 16,
        Severity.MEDIUM: 40,
        Severity.LOW: 80,
    },
    FactorGroup.NETWORK: {
        Severity.CRITICAL: 16,
        Severity.HIGH: 32,
        Severity.MEDIUM: 64,
        Severity.LOW: 88,
    },
}

# Categories that deserve less time than their group whatever the severity says: a leak of
# personal data keeps hurting while it is open, and a customer charged twice in error is owed
# money now (the double refund itself is checked in money.py).
BUDGET_CAP_HOURS: dict[str, int] = {
    "info_security.leak": 8,
    "info_security.fraud": 8,
    BILLING_ERROR: 40,
    VAS_DISPUTE: 16,  # refund first: the refund needs no investigation
}

_GROUP_OF_FACTOR: dict[str, FactorGroup] = {f.code: f.group for f in FACTORS}


class UnknownCategory(KeyError):
    """A category code that is not in CATEGORIES."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(code)

    def __str__(self) -> str:
        # KeyError's own str() would quote the repr of the code; say what to do instead.
        return (
            f"未知的投诉类别「{self.code}」，类别代码形如 factor.sub，例如 {BILLING_ERROR}。"
            f"(unknown complaint category {self.code!r}; codes look like {BILLING_ERROR!r}.)"
        )


def category(code: str) -> Category:
    try:
        return _BY_CODE[code]
    except KeyError:
        raise UnknownCategory(code) from None


def categories_of(factor: str) -> tuple[Category, ...]:
    """The sub-categories of one factor, in catalogue order (for cascading selects)."""
    return tuple(c for c in CATEGORIES if c.factor == factor)


def resolution_budget_hours(category_code: str, severity: Severity) -> int:
    cat = category(category_code)
    hours = BUDGET_HOURS[_GROUP_OF_FACTOR[cat.factor]][Severity(severity)]
    return min(hours, BUDGET_CAP_HOURS.get(cat.code, hours))


def resolution_budget_seconds(category_code: str, severity: Severity) -> int:
    """Working seconds allowed to resolve; add them on the branch's WorkingCalendar."""
    return resolution_budget_hours(category_code, severity) * HOUR
