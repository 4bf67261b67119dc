r"""The simulation core: arrays in, arrays out, vectorised over draws.

Everything here works on numpy arrays with a leading *draw* axis ``D`` (one
draw for a plain run, thousands for the uncertainty bands) and loops over the
projection years only. Inputs are fractions (0.05 for 5%), levels in US$ bn.

Equations (year :math:`t = B+1, \dots`, region :math:`r`, draw axis implicit)
-----------------------------------------------------------------------------

Tariff wedge with partial adjustment. With :math:`t_{r,0}` the reference
(pre-war) tariff level and :math:`t_{r,t}` the year's tariff (for a year whose
tariff changes within the year, the time-weighted mean of the tariff factor,
:func:`effective_log_tariff`), the long-run log effect of the tariff on export
values and its adjustment are

.. math::

    a^*_{r,t} = -\bigl(\sigma(1-\omega) + \omega\bigr)\,
                \ln\frac{1+t_{r,t}}{1+t_{r,0}}, \qquad
    a_{r,t} = a_{r,t-1} + \lambda\,(a^*_{r,t} - a_{r,t-1}), \qquad
    \lambda = \min(\sigma_1/\sigma, 1).

Volumes fall by :math:`\sigma(1-\omega)` per log point of the tariff (the
buyer's price rises by the share :math:`1-\omega`), and the exporter's US$ price
falls by the absorbed share :math:`\omega`, hence the value elasticity
:math:`\sigma(1-\omega)+\omega`. The state :math:`a` is carried through the
tariff history before the base year, so adjustment still in the pipeline at the
base year plays out in the projection.

Exports from China's own sales (no re-routing), per region:

.. math::

    \ln Q_{r,t} = \ln Q_{r,t-1}
        + \underbrace{\varepsilon_Y \ln(1+g_{r,t})}_{\text{demand}}
        + \underbrace{\psi\,[\ln(1+g^{CN}_t) - \ln(1+g^{W}_t)]
            + \ln(1+\pi_t) - \eta\,\ln(1+e_t)}_{\text{price and supply}}
        + \underbrace{a_{r,t} - a_{r,t-1}}_{\text{tariff}}

with :math:`g` real demand (GDP) growth of the partner, :math:`g^{CN}` and
:math:`g^W` China's and the world's real GDP growth, :math:`\pi` the change of
China's US$ export prices and :math:`e` the real RMB appreciation. The supply
term is structural gravity's exporter side (Anderson & van Wincoop 2003:
bilateral exports scale with the exporter's share of world output, elasticity
:math:`\psi = 1`); it is what is often called "supply push" or competitiveness.

Re-routing. US-bound sales lost to the US tariff (relative to the pre-war
reference), :math:`L_t = Q_{US,t}\,(e^{-a_{US,t}} - 1)^+`, reappear in part in
the connector regions :math:`c` (ASEAN, Latin America), split by weights
:math:`w_c`: :math:`R_{c,t} = \kappa\, w_c\, L_t`. The base year's connector
exports already hold :math:`R_{c,B}`; China's own sales there are
:math:`Q_{c,B} = X_{c,B} - R_{c,B}`. Exports are :math:`X_{r,t} = Q_{r,t} +
R_{r,t}`.

Imports:

.. math::

    \ln \tilde M_t = \ln \tilde M_{t-1} + \varepsilon_M \ln(1+g^{CN}_t)
        + s_c \ln(1+c_t) + \eta_M \ln(1+e_t)
        + \mu\,\Delta \ln X_t, \qquad
    M_t = \tilde M_t \bigl(1 - s_{US}(1-\rho)(1 - e^{b_t - b_B})\bigr)

where :math:`b` is the tariff wedge of China's own tariff on US goods (same
:math:`\sigma, \lambda, \omega`), :math:`s_{US}` the base-year share of imports
from the US and :math:`\rho` the share of lost US imports bought elsewhere.

World exports: the other exporters' exports :math:`O_t = O_{t-1}(1+v_t)` with
:math:`v` their export growth (in a scenario the world trade volume growth
:math:`w`, at constant prices; in the back-test their actual US$ growth); world
share :math:`X_t/(X_t+O_t)`.

Decomposition: the change of :math:`Q_r` is split over its log components with
the logarithmic mean :math:`L(Q_t, Q_{t-1}) = (Q_t-Q_{t-1})/\ln(Q_t/Q_{t-1})`,
which sums exactly; the change of :math:`R` is the re-routing effect.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Core:
    """Base-year state the core starts from (plain arrays).

    Attributes
    ----------
    exports : (R,) exports by region in the base year, US$ bn.
    imports : base-year imports, US$ bn.
    others : base-year exports of the rest of the world's exporters, US$ bn.
    us_import_share : base-year share of China's imports bought from the US.
    connector_weights : (R,) weights w_c of the re-routing, summing to 1 (zeros if no US).
    us : index of the United States among the regions, or -1.
    tariff_history : (H, R) annual average tariff levels (fractions), the reference
        year first and the base year last.
    china_tariff_history : (H,) China's average tariff on US goods (fractions).
    history_segments : for each history year, ``(days (S,), levels (S, R+1))``: the
        pieces of the year with their tariff levels (fractions; China's tariff on US
        goods last), or None to use the annual levels as they are.
    """

    exports: np.ndarray
    imports: float
    others: float
    us_import_share: float
    connector_weights: np.ndarray
    us: int
    tariff_history: np.ndarray
    china_tariff_history: np.ndarray
    history_segments: tuple | None = None

    @functools.cached_property
    def varying_history(self) -> list[tuple[int, np.ndarray, np.ndarray]]:
        """History years whose tariffs change within the year (see :func:`_varying`)."""
        return _varying(self.history_segments)

    @functools.cached_property
    def log_history(self) -> np.ndarray:
        """(H, R+1) log annual tariff levels, China's tariff on US goods last."""
        return np.log1p(np.column_stack([self.tariff_history, self.china_tariff_history]))

    def history_log_levels(self, response: float) -> np.ndarray:
        """(H, R+1) log tariff levels of the history for one year-one response
        (years with changes inside them counted by :func:`effective_log_tariff`); cached."""
        cache = self.__dict__.setdefault("_history_cache", {})
        levels = cache.get(response)
        if levels is None:
            levels = self.log_history.copy()
            for k, weights, logs in self.varying_history:
                levels[k] = effective_log_tariff(weights, logs, np.array([[response]]))[0]
            if len(cache) > 64:
                cache.clear()
            cache[response] = levels
        return levels


