"""Back-test: replay history from a chosen year with the tariffs and demand that followed."""

from types import SimpleNamespace

import pandas as pd
import streamlit as st

from model.data import BACKTEST_OPENING_YEAR, to_safe_csv
from views import charts, results, tables
from views.inputs import link_query
from views.model_api import PARAMETERS, Scenario
from views.nav import page_setup
from views.nowcast import show_current_year
from views.state import actuals, calibration, replay, uploads
from views.text import dollars
from views.widgets import (
    apply_pending,
    check_page_link,
    forget_link_warnings,
    rerun_if_scheduled,
    show_link_warnings,
)

page_setup("Back-test: China's trade surplus")
st.title("Replay history: does the model fit?")
st.markdown(
    "Start from the actual figures of a year, run the model with the tariffs and the "
    "demand that actually followed, and set the result beside what happened and beside "
    "a naive benchmark (each series going on at its average change of the five years "
    "before). A model that cannot beat the benchmark should not be trusted far."
)

data = actuals()
complete = data.annual.dropna(subset=["exports_usd_bn", "imports_usd_bn"]).index
if len(complete) < 3:
    years = f" ({', '.join(map(str, complete))})" if len(complete) else ""
    back = " The Data page takes you back to the shipped figures." if uploads() else ""
    st.info(
        "A replay needs at least three years with both exports and imports (a start "
        f"year and two to compare); the figures in use have {len(complete)}{years}.{back}",
        icon=":material/info:",
    )
    st.stop()
first, last = int(complete.min()), int(complete.max())
opening_start = min(max(BACKTEST_OPENING_YEAR, first), last - 1)
opening_window = (max(first + 1, min(2018, last)), max(first + 1, min(2022, last)))
# Every key the page binds, checked before its widget is drawn.
apply_pending()
check_page_link(
    "backtest",
    {"start_year": opening_start, "window": opening_window, "fit": False},
    specs=[
        SimpleNamespace(
            name="start_year", label="Start of the replay", min=first, max=last - 1, integer=True
        )
    ],
    ranges={
        "window": SimpleNamespace(
            name="window", label="Years to fit", min=first + 1, max=last, integer=True
        )
    },
    flags=["fit"],
)
show_link_warnings("backtest")
start = st.slider(
    "Start the replay from the actual figures of",
    min_value=first,
    max_value=last - 1,
    value=opening_start,
    step=1,
    key="start_year",
    bind="query-params",
    help="The 2018-19 tariff wave starts after 2017; the 2025 wave after 2024.",
    on_change=forget_link_warnings,
    args=("backtest",),
)

replayed = replay(start)
if replayed is None:
    rerun_if_scheduled()
    st.stop()
table, naive, metrics = replayed["table"], replayed["naive"], replayed["metrics"]
regions = replayed["regions"]

labels = {s: results.series_label(s, regions) for s in metrics["series"].unique()}
errors = results.error_table(metrics, labels)
surplus = errors[errors["Series"] == "Trade surplus"]
if not surplus.empty:
    row = surplus.iloc[0]
    verdict = "better than" if row["Beats naive"] else "worse than"
    st.markdown(
        dollars(
            f"**From {start}, the model's mean absolute error on the surplus is "
            f"{row['MAPE, model (%)']:.1f}%, {verdict} the naive benchmark's "
            f"{row['MAPE, naive (%)']:.1f}% (over {row['Years']} "
            f"year{'s' if row['Years'] != 1 else ''}).**"
        )
    )

st.caption("Solid lines: actual figures. Dashed: the model's replay and the naive benchmark.")
columns = st.columns(2)
for i, (series, (title, unit, fmt)) in enumerate(results.BACKTEST_SERIES.items()):
    with columns[i % 2]:
        if f"{series}_simulated" not in table:
            reason = (
                "the data hold no US imports by origin for that year and a later one"
                if series == results.US_RIVALS
                else "no figure for that year"
            )
            st.info(f"{title}: not modelled separately from {start} ({reason}).")
            continue
        chart = charts.path_chart(
            results.backtest_frame(table, naive, series),
            unit,  # the chart's title names the series; a longer axis title overran it
            title,
            value_format=fmt,
            zero=series != "world_share_pct" and series != "balance_usd_bn",
        )
        st.vega_lite_chart(
            spec=charts.vega_lite_spec(chart),
            width="stretch",
            alt=f"{title} from {start}: actual, the model's replay and the naive benchmark",
        )
        if series == results.US_RIVALS:
            st.caption(
                "Actual: US imports from every supplier but China (US Census), scaled to "
                "the model's level in the start year, since the model holds the US market "
                "on China's customs basis: the two compare in their changes."
            )

st.subheader("Errors against the naive benchmark", anchor=False)
st.caption(
    "MAPE: mean absolute percentage error over the years replayed; RMSE in the series' "
    "unit (US$ bn, or percentage points for the share); a gap in the actual figures "
    "leaves that year out."
)
# Short headers, the unit in the caption; two tables, over the years and in the last one:
# one table of all ten columns, each as wide as its name, ran off a 1400 px screen.
over_the_years = {
    "Years": ("Years", "%d"),
    "MAPE, model (%)": ("MAPE model", "%.1f%%"),
    "MAPE, naive (%)": ("MAPE naive", "%.1f%%"),
    "RMSE, model": ("RMSE model", "%.1f"),
    "RMSE, naive": ("RMSE naive", "%.1f"),
}
in_the_last_year = {
    "Final year": ("Year", "%d"),
    "Final-year error, model (%)": ("Error, model", "%+.1f%%"),
    "Final-year error, naive (%)": ("Error, naive", "%+.1f%%"),
}


