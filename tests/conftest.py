"""Shared fixtures: a clean Streamlit cache per test, and a small data package.

Streamlit's caches live for the whole process, so one test's cached figures would
leak into the next AppTest; the autouse fixture clears them. ``small_package``
writes a complete, valid data package with round figures to a temporary folder
and points the loader at it, so page tests do not depend on the shipped files
while those are being revised.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st

import model.data as data_module
from tests.sample_package import ANNUAL, FILES, write_package


@pytest.fixture(autouse=True)
def _clear_streamlit_cache():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def small_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A valid small package, used by the pages in place of ``data/``."""
    folder = write_package(tmp_path / "data")
    monkeypatch.setattr(data_module, "DATA_DIR", folder)
    return folder


@pytest.fixture
def broken_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A package with two faults: text in a number and a missing file."""
    files = dict(FILES)
    files["annual.csv"] = ANNUAL.replace("3577.17", "about 3.6tn")
    del files["drivers.csv"]
    folder = write_package(tmp_path / "data", files)
    monkeypatch.setattr(data_module, "DATA_DIR", folder)
    return folder
