"""Scenario: tariffs, demand, prices and behaviour in; surplus, share and exports out."""

import pandas as pd
import streamlit as st

from model.data import MAX_UPLOAD_MB, to_safe_csv
from views import charts, results
from views.inputs import changes, input_labels, link_query
from views.model_api import (
    PARAMETERS,
    Scenario,
    load_presets,
    not_a_missing_region,
    scenario_file_values,
    sensitivity_ranking,
    share_projection,
    simulate,
    uncertainty_band,
    validate_all,
    validate_one,
)
from views.nav import on_a_phone, page_setup
from views.state import actuals, baseline, uploads_fingerprint
from views.steps import (
    STEPS_KEY,
    keep_in_link,
    session_steps,
    set_steps,
    show_steps,
    steps_change,
    steps_query,
)
from views.tables import usd_bn
from views.text import dollars, plain
from views.widgets import (
    CURRENT_SCENARIO,
    CUSTOM,
    LINK_WARNINGS,
    PRESET_KEY,
    apply_pending,
    apply_preset,
    check_opening_link,
    exact_value_box,
    rerun_if_scheduled,
    reset,
    scenario_slider,
    show_link_warnings,
)

page_setup("Scenario: China's trade surplus")

data = actuals()
base = baseline()
modelled = set(base.slugs)
specs = [s for s in PARAMETERS if not_a_missing_region(s.name, modelled)]
by_name = {s.name: s for s in specs}
defaults = {s.name: s.default for s in specs}
presets = load_presets()
in_force = {
    f"tariff_{slug}": float(level) for slug, level in zip(base.slugs, base.tariff_end, strict=True)
}
in_force["tariff_china"] = float(base.china_tariff_end)
labels, whole_labels = input_labels(specs, in_force)
preset_labels = [CUSTOM, *presets]
BAND_KEY = "band"
FLAG_KEYS = [BAND_KEY, "sensitivity"]


@st.cache_data(max_entries=64, show_spinner="Ranking the inputs...")
def cached_sensitivity(scenario_json: str, data_key: str, _base, year: int, _labels):
    return sensitivity_ranking(Scenario.from_json(scenario_json), _base, year, labels=_labels)


@st.cache_data(max_entries=64, show_spinner="Drawing the behavioural parameters...")
def cached_band(scenario_json: str, data_key: str, _base):
    return uncertainty_band(Scenario.from_json(scenario_json), _base, "balance_usd_bn")


apply_pending()
steps = session_steps()
check_opening_link(
    specs, presets, validate_one, validate_all, flags=FLAG_KEYS, other_keys=[STEPS_KEY]
)

# The inputs are drawn last, into a box at the top of the sidebar (on a phone, whose
# sidebar starts closed, a button at the top of the page), so that the browser gets the
# surplus chart (the figure a reader watches while moving a slider) before three dozen
# sliders. Their values are the session's widget state, which holds each slider's
# latest value before the slider is drawn; on a session's first run a link's values are
# not in it yet, and the page runs once more (see the end).
phone = on_a_phone()
inputs = None if phone else st.sidebar.container()


def widget_values() -> dict:
    return {s.name: st.session_state.get(s.name, s.default) for s in specs}


read = widget_values()
values = dict(read)
problems = validate_all(values)
if problems:
    st.warning(
        "\n".join(f"- {p}" for p in problems),
        title="This combination is not possible; those inputs are at their defaults",
        icon=":material/warning:",
    )
    for key in [k for k in values if any(f"'{k}'" in p for p in problems)]:
        values[key] = defaults[key]
scenario = Scenario(**values, tariff_steps=steps)
keep_in_link(scenario)
st.session_state[CURRENT_SCENARIO] = scenario.to_dict()
result = simulate(scenario, base)
path = result.path
changed = changes(values, specs, whole_labels)
if steps_change(scenario):
    changed.append(steps_change(scenario))
# The baseline is the default scenario; drawn beside the reader's when they differ.
baseline_path = simulate(Scenario(), base).path if changed else None

