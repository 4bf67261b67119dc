"""The bench's reference pages stay what their figures claim (the bench itself is not timed here).

``bench/reference_app.py`` is Streamlit's floor for the Scenario page only while it
draws the same page; ``bench/minimal_app.py`` must take the same key presses.
"""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.apptest import open_page

BENCH = Path(__file__).resolve().parent.parent / "bench"
US = "tariff_united_states"


def run(script: str) -> AppTest:
    at = AppTest.from_file(str(BENCH / script), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def chart_specs(at: AppTest) -> list[str]:
    return [c.proto.spec for c in at.get("vega_lite_chart")]


def app_us_label() -> str:
    return open_page("pages/1_Scenario.py").slider(key=US).label


def test_the_reference_page_draws_what_the_scenario_page_draws():
    reference, app = run("reference_app.py"), open_page("pages/1_Scenario.py")
    for kind in ("slider", "metric", "selectbox", "checkbox", "toggle", "vega_lite_chart"):
        assert len(reference.get(kind)) == len(app.get(kind)) > 0, kind
    assert [s.label for s in reference.slider] == [s.label for s in app.slider]
    assert [m.label for m in reference.metric] == [m.label for m in app.metric]


def test_a_move_of_the_us_slider_redraws_the_reference_charts():
    at = run("reference_app.py")
    before = chart_specs(at)
    at.slider(key=US).set_value(48.0).run()
    assert not at.exception
    after = chart_specs(at)
    assert len(after) == len(before) == 3
    assert all(a != b for a, b in zip(after, before, strict=True))


def test_the_minimal_app_has_the_us_slider_and_its_chart_follows_it():
    at = run("minimal_app.py")
    [slider] = at.slider
    assert (slider.key, slider.label) == (US, app_us_label())
    [before] = chart_specs(at)
    slider.set_value(60.0).run()
    [after] = chart_specs(at)
    assert after != before
