"""The Streamlit side of the pages: loading the data once, the session's uploads.

Pages call ``actuals()`` for the figures in use this session: the shipped files,
read and checked once per server (``st.cache_resource``), with any table the user
uploaded on the Data page put in place of the shipped one for this session only.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

import model.data as data_module
from model.baseline import load_actuals_cached
from model.data import Actuals, DataError, load_actuals, replace_table
from views.text import plain

UPLOADS_KEY = "data_uploads"


@st.cache_resource(max_entries=4, show_spinner=False)
def load_shipped(folder: str) -> Actuals:
    """The checked figures of the data package in ``folder`` (cached per folder).

    One object shared by every session and never changed (an upload makes a new one,
    see ``actuals``): ``st.cache_data`` would hand each call a fresh copy, a few
    milliseconds on every rerun. It is the model's own cached read of the folder (the
    one the presets start from), so the files are read once for both: a file that
    disappears or breaks while the server runs changes no page until a restart.
    """
    if Path(folder) == data_module.DATA_DIR:
        return load_actuals_cached()
    return load_actuals(folder)


def shipped() -> Actuals:
    """The shipped figures; on a failed check, an error page naming every problem."""
    try:
        return load_shipped(str(data_module.DATA_DIR))
    except DataError as error:
        show_data_error(error)
        st.stop()
        raise  # st.stop() ends the run; this line is never reached


def actuals() -> Actuals:
    """The figures in use this session: shipped, with the user's uploads in place."""
    current = shipped()
    for name, table in uploads().items():
        current = replace_table(current, name, table)
    return current


def uploads() -> dict[str, pd.DataFrame]:
    """The tables the user uploaded this session, by resource name."""
    return st.session_state.get(UPLOADS_KEY, {})


def set_upload(name: str, table: pd.DataFrame | None) -> None:
    """Use ``table`` in place of the shipped ``name`` this session (None: back to shipped)."""
    current = dict(uploads())
    if table is None:
        current.pop(name, None)
    else:
        current[name] = table
    st.session_state[UPLOADS_KEY] = current


def problems_frame(problems) -> pd.DataFrame:
    """Problems as a table a reader can scan: file, row, column, problem."""
    return pd.DataFrame(
        [
            {
                "file": p.file,
                "row": "" if p.row is None else str(p.row),
                "column": p.column or "",
                "problem": p.message,
            }
            for p in problems
        ],
        columns=["file", "row", "column", "problem"],
    )


def changes_text(changes, most: int = 12) -> str:
    """Rows missing, added and changed, in words, naming the first ``most`` keys of each."""

    def keys(items: list[str]) -> str:
        named = ", ".join(items[:most])
        return named + (f" and {len(items) - most:,} more" if len(items) > most else "")

    if changes.unchanged:
        return f"the same {changes.rows_after:,} rows, no cell changed."
    parts = [
        f"the shipped file has {changes.rows_before:,} rows, the upload {changes.rows_after:,}."
    ]
    for label, items in (
        ("missing from the upload", changes.missing),
        ("added", changes.added),
        ("changed", changes.changed),
    ):
        if items:
            parts.append(
                f"{len(items):,} row{'s' if len(items) != 1 else ''} {label}: {keys(items)}."
            )
    return " ".join(parts)


def show_data_error(error: DataError) -> None:
    """An error page that names each file, row and problem, never a traceback."""
    count = len(error.problems)
    st.error(
        f"The app's data files did not pass their checks: {count} problem"
        f"{'s' if count != 1 else ''}, listed below. Nothing is shown until they are "
        "fixed, so that no chart rests on a figure that failed a check.",
        title="The data could not be loaded",
        icon=":material/error:",
    )
    st.dataframe(
        problems_frame(error.problems),
        hide_index=True,
        alt="Every problem found in the data files, with file, row and column",
    )


def uploads_fingerprint() -> str:
    """A short digest of the session's uploads ('' when none): a cache key for them."""
    import hashlib

    from model.data import to_safe_csv

    current = uploads()
    if not current:
        return ""
    digest = hashlib.sha256()
    for name in sorted(current):
        digest.update(name.encode())
        digest.update(to_safe_csv(current[name]))
    return digest.hexdigest()[:16]


@st.cache_resource(max_entries=16, show_spinner=False)
def _baseline(folder: str, fingerprint: str, _data: Actuals):
    from model import baseline_from_actuals

    return baseline_from_actuals(_data)


def baseline():
    """The model's base-year state from the figures in use (cached per data and uploads).

    A figure the model cannot start from (an upload without the base year's
    exports, say) gives an error page that says so, never a traceback.
    """
    data = actuals()
    try:
        return _baseline(str(data_module.DATA_DIR), uploads_fingerprint(), data)
    except ValueError as error:
        st.error(
            f"The model cannot start from the figures in use: {error}. "
            + (
                "An uploaded table is in use: go back to the shipped figures on the Data page."
                if uploads()
                else ""
            ),
            title="No base year",
            icon=":material/error:",
        )
        st.stop()
        raise


def _cached_or_warning(cached, key, failure: str) -> dict | None:
    """``cached(key, folder, fingerprint, data)`` on the figures in use, or None.

    The data folder and the uploads' fingerprint key the cache (the data itself is
    not hashed). A ValueError, from figures that cannot support the computation,
    gives the warning ``failure: reason`` and None.
    """
    data = actuals()
    try:
        return cached(key, str(data_module.DATA_DIR), uploads_fingerprint(), data)
    except ValueError as error:
        st.warning(f"{failure}: {plain(str(error))}", icon=":material/warning:")
        return None


@st.cache_data(max_entries=64, show_spinner=False)
def _backtest(start_year: int, folder: str, fingerprint: str, _data: Actuals) -> dict:
    from model.backtest import backtest

    result = backtest(start_year, actuals=_data)
    return {
        "table": result.table,
        "naive": result.naive,
        "metrics": result.metrics,
        "inputs": result.inputs,
        "regions": dict(zip(result.baseline.regions, result.baseline.slugs, strict=True)),
    }


def replay(start_year: int) -> dict | None:
    """The back-test from ``start_year`` on the figures in use (cached); None if impossible.

    Returns the simulated-against-actual table, the naive benchmark, the error
    metrics, the observed inputs and the modelled regions (name -> slug). A start
    year the data cannot replay gives a warning that says why.
    """
    return _cached_or_warning(
        _backtest, int(start_year), f"History cannot be replayed from {start_year}"
    )


@st.cache_data(max_entries=32, show_spinner="Fitting the elasticities to history...")
def _calibration(window: tuple[int, int], folder: str, fingerprint: str, _data: Actuals) -> dict:
    from model.calibrate import calibrate

    result = calibrate(window, actuals=_data)
    return {
        "estimates": result.estimates,
        "errors": result.errors,
        "start_year": result.start_year,
        "message": result.message,
        "scenario": result.scenario.to_json(),
    }


def calibration(window: tuple[int, int]) -> dict | None:
    """The elasticities fitted over ``window`` on the figures in use (cached); None if the
    data cannot support the fit (a warning says why)."""
    return _cached_or_warning(
        _calibration,
        (int(window[0]), int(window[1])),
        f"The fit over {window[0]}-{window[1]} is not possible",
    )
