"""Compare: scenarios saved this session and the presets, side by side."""

import pandas as pd
import streamlit as st

from model.data import to_safe_csv
from views import charts, results, tables
from views.model_api import Scenario, load_presets, simulate
from views.nav import on_a_phone, page_setup
from views.state import actuals, baseline
from views.text import plain
from views.widgets import CURRENT_SCENARIO, SAVED_SCENARIOS

page_setup("Compare: China's trade surplus")
st.title("Compare scenarios")
st.caption(
    "Saved scenarios live in this browser session only: nothing is stored on the server. "
    "To keep one, download it on the Scenario page or keep its link."
)

data = actuals()
base = baseline()
phone = on_a_phone()
saved: dict = dict(st.session_state.get(SAVED_SCENARIOS, {}))
MAX_NAME = 60
PRESET_PREFIX = "Preset: "


def _save() -> None:
    name = " ".join(str(st.session_state.get("compare_name", "")).split())[:MAX_NAME]
    if not name:
        st.session_state["compare_message"] = ("error", "Give the scenario a name first.")
        return
    if name in (charts.ACTUAL, charts.BASELINE) or name.startswith(PRESET_PREFIX):
        st.session_state["compare_message"] = (
            "error",
            f"“{plain(name)}” names a line the page draws itself; give the scenario another name.",
        )
        return
    current = st.session_state.get(CURRENT_SCENARIO) or Scenario().to_dict()
    updated = dict(st.session_state.get(SAVED_SCENARIOS, {}))
    replaced = name in updated
    updated[name] = current
    st.session_state[SAVED_SCENARIOS] = updated
    picked = list(st.session_state.get("compare_pick", []))
    if name not in picked:
        st.session_state["compare_pick"] = [*picked, name]
    st.session_state["compare_name"] = ""
    st.session_state["compare_message"] = (
        "success",
        f"Replaced the saved scenario named “{plain(name)}”."
        if replaced
        else f"Saved as “{plain(name)}”.",
    )


with st.container(horizontal=True, vertical_alignment="bottom"):
    st.text_input(
        "Name for the current scenario",
        key="compare_name",
        max_chars=MAX_NAME,
        placeholder="e.g. Truce collapses, EU adds 10%",
        help="The scenario as it stands on the Scenario page (or the baseline if you "
        "have not opened it yet).",
    )
    st.button("Save the current scenario", icon=":material/bookmark_add:", on_click=_save)
message = st.session_state.pop("compare_message", None)
if message:
    kind, text = message
    (st.success if kind == "success" else st.error)(text)

presets = load_presets()
# The baseline: every input at its default, the policy in force; named as on the Scenario page.
candidates = {charts.BASELINE: Scenario().to_dict()}
candidates |= {
    f"{PRESET_PREFIX}{label}": {**Scenario().to_dict(), **p.values} for label, p in presets.items()
}
candidates |= {name: values for name, values in saved.items()}
# A first visit compares the baseline with the two ends of the tariff presets.
OPENING_PRESETS = [f"{PRESET_PREFIX}{label}" for label in list(presets)[1:3]]
if "compare_pick" not in st.session_state:
    st.session_state["compare_pick"] = [charts.BASELINE, *OPENING_PRESETS, *saved]
st.session_state["compare_pick"] = [n for n in st.session_state["compare_pick"] if n in candidates]
picked = st.multiselect(
    "Scenarios to compare",
    list(candidates),
    key="compare_pick",
    help="Saved scenarios, the presets and the baseline: the policy in force, every "
    "input at its default, as on the Scenario page.",
)

MEASURES = {
    "balance_usd_bn": ("Trade surplus, US$ bn", ",.0f", True),
    "exports_usd_bn": ("Exports, US$ bn", ",.0f", True),
    "world_share_pct": ("Share of world exports, %", ".1f", False),
    "exports_united_states_usd_bn": ("Exports to the US, US$ bn", ",.0f", True),
}
measure = st.segmented_control(
    "Measure",
    list(MEASURES),
    default="balance_usd_bn",
    required=True,
    format_func=lambda m: MEASURES[m][0],
    key="compare_measure",
)
measure = measure if measure in MEASURES else "balance_usd_bn"
title, fmt, from_zero = MEASURES[measure]