@dataclass(frozen=True)
class Paths:
    """Inputs over the projection years (T years), broadcastable to (D, T, R) / (D, T).

    tariff : (., T, R) tariff level on Chinese goods by region (fraction).
    china_tariff : (., T) China's tariff on US goods (fraction).
    growth : (., T, R) real demand growth by region.
    growth_china : (., T) China's real GDP (domestic demand and supply) growth.
    growth_world : (., T) world real GDP growth.
    rmb : (., T) real RMB appreciation (+) / depreciation (-).
    commodity : (., T) commodity price change.
    price : (., T) change of China's US$ export prices.
    others_growth : (., T) US$ growth of the other exporters' exports.
    segments : optional, for each year ``(days (S,), levels (S, R+1))`` as in
        :attr:`Core.history_segments`; when given it replaces ``tariff`` and
        ``china_tariff`` by the levels within each year.
    """

    tariff: np.ndarray
    china_tariff: np.ndarray
    growth: np.ndarray
    growth_china: np.ndarray
    growth_world: np.ndarray
    rmb: np.ndarray
    commodity: np.ndarray
    price: np.ndarray
    others_growth: np.ndarray
    segments: tuple | None = None


@dataclass(frozen=True)
class Output:
    """Simulated arrays over T projection years (base year not included).

    exports_by_region : (D, T, R); exports, imports, others : (D, T);
    effects : (D, T, R, 4) change of exports by region split into demand, tariff,
    re-routing and price (columns in :data:`EFFECTS` order).
    """

    exports_by_region: np.ndarray
    exports: np.ndarray
    imports: np.ndarray
    others: np.ndarray
    effects: np.ndarray | None


