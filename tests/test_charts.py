"""Chart builders and table shapers, tested on their data and their Vega-Lite spec."""

import json
import math

import altair as alt
import pandas as pd
import pytest
from altair.utils.schemapi import validate_jsonschema
from altair.vegalite.v6.schema.core import load_schema

from views import charts, tables

VEGA_LITE_SCHEMA = load_schema()


def spec_of(chart) -> dict:
    """The spec the app draws (``charts.vega_lite_spec``), checked against Vega-Lite's schema."""
    spec = charts.vega_lite_spec(chart)
    spec["datasets"] = {
        name: json.loads(frame.to_json(orient="records"))
        for name, frame in spec["datasets"].items()
    }
    validate_jsonschema(spec, VEGA_LITE_SCHEMA)
    return spec


def layers_of(chart) -> list[dict]:
    spec = spec_of(chart)
    return spec.get("layer", [spec])


def data_of(chart, layer: dict) -> list[dict]:
    spec = spec_of(chart)
    name = layer["data"]["name"]
    return spec["datasets"][name]


# ------------------------------------------------------------------ table shapers


def monthly(rows):
    return pd.DataFrame(rows, columns=["month", "months", "balance_usd_bn"])


def test_ytd_counts_a_january_february_row_as_february():
    cum = tables.ytd_cumulative(monthly([("2025-02", 2, 170.5), ("2025-03", 1, 102.6)]))
    assert list(cum["month"]) == [2, 3]
    assert list(cum["cumulative_usd_bn"]) == pytest.approx([170.5, 273.1])


def test_ytd_starts_with_january_when_it_is_published_alone():
    cum = tables.ytd_cumulative(
        monthly([("2019-01", 1, 39.2), ("2019-02", 1, 4.1), ("2019-03", 1, 32.7)])
    )
    assert list(cum["month_label"]) == ["Jan", "Feb", "Mar"]
    assert cum["cumulative_usd_bn"].iloc[-1] == pytest.approx(76.0)


def test_ytd_stops_a_year_at_its_first_missing_month():
    rows = [("2024-02", 2, 125.2), ("2024-03", 1, 58.6), ("2024-05", 1, 82.6), ("2023-12", 1, 75.3)]
    cum = tables.ytd_cumulative(monthly(rows))
    assert list(cum["year"]) == [2024, 2024]  # 2023 has no January; 2024 stops before April
    assert list(cum["month"]) == [2, 3]


def test_crossing_month():
    cum = tables.ytd_cumulative(
        monthly([("2025-02", 2, 600.0), ("2025-03", 1, 300.0), ("2025-04", 1, 150.0)])
    )
    assert tables.crossing_month(cum, 2025, 992.1) == "Apr"
    assert tables.crossing_month(cum, 2025, 5000) is None


def test_usd_bn_switches_to_trillions_at_one_thousand():
    assert tables.usd_bn(992.1) == "$992 bn"
    assert tables.usd_bn(1188.98) == "$1.19 tn"
    assert tables.usd_bn(-12.4) == "-$12 bn"
    assert tables.usd_bn(math.nan) == "n/a"


def test_headlines_use_the_latest_year_each_figure_has():
    annual = pd.DataFrame(
        {
            "balance_usd_bn": [823.22, 992.1, 1188.98],
            "exports_usd_bn": [3380.02, 3577.17, 3771.87],
            "imports_usd_bn": [2556.8, 2585.07, 2582.9],
            "world_share_pct": [14.08, 14.64, math.nan],
        },
        index=pd.Index([2023, 2024, 2025], name="year"),
    )
    surplus, exports, imports, share = tables.headlines(annual)
    assert (surplus.year, surplus.value, surplus.delta) == (2025, "$1.19 tn", "+19.8% on 2024")
    assert exports.delta == "+5.4% on 2024"
    assert imports.delta == "-0.1% on 2024"
    assert (share.year, share.value, share.delta) == (2024, "14.6%", "+0.6 pp on 2023")


