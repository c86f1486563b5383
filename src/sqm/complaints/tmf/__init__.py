"""TMF621 Trouble Ticket API over complaint work orders: ``api`` (the NinjaAPI and its
endpoints), ``schemas`` (the resource shapes), ``mapping`` (work order ↔ document),
``documents`` (a ticket read as the caller sees it, with its version), ``writes`` (what a POST
or PATCH does through the service layer), ``requests`` (JSON media types, JSON Patch),
``patching`` (RFC 6902), ``listing`` (query parameters, sort) and ``errors`` (TMF630 error
bodies for every answer under ``/tmf-api/``)."""
