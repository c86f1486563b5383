"""Whether a simulated figure meets its target: a service level must reach it, an abandon
rate must stay under it. Kept out of the page so the CLI, a report or a test asks the same
question the same way."""

from __future__ import annotations

# The simulated figures a hotline plan is checked on, and whether higher is better for each.
HIGHER_IS_BETTER: dict[str, bool] = {
    "vip_service_level": True,
    "ordinary_service_level": True,
    "vip_abandon": False,
    "ordinary_abandon": False,
}


def target_met(key: str, value: float | None, target: float | None) -> bool | None:
    """True or False when both figures are known, None when either is missing (no verdict)."""
    if value is None or target is None:
        return None
    return value >= target if HIGHER_IS_BETTER[key] else value <= target
