"""Slider settings and the check of a shared link (pure, no Streamlit)."""

from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from views.inputs import check_link, format_of, parse_number, slider_settings, step_of


@dataclass(frozen=True)
class Spec:
    name: str
    label: str
    default: float
    min: float
    max: float
    unit: str = "%"
    source: str = "a source"
    integer: bool = False


US = Spec("tariff_united_states", "US tariff", 47.5, 0.0, 200.0)
YEAR = Spec("end_year", "Last year", 2035, 2026, 2040, unit="year", integer=True)
MU = Spec("mu", "Import content", 0.172, 0.0, 0.5, unit="")


def test_steps_land_on_the_default_and_the_ends():
    assert step_of(US) == 0.5
    assert step_of(YEAR) == 1
    assert step_of(MU) == 0.001
    assert step_of(Spec("g", "growth", 2.4, -10.0, 10.0)) == 0.1


def test_slider_settings_carry_the_source_and_unit():
    settings = slider_settings(US)
    assert (settings.min_value, settings.max_value, settings.value) == (0.0, 200.0, 47.5)
    assert settings.format == "%.1f%%"
    assert "Source: a source" in settings.help
    assert slider_settings(YEAR).format == "%d"
    assert format_of(MU, 0.001) == "%.3f"


@pytest.mark.parametrize("raw", ["abc", "nan", "NaN", "inf", "-inf", "", " ", "1,5"])
def test_text_nan_inf_and_blank_are_not_numbers(raw):
    assert parse_number(raw) is None


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_every_finite_float_survives_the_url(value):
    assert parse_number(repr(value)) == value


def test_a_clean_link_has_no_messages():
    query = {"tariff_united_states": "60", "end_year": "2030", "band": "true"}
    assert check_link(query, [US, YEAR], flags=["band"]) == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"tariff_united_states": "abc"}, "'abc' in the link is not a finite number"),
        ({"tariff_united_states": "nan"}, "not a finite number"),
        ({"tariff_united_states": "250"}, "outside the range 0 to 200"),
        ({"end_year": "2030.5"}, "not a whole year"),
        ({"tariff_united_states": ["1", "2"]}, "given 2 times"),
        ({"colour": "red"}, "does not know, 'colour'"),
        ({"band": "maybe"}, "'band' = 'maybe' is not true or false"),
        ({"preset": "Nope"}, "'preset' = 'Nope' is not one of the choices"),
    ],
)
def test_each_bad_value_is_named(query, expected):
    [message] = check_link(query, [US, YEAR], choices={"preset": ["A", "B"]}, flags=["band"])
    assert expected in message


def test_the_models_own_objection_is_passed_on():
    def validate(name, value):
        return "not on a Tuesday" if value == 60 else None

    [message] = check_link({"tariff_united_states": "60"}, [US], validate=validate)
    assert "the model cannot take 60 (not on a Tuesday)" in message


def test_streamlit_and_other_page_keys_are_not_unknown():
    assert check_link({"embed": "true", "data_table": "x"}, [US], other_keys=["data_table"]) == []
