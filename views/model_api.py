"""The model as the pages use it: one place that reads the model's public names.

Validation is always the model's own: a value is good when ``Scenario`` takes it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

import pandas as pd

from model import PARAMETERS, PRESETS, SLUGS, Scenario, sensitivity, simulate, uncertainty
from model.presets import LABELS as PRESET_LABELS
from model.presets import SHARE_2030_TARGET, SHARE_SOURCE
from model.scenario import json_kind, read_scenario_json, shown_value
from views.widgets import Preset

__all__ = [
    "PARAMETERS",
    "Scenario",
    "load_presets",
    "not_a_missing_region",
    "scenario_file_values",
    "sensitivity_ranking",
    "share_projection",
    "simulate",
    "uncertainty_band",
    "validate_all",
    "validate_one",
]


def not_a_missing_region(name: str, modelled) -> bool:
    """False for an input of a region the base year does not model (it would do nothing)."""
    for prefix in ("tariff_", "growth_"):
        if name.startswith(prefix):
            slug = name[len(prefix) :]
            return slug not in SLUGS.values() or slug in set(modelled)
    return True


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
    return re.search(rf"(?<![\w]){re.escape(key)}(?![\w])", message) is not None


class _PresetsByLabel(Mapping):
    """The model's presets by label, as slider values, each built when first read.

    Listing the labels (the preset box, a link's check) builds nothing; one preset
    solves the model with scipy, and its import alone takes about half a second.
    """

    def __init__(self) -> None:
        self._names = {label: name for name, label in PRESET_LABELS.items()}

    def __getitem__(self, label: str) -> Preset:
        preset = PRESETS[self._names[label]]
        values = preset.scenario.to_dict()
        values.pop("tariff_path", None)
        return Preset(label, values, preset.description, preset.source)

    def __contains__(self, label: object) -> bool:
        return label in self._names

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


def load_presets() -> Mapping[str, Preset]:
    """The model's presets by label, as slider values (each built on first use)."""
    return _PresetsByLabel()


def share_projection() -> dict:
    """The published 2030 world-share projection marked on the share chart; ``by`` names
    who published it (the source's first words, "Morgan Stanley projects ...")."""
    by, said, _ = SHARE_SOURCE.partition(" projects ")
    return {
        "year": 2030,
        "value": SHARE_2030_TARGET,
        "label": f"{SHARE_2030_TARGET:g}% by 2030 (projection)",
        "source": SHARE_SOURCE,
        "by": by if said else "a published projection",
    }


BAND_DRAWS = 4000


def uncertainty_band(scenario: Scenario, baseline, column: str) -> pd.DataFrame:
    """Year, low, high, label: the 5th to 95th percentile of ``column`` over draws of the
    behavioural parameters."""
    bands = uncertainty(scenario, n=BAND_DRAWS, seed=0, percentiles=(5, 50, 95), baseline=baseline)
    rows = bands[bands["series"] == column]
    return pd.DataFrame(
        {
            "year": rows["year"].astype(int),
            "low": rows["p5"],
            "high": rows["p95"],
            "label": f"5th to 95th percentile of {BAND_DRAWS:,} draws",
        }
    ).reset_index(drop=True)


def sensitivity_ranking(
    scenario: Scenario, baseline, year: int, top: int = 12, labels: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Parameter, low, high, range: the outcome's change from the scenario's value with
    each input at the bottom and top of its range; the ``top`` widest swings. Each input
    is named by ``labels`` (by name) where given, else by its label."""
    table = sensitivity(scenario, year=year, output="balance_usd_bn", baseline=baseline)
    central = simulate(scenario, baseline).value("balance_usd_bn", year)
    table = table.head(top)
    return pd.DataFrame(
        {
            "parameter": [
                (labels or {}).get(name, label)
                for name, label in zip(table["input"], table["label"], strict=True)
            ],
            "low": table["at_low"] - central,
            "high": table["at_high"] - central,
            "range": [
                f"{lo:g} to {hi:g}" for lo, hi in zip(table["low"], table["high"], strict=True)
            ],
        }
    )


def scenario_file_values(raw: bytes, specs: Mapping[str, Any]) -> tuple[dict, list[str]]:
    """The inputs in a scenario file, and every problem with it.

    Every key is checked (not just the first bad one), each by the model's own
    validation; then the combination. Per-year tariff paths cannot be set with the
    page's sliders and are refused.
    """
    try:
        data = read_scenario_json(raw)
    except ValueError as error:
        return {}, [str(error)]
    if not isinstance(data, dict):
        return {}, [f"a scenario file holds a JSON object, not {json_kind(data)}"]
    problems, values = [], {}
    for key, value in data.items():
        if key == "tariff_path":
            if value not in ({}, [], None, ()):
                problems.append(
                    "tariff_path: per-year tariff paths cannot be set on this page; "
                    "remove them or set the levels with the sliders"
                )
            continue
        if key == "tariff_steps":
            try:
                values[key] = Scenario(tariff_steps=value).to_dict()[key]
            except ValueError as error:
                problems.append(str(error))
            continue
        if key not in specs:
            field = Scenario.__dataclass_fields__.get(key)
            if field is not None and value == field.default:
                continue  # an input of a region not in the data, at its default
            problems.append(
                f"{shown_value(key)} is not an input of this page"
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
        full.pop("tariff_steps", None)
        problems += validate_all(full)
    return values, _listable(problems)


def _listable(problems: list[str], most: int = 20, width: int = 300) -> list[str]:
    """Problems a reader can scan: each cut to ``width`` characters, at most ``most`` listed."""
    cut = [p if len(p) <= width else f"{p[:width]}... ({len(p):,} characters)" for p in problems]
    if len(cut) > most:
        cut = [*cut[:most], f"... and {len(cut) - most:,} more problems"]
    return cut
