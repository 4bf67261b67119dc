"""Uploads are data only, capped in size; user text is shown as text and made safe in CSV.

* No code path can run what a user sends: no pickle, eval, exec or YAML loading in
  the app (checked on the syntax tree of every module), and a pickle that would
  create a file when unpickled is refused by every upload without creating it.
* The upload cap of the server (``server.maxUploadSize`` in .streamlit/config.toml)
  is the loader's own cap, and the scenario file's cap is below it.
* Text a user controls (a scenario's name on the Compare page, a cell of an uploaded
  table, a key or value in a link) never reaches the page as HTML or live markdown,
  and in CSV exports a cell a spreadsheet would run as a formula is neutralised.
"""

from __future__ import annotations

import ast
import csv
import io
import pickle
import re
import tomllib
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from model.data import MAX_UPLOAD_BYTES, MAX_UPLOAD_MB, check_upload, load_actuals, to_safe_csv
from tests.apptest import as_drawn
from views import results
from views.model_api import PARAMETERS, scenario_file_values

ROOT = Path(__file__).resolve().parent.parent
APP = "../app.py"
SOURCES = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]
SOURCES += sorted((ROOT / "views").glob("*.py")) + sorted((ROOT / "model").glob("*.py"))
XSS = "<img src=x onerror=alert(1)>"
LINKY = "[Log in again](https://example.invalid/login) ![](https://example.invalid/p.png)"


# ----------------------------------------------------------------------------- data only

UNSAFE_MODULES = {"pickle", "cPickle", "_pickle", "dill", "cloudpickle", "marshal", "shelve"}
UNSAFE_MODULES |= {"joblib", "yaml"}
UNSAFE_CALLS = {"eval", "exec", "compile", "__import__"}  # the builtins, called by name
UNSAFE_METHODS = {"read_pickle", "unsafe_load", "full_load"}
HTML_METHODS = {"html"}  # st.html, components.html


def _names(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, "import", alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.lineno, "import", node.module.split(".")[0]
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name):
                yield node.lineno, "call", func.id
            elif isinstance(func, ast.Attribute):
                yield node.lineno, "method", func.attr
            for keyword in node.keywords:
                if keyword.arg == "unsafe_allow_html":
                    yield node.lineno, "keyword", "unsafe_allow_html"
                if keyword.arg == "allow_pickle":
                    yield node.lineno, "keyword", "allow_pickle"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_can_run_what_a_user_sends(path):
    found = []
    for line, kind, name in _names(path):
        if kind == "import" and name in UNSAFE_MODULES:
            found.append(f"line {line}: imports {name}")
        if kind == "call" and name in UNSAFE_CALLS:
            found.append(f"line {line}: calls {name}()")
        if kind == "method" and name in UNSAFE_METHODS:
            found.append(f"line {line}: calls .{name}()")
        if kind == "keyword" and name == "allow_pickle":
            found.append(f"line {line}: allow_pickle")
    assert not found, found


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_page_renders_html(path):
    found = [
        f"line {line}: {name}"
        for line, kind, name in _names(path)
        if (kind == "keyword" and name == "unsafe_allow_html")
        or (kind == "method" and name in HTML_METHODS)
    ]
    assert not found, found


