"""Pure shapers of model results for the charts and the sentence the Scenario page shows.

Nothing here calls Streamlit. ``path`` is a simulated path (one row a year, the
base year first: year, exports_usd_bn, imports_usd_bn, balance_usd_bn,
world_exports_usd_bn, world_share_pct and ``exports_<slug>_usd_bn``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from model.backtest import OUTSIDE_US, US_RIVALS
from views.charts import ACTUAL, BASELINE, SCENARIO, SIMULATED
from views.tables import usd_bn


def actual_vs_simulated(
    actual: pd.Series, path: pd.DataFrame, column: str, since: int | None = None
) -> pd.DataFrame:
    """Long frame year, value, kind: the actual series (solid) and the simulated one (dashed).

    ``actual`` is indexed by year; gaps are dropped. The simulated line starts at
    the base year, so it joins the actual line where the projection begins.
    """
    history = actual.dropna()
    if since is not None:
        history = history[history.index >= since]
    # One frame from plain lists: a third of the time of two frames joined, each move.
    return pd.DataFrame(
        {
            "year": [int(y) for y in history.index] + [int(y) for y in path["year"]],
            "value": history.tolist() + path[column].tolist(),
            "kind": [ACTUAL] * len(history) + [SIMULATED] * len(path),
        }
    )


def destinations(
    by_region: pd.DataFrame,
    path: pd.DataFrame,
    regions: Sequence[str],
    slugs: Sequence[str],
    annual_exports: pd.Series,
    since: int | None = None,
) -> pd.DataFrame:
    """Exports by destination, actual and simulated, long: year, region, value, kind.

    Actual Rest of world is the year's total less the modelled named regions (as in
    the model), and only for years where each of those regions has a figure.
    """
    named = [r for r in regions if r != "Rest of world"]
    table = by_region[by_region["region"].isin(named)].dropna(subset=["exports_usd_bn"])
    # Plain lists in the order drawn (region, then actual before simulated, then year):
    # this runs on every slider move, and sorting a frame cost more than the rest.
    actual: dict[str, list[tuple[int, float]]] = {region: [] for region in regions}
    by_year: dict[int, list[float]] = {}
    for y, r, v in zip(table["year"], table["region"], table["exports_usd_bn"], strict=True):
        actual[r].append((int(y), float(v)))
        by_year.setdefault(int(y), []).append(float(v))
    for year, values in by_year.items():
        total = annual_exports.get(year, math.nan)
        if len(values) == len(named) and pd.notna(total):
            actual["Rest of world"].append((year, float(total) - sum(values)))
    years = [int(y) for y in path["year"]]
    first = -math.inf if since is None else since
    rows = []
    for region, slug in zip(regions, slugs, strict=True):
        rows += [(y, region, v, ACTUAL) for y, v in sorted(actual[region]) if y >= first]
        simulated = zip(years, path[f"exports_{slug}_usd_bn"].tolist(), strict=True)
        rows += [(y, region, float(v), SIMULATED) for y, v in simulated if y >= first]
    return pd.DataFrame(rows, columns=["year", "region", "value", "kind"])


def destination_changes(
    destinations: pd.DataFrame,
    base_year: int,
    year: int,
    baseline_path: pd.DataFrame | None = None,
    slugs: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The change of China's exports to each destination, actual and simulated.

    ``destinations`` is the frame of ``destinations`` (year, region, value, kind). For
    each region: the actual change over the years before the base year as many as the
    simulation runs to ``year`` (where the data have both years' figures), the simulated
    change from the base year to ``year`` under the scenario and, with ``baseline_path``
    (and ``slugs``, region to slug), under the baseline. Rows: region, series (Actual,
    Your scenario, Baseline), point (the series and its years, as a legend names it),
    change (US$ bn).
    """
    past = base_year - (year - base_year)
    actual = destinations[destinations["kind"] == ACTUAL]
    simulated = destinations[destinations["kind"] == SIMULATED]
    rows = []
    for region in dict.fromkeys(destinations["region"]):
        mine = actual[actual["region"] == region].set_index("year")["value"]
        model = simulated[simulated["region"] == region].set_index("year")["value"]
        if past in mine.index and base_year in mine.index:
            rows.append((region, ACTUAL, past, base_year, mine[base_year] - mine[past]))
        rows.append((region, SCENARIO, base_year, year, model[year] - model[base_year]))
        if baseline_path is not None and slugs is not None:
            other = baseline_path.set_index("year")[f"exports_{slugs[region]}_usd_bn"]
            rows.append((region, BASELINE, base_year, year, other[year] - other[base_year]))
    return pd.DataFrame(
        [(r, s, f"{s}, {a} to {b}", float(c)) for r, s, a, b, c in rows],
        columns=["region", "series", "point", "change"],
    )


