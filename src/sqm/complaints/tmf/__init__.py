"""TMF621 Trouble Ticket API over complaint work orders: ``api`` (the NinjaAPI and its
endpoints), ``schemas`` (the resource shapes), ``mapping`` (work order ↔ document) and
``writes`` (what a POST or PATCH does through the service layer)."""
