"""The floor of a Streamlit page: one slider, one Altair chart that follows it.

The slider has the US tariff slider's label, key, range, default, step and URL
binding (``tests/test_bench.py`` holds them to the Scenario page's), so the same key
presses move it the same way; the chart is a line over the years whose level follows
the slider.
"""

import altair as alt
import pandas as pd
import streamlit as st

st.set_page_config(page_title="Minimal", layout="wide")
with st.sidebar:
    level = st.slider(
        "United States, the level in force · 0 to 200%",
        min_value=0.0,
        max_value=200.0,
        value=33.0,
        step=1.0,
        key="tariff_united_states",
        bind="query-params",
    )
years = list(range(2016, 2036))
frame = pd.DataFrame({"year": years, "value": [1000 - level + 10 * i for i in range(len(years))]})
st.altair_chart(
    alt.Chart(frame).mark_line(point=True).encode(x="year:Q", y="value:Q"),
    width="stretch",
)
