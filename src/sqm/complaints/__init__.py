"""Complaint work orders (R1): intake from every channel, first-ask ownership, the lifecycle
state machine, SLA clocks on working calendars, escalation and appeals, repeats, money
promises, callbacks for abandoned calls, and the nightly snapshot into the event store."""