def test_gap_report_counts_gap_cells_and_names_absent_years():
    annual = pd.DataFrame(
        {"year": [2020, 2021, 2023], "exports_usd_bn": [1.0, math.nan, 3.0]}
    ).set_index("year")
    report = tables.gap_report(
        annual, "year", ["exports_usd_bn"], tables.expected_years(annual.index)
    )
    row = report.iloc[0]
    assert (row.gap_cells, row.absent_rows, row.missing) == (1, 1, "2021, 2022")


def test_expected_months_skip_january_inside_a_january_february_row():
    table = pd.DataFrame({"month": ["2025-02", "2025-04"], "months": [2, 1]})
    assert tables.expected_months(table) == ["2025-02", "2025-03", "2025-04"]


@pytest.mark.parametrize(
    ("label", "measured"),
    # Each header's text as Chromium draws it (Source Sans, 14 px, semibold), in pixels.
    [
        ("Final error model", 103.9),
        ("Rounded to, $bn", 99.1),
        ("World exports, $bn", 113.6),
        ("Exports, % y/y", 85.3),
        ("MAPE naive", 69.4),
        ("Who gains the US market", 149.6),
    ],
)
def test_a_header_width_holds_its_text_and_both_paddings(label, measured):
    assert measured + 16 <= tables.header_width(label) <= measured + 22


def test_a_fitted_width_holds_the_widest_value_too():
    assert tables.fitted_width("Month", ["2026-08", "2026-09-08"]) == tables.header_width(
        "2026-09-08"
    )
    assert tables.fitted_width("Note") == tables.header_width("Note")


def test_a_gap_report_s_series_read_as_headers_do():
    assert tables.named_series("European Union: imports_usd_bn") == (
        "European Union: Imports, US$ bn"
    )
    assert tables.named_series("brent_usd_per_barrel (actual)") == ("Brent, US$ a barrel (actual)")
    assert tables.named_series("United States from China") == "United States from China"


def test_short_units_name_the_same_units():
    assert tables.column_label("exports_usd_bn", tables.SHORT_UNITS) == "Exports, $bn"
    assert tables.column_label("exports_yoy_pct", tables.SHORT_UNITS) == "Exports, % y/y"
    assert tables.column_label("exports_usd_bn") == "Exports, US$ bn"


# ------------------------------------------------------------------ chart builders


def test_ytd_chart_draws_actuals_solid_with_titled_axes_and_reference_rules():
    cum = tables.ytd_cumulative(
        monthly([("2024-02", 2, 125.2), ("2025-02", 2, 170.5), ("2025-03", 1, 102.6)])
    )
    chart = charts.ytd_cumulative_chart(cum, [(992.1, "2024 full year"), (1000, "$1 tn")], 2025)
    line, rules, left, right = layers_of(chart)
    enc = line["encoding"]
    assert enc["x"]["title"].startswith("Month")
    assert enc["y"]["title"] == "Cumulative trade surplus, US$ bn"
    assert enc["strokeDash"]["scale"] == {"domain": ["Actual", "Simulated"], "range": charts.DASHES}
    assert {row["kind"] for row in data_of(chart, line)} == {"Actual"}
    assert [r["cumulative_usd_bn"] for r in data_of(chart, rules)] == [992.1, 1000]
    assert [r["side"] for r in data_of(chart, left)] == ["left", "right"]
    assert left["mark"]["align"] == "left" and right["mark"]["align"] == "right"
    assert spec_of(chart)["title"] == "China's trade surplus, year to date (actual)"
    assert enc["tooltip"]
    assert set(enc["color"]["scale"]["range"]) <= set(charts.OKABE_ITO)


def test_one_reference_gets_one_label_layer_and_no_empty_one():
    # An empty label layer made Vega warn "Infinite extent" on every Scenario page.
    chart = charts.path_chart(path_frame(), "US$ bn", "Surplus", references=[(1000.0, "$1 tn")])
    _line, rules, label = layers_of(chart)
    assert rules["mark"]["type"] == "rule"
    assert label["mark"]["type"] == "text" and label["mark"]["align"] == "left"
    assert [r["label"] for r in data_of(chart, label)] == ["$1 tn"]


def path_frame():
    return pd.DataFrame(
        {
            "year": [2023, 2024, 2025, 2025, 2026],
            "value": [823.2, 992.1, 1189.0, 1189.0, 1250.0],
            "kind": ["Actual", "Actual", "Actual", "Simulated", "Simulated"],
        }
    )


