"""The PLS estimator against published figures on the ECSI `mobi` data and against OLS.

Published reference: the seminr R package's regression fixtures (sem-in-r/seminr,
tests/fixtures/V_3_6_0/inner_weights_coefficients.csv, factorial_coefficients.csv,
rsquared1.csv, reliability.csv and V_3_5_X/inner_weights_weights.csv, written by
tests/testthat/test-inner_weighting.R, test-rsquared and test-summary). The run: the 250-row
`mobi` data (same file as ../shared/datasets/ecsi_mobi), indicators standardized (seminr always
standardizes), all blocks Mode A, the reduced ECSI model Image (IMAG1-5), Expectation (CUEX1-3),
Value (PERV1-2) -> Satisfaction (CUSA1-3), no items dropped; inner scheme path weighting
(`path_weighting`, seminr's default) or factorial (`path_factorial`).

No published centroid-scheme figures for this data were found in reach (semPLS's SmartPLS
regression files are not in the index); the centroid scheme is checked by the OLS identity
below and by landing within 0.01 of the other two schemes, as theory expects.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sqm.voc.core.model import ModelError, PathModel, model_from_mapping, shipped_model
from sqm.voc.core.pls import EstimationError, estimate, total_effects
from tests.voc.conftest import matrix

REDUCED = PathModel(
    blocks={
        "Image": ["IMAG1", "IMAG2", "IMAG3", "IMAG4", "IMAG5"],
        "Expectation": ["CUEX1", "CUEX2", "CUEX3"],
        "Value": ["PERV1", "PERV2"],
        "Satisfaction": ["CUSA1", "CUSA2", "CUSA3"],
    },
    paths=[("Image", "Satisfaction"), ("Expectation", "Satisfaction"), ("Value", "Satisfaction")],
)

# seminr inner_weights_coefficients.csv (path weighting) and factorial_coefficients.csv.
SEMINR_PATHS = {
    "path": {
        "Image": 0.447003896753383,
        "Expectation": 0.171830104491586,
        "Value": 0.316425319256027,
    },
    "factorial": {
        "Image": 0.446873985519376,
        "Expectation": 0.172941539187286,
        "Value": 0.315219423208024,
    },
}
# seminr V_3_5_X/inner_weights_weights.csv (path weighting).
SEMINR_WEIGHTS = {
    "IMAG1": 0.331565496837403, "IMAG2": 0.253381407777625, "IMAG3": 0.19957423850573,
    "IMAG4": 0.330983162965217, "IMAG5": 0.310490528776397, "CUEX1": 0.505837721216892,
    "CUEX2": 0.49867124599148, "CUEX3": 0.43608211325906, "PERV1": 0.476812933927711,
    "PERV2": 0.606425335428161, "CUSA1": 0.387272947521168, "CUSA2": 0.373939896289369,
    "CUSA3": 0.439128431593844,
}  # fmt: skip


@pytest.mark.parametrize("scheme", ["path", "factorial"])
def test_path_coefficients_match_seminr_to_six_decimals(mobi: pd.DataFrame, scheme: str) -> None:
    fit = estimate(REDUCED, matrix(mobi, REDUCED.columns), scheme)  # type: ignore[arg-type]
    for source, published in SEMINR_PATHS[scheme].items():
        assert fit.paths[(source, "Satisfaction")] == pytest.approx(published, abs=5e-6)


def test_outer_weights_match_seminr_path_weighting(mobi: pd.DataFrame) -> None:
    fit = estimate(REDUCED, matrix(mobi, REDUCED.columns), "path")
    ours = {c: w for block in fit.weights.values() for c, w in block.items()}
    assert ours == pytest.approx(SEMINR_WEIGHTS, abs=5e-6)


def test_r_squared_matches_seminr(mobi: pd.DataFrame) -> None:
    fit = estimate(REDUCED, matrix(mobi, REDUCED.columns), "path")
    assert fit.r_squared["Satisfaction"] == pytest.approx(0.590603320426892, abs=5e-6)


def test_paths_are_ols_on_the_latent_scores(mobi: pd.DataFrame) -> None:
    """Independent check: regress each endogenous score on its predecessors by hand."""
    model = shipped_model("ecsi_mobi")
    for scheme in ("centroid", "factorial", "path"):
        fit = estimate(model, matrix(mobi, model.columns), scheme)  # type: ignore[arg-type]
        for target in model.endogenous:
            before = model.predecessors(target)
            x = np.column_stack([np.ones(250)] + [fit.score(p) for p in before])
            coef = np.linalg.lstsq(x, fit.score(target), rcond=None)[0]
            for source, value in zip(before, coef[1:], strict=True):
                assert fit.paths[(source, target)] == pytest.approx(value, abs=1e-10)
            residual = fit.score(target) - x @ coef
            r2 = 1 - residual.var() / fit.score(target).var()
            assert fit.r_squared[target] == pytest.approx(r2, abs=1e-10)


def test_scores_are_weighted_sums_of_standardized_indicators(mobi: pd.DataFrame) -> None:
    model = shipped_model("ecsi_mobi")
    data = matrix(mobi, model.columns)
    fit = estimate(model, data, "centroid")
    z = (data - data.mean(axis=0)) / data.std(axis=0, ddof=1)
    for construct, block in model.blocks.items():
        weights = np.array([fit.weights[construct][c] for c in block])
        by_hand = z[:, [model.columns.index(c) for c in block]] @ weights
        assert np.allclose(by_hand - by_hand.mean(), fit.score(construct), atol=1e-8)
        assert by_hand.std(ddof=1) == pytest.approx(1.0, abs=1e-8)


def test_loadings_are_correlations_with_the_score(mobi: pd.DataFrame) -> None:
    model = shipped_model("ecsi_mobi")
    fit = estimate(model, matrix(mobi, model.columns), "centroid")
    for construct, block in model.blocks.items():
        for column in block:
            r = np.corrcoef(mobi[column], fit.score(construct))[0, 1]
            assert fit.loadings[construct][column] == pytest.approx(r, abs=1e-10)


def test_mode_b_weights_are_a_multiple_regression_on_the_block(mobi: pd.DataFrame) -> None:
    model = PathModel(blocks=REDUCED.blocks, paths=REDUCED.paths, modes={"Image": "B"})
    data = matrix(mobi, model.columns)
    fit = estimate(model, data, "centroid")
    z = (data - data.mean(axis=0)) / data.std(axis=0, ddof=1)
    image = z[:, :5]
    # At convergence Image's inner estimate is sign(r) x Satisfaction; Mode B regresses it on Image.
    sign = np.sign(np.corrcoef(fit.score("Image"), fit.score("Satisfaction"))[0, 1])
    beta = np.linalg.lstsq(image, sign * fit.score("Satisfaction"), rcond=None)[0]
    beta /= np.std(image @ beta, ddof=1)
    assert np.allclose([fit.weights["Image"][c] for c in REDUCED.blocks["Image"]], beta, atol=1e-6)


def test_total_effects_add_indirect_paths(mobi: pd.DataFrame) -> None:
    model = shipped_model("ecsi_mobi")
    fit = estimate(model, matrix(mobi, model.columns), "path")
    p = fit.paths
    via_value = p[("Quality", "Value")] * p[("Value", "Satisfaction")]
    assert total_effects(fit)[("Quality", "Satisfaction")] == pytest.approx(
        p[("Quality", "Satisfaction")] + via_value, abs=1e-12
    )


def test_the_three_schemes_agree_closely_but_not_exactly(mobi: pd.DataFrame) -> None:
    model = shipped_model("ecsi_mobi")
    data = matrix(mobi, model.columns)
    fits = {s: estimate(model, data, s) for s in ("centroid", "factorial", "path")}  # type: ignore[misc]
    key = ("Quality", "Satisfaction")
    values = [f.paths[key] for f in fits.values()]
    assert max(values) - min(values) < 0.01
    assert len({round(v, 6) for v in values}) == 3


def test_bad_models_are_refused_with_a_reason() -> None:
    with pytest.raises(ModelError, match="cycle"):
        PathModel(blocks={"A": ["a"], "B": ["b"]}, paths=[("A", "B"), ("B", "A")])
    with pytest.raises(ModelError, match="not a declared block"):
        model_from_mapping({"blocks": {"A": ["a"]}, "paths": [["A", "Z"]]})
    with pytest.raises(ModelError, match="both"):
        model_from_mapping({"blocks": {"A": ["a"], "B": ["a"]}, "paths": []})
    with pytest.raises(ModelError, match="A or B"):
        model_from_mapping({"blocks": {"A": ["a"]}, "paths": [], "modes": {"A": "C"}})


def test_missing_answers_and_constant_items_are_refused(mobi: pd.DataFrame) -> None:
    data = matrix(mobi, REDUCED.columns)
    holed = data.copy()
    holed[3, 2] = np.nan
    with pytest.raises(EstimationError, match="missing"):
        estimate(REDUCED, holed)
    flat = data.copy()
    flat[:, 0] = 7
    with pytest.raises(EstimationError, match="no variance"):
        estimate(REDUCED, flat)
