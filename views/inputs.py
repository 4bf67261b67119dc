"""Scenario inputs: slider settings from the parameter table, and checks of a shared link.

Pure functions: nothing here calls Streamlit. The Scenario page turns each
parameter into a slider with ``slider_settings`` and checks the link it was
opened with using ``check_link``.

Every scenario input is a widget whose ``key`` is the parameter's name and which
is bound to the URL (``bind="query-params"``), so a copied link reopens the same
scenario. Streamlit already ignores a value its widget cannot hold; the model's
own validation decides what else is refused, and ``check_link`` names every
value that the page will not use, so the reader is told rather than silently
given the default.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

#: Query keys Streamlit itself reads; never reported as unknown.
STREAMLIT_KEYS = frozenset({"embed", "embed_options"})


@dataclass(frozen=True)
class SliderSettings:
    """What ``st.slider`` needs for one parameter."""

    key: str
    label: str
    min_value: float | int
    max_value: float | int
    value: float | int
    step: float | int
    format: str
    help: str


def step_of(spec: Any) -> float | int:
    """A slider step that lands on the default and both ends of the range.

    Years step by 1; otherwise the coarsest of 1, 0.5, 0.1, 0.05, 0.01, 0.005, 0.001
    that divides the range into at least 20 steps and hits the default exactly.
    """
    if getattr(spec, "integer", False):
        return 1
    span = float(spec.max) - float(spec.min)
    for step in (1.0, 0.5, 0.1, 0.05, 0.01, 0.005, 0.001):
        if span / step < 20:
            continue
        on_grid = all(
            math.isclose(round(v / step) * step, v, abs_tol=1e-9)
            for v in (float(spec.default), float(spec.min), float(spec.max))
        )
        if on_grid:
            return step
    return 0.001


def number_format(spec: Any, step: float | int) -> str:
    """A printf format for the bare number, as a number box takes it: ``%.1f``, ``%d``."""
    if getattr(spec, "integer", False):
        return "%d"
    decimals = 0 if step >= 1 else max(0, -math.floor(math.log10(step) + 1e-9))
    return f"%.{decimals}f"


def format_of(spec: Any, step: float | int) -> str:
    """A printf format for the slider's value, with its unit."""
    if getattr(spec, "integer", False):
        return "%d"
    unit = str(getattr(spec, "unit", "") or "")
    suffix = {"%": "%%", "% a year": "%% a year"}.get(unit, f" {unit}" if unit else "")
    return number_format(spec, step) + suffix


def unit_words(spec: Any) -> str:
    """The parameter's unit as a number box's label says it: ``in %``, ``in % a year``,
    ``a year``, or ``no unit`` for an elasticity or a share (unit ``""`` in the table)."""
    unit = str(getattr(spec, "unit", "") or "")
    if unit == "year":
        return "a year"
    return f"in {unit}" if unit else "no unit"


def number_box_label(spec: Any, label: str | None = None) -> str:
    """A number box's label: the words, the unit and the range, e.g. "European Union
    (added to today's), in % · 0 to 200%". A box, unlike a slider, shows the bare number."""
    return f"{label or plain_label(spec)[0]}, {unit_words(spec)} · {range_text(spec)}"


def slider_settings(spec: Any, label: str | None = None) -> SliderSettings:
    """The slider of one parameter: its range in the label, the symbol and source as help.

    ``label`` is the words the reader sees (default: ``plain_label(spec)``); the range
    follows it ("European Union: added to today's · 0 to 200%"), so it shows without
    a hover.
    """
    step = step_of(spec)
    number = int if getattr(spec, "integer", False) else float
    source = str(getattr(spec, "source", "") or "")
    words, symbol = plain_label(spec)
    helptext = (
        (f"Symbol {symbol}. " if symbol else "")
        + f"Default {shown_value(spec, spec.default)}"
        + f" (range {shown_value(spec, spec.min)} to {shown_value(spec, spec.max)})."
        + f" Source: {source}"
    )
    return SliderSettings(
        key=spec.name,
        label=f"{label or words} · {range_text(spec)}",
        min_value=number(spec.min),
        max_value=number(spec.max),
        value=number(spec.default),
        step=step,
        format=format_of(spec, step),
        help=helptext,
    )


