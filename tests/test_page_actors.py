"""The Actors page renders the sample corpus: heatmap, tables, focus and alias editing."""
import json
import shutil

import pytest

from .helpers import assert_clean, open_dashboard


@pytest.fixture
def page(sample_db, tmp_path, monkeypatch):
    db = tmp_path / "actors.duckdb"
    shutil.copy(sample_db, db)  # re-analysis writes to the store
    monkeypatch.setenv("COVERAGE_LENS_DB", str(db))
    monkeypatch.setenv("COVERAGE_LENS_ALIASES", str(tmp_path / "aliases.json"))
    return open_dashboard("pages/actors.py")


def actor_table(at):
    return next(d.value for d in at.dataframe if "aliases" in d.value.columns)


def test_page_actors_shows_merged_actors(page):
    assert page.title[0].value == "Actors"
    table = actor_table(page)
    trump = table[table["actor"] == "Donald Trump"].iloc[0]
    assert trump["articles"] == 5 and trump["outlets"] == 5
    assert "President" in trump["roles"]
    assert "Trump" not in set(table["actor"])  # the one-word name joined the full name
    assert len(page.get("plotly_chart")) == 3
    assert any(b.label.startswith("Download actors") for b in page.get("download_button"))


def test_page_actors_focus_filters_the_dashboard(page):
    page.selectbox(key="actors_focus").set_value("Mike Waltz").run()
    page.button(key="actors_focus_btn").click().run()
    assert_clean(page)
    assert page.session_state["f_actors"] == ["Mike Waltz"]
    assert page.caption[0].value.startswith("Showing 1 of 5 articles")


def test_page_actors_merge_writes_user_alias_file(page, tmp_path):
    page.selectbox(key="merge_src").set_value("Eisenhower").run()
    page.selectbox(key="merge_dst").set_value("Donald Trump").run()
    page.button(key="merge_btn").click().run()
    assert_clean(page)
    data = json.loads((tmp_path / "aliases.json").read_text())
    assert "Eisenhower" in data["actors"]["Donald Trump"]["aliases"]
    page.run()
    assert "Eisenhower" not in set(actor_table(page)["actor"])


def test_page_actors_reanalyze_button(page):
    page.button(key="actors_reanalyze").click().run()
    assert_clean(page)
    assert page.success[0].value == "Re-analyzed 5 articles."