paths, problems = {}, []
for name in picked:
    try:
        scenario = Scenario.from_dict(candidates[name])
        paths[name] = simulate(scenario, base).path
    except ValueError as error:
        problems.append(f"{name}: {error}")
for problem in problems:
    st.warning(plain(problem), icon=":material/warning:")

if not paths:
    st.info("Pick at least one scenario to compare.")
    st.stop()

actual_column = {"balance_usd_bn", "exports_usd_bn", "world_share_pct"}
frames = []
if measure in actual_column:
    history = data.annual[measure].dropna()
    history = history[history.index >= base.year - 10]
    frames.append(
        pd.DataFrame(
            {"year": history.index, "value": history.values, "kind": "Actual", "series": "Actual"}
        )
    )
for name, path in paths.items():
    if measure in path:
        frames.append(
            pd.DataFrame(
                {"year": path["year"], "value": path[measure], "kind": "Simulated", "series": name}
            )
        )
st.caption("Solid line: actual figures. Dashed: each scenario, simulated.")
chart = charts.compare_chart(
    pd.concat(frames, ignore_index=True),
    title,
    f"{title.split(',')[0]}: scenarios compared",
    fmt,
    from_zero,
    narrow=phone,
)
st.vega_lite_chart(
    spec=charts.vega_lite_spec(chart),
    width="stretch",
    alt=f"{title} under each scenario compared, with the actual figures",
)

years = [results.headline_year(path) for path in paths.values()]
year = 2030 if all(y == 2030 for y in years) else min(years)
region_slugs = dict(zip(base.regions, base.slugs, strict=True))
table = pd.DataFrame(
    [results.outcome_row(name, path, year, region_slugs) for name, path in paths.items()]
)
st.subheader(f"Outcomes in {year}", anchor=False)
formats = tables.number_formats(table, whole=("Year",))
# The names held to the left as the figures scroll; on a phone, narrow enough to leave
# two columns of figures in view beside them (a long name ends in an ellipsis).
name_column = {
    "Scenario": st.column_config.TextColumn("Scenario", width=150 if phone else None, pinned=True)
}
# Two tables, totals and destinations: one table of all fourteen columns ran off the screen.
by_destination = [c for c in table.columns if c.startswith("Exports to ")]
totals = [c for c in table.columns if c not in by_destination and c != "Year"]
# Every scenario's row in view: at ten rows a table scrolls, and the eleventh was hidden.
st.dataframe(
    table[totals],
    hide_index=True,
    height="content",
    column_config=name_column
    | {c: st.column_config.NumberColumn(format=formats[c]) for c in totals if c in formats},
    alt=f"Surplus, exports, imports and world share in {year} of each scenario compared",
)
st.caption(f"Exports by destination in {year}, US$ bn")
st.dataframe(
    table[["Scenario", *by_destination]],
    hide_index=True,
    height="content",
    column_config=name_column
    | {
        c: st.column_config.NumberColumn(
            c.removeprefix("Exports to ").removesuffix(", US$ bn"), format="%.0f", help=c
        )
        for c in by_destination
    },
    alt=f"Exports to each destination in {year} of each scenario compared",
)
st.download_button(
    "Comparison (CSV)",
    data=lambda: to_safe_csv(table.round(3)),  # made on click, not on every run
    file_name=f"scenarios_{year}.csv",
    mime="text/csv",
    on_click="ignore",
    icon=":material/download:",
    key="compare_download",
)

if saved:
    with st.expander("Saved scenarios", icon=":material/bookmarks:"):
        for name in saved:
            with st.container(horizontal=True, vertical_alignment="center"):
                st.text(name)
                if st.button(
                    "Remove",
                    key=f"compare_remove_{list(saved).index(name)}",
                    icon=":material/delete:",
                ):
                    remaining = dict(saved)
                    remaining.pop(name)
                    st.session_state[SAVED_SCENARIOS] = remaining
                    st.rerun()
