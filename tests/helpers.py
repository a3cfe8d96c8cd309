"""Helpers shared by the page tests (AppTest over the whole dashboard)."""
from pathlib import Path

from streamlit.testing.v1 import AppTest

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")


def assert_clean(at) -> None:
    """No exception and no error box: the page drew what it meant to draw."""
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def open_dashboard(page: str | None = None, *, timeout: float = 120) -> AppTest:
    """The dashboard on the store named by $COVERAGE_LENS_DB, switched to ``page``, checked clean."""
    at = AppTest.from_file(DASHBOARD, default_timeout=timeout).run()
    if page:
        at.switch_page(page).run()
    assert_clean(at)
    return at