def headline_year(path: pd.DataFrame, wanted: int = 2030) -> int:
    """The year the results are told for: ``wanted`` if simulated, else the last year."""
    years = set(path["year"].astype(int))
    return wanted if wanted in years else int(path["year"].max())


def with_baseline(frame: pd.DataFrame, baseline_path: pd.DataFrame | None, column: str):
    """An actual-and-simulated frame (``actual_vs_simulated``) with the baseline beside it.

    Adds ``series``: Actual, Your scenario and, when ``baseline_path`` is given (the
    scenario differs from the baseline), Baseline, simulated like the scenario.
    """
    out = frame.assign(series=[ACTUAL if k == ACTUAL else SCENARIO for k in frame["kind"]])
    if baseline_path is None:
        return out
    baseline = pd.DataFrame(
        {
            "year": [int(y) for y in baseline_path["year"]],
            "value": baseline_path[column].tolist(),
            "kind": SIMULATED,
            "series": BASELINE,
        }
    )
    return pd.concat([out, baseline], ignore_index=True)


def summary_sentence(
    path: pd.DataFrame, base_year: int, year: int, baseline_path: pd.DataFrame | None = None
) -> str:
    """The result in words: where the surplus goes, against the baseline and the base year.

    E.g. "The surplus reaches $2.06 tn in 2030, $367 bn more than the baseline's
    $1.69 tn and 73.0% above 2025's $1.19 tn; exports $4.33 tn, imports $3.28 tn, 14.9% of world
    exports." Without ``baseline_path`` (the scenario is the baseline), it says so.
    """
    row = path.set_index("year").loc[year]
    base = path.set_index("year").loc[base_year]
    surplus, before = float(row["balance_usd_bn"]), float(base["balance_usd_bn"])
    change = 100 * (surplus / before - 1) if before else math.nan
    if not math.isfinite(change):
        on_base_year = ""
    elif abs(change) < 0.05:
        on_base_year = f"about the same as {base_year}"
    else:
        word = "above" if change > 0 else "below"
        on_base_year = f"{abs(change):.1f}% {word} {base_year}'s {usd_bn(before)}"
    verb = "reaches" if surplus >= 0 else "turns into a deficit of"
    shown = usd_bn(abs(surplus)) if surplus < 0 else usd_bn(surplus)
    if baseline_path is None:
        against = f", {on_base_year}; this is the baseline" if on_base_year else ""
    else:
        other = float(baseline_path.set_index("year").loc[year, "balance_usd_bn"])
        gap = surplus - other
        more = "more" if gap >= 0 else "less"
        against = f", {usd_bn(abs(gap))} {more} than the baseline's {usd_bn(other)}" + (
            f" and {on_base_year}" if on_base_year else ""
        )
    return (
        f"The surplus {verb} {shown} in {year}{against}; exports "
        f"{usd_bn(float(row['exports_usd_bn']))}, imports {usd_bn(float(row['imports_usd_bn']))}, "
        f"{float(row['world_share_pct']):.1f}% of world exports."
    )


def against_baseline(value: float, baseline: float | None, before: float, base_year: int, kind):
    """A metric's change: on the baseline when there is one, else on the base year.

    ``kind`` is "money" (US$ bn: a difference in dollars) or "share" (%: in points).
    A difference that rounds to nothing is "same as the baseline", with no sign.
    """
    if kind == "share":
        if baseline is None:
            return f"{value - before:+.1f} pp on {base_year}"
        if abs(value - baseline) < 0.05:
            return "same as the baseline"
        return f"{value - baseline:+.1f} pp on the baseline"
    if baseline is None:
        return f"{100 * (value / before - 1):+.1f}% on {base_year}" if before else None
    gap = value - baseline
    if abs(gap) < 0.05:
        return "same as the baseline"
    digits = 1 if abs(gap) < 10 else None  # "+$0.4 bn", not "+$0 bn"
    return f"{'+' if gap >= 0 else '-'}{usd_bn(abs(gap), digits)} on the baseline"


