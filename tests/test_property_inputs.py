"""Property tests: random bytes, JSON, CSV and link values, at every way in.

Whatever arrives (a scenario file, an uploaded table, a link's values), the reader
gives a clear message or a value it accepted, and never raises anything else. An
accepted upload is then run as the pages run it: every figure stays finite, and the
pages draw without an exception.
"""

from __future__ import annotations

import json
import math
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from model.data import check_upload, load_actuals, model_problems, read_package, replace_table
from model.params import PARAMETERS
from model.scenario import Scenario, read_scenario_json
from tests.apptest import APP
from tests.sample_package import ANNUAL
from views.inputs import check_link
from views.model_api import scenario_file_values

SPECS = {s.name: s for s in PARAMETERS}
SHIPPED = load_actuals()
PACKAGE = read_package()
SLOW = settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
FAST = settings(max_examples=300, deadline=None, derandomize=True)
#: For properties that run the model on each accepted example.
MODEL = settings(max_examples=60, deadline=None, derandomize=True)


def one_clear_line(message: str) -> None:
    assert message and "\n" not in message and len(message) < 2_000, message
    assert "Traceback" not in message


# ----------------------------------------------------------------------------- JSON values

NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(),
    st.integers(min_value=10**300, max_value=10**400),
    st.integers(min_value=-(10**400), max_value=-(10**300)),
)
LEAVES = st.one_of(st.none(), st.booleans(), NUMBERS, st.text(max_size=50))
VALUES = st.recursive(
    LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)
KEYS = st.one_of(st.sampled_from([*SPECS, "tariff_path"]), st.text(max_size=20))


def deep(value, depth: int):
    for _ in range(depth):
        value = [value]
    return value


@FAST
@given(st.binary(max_size=400))
def test_random_bytes_as_a_scenario_file_give_a_clear_message(raw):
    try:
        Scenario.from_json(raw)
    except ValueError as error:
        one_clear_line(str(error))
    values, problems = scenario_file_values(raw, SPECS)
    assert problems or values == {} or values
    for problem in problems:
        one_clear_line(problem)


@FAST
@given(st.dictionaries(KEYS, VALUES, max_size=6))
def test_a_random_json_object_gives_a_scenario_or_a_clear_message(data):
    try:
        scenario = Scenario.from_dict(data)
    except ValueError as error:
        one_clear_line(str(error))
    else:
        assert Scenario.from_json(scenario.to_json()) == scenario
    try:
        raw = json.dumps(data).encode()
    except ValueError:  # NaN and the like cannot be written as standard JSON
        return
    _, problems = scenario_file_values(raw, SPECS)
    for problem in problems:
        one_clear_line(problem)


@FAST
@given(st.sampled_from(sorted(SPECS)), NUMBERS, st.integers(min_value=0, max_value=900))
def test_any_number_at_any_depth_is_a_clear_message(key, number, depth):
    value = deep(number, depth)
    try:
        scenario = Scenario(**{key: value})
    except ValueError as error:
        one_clear_line(str(error))
    else:
        assert depth == 0 and math.isfinite(getattr(scenario, key))


@FAST
@given(st.integers(min_value=1, max_value=5_000), st.sampled_from(["[", '{"a":']))
def test_json_nested_to_any_depth_is_a_clear_message(depth, opening):
    closing = "]" if opening == "[" else "}"
    text = opening * depth + ("1" if opening != "[" else "") + closing * depth
    try:
        read_scenario_json(text)
    except ValueError as error:
        one_clear_line(str(error))


# ----------------------------------------------------------------------------- CSV uploads

CELL = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "0", "-0", "1e309", "nan", "inf", "2025-02-30", "2025-13", "9" * 400]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=1900, max_value=2200).map(str),
)


def _csv(rows) -> bytes:
    import csv
    import io

    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


@FAST
@given(st.sampled_from([r["name"] for r in PACKAGE["resources"]]), st.binary(max_size=600))
def test_random_bytes_as_an_upload_give_problems(name, raw):
    table, problems = check_upload(name, raw, SHIPPED)
    assert (table is None) == bool(problems)
    for problem in problems:
        one_clear_line(str(problem))


@MODEL
@given(st.data())
def test_random_rows_under_the_right_header_give_problems_or_usable_figures(data):
    resource = data.draw(st.sampled_from(PACKAGE["resources"]))
    header = [f["name"] for f in resource["schema"]["fields"]]
    rows = data.draw(
        st.lists(st.lists(CELL, min_size=len(header), max_size=len(header)), max_size=6)
    )
    table, problems = check_upload(resource["name"], _csv([header, *rows]), SHIPPED)
    for problem in problems:
        one_clear_line(str(problem))
    if table is not None:
        assert model_problems(replace_table(SHIPPED, resource["name"], table)) == []


def _annual_with(cells: dict[tuple[int, str], str]) -> bytes:
    import csv
    import io

    rows = list(csv.reader(io.StringIO(ANNUAL)))
    for (row, column), value in cells.items():
        rows[row][rows[0].index(column)] = value
    return _csv(rows)


