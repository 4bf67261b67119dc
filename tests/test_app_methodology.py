"""The Methodology page in AppTest, and its text helpers."""

from model import parameter_table
from tests.apptest import open_page
from views.text import markdown_with_math, split_sections


def test_the_page_shows_the_document_with_every_parameter_and_its_source():
    at = open_page("pages/5_Methodology.py")
    headers = [h.value for h in at.header]
    assert "What the model leaves out" in headers and "Tools that do more" in headers
    text = " ".join(m.value for m in at.markdown)
    for row in parameter_table().itertuples():
        assert f"`{row.name}` | {row.label}" in text, row.name
    for peer in ("WITS SMART", "GSIM", "GTAP", "USITC", "OEC", "Yale Budget Lab", "PIIE"):
        assert peer in text
    assert "$$" in text  # the equations, as display math


def test_money_is_not_read_as_math_but_formulas_are():
    text = "from $992 bn to $1.19 tn, with $\\sigma$ and $$a = b$$"
    assert markdown_with_math(text) == "from \\$992 bn to \\$1.19 tn, with $\\sigma$ and $$a = b$$"


def test_a_document_splits_at_its_second_level_headings():
    doc = "# Title\n\nIntro.\n\n## One\n\nA\n\n```\n## not a heading\n```\n\n## Two\n\nB\n"
    assert split_sections(doc) == [
        ("", "Intro."),
        ("One", "A\n\n```\n## not a heading\n```"),
        ("Two", "B"),
    ]


def test_the_page_opens_with_its_contents_and_keeps_the_record_for_the_end():
    at = open_page("pages/5_Methodology.py")
    contents = at.markdown[0].value
    assert contents.startswith("**Contents**")
    headers = [h.value for h in at.header]
    for heading in headers[:-1]:
        assert f"- [{heading}](#" in contents, heading
    assert headers[-1] == "For the record"
    assert "Speed" not in headers
    assert "What changed" not in " ".join(headers)
    assert [e.label for e in at.expander][-1] == "Speed"
    text = " ".join(m.value for m in at.markdown)
    for link in ("https://www.gtap.agecon.purdue.edu/", "https://oec.world/", "https://budgetlab"):
        assert f"]({link}" in text, link
