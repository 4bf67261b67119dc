"""Dated tariff steps on the Scenario page: from the link, a preset or a file, kept in
the session and written back to the link (key ``tariff_steps``, form ``key:date:level``
joined by ``;``; see :func:`model.scenario.steps_from_text`)."""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping

import streamlit as st

from model.params import REGION_OF_SLUG
from model.scenario import Scenario, steps_from_text, steps_to_text
from views.inputs import Change
from views.text import plain

STEPS_KEY = "tariff_steps"
_STATE = "scenario_tariff_steps"
_WARNING = "scenario_tariff_steps_warning"


def default_steps() -> dict:
    """The default scenario's steps: the policy as it happened."""
    return Scenario().to_dict()[STEPS_KEY]


def session_steps() -> dict:
    """The steps of this session's scenario; on its first run, those of the link (checked
    by the model; a bad value leaves the default steps and a warning)."""
    if _STATE not in st.session_state:
        steps = default_steps()
        if STEPS_KEY in st.query_params:
            text = st.query_params.get(STEPS_KEY, "")
            try:
                steps = Scenario(tariff_steps=steps_from_text(text)).to_dict()[STEPS_KEY]
            except ValueError as error:
                st.session_state[_WARNING] = str(error)
        st.session_state[_STATE] = steps
    return st.session_state[_STATE]


def set_steps(steps: Mapping | None) -> None:
    """Give the session's scenario these steps (None: the default ones)."""
    st.session_state[_STATE] = default_steps() if steps is None else dict(steps)
    st.session_state.pop(_WARNING, None)


def keep_in_link(scenario: Scenario) -> None:
    """Write the scenario's steps to the link; a link without the key means the default."""
    text = steps_to_text(scenario)
    if text == steps_to_text(Scenario()):
        if STEPS_KEY in st.query_params:
            del st.query_params[STEPS_KEY]
    elif st.query_params.get(STEPS_KEY) != text:
        st.query_params[STEPS_KEY] = text


def steps_in_words(scenario: Scenario) -> str:
    """The scenario's dated steps, one phrase a region ("none" without steps)."""
    lines = [
        f"{REGION_OF_SLUG.get(key, 'China on US goods')}: "
        + ", ".join(f"{level:g}% from {when}" for when, level in items)
        for key, items in scenario.tariff_steps
    ]
    return "; ".join(lines) if lines else "none"


def steps_change(scenario: Scenario) -> Change | None:
    """The dated steps as one entry of the changes list, when they differ from the
    baseline's (the policy as it happened); else None."""
    if steps_to_text(scenario) == steps_to_text(Scenario()):
        return None
    return Change(
        STEPS_KEY, "Dated tariff steps", steps_in_words(scenario), steps_in_words(Scenario())
    )


def steps_query(scenario: Scenario) -> str:
    """The link's ``tariff_steps=...`` part when the steps differ from the baseline's."""
    if steps_change(scenario) is None:
        return ""
    return urllib.parse.urlencode({STEPS_KEY: steps_to_text(scenario)})


def show_steps(scenario: Scenario) -> None:
    """The dated steps in force in the scenario, one line a region; the link's problem."""
    problem = st.session_state.get(_WARNING)
    if problem:
        st.warning(
            f"The dated tariff steps in the link were not used: {plain(problem)}. "
            "The steps as they happened are used.",
            icon=":material/link_off:",
        )
    st.caption(
        "Dated steps (they decide their year; the sliders the years after): "
        + steps_in_words(scenario)
    )