# ------------------------------------------------------------------ results (main)
st.title("What if: China's trade surplus under your scenario")
show_link_warnings()
for note in scenario.inert_inputs():
    st.info(f"An input that cannot act: {note}.", icon=":material/info:")
if changed:
    st.markdown(
        "**What this scenario changes** from the baseline (every input at its default):\n"
        + "\n".join(f"- {c.label}: **{c.value}** (baseline {c.baseline})" for c in changed)
    )
    st.code(
        f"{st.context.url or '/Scenario'}?"
        + "&".join(part for part in (link_query(values, specs), steps_query(scenario)) if part),
        language=None,
        wrap_lines=True,
    )
else:
    st.caption(
        "This is the baseline: every input at its default, the tariffs in force and the "
        "published projections (the help icon beside each input gives its source)."
    )
if phone:
    inputs = st.popover("Change the inputs", icon=":material/tune:", width="stretch")
year = results.headline_year(path)
headline = st.container()

band_on = st.checkbox(
    "Show the uncertainty band (behavioural parameters drawn over their ranges)",
    key=BAND_KEY,
    bind="query-params",
)
band = None
if band_on:
    band = cached_band(scenario.to_json(), uploads_fingerprint(), base)

since = base.year - 10
left, right = st.columns(2)
with left:
    surplus_chart = charts.path_chart(
        results.with_baseline(
            results.actual_vs_simulated(
                data.annual["balance_usd_bn"], path, "balance_usd_bn", since
            ),
            baseline_path,
            "balance_usd_bn",
        ),
        "Trade surplus, US$ bn",
        "Trade surplus: actual and simulated",
        band=band,
        references=[(1000.0, "$1 tn")],
    )
    st.vega_lite_chart(
        spec=charts.vega_lite_spec(surplus_chart),
        width="stretch",
        alt="China's trade surplus, actual to the base year and simulated after it",
    )
with headline:
    projection = share_projection()
    st.markdown(
        dollars(
            f"**{results.summary_sentence(path, base.year, year, baseline_path)}**  \n"
            + results.share_sentence(path, projection)
        )
    )

    row = path.set_index("year").loc[year]
    first = path.set_index("year").loc[base.year]
    other = None if baseline_path is None else baseline_path.set_index("year").loc[year]
    with st.container(horizontal=True):
        for label, column, kind in (
            ("Surplus", "balance_usd_bn", "money"),
            ("Exports", "exports_usd_bn", "money"),
            ("Exports to the US", "exports_united_states_usd_bn", "money"),
            ("World export share", "world_share_pct", "share"),
        ):
            if column not in row.index:
                continue
            value, before = float(row[column]), float(first[column])
            delta = results.against_baseline(
                value, None if other is None else float(other[column]), before, base.year, kind
            )
            shown = usd_bn(value) if kind == "money" else f"{value:.1f}%"
            st.metric(
                f"{label}, {year} (simulated)",
                shown,
                delta,
                delta_color="normal" if delta and delta[0] in "+-" else "off",
                delta_arrow="auto" if delta and delta[0] in "+-" else "off",
                border=True,
            )

with right:
    share_chart = charts.path_chart(
        results.with_baseline(
            results.actual_vs_simulated(
                data.annual["world_share_pct"], path, "world_share_pct", since
            ),
            baseline_path,
            "world_share_pct",
        ),
        "World export share, %",
        "Share of world exports: actual and simulated",  # short enough for a phone
        value_format=".1f",
        markers=pd.DataFrame([projection]),
        zero=False,
    )
    st.vega_lite_chart(
        spec=charts.vega_lite_spec(share_chart),
        width="stretch",
        alt="China's share of world exports, actual and simulated, 16.5% projection marked",
    )
    st.caption(dollars(f"Marked projection: {projection['source']}."))

