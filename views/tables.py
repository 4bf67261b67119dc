"""Pure table shapers for the pages: numbers in, DataFrames and strings out.

Nothing here calls Streamlit, so every function is tested on its output alone.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

MONTH_LABELS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def usd_bn(value: float, digits: int | None = None) -> str:
    """A US$ billions figure as a reader says it: ``$992 bn``, ``$1.19 tn``.

    Values of $1,000 bn and more are given in trillions to two decimals; smaller
    ones in billions with no decimals (or ``digits`` decimals). A gap is ``n/a``.
    """
    if value is None or not math.isfinite(value):
        return "n/a"
    sign = "-" if value < 0 else ""
    size = abs(value)
    if size >= 1000:
        return f"{sign}${size / 1000:,.{2 if digits is None else digits}f} tn"
    return f"{sign}${size:,.{0 if digits is None else digits}f} bn"


def pct(value: float, digits: int = 1, signed: bool = True) -> str:
    """A percentage, signed by default: ``+5.5%``; a gap is ``n/a``."""
    if value is None or not math.isfinite(value):
        return "n/a"
    return f"{value:{'+' if signed else ''}.{digits}f}%"


@dataclass(frozen=True)
class Headline:
    """One headline number: what, for which year, its value and change on a year before."""

    label: str
    year: int
    value: str
    delta: str | None
    help: str


def headlines(annual: pd.DataFrame) -> list[Headline]:
    """The four headline numbers of the latest year that has each figure.

    ``annual`` is indexed by year with ``balance_usd_bn``, ``exports_usd_bn``,
    ``imports_usd_bn`` and ``world_share_pct``. A money figure's change is in percent
    on the year before; the share's change is in percentage points. A figure that
    has no value in any year is shown as ``n/a``.
    """
    rows = [
        ("Trade surplus", "balance_usd_bn", "money"),
        ("Exports", "exports_usd_bn", "money"),
        ("Imports", "imports_usd_bn", "money"),
        ("Share of world exports", "world_share_pct", "share"),
    ]
    out = []
    for label, column, kind in rows:
        series = annual[column].dropna() if column in annual else pd.Series(dtype=float)
        if series.empty:
            out.append(Headline(label, 0, "n/a", None, "No figure in the data."))
            continue
        year = int(series.index.max())
        value = float(series[year])
        before = annual[column].get(year - 1, np.nan) if column in annual else np.nan
        if kind == "money":
            shown = usd_bn(value)
            delta = (
                pct(100 * (value / before - 1)) + f" on {year - 1}"
                if pd.notna(before) and before != 0
                else None
            )
            helptext = f"{label}, {year}, US$, goods, China customs basis."
        else:
            shown = f"{value:.1f}%"
            delta = f"{value - before:+.1f} pp on {year - 1}" if pd.notna(before) else None
            helptext = f"China's goods exports as a share of world merchandise exports, {year}."
        out.append(Headline(label, year, shown, delta, helptext))
    return out


def number_formats(table: pd.DataFrame, whole: tuple[str, ...] = ()) -> dict[str, str]:
    """Display formats for a table of figures, by column (``st.column_config.NumberColumn``).

    Every column of decimals gets one decimal, ``%.1f``; the ``whole`` columns (years,
    say) ``%d``. Text, true/false and integer columns not named are left as they are.
    """
    formats = {c: "%.1f" for c in table.columns if pd.api.types.is_float_dtype(table[c])}
    return formats | {c: "%d" for c in whole if c in table.columns}


def ytd_cumulative(monthly: pd.DataFrame) -> pd.DataFrame:
    """Cumulative balance within each year, month by month.

    A combined January-February row (``months == 2``) counts as February. A year's
    line stops at its first missing month (a gap in the file or a missing balance),
    so a cumulative figure never skips a month.

    Returns a long frame: year, month (1-12), month_label, balance_usd_bn,
    cumulative_usd_bn.
    """
    columns = ["year", "month", "month_label", "balance_usd_bn", "cumulative_usd_bn"]
    if monthly.empty:
        return pd.DataFrame(columns=columns)
    table = monthly[["month", "months", "balance_usd_bn"]].copy()
    table["year"] = table["month"].str[:4].astype(int)
    table["number"] = table["month"].str[5:7].astype(int)
    frames = []
    for year, rows in table.groupby("year", sort=True):
        rows = rows.sort_values("number")
        expected, running, points = 1, 0.0, []
        for row in rows.itertuples():
            first = row.number - (int(row.months) - 1)
            if first != expected or pd.isna(row.balance_usd_bn):
                break
            running += float(row.balance_usd_bn)
            points.append(
                (year, row.number, MONTH_LABELS[row.number - 1], row.balance_usd_bn, running)
            )
            expected = row.number + 1
        frames.append(pd.DataFrame(points, columns=columns))
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    return out.astype({"year": int, "month": int, "cumulative_usd_bn": float})


def crossing_month(cumulative: pd.DataFrame, year: int, level: float) -> str | None:
    """The month label in which ``year``'s cumulative balance first reaches ``level``."""
    rows = cumulative[(cumulative["year"] == year) & (cumulative["cumulative_usd_bn"] >= level)]
    if rows.empty:
        return None
    return str(rows.sort_values("month").iloc[0]["month_label"])


