r"""The simulation core: arrays in, arrays out, vectorised over draws.

Everything here works on numpy arrays with a leading *draw* axis ``D`` (one
draw for a plain run, thousands for the uncertainty bands). Inputs are
fractions (0.05 for 5%), levels in US$ bn. Year :math:`t = B+1, \dots` (base
year :math:`B`), destination market :math:`r`.

Markets
-------
Each destination region :math:`r` buys goods from the world: from China
(:math:`X_r`, US$ at China's export prices) and from every other supplier
(:math:`O_r`). Its spending at buyer prices (tariffs included),
:math:`E_r = X_r e^{L_r} + O_r`, grows with its real demand, a common world
demand shift and world prices:

.. math::

    \ln E_{r,t} = \ln E_{r,t-1} + \varepsilon_Y \ln(1+g_{r,t}) + z_t + \ln(1+p^W_t)
        + (1 - \varepsilon_P)\, \Delta \ln P_{r,t}

(:math:`z` the world demand shift, :math:`p^W` the US$ price of traded goods,
:math:`P_r` the CES price index of the market's imports and :math:`\varepsilon_P`
the price elasticity of its total imports: a tariff that raises the index
lowers what the market buys from everyone, the trade destroyed; with
:math:`\varepsilon_P = 1` the spending would not change).
The spending is shared between China and the other suppliers with a constant
elasticity of substitution :math:`\sigma` (Armington):

.. math::

    S_{r,t} = \frac{A_r e^{\chi_{r,t}}}{A_r e^{\chi_{r,t}} + 1 - A_r}, \qquad
    \chi_{r,t} = (1-\sigma)\,\bigl(\Delta h_{r,t} + q_t + \Pi_t\bigr) - \eta\, \mathcal E_t

with :math:`A_r` China's base-year share of the spending, :math:`\Delta h` the
change of the log tariff on Chinese goods since the base year (with partial
adjustment, below), :math:`q` the log change of China's export prices from the
supply response, :math:`\Pi = \sum \ln(1+\pi)` China's own export-price input
and :math:`\mathcal E = \sum \ln(1+e)` the cumulated real RMB appreciation.
China's sales at its own prices and the other suppliers' are

.. math::

    X_{r,t} = S_{r,t} E_{r,t} e^{-L_{r,t}}, \qquad O_{r,t} = (1 - S_{r,t}) E_{r,t}

with :math:`L` the log tariff level, so that a tariff raises the buyer's price of
Chinese goods, shifts the spending to the other suppliers (diversion) and the
tariff revenue no supplier receives is trade destroyed.

Tariff wedge with partial adjustment. The log tariff :math:`\ell_{r,t}` relative
to its pre-war reference level works through with speed
:math:`\lambda = \min(\sigma_1/\sigma, 1)` when it rises above the state and
:math:`\lambda_\downarrow = 1 - 2^{-1/\tau}` when it falls below it (:math:`\tau`
the half-life of the return after a cut, in years):
:math:`h_{r,t} = h_{r,t-1} + \lambda_{r,t}(\ell_{r,t} - h_{r,t-1})`, so the year-one
elasticity of the share to a rise is :math:`\sigma_1` and the long-run one
:math:`\sigma`; a cut reaches the same long-run level, more slowly.
The state is carried through the tariff history before the base year; a year
whose tariff changes within it counts the time-weighted mean of the tariff
factor (:func:`effective_log_tariff`).

China's export supply
---------------------
China's export volume :math:`V = \sum_r (X_r + R_r) e^{-q - \Pi - P^W}` (its
sales in every market and its re-routed sales :math:`R`, below; its export prices
move with world prices :math:`P^W = \sum \ln(1+p^W)`, its own input :math:`\Pi`
and the supply response :math:`q`) meets a finite supply

.. math::

    \ln V_t = \ln V_B + \psi \sum_{s \le t} \ln(1+g^{CN}_s) + \phi\, q_t

(capacity grows with China's output, elasticity :math:`\psi`; :math:`\phi` the
supply elasticity). :math:`q_t` solves this each year (Newton's method). A tariff
in one market lowers demand for China's goods, :math:`q` falls, and China's
share rises in every other market: deflection. The exporter's absorption of a
tariff is :math:`-\partial q / \partial \ell`, not an input.

Re-routing
----------
US-bound sales lost to the US tariff (relative to the pre-war reference),
:math:`\text{Lost}_t = X_{US,t}(e^{\bar\sigma h_{US,t}} - 1)` with
:math:`\bar\sigma = \sigma(1-A_{US}) + A_{US}`, reappear in part in the
connector regions :math:`c`: :math:`R_{c,t} = \kappa\, w_c\, \text{Lost}_t`
(base-year connector exports already hold :math:`R_{c,B}`). China's exports to
a region are :math:`X_r + R_r`.

Imports and balances
--------------------
:math:`\mu` is the import content of exports, a share:

.. math::

    \tilde M_t = \mu\, X_t + N_t, \qquad
    \ln N_t = \ln N_{t-1} + \varepsilon_M \ln(1+g^{CN}_t) + s_c \ln(1+c_t)
        + (1-s_c) \ln(1+p^W_t) + \eta_M \ln(1+e_t)

with :math:`N_B = M_B - \mu X_B`. China's tariff on US goods (wedge :math:`b`,
same :math:`\lambda`) cuts imports from the US by the factor
:math:`e^{-\sigma \Delta b}`; the share :math:`\rho` of them is bought from
other partners. Imports from partner :math:`p` are
:math:`I_{p,t} = I_{p,B} \tilde M_t / M_B` (less the US loss, plus the
partners' part of :math:`\rho` of it), and the bilateral balance is
:math:`X_p + R_p - I_p`.

World exports
-------------
World exports are every market's purchases plus China's imports:
:math:`W_t = \sum_r (X_r + R_r + O_r) + M_t`; the other exporters' exports are
:math:`W_t - X_t`, and China's world share is :math:`X_t / W_t`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

#: Newton steps of the supply response from q = 0 (after 3 the error of exports is below 1e-11).
NEWTON_STEPS = 3

#: Draws whose markets are solved at once (arrays that stay in the processor's cache).
CHUNK = 500


@dataclass(frozen=True)
class Core:
    """Base-year state the core starts from (plain arrays).

    Attributes
    ----------
    exports : (R,) China's exports by region in the base year, US$ bn.
    markets : (R,) each region's imports from the world in the base year, US$ bn
        (China's exports plus every other supplier's sales there).
    imports : China's base-year imports, US$ bn.
    partner_imports : (P,) China's base-year imports from the partners whose
        bilateral balances are kept, US$ bn; ``partners`` (P,) their region indices.
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
    markets: np.ndarray
    imports: float
    us_import_share: float
    connector_weights: np.ndarray
    us: int
    tariff_history: np.ndarray
    china_tariff_history: np.ndarray
    history_segments: tuple | None = None
    partner_imports: tuple[float, ...] = ()
    partners: tuple[int, ...] = ()

    @property
    def world_exports(self) -> float:
        """Base-year world exports: every market's purchases plus China's imports."""
        return float(np.sum(self.markets) + self.imports)

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
    demand_shift : (., T) common log shift of every market's demand (world demand).
    world_price : (., T) change of the US$ price of traded goods.
    growth_china : (., T) China's real GDP growth (domestic demand and capacity).
    rmb : (., T) real RMB appreciation (+) / depreciation (-).
    commodity : (., T) commodity price change.
    price : (., T) change of China's US$ export prices relative to its competitors'.
    segments : optional, for each year ``(days (S,), levels (S, R+1))`` as in
        :attr:`Core.history_segments`; when given it replaces ``tariff`` and
        ``china_tariff`` by the levels within each year.
    """

    tariff: np.ndarray
    china_tariff: np.ndarray
    growth: np.ndarray
    demand_shift: np.ndarray
    world_price: np.ndarray
    growth_china: np.ndarray
    rmb: np.ndarray
    commodity: np.ndarray
    price: np.ndarray
    segments: tuple | None = None


@dataclass(frozen=True)
class Output:
    """Simulated arrays over T projection years (base year not included), draws first.

    own : (D, T, R) China's own sales by market; rerouted : (D, T, R) re-routed sales;
    others : (D, T, R) the other suppliers' sales by market (these three None for a
    run with ``totals_only``); exports : (D, T) total;
    imports : (D, T); partner_imports : (D, T, P); world : (D, T) world exports;
    supply_price : (D, T) log change q of China's export prices from the supply response.
    """

    own: np.ndarray | None
    rerouted: np.ndarray | None
    others: np.ndarray | None
    exports: np.ndarray
    imports: np.ndarray
    partner_imports: np.ndarray
    world: np.ndarray
    supply_price: np.ndarray

    @property
    def exports_by_region(self) -> np.ndarray:
        """(D, T, R) China's exports by region: own sales plus re-routed sales."""
        return self.own + self.rerouted


