"""The current year month by month (Home and Back-test): actual, model and naive."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from model.nowcast import Nowcast, nowcast
from views.charts import OKABE_ITO, USD_BN, vega_lite_spec
from views.state import actuals, baseline, uploads_fingerprint
from views.tables import usd_bn
from views.text import dollars

SERIES_LABELS = {"balance": "Surplus", "exports": "Exports", "imports": "Imports"}
KIND_LABELS = {"actual": "Actual", "model": "Model", "naive": "Naive benchmark"}
KIND_DASHES = {"actual": [1, 0], "model": [6, 4], "naive": [2, 3]}


@st.cache_resource(max_entries=16, show_spinner="Running the model on this year...")
def _cached(fingerprint: str, _data, _base) -> Nowcast:
    return nowcast(_data, _base)


def current_year() -> Nowcast:
    """The nowcast of the figures in use (cached per data and uploads)."""
    return _cached(uploads_fingerprint(), actuals(), baseline())


def standing(cumulative: pd.DataFrame, year: int) -> str | None:
    """Where ``year``'s cumulative surplus stands against the year before at the same
    month, in words; None if either year lacks that month. ``cumulative`` is
    :func:`views.tables.ytd_cumulative`'s frame."""
    this = cumulative[cumulative["year"] == year]
    if this.empty:
        return None
    last = this.iloc[-1]
    before = cumulative[(cumulative["year"] == year - 1) & (cumulative["month"] == last["month"])]
    if before.empty:
        return None
    now, then = float(last["cumulative_usd_bn"]), float(before["cumulative_usd_bn"].iloc[0])
    change = 100 * (now / then - 1)
    side = "above" if change > 0 else "below"
    return (
        f"To {last['month_label']}, {year}'s surplus is {usd_bn(now)}, "
        f"{abs(change):.1f}% {side} {year - 1}'s {usd_bn(then)} at the same month."
    )


def nowcast_frame(table: pd.DataFrame, series: str) -> pd.DataFrame:
    """Long frame of one series: period, order, kind (label), value."""
    kinds = list(KIND_LABELS)
    frame = table.melt(
        id_vars=["month", "period"], value_vars=[f"{series}_{k}" for k in kinds], var_name="kind"
    )
    frame["kind"] = frame["kind"].str[len(series) + 1 :].map(KIND_LABELS)
    return frame


def nowcast_chart(table: pd.DataFrame, series: str, title: str) -> alt.Chart:
    """Actual (solid), model (dashed) and naive (dotted) values of one series by period."""
    frame = nowcast_frame(table, series)
    kinds = list(KIND_LABELS.values())
    return (
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(
            x=alt.X(
                "period:N",
                sort=list(table["period"]),
                title="Period (GAC: Jan-Feb together)",
                axis=alt.Axis(labelAngle=0),
            ),
            y=alt.Y("value:Q", title=USD_BN),
            color=alt.Color(
                "kind:N",
                title=None,
                scale=alt.Scale(domain=kinds, range=[OKABE_ITO[0], OKABE_ITO[3], OKABE_ITO[7]]),
                legend=alt.Legend(orient="bottom"),
            ),
            strokeDash=alt.StrokeDash(
                "kind:N",
                scale=alt.Scale(domain=kinds, range=list(KIND_DASHES.values())),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("period:N", title="Period"),
                alt.Tooltip("kind:N", title="Series"),
                alt.Tooltip("value:Q", title=USD_BN, format=",.1f"),
            ],
        )
        .properties(title=title, height=300)
    )


def show_current_year(key: str) -> None:
    """The section: the error in words, the full-year estimate, the charts, the table."""
    result = current_year()
    st.subheader(f"{result.year} so far: actual, model and a naive benchmark")
    if result.table.empty:
        st.info(f"No month of {result.year} is in the data yet.")
        return
    st.markdown(dollars(f"**{result.sentence()}**"))
    with st.container(horizontal=True):
        for row in result.full_year.itertuples():
            st.metric(
                f"{SERIES_LABELS[row.series]}, {result.year} full-year estimate",
                usd_bn(row.estimate),
                help=dollars(
                    f"{result.span} actual {usd_bn(row.actual_to_date)} plus the model for the "
                    f"rest of the year, {usd_bn(row.model_rest)}. 5th to 95th percentile of "
                    f"the behavioural parameters' draws: {usd_bn(row.low)} to {usd_bn(row.high)}."
                ),
                border=True,
            )
    band = result.full_year.set_index("series").loc["balance"]
    st.caption(
        dollars(
            f"Full-year surplus estimate {usd_bn(band['estimate'])} (band {usd_bn(band['low'])} "
            f"to {usd_bn(band['high'])}): the published months plus the model for the rest. "
            f"Model: from {result.year - 1} with the {result.year} tariff steps as they happened "
            f"and the demand forecast in January {result.year} (IMF), spread over the months by "
            f"the average seasonal profile of {', '.join(map(str, result.profile_years))}. "
            "Naive: the back-test's random walk with drift, spread the same way."
        )
    )
    series = st.segmented_control(
        "Series",
        list(SERIES_LABELS),
        default="balance",
        format_func=SERIES_LABELS.get,
        key=f"{key}_series",
    )
    series = series or "balance"
    left, right = st.columns(2)
    label = SERIES_LABELS[series]
    for where, table, title in (
        (left, result.table, f"{label}, month by month"),
        (right, result.cumulative, f"{label}, cumulative from January"),
    ):
        with where:
            st.vega_lite_chart(
                spec=vega_lite_spec(nowcast_chart(table, series, f"{result.year}: {title}")),
                width="stretch",
                alt=f"{label} in {result.year}: actual, model and naive benchmark, {title}",
            )
    with st.expander(f"The {result.year} table (US$ bn)"):
        st.dataframe(
            result.table.drop(columns="period"),
            hide_index=True,
            column_config={
                c: st.column_config.NumberColumn(format="%.1f") for c in result.table.columns[2:]
            },
        )
