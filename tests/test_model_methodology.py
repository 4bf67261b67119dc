"""docs/methodology.md states the model's parameters and back-test figures as they are."""

from __future__ import annotations

from pathlib import Path

import pytest

from model import PARAMETERS, backtest

DOC = Path(__file__).resolve().parent.parent / "docs" / "methodology.md"
STALE = "the back-test figures changed: update the tables in docs/methodology.md"


@pytest.fixture(scope="module")
def text() -> str:
    return DOC.read_text(encoding="utf-8")


def test_every_parameter_is_in_the_table_with_its_default(text):
    for spec in PARAMETERS:
        default = str(int(spec.default)) if spec.integer else f"{spec.default:g}"
        assert f"| `{spec.name}` | {spec.label} | {default} |" in text, spec.name


def test_back_test_figures_match_the_model(text):
    result = backtest(2017)
    for series in ("exports_usd_bn", "imports_usd_bn", "balance_usd_bn", "world_share_pct"):
        for method in ("model", "naive"):
            figure = f"{result.metric(series, method):.1f}%"
            assert figure in text, f"{series} {method} {figure}: {STALE}"
    for year in (2019, 2025):
        simulated, actual = result.change_pct("exports_united_states_usd_bn", year)
        assert f"simulated {simulated:.1f}% against {actual:.1f}% actual" in text, STALE
