"""Reviewer decisions as labelled data: the loop that lets the model improve and reviewers shrink.

A case's sample messages take the case's final label: spam when reviewers confirmed it and it
stayed confirmed (suspended, or upheld on appeal), ham when reviewers rejected it or an appeal
restored the number. Cases still open, or suspended with an appeal pending, teach nothing yet.
"""

from __future__ import annotations

from sqm.spam.core.data import LabelledTexts
from sqm.spam.core.workflow import Status
from sqm.spam.models import SenderCase

SPAM_OUTCOMES = (Status.SUSPENDED.value, Status.UPHELD.value)
HAM_OUTCOMES = (Status.REJECTED.value, Status.RESTORED.value)


def reviewed_examples() -> LabelledTexts:
    """One row per distinct (label, text) of the decided cases' evidence messages."""
    seen: set[tuple[int, str]] = set()
    pairs: list[tuple[int, str]] = []
    cases = SenderCase.objects.filter(status__in=SPAM_OUTCOMES + HAM_OUTCOMES).order_by("id")
    for status, evidence in cases.values_list("status", "evidence").iterator():
        label = 1 if status in SPAM_OUTCOMES else 0
        for message in (evidence or {}).get("messages", []):
            text = str(message.get("text", "")).strip()
            if text and (label, text) not in seen:
                seen.add((label, text))
                pairs.append((label, text))
    return LabelledTexts.from_pairs(pairs, "reviews")
