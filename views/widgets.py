"""Scenario widgets: sliders bound to the URL, presets, reset, and a link's check.

This module turns widgets into scenario values and nothing else. Every input's
``key`` is the parameter's name and is bound to the URL, so the page's link is
the scenario. Values are only ever changed through ``st.session_state`` (in a
callback, or before the widgets of the next run), never by writing the URL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st

from views.inputs import check_link, number_box_label, number_format, slider_settings
from views.text import plain

PRESET_KEY = "preset"
CUSTOM = "Custom"
LINK_WARNINGS = "scenario_link_warnings"
LINK_CHECKED = "scenario_link_checked"
PENDING = "scenario_pending_values"
PENDING_NEXT = "scenario_pending_next"
CURRENT_SCENARIO = "scenario_current"
SAVED_SCENARIOS = "scenarios_saved"


@dataclass(frozen=True)
class Preset:
    """A named set of inputs from a real event, with what it is and where it comes from."""

    label: str
    values: Mapping[str, Any]
    description: str
    source: str


def apply_pending() -> None:
    """Put values scheduled by the last run into the widgets, before they are drawn."""
    pending = st.session_state.pop(PENDING, None)
    for key, value in (pending or {}).items():
        st.session_state[key] = value


def schedule(values: Mapping[str, Any]) -> None:
    """Give these widgets these values on the next run (see ``rerun_if_scheduled``)."""
    current = dict(st.session_state.get(PENDING_NEXT, {}))
    current.update(values)
    st.session_state[PENDING_NEXT] = current


def rerun_if_scheduled() -> None:
    """At the end of a run: rerun once if values were scheduled, so they take effect."""
    scheduled = st.session_state.pop(PENDING_NEXT, None)
    if scheduled:
        st.session_state[PENDING] = scheduled
        st.rerun()


def _inputs_changed() -> None:
    st.session_state.pop(LINK_WARNINGS, None)


def scenario_slider(spec: Any, label: str | None = None) -> float | int:
    """One parameter as a slider bound to the URL under the parameter's name."""
    s = slider_settings(spec, label)
    return st.slider(
        s.label,
        min_value=s.min_value,
        max_value=s.max_value,
        value=s.value,
        step=s.step,
        format=s.format,
        key=s.key,
        help=s.help,
        on_change=_inputs_changed,
        bind="query-params",
    )


EXACT_INPUT, EXACT_VALUE = "exact_input", "exact_value"


def _set_exact_value() -> None:
    name = st.session_state.get(EXACT_INPUT)
    if name is not None and st.session_state.get(EXACT_VALUE) is not None:
        st.session_state[name] = st.session_state[EXACT_VALUE]
        _inputs_changed()


def exact_value_box(specs: Iterable[Any], labels: Mapping[str, str]) -> None:
    """One box to type any input's exact value: choose the input, type the number.

    One number box for every input rather than one beside each slider, which would
    double the widgets the page draws. The box shows the chosen input's value; what is
    typed goes to that input's slider (and so to the link) before the sliders are drawn.
    """
    by_name = {spec.name: spec for spec in specs}
    name = st.selectbox(
        "Type an exact value for",
        list(by_name),
        index=None,
        format_func=lambda n: labels.get(n, n),
        placeholder="Choose an input (type to search)",
        key=EXACT_INPUT,
    )
    if name not in by_name:
        return
    spec = by_name[name]
    s = slider_settings(spec, labels.get(name))
    st.session_state[EXACT_VALUE] = st.session_state.get(name, s.value)
    st.number_input(
        number_box_label(spec, labels.get(name)),
        min_value=s.min_value,
        max_value=s.max_value,
        step=s.step,
        format=number_format(spec, s.step),
        key=EXACT_VALUE,
        help=s.help,
        on_change=_set_exact_value,
    )


def check_opening_link(
    specs: Iterable[Any],
    presets: Mapping[str, Preset],
    validate: Callable[[str, float], str | None],
    validate_all: Callable[[Mapping[str, float]], list[str]],
    flags: Iterable[str] = (),
    other_keys: Iterable[str] = (),
) -> None:
    """On the session's first run of the page, check the link it was opened with.

    Each value the page will not use is named in a warning (kept until an input
    changes) and, where Streamlit would otherwise take it, its widget is set back
    to the default on the next run. A preset named in the link whose inputs are not
    all in the link fills in the rest, so a hand-written ``?preset=...`` link opens
    that preset.
    """
    if st.session_state.get(LINK_CHECKED):
        return
    st.session_state[LINK_CHECKED] = True
    specs = list(specs)
    by_name = {spec.name: spec for spec in specs}
    query = {key: st.query_params.get_all(key) for key in st.query_params}
    query = {key: values[0] if len(values) == 1 else values for key, values in query.items()}
    messages = check_link(
        query,
        specs,
        validate=validate,
        choices={PRESET_KEY: [CUSTOM, *presets]},
        flags=flags,
        other_keys=other_keys,
    )
    bad = {key for key in query if any(f"'{key}'" in m for m in messages)}
    good = {
        key: float(query[key])
        for key in query
        if key in by_name and key not in bad and isinstance(query[key], str)
    }
    for message in validate_all(good):
        messages.append(message)
        bad |= {key for key in good if f"'{key}'" in message}
    resets = {key: by_name[key].default for key in bad if key in by_name}
    # Streamlit itself takes the last of a repeated choice or flag: set back here, so
    # the page does what the note says.
    resets |= {key: CUSTOM for key in bad if key == PRESET_KEY}
    resets |= {key: False for key in bad if key in set(flags)}
    preset = query.get(PRESET_KEY)
    if isinstance(preset, str) and preset in presets:
        for key, value in presets[preset].values.items():
            if key in by_name and key not in query:
                resets[key] = value
    if messages:
        st.session_state[LINK_WARNINGS] = messages
    if resets:
        schedule(resets)


