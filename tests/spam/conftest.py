"""Fixtures for the spam tests (the people are the standing cast of tests/conftest.py):
a small model trained on the demo's synthetic texts; a case factory."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from sqm.spam.core.data import LabelledTexts
from sqm.spam.core.model import SpamModel, TextModelParams, train

SPAM_TEXT = "您好!本公司长期代开各类发票,税点低,可验证后付款,联系王经理13912345678"
HAM_TEXT = "晚上一起吃饭吗?我7点下班"


def synthetic_examples(n: int = 400, seed: int = 7) -> LabelledTexts:
    """Spam and ham texts from the demo generator's templates (no real data needed)."""
    from sqm.demo.core import spam_text

    rng = np.random.default_rng(seed)
    spam = spam_text.spam_texts(rng, rng.integers(0, len(spam_text.CAMPAIGNS), n // 4))
    ham = spam_text.ham_texts(rng, n - n // 4)
    return LabelledTexts.from_pairs([(1, t) for t in spam] + [(0, t) for t in ham], "synthetic")


@pytest.fixture(scope="session")
def small_model() -> SpamModel:
    return train([synthetic_examples()], TextModelParams(bits=16), folds=3)


@pytest.fixture
def version(data_dir: Path, reference: None, small_model: SpamModel) -> Any:
    from sqm.spam import registry

    return registry.register(small_model)


@pytest.fixture
def make_case(version: Any) -> Callable[..., Any]:
    """``make_case("13900000001", branch="NJ", high_impact=False)``: a flagged case."""
    from sqm.org.models import Branch
    from sqm.spam.models import SenderCase

    def make(sender: str, branch: str | None = "NJ", **fields: Any) -> Any:
        at = datetime(2026, 3, 2, 10, 0)
        evidence = {
            "messages": [
                {
                    "at": (at + timedelta(minutes=i)).isoformat(sep=" "),
                    "text": f"{SPAM_TEXT}{i}",
                    "probability": 0.97,
                    "origin": "customer_report",
                    "reporter": "139****0000",
                }
                for i in range(3)
            ],
            "behaviour": {"messages": 3, "reports": 3, "reporters": 3, "text": 0.97},
            "terms": {"bias": -2.0, "text": 4.1, "reporters": 1.2},
        }
        defaults: dict[str, Any] = {
            "risk": 0.95,
            "text_probability": 0.97,
            "evidence": evidence,
            "model_version": version,
            "branch": Branch.objects.get(code=branch) if branch else None,
        }
        return SenderCase.objects.create(sender=sender, **{**defaults, **fields})

    return make