# A Greek symbol after a word ("elasticity σ"), or a bracket that holds one ("(sets λ = σ1/σ)").
_SYMBOL = re.compile(r"\s*\(([^()]*[\u0370-\u03ff][^()]*)\)|\s+([\u0370-\u03ff][\w\u0370-\u03ff]*)")


def plain_label(spec: Any) -> tuple[str, str]:
    """The parameter's label in words, and its symbols ('' when it has none).

    "Long-run tariff elasticity σ" gives ("Long-run tariff elasticity", "σ"): the
    symbol belongs in the help, beside the source, not in the reader's way.
    """
    label = str(spec.label)
    symbols = [m.group(1) or m.group(2) for m in _SYMBOL.finditer(label)]
    return _SYMBOL.sub("", label).strip(), "; ".join(symbols)


def shown_value(spec: Any, value: float) -> str:
    """A value as the reader sets it, with its unit: ``12.5%``, ``2.6% a year``, ``0.09``."""
    if getattr(spec, "integer", False):
        return str(int(value))
    unit = str(getattr(spec, "unit", "") or "")
    text = f"{float(value):g}"
    if unit.startswith("%"):
        return text + unit
    return f"{text} {unit}".strip()


def range_text(spec: Any) -> str:
    """The range as a label shows it: ``0 to 200%``, ``-10 to 10% a year``, ``2026 to 2040``."""
    unit = str(getattr(spec, "unit", "") or "")
    low = int(spec.min) if getattr(spec, "integer", False) else f"{float(spec.min):g}"
    high = shown_value(spec, spec.max)
    return f"{low} to {high}" if unit != "year" else f"{low} to {int(spec.max)}"


def input_labels(
    specs: Iterable[Any], in_force: Mapping[str, float]
) -> tuple[dict[str, str], dict[str, str]]:
    """Each input's words: short, under its section's heading, and whole, standing alone.

    A tariff says what it is, by the tariff the data has in force for its importer
    (``in_force``: a tariff input's name to the level at the end of the base year, 0
    where the data has none): with one, the input sets the level in force; without,
    the tariff added to the importer's present tariffs, which the model does not hold.
    E.g. short "European Union, added to today's", whole "Tariff on Chinese goods:
    European Union (added to today's)".
    """
    short, whole = {}, {}
    for spec in specs:
        words = plain_label(spec)[0]
        short[spec.name] = whole[spec.name] = words
        if spec.group != "tariff" or getattr(spec, "integer", False):
            continue
        kind = "the level in force" if in_force.get(spec.name, 0.0) > 0 else "added to today's"
        importer = words.split(": ", 1)[1] if ": " in words else words
        short[spec.name] = f"{importer}, {kind}"
        whole[spec.name] = f"{words} ({kind})"
    return short, whole


@dataclass(frozen=True)
class Change:
    """One input that differs from the baseline: its name, words, value and baseline value."""

    name: str
    label: str
    value: str
    baseline: str


def changes(
    values: Mapping[str, float], specs: Iterable[Any], labels: Mapping[str, str] | None = None
) -> list[Change]:
    """Every input whose value differs from its default (the baseline), in the page's order."""
    labels = labels or {}
    out = []
    for spec in specs:
        value = values.get(spec.name, spec.default)
        if math.isclose(float(value), float(spec.default), rel_tol=0, abs_tol=1e-9):
            continue
        out.append(
            Change(
                spec.name,
                labels.get(spec.name, plain_label(spec)[0]),
                shown_value(spec, value),
                shown_value(spec, spec.default),
            )
        )
    return out


def link_query(values: Mapping[str, float], specs: Iterable[Any]) -> str:
    """The query string of a link to this scenario: only the inputs off their defaults.

    A link shared with the default inputs left out is short, and reads as what it changes.
    """
    by_name = {spec.name: spec for spec in specs}
    parts = []
    for change in changes(values, by_name.values()):
        spec, value = by_name[change.name], values[change.name]
        text = str(int(value)) if getattr(spec, "integer", False) else f"{float(value):g}"
        parts.append(f"{change.name}={text}")
    return "&".join(parts)


