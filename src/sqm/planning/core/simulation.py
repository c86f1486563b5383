"""Discrete-event simulation of a multi-server queue with priority classes and abandonment.

One simulator serves the whole codebase: the hotline (10086-style ACD with tiered priority), the
business-hall ticket queue and the capacity planner's what-if runs all call
:func:`simulate_queue`.

Model
- Arrivals at given times (any order; they are sorted here), each with a priority class
  (0 is served first), a service time (agent occupancy: talk + wrap-up) and a patience.
- Non-preemptive priority: a free agent takes the longest-waiting call of the best class
  present (FCFS within a class).
- A call not answered within its patience abandons at ``arrival + patience``. Abandonment is
  decided lazily (when the call reaches the head of its queue) but timed exactly.
- Agents per interval from a :class:`StaffingPlan`. When the plan drops from n to m agents,
  agents m..n−1 finish the call in hand, then go off duty; after the plan's last interval the
  last staffing level holds, so every call ends.

It is deterministic: randomness is drawn by the caller (see :func:`draw_exponential_calls`).
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class StaffingPlan:
    """Agents on duty per interval of ``interval_s`` seconds, starting at ``start_s``."""

    agents: IntArray
    interval_s: float
    start_s: float = 0.0

    def __post_init__(self) -> None:
        if self.agents.ndim != 1 or self.agents.size == 0:
            raise ValueError("a staffing plan needs at least one interval")
        if int(self.agents.min()) < 0:
            raise ValueError("agents cannot be negative")
        if self.interval_s <= 0:
            raise ValueError("interval_s must be positive")

    @classmethod
    def constant(cls, agents: int, horizon_s: float = math.inf) -> StaffingPlan:
        interval = horizon_s if math.isfinite(horizon_s) else 1e18
        return cls(np.array([agents], dtype=np.int64), interval)


@dataclass(frozen=True, slots=True)
class QueueOutcome:
    """Per call, in the caller's order. Times are NaN where they do not apply."""

    arrival_s: FloatArray
    answered_s: FloatArray
    abandoned_s: FloatArray
    ended_s: FloatArray  # agent free again (answered) or abandonment time
    agent: IntArray  # -1 when abandoned

    @property
    def answered(self) -> NDArray[np.bool_]:
        return ~np.isnan(self.answered_s)

    @property
    def abandoned(self) -> NDArray[np.bool_]:
        return ~np.isnan(self.abandoned_s)

    @property
    def wait_s(self) -> FloatArray:
        """Time in queue: until answer or until abandonment."""
        done = np.where(self.answered, self.answered_s, self.abandoned_s)
        return np.asarray(done - self.arrival_s, dtype=np.float64)

    def service_level(self, threshold_s: float, mask: NDArray[np.bool_] | None = None) -> float:
        """Share of offered calls answered within ``threshold_s`` (abandons count as misses)."""
        selected = np.ones(self.arrival_s.size, bool) if mask is None else mask
        offered = int(selected.sum())
        if offered == 0:
            return math.nan
        fast = self.answered & (self.wait_s <= threshold_s) & selected
        return float(fast.sum()) / offered

    def abandon_rate(self, mask: NDArray[np.bool_] | None = None) -> float:
        selected = np.ones(self.arrival_s.size, bool) if mask is None else mask
        offered = int(selected.sum())
        return math.nan if offered == 0 else float((self.abandoned & selected).sum()) / offered


