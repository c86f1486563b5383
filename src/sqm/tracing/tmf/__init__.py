"""TMF656 Service Problem Management API (v4) over SQM's tracing cases: ``api`` (the NinjaAPI
and its endpoints), ``schemas`` (the resource shapes), ``mapping`` (case ↔ document),
``writes`` (what a POST, PATCH or task does through the tracing services) and ``events``
(event records and the hub's notifications)."""
