"""The Scenario page with the app's own work taken out: Streamlit's cost of drawing it.

This runs the Scenario page's own code (``pages/1_Scenario.py``), so it has the same
widgets, text, metrics and charts, drawn by the same builders from ``views.charts``;
but everything the app computes is replaced by figures computed once per process
(``st.cache_resource``) for two scenarios, taken in turn as the US tariff slider
moves (so the charts change and are redrawn): the data in use, the base year,
the simulation, the model's validation, the presets, and the frames the charts are
drawn from. What is left is what Streamlit (and Altair) cost for this page.

The replacements are made for the duration of one run and undone after it, so an
app run in the same process (AppTest) is untouched. Page links point to the pages
of the app; run from ``bench/`` they would not resolve, so they are drawn as links
to addresses with the same labels.
"""

import contextlib
import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "pages" / "1_Scenario.py"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import model  # noqa: E402
import views.model_api as model_api  # noqa: E402
import views.results as results  # noqa: E402
import views.state as state  # noqa: E402
from model.data import load_actuals  # noqa: E402
from views.inputs import step_of  # noqa: E402


@st.cache_resource(show_spinner=False)
def precomputed() -> list[dict]:
    """Two scenarios' figures (US tariff 47.5% and 60%), so a slider move redraws the charts."""
    data = load_actuals()
    base = model.baseline_from_actuals(data)
    presets = model_api.load_presets()
    variants = []
    for tariff in (47.5, 60.0):
        result = model.simulate(model.Scenario(tariff_united_states=tariff), base)
        path, since = result.path, base.year - 10
        variants.append(
            {
                "data": data,
                "base": base,
                "result": result,
                "presets": presets,
                "avs": {
                    column: results.actual_vs_simulated(data.annual[column], path, column, since)
                    for column in ("balance_usd_bn", "world_share_pct")
                },
                "destinations": results.destinations(
                    data.by_region,
                    path,
                    base.regions,
                    base.slugs,
                    data.annual["exports_usd_bn"],
                    since,
                ),
            }
        )
    return variants


@st.cache_resource(show_spinner=False)
def page_code():
    """The Scenario page compiled once, as a server compiles a page once."""
    return compile(PAGE.read_text(encoding="utf-8"), str(PAGE), "exec")


@contextlib.contextmanager
def replaced(target, **values):
    old = {name: getattr(target, name) for name in values}
    for name, value in values.items():
        setattr(target, name, value)
    try:
        yield
    finally:
        for name, value in old.items():
            setattr(target, name, value)


def _external_link(page_link):
    def link(page, *args, label=None, **kwargs):
        if isinstance(page, str) and page.endswith(".py"):
            page = f"https://example.invalid/{label or Path(page).stem}"
        return page_link(page, *args, label=label, **kwargs)

    return link


# Each step of the US tariff slider switches between the two scenarios (the step is the
# slider's own: one point since the default is 33%, where a half-point step of 47.5%
# once was assumed here, and every press landed on the same scenario, never redrawn).
US = next(spec for spec in model_api.PARAMETERS if spec.name == "tariff_united_states")
step = round(float(st.session_state.get(US.name, US.default)) / step_of(US))
pre = precomputed()[step % 2]
with contextlib.ExitStack() as stack:
    stack.enter_context(replaced(state, actuals=lambda: pre["data"], baseline=lambda: pre["base"]))
    stack.enter_context(
        replaced(
            model_api,
            simulate=lambda scenario, base: pre["result"],
            validate_all=lambda values: [],
            validate_one=lambda name, value: None,
            load_presets=lambda: pre["presets"],
        )
    )
    stack.enter_context(
        replaced(
            results,
            actual_vs_simulated=lambda actual, path, column, since=None: pre["avs"][column],
            destinations=lambda *args, **kwargs: pre["destinations"],
        )
    )
    stack.enter_context(replaced(st, page_link=_external_link(st.page_link)))
    exec(page_code(), {"__name__": "__main__", "__file__": str(PAGE)})
