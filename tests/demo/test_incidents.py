"""Planted incidents are in the data where the manifest says they are, and stand out."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd

from .conftest import Generated


def _window(incident: dict[str, object], after_h: float = 0) -> tuple[pd.Timestamp, pd.Timestamp]:
    start = datetime.fromisoformat(str(incident["start"]))
    end = datetime.fromisoformat(str(incident["end"])) + timedelta(hours=after_h)
    return pd.Timestamp(start), pd.Timestamp(end)


def test_manifest_lists_every_kind_with_counts(tiny: Generated) -> None:
    kinds = {i["kind"] for i in tiny.manifest["incidents"]}
    assert kinds == {
        "network_outage",
        "product_defect",
        "ivr_loop",
        "understaffed_hall",
        "spam_sender",
        "echannel_outage",
    }
    assert tiny.manifest["month"] == "2024-03" and tiny.manifest["scale"] == "tiny"
    assert all(i["counts"] for i in tiny.manifest["incidents"])


def test_network_outage_bursts_complaints_and_calls_in_its_branch(tiny: Generated) -> None:
    incident = tiny.incident("network_outage")
    start, end = _window(incident, after_h=12)
    complaints = tiny.read("complaints").to_pandas()
    network = complaints[
        complaints.category.isin(["coverage", "mobile_internet"])
        & (complaints.branch == incident["branch"])
    ]
    inside = network.created_at.between(start, end)
    hours_inside = (end - start).total_seconds() / 3600
    baseline_per_hour = (~inside).sum() / (31 * 24 - hours_inside)
    assert inside.sum() >= 10
    assert inside.sum() >= 5 * baseline_per_hour * hours_inside
    listed = set(incident["ids"]["complaints"])
    assert (
        listed <= set(complaints.complaint_id) and len(listed) == incident["counts"]["complaints"]
    )
    calls = tiny.read("calls").to_pandas()
    topical = calls[
        calls.topic.isin(["coverage", "mobile_internet"]) & (calls.branch == incident["branch"])
    ]
    in_calls = topical.arrived_at.between(*_window(incident, after_h=2))
    call_hours = hours_inside - 10
    assert in_calls.sum() >= 3 * (~in_calls).sum() / (31 * 24 - call_hours) * call_hours


def test_product_defect_is_a_batch_across_branches(tiny: Generated) -> None:
    incident = tiny.incident("product_defect")
    start, end = _window(incident)
    complaints = tiny.read("complaints").to_pandas()
    category = complaints[complaints.category == incident["category"][0]]
    inside = category[category.created_at.between(start, end)]
    days_inside = (end - start).days
    baseline_per_day = (len(category) - len(inside)) / (31 - days_inside)
    assert len(inside) >= 3 * baseline_per_day * days_inside
    assert (inside.subcategory == incident["subcategory"]).sum() >= 10
    assert inside.branch.nunique() >= 4


def test_ivr_loop_repeats_the_node_and_traps_callers(tiny: Generated) -> None:
    incident = tiny.incident("ivr_loop")
    node = str(incident["node"])
    calls = tiny.read("calls").to_pandas()
    looped = calls.ivr_path.str.startswith(f"{node}>{node}")
    assert looped.sum() >= 5
    assert calls.arrived_at[looped].between(*_window(incident)).all()
    assert calls.ivr_s[looped].mean() > 2 * calls.ivr_s[~looped].mean()
    failed = (calls.wanted_agent & calls.answered_at.isna()).groupby(looped).mean()
    assert failed[True] > 3 * failed[False]
    assert looped.sum() == incident["counts"]["calls_looped"]


def test_understaffed_hall_has_long_waits_more_often(tiny: Generated) -> None:
    incident = tiny.incident("understaffed_hall")
    visits = tiny.read("hall_visits").to_pandas()
    hall = visits[visits.hall_id == incident["hall"]]
    end = hall.called_at.fillna(hall.arrived_at + pd.Timedelta(hours=24))
    long_wait = (end - hall.arrived_at) > pd.Timedelta(minutes=10)
    inside = hall.arrived_at.between(*_window(incident))
    assert long_wait[inside].mean() > 0.15
    assert long_wait[inside].mean() > 3 * long_wait[~inside].mean()
    assert hall.left_unserved[inside].mean() > 2 * hall.left_unserved[~inside].mean()


def test_spam_sender_is_among_the_most_reported(tiny: Generated) -> None:
    incident = tiny.incident("spam_sender")
    reports = tiny.read("sms_reports").to_pandas()
    customer = reports[reports.origin == "customer_report"]
    counts = customer.sender.value_counts()
    assert counts.index[0] == incident["sender"]
    assert counts.iloc[0] >= 20 and counts.iloc[0] == incident["counts"]["reports"]
    assert customer[customer.sender == incident["sender"]]["at"].between(*_window(incident)).all()


def test_app_outage_fails_probes_in_its_window(tiny: Generated) -> None:
    incident = tiny.incident("echannel_outage")
    echannel = tiny.read("echannel").to_pandas()
    probes = echannel[(echannel.operation == "probe") & (echannel.channel == "app")]
    inside = probes["at"].between(*_window(incident))
    assert inside.sum() >= 8 and not probes.success[inside].any()
    assert probes.success[~inside].mean() > 0.99