#: Names of the decomposition columns, in order ("price" holds China's export prices,
#: the RMB and China's supply growth relative to the world).
EFFECTS = ("demand", "tariff", "rerouting", "price")


def lambda_of(sigma: np.ndarray, sigma_1: np.ndarray) -> np.ndarray:
    """Adjustment speed :math:`\\lambda = \\min(\\sigma_1/\\sigma, 1)`."""
    return np.minimum(sigma_1 / sigma, 1.0)


def tariff_elasticity(sigma: np.ndarray, omega: np.ndarray) -> np.ndarray:
    """Long-run value elasticity :math:`\\sigma(1-\\omega) + \\omega`."""
    return sigma * (1.0 - omega) + omega


def _finish(core, exports, x_base, paths, col, b, n_draws, n_years) -> Output:
    """Imports and the other exporters from total exports; an Output without regions."""
    growth_china, commodity = _lead(paths.growth_china, 2), _lead(paths.commodity, 2)
    rmb, others_growth = _lead(paths.rmb, 2), _lead(paths.others_growth, 2)
    eps_m, s_com, eta_m, mu, rho = (col[n] for n in ("eps_m", "s_com", "eta_m", "mu", "rho"))
    log_total = np.log(exports)
    d_total = np.empty_like(log_total)
    d_total[:, 0] = log_total[:, 0] - np.log(x_base.sum())
    d_total[:, 1:] = log_total[:, 1:] - log_total[:, :-1]
    d_log_m = (
        eps_m * np.log1p(growth_china)
        + s_com * np.log1p(commodity)
        + eta_m * np.log1p(rmb)
        + mu * d_total
    )
    retaliation = 1.0 + core.us_import_share * (1.0 - rho) * np.expm1(b[:, 1:] - b[:, :1])
    if retaliation.shape[1] != n_years:  # no China tariff wedge
        retaliation = np.ones((1, n_years))
    imports = core.imports * np.exp(np.cumsum(d_log_m, axis=1)) * retaliation
    others = core.others * np.exp(np.cumsum(np.log1p(others_growth), axis=1))
    if others.shape[0] != n_draws:
        others = np.repeat(others, n_draws, axis=0)
    return Output(None, exports, imports, others, None)


def _total_exports(own_base, log_growth, d_price, eps_y, a_cols, a_active, us, lost_share, kappa):
    r"""(D, T) total exports without the per-region array.

    Regions with the same growth path and no tariff wedge share the factor
    :math:`e^{\varepsilon_Y \sum \ln(1+g)}`; re-routed sales add up to
    :math:`\kappa L_t` (the connector weights sum to 1).
    """
    growth_paths = np.cumsum(log_growth, axis=0)  # (T, R)
    price_factor = np.exp(np.cumsum(d_price, axis=1))  # (D|1, T)
    wedge = set(int(c) for c in a_cols)
    total = 0.0
    groups: dict[bytes, list[int]] = {}
    for j in range(growth_paths.shape[1]):
        if j not in wedge:
            groups.setdefault(growth_paths[:, j].tobytes(), []).append(j)
    for members in groups.values():
        level = own_base[:, members].sum(axis=1)[:, None]  # (D|1, 1)
        total = total + level * np.exp(eps_y * growth_paths[:, members[0]])
    own_us = None
    for k, j in enumerate(a_cols):
        own_j = own_base[:, j][:, None] * np.exp(
            eps_y * growth_paths[:, j] + (a_active[:, 1:, k] - a_active[:, :1, k])
        )
        total = total + own_j
        if j == us:
            own_us = own_j
    total = total * price_factor
    if us >= 0:
        if own_us is None:
            own_us = own_base[:, us][:, None] * np.exp(eps_y * growth_paths[:, us])
        total = total + kappa * lost_share[:, 1:] * own_us * price_factor
    return total


def _varying(segments) -> list[tuple[int, np.ndarray, np.ndarray]]:
    """(year index, weights (S,), log levels (S, C)) of the years whose tariffs change."""
    out = []
    for k, piece in enumerate(segments or ()):
        if piece is None:
            continue
        days, levels = piece
        if len(days) > 1 and np.ptp(levels, axis=0).max() > 0:
            days = np.asarray(days, dtype=float)
            out.append((k, days / days.sum(), np.log1p(np.asarray(levels, dtype=float))))
    return out