def parse_number(raw: str) -> float | None:
    """A finite number from URL text, or None (text, NaN, inf, blank)."""
    try:
        value = float(raw.strip())
    except (AttributeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def check_link(
    query: Mapping[str, str | Sequence[str]],
    specs: Iterable[Any],
    validate: Callable[[str, float], str | None] | None = None,
    choices: Mapping[str, Sequence[str]] | None = None,
    flags: Iterable[str] = (),
    other_keys: Iterable[str] = (),
    ranges: Mapping[str, Any] | None = None,
) -> list[str]:
    """Name every value in a link that the page will not use, and why.

    One rule for a key given more than once: the page uses none of its values but
    the default (the message says so), except for a range, which the link gives as
    the key twice (from, then to).

    Parameters
    ----------
    query : the link's query parameters; a key given more than once maps to a list.
    specs : the numeric parameters (``name``, ``label``, ``min``, ``max``,
        ``integer``). A value must be a finite number within the range (and whole
        for a year).
    validate : the model's own check of one value, given (name, value); returns a
        message when the model cannot take it, else None.
    choices : keys whose value must be one of the given labels (a preset, say).
    flags : keys that take ``true`` or ``false`` (checkboxes).
    other_keys : further keys this page or another page reads: not unknown.
    ranges : keys of two-ended sliders, each with a spec as in ``specs``: two values,
        each in the range, the first not after the second.

    Returns
    -------
    One message a problem, in the order of the link, each naming the key and the
    value, and saying that the default is used instead.
    """
    by_name = {spec.name: spec for spec in specs}
    choices = dict(choices or {})
    ranges = dict(ranges or {})
    flags = set(flags)
    known = set(by_name) | set(choices) | flags | set(ranges) | set(other_keys) | STREAMLIT_KEYS
    messages = []
    for key, given in query.items():
        values = [given] if isinstance(given, str) else list(given)
        shown = values[-1] if values else ""
        if key not in known:
            messages.append(
                f"The link has a setting this page does not know, '{_short(key)}' = "
                f"'{_short(shown)}': "
                "it is ignored."
            )
            continue
        if key in STREAMLIT_KEYS or key in other_keys:
            continue
        if key in ranges:
            message = _check_range(ranges[key], values)
            if message:
                messages.append(message)
            continue
        if len(values) > 1:
            messages.append(
                f"'{key}' is given {len(values)} times in the link; its default is used."
            )
            continue
        if key in by_name:
            message = _check_number(by_name[key], shown, validate)
        elif key in choices:
            message = (
                None
                if shown in choices[key]
                else f"'{key}' = '{_short(shown)}' is not one of the choices "
                f"({', '.join(choices[key])}); the default is used."
            )
        else:
            message = (
                None
                if shown.lower() in ("true", "false")
                else f"'{key}' = '{_short(shown)}' is not true or false; the default is used."
            )
        if message:
            messages.append(message)
    return messages


#: Control characters as a message shows them: ``\x0a`` for a line break, say.
_CONTROLS = {code: f"\\x{code:02x}" for code in (*range(32), 127)}


def _short(text: str, limit: int = 60) -> str:
    """Link text as a message repeats it: control characters spelt out, cut to ``limit``
    characters, saying how long."""
    text = text.translate(_CONTROLS)
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text):,} characters)"


def _check_range(spec: Any, values: Sequence[str]) -> str | None:
    label = f"{spec.label} ('{spec.name}')"
    if len(values) != 2:
        return (
            f"{label}: the link gives {len(values)} value{'s' if len(values) != 1 else ''}, "
            "not two (from and to); the default is used."
        )
    for raw in values:
        problem = _check_number(spec, raw, None)
        if problem:
            return problem
    low, high = (parse_number(v) for v in values)
    if low > high:
        return (
            f"{label}: {_short(values[0])} to {_short(values[1])} in the link runs backwards; "
            "the default is used."
        )
    return None


def _check_number(spec: Any, raw: str, validate) -> str | None:
    label = f"{spec.label} ('{spec.name}')"
    value = parse_number(raw)
    raw = _short(raw)
    if value is None:
        return f"{label}: '{raw}' in the link is not a finite number; the default is used."
    if value < float(spec.min) or value > float(spec.max):
        return (
            f"{label}: {raw} in the link is outside the range {float(spec.min):g} to "
            f"{float(spec.max):g}; the default is used."
        )
    if getattr(spec, "integer", False) and value != int(value):
        return f"{label}: {raw} in the link is not a whole year; the default is used."
    if validate is not None:
        problem = validate(spec.name, value)
        if problem:
            return f"{label}: the model cannot take {raw} ({problem}); the default is used."
    return None
