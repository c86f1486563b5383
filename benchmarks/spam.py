"""Spam model: scoring throughput on one core and training time on the shared data sets.

    .venv/bin/python benchmarks/spam.py [--messages 200000] [--repeat 3]

Goal (issue 7): at least 50,000 messages a second on one core. The process pins itself to one
CPU and to one BLAS/OpenMP thread before NumPy loads. The baseline is scikit-learn's usual
text pipeline (TfidfVectorizer on char_wb 1–4-grams + the same LogisticRegression), trained on
the same rows and scoring the same messages. Reads ../shared/datasets (never copied).
"""

from __future__ import annotations

import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

import argparse  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from sqm.spam.core.data import LabelledTexts, concat, read_labelled  # noqa: E402
from sqm.spam.core.model import TextModelParams, fit_scorer, train  # noqa: E402

DATASETS = Path(__file__).resolve().parents[2] / "shared" / "datasets"
FILES = {
    "zh": "sms_spam_zh/sms_zh_5000.tsv",
    "zh_1097": "sms_spam_zh/junk_message_1097.tsv",
    "en": "sms_spam_en/SMSSpamCollection.tsv",
}
GOAL_PER_SECOND = 50_000


def best_seconds(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def batch(texts: Sequence[str], size: int) -> list[str]:
    copies = -(-size // len(texts))
    return (list(texts) * copies)[:size]


def sklearn_baseline(data: LabelledTexts, params: TextModelParams) -> Callable[[list[str]], object]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    pipeline = make_pipeline(
        TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(1, params.max_n),
            sublinear_tf=True,
            min_df=params.min_df,
        ),
        LogisticRegression(C=params.c, solver="liblinear"),
    )
    pipeline.fit(data.texts, data.labels)
    return lambda texts: pipeline.predict_proba(texts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not DATASETS.is_dir():
        raise SystemExit(f"shared data sets not found at {DATASETS}")
    params = TextModelParams()
    parts = {name: read_labelled(DATASETS / path) for name, path in FILES.items()}
    everything = concat(list(parts.values()), "all")
    print(f"one core (pid {os.getpid()} pinned), {len(everything):,} labelled messages")

    import sklearn.linear_model
    import sklearn.model_selection  # noqa: F401

    print("\ntraining (5-fold cross-validation to choose the threshold, then the final fit):")
    for name, data in [*parts.items(), ("all", everything)]:
        started = time.perf_counter()
        model = train([data], params)
        total = time.perf_counter() - started
        fit = best_seconds(lambda d=data: fit_scorer(d.texts, d.labels, params), 1)
        cv = model.meta["cv"]["at_threshold"]
        print(
            f"  {name:<8} {len(data):>6,} rows  train {total:6.2f} s (final fit alone {fit:5.2f} s)"
            f"  threshold {model.threshold:.3f}  cv P {cv['precision']:.3f} R {cv['recall']:.3f}"
            f" F1 {cv['f1']:.3f}"
        )

    print(f"\nscoring {args.messages:,} messages, best of {args.repeat}:")
    model = train([everything], params)
    baseline = sklearn_baseline(everything, params)
    for name, data in [("zh", parts["zh"]), ("en", parts["en"]), ("mixed", everything)]:
        texts = batch(data.texts, args.messages)
        ours = args.messages / best_seconds(lambda t=texts: model.probabilities(t), args.repeat)
        sample = texts[: max(20_000, args.messages // 10)]
        theirs = len(sample) / best_seconds(lambda s=sample: baseline(s), 1)
        mean = np.mean([len(t) for t in texts])
        print(
            f"  {name:<6} mean {mean:5.1f} chars  {ours:>10,.0f} msg/s  "
            f"= {ours / GOAL_PER_SECOND:4.1f}× the goal of {GOAL_PER_SECOND:,}/s  "
            f"= {ours / theirs:4.1f}× scikit-learn's pipeline ({theirs:,.0f} msg/s)"
        )


if __name__ == "__main__":
    main()
