"""Measurement quality, GoF, 0-100 indices and the bootstrap.

AVE, composite reliability (rho_C) and Cronbach's alpha are checked against seminr's
tests/fixtures/V_3_6_0/reliability.csv (written by tests/testthat/test-summary.R: the reduced
ECSI model on `mobi`, Mode A, path weighting) — see tests/voc/test_pls.py for the run.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sqm.voc.core.model import PathModel, shipped_model
from sqm.voc.core.pls import estimate
from sqm.voc.core.quality import (
    NegativeWeightError,
    block_quality,
    bootstrap,
    goodness_of_fit,
    unstandardized,
)
from tests.voc.conftest import matrix
from tests.voc.test_pls import REDUCED

# construct: (alpha, rhoC, AVE) from seminr reliability.csv
SEMINR_RELIABILITY = {
    "Image": (0.722834595427083, 0.818325774056256, 0.477979834838268),
    "Expectation": (0.451902555978063, 0.733177801505283, 0.480507046633952),
    "Value": (0.823631979352573, 0.917897281748515, 0.84831067540365),
    "Satisfaction": (0.779195021918597, 0.871457927643628, 0.693363990925202),
}


def test_reliability_and_ave_match_seminr(mobi: pd.DataFrame) -> None:
    data = matrix(mobi, REDUCED.columns)
    quality = {q.construct: q for q in block_quality(estimate(REDUCED, data, "path"), data)}
    for construct, (alpha, rho, ave) in SEMINR_RELIABILITY.items():
        assert quality[construct].cronbach_alpha == pytest.approx(alpha, abs=5e-6)
        assert quality[construct].composite_reliability == pytest.approx(rho, abs=5e-6)
        assert quality[construct].ave == pytest.approx(ave, abs=5e-6)


def test_gof_is_the_geometric_mean_of_communality_and_r_squared(mobi: pd.DataFrame) -> None:
    model = shipped_model("ecsi_mobi")
    fit = estimate(model, matrix(mobi, model.columns), "centroid")
    multi = [c for c, b in model.blocks.items() if len(b) > 1]
    communality = np.mean([v**2 for c in multi for v in fit.loadings[c].values()])
    assert goodness_of_fit(fit) == pytest.approx(
        np.sqrt(communality * np.mean(list(fit.r_squared.values())))
    )
    assert 0 < goodness_of_fit(fit) < 1


def test_indices_are_weighted_raw_means_on_zero_to_hundred(mobi: pd.DataFrame) -> None:
    model = shipped_model("ecsi_mobi")
    data = matrix(mobi, model.columns)
    fit = estimate(model, data, "centroid")
    result = unstandardized(fit, data)
    for construct, block in model.blocks.items():
        raw = {c: fit.weights[construct][c] / mobi[c].std() for c in block}
        total = sum(raw.values())
        mean = sum(raw[c] / total * mobi[c].mean() for c in block)
        assert result.indices[construct] == pytest.approx(100 * (mean - 1) / 9, abs=1e-9)
        assert sum(result.weights[construct].values()) == pytest.approx(1.0)
    assert result.indices["Complaints"] == pytest.approx(100 * (mobi["CUSCO"].mean() - 1) / 9)
    assert all(0 <= v <= 100 for v in result.indices.values())


def test_unstandardized_paths_are_ols_on_raw_scale_scores(mobi: pd.DataFrame) -> None:
    model = shipped_model("ecsi_mobi")
    data = matrix(mobi, model.columns)
    result = unstandardized(estimate(model, data, "path"), data)
    k = model.constructs.index
    x = np.column_stack([np.ones(250), result.scores[:, k("Satisfaction")]])
    slope = np.linalg.lstsq(x, result.scores[:, k("Complaints")], rcond=None)[0][1]
    assert result.paths[("Satisfaction", "Complaints")] == pytest.approx(slope)


def test_a_reversed_item_is_refused_for_the_index(mobi: pd.DataFrame) -> None:
    frame = mobi.assign(CUSA_REV=11 - mobi["CUSA1"])
    model = PathModel(
        blocks={"Satisfaction": ["CUSA2", "CUSA3", "CUSA_REV"], "Loyalty": ["CUSL1", "CUSL3"]},
        paths=[("Satisfaction", "Loyalty")],
        scale=(1, 10),
    )
    data = matrix(frame, model.columns)
    fit = estimate(model, data)
    with pytest.raises(NegativeWeightError, match="CUSA_REV"):
        unstandardized(fit, data)


def test_bootstrap_intervals_cover_the_estimate_and_repeat_with_the_seed(
    mobi: pd.DataFrame,
) -> None:
    data = matrix(mobi, REDUCED.columns)
    fit = estimate(REDUCED, data, "path")
    first = bootstrap(fit, data, 60, seed=7)
    again = bootstrap(fit, data, 60, seed=7)
    image = first["paths"]["Image->Satisfaction"]
    assert image.low < image.estimate < image.high
    assert image == again["paths"]["Image->Satisfaction"]
    # The strongest path's interval excludes zero; the bootstrap SE is a sensible size.
    assert image.low > 0 and 0.01 < image.standard_error < 0.2
    assert set(first) == {"paths", "r_squared", "weights", "loadings"}


def test_bootstrap_standard_errors_agree_with_seminr(mobi: pd.DataFrame) -> None:
    """seminr tests/fixtures/V_3_6_0/boot_report_paths.csv (reduced ECSI model, path weighting):
    bootstrap SDs 0.05693 (Image), 0.06199 (Expectation), 0.07174 (Value). Different random
    draws, so agreement within 15% is what resampling allows."""
    data = matrix(mobi, REDUCED.columns)
    intervals = bootstrap(estimate(REDUCED, data, "path"), data, 300, seed=11)["paths"]
    published = {
        "Image": 0.0569259275804892,
        "Expectation": 0.0619900261088522,
        "Value": 0.0717381375043804,
    }
    for source, sd in published.items():
        ours = intervals[f"{source}->Satisfaction"].standard_error
        assert ours == pytest.approx(sd, rel=0.15)