def link_query() -> dict[str, str | list[str]]:
    """The link's parameters: a key given once maps to its value, more often to the list."""
    query = {key: st.query_params.get_all(key) for key in st.query_params}
    return {key: values[0] if len(values) == 1 else values for key, values in query.items()}


def check_page_link(
    page: str,
    defaults: Mapping[str, Any],
    specs: Iterable[Any] = (),
    choices: Mapping[str, Any] | None = None,
    flags: Iterable[str] = (),
    ranges: Mapping[str, Any] | None = None,
) -> None:
    """On the page's first run in the session, check the link's values of its widgets.

    ``defaults`` maps every key the page binds to its widget's default. Each value the
    page will not use is named in a warning (see ``show_link_warnings``), and its
    widget is set back to the default on the next run: call ``apply_pending`` before
    this and ``rerun_if_scheduled`` once the widgets are drawn (a widget seeded from
    the link on its first run takes no other value in that run).
    """
    checked = f"{page}_link_checked"
    if st.session_state.get(checked):
        return
    st.session_state[checked] = True
    query = {key: value for key, value in link_query().items() if key in defaults}
    messages = check_link(query, specs, choices=choices, flags=flags, ranges=ranges)
    bad = {key for key in query if any(f"'{key}'" in m for m in messages)}
    if messages:
        st.session_state[f"{page}_link_warnings"] = messages
    if bad:
        schedule({key: defaults[key] for key in bad})


def dropped_link_note() -> str | None:
    """Why the link's settings were all left unread, when Streamlit dropped them (else None).

    Streamlit reads no parameter of a link with more than 1,000 parameters or
    524,288 characters after the ``?``; the page then opens at its defaults, and
    this says so. The link as the browser sent it is the run's ``query_string``.
    """
    from streamlit.runtime.scriptrunner import get_script_run_ctx
    from streamlit.runtime.state.query_params import (
        CLIENT_STATE_QUERY_STRING_MAX_FIELDS,
        CLIENT_STATE_QUERY_STRING_MAX_LENGTH,
        sanitize_query_string,
    )

    context = get_script_run_ctx()
    raw = getattr(context, "query_string", "") or ""
    if not raw or sanitize_query_string(raw):
        return None
    return (
        f"This link was not read: it has {raw.count('&') + 1:,} settings and "
        f"{len(raw):,} characters after the '?', more than the app reads "
        f"({CLIENT_STATE_QUERY_STRING_MAX_FIELDS:,} settings, "
        f"{CLIENT_STATE_QUERY_STRING_MAX_LENGTH:,} characters). The page opens with "
        "its defaults."
    )


def forget_link_warnings(page: str) -> None:
    """Callback of an input: the link's warnings of ``page`` are no longer about it."""
    st.session_state.pop(f"{page}_link_warnings", None)


def show_link_warnings(page: str = "scenario") -> None:
    """The link's problems, one warning, each value named."""
    messages = st.session_state.get(f"{page}_link_warnings")
    if messages:
        st.warning(
            "\n".join(f"- {plain(m)}" for m in messages),
            title="Some values in the link were not used",
            icon=":material/link_off:",
        )


def apply_preset(presets: Mapping[str, Preset], defaults: Mapping[str, Any]) -> None:
    """Callback of the preset box: every input to the preset's value (or its default)."""
    label = st.session_state.get(PRESET_KEY)
    if label not in presets:
        return
    values = dict(defaults)
    values.update({k: v for k, v in presets[label].values.items() if k in defaults})
    for key, value in values.items():
        st.session_state[key] = value
    _inputs_changed()


def reset(defaults: Mapping[str, Any], default_preset: str) -> None:
    """Callback of the reset button: every input and the preset back to the defaults."""
    for key, value in defaults.items():
        st.session_state[key] = value
    st.session_state[PRESET_KEY] = default_preset
    _inputs_changed()
