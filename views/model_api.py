"""The model as the pages use it: one place that reads the model's public names.

Validation is always the model's own: a value is good when ``Scenario`` takes it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

import model
from model import PARAMETERS, Scenario, simulate
from views.widgets import Preset

__all__ = [
    "PARAMETERS",
    "Scenario",
    "load_presets",
    "scenario_file_values",
    "sensitivity_ranking",
    "simulate",
    "uncertainty_band",
    "validate_all",
    "validate_one",
]


def validate_one(name: str, value: float) -> str | None:
    """The model's objection to one input (others at their defaults), or None."""
    try:
        Scenario(**{name: value})
    except (ValueError, TypeError) as error:
        return str(error)
    return None


def validate_all(values: Mapping[str, float]) -> list[str]:
    """The model's objection to a combination of inputs, naming the inputs involved.

    Each input is first checked alone; a problem that only the combination has
    (the year-one elasticity above the long-run one, say) names every input its
    message mentions, quoted, so the page can set them back to their defaults.
    """
    try:
        Scenario(**dict(values))
    except (ValueError, TypeError) as error:
        message = str(error)
        named = [k for k in values if _mentions(message, k)]
        return [f"{message} (inputs: {', '.join(repr(k) for k in named)})"]
    return []


def _mentions(message: str, key: str) -> bool:
    import re

    return re.search(rf"(?<![\w]){re.escape(key)}(?![\w])", message) is not None


def load_presets() -> dict[str, Preset]:
    """The model's presets by label, as slider values; {} if the model has none."""
    found = getattr(model, "PRESETS", None)
    if not found:
        return {}
    out = {}
    items = found.items() if isinstance(found, Mapping) else ((p.name, p) for p in found)
    for name, preset in items:
        scenario = getattr(preset, "scenario", None)
        values = scenario.to_dict() if scenario is not None else dict(getattr(preset, "values", {}))
        values.pop("tariff_path", None)
        label = getattr(preset, "label", None) or getattr(preset, "title", None) or str(name)
        out[label] = Preset(
            label=label,
            values=values,
            description=str(getattr(preset, "description", "")),
            source=str(getattr(preset, "source", "")),
        )
    return out


def uncertainty_band(scenario: Scenario, baseline, column: str) -> pd.DataFrame | None:
    """Year, low, high of ``column`` across the model's parameter draws (None: no function)."""
    function = getattr(model, "uncertainty", None)
    if function is None:
        return None
    bands = function(scenario, baseline=baseline)
    return bands


def sensitivity_ranking(scenario: Scenario, baseline, year: int) -> pd.DataFrame | None:
    """Parameter, low, high: the outcome's change at each end of each range (None: no function)."""
    function = getattr(model, "sensitivity", None)
    if function is None:
        return None
    return function(scenario, baseline=baseline, year=year)


def scenario_file_values(raw: bytes, specs: Mapping[str, Any]) -> tuple[dict, list[str]]:
    """The inputs in a scenario file, and every problem with it.

    Every key is checked (not just the first bad one), each by the model's own
    validation; then the combination. Per-year tariff paths cannot be set with the
    page's sliders and are refused.
    """
    if len(raw) > 200_000:
        return {}, ["the file is larger than 200 kB; a scenario file is a few kB"]
    try:
        data = json.loads(raw.decode("utf-8-sig"), parse_constant=_refuse_constant)
    except UnicodeDecodeError:
        return {}, ["the file is not UTF-8 text"]
    except ValueError as error:
        return {}, [f"not valid JSON: {error}"]
    if not isinstance(data, dict):
        return {}, [f"a scenario file holds a JSON object, not {type(data).__name__}"]
    problems, values = [], {}
    for key, value in data.items():
        if key == "tariff_path":
            if value not in ({}, [], None, ()):
                problems.append(
                    "tariff_path: per-year tariff paths cannot be set on this page; "
                    "remove them or set the levels with the sliders"
                )
            continue
        if key not in specs:
            field = Scenario.__dataclass_fields__.get(key)
            if field is not None and value == field.default:
                continue  # an input of a region not in the data, at its default
            problems.append(
                f"'{key}' is not an input of this page"
                + (" (its region is not in the data, so it would have no effect)" if field else "")
            )
            continue
        problem = validate_one(key, value)
        if problem:
            problems.append(problem)
        else:
            number = float(value)
            values[key] = int(number) if getattr(specs[key], "integer", False) else number
    if not problems:
        full = {k: s.default for k, s in specs.items()} | values
        problems += validate_all(full)
    return values, problems


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number a scenario can hold")


_ = math