def test_path_chart_dashes_the_simulated_line_and_titles_its_axes():
    chart = charts.path_chart(path_frame(), "Trade surplus, US$ bn", "Surplus")
    [line] = layers_of(chart)
    enc = line["encoding"]
    assert enc["strokeDash"]["field"] == "kind"
    domain, dashes = enc["strokeDash"]["scale"]["domain"], enc["strokeDash"]["scale"]["range"]
    assert dict(zip(domain, dashes, strict=True)) == {"Actual": [1, 0], "Simulated": [6, 4]}
    assert enc["x"]["title"] == "Year" and enc["y"]["title"] == "Trade surplus, US$ bn"
    assert spec_of(chart)["title"] == "Surplus"
    assert {t["field"] for t in enc["tooltip"]} == {"series", "kind", "year", "value"}
    assert enc["color"]["field"] == "kind"  # colour and dash share one legend


def test_path_chart_colours_several_scenarios_and_still_dashes_by_kind():
    frame = path_frame().assign(series=["Actual", "Actual", "Actual", "Truce", "Truce"])
    [line] = layers_of(charts.path_chart(frame, "Trade surplus, US$ bn", "Compare"))
    assert line["encoding"]["color"]["field"] == "series"
    assert line["encoding"]["strokeDash"]["field"] == "kind"
    assert line["encoding"]["strokeDash"]["legend"] is None  # the series legend names lines
    # Scenario names are long ("Preset: Truce collapses to the April 2025 peak"): one a
    # line, cut later than Vega's 160 px but within what a phone's screen leaves the legend.
    legend = line["encoding"]["color"]["legend"]
    assert legend["columns"] == 1 and legend["labelLimit"] == 320


def test_a_chart_of_many_scenarios_grows_by_a_legend_line_each():
    def height(names: int) -> int:
        frame = pd.DataFrame(
            {
                "year": [2026] * names,
                "value": [1.0] * names,
                "kind": ["Simulated"] * names,
                "series": [f"Scenario {i}" for i in range(names)],
            }
        )
        return charts.path_chart(frame, "US$ bn", "Compare").to_dict()["height"]

    # The plot keeps its height: each legend line (about 17 px) adds 18 px.
    assert height(9) - height(3) == 6 * 18


def test_the_scenario_pages_paths_keep_their_colours():
    frame = pd.DataFrame(
        {
            "year": [2025, 2026, 2026],
            "value": [1.0, 2.0, 3.0],
            "kind": ["Actual", "Simulated", "Simulated"],
            "series": ["Actual", "Your scenario", "Baseline"],
        }
    )
    [line] = layers_of(charts.path_chart(frame, "US$ bn", "Surplus"))
    scale = line["encoding"]["color"]["scale"]
    assert dict(zip(scale["domain"], scale["range"], strict=True)) == {
        "Actual": charts.OKABE_ITO[0],
        "Your scenario": charts.KIND_COLOURS["Simulated"],
        "Baseline": charts.REFERENCE_GREY,
    }


@pytest.mark.parametrize("scenarios", range(1, 21))
def test_no_scenario_takes_the_colour_of_the_actual_figures_or_the_baseline(scenarios):
    # The Compare page: Actual, the baseline and any number of other scenarios.
    names = ["Actual", "Baseline", *(f"Saved {i}" for i in range(scenarios))]
    frame = pd.DataFrame(
        {
            "year": [2026] * len(names),
            "value": [1.0] * len(names),
            "kind": ["Actual"] + ["Simulated"] * (len(names) - 1),
            "series": names,
        }
    )
    [line] = layers_of(charts.compare_chart(frame, "US$ bn", "Compare"))
    scale = line["encoding"]["color"]["scale"]
    colour = dict(zip(scale["domain"], scale["range"], strict=True))
    assert colour["Actual"] == charts.OKABE_ITO[0]
    assert colour["Baseline"] == charts.REFERENCE_GREY
    others = [colour[name] for name in names[2:]]
    assert not {colour["Actual"], colour["Baseline"]} & set(others)
    # Six in a row differ before any repeats.
    assert len(set(others[:6])) == min(scenarios, 6)
    # Where the baseline is not drawn, or drawn last, the others' colours stay the same.
    assert charts.series_palette([*names[2:], "Baseline"])[:-1] == others


