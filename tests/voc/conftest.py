from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.conftest import dataset


@pytest.fixture(scope="session")
def mobi() -> pd.DataFrame:
    return pd.read_csv(dataset("ecsi_mobi/mobi.csv"), index_col=0)


def matrix(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    return frame[columns].to_numpy(dtype=float)


# Known truth for the synthetic study: satisfaction leans on these factors, others barely.
STRONG_DRIVERS = ("coverage", "mobile_internet", "price_level")


def synthetic_study(respondents: int = 160, seed: int = 5) -> pd.DataFrame:
    """A two-month study sheet: us in NJ and WX (two tiers), two rivals; `overall` is driven
    mainly by STRONG_DRIVERS, and our price_level perception is set low."""
    from sqm.org.core.factors import FACTORS

    rng = np.random.default_rng(seed)
    codes = [f.code for f in FACTORS]
    weights = np.array([3.0 if c in STRONG_DRIVERS else 0.2 for c in codes])
    weights /= weights.sum()
    rows = []
    plan = [
        ("us", respondents),
        ("competitor_a", respondents // 2),
        ("competitor_b", respondents // 2),
    ]
    for month in ("2026-08", "2026-09"):
        for operator, count in plan:
            shift = {"us": 0.0, "competitor_a": 0.3, "competitor_b": -0.4}[operator]
            for r in range(count):
                mood = rng.normal(0, 0.6)
                perception = np.clip(np.rint(7.2 + shift + mood + rng.normal(0, 1.2, 19)), 1, 10)
                if operator == "us":
                    perception[codes.index("price_level")] = np.clip(
                        perception[codes.index("price_level")] - 2, 1, 10
                    )
                row: dict[str, object] = {
                    "respondent_id": f"{operator[0]}{operator[-1]}{month[-2:]}{r:05d}".upper(),
                    "at": f"{month}-1{r % 9} 10:00:00",
                    "operator": operator,
                    "branch": ("NJ", "WX")[r % 2],
                    "tier": ("ordinary", "gold")[r % 3 == 0] if operator == "us" else "",
                    "overall": float(
                        np.clip(np.round(perception @ weights + rng.normal(0, 0.3), 1), 1, 10)
                    ),
                }
                for code, p in zip(codes, perception, strict=True):
                    row[code] = p
                    row[f"exp_{code}"] = float(np.clip(np.rint(8.5 + rng.normal(0, 0.7)), 1, 10))
                rows.append(row)
    return pd.DataFrame(rows)


@pytest.fixture
def study_dir(tmp_path: Path) -> Path:
    from sqm.org.core.province import PROVINCE
    from sqm.org.core.reference import ReferenceCodes
    from sqm.voc.intake import import_file

    path = tmp_path / "study.csv"
    synthetic_study().to_csv(path, index=False)
    report = import_file(tmp_path, path, ReferenceCodes.from_province(PROVINCE))
    assert report["quarantined"] == 0
    return tmp_path
