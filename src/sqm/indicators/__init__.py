"""Indicators: the declarative catalog of service-quality indicators and the engine that
computes it over the event store (``core``); Django models and views come around it."""
