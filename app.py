"""Home: the story in numbers, from the actual figures, and the ways into the model."""

import streamlit as st

from views import charts, tables
from views.nav import page_setup
from views.nowcast import show_current_year, standing
from views.state import actuals
from views.text import dollars

page_setup("China's trade surplus: scenarios")

data = actuals()
annual = data.annual
latest = int(annual["balance_usd_bn"].dropna().index.max())
surplus = float(annual.at[latest, "balance_usd_bn"])

st.title(dollars(f"China's trade surplus: {tables.usd_bn(surplus)} in {latest}. What next?"))
st.caption(
    "Goods trade, US$, China customs (GAC) basis. Every figure on this page comes from "
    "the data files, each row with its source (see the Data page)."
)

with st.container(horizontal=True):
    for item in tables.headlines(annual):
        st.metric(
            f"{item.label}, {item.year}" if item.year else item.label,
            item.value,
            item.delta,
            delta_color="off" if item.label == "Imports" else "normal",
            help=item.help,
            border=True,
        )

cumulative = tables.ytd_cumulative(data.monthly)
years = sorted(cumulative["year"].unique().tolist())
if years:
    shown_year = years[-1]
    previous = shown_year - 1
    references = [(1000.0, "$1 tn")]
    sentence = []
    if previous in annual.index and annual["balance_usd_bn"].notna().get(previous, False):
        full_previous = float(annual.at[previous, "balance_usd_bn"])
        references.insert(
            0, (full_previous, f"{previous} full year: {tables.usd_bn(full_previous)}")
        )
        month = tables.crossing_month(cumulative, shown_year, full_previous)
        if month:
            sentence.append(
                f"passed {previous}'s full-year surplus of {tables.usd_bn(full_previous)} "
                f"in {month}"
            )
    month = tables.crossing_month(cumulative, shown_year, 1000.0)
    if month:
        earlier = annual.loc[annual.index < shown_year, "balance_usd_bn"]
        first = bool((earlier.dropna() < 1000).all())
        sentence.append(f"passed $1 tn in {month}" + (", a first" if first else ""))
    if sentence:
        st.markdown(
            dollars(f"**{shown_year}'s cumulative surplus " + " and ".join(sentence) + ".**")
        )
    against = standing(cumulative, shown_year)
    if against:
        st.markdown(dollars(against))
    chosen = st.pills(
        "Years to show",
        years,
        selection_mode="multi",
        default=years[-3:],
        key="home_years",
        format_func=str,
    )
    picked = cumulative[cumulative["year"].isin(chosen or years[-1:])]
    st.vega_lite_chart(
        spec=charts.vega_lite_spec(
            charts.ytd_cumulative_chart(picked, references, highlight=shown_year)
        ),
        width="stretch",
        alt=f"Cumulative trade surplus by month for each year; {shown_year} is highlighted",
    )
    missing = sorted(set(data.monthly["month"].str[:4].astype(int)) - set(years))
    st.caption(
        "From monthly balances; GAC publishes January and February together, so that "
        "point is February. A year's line stops at its first missing month."
        + (f" Years with no usable January: {', '.join(map(str, missing))}." if missing else "")
    )
else:
    st.info("The monthly figures are not in the data yet, so the year-to-date chart is absent.")

show_current_year("home")

st.subheader("Ask what if")
with st.container(horizontal=True):
    st.page_link(
        "pages/1_Scenario.py",
        label="Build a scenario: tariffs, demand, the RMB",
        icon=":material/tune:",
    )
    st.page_link(
        "pages/2_Backtest.py",
        label="Replay history: how well does the model fit?",
        icon=":material/history:",
    )
    st.page_link(
        "pages/3_Compare.py", label="Compare scenarios side by side", icon=":material/compare:"
    )
    st.page_link("pages/4_Data.py", label="The figures and their sources", icon=":material/table:")
    st.page_link("pages/5_Methodology.py", label="How the model works", icon=":material/functions:")
