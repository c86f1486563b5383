"""Shapes every SQM TM Forum API uses: the base schema, the TMF630 error body and the hub's
event subscription."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict, model_validator


def without_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" not in value
    if isinstance(value, dict):
        return all(without_nul(k) and without_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return all(without_nul(v) for v in value)
    return True


class TmfSchema(Schema):
    # Clients may send either the TMF name ("@type") or the Python one; we answer with TMF's.
    model_config = ConfigDict(populate_by_name=True, from_attributes=True)

    @model_validator(mode="after")
    def _no_nul_characters(self) -> Any:
        """No text column can store a NUL character: refuse it as bad input (400), before
        it reaches the database as a server error."""
        if not without_nul(self.model_dump()):
            raise ValueError("text must not contain NUL characters")
        return self


class Error(TmfSchema):
    """TMF630 error body."""

    code: str
    reason: str
    message: str | None = None
    status: str | None = None
    type_: str = Field("Error", alias="@type")


class EventSubscriptionInput(TmfSchema):
    """What ``POST /hub`` takes: where to deliver, and an optional filter
    (``eventType=ServiceProblemStateChangeEvent``, several joined by ``,``)."""

    callback: str = Field(..., min_length=8, max_length=500)
    query: str | None = Field(None, max_length=500)


class EventSubscription(TmfSchema):
    id: str
    callback: str
    query: str | None = None
