"""Tracing's computational core: detectors, impact sizing and effect evaluation (no Django)."""
