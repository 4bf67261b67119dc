"""Chart builders: pure functions from DataFrames to Altair charts.

One visual grammar throughout, so a chart can be trusted at a glance:

* actual figures are drawn solid, simulated ones dashed (``strokeDash`` on a
  ``kind`` field with the fixed domain ``Actual``/``Simulated``);
* colours come from the Okabe-Ito palette, safe for the common kinds of colour
  blindness, and no text colour is fixed, so the app's light and dark themes
  both read;
* every chart has a title and every axis a title with its unit;
* every mark has a tooltip.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

import altair as alt
import pandas as pd

# Okabe & Ito (2008), "Color Universal Design". Black is left out: it vanishes on
# the dark theme; grey takes its place for reference lines.
OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#999999",  # grey
)
REFERENCE_GREY = "#999999"
ACTUAL, SIMULATED = "Actual", "Simulated"
#: The two simulated paths of the Scenario page: the reader's and the default scenario's.
SCENARIO, BASELINE = "Your scenario", "Baseline"
KINDS = [ACTUAL, SIMULATED]
DASHES = [[1, 0], [6, 4]]
KIND_COLOURS = {ACTUAL: OKABE_ITO[0], SIMULATED: OKABE_ITO[3]}
#: Series whose colour is theirs alone on every chart: the actual figures blue, the
#: baseline grey, the Scenario page's own scenario vermillion.
FIXED_COLOURS = {ACTUAL: OKABE_ITO[0], BASELINE: REFERENCE_GREY, SCENARIO: KIND_COLOURS[SIMULATED]}
#: The colours other series take in turn: never the actual figures' or the baseline's.
SCENARIO_COLOURS = tuple(c for c in OKABE_ITO if c not in (OKABE_ITO[0], REFERENCE_GREY))

USD_BN = "US$ bn"


def series_palette(series: Sequence[str]) -> list[str]:
    """A colour for each series, in order: the actual figures, the baseline and the
    Scenario page's scenario in their own colours (``FIXED_COLOURS``) whichever else is
    drawn, every other series in turn from ``SCENARIO_COLOURS``, so that no scenario,
    however many, looks like the actual figures or the baseline.

    With more than six other series, their colours repeat among them.
    """
    palette, others = [], 0
    for name in series:
        if name in FIXED_COLOURS:
            palette.append(FIXED_COLOURS[name])
        else:
            palette.append(SCENARIO_COLOURS[others % len(SCENARIO_COLOURS)])
            others += 1
    return palette


def _dash(legend_title: str | None = "") -> alt.StrokeDash:
    return alt.StrokeDash(
        "kind:N",
        scale=alt.Scale(domain=KINDS, range=DASHES),
        legend=alt.Legend(
            title=legend_title or None,
            orient="bottom",
            symbolType="stroke",
            symbolStrokeColor=REFERENCE_GREY,
            symbolStrokeWidth=2,
        ),
    )


def _dash_no_legend() -> alt.StrokeDash:
    """Dash by kind without its own legend (the series legend names each line)."""
    return alt.StrokeDash("kind:N", scale=alt.Scale(domain=KINDS, range=DASHES), legend=None)


def _year_axis(title: str = "Year") -> alt.X:
    return alt.X(
        "year:Q",
        title=title,
        scale=alt.Scale(nice=False),
        axis=alt.Axis(format="d", tickMinStep=1),
    )


def _reference_layers(
    references: Sequence[tuple[float, str]], y_field: str = "value"
) -> list[alt.Chart]:
    """Horizontal dotted rules, labelled alternately at the left (below) and right (above).

    Alternating keeps two close levels ($992 bn and $1 tn, say) readable.
    """
    if not references:
        return []
    frame = pd.DataFrame(references, columns=[y_field, "label"])
    frame["side"] = ["left" if i % 2 == 0 else "right" for i in range(len(frame))]
    rules = (
        alt.Chart(frame)
        .mark_rule(color=REFERENCE_GREY, strokeDash=[2, 3], strokeWidth=1.5)
        .encode(y=alt.Y(f"{y_field}:Q"), tooltip=[alt.Tooltip("label:N", title="Reference")])
    )
    sides = {
        "left": (alt.XValue(0), {"align": "left", "baseline": "top", "dx": 4, "dy": 4}),
        "right": (
            alt.XValue("width"),
            {"align": "right", "baseline": "bottom", "dx": -4, "dy": -4},
        ),
    }
    labels = [
        alt.Chart(frame)
        .transform_filter(alt.datum.side == side)
        .mark_text(color=REFERENCE_GREY, **style)
        .encode(y=alt.Y(f"{y_field}:Q"), x=x, text=alt.Text("label:N"))
        for side, (x, style) in sides.items()
        if side in set(frame["side"])  # an empty layer makes Vega warn of an infinite extent
    ]
    return [rules, *labels]


def ytd_cumulative_chart(
    cumulative: pd.DataFrame,
    references: Sequence[tuple[float, str]] = (),
    highlight: int | None = None,
) -> alt.LayerChart:
    """Year-to-date cumulative trade balance, one solid line a year (all actual).

    ``cumulative`` has year, month, month_label, cumulative_usd_bn (see
    ``views.tables.ytd_cumulative``). ``references`` are (level, label) rules, e.g.
    the previous year's full-year surplus and $1 tn. The ``highlight`` year is
    drawn thicker.
    """
    frame = cumulative.copy()
    frame["kind"] = ACTUAL
    frame["year_label"] = frame["year"].astype(str)
    frame["emphasis"] = (frame["year"] == highlight) if highlight is not None else False
    years = sorted(frame["year_label"].unique())
    palette = [OKABE_ITO[i % (len(OKABE_ITO) - 1)] for i in range(len(years))]
    lines = (
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(
            x=alt.X(
                "month:Q",
                title="Month (Jan-Feb published together count as February)",
                scale=alt.Scale(domain=[1, 12]),
                axis=alt.Axis(
                    values=list(range(1, 13)),
                    labelExpr="['Jan','Feb','Mar','Apr','May','Jun','Jul','Aug','Sep',"
                    "'Oct','Nov','Dec'][datum.value - 1]",
                ),
            ),
            y=alt.Y("cumulative_usd_bn:Q", title="Cumulative trade surplus, US$ bn"),
            color=alt.Color(
                "year_label:N",
                title="Year",
                scale=alt.Scale(domain=years, range=palette),
                legend=alt.Legend(orient="right"),
            ),
            strokeDash=alt.StrokeDash(
                "kind:N", scale=alt.Scale(domain=KINDS, range=DASHES), legend=None
            ),
            strokeWidth=alt.StrokeWidthValue(
                1.6,
                condition=alt.ConditionalPredicateValueDefnumberExprRef(
                    test=alt.datum.emphasis, value=3.5
                ),
            ),
            tooltip=[
                alt.Tooltip("year_label:N", title="Year"),
                alt.Tooltip("month_label:N", title="Month"),
                alt.Tooltip(
                    "balance_usd_bn:Q", title="Balance in the period, US$ bn", format=",.1f"
                ),
                alt.Tooltip("cumulative_usd_bn:Q", title="Year to date, US$ bn", format=",.1f"),
            ],
        )
    )
    layers = [lines, *_reference_layers(references, "cumulative_usd_bn")]
    return alt.layer(*layers).properties(
        title="China's trade surplus, year to date (actual)", height=380
    )


def path_chart(
    frame: pd.DataFrame,
    value_title: str,
    title: str,
    value_format: str = ",.0f",
    band: pd.DataFrame | None = None,
    markers: pd.DataFrame | None = None,
    references: Sequence[tuple[float, str]] = (),
    zero: bool = True,
    legend_limit: int = 320,
) -> alt.LayerChart:
    """A yearly path, actual solid and simulated dashed.

    Parameters
    ----------
    frame : year, value, kind (``Actual``/``Simulated``); optional ``series`` to
        colour several paths (default: coloured by kind).
    value_title : the y-axis title, with its unit.
    band : optional year, low, high (and ``label``): a shaded uncertainty band.
    markers : optional year, value, label: points with a text label (a projection
        published by someone else, say).
    references : optional (level, label) horizontal rules.
    zero : whether the value axis starts at zero (False for a share that moves a
        little around 15%).
    legend_limit : the widest a series' name is drawn in the legend, px; a longer
        one ends in an ellipsis (Vega's default cuts at 160 px).
    """
    data = frame.copy()
    by_kind = "series" not in data
    if by_kind:
        data["series"] = data["kind"]
    series = list(dict.fromkeys(data["series"]))
    if by_kind:
        # Colour and dash on the one field: Vega-Lite draws a single legend.
        colour = alt.Color(
            "kind:N",
            scale=alt.Scale(domain=KINDS, range=[KIND_COLOURS[k] for k in KINDS]),
            legend=alt.Legend(title=None, orient="bottom", symbolType="stroke"),
        )
    else:
        colour = alt.Color(
            "series:N",
            title=None,
            scale=alt.Scale(domain=series, range=series_palette(series)),
            # One name a line, each as wide as ``legend_limit`` allows.
            legend=alt.Legend(
                orient="bottom",
                symbolType="stroke",
                symbolStrokeWidth=3,
                labelLimit=legend_limit,
                columns=1,
            ),
        )
    y_scale = alt.Scale(zero=zero)
    layers: list[alt.Chart] = []
    if band is not None and not band.empty:
        band_data = band.copy()
        if "label" not in band_data:
            band_data["label"] = "Uncertainty band"
        layers.append(
            alt.Chart(band_data)
            .mark_area(opacity=0.22, color=KIND_COLOURS[SIMULATED])
            .encode(
                x=_year_axis(),
                y=alt.Y("low:Q", title=value_title, scale=y_scale),
                y2=alt.Y2("high:Q"),
                tooltip=[
                    alt.Tooltip("year:Q", title="Year", format="d"),
                    alt.Tooltip("label:N", title="Band"),
                    alt.Tooltip("low:Q", title="Low", format=value_format),
                    alt.Tooltip("high:Q", title="High", format=value_format),
                ],
            )
        )
    layers.append(
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=_year_axis(),
            y=alt.Y("value:Q", title=value_title, scale=y_scale),
            color=colour,
            strokeDash=_dash() if by_kind else _dash_no_legend(),
            detail=alt.Detail("kind:N"),
            tooltip=[
                alt.Tooltip("series:N", title="Series"),
                alt.Tooltip("kind:N", title="Kind"),
                alt.Tooltip("year:Q", title="Year", format="d"),
                alt.Tooltip("value:Q", title=value_title, format=value_format),
            ],
        )
    )
    if markers is not None and not markers.empty:
        base = alt.Chart(markers)
        layers.append(
            base.mark_point(shape="diamond", size=140, filled=True, color=OKABE_ITO[1]).encode(
                x=alt.X("year:Q"),
                y=alt.Y("value:Q"),
                tooltip=[
                    alt.Tooltip("label:N", title="Marked"),
                    alt.Tooltip("year:Q", title="Year", format="d"),
                    alt.Tooltip("value:Q", title=value_title, format=value_format),
                ],
            )
        )
        layers.append(
            # Above and left of the diamond, over the paths rising to it (beside it, the
            # label lay on the simulated line).
            base.mark_text(
                align="right", baseline="bottom", dx=-6, dy=-10, color=OKABE_ITO[1]
            ).encode(x=alt.X("year:Q"), y=alt.Y("value:Q"), text=alt.Text("label:N"))
        )
    layers += _reference_layers(references)
    # The legend is drawn inside the chart's height, one name a line (by kind, one line
    # for both): each name adds its line, so eight scenarios leave the plot its height.
    height = 340 if by_kind else 360 + 18 * len(series)
    return alt.layer(*layers).properties(title=title, height=height)


def destination_chart(frame: pd.DataFrame, narrow: bool = False) -> alt.FacetChart:
    """Exports by destination, one small panel a region, actual solid, simulated dashed.

    ``frame`` has year, region, value (US$ bn) and kind. Panels share the x axis
    but each has its own y scale, so small regions stay readable. A facet has a fixed
    width: four panels a row of 115 px fit the main area beside the sidebar on a screen
    1280 px wide; ``narrow`` (a phone) puts one panel of 240 px a row, each with its
    own year axis, as a phone's screen holds about 360 px and cuts off what is wider.
    """
    columns, width = (1, 240) if narrow else (4, 115)
    order = list(dict.fromkeys(frame["region"]))
    base = (
        alt.Chart(frame)
        .mark_line(point=alt.OverlayMarkDef(size=18))
        .encode(
            x=_year_axis(""),
            y=alt.Y("value:Q", title="Exports, US$ bn"),
            color=alt.Color(
                "kind:N",
                scale=alt.Scale(domain=KINDS, range=[KIND_COLOURS[k] for k in KINDS]),
                legend=alt.Legend(title=None, orient="bottom"),
            ),
            strokeDash=_dash(),
            tooltip=[
                alt.Tooltip("region:N", title="Destination"),
                alt.Tooltip("kind:N", title="Kind"),
                alt.Tooltip("year:Q", title="Year", format="d"),
                alt.Tooltip("value:Q", title="Exports, US$ bn", format=",.1f"),
            ],
        )
        .properties(width=width, height=120)
    )
    chart = (
        base.facet(
            facet=alt.Facet("region:N", sort=order, title=None),
            columns=columns,
        )
        .resolve_scale(y="independent")
        .properties(title="China's exports by destination, US$ bn")
    )
    # One panel a row: without its own year axis, each panel but the last has none.
    return chart.resolve_axis(x="independent") if narrow else chart


def destination_change_chart(frame: pd.DataFrame) -> alt.LayerChart:
    """A dumbbell a destination: the change of China's exports to it, actual and
    simulated, on one axis of US$ bn, joined by a line, the scenario's written beside.

    ``frame`` is ``views.results.destination_changes``: region, series (Actual, Your
    scenario, Baseline), point (the legend's name: the series and its years), change.
    Destinations run from the scenario's largest gain to its largest loss.
    """
    scenario = frame[frame["series"] == SCENARIO].sort_values("change", ascending=False)
    order = list(scenario["region"])
    ends = frame.groupby("region", sort=False)["change"].agg(["min", "max"]).reset_index()
    # The scenario's change is written at its end of the line, outside it: to the left of
    # a dot that is the line's left end, else to the right of the line.
    spans = ends.set_index("region")
    on_left = scenario["change"].to_numpy() <= spans.loc[scenario["region"], "min"].to_numpy()
    labels = scenario.assign(
        text=[f"{c:+,.0f}" for c in scenario["change"]],
        at=[
            change if left else spans.loc[region, "max"]
            for region, change, left in zip(
                scenario["region"], scenario["change"], on_left, strict=True
            )
        ],
        side=["left" if left else "right" for left in on_left],
    )
    low, high = min(0.0, ends["min"].min()), max(0.0, ends["max"].max())
    room = 0.2 * (high - low or 1.0)  # for a figure written beyond the outermost dots
    x_scale = alt.Scale(
        domain=[low - room * bool(on_left.any()), high + room * bool((~on_left).any())],
        nice=False,
    )
    title = "Change in exports, US$ bn"
    points = list(dict.fromkeys(frame["point"]))
    series_of = dict(zip(frame["point"], frame["series"], strict=True))
    y = alt.Y("region:N", sort=order, title=None, axis=alt.Axis(labelLimit=200))
    zero = (
        alt.Chart(pd.DataFrame({"change": [0.0]}))
        .mark_rule(color=REFERENCE_GREY)
        .encode(x=alt.X("change:Q", scale=x_scale))
    )
    joins = (
        alt.Chart(ends)
        .mark_rule(color=REFERENCE_GREY, strokeWidth=2)
        .encode(y=y, x=alt.X("min:Q", title=title, scale=x_scale), x2=alt.X2("max:Q"))
    )
    dots = (
        alt.Chart(frame)
        .mark_point(filled=True, size=110, opacity=1)
        .encode(
            y=y,
            x=alt.X("change:Q", title=title, scale=x_scale),
            color=alt.Color(
                "point:N",
                title=None,
                scale=alt.Scale(domain=points, range=[FIXED_COLOURS[series_of[p]] for p in points]),
                legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=320),
            ),
            tooltip=[
                alt.Tooltip("region:N", title="Destination"),
                alt.Tooltip("point:N", title="Change"),
                alt.Tooltip("change:Q", title=title, format="+,.1f"),
            ],
        )
    )
    written = [
        alt.Chart(labels)
        .transform_filter(alt.datum.side == side)
        .mark_text(
            align="left" if side == "right" else "right",
            dx=10 if side == "right" else -10,
            color=FIXED_COLOURS[SCENARIO],
        )
        .encode(y=y, x=alt.X("at:Q", scale=x_scale), text=alt.Text("text:N"))
        for side in ("right", "left")
        if side in set(labels["side"])  # an empty layer makes Vega warn of an infinite extent
    ]
    # The height holds the title, the axis and the legend (a line a point) as well as the
    # rows, 32 px each.
    return alt.layer(zero, joins, dots, *written).properties(
        title="Exports by destination: the change, US$ bn",
        height=32 * len(order) + 18 * len(points) + 150,
    )


def sensitivity_chart(frame: pd.DataFrame, outcome_title: str) -> alt.LayerChart:
    """A tornado chart: each parameter's swing of the outcome over its range.

    ``frame`` has parameter (a label), low, high (the outcome's change from the
    central scenario with the parameter at its low and high end) and optionally
    ``range`` (text, for the tooltip). Sorted by swing, the widest on top.
    """
    data = frame.copy()
    data["swing"] = (data["high"] - data["low"]).abs()
    order = list(data.sort_values("swing", ascending=False)["parameter"])
    if "range" not in data:
        data["range"] = ""
    long = data.melt(
        id_vars=["parameter", "swing", "range"],
        value_vars=["low", "high"],
        var_name="end",
        value_name="change",
    )
    long["end"] = long["end"].map({"low": "Parameter at its low end", "high": "at its high end"})
    bars = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            # Names whole, one a bar: Vega cuts a label at 180 px and drops overlapping ones.
            y=alt.Y(
                "parameter:N",
                sort=order,
                title=None,
                axis=alt.Axis(labelLimit=330, labelOverlap=False),
            ),
            x=alt.X("change:Q", title=outcome_title),
            color=alt.Color(
                "end:N",
                scale=alt.Scale(
                    domain=["Parameter at its low end", "at its high end"],
                    range=[OKABE_ITO[5], OKABE_ITO[1]],
                ),
                legend=alt.Legend(title=None, orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("parameter:N", title="Parameter"),
                alt.Tooltip("range:N", title="Range"),
                alt.Tooltip("end:N", title="End"),
                alt.Tooltip("change:Q", title=outcome_title, format="+,.1f"),
            ],
        )
    )
    zero = (
        alt.Chart(pd.DataFrame({"change": [0.0]}))
        .mark_rule(color=REFERENCE_GREY)
        .encode(x=alt.X("change:Q"))
    )
    return alt.layer(bars, zero).properties(
        title="What moves the result most (each parameter over its range)",
        height=max(120, 30 * len(order)),
    )


def compare_chart(
    frame: pd.DataFrame,
    value_title: str,
    title: str,
    value_format: str = ",.0f",
    zero: bool = True,
    narrow: bool = False,
) -> alt.LayerChart:
    """Several scenarios overlaid: year, value, kind, series (the scenario's name).

    Each scenario has its own colour; the actual figures stay solid and every
    scenario dashed. ``narrow`` (a phone): the legend's names end in an ellipsis at
    250 px, the width a phone's screen leaves them right of the value axis (at 320 px
    the longest preset's name ran off the screen).
    """
    return path_chart(
        frame,
        value_title,
        title,
        value_format=value_format,
        zero=zero,
        legend_limit=250 if narrow else 320,
    )


def vega_lite_spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """The chart as a Vega-Lite spec for ``st.vega_lite_chart(spec=...)``, built for speed.

    What ``st.altair_chart`` does, less its cost on every rerun: the spec is not
    checked against Vega-Lite's JSON schema (that check took about half of the
    Scenario page's rerun; ``tests/test_charts.py`` checks every builder's spec
    instead), and no global Altair setting is switched, so sessions running in
    parallel threads cannot see each other's. Each frame becomes one named dataset,
    however many layers draw it; its name is a hash of its content, as in
    ``st.altair_chart``, so new figures make a new spec and Streamlit's front end
    draws the chart afresh, which it does faster than swapping the data into the
    chart it has. Altair's default theme fixes views at 300 px; that is left out,
    as ``st.altair_chart`` leaves it out, so a chart takes its container's width.
    """
    frames: dict[int, tuple[str, pd.DataFrame]] = {}

    def named(part: Any) -> Any:
        part = part.copy(deep=False)
        data = getattr(part, "data", alt.Undefined)
        if isinstance(data, pd.DataFrame):
            if id(data) not in frames:
                frames[id(data)] = (_content_name(data), data)
            part.data = alt.NamedData(name=frames[id(data)][0])
        for key in ("layer", "hconcat", "vconcat", "concat"):
            parts = getattr(part, key, alt.Undefined)
            if isinstance(parts, list):
                setattr(part, key, [named(p) for p in parts])
        inner = getattr(part, "spec", alt.Undefined)
        if isinstance(inner, alt.SchemaBase):
            part.spec = named(inner)
        return part

    spec = named(chart).to_dict(validate=False)
    config = spec.get("config", {})
    config.pop("view", None)
    if not config:
        spec.pop("config", None)
    spec["datasets"] = dict(frames.values())
    return spec


def _content_name(frame: pd.DataFrame) -> str:
    """A dataset name that changes when, and only when, the frame's content does.

    Vega-Lite keeps ``data_0``, ``data_1``, ... for its own datasets, hence the prefix.
    """
    digest = hashlib.sha1(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    digest.update(repr([(str(c), str(t)) for c, t in frame.dtypes.items()]).encode())
    return f"figures_{digest.hexdigest()[:16]}"
