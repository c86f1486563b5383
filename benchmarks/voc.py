"""Satisfaction analytics at the size of seed 003's study (12,000 respondents, 19 factors).

    .venv/bin/python benchmarks/voc.py [--respondents 12000] [--repeat 3]

Side by side, in one process, on one core:
- exact Shapley/LMG on 19 factors: the textbook loop (one regression per subset, 2^19) against
  SQM's batched solve (all subsets of one size in one call); same numbers, ratio printed;
- Johnson's relative weights against exact Shapley: the cheap approximation's speed-up and how
  far its shares are from the exact ones;
- PLS path model (SQM's 19-factor model): one estimation, and a 200-resample bootstrap.
"""

from __future__ import annotations

import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

import argparse  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from itertools import combinations  # noqa: E402
from math import factorial  # noqa: E402

import numpy as np  # noqa: E402

from sqm.org.core.factors import FACTORS  # noqa: E402
from sqm.voc.core.drivers import relative_weights, shapley_values  # noqa: E402
from sqm.voc.core.model import shipped_model  # noqa: E402
from sqm.voc.core.pls import estimate  # noqa: E402
from sqm.voc.core.quality import bootstrap  # noqa: E402


def seconds(run: Callable[[], object], repeat: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - started)
    return best, result


def study(respondents: int, seed: int = 3) -> np.ndarray:
    """Perceptions sharing a respondent mood, and overall driven by them (1-10 answers)."""
    rng = np.random.default_rng(seed)
    mood = rng.normal(0, 0.7, (respondents, 1))
    perception = np.clip(np.rint(7.3 + mood + rng.normal(0, 1.0, (respondents, 19))), 1, 10)
    weights = rng.dirichlet(np.ones(19))
    overall = np.clip(perception @ weights + rng.normal(0, 0.4, respondents), 1, 10)
    return np.column_stack([perception, overall])


def shapley_textbook(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    full = np.corrcoef(np.column_stack([x, y]), rowvar=False)
    rxx, rxy = full[:-1, :-1], full[:-1, -1]
    p = x.shape[1]
    explained = {(): 0.0}
    for size in range(1, p + 1):
        for subset in combinations(range(p), size):
            r = rxy[list(subset)]
            explained[subset] = float(r @ np.linalg.solve(rxx[np.ix_(subset, subset)], r))
    shares = np.zeros(p)
    for subset, value in explained.items():
        for k in range(p):
            if k in subset:
                continue
            grown = tuple(sorted((*subset, k)))
            s = len(subset)
            shares[k] += (
                factorial(s) * factorial(p - s - 1) / factorial(p) * (explained[grown] - value)
            )
    return shares


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--respondents", type=int, default=12_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--resamples", type=int, default=200)
    args = parser.parse_args()
    data = study(args.respondents)
    x, y = data[:, :19], data[:, 19]
    print(f"study: {args.respondents} respondents x 19 factors (one core)")

    textbook_s, textbook = seconds(lambda: shapley_textbook(x, y), 1)
    batched_s, batched = seconds(lambda: shapley_values(x, y), args.repeat)
    assert np.allclose(textbook, batched, atol=1e-10)  # type: ignore[arg-type]
    print(f"shapley exact, textbook loop   {textbook_s:8.3f} s")
    print(
        f"shapley exact, SQM batched     {batched_s:8.3f} s   x{textbook_s / batched_s:.1f} faster"
    )

    weights_s, weights = seconds(lambda: relative_weights(x, y), args.repeat)
    exact = np.asarray(batched) / np.sum(batched)
    approx = np.asarray(weights) / np.sum(weights)
    print(
        f"relative weights (Johnson)     {weights_s:8.4f} s   "
        f"x{batched_s / weights_s:.0f} faster than exact Shapley; "
        f"largest share difference {np.max(np.abs(exact - approx)):.4f}"
    )

    model = shipped_model("sqm_factors")
    position = {f.code: k for k, f in enumerate(FACTORS)}
    matrix = np.column_stack([data[:, position[c]] if c in position else y for c in model.columns])
    pls_s, _ = seconds(lambda: estimate(model, matrix, "path"), args.repeat)
    fit = estimate(model, matrix, "path")
    print(f"PLS 19-factor model, one fit   {pls_s:8.3f} s   ({fit.iterations} iterations)")
    boot_s, _ = seconds(lambda: bootstrap(fit, matrix, args.resamples, seed=1), 1)
    print(
        f"PLS bootstrap, {args.resamples} resamples   {boot_s:8.3f} s   "
        f"({boot_s / pls_s:.0f} fits' worth)"
    )


if __name__ == "__main__":
    main()
