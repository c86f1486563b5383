"""The reference organisation of a provincial operator: one place that knows the org tree.

Everything here is plain data, built deterministically, so the generator, the validators and
the database loader all agree on the same codes. Branches are the 13 prefecture-level cities of
Jiangsu (a real province with exactly 13 cities); their customer weights follow population.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from enum import StrEnum


class DistrictType(StrEnum):
    RESIDENTIAL = "residential"
    BUSINESS = "business"
    MIXED = "mixed"
    CAMPUS = "campus"
    RURAL = "rural"


DISTRICT_LABELS_ZH: dict[DistrictType, str] = {
    DistrictType.RESIDENTIAL: "居民区",
    DistrictType.BUSINESS: "商务区",
    DistrictType.MIXED: "混合区",
    DistrictType.CAMPUS: "校园",
    DistrictType.RURAL: "农村",
}


@dataclass(frozen=True, slots=True)
class Branch:
    code: str
    name_zh: str
    name_en: str
    customer_weight: float  # share of the province's customers, sums to 1 over branches


@dataclass(frozen=True, slots=True)
class Hall:
    code: str
    branch: str
    name_zh: str
    district: DistrictType
    counters: int


@dataclass(frozen=True, slots=True)
class Department:
    code: str
    name_zh: str
    name_en: str


@dataclass(frozen=True, slots=True)
class Channel:
    code: str
    name_zh: str
    name_en: str


@dataclass(frozen=True, slots=True)
class Tier:
    code: str
    name_zh: str
    name_en: str
    rank: int  # 1 is served first
    is_vip: bool
    customer_share: float


@dataclass(frozen=True, slots=True)
class Province:
    code: str
    name_zh: str
    name_en: str
    branches: tuple[Branch, ...]
    halls: tuple[Hall, ...]
    departments: tuple[Department, ...]
    channels: tuple[Channel, ...]
    tiers: tuple[Tier, ...]

    def branch_codes(self) -> frozenset[str]:
        return frozenset(b.code for b in self.branches)

    def hall_codes(self) -> frozenset[str]:
        return frozenset(h.code for h in self.halls)

    def tier_codes(self) -> frozenset[str]:
        return frozenset(t.code for t in self.tiers)

    def halls_of(self, branch: str) -> tuple[Hall, ...]:
        return tuple(h for h in self.halls if h.branch == branch)


# Population in millions (2020 census, rounded): sets each branch's share of customers.
_BRANCHES: tuple[tuple[str, str, str, float], ...] = (
    ("NJ", "南京", "Nanjing", 9.3),
    ("WX", "无锡", "Wuxi", 7.5),
    ("XZ", "徐州", "Xuzhou", 9.1),
    ("CZ", "常州", "Changzhou", 5.3),
    ("SZ", "苏州", "Suzhou", 12.7),
    ("NT", "南通", "Nantong", 7.7),
    ("LYG", "连云港", "Lianyungang", 4.6),
    ("HA", "淮安", "Huai'an", 4.6),
    ("YC", "盐城", "Yancheng", 6.7),
    ("YZ", "扬州", "Yangzhou", 4.6),
    ("ZJ", "镇江", "Zhenjiang", 3.2),
    ("TZ", "泰州", "Taizhou", 4.5),
    ("SQ", "宿迁", "Suqian", 5.0),
)

DEPARTMENTS: tuple[Department, ...] = (
    Department("market", "市场部", "Market"),
    Department("network", "网络部", "Network"),
    Department("it", "信息技术部", "IT"),
    Department("csc", "客户服务中心", "Customer service center"),
    Department("quality", "品质管理部", "Quality management"),
    Department("group", "集团客户部", "Group customers"),
    Department("data", "数据业务部", "Data services"),
    Department("internet", "互联网部", "Internet"),
    Department("finance", "财务部", "Finance"),
)

CHANNELS: tuple[Channel, ...] = (
    Channel("hotline", "客服热线", "Hotline"),
    Channel("hall", "营业厅", "Business hall"),
    Channel("web", "网上营业厅", "Web"),
    Channel("app", "手机营业厅", "App"),
    Channel("sms", "短信营业厅", "SMS"),
    Channel("manager", "客户经理", "Customer manager"),
    Channel("letter", "信函", "Letter"),
    Channel("regulator", "管局/工信部转办", "Regulator transfer"),
    Channel("infoline", "12580信息服务", "12580 info line"),
)

TIERS: tuple[Tier, ...] = (
    Tier("diamond", "钻石卡", "Diamond", 1, True, 0.01),
    Tier("gold", "金卡", "Gold", 2, True, 0.04),
    Tier("silver", "银卡", "Silver", 3, True, 0.10),
    Tier("group", "集团客户", "Group", 4, False, 0.10),
    Tier("ordinary", "普通客户", "Ordinary", 5, False, 0.75),
)

_HALL_NAME_STEMS: dict[DistrictType, tuple[str, ...]] = {
    DistrictType.RESIDENTIAL: ("新村", "花园", "家园", "苑", "社区", "里"),
    DistrictType.BUSINESS: ("商务区", "金融街", "中央商场", "科技园", "写字楼"),
    DistrictType.MIXED: ("中心", "大道", "广场", "东路", "西路"),
    DistrictType.CAMPUS: ("大学城", "仙林校区", "学院路"),
    DistrictType.RURAL: ("镇", "乡", "集镇"),
}
_PREFIXES = "东西南北中新老金银紫翠青红华安和平兴富宁泰顺康乐建湖"
_DISTRICT_MIX: tuple[tuple[DistrictType, float], ...] = (
    (DistrictType.RESIDENTIAL, 0.38),
    (DistrictType.BUSINESS, 0.18),
    (DistrictType.MIXED, 0.22),
    (DistrictType.CAMPUS, 0.07),
    (DistrictType.RURAL, 0.15),
)
HALLS_PER_MILLION_PEOPLE = 2.0


def _build_halls(branches: tuple[Branch, ...], populations: dict[str, float]) -> tuple[Hall, ...]:
    # A fixed seed: the org tree is reference data and must be identical on every machine.
    rng = random.Random(20090101)
    halls: list[Hall] = []
    kinds = [d for d, _ in _DISTRICT_MIX]
    weights = [w for _, w in _DISTRICT_MIX]
    for branch in branches:
        count = max(6, round(populations[branch.code] * HALLS_PER_MILLION_PEOPLE))
        used: set[str] = set()
        for index in range(1, count + 1):
            district = kinds[0] if index == 1 else rng.choices(kinds, weights)[0]
            if index == 2:
                district = DistrictType.BUSINESS  # every city has a central business hall
            while True:
                name = (
                    rng.choice(_PREFIXES)
                    + rng.choice(_PREFIXES)
                    + rng.choice(_HALL_NAME_STEMS[district])
                )
                if name not in used:
                    used.add(name)
                    break
            counters = {
                DistrictType.BUSINESS: rng.randint(6, 10),
                DistrictType.MIXED: rng.randint(5, 8),
                DistrictType.RESIDENTIAL: rng.randint(4, 7),
                DistrictType.CAMPUS: rng.randint(3, 5),
                DistrictType.RURAL: rng.randint(2, 3),
            }[district]
            halls.append(
                Hall(
                    code=f"{branch.code}-H{index:03d}",
                    branch=branch.code,
                    name_zh=f"{branch.name_zh}{name}营业厅",
                    district=district,
                    counters=counters,
                )
            )
    return tuple(halls)


def build_province() -> Province:
    total = sum(p for *_, p in _BRANCHES)
    branches = tuple(Branch(c, zh, en, p / total) for c, zh, en, p in _BRANCHES)
    populations = {c: p for c, _, _, p in _BRANCHES}
    return Province(
        code="JS",
        name_zh="江苏",
        name_en="Jiangsu",
        branches=branches,
        halls=_build_halls(branches, populations),
        departments=DEPARTMENTS,
        channels=CHANNELS,
        tiers=TIERS,
    )


PROVINCE = build_province()
