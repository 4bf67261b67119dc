"""A missing or corrupt data file gives every page a clear error naming the file, never a traceback.

Each fault is made on a copy of the project (app.py, pages/, views/, model/, data/,
docs/, .streamlit/) in a temporary folder, and every page of the copy is run with AppTest
in a fresh Python process whose imports come from the copy, so the shipped files
are never touched and nothing cached in this process leaks in.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COPIED = ["app.py", "pages", "views", "model", "data", "docs", ".streamlit"]
PAGES = ["app.py", *sorted(f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py"))]

#: Runs every page of the copy given as argv[1]; prints what each page showed, as JSON.
DRIVER = r"""
import json, os, sys
root = sys.argv[1]
os.chdir(root)
sys.path.insert(0, root)
from streamlit.testing.v1 import AppTest

out = {}
for page in json.loads(sys.argv[2]):
    at = AppTest.from_file(os.path.join(root, "app.py"), default_timeout=120)
    if page != "app.py":
        at.switch_page(page)
    try:
        at.run()
    except Exception as error:  # the run itself failed: reported, not raised
        out[page] = {"crash": repr(error)}
        continue
    texts = []
    for frame in at.dataframe:
        try:
            texts.append(frame.value.to_csv())
        except Exception:
            texts.append(str(frame.value))
    out[page] = {
        "exception": [e.value for e in at.exception],
        "error": [e.value for e in at.error],
        "tables": texts,
        "modules": sorted(
            os.path.dirname(m.__file__)
            for name, m in sys.modules.items()
            if name in ("model", "views") and getattr(m, "__file__", None)
        ),
    }
print("RESULT " + json.dumps(out))
"""

# (id, file in data/, what is done to it)
FAULTS = [
    ("annual-missing", "annual.csv", None),
    ("monthly-missing", "monthly.csv", None),
    ("exports_by_region-missing", "exports_by_region.csv", None),
    ("tariffs-missing", "tariffs.csv", None),
    ("drivers-missing", "drivers.csv", None),
    ("datapackage-missing", "datapackage.json", None),
    ("annual-binary", "annual.csv", b"\x89PNG\r\n\x1a\n\x00\xff\xfe\x00garbage"),
    ("monthly-empty", "monthly.csv", b""),
    ("exports_by_region-text-in-a-number", "exports_by_region.csv", "text-in-number"),
    ("tariffs-truncated", "tariffs.csv", "truncate"),
    ("drivers-wrong-header", "drivers.csv", "wrong-header"),
    ("datapackage-invalid-json", "datapackage.json", b'{"resources": ['),
]


def _break(path: Path, how) -> None:
    if how is None:
        path.unlink()
    elif isinstance(how, bytes):
        path.write_bytes(how)
    elif how == "truncate":
        text = path.read_bytes()
        path.write_bytes(text[: len(text) // 2 + 7])
    elif how == "wrong-header":
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text("yr,what,amount\n" + "".join(lines[1:]), encoding="utf-8")
    elif how == "text-in-number":
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        header = lines[0].rstrip("\n").split(",")
        column = header.index("exports_usd_bn")
        cells = lines[1].rstrip("\n").split(",")
        cells[column] = "about 500"
        lines[1] = ",".join(cells) + "\n"
        path.write_text("".join(lines), encoding="utf-8")
    else:  # pragma: no cover
        raise ValueError(how)


def make_copy(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, folder / name)
    return folder


def run_pages(copy: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, str(copy), json.dumps(PAGES)],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=900,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    assert lines, f"the page runner failed ({done.returncode}):\n{done.stderr[-3000:]}"
    return json.loads(lines[-1][len("RESULT ") :])


#: What a page calls to read the figures (directly or through views.state).
DATA_READERS = ("actuals(", "baseline(", "shipped(", "read_package(", "load_actuals(", "replay(")


def reads_data(page: str) -> bool:
    return any(call in (ROOT / page).read_text(encoding="utf-8") for call in DATA_READERS)


_results: dict[str, dict] = {}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    """Runs each fault's copy once (all pages), on first use."""

    def get(fault_id: str) -> dict:
        if fault_id not in _results:
            copy = make_copy(tmp_path_factory.mktemp(fault_id))
            if fault_id != "intact":
                _, file, how = next(f for f in FAULTS if f[0] == fault_id)
                _break(copy / "data" / file, how)
            _results[fault_id] = {"copy": copy, "pages": run_pages(copy)}
        return _results[fault_id]

    return get


