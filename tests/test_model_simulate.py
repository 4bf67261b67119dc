"""The simulation: a case worked by hand, and the laws the model must keep."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.baseline import Baseline, baseline_from_actuals, load_actuals_cached, load_baseline
from model.params import SPECS
from model.scenario import Scenario
from model.simulate import Result, region_column, simulate


def one_region() -> Baseline:
    """One destination (Rest of world): exports 100, imports 80, world exports 1000."""
    return Baseline(
        year=2025,
        regions=("Rest of world",),
        exports=[100.0],
        imports=80.0,
        world_exports=1000.0,
    )


def test_one_region_worked_by_hand():
    scenario = Scenario(
        end_year=2027,
        tariff_rest_of_world=10.0,
        growth_rest_of_world=2.0,
        growth_china=4.0,
        growth_world=4.0,
        world_trade=3.0,
        sigma=3.5,
        sigma_1=1.4,
        omega=0.0,
        eps_y=1.5,
        eps_m=1.0,
        mu=0.2,
        rmb=0.0,
        commodity=0.0,
        price=0.0,
    )
    # lambda = 1.4 / 3.5 = 0.4; value elasticity = 3.5 (1 - 0) + 0 = 3.5
    # a*   = -3.5 ln(1.10)                      = -0.333585629
    # 2026: a = 0.4 a*                          = -0.133434252
    #       demand = 1.5 ln(1.02)               =  0.029703941
    #       X = 100 exp(0.029703941 - 0.133434252)          = 90.146838
    # 2027: a = -0.133434252 + 0.4 (a* + 0.133434252)       = -0.213494803
    #       X = 90.146838 exp(0.029703941 - 0.080060551)    = 85.719751
    # Imports: M = M_1 (1.04)^1 exp(0.2 (ln X - ln X_1))
    #       2026: 80 x 1.04 x exp(0.2 ln(90.146838/100))    = 81.491709
    #       2027: 81.491709 x 1.04 x exp(0.2 ln(85.719751/90.146838)) = 83.902103
    # Other exporters: 900 x 1.03 = 927; 927 x 1.03 = 954.81
    # World share 2026: 100 x 90.146838 / (90.146838 + 927) = 8.862716 %
    result = simulate(scenario, one_region())
    path = result.path
    assert list(path["year"]) == [2025, 2026, 2027]
    np.testing.assert_allclose(path["exports_usd_bn"], [100.0, 90.146838, 85.719751], rtol=1e-7)
    np.testing.assert_allclose(path["imports_usd_bn"], [80.0, 81.491709, 83.902103], rtol=1e-7)
    np.testing.assert_allclose(
        path["world_exports_usd_bn"], [1000.0, 90.146838 + 927.0, 85.719751 + 954.81], rtol=1e-7
    )
    np.testing.assert_allclose(path["world_share_pct"][1], 8.862716, rtol=1e-6)
    np.testing.assert_allclose(
        path["balance_usd_bn"], path["exports_usd_bn"] - path["imports_usd_bn"]
    )
    total = result.decomposition.query("region == 'Total'")
    # 2026 change -9.853162: demand and tariff split with the log mean 94.987...
    log_mean = (90.146838 - 100.0) / math.log(0.90146838)
    np.testing.assert_allclose(total["demand"].iloc[0], log_mean * 0.029703941, rtol=1e-6)
    np.testing.assert_allclose(total["tariff"].iloc[0], log_mean * -0.133434252, rtol=1e-6)
    assert total["rerouting"].iloc[0] == 0.0 and total["price"].iloc[0] == 0.0


# ----------------------------------------------------------------------------- strategies


def _value(name: str):
    spec = SPECS[name]
    if spec.integer:
        return st.integers(int(spec.min), int(spec.max))
    extremes = st.sampled_from([spec.min, spec.max])
    return st.one_of(extremes, st.floats(spec.min, spec.max, allow_nan=False))


@st.composite
def scenarios(draw, end_year=None):
    """Any valid scenario, extremes included."""
    values = {}
    for name in SPECS:
        if name == "sigma_1":
            continue
        values[name] = draw(_value(name))
    values["sigma_1"] = draw(st.floats(SPECS["sigma_1"].min, min(3.0, values["sigma"])))
    if end_year is not None:
        values["end_year"] = end_year
    return Scenario(**values)


@pytest.fixture(scope="module")
def real_baseline() -> Baseline:
    return load_baseline()


def test_default_scenario_runs_on_the_shipped_data(real_baseline):
    result = simulate(Scenario(), real_baseline)
    assert isinstance(result, Result)
    assert result.path["year"].iloc[0] == real_baseline.year
    assert result.path["year"].iloc[-1] == 2035
    assert np.isfinite(result.path.to_numpy(dtype=float)).all()


SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(scenario=scenarios(), data=st.data())
def test_higher_tariff_never_raises_exports_to_that_region(real_baseline, scenario, data):
    slugs = real_baseline.slugs
    slug = data.draw(st.sampled_from(slugs))
    field = f"tariff_{slug}"
    current = getattr(scenario, field)
    higher = data.draw(st.floats(current, 200.0))
    before = simulate(scenario, real_baseline).path[region_column(slug)].to_numpy()
    after = simulate(scenario.replace(**{field: higher}), real_baseline).path[region_column(slug)]
    assert np.all(after.to_numpy() <= before * (1 + 1e-12))


@SETTINGS
@given(scenario=scenarios(), data=st.data())
def test_higher_tariff_in_one_year_never_raises_exports_to_that_region(
    real_baseline, scenario, data
):
    j = data.draw(st.integers(0, len(real_baseline.slugs) - 1))
    slug = real_baseline.slugs[j]
    year = data.draw(st.integers(2026, scenario.end_year))
    base = scenario.tariff_level(slug, year, float(real_baseline.tariff_end[j]))
    higher = data.draw(st.floats(base, 200.0))
    before = simulate(scenario, real_baseline).path[region_column(slug)].to_numpy()
    raised = scenario.replace(tariff_path={slug: {year: higher}})
    after = simulate(raised, real_baseline).path[region_column(slug)].to_numpy()
    assert np.all(after <= before * (1 + 1e-12))


def _no_shock(baseline: Baseline, scenario: Scenario) -> Scenario:
    changes = {f"growth_{s}": 0.0 for s in SPECS_REGION_SLUGS}
    levels = baseline.effective_tariffs(scenario)
    for j, slug in enumerate(baseline.slugs):
        changes[f"tariff_{slug}"] = float(levels[j])
    changes.update(
        tariff_from=2026,
        tariff_path={},
        tariff_steps={},
        growth_china=0.0,
        growth_world=0.0,
        world_trade=0.0,
        rmb=0.0,
        commodity=0.0,
        price=0.0,
        tariff_china=float(levels[-1]),
    )
    return scenario.replace(**changes)


SPECS_REGION_SLUGS = [name[len("growth_") :] for name in SPECS if name.startswith("growth_")]
SPECS_REGION_SLUGS.remove("china")
SPECS_REGION_SLUGS.remove("world")


@pytest.fixture(scope="module")
def base_year_only() -> Baseline:
    """The shipped base year with no tariff history before it (nothing in the pipeline)."""
    actuals = load_actuals_cached()
    return baseline_from_actuals(actuals, history_from=load_baseline().year)


@SETTINGS
@given(scenario=scenarios())
def test_no_shock_and_zero_growth_reproduce_the_base_year(base_year_only, scenario):
    for baseline in (base_year_only, one_region()):
        result = simulate(_no_shock(baseline, scenario), baseline)
        for j in range(len(baseline.regions)):
            np.testing.assert_allclose(
                result.exports_by_region[:, j], baseline.exports[j], rtol=1e-13
            )
        np.testing.assert_allclose(result.imports, baseline.imports, rtol=1e-13)
        np.testing.assert_allclose(result.world_share, baseline.world_share_pct, rtol=1e-13)


@SETTINGS
@given(scenario=scenarios())
def test_outputs_are_finite_and_add_up(real_baseline, scenario):
    result = simulate(scenario, real_baseline)
    path = result.path
    assert np.isfinite(path.to_numpy(dtype=float)).all()
    assert (result.exports_by_region > 0).all()
    regions = [region_column(s) for s in real_baseline.slugs]
    np.testing.assert_allclose(path[regions].sum(axis=1), path["exports_usd_bn"], rtol=1e-12)
    decomposition = result.decomposition
    assert np.isfinite(decomposition[["demand", "tariff", "rerouting", "price"]]).all().all()
    for j, region in enumerate(real_baseline.regions):
        changes = np.diff(result.exports_by_region[:, j])
        rows = decomposition[decomposition["region"] == region]
        np.testing.assert_allclose(
            rows["change"].to_numpy(), changes, rtol=1e-9, atol=1e-9 * result.exports.max()
        )
    totals = decomposition[decomposition["region"] == "Total"]["change"].to_numpy()
    np.testing.assert_allclose(
        totals, np.diff(result.exports), rtol=1e-9, atol=1e-9 * result.exports.max()
    )


def test_tariff_from_holds_the_base_level_until_then(real_baseline):
    plain = Scenario(tariff_steps={})
    later = simulate(plain.replace(tariff_united_states=124.1, tariff_from=2028), real_baseline)
    at_once = simulate(plain.replace(tariff_united_states=124.1), real_baseline)
    truce = simulate(plain.replace(tariff_united_states=47.5), real_baseline)
    us = region_column("united_states")
    np.testing.assert_allclose(later.path[us][:3], truce.path[us][:3])
    assert later.path[us][3] < truce.path[us][3]
    assert at_once.path[us][1] < truce.path[us][1]


def test_end_year_must_follow_the_base_year():
    baseline = Baseline(
        year=2030, regions=("Rest of world",), exports=[1.0], imports=1.0, world_exports=10.0
    )
    with pytest.raises(ValueError, match="end_year"):
        simulate(Scenario(end_year=2030), baseline)


def test_us_tariff_rise_reroutes_through_connectors(real_baseline):
    low = simulate(Scenario(tariff_united_states=47.5, kappa=0.16, tariff_steps={}), real_baseline)
    high = simulate(
        Scenario(tariff_united_states=124.1, kappa=0.16, tariff_steps={}), real_baseline
    )
    asean = region_column("asean")
    assert (high.path[asean][1:] > low.path[asean][1:]).all()
    rerouting = high.decomposition.query("region == 'ASEAN'")["rerouting"]
    assert rerouting.iloc[0] > 0
