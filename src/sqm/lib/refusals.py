"""What a refusal answers with, the same for every API (TMF621, TMF656, ``/api/v1``) and page.

A request that is wrong in itself — a missing reason, a value out of range, an unknown status
name — is ``BAD_INPUT`` (400): the client must change the request. A request that is right but
meets the object in a state that forbids it — a step the state machine does not have from here,
an escalation of what is already escalated, an appeal the regulator's rule does not allow yet —
is ``STATE_CONFLICT`` (409), like a stale version: the same request may succeed once the object
has moved on, so the client re-reads it rather than rewrites the request. Before this home the
spam API answered an illegal transition 409 while TMF621 and the work-order page answered 400.
"""

from __future__ import annotations

BAD_INPUT = 400
STATE_CONFLICT = 409

# TMF630 ``code`` of a refused step, in every TMF API.
ILLEGAL_TRANSITION = "ILLEGAL_TRANSITION"