def gap_report(
    table: pd.DataFrame, key: str, columns: list[str], expected: list | None = None
) -> pd.DataFrame:
    """For each column, its gap cells and every key (year, month) that lacks a figure.

    ``key`` is the column (or index name) that says when a row is. A key in
    ``expected`` that has no row at all counts as missing too (``absent_rows``), so
    a year left out of the file is not hidden.
    """
    keyed = table.reset_index() if key not in table.columns else table
    return pd.DataFrame(
        [_gap_row(column, keyed, key, column, expected or []) for column in columns]
    )


def _gap_row(series: str, table: pd.DataFrame, key: str, column: str, expected: list) -> dict:
    """One row of a gap report: ``column`` of ``table``, its gaps and the keys missing."""
    present = set(table[key])
    absent = [k for k in expected if k not in present]
    gaps = list(table.loc[table[column].isna(), key])
    missing = sorted(set(gaps) | set(absent))
    return {
        "series": series,
        "rows": len(table),
        "gap_cells": len(gaps),
        "absent_rows": len(absent),
        "missing": ", ".join(str(v) for v in missing) or "none",
    }


def expected_years(years) -> list[int]:
    """Every year from the first to the last."""
    years = [int(y) for y in years]
    return list(range(min(years), max(years) + 1)) if years else []


def expected_months(monthly: pd.DataFrame) -> list[str]:
    """Every month from the first to the last, less each January inside a Jan-Feb row."""
    if monthly.empty:
        return []
    first, last = monthly["month"].min(), monthly["month"].max()
    months = pd.period_range(first, last, freq="M").strftime("%Y-%m").tolist()
    combined = monthly.loc[monthly["months"] == 2, "month"].str[:4]
    january = {f"{year}-01" for year in combined}
    return [m for m in months if m not in january]


def regional_gap_report(by_region: pd.DataFrame) -> pd.DataFrame:
    """Gap cells of exports and imports for each region, with the years missing.

    A year that is in the file for some region but has no row for this one counts
    as missing for it too.
    """
    years = expected_years(by_region["year"]) if not by_region.empty else []
    rows = []
    for region, group in by_region.groupby("region", sort=False):
        for column in ("exports_usd_bn", "imports_usd_bn"):
            rows.append(_gap_row(f"{region}: {column}", group, "year", column, years))
    return pd.DataFrame(rows)


def driver_gap_report(drivers: pd.DataFrame) -> pd.DataFrame:
    """Gap cells of each driver series (and kind), with the years missing."""
    return pd.DataFrame(
        [
            _gap_row(f"{series} ({kind})", group, "year", "value", expected_years(group["year"]))
            for (series, kind), group in drivers.groupby(["series", "kind"], sort=True)
        ]
    )


def market_gap_report(markets: pd.DataFrame) -> pd.DataFrame:
    """Gap cells of each market's imports from each origin, with the years missing."""
    if markets.empty:
        return gap_report(markets, "year", ["imports"])
    return pd.DataFrame(
        [
            _gap_row(
                f"{market} from {origin}", group, "year", "imports", expected_years(group["year"])
            )
            for (market, origin), group in markets.groupby(["market", "origin"], sort=False)
        ]
    )


def sources_of(table: pd.DataFrame) -> list[str]:
    """The distinct sources a table cites, most used first."""
    if "source" not in table:
        return []
    counts = table["source"].dropna().value_counts()
    return list(counts.index)


def resource_table(actuals, name: str, schema: dict) -> pd.DataFrame:
    """The table behind resource ``name`` in the shape of its file (schema column order).

    Computed columns (the world share, parsed dates) are left out, so a downloaded
    table can be edited and uploaded again as it is.
    """
    frames = {
        "annual": lambda: actuals.annual.reset_index(),
        "monthly": lambda: actuals.monthly,
        "exports_by_region": lambda: actuals.by_region,
        "tariffs": lambda: actuals.tariffs,
        "drivers": lambda: actuals.drivers,
        "partners_ytd": lambda: actuals.partners_ytd,
        "markets": lambda: actuals.markets,
        "exports_by_hs_chapter": lambda: actuals.exports_by_hs_chapter,
    }
    table = frames[name]()
    return table[[field["name"] for field in schema["fields"]]].reset_index(drop=True)