def error_columns(headers: dict) -> dict:
    return {
        column: st.column_config.NumberColumn(
            header, format=shown, help=column, width=tables.header_width(header)
        )
        for column, (header, shown) in headers.items()
    }


st.dataframe(
    errors[["Series", *over_the_years, "Beats naive"]],
    hide_index=True,
    column_config=error_columns(over_the_years)
    | {"Beats naive": st.column_config.CheckboxColumn("Beats naive", help="On MAPE")},
    alt="Error metrics of the model and of the naive benchmark for each series",
)
st.caption("In the last year replayed of each series: the model's error and the naive one's.")
st.dataframe(
    errors[["Series", *in_the_last_year]],
    hide_index=True,
    column_config=error_columns(in_the_last_year),
    alt="The error of the model and of the naive benchmark in each series' last year replayed",
)

st.subheader("Year by year", anchor=False)
yearly = results.yearly_errors(table, naive)
st.caption(
    "Each year replayed: the actual figure, the model's and the naive benchmark's, and "
    "their errors (100 × (value / actual − 1)). The share is in %, the others in US$ bn."
)
st.dataframe(
    yearly.sort_values(["Series", "Year"], ascending=[True, False], kind="stable"),
    hide_index=True,
    column_config={
        "Year": st.column_config.NumberColumn(format="%d"),
        **{
            column: st.column_config.NumberColumn(format="%.1f")
            for column in yearly.columns
            if column not in ("Series", "Year")
        },
    },
    alt="Each year of the replay: actual, model, naive benchmark and their errors",
)
st.download_button(
    "Year by year (CSV)",
    data=lambda: to_safe_csv(yearly.round(3)),  # made on click, not on every run
    file_name=f"backtest_from_{start}.csv",
    mime="text/csv",
    on_click="ignore",
    icon=":material/download:",
    key="backtest_download",
)

with st.expander("The observed inputs used each year, and their sources", icon=":material/list:"):
    observed = replayed["inputs"]
    headers = results.input_headers(observed.columns, regions)
    st.dataframe(
        observed,
        hide_index=True,
        column_config={
            column: (
                st.column_config.NumberColumn(header, format="%d" if column == "year" else "%.1f")
                if pd.api.types.is_numeric_dtype(observed[column])
                else st.column_config.TextColumn(header)
            )
            for column, header in headers.items()
        },
        alt="Tariffs, demand growth and prices used in the replay, with sources",
    )

st.header("Fit the elasticities to history", anchor=False)
st.markdown(
    "Choose the years to fit: the model replays history from the year before them and "
    "picks the elasticities that best match total exports, imports and exports to the US "
    "in those years (least squares on log errors, each parameter kept inside its range). "
    "The years after the window are out of sample: the test that matters."
)
window = st.slider(
    "Years to fit",
    min_value=first + 1,
    max_value=last,
    value=opening_window,
    step=1,
    key="window",
    bind="query-params",
    on_change=forget_link_warnings,
    args=("backtest",),
)
# The fit takes longer than the rest of the page together, so it runs on request.
fit = st.toggle(
    "Fit the elasticities over these years",
    key="fit",
    bind="query-params",
    on_change=forget_link_warnings,
    args=("backtest",),
)
rerun_if_scheduled()  # a link's refused values, set back now that every widget is drawn
fitted = calibration(window) if fit else None
if fitted is not None:
    estimates = fitted["estimates"].copy()
    estimates["estimate ± standard error"] = [
        f"{e:.2f} ± {s:.2f}" if pd.notna(s) else f"{e:.2f} (no standard error)"
        for e, s in zip(estimates["estimate"], estimates["std_error"], strict=True)
    ]
    estimates["range"] = [
        f"{lo:g} to {hi:g}" for lo, hi in zip(estimates["min"], estimates["max"], strict=True)
    ]
    shown = estimates[
        ["label", "estimate ± standard error", "default", "range", "at_bound"]
    ].rename(
        columns={
            "label": "Parameter",
            "default": "Default",
            "range": "Range",
            "at_bound": "At the edge of its range",
        }
    )
    st.dataframe(
        shown,
        hide_index=True,
        alt="Fitted elasticities with standard errors, defaults and ranges",
    )
    if estimates["at_bound"].any():
        st.caption(
            "An estimate at the edge of its range has a standard error that means little: "
            "the data would push it further than the published evidence allows."
        )
    fit_errors = fitted["errors"].copy()
    fit_errors["series"] = fit_errors["series"].map(lambda s: results.series_label(s, regions))
    fit_errors["sample"] = fit_errors["sample"].map(
        {"in": f"in the window ({window[0]}-{window[1]})", "out": "after it (out of sample)"}
    )
    st.dataframe(
        fit_errors.rename(
            columns={
                "series": "Series",
                "sample": "Years",
                "years": "Count",
                "mape_pct": "MAPE (%)",
                "rmse_log": "RMSE of log error",
            }
        ),
        hide_index=True,
        column_config={"MAPE (%)": st.column_config.NumberColumn(format="%.1f")},
        alt="Fit errors inside the window and out of sample",
    )
    st.caption(f"Replay from {fitted['start_year']}; optimiser: {fitted['message']}")
    fitted_values = Scenario.from_json(fitted["scenario"]).to_dict()
    query = link_query(fitted_values, PARAMETERS)
    if query:
        st.markdown(
            f"[Open the fitted elasticities as a scenario](Scenario?{query}) "
            "(the Scenario page, with every other input at its default)."
        )

show_current_year("backtest")