def lambda_of(sigma: np.ndarray, sigma_1: np.ndarray) -> np.ndarray:
    """Adjustment speed :math:`\\lambda = \\min(\\sigma_1/\\sigma, 1)`."""
    return np.minimum(sigma_1 / sigma, 1.0)


def cut_speed(half_life: np.ndarray) -> np.ndarray:
    """Adjustment speed after a tariff cut, :math:`\\lambda_\\downarrow = 1 - 2^{-1/\\tau}`
    (:math:`\\tau` years to close half the gap)."""
    return -np.expm1(-np.log(2.0) / np.asarray(half_life, dtype=float))


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
    :math:`k` the year-one elasticity :math:`\sigma_1`. Annual sales add up the
    flows of the year, each shipped at the tariff then in force and responding to
    it, so a level held for a few weeks weighs by the trade that moved in them.

    Parameters
    ----------
    weights : (S,) share of the year of each piece (days over the year's days).
    logs : (S, C) log levels :math:`\ln(1+t_s)`.
    response : (D|1, 1) year-one elasticity :math:`k > 0`.

    Returns
    -------
    (D|1, C) annual log tariff :math:`\ln(1+\bar t)` per column.
    """
    # |z| <= 3 ln 3 for every accepted value: exp() needs no shift.
    z = -response[:, :, None] * logs[None]  # (D, S, C)
    return -np.log(np.einsum("s,dsc->dc", weights, np.exp(z))) / response


def _column(params: dict[str, np.ndarray], name: str) -> np.ndarray:
    return np.asarray(params[name], dtype=float).reshape(-1, 1)


def _lead(values: np.ndarray, ndim: int) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    return values[None] if values.ndim == ndim - 1 else values


def tariff_states(
    core: Core, paths: Paths, sigma: np.ndarray, sigma_1: np.ndarray, half_life: np.ndarray
) -> np.ndarray:
    """(D|1, T+1, R+1) adjusted log tariffs :math:`L` (reference level plus :math:`h`),
    the base year first; China's tariff on US goods in the last column."""
    tariff = _lead(paths.tariff, 3)
    china_tariff = _lead(paths.china_tariff, 2)
    lam = lambda_of(sigma, sigma_1)
    lam_cut = cut_speed(half_life)
    response = lam * sigma
    single = lam.shape[0] == lam_cut.shape[0] == tariff.shape[0] == china_tariff.shape[0] == 1
    state = None
    if single:
        active, state = _single_wedge(core, paths, tariff[0], china_tariff[0], lam, response)
    if state is None:
        active, state = _draw_wedges(core, paths, tariff, china_tariff, lam, lam_cut, response)
    n_years = tariff.shape[1]
    levels = np.broadcast_to(
        core.log_history[0], (state.shape[0], n_years + 1, tariff.shape[2] + 1)
    )
    levels = levels.copy()
    levels[:, :, active] += state
    return levels


def run(
    core: Core, paths: Paths, params: dict[str, np.ndarray], totals_only: bool = False
) -> Output:
    """Simulate the projection years for every draw of ``params``.

    Parameters
    ----------
    core : base-year state.
    paths : inputs over the projection years (each broadcastable over draws).
    params : behavioural parameters, each a scalar or a (D,) array
        (:data:`model.params.BEHAVIOURAL`).
    totals_only : keep the totals only (many draws): ``own``, ``rerouted`` and
        ``others`` are then None.

    Returns
    -------
    Output
        Arrays with a leading draw axis (D = the longest of the parameter arrays
        and the path arrays' first axis). Equations: the module docstring.

    Notes
    -----
    Only the tariff wedges (a first-order recursion with a per-draw speed) are
    looped over year by year; the markets are cumulative sums over years and the
    supply response a few Newton steps on all years at once, for :data:`CHUNK`
    draws at a time (arrays that stay in the processor's cache).
    """
    col = {name: _column(params, name) for name in _NAMES}
    levels = tariff_states(core, paths, col["sigma"], col["sigma_1"], col["cut_half_life"])
    leads = [_lead(paths.growth, 3)] + [_lead(getattr(paths, f), 2) for f in _YEARLY]
    n_draws = max(
        levels.shape[0], *(v.shape[0] for v in col.values()), *(a.shape[0] for a in leads)
    )
    pieces = [
        _markets(core, paths, col, levels, slice(i, i + CHUNK), totals_only)
        for i in range(0, n_draws, CHUNK)
    ]
    exports = np.concatenate([p[0] for p in pieces])
    imports, partner_imports = _imports(core, paths, col, exports, levels)
    world = exports + np.concatenate([p[1] for p in pieces]) + imports
    q = np.concatenate([p[2] for p in pieces])
    if totals_only:
        return Output(None, None, None, exports, imports, partner_imports, world, q)
    own, rerouted, others = (np.concatenate([p[k] for p in pieces]) for k in (3, 4, 5))
    return Output(own, rerouted, others, exports, imports, partner_imports, world, q)


def _rows(values: np.ndarray, draws: slice) -> np.ndarray:
    """The rows ``draws`` of an array with a leading draw axis (all of it if that axis is 1)."""
    return values if values.shape[0] == 1 else values[draws]


def _markets(core, paths, col, levels, draws, totals_only):
    """China's and the other suppliers' sales in every market for the draws ``draws``:
    (exports (d, T), the others' total (d, T), q (d, T)), then, unless ``totals_only``,
    own, rerouted and others (d, T, R). Equations: the module docstring."""
    col = {name: _rows(v, draws) for name, v in col.items()}
    sigma, kappa, eps_y = col["sigma"], col["kappa"], col["eps_y"]
    phi, psi, eta = col["phi"], col["psi"], col["eta"]
    levels = _rows(levels, draws)
    growth = _rows(_lead(paths.growth, 3), draws)
    shift = _rows(_lead(paths.demand_shift, 2), draws)
    world_price = _rows(_lead(paths.world_price, 2), draws)
    growth_china = _rows(_lead(paths.growth_china, 2), draws)
    rmb, price = _rows(_lead(paths.rmb, 2), draws), _rows(_lead(paths.price, 2), draws)

    log_tariff = levels[:, 1:, :-1]  # (d|1, T, R)
    base_tariff = levels[:, :1, :-1]  # (d|1, 1, R)
    reference = core.log_history[0, :-1]

    x_base = np.asarray(core.exports, dtype=float)
    us, weights = core.us, np.asarray(core.connector_weights, dtype=float)
    others_base = np.asarray(core.markets, dtype=float) - x_base
    if us >= 0:
        share_us = x_base[us] * np.exp(base_tariff[:, 0, us])
        share_us = share_us / (share_us + others_base[us])  # (d|1,)
        reach = (sigma[:, 0] * (1.0 - share_us) + share_us)[:, None]
        h_us = levels[:, :, us] - reference[us]  # (d|1, T+1)
        lost_share = np.expm1(reach * np.maximum(h_us, 0.0))
        rerouted_base = kappa * weights * (x_base[us] * lost_share[:, :1])  # (d|1, R)
    else:
        rerouted_base = np.zeros((1, x_base.size))
    own_base = x_base - rerouted_base  # (d|1, R)

    # Markets: spending at buyer prices and China's base share of it.
    spend_base = own_base * np.exp(base_tariff[:, 0]) + others_base  # (d|1, R)
    share_base = own_base * np.exp(base_tariff[:, 0]) / spend_base
    # ln E_t - ln E_B before the price index: eps_y sum ln(1+g) + sum (z + ln(1+p^W)).
    log_demand = (
        eps_y[:, :, None] * np.cumsum(np.log1p(growth), axis=1)
        + np.cumsum(shift + np.log1p(world_price), axis=1)[:, :, None]
    )
    own_price = np.cumsum(np.log1p(price), axis=1)  # Pi (d|1, T)
    price_level = own_price + np.cumsum(np.log1p(world_price), axis=1)  # Pi + P^W
    rmb_level = np.cumsum(np.log1p(rmb), axis=1)
    one_minus_sigma = (1.0 - sigma)[:, :, None]
    chi0 = one_minus_sigma * (log_tariff - base_tariff + own_price[:, :, None])
    chi0 = chi0 - (eta * rmb_level)[:, :, None]
    odds_base = share_base / (1.0 - share_base)  # (d|1, R)
    capacity = np.log(x_base.sum()) + psi * np.cumsum(np.log1p(growth_china), axis=1)  # ln K_t
    # Re-routed sales, kappa * Lost = kappa * lost share * US sales, are China's sales too:
    # they count against its supply with the rest.
    rerouting = kappa * lost_share[:, 1:] if us >= 0 else np.zeros((1, 1))  # (d|1, T)

    # Newton's method on f(q) = ln sum_r (X_r + R_r)(q) - q - Pi - P^W - ln K - phi q, with
    # X_r = H_r F_r odds_r / (1 + odds_r), H = E e^{-L} the spending at China's prices,
    # odds_r = odds0_r e^{(1 - sigma) q} and the market's spending factor
    # F_r = ((1 + odds_r) / (1 + odds_r,B))^gamma.
    gamma = ((col["eps_p"] - 1.0) / (sigma - 1.0))[:, :, None]
    odds0 = odds_base[:, None, :] * np.exp(chi0)  # (d, T, R)
    log_spend = (
        np.log(spend_base)[:, None, :] + log_demand - gamma * np.log1p(odds_base)[:, None, :]
    )
    spend = np.exp(log_spend)  # E / F_B (d, T, R)
    scaled = np.exp(log_spend - log_tariff)  # H / F_B
    ones = np.ones(odds0.shape[2])
    target = price_level + capacity
    q = np.zeros(np.broadcast_shapes(odds0.shape[:2], target.shape, phi.shape))
    for step in range(NEWTON_STEPS + 1):
        odds = odds0 * np.exp(one_minus_sigma[:, :, 0] * q)[:, :, None]
        inverse = 1.0 / (1.0 + odds)
        factor = np.exp(-gamma * np.log(inverse))  # (1 + odds)^gamma = F (1 + odds_B)^gamma
        sales = scaled * factor * (odds * inverse)
        if step == NEWTON_STEPS:
            break
        total = sales @ ones + rerouting * sales[:, :, us]
        response = sales * (1.0 + gamma * odds) * inverse
        reach = response @ ones + rerouting * response[:, :, us]
        slope = one_minus_sigma[:, :, 0] * reach / total - 1.0 - phi
        q = q - (np.log(total) - (1.0 + phi) * q - target) / slope
    own = sales
    others = spend * factor * inverse

    rerouted = (rerouting * own[:, :, us])[:, :, None] * weights
    exports = (own + rerouted) @ ones
    if totals_only:
        return exports, others @ ones, q
    return exports, others @ ones, q, own, rerouted, others


def _imports(core, paths, col, exports, levels) -> tuple[np.ndarray, np.ndarray]:
    """(D, T) imports and (D, T, P) imports by partner (equations: module docstring)."""
    growth_china, commodity = _lead(paths.growth_china, 2), _lead(paths.commodity, 2)
    rmb, world_price = _lead(paths.rmb, 2), _lead(paths.world_price, 2)
    eps_m, s_com, eta_m = col["eps_m"], col["s_com"], col["eta_m"]
    rho, sigma = col["rho"], col["sigma"]
    x_base = float(np.sum(core.exports))
    # The import content cannot exceed the base-year imports (a data set with tiny imports).
    mu = np.minimum(col["mu"], 0.95 * core.imports / x_base)
    domestic_base = core.imports - mu * x_base  # N_B (D|1, 1)
    log_domestic = np.cumsum(
        eps_m * np.log1p(growth_china)
        + s_com * np.log1p(commodity)
        + (1.0 - s_com) * np.log1p(world_price)
        + eta_m * np.log1p(rmb),
        axis=1,
    )
    before = mu * exports + domestic_base * np.exp(log_domestic)  # M~ (D, T)
    scale = before / core.imports
    china = levels[:, :, -1]
    us_lost = (
        core.us_import_share
        * core.imports
        * scale
        * -np.expm1(-sigma * (china[:, 1:] - china[:, :1]))
    )
    imports = before - (1.0 - rho) * us_lost
    base = np.asarray(core.partner_imports, dtype=float)
    partner = scale[:, :, None] * base
    if len(core.partners):
        rest = core.imports * (1.0 - core.us_import_share)
        for k, j in enumerate(core.partners):
            if j == core.us:
                partner[:, :, k] -= us_lost
            else:
                partner[:, :, k] += rho * us_lost * base[k] / rest
    return imports, partner


@functools.lru_cache(maxsize=64)
def _kernel(lam: float, n_steps: int) -> np.ndarray:
    """K with h = K l, K[t, s] = lam (1 - lam)^(t - s), s <= t (the reference year first)."""
    steps = np.arange(n_steps)
    lag = steps[:, None] - steps[None, :]
    kernel = np.where(lag >= 0, lam * (1.0 - lam) ** np.maximum(lag, 0), 0.0)
    kernel[:, 0] = 0.0  # the reference year starts the state at 0
    return kernel


def _projection_log_levels(
    paths: Paths,
    tariff: np.ndarray,
    china_tariff: np.ndarray,
    response: np.ndarray,
    columns: np.ndarray | None = None,
) -> np.ndarray:
    """(D|1, T, C) log tariff levels of the projection years, of the tariff columns
    ``columns`` (default all R+1, China's tariff on US goods last)."""
    rows = max(tariff.shape[0], china_tariff.shape[0])
    levels = np.empty((rows, tariff.shape[1], tariff.shape[2] + 1))
    levels[:, :, :-1] = np.log1p(tariff)
    levels[:, :, -1] = np.log1p(china_tariff)
    columns = np.arange(levels.shape[2]) if columns is None else columns
    levels = levels[:, :, columns]
    varying = _varying(paths.segments)
    if varying:
        if levels.shape[0] != response.shape[0]:
            levels = np.repeat(levels, max(levels.shape[0], response.shape[0]), axis=0)
        for k, weights, logs in varying:
            levels[:, k] = effective_log_tariff(weights, logs[:, columns], response)
    return levels


def _single_wedge(core, paths, tariff, china_tariff, lam, response):
    """States for one parameter draw while every tariff only rises to meet its state:
    (active columns, (1, T+1, A) adjusted log tariffs relative to the reference year),
    or (None, None) when a tariff falls below its state (a cut: :func:`_draw_wedges`)."""
    lam, response = float(lam[0, 0]), float(response[0, 0])
    history = core.history_log_levels(response)
    projection = _projection_log_levels(
        paths, tariff[None], china_tariff[None], np.array([[response]])
    )[0]
    levels = np.concatenate([history, projection])
    levels -= levels[0]
    active = np.flatnonzero(np.ptp(levels, axis=0) > 0)
    states = _kernel(lam, levels.shape[0]) @ levels[:, active]
    if np.any(levels[1:, active] < states[:-1] - 1e-12):
        return None, None
    return active, states[history.shape[0] - 1 :][None]


def _draw_wedges(core, paths, tariff, china_tariff, lam, lam_cut, response):
    """States for many draws (or a cut), year by year: (active columns, (D, T+1, A))."""
    n_draws = max(lam.shape[0], lam_cut.shape[0], tariff.shape[0], china_tariff.shape[0])
    lam = np.broadcast_to(lam, (n_draws, 1))
    lam_cut = np.broadcast_to(lam_cut, (n_draws, 1))
    response = np.broadcast_to(response, (n_draws, 1))
    n_history, n_years = core.log_history.shape[0], tariff.shape[1]
    plain = _projection_log_levels(paths, tariff, china_tariff, np.ones((1, 1)))
    # A column moves if its annual levels or any within-year piece differ from the first.
    spans = [np.ptp(core.log_history, axis=0), np.ptp(plain, axis=(0, 1))]
    first = core.log_history[0]
    spans += [np.abs(plain - first).max(axis=(0, 1))]
    spans += [np.ptp(logs, axis=0) for _, _, logs in core.varying_history]
    spans += [np.ptp(logs, axis=0) for _, _, logs in _varying(paths.segments)]
    active = np.flatnonzero(np.max(spans, axis=0) > 0)
    history = np.repeat(core.log_history[None][:, :, active], n_draws, axis=0)
    for k, weights, logs in core.varying_history:
        history[:, k] = effective_log_tariff(weights, logs[:, active], response)
    if paths.segments:
        projection = _projection_log_levels(paths, tariff, china_tariff, response, active)
    else:
        projection = np.broadcast_to(plain[:, :, active], (n_draws, n_years, len(active)))
    reference = history[:, 0]
    state = np.zeros((n_draws, len(active)))
    out = np.empty((n_draws, n_years + 1, len(active)))
    if n_history == 1:
        out[:, 0] = 0.0
    for k in range(1, n_history + n_years):
        level = history[:, k] if k < n_history else projection[:, k - n_history]
        gap = level - reference - state
        state = state + np.where(gap < 0.0, lam_cut, lam) * gap
        if k >= n_history - 1:
            out[:, k - n_history + 1] = state
    return active, out


#: Paths of one value a year (the draw axis first where they vary by draw).
_YEARLY = ("demand_shift", "world_price", "growth_china", "rmb", "price")

_NAMES = (
    "cut_half_life",
    "psi",
    "phi",
    "eps_p",
    "sigma",
    "sigma_1",
    "kappa",
    "eps_y",
    "eps_m",
    "mu",
    "s_com",
    "eta",
    "eta_m",
    "rho",
)
