"""The hotline's IVR: a 10086-style menu tree, the routes callers take through it, and the
self-service answers (read by TTS, or sent by SMS when long — VP speech 2010: an 83-second TTS
answer; Henan's SMS bill cut IVR time by 40%+).

A path is written as the keys pressed, ``1>2`` (menu 1, item 2); ``>0`` at the end means the
caller pressed 0 for an agent; ``9`` is the VIP line; an empty path is "0 at the welcome".
A planted faulty node sends callers back to the main menu; they walk to it again and again, so
their paths repeat it (``2>2>2>2>2>2>0``), which no healthy path does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sqm.org.core.factors import FACTORS

WELCOME_S = 9.0
PROMPT_S = 11.0
TRANSFER_S = 3.0
SMS_CONFIRM_S = 8.0
LONG_TTS_S = 60.0


@dataclass(frozen=True, slots=True)
class Route:
    path: str  # node reached, e.g. "2>2>1"; "" for 0 at the welcome, "9" for the VIP line
    self_serve: float  # probability the caller is served by the IVR here
    tts_s: float  # length of the spoken answer


ROUTES: tuple[Route, ...] = (
    Route("", 0.0, 0.0),
    Route("9", 0.0, 0.0),
    Route("1>1", 0.85, 25.0),  # balance
    Route("1>2", 0.70, 83.0),  # bill detail: the 83-second TTS answer
    Route("1>3", 0.75, 30.0),  # payment history
    Route("2>1>1", 0.65, 45.0),  # current plan
    Route("2>1>2", 0.15, 30.0),  # change plan
    Route("2>2>1", 0.60, 65.0),  # value-added services subscribed
    Route("2>2>2", 0.60, 20.0),  # unsubscribe
    Route("2>3", 0.50, 35.0),  # switch features on/off
    Route("3>1", 0.60, 70.0),  # current offers
    Route("3>2", 0.65, 40.0),  # points
    Route("4>1", 0.45, 50.0),  # data settings
    Route("4>2", 0.0, 0.0),  # fault report: always an agent
    Route("4>3", 0.55, 40.0),  # handset settings
    Route("5>1", 0.90, 45.0),  # top up with a card
    Route("5>2", 0.85, 25.0),  # top-up history
)
_ROUTE = {r.path: i for i, r in enumerate(ROUTES)}
_TOPIC_ROUTES: dict[str, dict[str, float]] = {
    "bills": {"1>1": 0.35, "1>2": 0.45, "1>3": 0.2},
    "price_level": {"1>2": 0.5, "3>1": 0.5},
    "tariff_plans": {"2>1>1": 0.5, "2>1>2": 0.5},
    "new_services": {"2>2>1": 0.6, "2>2>2": 0.4},
    "business_handling": {"2>3": 0.6, "2>1>2": 0.4},
    "promotions": {"3>1": 0.7, "3>2": 0.3},
    "publicity": {"3>1": 1.0},
    "mobile_internet": {"4>1": 0.5, "4>2": 0.5},
    "coverage": {"4>2": 1.0},
    "voice_quality": {"4>2": 1.0},
    "handsets": {"4>3": 1.0},
    "recharge": {"5>1": 0.6, "5>2": 0.4},
    "e_channels": {"2>3": 0.6, "4>1": 0.4},
    "reminders": {"1>1": 0.5, "2>3": 0.5},
}  # other topics (hotline, hall, staff, security, consultation) go straight to an agent
TOPICS: tuple[str, ...] = tuple(f.code for f in FACTORS)
# Share of callers pressing 0 at the welcome, by tier rank; VIPs mostly use the VIP line.
_DIRECT = np.array([0.08, 0.1, 0.12, 0.15, 0.1])
_VIP_LINE = np.array([0.8, 0.7, 0.35, 0.0, 0.0])
_IVR_HANGUP = 0.03


def _route_table() -> NDArray[np.float64]:
    table = np.zeros((len(TOPICS), len(ROUTES)))
    for t, topic in enumerate(TOPICS):
        for path, p in _TOPIC_ROUTES.get(topic, {"": 1.0}).items():
            table[t, _ROUTE[path]] = p
    return np.cumsum(table, axis=1)


_ROUTE_CUM = _route_table()
_DEPTH = np.array([0 if r.path == "" else r.path.count(">") + 1 for r in ROUTES])
_SELF = np.array([r.self_serve for r in ROUTES])
_TTS = np.array([r.tts_s for r in ROUTES])


@dataclass(frozen=True, slots=True)
class IvrLoop:
    """A faulty node: reaching ``node`` sends the caller back to the main menu."""

    node: str
    start_s: float  # seconds after the day's midnight (per day, set by the caller)
    end_s: float


@dataclass(frozen=True, slots=True)
class IvrOutcome:
    path_code: NDArray[np.int64]  # index into ``path_labels``
    path_labels: list[str]
    ivr_s: NDArray[np.float64]
    self_served: NDArray[np.bool_]
    wanted_agent: NDArray[np.bool_]
    queued: NDArray[np.bool_]  # reached the agent queue
    sms_answer: NDArray[np.bool_]
    looped: NDArray[np.bool_]


def route_calls(
    rng: np.random.Generator,
    topic: NDArray[np.integer],
    tier_rank: NDArray[np.integer],
    arrival_s: NDArray[np.float64],
    loop: IvrLoop | None = None,
) -> IvrOutcome:
    """Send each call through the IVR; ``tier_rank`` is 0 (diamond) … 4 (ordinary)."""
    n = int(topic.size)
    route = np.empty(n, np.int64)
    u = rng.random(n)
    for t in range(len(TOPICS)):
        mask = topic == t
        if mask.any():
            route[mask] = np.searchsorted(_ROUTE_CUM[t], u[mask] * _ROUTE_CUM[t, -1], "right")
    route = np.minimum(route, len(ROUTES) - 1)
    entry = rng.random(n)
    vip_line = entry < _VIP_LINE[tier_rank]
    direct = ~vip_line & (entry < _VIP_LINE[tier_rank] + _DIRECT[tier_rank])
    route[vip_line] = _ROUTE["9"]
    route[direct] = _ROUTE[""]
    depth = _DEPTH[route]
    prompts = WELCOME_S + depth * PROMPT_S * rng.uniform(0.7, 1.3, n)
    self_served = rng.random(n) < _SELF[route]
    tts = _TTS[route] * rng.uniform(0.9, 1.1, n)
    sms = self_served & (tts > LONG_TTS_S) & (rng.random(n) < 0.55)
    answer_s = np.where(sms, SMS_CONFIRM_S, tts)
    hangup = ~self_served & (rng.random(n) < _IVR_HANGUP)
    ivr_s = prompts + np.where(self_served, answer_s, np.where(hangup, 0.0, TRANSFER_S))
    wanted = ~self_served & ~hangup
    queued = wanted.copy()
    labels = [r.path for r in ROUTES] + [
        "0" if r.path == "" else r.path if r.path == "9" else r.path + ">0" for r in ROUTES
    ]
    looped = np.zeros(n, bool)
    if loop is not None:
        node_routes = [i for i, r in enumerate(ROUTES) if r.path.startswith(loop.node)]
        looped = np.isin(route, node_routes) & (arrival_s >= loop.start_s)
        looped &= arrival_s < loop.end_s
        rounds = rng.integers(2, 5, n)
        extra = rounds * PROMPT_S * 2.2
        ivr_s = ivr_s + np.where(looped, extra, 0.0)
        # Trapped: half of them never find a way out and hang up in the IVR (R4.1).
        trapped = looped & (rng.random(n) < 0.5)
        self_served = self_served & ~looped
        wanted = wanted | looped
        queued = wanted & ~trapped
        sms &= ~looped
    code = route + np.where(queued, len(ROUTES), 0)
    if loop is not None and looped.any():
        base = len(labels)
        for reps in (2, 3, 4):
            walk = ">".join([loop.node] * reps)
            labels += [walk, walk + ">0"]
        code = np.where(looped, base + (rounds - 2) * 2 + queued, code)
    return IvrOutcome(code, labels, ivr_s, self_served, wanted, queued, sms, looped)
