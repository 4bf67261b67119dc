"""The bench's reference pages stay what their figures claim (the bench itself is not timed here).

``bench/reference_app.py`` is Streamlit's floor for the Scenario page only while it
draws the same page; ``bench/minimal_app.py`` must take the same key presses.
"""

import itertools
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


def slider_settings(slider) -> tuple:
    return slider.key, slider.label, slider.min, slider.max, slider.value, slider.step


def test_the_reference_page_draws_what_the_scenario_page_draws():
    reference, app = run("reference_app.py"), open_page("pages/1_Scenario.py")
    for kind in ("slider", "metric", "selectbox", "checkbox", "toggle", "vega_lite_chart"):
        assert len(reference.get(kind)) == len(app.get(kind)) > 0, kind
    assert [s.label for s in reference.slider] == [s.label for s in app.slider]
    assert [m.label for m in reference.metric] == [m.label for m in app.metric]


def test_every_step_of_the_us_slider_redraws_the_reference_charts():
    """As the bench moves it: one step off the default, then a step on and back. Every
    move must change every chart, not only the first move off the default (which adds
    the baseline to the charts whatever the figures)."""
    at = run("reference_app.py")
    start, step = at.slider(key=US).value, at.slider(key=US).step
    specs = [chart_specs(at)]
    for value in (start + step, start + 2 * step, start + step):
        at.slider(key=US).set_value(value).run()
        assert not at.exception
        specs.append(chart_specs(at))
    for before, after in itertools.pairwise(specs):
        assert len(after) == len(before) == 3
        assert all(a != b for a, b in zip(after, before, strict=True))


def test_the_minimal_app_has_the_us_slider_and_its_chart_follows_it():
    at = run("minimal_app.py")
    [slider] = at.slider
    app_slider = open_page("pages/1_Scenario.py").slider(key=US)
    assert slider_settings(slider) == slider_settings(app_slider)
    [before] = chart_specs(at)
    slider.set_value(slider.value + slider.step).run()
    [after] = chart_specs(at)
    assert after != before


def test_a_new_bench_table_keeps_the_sections_other_scripts_appended(tmp_path):
    from bench.bench_app import appended_sections

    results = tmp_path / "results.md"
    assert appended_sections(results) == ""
    results.write_text(
        "# Bench results\n\n| old table |\n\n## Model (bench/bench_model.py)\n\n```\nold\n```\n\n"
        "## Load test (bench/load_test.py), 2026-12-01\n\nfigures\n\n"
        "## Nine tasks (bench/nine_tasks.py), 2026-12-02\n\n| task |\n"
    )
    kept = appended_sections(results)
    assert kept == (
        "\n## Load test (bench/load_test.py), 2026-12-01\n\nfigures\n"
        "\n## Nine tasks (bench/nine_tasks.py), 2026-12-02\n\n| task |\n"
    )
