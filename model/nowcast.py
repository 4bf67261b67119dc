"""The current year month by month: actual, model and a naive benchmark.

From the last complete year (the base year), :func:`nowcast` simulates the next
year with the tariff steps as they happened (:data:`model.params.POLICY_STEPS`)
and the demand forecast before the year (the scenario's defaults, IMF January
vintage), and spreads each annual total over the months by a seasonal profile:

.. math::

    \\hat X_{y,p} = \\hat X_y\\, \\bar s_p, \\qquad
    \\bar s_p = \\frac{1}{|K|} \\sum_{k \\in K} \\frac{X_{k,p}}{\\sum_q X_{k,q}}

where :math:`p` runs over the periods GAC publishes (January-February together,
then March to December) and :math:`K` are the earlier years whose monthly actuals
cover all twelve months. Exports and imports have their own profiles; the balance
is their difference. The naive benchmark is the back-test's
(:func:`model.backtest.naive_path`: the annual series' random walk with drift)
spread by the same profile, so the two differ by their annual forecast alone. The
actual balance is the published one (where GAC's levels are derived from growth rates,
exports less imports misses it by up to US$0.6 bn).

The full-year estimate is the actual months plus the model for the rest,
:math:`\\sum_{p \\le P} X_{y,p} + \\hat X_y \\sum_{p > P} \\bar s_p`; its band puts
the 5th and 95th percentiles of :func:`model.uncertainty.uncertainty` (draws of the
behavioural parameters) in place of :math:`\\hat X_y`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from model.backtest import naive_path
from model.baseline import Baseline, load_actuals_cached, load_baseline
from model.data import Actuals
from model.scenario import Scenario
from model.simulate import simulate
from model.uncertainty import uncertainty

#: The series of the nowcast, in order.
SERIES = ("exports", "imports", "balance")
#: Periods of a year as GAC publishes them: label, last month, months covered.
PERIODS = (
    ("Jan-Feb", 2, 2),
    *((pd.Timestamp(2000, m, 1).strftime("%b"), m, 1) for m in range(3, 13)),
)
BAND_DRAWS = 2000


@dataclass(frozen=True, eq=False)
class Nowcast:
    """The year's published months against the model and the naive benchmark.

    Attributes
    ----------
    year : the current year (the base year + 1).
    table : one row a published period: ``month`` (YYYY-MM, its last month),
        ``period`` (e.g. Jan-Feb), then ``<series>_actual``, ``<series>_model``,
        ``<series>_naive`` for exports, imports and balance (US$ bn).
    cumulative : the same, summed from January.
    full_year : one row a series: ``actual_to_date``, ``model_rest``, ``estimate``,
        ``low``, ``high`` (5th-95th percentile), ``model_year``, ``naive_year``.
    profile : the seasonal shares by period and series; ``profile_years`` the years
        they come from.
    """

    year: int
    table: pd.DataFrame
    cumulative: pd.DataFrame
    full_year: pd.DataFrame
    profile: pd.DataFrame
    profile_years: tuple[int, ...]

    @property
    def span(self) -> str:
        """The months published, e.g. ``Jan-May 2026``."""
        if self.table.empty:
            return f"no month of {self.year}"
        last = pd.Timestamp(self.table["month"].iloc[-1] + "-01").strftime("%b")
        return f"Jan-{last} {self.year}"

    def sentence(self) -> str:
        """The year-to-date error in words, e.g. ``Jan-May 2026: actual surplus ...``."""
        if self.table.empty:
            return f"No month of {self.year} is in the data yet."
        row = self.cumulative.iloc[-1]
        parts = [
            f"actual {name} ${row[f'{s}_actual']:,.0f} bn, model ${row[f'{s}_model']:,.0f} bn "
            f"({_signed(row[f'{s}_model'] / row[f'{s}_actual'] - 1)}), naive "
            f"${row[f'{s}_naive']:,.0f} bn ({_signed(row[f'{s}_naive'] / row[f'{s}_actual'] - 1)})"
            for s, name in (("balance", "surplus"), ("exports", "exports"), ("imports", "imports"))
        ]
        return f"{self.span}: " + "; ".join(parts) + "."


def _signed(fraction: float) -> str:
    return f"{100 * fraction:+.1f}%"


def _periods_of(monthly: pd.DataFrame, year: int) -> pd.DataFrame:
    """Exports and imports of ``year`` by GAC period (separate Jan and Feb rows joined)."""
    rows = monthly[monthly["month"].str.startswith(f"{year}-")]
    out = {}
    for label, last, _ in PERIODS:
        if last == 2:
            picked = rows[rows["month"].isin([f"{year}-01", f"{year}-02"])]
            covered = int(picked["months"].sum())
        else:
            picked = rows[rows["month"] == f"{year}-{last:02d}"]
            covered = 1 if len(picked) else 0
        if covered != (2 if last == 2 else 1):
            continue
        out[label] = {
            "month": f"{year}-{last:02d}",
            "exports": float(picked["exports_usd_bn"].sum(min_count=len(picked))),
            "imports": float(picked["imports_usd_bn"].sum(min_count=len(picked))),
            "balance": float(picked["balance_usd_bn"].sum(min_count=len(picked))),
        }
    return pd.DataFrame(
        list(out.values()), index=list(out), columns=["month", "exports", "imports", "balance"]
    )


def seasonal_profile(monthly: pd.DataFrame, before: int) -> tuple[pd.DataFrame, tuple[int, ...]]:
    """Mean share of each period in the year's exports and imports, over the years
    before ``before`` whose monthly actuals cover all twelve months.

    Returns the profile (index: period label; columns exports, imports; each adds up
    to 1) and the years used. Raises ``ValueError`` if no year is complete.
    """
    years = sorted(y for y in {int(m[:4]) for m in monthly["month"]} if y < before)
    shares, used = [], []
    for year in years:
        periods = _periods_of(monthly, year)
        if len(periods) != len(PERIODS) or periods[["exports", "imports"]].isna().any().any():
            continue
        shares.append(periods[["exports", "imports"]] / periods[["exports", "imports"]].sum())
        used.append(year)
    if not shares:
        raise ValueError(f"no year before {before} has monthly actuals for all twelve months")
    profile = sum(shares) / len(shares)
    return profile, tuple(used)


def nowcast(
    actuals: Actuals | None = None,
    baseline: Baseline | None = None,
    scenario: Scenario | None = None,
    draws: int = BAND_DRAWS,
) -> Nowcast:
    """The year after the base year: published months, model, naive, full-year estimate.

    Parameters
    ----------
    actuals, baseline : the data and the base year (default: the shipped data).
    scenario : the inputs (default: :class:`Scenario`, the policy as it happened).
    draws : draws of the behavioural parameters for the full-year band.
    """
    actuals = load_actuals_cached() if actuals is None else actuals
    baseline = load_baseline() if baseline is None else baseline
    scenario = Scenario() if scenario is None else scenario
    year = baseline.year + 1
    scenario = scenario.replace(end_year=max(year, scenario.end_year))
    profile, used = seasonal_profile(actuals.monthly, year)
    path = simulate(scenario, baseline).path.set_index("year").loc[year]
    model_year = {"exports": path["exports_usd_bn"], "imports": path["imports_usd_bn"]}
    naive_year = {
        s: float(naive_path(actuals.annual[f"{s}_usd_bn"], baseline.year, range(year, year + 1))[0])
        for s in ("exports", "imports")
    }
    published = _periods_of(actuals.monthly, year)
    # The year so far: up to the first period missing, so that no sum skips a month.
    labels = [label for label, *_ in PERIODS]
    published = published.iloc[
        : next((i for i, p in enumerate(published.index) if p != labels[i]), len(published))
    ]
    table = pd.DataFrame({"month": published["month"], "period": published.index})
    for s in ("exports", "imports"):
        table[f"{s}_actual"] = published[s]
        table[f"{s}_model"] = model_year[s] * profile.loc[published.index, s]
        table[f"{s}_naive"] = naive_year[s] * profile.loc[published.index, s]
    table["balance_actual"] = published["balance"]  # as published (some levels are derived)
    for kind in ("model", "naive"):
        table[f"balance_{kind}"] = table[f"exports_{kind}"] - table[f"imports_{kind}"]
    columns = [
        "month",
        "period",
        *(f"{s}_{k}" for s in SERIES for k in ("actual", "model", "naive")),
    ]
    table = table[columns].reset_index(drop=True)
    cumulative = table.copy()
    numbers = columns[2:]
    cumulative[numbers] = table[numbers].cumsum()

    rest = 1.0 - profile.loc[published.index].sum()
    model_year["balance"] = model_year["exports"] - model_year["imports"]
    naive_year["balance"] = naive_year["exports"] - naive_year["imports"]
    model_rest = {s: float(model_year[s] * rest[s]) for s in ("exports", "imports")}
    model_rest["balance"] = model_rest["exports"] - model_rest["imports"]
    bands = uncertainty(scenario, n=draws, seed=0, percentiles=(5, 95), baseline=baseline)
    bands = bands[bands["year"] == year].set_index("series")
    rows = []
    for s in SERIES:
        to_date = float(table[f"{s}_actual"].sum())
        # The band scales the year's percentiles by the share of the year still to come
        # (for the balance, the share of the modelled balance in the months to come).
        still = model_rest[s] / model_year[s]
        rows.append(
            {
                "series": s,
                "actual_to_date": to_date,
                "model_rest": model_rest[s],
                "estimate": to_date + model_rest[s],
                "low": to_date + still * float(bands.at[f"{s}_usd_bn", "p5"]),
                "high": to_date + still * float(bands.at[f"{s}_usd_bn", "p95"]),
                "model_year": float(model_year[s]),
                "naive_year": float(naive_year[s]),
            }
        )
    profile = profile.rename_axis("period").reset_index()
    return Nowcast(year, table, cumulative, pd.DataFrame(rows), profile, used)
