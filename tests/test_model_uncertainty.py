"""Uncertainty bands over parameter draws, and the sensitivity ranking."""

from __future__ import annotations

import numpy as np
import pytest

from model import Scenario, sensitivity, simulate, uncertainty
from model.params import BEHAVIOURAL, SPECS
from model.uncertainty import draw_parameters, run_draws


def test_draws_cover_each_range():
    draws = draw_parameters(1024, seed=1)
    assert set(draws) == set(BEHAVIOURAL)
    for name, values in draws.items():
        assert values.shape == (1024,)
        assert values.min() >= SPECS[name].min and values.max() <= SPECS[name].max
        assert values.max() - values.min() > 0.9 * (SPECS[name].max - SPECS[name].min)


def test_vectorised_draws_match_single_runs():
    scenario = Scenario(tariff_united_states=80.0, end_year=2030)
    draws = draw_parameters(5, seed=3)
    together = run_draws(scenario, draws)
    for i in range(5):
        values = {name: float(draws[name][i]) for name in draws}
        values["sigma_1"] = min(values["sigma_1"], values["sigma"])
        single = simulate(scenario.replace(**values))
        np.testing.assert_allclose(together["balance_usd_bn"][i], single.balance, rtol=1e-10)
        np.testing.assert_allclose(together["world_share_pct"][i], single.world_share, rtol=1e-10)


def test_bands_are_ordered_and_start_at_the_base_year():
    bands = uncertainty(Scenario(end_year=2030), n=2000, seed=0)
    assert list(bands.columns) == ["year", "series", "p5", "p25", "p50", "p75", "p95"]
    assert set(bands["series"]) == {
        "exports_usd_bn",
        "imports_usd_bn",
        "balance_usd_bn",
        "world_share_pct",
    }
    values = bands[["p5", "p25", "p50", "p75", "p95"]].to_numpy()
    assert (np.diff(values, axis=1) >= -1e-9).all()
    first = bands[bands["year"] == bands["year"].min()]
    np.testing.assert_allclose(first["p5"], first["p95"])  # the base year is data
    later = bands[(bands["year"] == 2030) & (bands["series"] == "balance_usd_bn")]
    assert float(later["p95"].iloc[0] - later["p5"].iloc[0]) > 0


def test_same_seed_same_bands():
    a = uncertainty(n=512, seed=7, method="lhs")
    b = uncertainty(n=512, seed=7, method="lhs")
    assert a.equals(b)


def test_bad_draw_requests_raise():
    with pytest.raises(ValueError, match="method"):
        draw_parameters(10, method="grid")
    with pytest.raises(ValueError, match="at least 1"):
        draw_parameters(0)


def test_sensitivity_ranks_by_swing():
    table = sensitivity(Scenario(), year=2030)
    assert list(table.columns) == ["input", "label", "low", "high", "at_low", "at_high", "swing"]
    swings = table["swing"].abs().to_numpy()
    assert (np.diff(swings) <= 1e-9).all()
    assert "end_year" not in set(table["input"])
    assert "tariff_japan" not in set(table["input"])  # Japan is not modelled in the base year
    us = table.set_index("input").loc["tariff_united_states"]
    assert us["at_high"] < us["at_low"]  # a higher US tariff lowers the 2030 surplus here
    with pytest.raises(ValueError, match="year"):
        sensitivity(Scenario(end_year=2028), year=2030)


def test_percentiles_match_numpy():
    from model.uncertainty import _percentiles

    values = np.random.default_rng(0).normal(size=(1001, 4))
    q = (5, 25, 33.3, 50, 75, 95)
    np.testing.assert_allclose(_percentiles(values, q), np.percentile(values, q, axis=0))


@pytest.mark.parametrize(
    "scenario",
    [
        Scenario(),
        Scenario(tariff_asean=30.0, growth_india=6.0, tariff_united_states=0.0),
        Scenario(tariff_path={"united_states": {2027: 124.1}}, kappa=0.16, end_year=2040),
    ],
)
def test_draws_run_in_chunks_equal_one_run_each(scenario):
    from model import load_baseline
    from model.engine import CHUNK

    baseline = load_baseline()
    n = CHUNK + 7
    draws = draw_parameters(n, seed=5)
    together = run_draws(scenario, draws, baseline)
    for k in (0, CHUNK - 1, CHUNK, n - 1):
        values = {name: float(v[k]) for name, v in draws.items()}
        if values["sigma_1"] > values["sigma"]:  # a Scenario refuses it; the engine caps λ
            continue
        alone = simulate(scenario.replace(**values), baseline)
        np.testing.assert_allclose(together["exports_usd_bn"][k], alone.exports, rtol=1e-10)
        np.testing.assert_allclose(together["balance_usd_bn"][k], alone.balance, rtol=1e-10)
