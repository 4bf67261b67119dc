"""The "as of" line every page shows: how far the actual figures reach, from the data."""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd
import streamlit as st

from model.data import DATA_DIR, DataError, read_package

#: Said when the package names no publisher for the monthly figures.
UNNAMED = "source in the Data page"


@functools.lru_cache(maxsize=4)
def monthly_publisher(folder: str = str(DATA_DIR)) -> str:
    """The publisher of the monthly figures: the first ``sources`` title of the
    ``monthly`` resource in datapackage.json."""
    try:
        package = read_package(Path(folder))
    except DataError:
        return UNNAMED
    for resource in package.get("resources", []):
        if resource.get("name") == "monthly":
            titles = [s.get("title") for s in resource.get("sources", []) if s.get("title")]
            return str(titles[0]) if titles else UNNAMED
    return UNNAMED


def as_of_line(monthly: pd.DataFrame, publisher: str) -> str:
    """``Actual figures to May 2026, China customs (GAC), released 2026-06-09``: the newest
    month of ``monthly`` with an exports or imports figure, and its ``released`` date."""
    known = monthly.dropna(subset=["exports_usd_bn", "imports_usd_bn"], how="all")
    if known.empty:
        return "No monthly actual figures are in the data."
    row = known.sort_values("month").iloc[-1]
    month = pd.Timestamp(f"{row['month']}-01").strftime("%B %Y")
    released = str(row.get("released", "") or "").strip()
    when = f"released {released}" if released else "release date not in the data"
    return f"Actual figures to {month}, {publisher}, {when}"


def show_as_of(monthly: pd.DataFrame) -> None:
    """Draw the "as of" line (a caption) for the monthly figures in use."""
    st.caption(as_of_line(monthly, monthly_publisher()))