class _Planted:
    """Unpickling this would create ``marker``: proof that a pickle was loaded."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def test_a_pickle_is_refused_by_every_upload_and_never_loaded(tmp_path):
    marker = tmp_path / "unpickled"
    payload = pickle.dumps(_Planted(marker))
    values, problems = scenario_file_values(payload, {s.name: s for s in PARAMETERS})
    assert values == {} and problems
    for resource in ("annual", "monthly", "exports_by_region", "tariffs", "drivers"):
        table, problems = check_upload(resource, payload, load_actuals(), file="x.csv")
        assert table is None and problems, resource
    at = AppTest.from_file(APP, default_timeout=60).switch_page("pages/1_Scenario.py")
    at.run()
    at.file_uploader(key="scenario_upload").upload("s.json", payload).run()
    assert not at.exception and at.error
    at = AppTest.from_file(APP, default_timeout=60).switch_page("pages/4_Data.py")
    at.run()
    at.file_uploader(key="data_upload_file").upload("annual.csv", payload).run()
    assert not at.exception and at.error
    assert not marker.exists()


def test_json_that_names_python_objects_is_only_unknown_keys():
    raw = b'{"__class__": "os.system", "__reduce__": ["rm -rf /"], "py/object": "x"}'
    values, problems = scenario_file_values(raw, {s.name: s for s in PARAMETERS})
    assert values == {}
    assert len(problems) == 3 and all("is not an input of this page" in p for p in problems)


# ----------------------------------------------------------------------------- size caps


def test_one_upload_limit_in_the_config_every_uploader_and_the_loader():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == MAX_UPLOAD_MB
    # Streamlit's browser side refuses a file over MAX_UPLOAD_MB * 1,000,000 bytes (off
    # Windows); the loader refuses the same, so the two messages never disagree.
    assert MAX_UPLOAD_BYTES == MAX_UPLOAD_MB * 1_000_000
    for page in ("pages/1_Scenario.py", "pages/4_Data.py"):
        source = (ROOT / page).read_text(encoding="utf-8")
        calls = source.count("st.file_uploader(")
        assert calls and source.count("max_upload_size=MAX_UPLOAD_MB") == calls, page


def test_a_file_at_the_limit_is_read_and_one_byte_more_is_refused():
    header = (ROOT / "data" / "annual.csv").read_bytes().splitlines()[0] + b"\n"
    at_limit = header + b"\n" * (MAX_UPLOAD_BYTES - len(header))  # blank lines
    assert len(at_limit) == MAX_UPLOAD_BYTES
    _, problems = check_upload("annual", at_limit, load_actuals())
    assert not any("larger than" in p.message for p in problems)
    _, problems = check_upload("annual", at_limit + b" ", load_actuals())
    assert [p.message for p in problems] == ["the file is larger than 2,000,000 bytes (2 MB)"]


def test_a_file_over_the_cap_is_refused_by_the_loader():
    header = (ROOT / "data" / "annual.csv").read_bytes().splitlines()[0]
    raw = header + b"\n" + b"x" * MAX_UPLOAD_BYTES
    table, problems = check_upload("annual", raw, load_actuals())
    assert table is None
    assert any("larger than" in p.message for p in problems)


def test_a_scenario_file_over_its_cap_is_refused_before_it_is_parsed():
    raw = b'{"sigma": ' + b" " * 250_000 + b"4}"
    assert len(raw) < MAX_UPLOAD_BYTES
    values, problems = scenario_file_values(raw, {s.name: s for s in PARAMETERS})
    assert values == {} and "larger than 200 kB" in problems[0]


# ----------------------------------------------------------------------------- text, not HTML


def _markdown_values(at: AppTest) -> list[str]:
    """Every element whose text Streamlit renders as markdown."""
    kinds = ("markdown", "caption", "success", "error", "warning", "info", "title", "subheader")
    found = []
    for kind in kinds:
        found += [e.value for e in at.get(kind)]
    return found


def _live(markdown: str, text: str) -> bool:
    """True if ``text`` would render live: a tag, link or image not escaped."""
    return bool(re.search(r"(?<!\\)<img|(?<!\\)\[Log in again(?<!\\)\]\(|(?<!\\)!\[", markdown))


def test_a_scenario_name_on_the_compare_page_is_shown_as_text():
    at = AppTest.from_file(APP, default_timeout=60).switch_page("pages/3_Compare.py")
    at.run()
    for name in (XSS, "**bold** " + LINKY[:40]):
        at.text_input(key="compare_name").input(name).run()
        [save] = [b for b in at.button if "Save" in b.label]
        save.click().run()
        assert not at.exception
        for value in _markdown_values(at):
            assert not _live(value, name), value
    assert XSS in at.multiselect(key="compare_pick").options
    assert XSS in [t.value for t in at.text]  # st.text: shown literally


def test_a_link_is_shown_inert_in_the_warning():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["preset"] = LINKY
    at.query_params[XSS] = XSS
    at.switch_page("pages/1_Scenario.py").run()
    assert not at.exception
    [warning] = at.warning
    assert "Log in again" in as_drawn(warning.value) and "img src=x" in as_drawn(warning.value)
    assert not _live(warning.value, LINKY), warning.value
    assert "https://" not in warning.value  # no bare address for markdown to link


def test_a_bad_scenario_files_keys_are_shown_as_text():
    at = AppTest.from_file(APP, default_timeout=60).switch_page("pages/1_Scenario.py")
    at.run()
    raw = ('{"' + XSS + '": 1, "' + LINKY.replace('"', "") + '": 2}').encode()
    at.file_uploader(key="scenario_upload").upload("s.json", raw).run()
    assert not at.exception
    [error] = at.error
    assert "img src=x" in as_drawn(error.value)
    assert not _live(error.value, XSS), error.value


def test_an_uploaded_cell_is_shown_as_text_on_the_data_page():
    raw = (ROOT / "data" / "annual.csv").read_text(encoding="utf-8")
    table = list(csv.reader(io.StringIO(raw)))
    source = table[0].index("source")
    table[-1][source] = XSS
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(table)
    at = AppTest.from_file(APP, default_timeout=60).switch_page("pages/4_Data.py")
    at.run()
    at.file_uploader(key="data_upload_file").upload("annual.csv", out.getvalue().encode()).run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    for value in _markdown_values(at):  # the changes, before it is used
        assert not _live(value, XSS), value
    at.button(key="data_upload_use").click().run()
    shown = at.dataframe[0].value
    assert XSS in shown["source"].tolist()  # in the table, as a cell's text
    for value in _markdown_values(at):
        assert not _live(value, XSS), value


# ----------------------------------------------------------------------------- CSV exports

FORMULAS = ['=HYPERLINK("https://example.invalid","x")', "+1+1", "-1+1", "@SUM(A1)"]
FORMULAS += ["\t=1", "\r=1"]


@pytest.mark.parametrize("cell", FORMULAS, ids=repr)
def test_a_formula_in_a_text_cell_is_neutralised_in_csv(cell):
    data = to_safe_csv(pd.DataFrame({"name": [cell], "value": [-3.5]}))
    assert b"\r" not in data  # a bare carriage return would end the row in a spreadsheet
    parsed = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert parsed[1][0] == "'" + cell.replace("\r", "\n")
    assert parsed[1][1] == "-3.5"  # a number stays a number


@pytest.mark.parametrize("cell", ["a\r=2+2", "a\r\n=2+2", "a\n=2+2", "a\r@SUM(A1)"], ids=repr)
def test_a_formula_after_a_line_break_in_a_cell_stays_inside_the_cell(cell):
    data = to_safe_csv(pd.DataFrame({"name": [cell], "value": [1]}))
    assert b"\r" not in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert len(rows) == 2 and rows[1][0].startswith("a\n") and rows[1][1] == "1"
    # a spreadsheet splitting rows at every line break outside quotes sees no new row
    outside_quotes = re.sub(r'"[^"]*"', "", data.decode("utf-8"))
    assert [line for line in outside_quotes.split("\n") if line.strip()] == ["name,value", ",1"]


def test_the_compare_tables_csv_neutralises_a_scenario_name():
    from model import load_baseline, simulate
    from views.model_api import Scenario

    base = load_baseline()
    path = simulate(Scenario(), base).path
    slugs = dict(zip(base.regions, base.slugs, strict=True))
    table = pd.DataFrame([results.outcome_row("=cmd|' /C calc'!A0", path, 2030, slugs)])
    data = to_safe_csv(table).decode("utf-8")
    assert "\n'=cmd|" in data