def effective_log_tariff(weights: np.ndarray, logs: np.ndarray, response: np.ndarray) -> np.ndarray:
    r"""Annual log tariff factor of a year whose tariff changes within the year.

    .. math::

        \ln(1+\bar t) = -\frac{1}{k}\ln \sum_s \frac{d_s}{D}\, (1+t_s)^{-k}

    the time-weighted mean of the year's tariff *factor* :math:`(1+t_s)^{-k}`
    (pieces :math:`s` of :math:`d_s` days), expressed back as a tariff, with
    :math:`k` the year-one value elasticity. Annual exports add up the flows of the
    year, each shipped at the tariff then in force and responding to it, so a
    level held for a few weeks weighs by the trade that moved in them.

    Parameters
    ----------
    weights : (S,) share of the year of each piece (days over the year's days).
    logs : (S, C) log levels :math:`\ln(1+t_s)`.
    response : (D|1, 1) year-one value elasticity :math:`k > 0`.

    Returns
    -------
    (D|1, C) annual log tariff :math:`\ln(1+\bar t)` per column.
    """
    # |z| <= 6 ln 3 for every accepted value: exp() needs no shift.
    z = -response[:, :, None] * logs[None]  # (D, S, C)
    return -np.log(np.einsum("s,dsc->dc", weights, np.exp(z))) / response


def _column(params: dict[str, np.ndarray], name: str) -> np.ndarray:
    return np.asarray(params[name], dtype=float).reshape(-1, 1)


