"""Dated tariff steps to annual levels.

The data give tariff levels as a step series: a level in percent from each
start date on, until the next step. The model is annual, so each year needs one
level: the time-weighted average of the levels in force over the year,

.. math::

    \\bar t_y = \\frac{1}{D_y} \\sum_j d_{y,j}\\, t_j

where :math:`d_{y,j}` is the number of days of year :math:`y` on which level
:math:`t_j` was in force and :math:`D_y` the number of days of the year the
series covers (the whole year once the series has begun; from the first step on
in the year of the first step). Years before the first step have no level (NaN)
unless ``hold_first`` is set, in which case the first level is taken to hold
before its date too (PIIE's first levels are the pre-war levels "before" the
first increases). After the last step the last level holds.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd


def annual_average(
    steps: pd.Series, years: list[int] | range | np.ndarray, hold_first: bool = False
) -> pd.Series:
    """Time-weighted annual average of a dated step series.

    Parameters
    ----------
    steps : Series of levels (%), indexed by the start date of each level.
    years : calendar years wanted.
    hold_first : take the first level to hold before its start date as well.

    Returns
    -------
    Series indexed by year: the day-weighted mean level in force over the year
    (over the covered part of the year in the year of the first step; NaN for
    years before the first step).

    Raises
    ------
    ValueError
        If a level is not finite or two steps start on the same day.
    """
    steps = steps.dropna().sort_index()
    starts = pd.DatetimeIndex(steps.index).normalize()
    if starts.has_duplicates:
        day = starts[starts.duplicated()][0].date()
        raise ValueError(f"two tariff steps start on {day}; keep one level a day")
    levels = steps.to_numpy(dtype=float)
    if not np.all(np.isfinite(levels)):
        raise ValueError("tariff levels must be finite numbers")
    if hold_first and len(starts):
        starts = starts.insert(0, pd.Timestamp(1900, 1, 1))
        levels = np.concatenate([levels[:1], levels])
    result = {}
    for year in years:
        year = int(year)
        begin, end = pd.Timestamp(year, 1, 1), pd.Timestamp(year + 1, 1, 1)
        if len(starts) == 0 or starts[0] >= end:
            result[year] = np.nan
            continue
        # Boundaries of the pieces of the year: the year's start (or the first step),
        # every step inside the year, the year's end.
        inside = starts[(starts > begin) & (starts < end)]
        edges = [max(begin, starts[0]), *[s for s in inside if s > max(begin, starts[0])], end]
        total, days = 0.0, 0
        for left, right in itertools.pairwise(edges):
            level = levels[starts.searchsorted(left, side="right") - 1]
            span = (right - left).days
            total += level * span
            days += span
        result[year] = total / days
    return pd.Series(result, name=steps.name, dtype=float).rename_axis("year")


def level_at(steps: pd.Series, when: pd.Timestamp | str) -> float:
    """The level in force on a date (NaN before the first step)."""
    steps = steps.dropna().sort_index()
    starts = pd.DatetimeIndex(steps.index)
    position = starts.searchsorted(pd.Timestamp(when), side="right") - 1
    return float(steps.iloc[position]) if position >= 0 else float("nan")


def year_segments(
    series: list[pd.Series], year: int, hold_first: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """The pieces of ``year`` over which every series in ``series`` is constant.

    Parameters
    ----------
    series : dated step series (levels in %); an empty series counts as 0.
    year : calendar year.
    hold_first : take each series' first level to hold before its start date.

    Returns
    -------
    days : (S,) length of each piece in days (they add up to the year's days).
    levels : (S, C) level (%) of each series on each piece.
    """
    begin, end = pd.Timestamp(year, 1, 1), pd.Timestamp(year + 1, 1, 1)
    cuts = {begin, end}
    for steps in series:
        for start in pd.DatetimeIndex(steps.dropna().index).normalize():
            if begin < start < end:
                cuts.add(start)
    edges = sorted(cuts)
    days = np.array([(b - a).days for a, b in itertools.pairwise(edges)], dtype=float)
    levels = np.zeros((len(days), len(series)))
    for c, steps in enumerate(series):
        steps = steps.dropna().sort_index()
        if steps.empty:
            continue
        for s, left in enumerate(edges[:-1]):
            level = level_at(steps, left)
            if np.isnan(level):
                level = float(steps.iloc[0]) if hold_first else np.nan
            levels[s, c] = level
    return days, levels
