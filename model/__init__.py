"""China's trade surplus under scenarios: an export-demand model.

Public API::

    Scenario                     validated, frozen inputs (to_json / from_json)
    PARAMETERS, parameter_table  every input's default, range, unit and source
    simulate(scenario)           -> Result (.path, .decomposition)
    load_baseline()              base year from data/ (cached)

Pure Python (numpy, pandas, scipy): no Streamlit here.
"""

from model.baseline import Baseline, baseline_from_actuals, load_baseline
from model.params import PARAMETERS, SLUGS, ParamSpec, parameter_table
from model.scenario import Scenario
from model.simulate import Result, simulate

__all__ = [
    "PARAMETERS",
    "SLUGS",
    "Baseline",
    "ParamSpec",
    "Result",
    "Scenario",
    "baseline_from_actuals",
    "load_baseline",
    "parameter_table",
    "simulate",
]