def run(
    core: Core,
    paths: Paths,
    params: dict[str, np.ndarray],
    effects: bool = True,
    totals_only: bool = False,
) -> Output:
    """Simulate the projection years for every draw of ``params``.

    Parameters
    ----------
    core : base-year state.
    paths : inputs over the projection years (each broadcastable over draws).
    params : behavioural parameters, each a scalar or a (D,) array
        (:data:`model.params.BEHAVIOURAL`).
    effects : also compute the decomposition of the change of exports.
    totals_only : compute total exports without the per-region array (faster for many
        draws: regions with the same growth path and no tariff wedge share one
        factor); ``exports_by_region`` is then None and ``effects`` is ignored.

    Returns
    -------
    Output
        Arrays with a leading draw axis (D = the longest of the parameter arrays
        and the path arrays' first axis).

    Notes
    -----
    Only the tariff wedges (a linear first-order recursion with a per-draw speed)
    are looped over, year by year; every other equation is a cumulative sum
    over years done at once.
    """
    col = {name: _column(params, name) for name in _NAMES}
    sigma, omega, kappa = col["sigma"], col["omega"], col["kappa"]
    eps_y, eta, psi = col["eps_y"], col["eta"], col["psi"]

    tariff = _lead(paths.tariff, 3)
    growth = _lead(paths.growth, 3)
    china_tariff, growth_china = _lead(paths.china_tariff, 2), _lead(paths.growth_china, 2)
    growth_world = _lead(paths.growth_world, 2)
    rmb, commodity = _lead(paths.rmb, 2), _lead(paths.commodity, 2)
    price, others_growth = _lead(paths.price, 2), _lead(paths.others_growth, 2)
    n_years, n_regions = tariff.shape[1], tariff.shape[2]
    n_draws = max(
        [value.shape[0] for value in col.values()]
        + [v.shape[0] for v in (tariff, growth, china_tariff, growth_china, rmb, commodity)]
        + [price.shape[0], others_growth.shape[0], growth_world.shape[0]]
    )

    # ---- tariff wedges: regions' tariffs and China's tariff on US goods as one more column
    lam = lambda_of(sigma, col["sigma_1"])  # (D|1, 1)
    value_elasticity = tariff_elasticity(sigma, omega)  # (D|1, 1)
    single = lam.shape[0] == value_elasticity.shape[0] == tariff.shape[0] == 1
    if single and china_tariff.shape[0] == 1:
        active, active_wedge = _single_wedge(
            core, paths, tariff[0], china_tariff[0], float(lam[0, 0]), float(value_elasticity[0, 0])
        )
    else:
        active, active_wedge = _draw_wedges(
            core, paths, tariff, china_tariff, lam, value_elasticity, n_draws
        )

    # a: (D, T+1, R) regions' wedges, b: (D, T+1) China's; base year first.
    rows = active_wedge.shape[0]
    is_region = active < n_regions
    a_cols, a_active = active[is_region], active_wedge[:, :, is_region]
    b = active_wedge[:, :, ~is_region][:, :, 0] if (~is_region).any() else np.zeros((rows, 1))

    # ---- China's own sales by region: log Q_t = log Q_B + cumulated log changes.
    log_growth = np.log1p(growth)  # (D|1, T, R)
    supply = psi * (np.log1p(growth_china) - np.log1p(growth_world))
    d_price = supply + np.log1p(price) - eta * np.log1p(rmb)  # (D|1, T)

    x_base = np.asarray(core.exports, dtype=float)
    us = core.us
    weights = np.asarray(core.connector_weights, dtype=float)
    a_us = a_active[:, :, list(a_cols).index(us)] if us in a_cols else np.zeros((rows, n_years + 1))
    if us >= 0:
        lost_share = np.maximum(np.expm1(-a_us), 0.0)  # lost US sales per US sale, (D, T+1)
        rerouted_base = kappa * weights * (x_base[us] * lost_share[:, :1])  # (D, R)
    else:
        rerouted_base = np.zeros((1, n_regions))
    own_base = x_base - rerouted_base  # (D|1, R)
    if totals_only and log_growth.shape[0] == 1:
        exports = _total_exports(
            own_base, log_growth[0], d_price, eps_y, a_cols, a_active, us, lost_share, kappa
        )
        return _finish(core, exports, x_base, paths, col, b, n_draws, n_years)
    log_own = eps_y[:, :, None] * np.cumsum(log_growth, axis=1)
    log_own = log_own + (np.log(own_base)[:, None, :] + np.cumsum(d_price, axis=1)[:, :, None])
    if len(a_cols):
        log_own[:, :, a_cols] += a_active[:, 1:] - a_active[:, :1]
    own = np.exp(log_own)  # (D, T, R)
    if effects:
        d_tariff = np.zeros(np.broadcast_shapes(log_own.shape, (rows, 1, 1)))
        if len(a_cols):
            d_tariff[:, :, a_cols] = a_active[:, 1:] - a_active[:, :-1]
        d_demand = eps_y[:, :, None] * log_growth
        d_price = d_price[:, :, None]
        d_log = d_demand + d_price + d_tariff
    if us >= 0:
        rerouted = (kappa * lost_share[:, 1:] * own[:, :, us])[:, :, None] * weights
    else:
        rerouted = np.zeros((1, n_years, n_regions))
    exports_by_region = own + rerouted
    exports = exports_by_region.sum(axis=2)  # (D, T)

    done = _finish(core, exports, x_base, paths, col, b, n_draws, n_years)
    imports, others = done.imports, done.others

    fx = None
    if effects:
        fx = np.empty((n_draws, n_years, n_regions, len(EFFECTS)))
        own_prev = np.empty_like(own)
        own_prev[:, 0] = own_base
        own_prev[:, 1:] = own[:, :-1]
        with np.errstate(divide="ignore", invalid="ignore"):
            log_mean = np.where(np.abs(d_log) > 1e-12, (own - own_prev) / d_log, own_prev)
        fx[..., 0] = log_mean * d_demand
        fx[..., 1] = log_mean * d_tariff
        fx[:, 0, :, 2] = rerouted[:, 0] - rerouted_base
        fx[:, 1:, :, 2] = rerouted[:, 1:] - rerouted[:, :-1]
        fx[..., 3] = log_mean * d_price
    return Output(exports_by_region, exports, imports, others, fx)


