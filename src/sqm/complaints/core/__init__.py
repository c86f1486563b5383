"""Pure complaint-handling rules: states, clocks, calendars, escalation, repeats and money.

No Django and no database here (tests/test_architecture.py checks it), so the rules can be
property-tested and the SLA sweeper can call them for a million work orders cheaply.
"""
