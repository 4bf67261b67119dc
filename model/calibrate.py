"""Fit the elasticities to history.

:func:`calibrate` replays history from a start year (as :func:`model.backtest.backtest`
does) and chooses the behavioural parameters that minimise the squared log
errors of total exports, total imports and exports to the US over a window of
years, with :func:`scipy.optimize.least_squares` inside each parameter's range:

.. math::

    \\min_\\theta \\sum_{t \\in W} \\sum_{k}
        \\bigl(\\ln \\hat y_{k,t}(\\theta) - \\ln y_{k,t}\\bigr)^2

Standard errors come from the Jacobian :math:`J` at the optimum,
:math:`\\operatorname{cov}(\\hat\\theta) = s^2 (J^\\top J)^{-1}` with
:math:`s^2 = \\mathrm{SSR}/(n - p)`; they mean little for an estimate at the edge
of its range (flagged ``at_bound``). The years after the window are
out of sample: the replay goes on through them with the fitted parameters.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from model import engine
from model.backtest import prepare
from model.baseline import latest_full_year, load_actuals_cached
from model.data import Actuals
from model.params import SPECS
from model.scenario import Scenario
from model.simulate import scenario_params

#: Parameters fitted by default.
FITTED = ("sigma", "sigma_1", "phi", "psi", "eps_y", "eps_m")

#: Series fitted: (name, how to read the simulated value, the actual).
SERIES = (
    "exports_usd_bn",
    "imports_usd_bn",
    "exports_united_states_usd_bn",
    "exports_outside_us_usd_bn",
)


@dataclass(frozen=True, eq=False)
class CalibrationResult:
    """Fitted parameters and their fit.

    Attributes
    ----------
    estimates : one row a parameter: parameter, label, estimate, std_error, default,
        min, max, at_bound.
    errors : one row per series and sample (``in`` the window, ``out`` after it):
        MAPE (%), RMSE of the log error, and the number of years.
    scenario : the default scenario with the fitted parameters.
    window : (first, last) year fitted; start_year : the replay's start.
    cost : half the sum of squared log errors at the optimum; n_obs : residuals.
    message : the optimiser's message.
    """

    estimates: pd.DataFrame
    errors: pd.DataFrame
    scenario: Scenario
    window: tuple[int, int]
    start_year: int
    cost: float
    n_obs: int
    message: str


def calibrate(
    window: tuple[int, int] = (2018, 2025),
    start_year: int | None = None,
    parameters: tuple[str, ...] = FITTED,
    base: Scenario | None = None,
    actuals: Actuals | None = None,
) -> CalibrationResult:
    """Fit behavioural parameters to the years of ``window``.

    Parameters
    ----------
    window : first and last year whose errors are minimised.
    start_year : year the replay starts from (default: the year before the window).
    parameters : names of the behavioural parameters to fit (others stay at ``base``).
    base : starting values and the parameters held fixed (default: :class:`Scenario`).
    actuals : the data (default: ``data/``).

    Returns
    -------
    CalibrationResult
        Estimates with standard errors, in-sample and out-of-sample errors.

    Raises
    ------
    ValueError
        On an unknown parameter or a window outside the data.
    """
    from scipy.optimize import least_squares

    actuals = load_actuals_cached() if actuals is None else actuals
    base = Scenario() if base is None else base
    unknown = [p for p in parameters if p not in SPECS or SPECS[p].group != "behaviour"]
    if unknown or not parameters:
        raise ValueError(f"not behavioural parameters: {', '.join(unknown) or '(none)'}")
    first, last = int(window[0]), int(window[1])
    end = latest_full_year(actuals)
    start = first - 1 if start_year is None else int(start_year)
    if not start < first <= last <= end:
        raise ValueError(
            f"window {first}-{last} must lie after the start year {start} and end by {end}"
        )

    replay = prepare(actuals, start, end)
    baseline, years, observed = replay.baseline, replay.years, replay.observed
    us = baseline.regions.index("United States") if "United States" in baseline.regions else -1
    annual = actuals.annual
    rows = actuals.by_region[actuals.by_region["region"] == "United States"]
    us_actual = rows.set_index("year")["exports_usd_bn"]
    span = [start, *years]
    total = annual["exports_usd_bn"].reindex(span).to_numpy(float)
    us_series = us_actual.reindex(span).to_numpy(float) if us >= 0 else np.full(len(span), np.nan)
    actual = np.array(
        [
            total,
            annual["imports_usd_bn"].reindex(span).to_numpy(float),
            us_series,
            total - us_series,
        ]
    )
    in_window = np.array([first <= y <= last for y in years])
    fixed = scenario_params(base)
    names = list(parameters)
    low = np.array([SPECS[n].min for n in names])
    high = np.array([SPECS[n].max for n in names])
    base_values = actual[:, :1]

    def simulate(theta: np.ndarray) -> np.ndarray:
        params = dict(fixed) | dict(zip(names, theta, strict=True))
        paths = observed.with_eps_y(params["eps_y"])
        out = engine.run(baseline.core, paths, params)
        us_path = out.exports_by_region[0, :, us] if us >= 0 else np.full(len(years), np.nan)
        paths_out = np.array([out.exports[0], out.imports[0], us_path, out.exports[0] - us_path])
        return np.hstack([base_values, paths_out])

    change_actual = np.diff(np.log(actual), axis=1)  # NaN where a year is missing
    mask = in_window[None, :] & np.isfinite(change_actual)
    known_change = np.where(mask, change_actual, 0.0)

    def residuals(theta: np.ndarray) -> np.ndarray:
        return (np.diff(np.log(simulate(theta)), axis=1) - known_change)[mask]

    start_values = np.clip([getattr(base, n) for n in names], low, high)
    fit = least_squares(residuals, start_values, bounds=(low, high), x_scale=high - low)
    n_obs, n_par = int(mask.sum()), len(names)
    dof = max(n_obs - n_par, 1)
    s2 = 2.0 * fit.cost / dof
    jtj = fit.jac.T @ fit.jac
    cov = s2 * np.linalg.pinv(jtj)
    std = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    at_bound = (np.isclose(fit.x, low, rtol=0, atol=1e-6 * (high - low))) | np.isclose(
        fit.x, high, rtol=0, atol=1e-6 * (high - low)
    )
    estimates = pd.DataFrame(
        {
            "parameter": names,
            "label": [SPECS[n].label for n in names],
            "estimate": fit.x,
            "std_error": std,
            "default": [getattr(base, n) for n in names],
            "min": low,
            "max": high,
            "at_bound": at_bound,
        }
    )

    fitted = simulate(fit.x)[:, 1:]
    actual = actual[:, 1:]
    rows_out = []
    for k, series in enumerate(SERIES):
        for sample, chosen in (("in", in_window), ("out", ~in_window)):
            known = chosen & np.isfinite(actual[k])
            error = fitted[k][known] / actual[k][known] - 1.0
            rows_out.append(
                {
                    "series": series,
                    "sample": sample,
                    "years": int(known.sum()),
                    "mape_pct": float(100 * np.mean(np.abs(error))) if known.any() else np.nan,
                    "rmse_log": float(np.sqrt(np.mean(np.log1p(error) ** 2)))
                    if known.any()
                    else np.nan,
                }
            )
    changes = dict(zip(names, (float(v) for v in fit.x), strict=True))
    if "sigma_1" in changes or "sigma" in changes:
        sigma = changes.get("sigma", base.sigma)
        changes["sigma_1"] = min(changes.get("sigma_1", base.sigma_1), sigma)
    return CalibrationResult(
        estimates=estimates,
        errors=pd.DataFrame(rows_out),
        scenario=base.replace(**changes),
        window=(first, last),
        start_year=start,
        cost=float(fit.cost),
        n_obs=n_obs,
        message=str(fit.message),
    )