def _projection_log_levels(
    paths: Paths, tariff: np.ndarray, china_tariff: np.ndarray, response: np.ndarray
) -> np.ndarray:
    """(D|1, T, R+1) log tariff levels of the projection years."""
    rows = max(tariff.shape[0], china_tariff.shape[0])
    levels = np.empty((rows, tariff.shape[1], tariff.shape[2] + 1))
    levels[:, :, :-1] = np.log1p(tariff)
    levels[:, :, -1] = np.log1p(china_tariff)
    varying = _varying(paths.segments)
    if varying:
        if levels.shape[0] != response.shape[0]:
            levels = np.repeat(levels, max(levels.shape[0], response.shape[0]), axis=0)
        for k, weights, logs in varying:
            levels[:, k] = effective_log_tariff(weights, logs, response)
    return levels


@functools.lru_cache(maxsize=64)
def _kernel(lam: float, n_steps: int, n_history: int) -> np.ndarray:
    """Rows from the base year of K with a = K a*, K[t, s] = lam (1 - lam)^(t - s), s <= t."""
    steps = np.arange(n_steps)
    lag = steps[:, None] - steps[None, :]
    kernel = np.where(lag >= 0, lam * (1.0 - lam) ** np.maximum(lag, 0), 0.0)
    kernel[:, 0] = 0.0  # the reference year starts the state at 0
    return kernel[n_history - 1 :]


def _single_wedge(core, paths, tariff, china_tariff, lam, elasticity):
    """Wedges for one parameter draw: (active columns, (1, T+1, A) wedges)."""
    response = lam * elasticity
    history = core.history_log_levels(response)
    projection = _projection_log_levels(
        paths, tariff[None], china_tariff[None], np.array([[response]])
    )[0]
    levels = np.concatenate([history, projection])
    levels -= levels[0]
    active = np.flatnonzero(np.ptp(levels, axis=0) > 0)
    kernel = _kernel(lam, levels.shape[0], history.shape[0])
    return active, (-elasticity * (kernel @ levels[:, active]))[None]


def _draw_wedges(core, paths, tariff, china_tariff, lam, elasticity, n_draws):
    """Wedges for many draws, year by year: (active columns, (D, T+1, A) wedges)."""
    response = lam * elasticity  # (D, 1)
    n_history, n_years = core.log_history.shape[0], tariff.shape[1]
    plain = _projection_log_levels(paths, tariff, china_tariff, np.ones((1, 1)))
    # A column moves if its annual levels or any within-year piece differ from the first.
    spans = [np.ptp(core.log_history, axis=0), np.ptp(plain, axis=(0, 1))]
    first = core.log_history[0]
    spans += [np.abs(plain - first).max(axis=(0, 1))]
    spans += [np.ptp(logs, axis=0) for _, _, logs in core.varying_history]
    spans += [np.ptp(logs, axis=0) for _, _, logs in _varying(paths.segments)]
    active = np.flatnonzero(np.max(spans, axis=0) > 0)
    history = np.repeat(core.log_history[None][:, :, active], response.shape[0], axis=0)
    for k, weights, logs in core.varying_history:
        history[:, k] = effective_log_tariff(weights, logs[:, active], response)
    if paths.segments:
        projection = _projection_log_levels(paths, tariff, china_tariff, response)[:, :, active]
    else:
        projection = plain[:, :, active]
    reference = history[:, :1]
    keep, pull = 1.0 - lam, -lam * elasticity  # (D, 1)
    wedge = np.empty((n_draws, n_years + 1, len(active)))
    state = np.zeros((n_draws, len(active)))
    if n_history == 1:
        wedge[:, 0] = 0.0
    for k in range(1, n_history + n_years):
        level = history[:, k] if k < n_history else projection[:, k - n_history]
        state = keep * state + pull * (level - reference[:, 0])
        if k >= n_history - 1:
            wedge[:, k - n_history + 1] = state
    return active, wedge


_NAMES = (
    "psi",
    "sigma",
    "sigma_1",
    "omega",
    "kappa",
    "eps_y",
    "eps_m",
    "mu",
    "s_com",
    "eta",
    "eta_m",
    "rho",
)


def _lead(values: np.ndarray, ndim: int) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    return values[None] if values.ndim == ndim - 1 else values
