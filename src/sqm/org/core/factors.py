"""The 19 customer-perception factors in three groups (三大类19个客户感知要素, from the
quality system course 2013).

Requirement R3.1 lists 18 by name; the quality system course 2013 has the nineteenth,
publicity (宣传), in the business group.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class FactorGroup(StrEnum):
    NETWORK = "network"
    BUSINESS = "business"
    SERVICE = "service"


@dataclass(frozen=True, slots=True)
class Factor:
    code: str
    group: FactorGroup
    name_zh: str
    name_en: str
    department: str  # the accountable department (认责)


FACTORS: tuple[Factor, ...] = (
    Factor("coverage", FactorGroup.NETWORK, "网络覆盖/信号强度", "Coverage and signal", "network"),
    Factor("voice_quality", FactorGroup.NETWORK, "语音通话质量", "Voice quality", "network"),
    Factor("mobile_internet", FactorGroup.NETWORK, "手机上网质量", "Mobile internet", "network"),
    Factor("tariff_plans", FactorGroup.BUSINESS, "资费套餐", "Tariff plans", "market"),
    Factor("price_level", FactorGroup.BUSINESS, "价格水平", "Price level", "market"),
    Factor("promotions", FactorGroup.BUSINESS, "促销活动", "Promotions", "market"),
    Factor("new_services", FactorGroup.BUSINESS, "新业务", "New services", "data"),
    Factor("publicity", FactorGroup.BUSINESS, "宣传", "Publicity", "market"),
    Factor("handsets", FactorGroup.BUSINESS, "定制终端", "Handsets", "market"),
    Factor("bills", FactorGroup.SERVICE, "账单服务", "Bills", "finance"),
    Factor("business_handling", FactorGroup.SERVICE, "业务办理", "Business handling", "csc"),
    Factor("reminders", FactorGroup.SERVICE, "提醒服务", "Reminders", "it"),
    Factor("service_staff", FactorGroup.SERVICE, "服务人员", "Service staff", "csc"),
    Factor("info_security", FactorGroup.SERVICE, "信息安全", "Information security", "it"),
    Factor("hotline", FactorGroup.SERVICE, "热线服务", "Hotline", "csc"),
    Factor("business_hall", FactorGroup.SERVICE, "营业厅服务", "Business hall", "market"),
    Factor("e_channels", FactorGroup.SERVICE, "电子渠道服务", "E-channels", "internet"),
    Factor("recharge", FactorGroup.SERVICE, "充值缴费服务", "Recharge and payment", "finance"),
    Factor(
        "consultation",
        FactorGroup.SERVICE,
        "咨询投诉服务",
        "Consultation and complaints",
        "quality",
    ),
)

FACTOR_CODES: frozenset[str] = frozenset(f.code for f in FACTORS)