def test_the_intact_copy_runs_every_page_from_its_own_files(results):
    found = results("intact")
    for page in PAGES:
        shown = found["pages"][page]
        assert "crash" not in shown, shown
        assert shown["exception"] == [], (page, shown["exception"])
        assert not any("data files did not pass" in e for e in shown["error"]), page
        assert shown["modules"] and all(
            m.startswith(str(found["copy"])) for m in shown["modules"]
        ), shown["modules"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("fault", [f[0] for f in FAULTS])
def test_a_broken_data_file_gives_an_error_page_naming_it(results, fault, page):
    _, file, _ = next(f for f in FAULTS if f[0] == fault)
    shown = results(fault)["pages"][page]
    assert "crash" not in shown, shown
    assert shown["exception"] == [], f"{page} shows a traceback: {shown['exception']}"
    if not shown["error"] and not reads_data(page):
        return  # a page that never reads data/ (the methodology, say) has nothing to refuse
    assert shown["error"], f"{page} shows no error for a broken {file}"
    everything = "\n".join(shown["error"] + shown["tables"])
    assert file in everything, f"{page}'s error does not name {file}: {everything[:500]}"


# ----------------------------------------------------------------------------- while running

#: Runs every page of the copy in argv[1] once (the server's first reader), then breaks
#: its files as argv[2] says, then runs every page again, in the same process: the
#: files went while the server ran. Prints what each second run showed, as JSON.
WHILE_RUNNING = r"""
import json, os, shutil, sys
root, fault = sys.argv[1], sys.argv[2]
os.chdir(root)
sys.path.insert(0, root)
from streamlit.testing.v1 import AppTest

pages = json.loads(sys.argv[3])


def run(page):
    at = AppTest.from_file(os.path.join(root, "app.py"), default_timeout=120)
    if page != "app.py":
        at.switch_page(page)
    at.run()
    return at


for page in pages:
    run(page)
data = os.path.join(root, "data")
if fault == "datapackage-deleted":
    os.remove(os.path.join(data, "datapackage.json"))
elif fault == "data-emptied":
    for name in os.listdir(data):
        os.remove(os.path.join(data, name))
elif fault == "data-folder-removed":
    shutil.rmtree(data)
elif fault == "csv-garbled":
    for name in os.listdir(data):
        with open(os.path.join(data, name), "wb") as f:
            f.write(b"\xff\xfe garbage")
out = {}
for page in pages:
    at = run(page)
    out[page] = {
        "exception": [e.value for e in at.exception],
        "error": [e.value for e in at.error],
        "charts_and_tables": len(at.get("vega_lite_chart")) + len(at.dataframe),
    }
print("RESULT " + json.dumps(out))
"""

RUNNING_FAULTS = ["datapackage-deleted", "data-emptied", "data-folder-removed", "csv-garbled"]


@pytest.mark.parametrize("fault", RUNNING_FAULTS)
def test_data_files_that_go_while_the_server_runs_break_no_page(tmp_path, fault):
    copy = make_copy(tmp_path / "copy")
    done = subprocess.run(
        [sys.executable, "-c", WHILE_RUNNING, str(copy), fault, json.dumps(PAGES)],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=900,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    assert lines, f"the page runner failed ({done.returncode}):\n{done.stderr[-3000:]}"
    shown = json.loads(lines[-1][len("RESULT ") :])
    for page in PAGES:
        assert shown[page]["exception"] == [], (page, shown[page]["exception"])
        assert shown[page]["error"] == [], (page, shown[page]["error"])
        # The figures read when the server started are still drawn.
        assert shown[page]["charts_and_tables"] > 0 or page.endswith("Methodology.py"), page


@pytest.mark.parametrize(
    ("content", "why"),
    [(b"# Method\n\n\xff\xfe not UTF-8", "not UTF-8 text"), (None, "it is missing")],
    ids=["invalid-utf8", "missing"],
)
def test_an_unreadable_methodology_document_gives_a_message(tmp_path, content, why):
    copy = make_copy(tmp_path / "copy")
    doc = copy / "docs" / "methodology.md"
    if content is None:
        doc.unlink()
    else:
        doc.write_bytes(content)
    shown = run_pages(copy)["pages/5_Methodology.py"]
    assert shown["exception"] == []
    assert any("docs/methodology.md" in e and why in e for e in shown["error"]), shown["error"]
