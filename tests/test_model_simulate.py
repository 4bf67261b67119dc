"""The simulation: a case worked by hand, and the laws the model must keep."""

from __future__ import annotations

import itertools

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
        sigma=3.5,
        sigma_1=1.4,
        phi=2.0,
        eps_p=2.0,
        psi=1.0,
        eps_y=1.5,
        eps_m=1.0,
        mu=0.2,
    )
    # Market: China's share 100 / (1000 - 80) of the 920 world imports outside China;
    # others sell 820. lambda = 0.4; h_1 = 0.4 ln 1.1 = 0.038124, h_2 = 0.060999.
    # Demand E_t = 920 x 1.02^(1.5 t); capacity K_t = 100 x 1.04^t; with the odds
    # o = A/(1-A) e^{-2.5 (h + q)} and F = ((1 + o) / (1 + A/(1-A)))^0.4 (eps_p = 2),
    # q_t solves  ln(o/(1+o) F E e^-h) - q = ln K + 2 q  (scipy's brentq, outside the
    # model): q_1 = -0.025626, q_2 = -0.041718; F = 0.998661, 0.997951;
    # China's sales 96.304378, 95.436034; the others' (1 - S) F E 846.421881, 872.872091.
    # Imports: 0.2 X + 60 x 1.04^t = 81.660876, 83.983207.
    result = simulate(scenario, one_region())
    path = result.path
    assert list(path["year"]) == [2025, 2026, 2027]
    np.testing.assert_allclose(path["exports_usd_bn"], [100.0, 96.304378, 95.436034], rtol=1e-7)
    np.testing.assert_allclose(path["imports_usd_bn"], [80.0, 81.660876, 83.983207], rtol=1e-7)
    np.testing.assert_allclose(
        result.others_by_region[:, 0], [820.0, 846.421881, 872.872091], rtol=1e-7
    )
    np.testing.assert_allclose(
        path["world_exports_usd_bn"], [1000.0, 1024.387134, 1052.291333], rtol=1e-7
    )
    np.testing.assert_allclose(path["world_share_pct"][1], 9.401170, rtol=1e-6)
    np.testing.assert_allclose(
        path["balance_usd_bn"], path["exports_usd_bn"] - path["imports_usd_bn"]
    )


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
        growth_world=SPECS["growth_world"].default,
        world_trade=SPECS["world_trade"].default,
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
    assert (result.exports_by_region > 0).all() and (result.others_by_region > 0).all()
    regions = [region_column(s) for s in real_baseline.slugs]
    np.testing.assert_allclose(path[regions].sum(axis=1), path["exports_usd_bn"], rtol=1e-12)
    # World exports are every market's purchases plus China's imports.
    markets = result.exports_by_region.sum(axis=1) + result.others_by_region.sum(axis=1)
    np.testing.assert_allclose(path["world_exports_usd_bn"], markets + result.imports, rtol=1e-12)
    parts = result.decomposition
    assert np.isfinite(parts.drop(columns="year").to_numpy()).all()
    scale = 1e-9 * result.exports.max()
    np.testing.assert_allclose(parts["lost"], parts["diverted"] + parts["destroyed"], atol=scale)
    change = result.exports[1:] - result.reference.exports[1:]
    np.testing.assert_allclose(
        parts["deflected"] + parts["rerouted"] - parts["lost"], change, atol=scale
    )


@SETTINGS
@given(scenario=scenarios(), data=st.data())
def test_higher_tariff_never_lowers_competitors_sales_there(real_baseline, scenario, data):
    j = data.draw(st.integers(0, len(real_baseline.slugs) - 1))
    field = f"tariff_{real_baseline.slugs[j]}"
    higher = data.draw(st.floats(getattr(scenario, field), 200.0))
    before = simulate(scenario, real_baseline).others_by_region[:, j]
    after = simulate(scenario.replace(**{field: higher}), real_baseline).others_by_region[:, j]
    assert np.all(after >= before * (1 - 1e-12))


@SETTINGS
@given(scenario=scenarios(), data=st.data())
def test_higher_demand_anywhere_never_lowers_chinas_exports(real_baseline, scenario, data):
    names = [f"growth_{s}" for s in real_baseline.slugs] + ["growth_world", "world_trade"]
    name = data.draw(st.sampled_from(names))
    higher = data.draw(st.floats(getattr(scenario, name), SPECS[name].max))
    before = simulate(scenario, real_baseline).exports
    after = simulate(scenario.replace(**{name: higher}), real_baseline).exports
    assert np.all(after >= before * (1 - 1e-12))


@SETTINGS
@given(scenario=scenarios(), growth=st.floats(-3.0, 6.0))
def test_equal_growth_of_every_market_and_of_capacity_leaves_shares_unchanged(
    base_year_only, scenario, growth
):
    """Markets and China's capacity growing alike: China's price and shares stay put."""
    calm = _no_shock(base_year_only, scenario)
    same = {f"growth_{s}": growth for s in base_year_only.slugs}
    china = 100 * ((1 + growth / 100) ** (calm.eps_y / calm.psi) - 1)
    if not SPECS["growth_china"].min <= china <= SPECS["growth_china"].max:
        return
    result = simulate(calm.replace(growth_china=china, **same), base_year_only)
    own = result.exports_by_region - result.rerouted
    share = own / (own + result.others_by_region)
    np.testing.assert_allclose(share, np.broadcast_to(share[0], share.shape), rtol=1e-9)


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
    assert (high.decomposition["rerouted"] > 0).all()