def simulate_queue(
    arrival_s: FloatArray,
    priority: NDArray[np.integer],
    service_s: FloatArray,
    patience_s: FloatArray,
    plan: StaffingPlan,
) -> QueueOutcome:
    """Run the queue; see the module docstring for the model."""
    arrival = np.asarray(arrival_s, dtype=np.float64)
    n = int(arrival.size)
    if not (len(priority) == len(service_s) == len(patience_s) == n):
        raise ValueError("arrival, priority, service and patience must have the same length")
    nan = math.nan
    if n == 0:
        empty = np.empty(0, dtype=np.float64)
        return QueueOutcome(empty, empty, empty, empty, np.empty(0, dtype=np.int64))
    order = np.argsort(arrival, kind="stable")
    pri_sorted = np.asarray(priority, dtype=np.int64)[order]
    if int(pri_sorted.min()) < 0:
        raise ValueError("priority classes start at 0")
    arr = arrival[order].tolist()
    svc = np.asarray(service_s, dtype=np.float64)[order].tolist()
    deadline = (arrival + np.asarray(patience_s, dtype=np.float64))[order].tolist()
    pri = pri_sorted.tolist()

    answered = [nan] * n
    abandoned = [nan] * n
    agent_of = [-1] * n
    queues: list[deque[int]] = [deque() for _ in range(int(pri_sorted.max()) + 1)]
    waiting = 0  # entries in the queues, some possibly expired (lazy abandonment)

    staff = plan.agents.tolist()
    step = float(plan.interval_s)
    capacity = max(staff)
    state = [0] * capacity  # 0 off duty, 1 free, 2 busy
    free: deque[int] = deque()  # longest-idle first; stale entries skipped on pop
    busy: list[tuple[float, int, int]] = []  # (free-again time, agent, call)
    on_duty = staff[0]
    for a in range(on_duty):
        state[a] = 1
        free.append(a)
    interval = 0
    last_interval = len(staff) - 1
    next_boundary = plan.start_s + step if last_interval > 0 else math.inf
    inf = math.inf
    heappush = heapq.heappush
    heappop = heapq.heappop

    i = 0
    while True:
        t_arrival = arr[i] if i < n else inf
        t_done = busy[0][0] if busy else inf
        if t_done <= next_boundary and t_done <= t_arrival:
            if t_done == inf:
                break
            t, a, _ = heappop(busy)
            if a >= on_duty:
                state[a] = 0
                continue
            call = -1
            if waiting:
                for q in queues:
                    while q:
                        c = q.popleft()
                        waiting -= 1
                        if deadline[c] < t:
                            abandoned[c] = deadline[c]
                            continue
                        call = c
                        break
                    if call >= 0:
                        break
            if call >= 0:
                answered[call] = t
                agent_of[call] = a
                heappush(busy, (t + svc[call], a, call))
            else:
                state[a] = 1
                free.append(a)
        elif next_boundary <= t_arrival:
            t = next_boundary
            interval += 1
            next_boundary = t + step if interval < last_interval else inf
            wanted = staff[interval]
            if wanted < on_duty:
                for a in range(wanted, on_duty):
                    if state[a] == 1:
                        state[a] = 0  # its entry in `free` goes stale
            else:
                for a in range(on_duty, wanted):
                    if state[a] == 0:
                        state[a] = 1
                        free.append(a)
            on_duty = wanted
            # New agents take waiting calls at once.
            while waiting and free:
                a = free.popleft()
                if state[a] != 1 or a >= on_duty:
                    continue
                call = -1
                for q in queues:
                    while q:
                        c = q.popleft()
                        waiting -= 1
                        if deadline[c] < t:
                            abandoned[c] = deadline[c]
                            continue
                        call = c
                        break
                    if call >= 0:
                        break
                if call < 0:
                    free.appendleft(a)
                    break
                state[a] = 2
                answered[call] = t
                agent_of[call] = a
                heappush(busy, (t + svc[call], a, call))
        else:
            t = t_arrival
            a = -1
            while free:
                a = free.popleft()
                if state[a] == 1 and a < on_duty:
                    break
                a = -1
            if a >= 0:
                state[a] = 2
                answered[i] = t
                agent_of[i] = a
                heappush(busy, (t + svc[i], a, i))
            else:
                queues[pri[i]].append(i)
                waiting += 1
            i += 1
    # Nobody left to serve what is still queued: those calls abandon at their deadline.
    for q in queues:
        for c in q:
            abandoned[c] = deadline[c]

    answered_a = np.asarray(answered, dtype=np.float64)
    abandoned_a = np.asarray(abandoned, dtype=np.float64)
    svc_a = np.asarray(svc, dtype=np.float64)
    ended = np.where(np.isnan(answered_a), abandoned_a, answered_a + svc_a)
    out_answered = np.empty(n, dtype=np.float64)
    out_abandoned = np.empty(n, dtype=np.float64)
    out_ended = np.empty(n, dtype=np.float64)
    out_agent = np.empty(n, dtype=np.int64)
    out_answered[order] = answered_a
    out_abandoned[order] = abandoned_a
    out_ended[order] = ended
    out_agent[order] = np.asarray(agent_of, dtype=np.int64)
    return QueueOutcome(arrival, out_answered, out_abandoned, out_ended, out_agent)


def draw_exponential_calls(
    rng: np.random.Generator,
    arrival_rate: float,
    horizon_s: float,
    aht_s: float,
    classes: int = 1,
    class_shares: NDArray[np.float64] | None = None,
    mean_patience_s: float = math.inf,
) -> tuple[FloatArray, IntArray, FloatArray, FloatArray]:
    """Poisson arrivals with exponential service and patience: the Erlang C/A test case."""
    count = int(rng.poisson(arrival_rate * horizon_s))
    arrivals = np.sort(rng.uniform(0.0, horizon_s, count))
    shares = np.full(classes, 1.0 / classes) if class_shares is None else class_shares
    priority = rng.choice(classes, size=count, p=shares).astype(np.int64)
    service = rng.exponential(aht_s, count)
    patience = (
        np.full(count, math.inf)
        if math.isinf(mean_patience_s)
        else rng.exponential(mean_patience_s, count)
    )
    return arrivals, priority, service, patience
