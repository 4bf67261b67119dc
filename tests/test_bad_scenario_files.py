"""A matrix of malformed scenario files, uploaded on the Scenario page (AppTest).

Each is refused with a listed, readable message, and the scenario in use (here the
US tariff at 30% from the link) stays as it was. The last tests take scenarios to
the ends of every range: the model's outputs stay finite and every chart is drawn.
"""

from __future__ import annotations

import codecs
import json
import math

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import as_drawn
from views.model_api import PARAMETERS, Scenario, simulate
from views.state import _baseline  # noqa: F401  (the page's cache, imported for its module)

APP = "../app.py"
SCENARIO = "pages/1_Scenario.py"
US = "tariff_united_states"
CURRENT = 30.0  # the US tariff of the scenario in use when a file is uploaded


def obj(**values) -> bytes:
    return json.dumps(values).encode()


# (id, file content, a phrase the listed problems must contain)
CASES = [
    ("invalid-json", b'{"sigma": 4,', "not valid JSON"),
    ("truncated", b'{"tariff_united_states": 6', "not valid JSON"),
    ("empty", b"", "not valid JSON"),
    ("only-whitespace", b"  \n\t ", "not valid JSON"),
    ("trailing-garbage", b'{"sigma": 4} x', "not valid JSON"),
    ("top-level-list", b"[1, 2, 3]", "holds a JSON object, not a list"),
    ("top-level-string", b'"a scenario"', "holds a JSON object, not text"),
    ("top-level-number", b"42", "holds a JSON object, not a number"),
    ("top-level-null", b"null", "holds a JSON object"),
    ("unknown-key", obj(colour="red"), "'colour' is not an input of this page"),
    ("text-for-a-number", obj(tariff_united_states="high"), "is not a number"),
    ("number-as-text", obj(tariff_united_states="50"), "is not a number"),
    ("boolean", obj(tariff_united_states=True), "is not a number"),
    ("null-value", obj(tariff_united_states=None), "is not a number"),
    ("object-value", obj(sigma={"value": 4}), "is not a number"),
    ("list-value", obj(sigma=[4]), "is not a number"),
    ("above-range", obj(sigma=99), "outside the allowed range"),
    ("below-range", obj(tariff_united_states=-5), "outside the allowed range"),
    ("NaN-token", b'{"sigma": NaN}', "NaN is not a number"),
    ("Infinity-token", b'{"tariff_united_states": Infinity}', "Infinity is not a number"),
    ("minus-Infinity-token", b'{"rmb": -Infinity}', "-Infinity is not a number"),
    ("overflowing-number", b'{"sigma": 1e400}', "not a finite number"),
    ("5000-digit-integer", b'{"sigma": ' + b"9" * 5000 + b"}", "not a finite number"),
    ("309-digit-integer", b'{"sigma": 1' + b"0" * 309 + b"}", "not a finite number"),
    ("309-digit-year", b'{"end_year": 1' + b"0" * 309 + b"}", "not a finite number"),
    ("309-digit-negative", b'{"rmb": -1' + b"0" * 309 + b"}", "not a finite number"),
    ("a-huge-exponent", b'{"sigma": 1e99999999999}', "not a finite number"),
    ("nested-400-deep-value", b'{"sigma": ' + b"[" * 400 + b"]" * 400 + b"}", "is not a number"),
    ("nested-400-deep-path", b'{"tariff_path": ' + b"[" * 400 + b"]" * 400 + b"}", "tariff"),
    ("not-a-whole-year", obj(end_year=2030.5), "not a whole year"),
    ("combination", obj(sigma=2.5, sigma_1=2.9), "exceeds sigma"),
    ("tariff-path", obj(tariff_path={"united_states": {"2027": 60}}), "per-year tariff paths"),
    ("huge-file", b'{"sigma": 4, "pad": "' + b"x" * 300_000 + b'"}', "larger than 200 kB"),
    ("binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "not UTF-8 text"),
    ("utf-16", codecs.BOM_UTF16_LE + '{"sigma": 4}'.encode("utf-16-le"), "not UTF-8 text"),
    ("latin-1", '{"sigma": 4, "é": 1}'.encode("latin-1"), "not UTF-8 text"),
    ("deeply-nested-array", b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ("deeply-nested-object", b'{"a":' * 5_000 + b"1" + b"}" * 5_000, "nested too deeply"),
    ("nested-value", obj(sigma=[[[[[[4]]]]]]), "is not a number"),
]


def open_with_scenario() -> AppTest:
    """The Scenario page with a scenario in use (US tariff 30%, from the link)."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params[US] = str(CURRENT)
    at.switch_page(SCENARIO).run()
    assert not at.exception
    assert at.slider(key=US).value == CURRENT
    return at


def surplus_shown(at: AppTest) -> str:
    [metric] = [m for m in at.metric if m.label.startswith("Surplus")]
    return metric.value


def upload(at: AppTest, content: bytes, name: str = "scenario.json") -> AppTest:
    at.file_uploader(key="scenario_upload").upload(name, content, "application/json").run()
    return at


def problems_listed(at: AppTest) -> str:
    [error] = at.error
    return as_drawn(error.value)


@pytest.mark.parametrize(("content", "phrase"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_malformed_file_is_refused_with_its_problem_and_the_scenario_kept(content, phrase):
    at = open_with_scenario()
    before = surplus_shown(at)
    upload(at, content)
    assert not at.exception, at.exception[0].value if at.exception else ""
    listed = problems_listed(at)
    assert phrase in listed
    assert listed.startswith("- "), "the problems are listed, one a line"
    assert len(listed) < 5_000
    assert at.slider(key=US).value == CURRENT
    assert surplus_shown(at) == before


def test_ten_thousand_unknown_keys_are_listed_briefly():
    at = open_with_scenario()
    upload(at, json.dumps({f"k{i}": 1 for i in range(10_000)}).encode())
    assert not at.exception
    listed = problems_listed(at)
    assert "'k0' is not an input of this page" in listed
    assert "more problems" in listed
    assert listed.count("\n") <= 25
    assert at.slider(key=US).value == CURRENT


def test_a_long_text_value_is_cut_in_the_message():
    at = open_with_scenario()
    upload(at, obj(sigma="x" * 150_000))
    assert not at.exception
    listed = problems_listed(at)
    assert "sigma = 'xxx" in listed and len(listed) < 1_000
    assert at.slider(key=US).value == CURRENT


def test_a_bad_file_after_a_good_one_keeps_the_good_one():
    at = open_with_scenario()
    upload(at, Scenario(tariff_united_states=80.0).to_json().encode(), "good.json")
    assert not at.exception and not at.error
    assert at.slider(key=US).value == 80.0
    shown = surplus_shown(at)
    upload(at, b"{oops", "bad.json")
    assert not at.exception
    assert "not valid JSON" in problems_listed(at)
    assert at.slider(key=US).value == 80.0
    assert surplus_shown(at) == shown


def test_a_good_file_with_a_byte_order_mark_loads():
    at = open_with_scenario()
    upload(at, codecs.BOM_UTF8 + obj(tariff_united_states=60.0))
    assert not at.exception and not at.error
    assert at.slider(key=US).value == 60.0


# ----------------------------------------------------------------------------- extremes


def _page_sliders(at: AppTest) -> dict[str, object]:
    return {s.key: s for s in at.slider}


@pytest.mark.parametrize("end", ["min", "max"])
def test_every_slider_at_one_end_at_once_draws_finite_results(end):
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page(SCENARIO).run()
    sliders = _page_sliders(at)
    values = {}
    for key, slider in sliders.items():
        values[key] = getattr(slider, end)
    if end == "max" and "sigma_1" in values and "sigma" in values:
        values["sigma_1"] = min(values["sigma_1"], values["sigma"])  # the model's own rule
    for key, value in values.items():
        at.slider(key=key).set_value(value)
    at.run()
    assert not at.exception, at.exception[0].value if at.exception else ""
    for key, value in values.items():
        assert at.slider(key=key).value == value, key
    assert len(at.get("vega_lite_chart")) >= 3
    assert "nan" not in surplus_shown(at).lower()

    specs = {s.name for s in PARAMETERS}
    scenario = Scenario(**{k: v for k, v in values.items() if k in specs})
    from model import load_baseline

    path = simulate(scenario, load_baseline()).path
    numbers = path.select_dtypes("number").to_numpy().ravel()
    assert all(math.isfinite(x) for x in numbers)


def test_every_slider_at_the_opposite_ends_alternately():
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page(SCENARIO).run()
    for i, slider in enumerate(at.slider):
        slider.set_value(slider.min if i % 2 else slider.max)
    at.run()
    assert not at.exception
    assert len(at.get("vega_lite_chart")) >= 3
