"""Slider settings and the check of a shared link (pure, no Streamlit)."""

from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from views.inputs import (
    changes,
    check_link,
    format_of,
    input_labels,
    link_query,
    number_box_label,
    number_format,
    parse_number,
    plain_label,
    slider_settings,
    step_of,
)


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
    group: str = "tariff"


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


def test_a_number_box_says_its_unit_and_takes_the_bare_number():
    assert number_box_label(US, "European Union (added to today's)") == (
        "European Union (added to today's), in % · 0 to 200%"
    )
    growth = Spec("growth_asean", "Real demand growth: ASEAN", 4.0, -10.0, 10.0, "% a year")
    assert number_box_label(growth) == "Real demand growth: ASEAN, in % a year · -10 to 10% a year"
    assert number_box_label(MU) == "Import content, no unit · 0 to 0.5"
    assert number_box_label(YEAR) == "Last year, a year · 2026 to 2040"
    assert (number_format(US, 0.5), number_format(MU, 0.001), number_format(YEAR, 1)) == (
        "%.1f",
        "%.3f",
        "%d",
    )


def test_every_parameter_s_number_box_names_the_unit_of_the_parameter_table():
    from model.params import PARAMETERS

    for spec in PARAMETERS:
        label = number_box_label(spec)
        if spec.unit in ("%", "% a year"):
            assert f", in {spec.unit} · " in label, label
        # A number box shows nothing but the number (Streamlit's rule for its format).
        shown = number_format(spec, step_of(spec)) % spec.default
        assert float(shown) == pytest.approx(spec.default, abs=step_of(spec)), shown


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


def test_a_label_keeps_its_words_and_gives_its_symbol_to_the_help():
    sigma = Spec("sigma", "Long-run tariff elasticity σ", 3.5, 2.5, 6.0, unit="", group="x")
    lam = Spec("sigma_1", "Year-one tariff elasticity (sets λ = σ1/σ)", 1.4, 0.76, 3.0, unit="")
    assert plain_label(sigma) == ("Long-run tariff elasticity", "σ")
    assert plain_label(lam) == ("Year-one tariff elasticity", "sets λ = σ1/σ")
    settings = slider_settings(sigma)
    assert settings.label == "Long-run tariff elasticity · 2.5 to 6"
    assert settings.help.startswith("Symbol σ. Default 3.5 (range 2.5 to 6).")


def test_the_range_shows_in_the_label_with_its_unit():
    assert slider_settings(US).label == "US tariff · 0 to 200%"
    assert slider_settings(YEAR).label == "Last year · 2026 to 2040"
    growth = Spec("growth_asean", "Growth", 4.2, -10.0, 10.0, unit="% a year", group="demand")
    assert slider_settings(growth).label == "Growth · -10 to 10% a year"


def test_a_tariff_is_named_the_level_in_force_only_where_the_data_has_one():
    us = Spec("tariff_united_states", "Tariff on Chinese goods: United States", 47.5, 0, 200)
    eu = Spec("tariff_european_union", "Tariff on Chinese goods: European Union", 0.0, 0, 200)
    short, whole = input_labels([us, eu], {"tariff_united_states": 47.5})
    assert short == {
        "tariff_united_states": "United States, the level in force",
        "tariff_european_union": "European Union, added to today's",
    }
    assert whole["tariff_european_union"] == (
        "Tariff on Chinese goods: European Union (added to today's)"
    )


def test_the_changes_are_the_inputs_off_their_defaults_and_the_link_holds_only_them():
    growth = Spec("growth_asean", "Growth: ASEAN", 4.2, -10.0, 10.0, unit="% a year")
    specs = [US, growth, YEAR]
    values = {"tariff_united_states": 47.5, "growth_asean": 2.0, "end_year": 2030}
    assert [(c.name, c.value, c.baseline) for c in changes(values, specs)] == [
        ("growth_asean", "2% a year", "4.2% a year"),
        ("end_year", "2030", "2035"),
    ]
    assert link_query(values, specs) == "growth_asean=2&end_year=2030"
    assert changes({s.name: s.default for s in specs}, specs) == []
    assert link_query({}, specs) == ""