NUMBER_TEXT = st.one_of(
    st.sampled_from(["0", "-1", "1e-300", "1e300", "", "0.0001"]),
    st.floats(min_value=-1e6, max_value=1e7, allow_nan=False).map(lambda x: f"{x:.6g}"),
)
EDITS = st.dictionaries(
    st.tuples(
        st.integers(min_value=1, max_value=5),
        st.sampled_from(
            ["exports_usd_bn", "imports_usd_bn", "balance_usd_bn", "world_exports_usd_bn"]
        ),
    ),
    NUMBER_TEXT,
    min_size=1,
    max_size=4,
)


@MODEL
@given(EDITS)
def test_an_accepted_annual_upload_keeps_every_model_figure_finite(edits):
    table, problems = check_upload("annual", _annual_with(edits), SHIPPED)
    if table is None:
        assert problems
        return
    from model.backtest import backtest
    from model.baseline import baseline_from_actuals
    from model.simulate import simulate

    figures = replace_table(SHIPPED, "annual", table)
    path = simulate(Scenario(), baseline_from_actuals(figures)).path
    assert np.isfinite(path.select_dtypes("number").to_numpy()).all()
    try:
        metrics = backtest(2017, actuals=figures).metrics
    except ValueError:
        return
    numbers = metrics.select_dtypes("number").to_numpy(dtype=float)
    assert np.isfinite(numbers[~np.isnan(numbers)]).all()


PAGES = ["app.py", "pages/1_Scenario.py", "pages/2_Backtest.py", "pages/3_Compare.py"]


@st.composite
def consistent_edits(draw) -> dict[tuple[int, str], str]:
    """A year's exports and imports scaled (its balance following), or a gap: edits that
    often pass the checks, so that the pages are run on figures a user could upload."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(ANNUAL)))
    header = rows[0]
    edits = {}
    for row in draw(st.sets(st.integers(min_value=1, max_value=5), min_size=1, max_size=3)):
        exports = float(rows[row][header.index("exports_usd_bn")])
        imports = float(rows[row][header.index("imports_usd_bn")])
        exports *= draw(st.floats(min_value=0.01, max_value=5))
        imports *= draw(st.floats(min_value=0.01, max_value=5))
        edits[(row, "exports_usd_bn")] = f"{exports:.2f}"
        edits[(row, "imports_usd_bn")] = f"{imports:.2f}"
        edits[(row, "balance_usd_bn")] = f"{round(exports, 2) - round(imports, 2):.2f}"
        edits[(row, "rounded_to_usd_bn")] = "0.01"
        if draw(st.booleans()):
            edits[(row, "world_exports_usd_bn")] = draw(st.sampled_from(["", f"{exports * 7:.0f}"]))
    return edits


@settings(SLOW, max_examples=6)
@given(consistent_edits())
def test_an_accepted_annual_upload_breaks_no_page(edits):
    table, problems = check_upload("annual", _annual_with(edits), SHIPPED)
    if table is None:
        assert problems
        return
    for page in PAGES:
        at = AppTest.from_file(APP, default_timeout=60)
        at.session_state["data_uploads"] = {"annual": table}
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        shown = " ".join(str(m.value) for m in at.metric) + " ".join(m.value for m in at.markdown)
        assert "inf" not in shown.lower().replace("info", "") and "nan" not in shown.lower()


# ----------------------------------------------------------------------------- link values

LINK_TEXT = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["nan", "inf", "-inf", "1e309", "", "true", "Custom", "2018", "2022"]),
    st.floats().map(repr),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)
LINK_VALUE = st.one_of(LINK_TEXT, st.lists(LINK_TEXT, min_size=2, max_size=3))


@FAST
@given(
    st.dictionaries(
        st.one_of(st.sampled_from([*SPECS, "preset", "band", "window"]), st.text(max_size=8)),
        LINK_VALUE,
        max_size=6,
    )
)
def test_check_link_names_every_problem_and_never_raises(query):
    window = SimpleNamespace(name="window", label="Years to fit", min=2001, max=2025, integer=True)
    messages = check_link(
        query,
        PARAMETERS,
        choices={"preset": ["Custom"]},
        flags=["band"],
        ranges={"window": window},
    )
    for message in messages:
        one_clear_line(message)


#: Each page with the keys it binds (a few others thrown in as unknown keys).
PAGE_KEYS = {
    "pages/1_Scenario.py": ["tariff_united_states", "sigma", "end_year", "preset", "band"],
    "pages/2_Backtest.py": ["start_year", "window", "fit"],
    "pages/4_Data.py": ["data_table"],
    "app.py": ["home_years", "preset"],
    "pages/3_Compare.py": ["compare_pick", "sigma"],
}


@pytest.mark.parametrize("page", list(PAGE_KEYS))
def test_random_link_values_open_every_page_without_an_exception(page):
    keys = st.one_of(st.sampled_from(PAGE_KEYS[page]), st.text(min_size=1, max_size=6))

    @SLOW
    @given(st.dictionaries(keys, LINK_VALUE, min_size=1, max_size=4))
    def opens(query):
        at = AppTest.from_file(APP, default_timeout=60)
        for key, value in query.items():
            at.query_params[key] = value
        if page != "app.py":
            at.switch_page(page)
        at.run()
        assert not at.exception, (query, [e.value for e in at.exception])

    opens()