def test_before_tariff_from_the_last_dated_step_holds(real_baseline):
    """The default steps end at 33.0% on 2026-07-24: a later start of the slider level
    keeps 33.0% until then, not the 47.5% of the end of 2025."""
    steps = Scenario().tariff_steps
    last = Scenario().step_items("united_states")[-1][1]
    later = Scenario(tariff_from=2029, tariff_united_states=100.0, tariff_steps=steps)
    assert [later.tariff_level("united_states", y, 47.5) for y in (2027, 2028, 2029)] == [
        last,
        last,
        100.0,
    ]
    held = Scenario(tariff_united_states=last, tariff_steps=steps)
    us = region_column("united_states")
    np.testing.assert_allclose(
        simulate(later, real_baseline).path[us][:2], simulate(held, real_baseline).path[us][:2]
    )


def test_more_demand_elsewhere_raises_exports_even_when_re_routing_is_large():
    # A 200% US tariff at sigma = 6 with kappa = 0.16 makes the re-routed sales many times
    # the US sales left. They use China's capacity too: counted outside the supply balance,
    # more EU demand (higher export prices, fewer US sales) once cut total exports in 2034.
    slow = ("european_union", "asean", "india", "russia", "latin_america", "africa")
    stressed = Scenario(
        end_year=2034,
        tariff_united_states=200.0,
        tariff_china=0.0,
        growth_united_states=10.0,
        **{f"growth_{s}": -10.0 for s in (*slow, "rest_of_world")},
        growth_china=-5.0,
        growth_world=-5.0,
        world_trade=-10.0,
        rmb=-10.0,
        commodity=-30.0,
        price=-10.0,
        psi=0.5,
        phi=1.0,
        eps_p=1.0,
        sigma=6.0,
        sigma_1=1.0,
        kappa=0.16,
        eps_y=0.7,
        mu=0.1,
        s_com=0.2,
        eta=0.0,
        rho=0.0,
    )
    before = simulate(stressed).exports
    after = simulate(stressed.replace(growth_european_union=0.0)).exports
    assert np.all(after[1:] > before[1:])


# ----------------------------------------------------------------- the return after a cut


def us_wedges(scenario: Scenario, baseline: Baseline) -> np.ndarray:
    """(T+1,) the adjusted log US tariff of a scenario, the base year first."""
    from model import engine
    from model.simulate import scenario_params, scenario_paths

    params = {k: np.array([[v]]) for k, v in scenario_params(scenario).items()}
    paths = scenario_paths(scenario, baseline)
    levels = engine.tariff_states(
        baseline.core, paths, params["sigma"], params["sigma_1"], params["cut_half_life"]
    )
    return levels[0, :, baseline.core.us]


@pytest.mark.parametrize("half_life", [1.0, 2.5, 5.0, 10.0])
def test_a_cut_closes_half_the_gap_in_its_half_life(half_life):
    # With the US tariff held at 0% from 2026, the gap between the adjusted wedge and
    # the new level shrinks by 2^(-1/tau) a year: by half in tau years.
    base = load_baseline()
    scenario = Scenario(
        tariff_united_states=0.0, tariff_steps={}, cut_half_life=half_life, end_year=2040
    )
    wedge = us_wedges(scenario, base)
    target = np.log1p(0.0)
    gaps = wedge - target
    assert gaps[0] > 0.2  # the end-2025 wedge: about ln 1.295
    np.testing.assert_allclose(gaps[1:] / gaps[:-1], 2.0 ** (-1.0 / half_life), rtol=1e-12)


def test_a_rise_is_untouched_by_the_half_life_of_a_cut():
    base = load_baseline()
    paths = [
        simulate(Scenario(tariff_united_states=90.0, cut_half_life=h), base).path
        for h in (1.0, 5.0, 10.0)
    ]
    for path in paths[1:]:
        np.testing.assert_allclose(path.to_numpy(), paths[0].to_numpy(), rtol=1e-12)


def test_a_slower_return_after_a_cut_never_raises_exports_to_the_us():
    base = load_baseline()
    column = region_column("united_states")
    paths = [
        simulate(
            Scenario(tariff_united_states=0.0, tariff_china=0.0, tariff_steps={}, cut_half_life=h),
            base,
        )
        .path[column]
        .to_numpy()
        for h in (1.0, 2.0, 5.0, 10.0)
    ]
    for faster, slower in itertools.pairwise(paths):
        assert np.all(slower[1:] < faster[1:])
    # At the default half-life of 5 years the 2030 level is below the no-lag CES answer.
    assert paths[2][5] < 0.8 * paths[0][5]


@pytest.mark.parametrize("us_tariff", [10.0, 90.0])  # a cut (the loop), a rise (the kernel)
def test_each_draw_follows_the_single_run_of_its_half_life(us_tariff):
    from model.uncertainty import run_draws

    base = load_baseline()
    scenario = Scenario(tariff_united_states=us_tariff, tariff_steps={})
    half_lives = np.array([1.0, 5.0, 10.0])
    draws = run_draws(scenario, {"cut_half_life": half_lives}, base)
    for k, half_life in enumerate(half_lives):
        single = simulate(scenario.replace(cut_half_life=float(half_life)), base)
        np.testing.assert_allclose(draws["exports_usd_bn"][k], single.exports, rtol=1e-10)
        np.testing.assert_allclose(draws["imports_usd_bn"][k], single.imports, rtol=1e-10)
