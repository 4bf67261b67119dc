"""Calibration: finite estimates with standard errors, in and out of sample."""

from __future__ import annotations

import numpy as np
import pytest

from model import Scenario, calibrate


@pytest.fixture(scope="module")
def fitted():
    return calibrate(window=(2018, 2022), start_year=2017)


def test_estimates_are_finite_and_inside_their_ranges(fitted):
    table = fitted.estimates
    assert list(table["parameter"]) == ["sigma", "sigma_1", "phi", "psi", "eps_y", "eps_m"]
    assert np.isfinite(table["estimate"]).all() and np.isfinite(table["std_error"]).all()
    assert (table["std_error"] >= 0).all()
    assert ((table["estimate"] >= table["min"]) & (table["estimate"] <= table["max"])).all()
    assert isinstance(fitted.scenario, Scenario)
    assert fitted.n_obs == 20  # four series' yearly changes, five years


def test_errors_in_and_out_of_sample(fitted):
    errors = fitted.errors.set_index(["series", "sample"])
    assert errors.loc[("exports_usd_bn", "in"), "years"] == 5
    assert errors.loc[("exports_usd_bn", "out"), "years"] == 3
    assert np.isfinite(errors["mape_pct"]).all()
    assert errors.loc[("exports_usd_bn", "in"), "mape_pct"] < 10


def test_fit_is_no_worse_than_the_defaults_in_sample():
    default = calibrate(window=(2018, 2022), parameters=("eps_m",))
    assert (
        default.cost
        <= calibrate(window=(2018, 2022), parameters=("eps_m",), base=Scenario(eps_m=1.4)).cost
        + 1e-9
    )


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"parameters": ("tariff_united_states",)}, "not behavioural"),
        ({"window": (2010, 2030)}, "window"),
        ({"window": (2020, 2019)}, "window"),
    ],
)
def test_bad_requests_raise(kwargs, match):
    with pytest.raises(ValueError, match=match):
        calibrate(**kwargs)
