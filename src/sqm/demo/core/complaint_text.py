"""Complaint categories (the 19 factors), their sub-categories and short Chinese descriptions."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from sqm.demo.core import columns as col
from sqm.org.core.factors import FACTORS

CATEGORY_MIX = {
    "mobile_internet": 0.18, "bills": 0.14, "new_services": 0.14, "coverage": 0.10,
    "business_handling": 0.08, "tariff_plans": 0.06, "promotions": 0.05, "price_level": 0.03,
    "service_staff": 0.04, "hotline": 0.02, "business_hall": 0.02, "recharge": 0.03,
    "reminders": 0.02, "info_security": 0.03, "voice_quality": 0.03, "handsets": 0.01,
    "e_channels": 0.01, "consultation": 0.005, "publicity": 0.005,
}  # fmt: skip
BILLING_ERROR = "收费误差"
VAS_DISPUTE = "增值业务强行定制"
SUBCATEGORIES: dict[str, tuple[str, ...]] = {
    "coverage": ("室内无信号", "信号弱通话断续", "新小区无覆盖"),
    "voice_quality": ("通话杂音", "单通", "掉话"),
    "mobile_internet": ("手机上网不能使用", "网速慢", "上网需后台刷新"),
    "tariff_plans": ("套餐内容不清楚", "套餐变更未生效", "套餐不适合"),
    "price_level": ("资费过高", "漫游费过高"),
    "promotions": ("优惠未兑现", "活动规则不清"),
    "new_services": (VAS_DISPUTE, "业务无法退订", "新业务使用故障"),
    "publicity": ("宣传与实际不符",),
    "handsets": ("定制机故障", "终端设置问题"),
    "bills": (BILLING_ERROR, "账单金额异议", "账单未收到", "流量费争议"),
    "business_handling": ("业务办理错误", "办理时限过长", "过户补卡问题"),
    "reminders": ("停机未提醒", "流量提醒不及时", "提醒短信错误"),
    "service_staff": ("服务态度差", "业务不熟练"),
    "info_security": ("垃圾短信骚扰", "个人信息泄露", "诈骗电话"),
    "hotline": ("热线难以接通", "IVR找不到人工", "答复不一致"),
    "business_hall": ("排队时间长", "营业时间不合理"),
    "e_channels": ("手机营业厅无法登录", "网上缴费失败"),
    "recharge": ("充值未到账", "充值后未复机"),
    "consultation": ("投诉处理不及时", "处理结果不满意"),
}
DEMANDS = ("要求尽快处理", "要求解释原因", "要求退还费用", "要求给予补偿", "要求回复处理结果")
CATEGORIES = tuple(f.code for f in FACTORS)
# Flat list of sub-categories with the category each belongs to.
SUB_LABELS: tuple[str, ...] = tuple(s for c in CATEGORIES for s in SUBCATEGORIES[c])
SUB_CATEGORY = np.array([CATEGORIES.index(c) for c in CATEGORIES for _ in SUBCATEGORIES[c]])
_SUB_START = np.array([SUB_LABELS.index(SUBCATEGORIES[c][0]) for c in CATEGORIES])
_SUB_COUNT = np.array([len(SUBCATEGORIES[c]) for c in CATEGORIES])


def mix() -> NDArray[np.float64]:
    p = np.array([CATEGORY_MIX[c] for c in CATEGORIES])
    return np.asarray(p / p.sum(), dtype=np.float64)


def pick_subcategory(rng: np.random.Generator, category: NDArray[np.int64]) -> NDArray[np.int64]:
    """A sub-category of each category; the first listed is the most frequent."""
    count = _SUB_COUNT[category]
    u = rng.random(category.size)
    # P(first) = 0.45, the rest share the remainder evenly.
    rest = np.minimum(((u - 0.45) / 0.55 * (count - 1)).astype(np.int64) + 1, count - 1)
    offset = np.where((u < 0.45) | (count == 1), 0, rest)
    return np.asarray(_SUB_START[category] + offset, dtype=np.int64)


def sub_index(label: str) -> int:
    return SUB_LABELS.index(label) if label in SUB_LABELS else -1


def descriptions(
    rng: np.random.Generator,
    branch_names: pa.Array,
    subcategory: NDArray[np.int64],
    extra_labels: list[str],
) -> pa.Array:
    """One description per complaint: "{城市}客户反映{子类},{诉求}。"."""
    labels = list(SUB_LABELS) + extra_labels
    demand = rng.integers(0, len(DEMANDS), subcategory.size)
    return pc.binary_join_element_wise(
        branch_names,
        pa.scalar("客户反映"),
        col.labels(subcategory, labels),
        pa.scalar(","),
        col.labels(demand, DEMANDS),
        pa.scalar("。"),
        "",
    )