def gaps_of(actuals, name: str) -> pd.DataFrame:
    """The gap report of resource ``name``: gap cells per series and what is missing."""
    if name == "annual":
        annual = actuals.annual
        columns = ["exports_usd_bn", "imports_usd_bn", "balance_usd_bn", "world_exports_usd_bn"]
        return gap_report(annual, "year", columns, expected_years(annual.index))
    if name == "monthly":
        monthly = actuals.monthly
        columns = [
            "exports_usd_bn",
            "imports_usd_bn",
            "balance_usd_bn",
            "exports_yoy_pct",
            "imports_yoy_pct",
        ]
        return gap_report(monthly, "month", columns, expected_months(monthly))
    if name == "exports_by_region":
        return regional_gap_report(actuals.by_region)
    if name == "drivers":
        return driver_gap_report(actuals.drivers)
    if name == "partners_ytd":
        return gap_report(actuals.partners_ytd, "partner", ["exports_usd_bn", "exports_yoy_pct"])
    if name == "markets":
        return market_gap_report(actuals.markets)
    if name == "exports_by_hs_chapter":
        return gap_report(actuals.exports_by_hs_chapter, "year", ["exports_usd_bn"])
    return gap_report(actuals.tariffs, "date", ["value_pct"])


def table_named(given: str, resources: dict[str, dict]) -> str | None:
    """The resource a link names, by its name, title or file, in any case; None if none.

    ``resources`` maps a name to its datapackage entry (``title``, ``path``).
    """
    wanted = " ".join(str(given).split()).casefold()
    for name, resource in resources.items():
        spellings = (name, resource.get("title", name), resource.get("path", name))
        if wanted in {str(s).casefold() for s in spellings}:
            return name
    return None


_UNITS = (
    ("_usd_bn", ", US$ bn"),
    ("_usd_per_barrel", ", US$ a barrel"),
    ("_yoy_pct", ", % year on year"),
    ("_pct", ", %"),
)
#: The same units as a narrow column's header says them (the caption spells them out).
SHORT_UNITS = (("_usd_bn", ", $bn"), ("_yoy_pct", ", % y/y"), ("_pct", ", %"))


def column_label(name: str, units: tuple[tuple[str, str], ...] = _UNITS) -> str:
    """A column's name as a header reads: ``exports_usd_bn`` -> "Exports, US$ bn" (with
    ``SHORT_UNITS``, "Exports, $bn")."""
    unit = ""
    for suffix, words in units:
        if name.endswith(suffix):
            name, unit = name[: -len(suffix)], words
            break
    words = name.replace("_", " ").strip()
    return (words[:1].upper() + words[1:] + unit) if words else name


def newest_first(table: pd.DataFrame, schema: dict) -> pd.DataFrame:
    """The table with its latest rows first, by its first column (year, month or date).

    Rows of one date keep their order (a stable sort), so regions stay in file order.
    """
    first = schema["fields"][0]["name"]
    if first not in table:
        return table
    return table.sort_values(first, ascending=False, kind="stable")


#: The advance, in pixels, of each printable ASCII character in a table's header (Source
#: Sans, 14 px, semibold, as Chromium measures it), rounded up to a tenth; any other
#: character counts as the widest.
# fmt: off
_ADVANCES = (
    2.8, 4.5, 6.8, 7.2, 7.2, 11.8, 9.0, 3.9, 4.6, 4.6, 6.2, 7.2, 3.9, 4.6, 3.9, 4.9,
    7.2, 7.2, 7.2, 7.2, 7.2, 7.2, 7.2, 7.2, 7.2, 7.2, 3.9, 3.9, 7.2, 7.2, 7.2, 6.3,
    12.3, 7.9, 8.4, 8.1, 8.8, 7.6, 7.2, 8.8, 9.3, 4.0, 7.0, 8.4, 7.1, 10.5, 9.2, 9.5,
    8.2, 9.5, 8.3, 7.7, 7.7, 9.2, 7.6, 11.2, 7.6, 7.1, 7.6, 4.6, 4.9, 4.6, 7.2, 7.0,
    7.7, 7.3, 7.9, 6.5, 7.9, 7.1, 4.5, 7.3, 7.9, 3.7, 3.7, 7.4, 3.8, 11.9, 7.9, 7.7,
    7.9, 7.9, 5.3, 6.1, 5.1, 7.8, 7.0, 10.5, 6.8, 7.0, 6.3, 4.6, 3.6, 4.6, 7.2,
)
# fmt: on
_HEADER_ADVANCE = dict(zip(map(chr, range(32, 127)), _ADVANCES, strict=True))
#: The header's padding either side of its text (8 px each), and a pixel's margin.
_HEADER_PADDING = 17


def header_width(label: str) -> int:
    """A column width, in pixels, that shows ``label`` whole in a table's header.

    A column given a fixed width (``st.column_config``'s ``width``) cuts a longer header
    off; a width from this is a pixel or two over the text's, never under.
    """
    widest = max(_HEADER_ADVANCE.values())
    return math.ceil(sum(_HEADER_ADVANCE.get(c, widest) for c in label)) + _HEADER_PADDING


_COLUMN_NAME = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def named_series(text: str) -> str:
    """A gap report's series with each column name in it as a header reads it:
    "European Union: imports_usd_bn" -> "European Union: Imports, US$ bn"."""
    return _COLUMN_NAME.sub(lambda name: column_label(name.group()), text)


def fitted_width(label: str, values: Iterable[str] = ()) -> int:
    """A column width, in pixels, that shows its header and each of ``values`` whole."""
    return max([header_width(label), *(header_width(v) for v in values)])
