from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.conftest import dataset


@pytest.fixture(scope="session")
def mobi() -> pd.DataFrame:
    return pd.read_csv(dataset("ecsi_mobi/mobi.csv"), index_col=0)


def matrix(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    return frame[columns].to_numpy(dtype=float)