destinations = results.destinations(
    data.by_region, path, base.regions, base.slugs, data.annual["exports_usd_bn"], since
)
# Only the tab in view is drawn: the second costs nothing until a reader opens it. The
# change comes first: one small chart, where the year-by-year panels redraw eight plots
# (two thirds of the page's chart nodes) at every slider move.
change, over_time = st.tabs(
    [f"The change from {base.year}", "Exports by destination, year by year"],
    key="destinations_view",
    on_change="rerun",
)
if over_time.open:
    with over_time:
        st.vega_lite_chart(
            spec=charts.vega_lite_spec(charts.destination_chart(destinations, narrow=phone)),
            alt="China's exports by destination, actual and simulated, one panel a region",
        )
if change.open:
    with change:
        changes_by_destination = results.destination_changes(
            destinations,
            base.year,
            year,
            baseline_path,
            dict(zip(base.regions, base.slugs, strict=True)),
        )
        st.vega_lite_chart(
            spec=charts.vega_lite_spec(charts.destination_change_chart(changes_by_destination)),
            width="stretch",
            alt=f"The change of China's exports to each destination, {base.year} to {year}, "
            "simulated, beside the actual change of as many years before",
        )
        span = year - base.year
        st.caption(
            f"Each dot is a change of China's exports to a destination, US$ bn: blue, "
            f"actual, over the {span} years to {base.year} (where the data have both "
            f"years); red, simulated, {base.year} to {year} under your scenario"
            + ("" if baseline_path is None else "; grey, under the baseline")
            + ". The figure beside each line is your scenario's change."
        )
if base.notes:
    st.caption("Notes on the base year: " + "; ".join(base.notes) + ".")

# ------------------------------------------------------------------ lost US sales
if "United States" in base.regions:
    story = results.us_sales(result.decomposition, result.us_market_gains(year), year, base.year)
    st.subheader(story.title, anchor=False)
    st.caption(dollars(story.caption))
    left, right = st.columns(2)
    left.dataframe(
        story.parts,
        hide_index=True,
        column_config={
            "part": st.column_config.TextColumn("Part"),
            "usd_bn": st.column_config.NumberColumn("US$ bn", format="%.1f"),
        },
    )
    right.dataframe(
        story.suppliers,
        hide_index=True,
        column_config={
            "supplier": st.column_config.TextColumn(story.supplier_header),
            "usd_bn": st.column_config.NumberColumn(story.amount_header, format="%.1f"),
            "share_pct": st.column_config.NumberColumn("Base share, %", format="%.1f"),
        },
    )
    if base.us_competitors_year is not None:
        st.caption(
            "Every other supplier's US sales move in proportion to its share of the US "
            f"imports that do not come from China (US Census {base.us_competitors_year}), "
            "as substitution at one elasticity implies."
        )

# ------------------------------------------------------------------ sensitivity
if st.toggle(
    "Rank the inputs by how much they move the surplus",
    key="sensitivity",
    bind="query-params",
    help="Each input set to the bottom and then the top of its range, the others as "
    "they are: the wider the bar, the more the result hangs on that input.",
):
    ranking = cached_sensitivity(
        scenario.to_json(), uploads_fingerprint(), base, year, whole_labels
    )
    ranking_chart = charts.sensitivity_chart(ranking, f"Change in the {year} surplus, US$ bn")
    st.vega_lite_chart(
        spec=charts.vega_lite_spec(ranking_chart),
        width="stretch",
        alt="Inputs ranked by how much they move the surplus",
    )

# ------------------------------------------------------------------ save, load, share
st.subheader("Keep or share this scenario", anchor=False)
st.caption(
    "The box at the top of the page holds a link to this scenario (its copy button is "
    "at the box's right), as does the address bar. Or download the scenario as a file "
    "and load it again later."
)
with st.container(horizontal=True, vertical_alignment="bottom"):
    st.download_button(
        "Scenario (JSON)",
        data=scenario.to_json,  # made on click: no file kept per slider move
        file_name="scenario.json",
        mime="application/json",
        on_click="ignore",
        icon=":material/download:",
        key="scenario_download_json",
    )
    st.download_button(
        "Results by year (CSV)",
        data=lambda: to_safe_csv(path.round(3)),
        file_name="scenario_results.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
        key="scenario_download_csv",
    )