def share_sentence(path: pd.DataFrame, projection: Mapping) -> str:
    """The world-share question in words: the simulated share against a published projection.

    E.g. "China's share of world exports reaches 16.3% in 2030, 0.2 pp short of the
    16.5% Morgan Stanley projects." ``projection`` has year, value and ``by`` (who).
    """
    target, when, by = float(projection["value"]), int(projection["year"]), projection["by"]
    shares = path.set_index("year")["world_share_pct"]
    if when not in shares.index:
        return (
            f"{by} projects {target:g}% of world exports in {when}; this scenario ends in "
            f"{int(shares.index.max())}, with {float(shares.iloc[-1]):.1f}%."
        )
    share = float(shares[when])
    gap = share - target
    if abs(gap) < 0.05:
        where = f"the {target:g}% {by} projects"
    else:
        side = "short of" if gap < 0 else "above"
        where = f"{abs(gap):.1f} pp {side} the {target:g}% {by} projects"
    return f"China's share of world exports reaches {share:.1f}% in {when}, {where}."


def outcome_row(name: str, path: pd.DataFrame, year: int, slugs: Mapping[str, str]) -> dict:
    """One scenario's outcomes in ``year`` for the comparison table."""
    row = path.set_index("year").loc[year]
    out = {
        "Scenario": name,
        "Year": year,
        "Surplus, US$ bn": float(row["balance_usd_bn"]),
        "Exports, US$ bn": float(row["exports_usd_bn"]),
        "Imports, US$ bn": float(row["imports_usd_bn"]),
        "World share, %": float(row["world_share_pct"]),
    }
    for region, slug in slugs.items():
        column = f"exports_{slug}_usd_bn"
        if column in row.index:
            out[f"Exports to {region}, US$ bn"] = float(row[column])
    return out


#: Back-test series shown, with their chart titles and units.
BACKTEST_SERIES = {
    "exports_united_states_usd_bn": ("Exports to the United States", "US$ bn", ",.0f"),
    OUTSIDE_US: ("Exports outside the United States", "US$ bn", ",.0f"),
    "exports_usd_bn": ("Total exports", "US$ bn", ",.0f"),
    "balance_usd_bn": ("Trade surplus", "US$ bn", ",.0f"),
    "world_share_pct": ("Share of world exports", "%", ".1f"),
    US_RIVALS: ("Other suppliers' sales in the US market", "US$ bn", ",.0f"),
}
MODEL_LINE, NAIVE_LINE = "Model", "Naive benchmark"


