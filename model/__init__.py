"""China's trade surplus under scenarios: a model of the markets China sells to.

Pure Python (numpy, pandas, scipy); nothing here imports Streamlit.

Public API
----------
Scenario(**inputs)                      validated, frozen inputs; .to_json() / .from_json()
PARAMETERS, parameter_table()           every input: default, range, unit, source
simulate(scenario, baseline=None)       -> Result: .path (one row a year), .decomposition
                                           (lost US sales), .us_market_gains(year)
PRESETS[name] / build_presets()         scenarios from real events (.scenario, .description)
backtest(start_year, ...)               -> BacktestResult: .table, .naive, .metrics, .inputs
calibrate(window, ...)                  -> CalibrationResult: .estimates, .errors, .scenario
uncertainty(scenario, n=10_000, ...)    -> percentile bands per year (long DataFrame)
sensitivity(scenario, year=2030, ...)   -> inputs ranked by the swing of one outcome
load_baseline(), baseline_from_actuals(actuals, year)   base-year state from the data

The equations are in :mod:`model.engine`; the methodology in docs/methodology.md.
"""

from model.backtest import BacktestResult, backtest
from model.baseline import Baseline, baseline_from_actuals, load_baseline
from model.calibrate import CalibrationResult, calibrate
from model.params import PARAMETERS, SLUGS, SPECS, ParamSpec, parameter_table
from model.presets import PRESETS, Preset, build_presets
from model.scenario import Scenario
from model.simulate import Result, simulate
from model.uncertainty import sensitivity, uncertainty

__all__ = [
    "PARAMETERS",
    "PRESETS",
    "SLUGS",
    "SPECS",
    "BacktestResult",
    "Baseline",
    "CalibrationResult",
    "ParamSpec",
    "Preset",
    "Result",
    "Scenario",
    "backtest",
    "baseline_from_actuals",
    "build_presets",
    "calibrate",
    "load_baseline",
    "parameter_table",
    "sensitivity",
    "simulate",
    "uncertainty",
]
