"""The command line, run as a user would (subprocess)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from model import Scenario, load_baseline

ROOT = Path(__file__).resolve().parent.parent


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "model", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def expected_header() -> list[str]:
    regions = [f"exports_{slug}_usd_bn" for slug in load_baseline().slugs]
    totals = ["year", "exports_usd_bn", "imports_usd_bn", "balance_usd_bn", "world_share_pct"]
    return [*totals, *regions]


def test_run_a_scenario_file(tmp_path):
    file = tmp_path / "scenario.json"
    file.write_text(Scenario(end_year=2030, tariff_united_states=60.0).to_json())
    done = cli("run", str(file))
    assert done.returncode == 0, done.stderr
    rows = list(csv.reader(io.StringIO(done.stdout)))
    assert rows[0] == expected_header()
    assert [int(r[0]) for r in rows[1:]] == list(range(2025, 2031))
    assert all(len(r) == len(rows[0]) for r in rows)


def test_run_a_preset():
    done = cli("run", "--preset", "collapse")
    assert done.returncode == 0, done.stderr
    rows = list(csv.reader(io.StringIO(done.stdout)))
    assert rows[0] == expected_header()
    assert rows[-1][0] == "2035"


def test_presets_lists_names():
    done = cli("presets")
    assert done.returncode == 0
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert {"truce", "collapse", "share_16_5"} <= {r["name"] for r in rows}
    assert all(r["label"] and r["source"] for r in rows)


def test_backtest_prints_table_then_metrics():
    done = cli("backtest", "--start", "2017")
    assert done.returncode == 0, done.stderr
    table, metrics = done.stdout.split("\n\n")
    header = table.splitlines()[0].split(",")
    assert header[0] == "year"
    assert "exports_united_states_usd_bn_simulated" in header
    assert "exports_united_states_usd_bn_actual" in header
    assert len(table.splitlines()) == 1 + 9
    rows = list(csv.DictReader(io.StringIO(metrics)))
    assert {r["method"] for r in rows} == {"model", "naive"}
    assert {"mape_pct", "rmse", "final_error"} <= set(rows[0])


@pytest.mark.parametrize(
    "args, message",
    [
        (["run", "missing.json"], "no such file"),
        (["run", "--preset", "nope"], "unknown preset"),
        (["run"], "either a scenario JSON file or --preset"),
        (["backtest", "--start", "1990"], "start year 1990"),
        (["backtest", "--start", "year"], "invalid int value"),
        (["frobnicate"], "invalid choice"),
        ([], "required"),
    ],
)
def test_bad_input_exits_nonzero_with_one_line(args, message):
    done = cli(*args)
    assert done.returncode != 0
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"{", "not valid JSON"),
        (json.dumps({"sigma": 9}).encode(), "sigma = 9"),
        (b"[]", "JSON object"),
        (b'{"sigma": 1' + b"0" * 309 + b"}", "too large: not a finite number"),
        (b'{"end_year": -1' + b"0" * 5000 + b"}", "too large: not a finite number"),
        (b'{"sigma": 1e400}', "too large: not a finite number"),
        (b'{"sigma": ' + b"[" * 500 + b"]" * 500 + b"}", "sigma = a list is not a number"),
        (b"[" * 100_001 + b"]" * 100_001, "larger than 200 kB"),
        (b"[" * 50_000 + b"]" * 50_000, "nested too deeply"),
        (b'{"a":' * 900 + b"1" + b"}" * 900, "scenario key"),
        (b'{"sigma": NaN}', "NaN is not a number"),
        (b'{"tariff_path": {"united_states": {"2030": 1e999}}}', "not a finite number"),
        (b'{"tariff_path": {"united_states": {"' + b"9" * 5000 + b'": 1}}}', "not a whole year"),
        (b"\xff\xfe{}", "not UTF-8"),
        ('{"' + "k" * 300 + '": 1}', "unknown scenario key(s)"),
    ],
    ids=lambda v: None,
)
def test_bad_scenario_file_exits_2_with_one_line(tmp_path, raw, message):
    file = tmp_path / "bad.json"
    file.write_bytes(raw if isinstance(raw, bytes) else raw.encode())
    done = cli("run", str(file))
    assert done.returncode == 2, done.stderr[-500:]
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], done.stderr[-500:]
    assert len(lines[0]) < 500 and "Traceback" not in done.stderr


def test_a_folder_given_as_the_scenario_file_exits_2(tmp_path):
    done = cli("run", str(tmp_path))
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1


def test_the_model_never_imports_streamlit():
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, model, model.__main__; from model import PRESETS; len(PRESETS); "
            "model.simulate(); assert 'streamlit' not in sys.modules, 'streamlit imported'",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