def _load_scenario_file() -> None:
    upload = st.session_state.get("scenario_upload")
    if upload is None:
        return
    values, found = scenario_file_values(upload.getvalue(), by_name)
    if found:
        st.session_state["scenario_upload_problems"] = found
        return
    st.session_state.pop("scenario_upload_problems", None)
    set_steps(values.pop(STEPS_KEY, None))
    for key, value in {**defaults, **values}.items():
        st.session_state[key] = value
    st.session_state[PRESET_KEY] = CUSTOM
    st.session_state.pop(LINK_WARNINGS, None)


st.file_uploader(
    "Load a scenario file (JSON)",
    type=["json"],
    key="scenario_upload",
    on_change=_load_scenario_file,
    max_upload_size=MAX_UPLOAD_MB,
)
found = st.session_state.get("scenario_upload_problems")
if found:
    st.error(
        "\n".join(f"- {plain(p)}" for p in found),
        title="The file was not loaded; the current scenario is kept",
        icon=":material/error:",
    )


def _apply_preset() -> None:
    apply_preset(presets, defaults)
    chosen = st.session_state.get(PRESET_KEY)
    set_steps(presets[chosen].values.get(STEPS_KEY) if chosen in presets else None)


def _reset() -> None:
    reset(defaults, CUSTOM)
    set_steps(None)


# ------------------------------------------------------------------ inputs (sidebar)
with inputs:
    st.header("Scenario", anchor=False)
    st.selectbox(
        "Start from a real event",
        preset_labels,
        index=0,
        key=PRESET_KEY,
        bind="query-params",
        on_change=_apply_preset,
        help="Sets every slider to the event's values; move any slider afterwards.",
    )
    chosen = st.session_state.get(PRESET_KEY, CUSTOM)
    if chosen in presets:
        st.caption(dollars(f"{presets[chosen].description} Source: {presets[chosen].source}"))
    st.button(
        "Reset to the baseline",
        icon=":material/restart_alt:",
        on_click=_reset,
        width="stretch",
    )
    exact_value_box(specs, whole_labels)
    names_changed = {c.name for c in changed}

    def slider(spec) -> None:
        scenario_slider(spec, labels.get(spec.name))

    def expander(label: str, group: list, **options):
        """An expander, open when it holds an input the scenario changes."""
        return st.expander(label, expanded=bool(names_changed & {s.name for s in group}), **options)

    st.subheader("Tariffs on Chinese goods", anchor=False)
    tariff_specs = [s for s in specs if s.group == "tariff" and s.name != "tariff_from"]
    us = by_name["tariff_united_states"]
    slider(us)
    show_steps(scenario)
    others = [spec for spec in tariff_specs if spec is not us]
    with expander("Other importers, and China's own tariff", others):
        for spec in others:
            slider(spec)
    slider(by_name["tariff_from"])

    st.subheader("Demand", anchor=False)
    demand = [s for s in specs if s.group == "demand"]
    headline_demand = ("growth_china", "world_trade", "growth_world")
    for name in headline_demand:
        if name in by_name:
            slider(by_name[name])
    by_destination = [spec for spec in demand if spec.name not in headline_demand]
    with expander("Demand growth by destination", by_destination):
        for spec in by_destination:
            slider(spec)

    st.subheader("Prices and the RMB", anchor=False)
    for spec in specs:
        if spec.group == "prices":
            slider(spec)

    behaviour = [spec for spec in specs if spec.group == "behaviour"]
    with expander("Assumptions: how trade responds", behaviour, icon=":material/science:"):
        st.caption(
            "Behavioural parameters, each set from published estimates (the help icon "
            "gives its symbol and source). The Methodology page lists them all."
        )
        for spec in behaviour:
            slider(spec)

    st.subheader("Horizon", anchor=False)
    for spec in specs:
        if spec.group == "horizon":
            slider(spec)

rerun_if_scheduled()
if widget_values() != read:  # a link's values, taken by the widgets after the results were drawn
    st.rerun()
