"""Capacity planning: Erlang formulas, staffing, halls, billing cycles and the queue simulator."""