def test_path_chart_adds_a_band_and_a_marked_projection():
    band = pd.DataFrame({"year": [2026], "low": [1100.0], "high": [1400.0]})
    markers = pd.DataFrame({"year": [2030], "value": [16.5], "label": ["16.5% by 2030"]})
    chart = charts.path_chart(path_frame(), "Share, %", "Share", band=band, markers=markers)
    marks = [layer["mark"]["type"] for layer in layers_of(chart)]
    assert marks == ["area", "line", "point", "text"]
    area = layers_of(chart)[0]
    assert area["encoding"]["y2"]["field"] == "high"
    assert data_of(chart, layers_of(chart)[3])[0]["label"] == "16.5% by 2030"


def test_destination_chart_is_one_panel_a_region_with_dashed_simulation():
    frame = pd.DataFrame(
        {
            "year": [2024, 2025, 2025, 2026] * 2,
            "region": ["United States"] * 4 + ["ASEAN"] * 4,
            "value": [524.7, 420.1, 420.1, 380.0, 586.5, 665.2, 665.2, 700.0],
            "kind": ["Actual", "Actual", "Simulated", "Simulated"] * 2,
        }
    )
    spec = spec_of(charts.destination_chart(frame))
    assert spec["facet"]["field"] == "region"
    assert spec["facet"]["sort"] == ["United States", "ASEAN"]
    enc = spec["spec"]["encoding"]
    assert enc["strokeDash"]["scale"]["domain"] == ["Actual", "Simulated"]
    assert enc["y"]["title"] == "Exports, US$ bn"
    assert (spec["columns"], spec["spec"]["width"]) == (4, 115)
    phone = spec_of(charts.destination_chart(frame, narrow=True))
    assert (phone["columns"], phone["spec"]["width"]) == (1, 240)
    assert phone["resolve"]["axis"] == {"x": "independent"} and "axis" not in spec["resolve"]


def test_sensitivity_chart_sorts_by_swing():
    frame = pd.DataFrame({"parameter": ["a", "b"], "low": [-10.0, -100.0], "high": [5.0, 80.0]})
    chart = charts.sensitivity_chart(frame, "Change in 2030 surplus, US$ bn")
    bars = layers_of(chart)[0]
    assert bars["encoding"]["y"]["sort"] == ["b", "a"]
    assert bars["encoding"]["x"]["title"] == "Change in 2030 surplus, US$ bn"


# ------------------------------------------------------------------ the spec the app draws


def without_data_names(spec: dict) -> str:
    """The spec as text with every dataset name replaced by its place in the datasets."""
    text = json.dumps({k: v for k, v in spec.items() if k != "datasets"}, sort_keys=True)
    for i, name in enumerate(spec["datasets"]):
        text = text.replace(f'"{name}"', f'"dataset {i}"')
    return text


def test_vega_lite_spec_is_altairs_own_spec_with_the_frames_as_named_datasets():
    references = [(1000.0, "$1 tn")]
    chart = charts.path_chart(
        path_frame(), "Trade surplus, US$ bn", "Surplus", references=references
    )
    ours, altairs = spec_of(chart), chart.to_dict()
    altairs["config"].pop(
        "view"
    )  # Altair's default theme: 300 px views, left out as Streamlit does
    if not altairs["config"]:
        del altairs["config"]
    assert without_data_names(ours) == without_data_names(altairs)
    assert list(ours["datasets"].values()) == list(altairs["datasets"].values())


def test_vega_lite_spec_sends_a_frame_drawn_by_several_layers_once():
    frame = path_frame()
    line = alt.Chart(frame).mark_line().encode(x="year:Q", y="value:Q")
    spec = charts.vega_lite_spec(alt.layer(line, line.mark_point()))
    assert len(spec["datasets"]) == 1
    [frame_sent] = spec["datasets"].values()
    assert frame_sent is frame