def backtest_frame(table: pd.DataFrame, naive: pd.DataFrame, series: str) -> pd.DataFrame:
    """Long frame for one back-test chart: actual (solid), model and naive (dashed).

    Columns year, value, kind (Actual/Simulated), series (Actual/Model/Naive benchmark).
    """
    frames = []
    actual = table[["year", f"{series}_actual"]].dropna()
    frames.append(
        pd.DataFrame(
            {
                "year": actual["year"],
                "value": actual[f"{series}_actual"],
                "kind": ACTUAL,
                "series": ACTUAL,
            }
        )
    )
    frames.append(
        pd.DataFrame(
            {
                "year": table["year"],
                "value": table[f"{series}_simulated"],
                "kind": SIMULATED,
                "series": MODEL_LINE,
            }
        )
    )
    if f"{series}_naive" in naive:
        frames.append(
            pd.DataFrame(
                {
                    "year": naive["year"],
                    "value": naive[f"{series}_naive"],
                    "kind": SIMULATED,
                    "series": NAIVE_LINE,
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    out["year"] = out["year"].astype(int)
    return out


def yearly_errors(table: pd.DataFrame, naive: pd.DataFrame) -> pd.DataFrame:
    """Each year of the replay: actual, model and naive, and both errors, one row a series.

    Columns: Series (with its unit), Year, Actual, Model, Naive benchmark, Model error
    (%) and Naive error (%), an error being 100 * (value / actual - 1); a year without
    an actual figure has no error. The series are those of ``BACKTEST_SERIES`` that the
    replay has, in that order, each from the first year replayed (the start year, taken
    from the actual figures, is left out) to the last.
    """
    rows = []
    naive_by_year = naive.set_index("year")
    replayed = table[table["year"] > table["year"].min()]  # the start year is actual
    for series, (title, unit, _) in BACKTEST_SERIES.items():
        if f"{series}_simulated" not in table:
            continue
        for year, actual, model in zip(
            replayed["year"],
            replayed[f"{series}_actual"],
            replayed[f"{series}_simulated"],
            strict=True,
        ):
            column = f"{series}_naive"
            guess = (
                float(naive_by_year.loc[year, column])
                if column in naive_by_year and year in naive_by_year.index
                else math.nan
            )
            actual = float(actual)

            def error(value: float, actual: float = actual) -> float:
                return 100 * (value / actual - 1) if actual and math.isfinite(actual) else math.nan

            rows.append(
                {
                    "Series": f"{title}, {unit}",
                    "Year": int(year),
                    "Actual": actual,
                    "Model": float(model),
                    "Naive benchmark": guess,
                    "Model error (%)": error(float(model)),
                    "Naive error (%)": error(guess),
                }
            )
    return pd.DataFrame(rows)


def error_table(metrics: pd.DataFrame, labels: Mapping[str, str]) -> pd.DataFrame:
    """The model's errors beside the naive benchmark's, one row a series.

    Columns: Series, Years, MAPE model %, MAPE naive %, RMSE model, RMSE naive,
    final-year error model %, final-year error naive %, Beats naive (on MAPE).
    """
    rows = []
    for series, group in metrics.groupby("series", sort=False):
        by = group.set_index("method")
        if not {"model", "naive"} <= set(by.index):
            continue
        model, naive = by.loc["model"], by.loc["naive"]
        rows.append(
            {
                "Series": labels.get(series, series),
                "Years": int(model["years"]),
                "MAPE, model (%)": float(model["mape_pct"]),
                "MAPE, naive (%)": float(naive["mape_pct"]),
                "RMSE, model": float(model["rmse"]),
                "RMSE, naive": float(naive["rmse"]),
                "Final year": int(model["final_year"]) if pd.notna(model["final_year"]) else None,
                "Final-year error, model (%)": float(model["final_error_pct"]),
                "Final-year error, naive (%)": float(naive["final_error_pct"]),
                "Beats naive": bool(model["mape_pct"] < naive["mape_pct"]),
            }
        )
    return pd.DataFrame(rows)


#: The back-test's observed inputs, by column: a header with its unit.
INPUT_HEADERS = {
    "year": "Year",
    "us_tariff_pct": "US tariff on Chinese goods, %",
    "china_tariff_pct": "China's tariff on US goods, %",
    "price_pct": "China's export prices, % change",
    "others_growth_pct": "Other exporters' exports, % change",
    "growth_china_pct": "China's real demand growth, %",
    "growth_world_pct": "World real GDP growth, %",
    "commodity_pct": "Commodity prices, % change",
}


def input_headers(columns, regions: Mapping[str, str]) -> dict[str, str]:
    """Headers for the back-test's inputs table: each column in words with its unit."""
    by_slug = {slug: region for region, slug in regions.items()}
    headers = {}
    for column in columns:
        slug = column.removeprefix("growth_").removesuffix("_pct")
        if column in INPUT_HEADERS:
            headers[column] = INPUT_HEADERS[column]
        elif column.startswith("growth_") and slug in by_slug:
            headers[column] = f"Real demand growth, {by_slug[slug]}, %"
        elif column.endswith("_source"):
            headers[column] = f"Source: {column.removesuffix('_source').replace('_', ' ')}"
        else:
            headers[column] = column.replace("_", " ")
    return headers


def series_label(series: str, regions: Mapping[str, str]) -> str:
    """A reader's name for a result column: 'Exports to ASEAN', 'Trade surplus'."""
    if series in BACKTEST_SERIES:
        return BACKTEST_SERIES[series][0]
    fixed = {"imports_usd_bn": "Imports"}
    if series in fixed:
        return fixed[series]
    for region, slug in regions.items():
        if series == f"exports_{slug}_usd_bn":
            return f"Exports to {region}"
    return series


#: Rows of the lost-sales table: decomposition column and what it means to a reader.
LOST_SALES_ROWS = (
    ("lost", "Lost in the US market"),
    ("diverted", "  to other suppliers (diverted)"),
    ("destroyed", "  not bought (destroyed)"),
    ("deflected", "Sold elsewhere (deflected)"),
    ("rerouted", "Re-routed via connectors"),
    ("change", "Change of total exports"),
)

#: The same rows when China gains US sales against the held tariffs (a tariff cut): each
#: part but the change is told with its sign turned, so that every figure reads as said.
GAINED_SALES_ROWS = (
    ("lost", "Gained in the US market"),
    ("diverted", "  from other suppliers"),
    ("destroyed", "  newly bought (trade created)"),
    ("deflected", "Sold less elsewhere"),
    ("rerouted", "Re-routed less via connectors"),
    ("change", "Change of total exports"),
)


@dataclass(frozen=True)
class UsSales:
    """What happens to China's US sales in one year, told the way it went.

    ``title`` and ``caption`` head the section; ``parts`` (part, usd_bn) is the
    decomposition; ``suppliers`` (supplier, usd_bn, share_pct) is who gains (or,
    when China gains, who loses) the US market, with ``supplier_header`` and
    ``amount_header`` the names of its columns.
    """

    title: str
    caption: str
    parts: pd.DataFrame
    suppliers: pd.DataFrame
    supplier_header: str
    amount_header: str


def us_sales(
    decomposition: pd.DataFrame, gains: pd.DataFrame, year: int, base_year: int
) -> UsSales:
    """Where China's lost US sales go in ``year``, or where its regained ones come from.

    ``decomposition`` is :attr:`model.simulate.Result.decomposition` and ``gains``
    :meth:`model.simulate.Result.us_market_gains` of ``year``, both against the
    tariffs held at their end-of-``base_year`` level. When the scenario's tariffs
    lose China US sales (lost >= 0): lost = diverted + destroyed and change =
    deflected + re-routed - lost. When they gain China US sales (a cut), the
    parts are told with their signs turned: gained = from other suppliers + newly
    bought and change = gained - sold less elsewhere - re-routed less.
    """
    row = decomposition.set_index("year").loc[year]
    gained = float(row["lost"]) < 0
    sign = -1.0 if gained else 1.0
    rows = GAINED_SALES_ROWS if gained else LOST_SALES_ROWS
    parts = pd.DataFrame(
        {
            "part": [label for _, label in rows],
            "usd_bn": [
                float(row[column]) * (1.0 if column == "change" else sign) for column, _ in rows
            ],
        }
    )
    suppliers = pd.DataFrame(
        {
            "supplier": gains["supplier"],
            "usd_bn": sign * gains["gain_usd_bn"],
            "share_pct": gains["share_pct"],
        }
    )
    held = (
        f"against the same scenario with every tariff held at its level at the end of {base_year}"
    )
    if gained:
        return UsSales(
            f"Where China's regained US sales come from, {year}",
            f"China's sales, US$ bn, {held}: your tariffs are lower, so China gains in the "
            "US market. Gained = from other suppliers + newly bought; the change of China's "
            "exports = gained - sold less elsewhere - re-routed less (via ASEAN and Latin "
            "America).",
            parts,
            suppliers,
            "Who loses US sales to China",
            "Loss, US$ bn",
        )
    return UsSales(
        f"Where China's lost US sales go, {year}",
        f"China's sales, US$ bn, {held}. Lost = diverted + destroyed; the change of China's "
        "exports = deflected + re-routed (via ASEAN and Latin America) - lost.",
        parts,
        suppliers,
        "Who gains the US market",
        "Gain, US$ bn",
    )
