"""Load the province's reference data into the database, and read the code sets back."""

from __future__ import annotations

from django.db import transaction

from sqm.org.core.province import PROVINCE, Province
from sqm.org.core.reference import ReferenceCodes
from sqm.org.models import Branch, Channel, CustomerTier, Department, Hall


@transaction.atomic
def load_province(province: Province = PROVINCE) -> None:
    """Insert or update every reference row; rows edited by an administrator keep their edits
    only for fields the province definition does not own (e.g. a hall's `active` flag)."""
    branches = {}
    for rank, b in enumerate(province.branches, start=1):
        branches[b.code], _ = Branch.objects.update_or_create(
            code=b.code,
            defaults={
                "name_zh": b.name_zh,
                "name_en": b.name_en,
                "customer_weight": b.customer_weight,
                "rank": rank,
            },
        )
    for h in province.halls:
        Hall.objects.update_or_create(
            code=h.code,
            defaults={
                "branch": branches[h.branch],
                "name_zh": h.name_zh,
                "district": h.district.value,
                "counters": h.counters,
            },
        )
    for d in province.departments:
        Department.objects.get_or_create(
            code=d.code, defaults={"name_zh": d.name_zh, "name_en": d.name_en}
        )
    for c in province.channels:
        Channel.objects.update_or_create(
            code=c.code, defaults={"name_zh": c.name_zh, "name_en": c.name_en}
        )
    for t in province.tiers:
        CustomerTier.objects.update_or_create(
            code=t.code,
            defaults={
                "name_zh": t.name_zh,
                "name_en": t.name_en,
                "rank": t.rank,
                "is_vip": t.is_vip,
            },
        )


def ensure_reference_loaded() -> None:
    if not Branch.objects.exists():
        load_province()


def load_reference_codes() -> ReferenceCodes:
    return ReferenceCodes(
        branch=frozenset(Branch.objects.values_list("code", flat=True)),
        hall=frozenset(Hall.objects.filter(active=True).values_list("code", flat=True)),
        tier=frozenset(CustomerTier.objects.values_list("code", flat=True)),
        channel=frozenset(Channel.objects.values_list("code", flat=True)),
    )