def test_vega_lite_spec_names_a_dataset_by_its_content():
    def names(frame):
        return list(charts.vega_lite_spec(charts.destination_chart(frame))["datasets"])

    frame = pd.DataFrame(
        {
            "year": [2025, 2026],
            "region": ["ASEAN"] * 2,
            "value": [665.2, 700.0],
            "kind": ["Actual", "Simulated"],
        }
    )
    changed = frame.assign(value=[665.2, 700.5])
    assert names(frame) == names(frame.copy())  # same figures: same spec, nothing to redraw
    assert names(frame) != names(changed)
    assert names(frame) != names(frame.astype({"value": "float32"}))
    assert all(name.startswith("figures_") for name in names(frame))  # Vega-Lite uses data_N


def test_number_formats_give_one_decimal_to_figures_and_none_to_text_or_flags():
    table = pd.DataFrame(
        {
            "Series": ["Trade surplus"],
            "Years": [8],
            "MAPE, model (%)": [12.6],
            "Final year": [2025.0],
            "Beats naive": [True],
        }
    )
    formats = tables.number_formats(table, whole=("Final year", "Not a column"))
    assert formats == {"MAPE, model (%)": "%.1f", "Final year": "%d"}


def test_the_destination_dumbbell_runs_from_the_largest_gain_and_keeps_the_colours():
    frame = pd.DataFrame(
        {
            "region": ["United States", "United States", "United States", "ASEAN", "ASEAN"],
            "series": ["Actual", "Your scenario", "Baseline", "Your scenario", "Baseline"],
            "point": [
                "Actual, 2020 to 2025",
                "Your scenario, 2025 to 2030",
                "Baseline, 2025 to 2030",
                "Your scenario, 2025 to 2030",
                "Baseline, 2025 to 2030",
            ],
            "change": [-31.7, 38.9, -20.1, 169.8, 134.8],
        }
    )
    chart = charts.destination_change_chart(frame)
    zero, joins, dots, written = layers_of(chart)  # no left-hand figure: no layer for it
    assert [layer["mark"]["type"] for layer in (zero, joins, dots, written)] == [
        "rule",
        "rule",
        "point",
        "text",
    ]
    assert dots["encoding"]["y"]["sort"] == ["ASEAN", "United States"]
    scale = dots["encoding"]["color"]["scale"]
    assert dict(zip(scale["domain"], scale["range"], strict=True)) == {
        "Actual, 2020 to 2025": charts.OKABE_ITO[0],
        "Your scenario, 2025 to 2030": charts.KIND_COLOURS["Simulated"],
        "Baseline, 2025 to 2030": charts.REFERENCE_GREY,
    }
    # Each line joins a destination's smallest and largest change.
    ends = {r["region"]: (r["min"], r["max"]) for r in data_of(chart, joins)}
    assert ends == {"United States": (-31.7, 38.9), "ASEAN": (134.8, 169.8)}
    # The scenario's change is written beyond its end of the line, inside the axis.
    assert {r["region"]: (r["text"], r["at"], r["side"]) for r in data_of(chart, written)} == {
        "ASEAN": ("+170", 169.8, "right"),
        "United States": ("+39", 38.9, "right"),
    }
    assert written["mark"]["align"] == "left" and written["mark"]["dx"] > 0
    low, high = dots["encoding"]["x"]["scale"]["domain"]
    assert low == -31.7 and high > 169.8
    assert dots["encoding"]["tooltip"] and dots["encoding"]["x"]["title"].endswith("US$ bn")


def test_a_loss_under_the_scenario_is_written_left_of_its_dot():
    frame = pd.DataFrame(
        {
            "region": ["United States", "United States"],
            "series": ["Your scenario", "Baseline"],
            "point": ["Your scenario, 2025 to 2030", "Baseline, 2025 to 2030"],
            "change": [-143.0, 39.0],
        }
    )
    chart = charts.destination_change_chart(frame)
    *_, written = layers_of(chart)
    assert [(r["text"], r["at"]) for r in data_of(chart, written)] == [("-143", -143.0)]
    assert written["mark"]["align"] == "right" and written["mark"]["dx"] < 0
    low, high = layers_of(chart)[2]["encoding"]["x"]["scale"]["domain"]
    assert low < -143.0 and high == 39.0
