"""Clients for the complaint pages and the TMF621 API, signed in as anyone of the cast in
``tests/complaints/conftest.py`` (analyst, manager_a of NJ, manager_b of WX, handlers, a
supervisor, department liaisons, an executive, an administrator, a spam reviewer)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.test import Client

TMF = "/tmf-api/troubleTicket/v5/troubleTicket"
ClientFor = Callable[[str], Client]


def send(client: Client, method: str, path: str, body: Any = None, **headers: str) -> Any:
    """A JSON request to the TMF API (``path`` relative to the troubleTicket collection)."""
    call = getattr(client, method)
    url = f"{TMF}{path}"
    if body is None:
        return call(url, headers=headers)
    return call(url, json.dumps(body), content_type="application/json", headers=headers)


def characteristic(document: dict[str, Any], name: str) -> Any:
    for row in document.get("troubleTicketCharacteristic", []):
        if row["name"] == name:
            return row["value"]
    return None


def new_ticket(**overrides: Any) -> dict[str, Any]:
    """A valid TMF621 TroubleTicket_FVO for a NJ billing complaint."""
    body: dict[str, Any] = {
        "@type": "TroubleTicket",
        "ticketType": "complaint",
        "description": "本月账单多扣了30元流量费",
        "severity": "high",
        "channel": {"id": "hotline"},
        "relatedParty": [
            {"role": "customer", "partyOrPartyRole": {"id": "C900001", "@referredType": "Customer"}}
        ],
        "relatedEntity": [
            {"role": "bill", "entity": {"id": "B202603-001", "@referredType": "CustomerBill"}}
        ],
        "troubleTicketCharacteristic": [
            {"name": "category", "value": "bills.overcharge", "valueType": "string"},
            {"name": "branch", "value": "NJ", "valueType": "string"},
            {"name": "customerPhone", "value": "13912345678", "valueType": "string"},
        ],
    }
    body.update(overrides)
    return body
