"""A matrix of bad links: each opens its page with no exception, the bad value named, unused.

A shared link is the app's way of passing on a scenario, so a link that was cut,
edited by hand or made to mislead must never break a page. For each case the page
runs without an exception, every offending input stays at its default, a warning
names the offending key, and a valid value given alongside still takes effect (the
page shows the same result as a link with that valid value alone).
"""

from __future__ import annotations

import functools

import pytest
from streamlit.testing.v1 import AppTest

from model.data import read_package
from model.params import PARAMETERS
from tests.apptest import as_drawn
from views.inputs import step_of

APP = "../app.py"
SCENARIO = "pages/1_Scenario.py"
DATA = "pages/4_Data.py"
BACKTEST = "pages/2_Backtest.py"
SPECS = {s.name: s for s in PARAMETERS}
US = "tariff_united_states"
LONG = 100_000  # characters: an over-long value

#: A valid value sent with every case; when the case is about that key, the other one.
VALID = {"growth_china": "3"}
VALID_OTHER = {"rmb": "2"}


def run_page(page: str, query: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(page).run()
    return at


def warning_text(at: AppTest) -> str:
    """Every warning on the page, markdown escapes taken out."""
    return as_drawn("\n".join(w.value for w in at.warning))


def surplus_shown(at: AppTest) -> str:
    [metric] = [m for m in at.metric if m.label.startswith("Surplus")]
    return metric.value


@functools.cache
def clean_surplus(key: str, value: str) -> str:
    """The surplus the Scenario page shows for a link with only ``key=value``."""
    at = run_page(SCENARIO, {key: value})
    assert not at.exception and not at.warning
    return surplus_shown(at)


def default_of(key: str):
    return SPECS[key].default


def outside(key: str) -> tuple[str, str]:
    """Values just below and just above the range of ``key``, as a link holds them."""
    spec = SPECS[key]
    step = 1 if spec.integer else step_of(spec)
    low, high = spec.min - step, spec.max + step
    shown = (lambda v: str(int(v))) if spec.integer else (lambda v: repr(round(v, 6)))
    return shown(low), shown(high)


# ----------------------------------------------------------------------------- cases
# (id, query, keys that must stay at their default)

TEXT_IN_A_NUMBER = [
    "abc",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "Infinity",
    "-Infinity",
    "1e309",
    "1e9",
    "-1e9",
    "-1",
    "",
    "   ",
    "50%",
    "1,5",
    "0x1F",
    "5e",
    "--5",
    "五十",
    "50🚀",
    "\u202e05",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "1; DROP TABLE scenarios;--",
    "1' OR '1'='1",
    "[Log in](https://example.invalid)",
    "1" * LONG,
    "x" * LONG,
]

EDGE_KEYS = [
    "end_year",
    "tariff_from",
    US,
    "tariff_china",
    "growth_china",
    "rmb",
    "commodity",
    "sigma",
    "sigma_1",
    "phi",
    "kappa",
    "mu",
    "rho",
]

CASES: list[tuple[str, dict, list[str]]] = []
for i, raw in enumerate(TEXT_IN_A_NUMBER):
    CASES.append((f"us-{i}-{raw[:12]!r}", {US: raw}, [US]))
for key in EDGE_KEYS:
    below, above = outside(key)
    CASES.append((f"{key}-below-range", {key: below}, [key]))
    CASES.append((f"{key}-above-range", {key: above}, [key]))
CASES += [
    ("end_year-not-whole", {"end_year": "2030.5"}, ["end_year"]),
    ("end_year-text", {"end_year": "next year"}, ["end_year"]),
    ("end_year-huge", {"end_year": "1e4"}, ["end_year"]),
    ("sigma-text", {"sigma": "high"}, ["sigma"]),
    ("phi-nan", {"phi": "nan"}, ["phi"]),
    ("growth_china-inf", {"growth_china": "inf"}, ["growth_china"]),
    ("repeated-two-values", {US: ["60", "70"]}, [US]),
    ("repeated-same-value", {US: ["60", "60"]}, [US]),
    ("repeated-bad-then-good", {US: ["abc", "60"]}, [US]),
    ("repeated-valid-key", {"sigma": ["4", "5"]}, ["sigma"]),
    ("two-bad-keys", {US: "abc", "sigma": "99"}, [US, "sigma"]),
    ("combination-refused", {"sigma": "2.5", "sigma_1": "2.9"}, ["sigma_1"]),
]

UNKNOWN_KEYS = [
    "tarif_us",
    "TARIFF_UNITED_STATES",
    "tariff_mars",
    "<b>key</b>",
    "ключ",
    "k" * 2000,
]
PRESETS = ["Tariffs forever", "", "<script>alert(1)</script>", "custom", "p" * LONG]
FLAGS = ["maybe", "", "1", "<b>true</b>"]


def _valid_for(query: dict) -> dict:
    return VALID_OTHER if set(VALID) & set(query) else VALID


def _check_case(query: dict, at_default: list[str], named: list[str]) -> AppTest:
    valid = _valid_for(query)
    at = run_page(SCENARIO, {**query, **valid})
    assert not at.exception, at.exception[0].value if at.exception else ""
    text = warning_text(at)
    for key in named:
        assert f"'{key[:40]}" in text, f"no warning names {key[:40]!r}: {text[:300]!r}"
    assert len(text) < 5_000, f"the warning repeats the link at length ({len(text)} characters)"
    for key in at_default:
        assert at.slider(key=key).value == default_of(key), key
    [(valid_key, valid_value)] = valid.items()
    assert at.slider(key=valid_key).value == float(valid_value)
    assert surplus_shown(at) == clean_surplus(valid_key, valid_value)
    return at


@pytest.mark.parametrize(("query", "at_default"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_bad_number_is_named_and_left_at_its_default(query, at_default):
    _check_case(query, at_default, at_default)


@pytest.mark.parametrize("key", UNKNOWN_KEYS, ids=lambda k: k[:20])
def test_an_unknown_key_is_named_and_ignored(key):
    _check_case({key: "60"}, [], [key])


@pytest.mark.parametrize("name", PRESETS, ids=lambda p: repr(p[:20]))
def test_an_unknown_preset_is_named_and_custom_kept(name):
    at = _check_case({"preset": name}, [], ["preset"])
    assert at.selectbox(key="preset").value == "Custom"


@pytest.mark.parametrize("raw", FLAGS, ids=repr)
def test_a_bad_flag_is_named_and_left_off(raw):
    at = _check_case({"band": raw}, [], ["band"])
    assert at.checkbox(key="band").value is False


def test_every_input_just_outside_its_range_at_once():
    at = run_page(SCENARIO, {})
    query = {}
    for slider in at.slider:
        below, above = outside(slider.key)
        query[slider.key] = above if len(query) % 2 else below
    at = run_page(SCENARIO, query)
    assert not at.exception
    text = warning_text(at)
    for slider in at.slider:
        assert f"'{slider.key}'" in text, slider.key
        assert slider.value == default_of(slider.key), slider.key
    assert surplus_shown(at) == clean_surplus(*next(iter(VALID.items()))) or "nan" not in (
        surplus_shown(at).lower()
    )


def test_valid_values_alongside_bad_ones_all_take_effect():
    at = run_page(SCENARIO, {US: "abc", "sigma": "4.5", "end_year": "2032", "colour": "red"})
    assert not at.exception
    assert at.slider(key="sigma").value == 4.5
    assert at.slider(key="end_year").value == 2032
    assert at.slider(key=US).value == default_of(US)
    text = warning_text(at)
    assert f"'{US}'" in text and "'colour'" in text
    assert "'sigma'" not in text and "'end_year'" not in text


# ----------------------------------------------------------------------------- other pages


@pytest.mark.parametrize(
    "raw",
    ["nope", ["annual", "monthly"], "<b>annual</b>", "", "t" * LONG],
    ids=["unknown", "repeated", "html", "empty", "long"],
)
def test_data_page_a_bad_table_is_named_and_the_first_table_shown(raw):
    at = run_page(DATA, {"data_table": raw})
    assert not at.exception
    assert "'data_table'" in warning_text(at)
    assert len(warning_text(at)) < 5_000
    first = read_package()["resources"][0]
    assert at.subheader[0].value == first.get("title", first["name"])


@pytest.mark.parametrize(
    "raw", ["abc", "1900", "2100", "2017.5", "nan"], ids=["text", "low", "high", "half", "nan"]
)
def test_backtest_page_a_bad_start_year_is_named_and_the_default_used(raw):
    clean = run_page(BACKTEST, {})
    default = clean.slider(key="start_year").value
    at = run_page(BACKTEST, {"start_year": raw})
    assert not at.exception
    assert at.slider(key="start_year").value == default
    assert "'start_year'" in warning_text(at)


def test_home_page_ignores_a_scenario_link_without_breaking():
    at = run_page("app.py", {US: "abc", "preset": "<b>x</b>", "k" * 2000: "1"})
    assert not at.exception


# ----------------------------------------------------------------------------- one rule for repeats


def test_a_repeated_preset_opens_custom_as_the_note_says():
    preset = PRESETS[0]
    at = _check_case({"preset": ["Custom", preset]}, [], ["preset"])
    assert "given 2 times" in warning_text(at) and "default is used" in warning_text(at)
    assert at.selectbox(key="preset").value == "Custom"
    assert at.slider(key=US).value == default_of(US)  # the preset's inputs are not taken


@pytest.mark.parametrize("values", [["true", "true"], ["false", "true"], ["true", "false"]])
def test_a_repeated_flag_is_left_off_as_the_note_says(values):
    at = _check_case({"band": values}, [], ["band"])
    assert "given 2 times" in warning_text(at)
    assert at.checkbox(key="band").value is False


@pytest.mark.parametrize(
    ("values", "phrase"),
    [
        (["2022", "2018"], "runs backwards"),
        (["2018"], "gives 1 value, not two"),
        (["2016", "2018", "2020"], "gives 3 values, not two"),
        (["2018", "2999"], "outside the range"),
        (["2018", "abc"], "not a finite number"),
        (["2018.5", "2020"], "not a whole year"),
    ],
    ids=["reversed", "one", "three", "outside", "text", "half"],
)
def test_backtest_a_bad_fit_window_is_named_and_the_default_used(values, phrase):
    clean = run_page(BACKTEST, {})
    default = clean.slider(key="window").value
    at = run_page(BACKTEST, {"window": values})
    assert not at.exception
    assert "'window'" in warning_text(at) and phrase in warning_text(at)
    assert at.slider(key="window").value == default
    assert at.slider(key="window").value[0] <= at.slider(key="window").value[1]


@pytest.mark.parametrize("values", ["maybe", ["true", "true"], ""], ids=["text", "twice", "empty"])
def test_backtest_a_bad_fit_flag_is_named_and_left_off(values):
    at = run_page(BACKTEST, {"fit": values})
    assert not at.exception
    assert "'fit'" in warning_text(at)
    assert at.toggle(key="fit").value is False


def test_backtest_a_repeated_start_year_is_named_and_the_default_used():
    default = run_page(BACKTEST, {}).slider(key="start_year").value
    at = run_page(BACKTEST, {"start_year": ["2016", "2019"]})
    assert not at.exception
    assert "'start_year' is given 2 times" in warning_text(at)
    assert at.slider(key="start_year").value == default


def test_backtest_good_values_are_taken_without_a_note():
    at = run_page(BACKTEST, {"start_year": "2016", "window": ["2017", "2021"], "fit": "false"})
    assert not at.exception and not at.warning
    assert at.slider(key="start_year").value == 2016
    assert at.slider(key="window").value == (2017, 2021)


def test_a_link_past_streamlits_parameter_limit_gets_a_note():
    at = run_page(SCENARIO, {f"k{i}": "1" for i in range(1001)})
    assert not at.exception
    text = warning_text(at)
    assert "This link was not read: it has 1,001 settings" in text
    assert "1,000 settings" in text
    assert at.slider(key=US).value == default_of(US)


def test_a_link_past_streamlits_length_limit_gets_a_note():
    at = run_page(DATA, {US: "1" * 524_300})
    assert not at.exception
    assert "524,288 characters" in warning_text(at)


def test_a_link_within_the_limits_gets_no_such_note():
    at = run_page(SCENARIO, {f"k{i}": "1" for i in range(990)})
    assert "was not read" not in warning_text(at)


# ----------------------------------------------------------------------------- inputs that cannot act


def test_tariffs_that_start_after_the_horizon_are_named():
    at = run_page(SCENARIO, {"tariff_from": "2034", "end_year": "2030", US: "100"})
    assert not at.exception
    notes = as_drawn("\n".join(i.value for i in at.info))
    assert "take effect in 2034 ('tariff_from'), after the last year" in notes
    assert "2030 ('end_year')" in notes
    assert surplus_shown(at) == clean_surplus("end_year", "2030")  # the tariff changed nothing


def test_tariffs_within_the_horizon_get_no_such_note():
    at = run_page(SCENARIO, {"tariff_from": "2030", "end_year": "2030"})
    assert "cannot act" not in as_drawn("\n".join(i.value for i in at.info))
