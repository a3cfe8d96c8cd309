"""Shared fixtures. Tests that need ../shared/data skip when it is absent."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = ROOT / "data" / "sample"
SHARED_DATA = Path(os.environ.get("COVERAGE_LENS_DEVDATA", ROOT.parent / "shared" / "data"))


@pytest.fixture(scope="session", autouse=True)
def _apptest_uses_navigation():
    """AppTest re-detects a ``pages/`` folder before every run and then runs the page file
    alone (Streamlit's old multipage mode), skipping dashboard.py and its sidebar. The real
    server turns that mode off once st.navigation is called; do the same for AppTest."""
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init
    yield
    PagesManager.__init__ = original


@pytest.fixture(scope="session")
def sample_dir():
    """The bundled sample corpus (five articles and their manifest)."""
    return SAMPLE_DIR


@pytest.fixture(scope="session")
def nlp():
    from analysis.nlp import get_nlp

    return get_nlp()


@pytest.fixture(scope="session")
def analyze():
    """analysis.analyze_text, the public entry point."""
    import analysis

    return analysis.analyze_text


@pytest.fixture
def tmp_db(tmp_path, monkeypatch):
    """An empty store for one test, also set as $COVERAGE_LENS_DB."""
    path = tmp_path / "store.duckdb"
    monkeypatch.setenv("COVERAGE_LENS_DB", str(path))
    return path


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory):
    """A store holding the analyzed sample corpus (built once per test session)."""
    from analysis import ingest, pipeline

    path = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    pipeline.import_articles(ingest.read_paths([SAMPLE_DIR]), path)
    return path


@pytest.fixture(scope="session")
def devdata():
    """The loaders of ../shared/data, or a skip when the development data is absent."""
    loaders = SHARED_DATA / "loaders.py"
    if not loaders.is_file():
        pytest.skip("development data (../shared/data) is not present")
    import importlib.util

    spec = importlib.util.spec_from_file_location("devdata", loaders)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
