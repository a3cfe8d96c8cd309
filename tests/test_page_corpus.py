"""The Corpus page: import (pasted text, URLs), per-item results, labels, delete, export."""
import shutil

import pytest

from analysis import store

from .helpers import assert_clean, open_dashboard

PASTED = ("The harbour ferry will run every twenty minutes from Monday, the transport office said, "
          "after a year in which passengers complained of long waits and crowded boats. "
          "\"It is the biggest change in a decade,\" said Ana Ruiz, who runs the office.")


@pytest.fixture
def db(sample_db, tmp_path, monkeypatch):
    """A copy of the sample store: these tests write to it."""
    path = tmp_path / "corpus.duckdb"
    shutil.copy(sample_db, path)
    monkeypatch.setenv("COVERAGE_LENS_DB", str(path))
    return path


@pytest.fixture
def page(db):
    return open_dashboard("pages/corpus.py")


def button(at, label):
    return next(b for b in at.button if b.label == label)


def test_page_corpus_lists_stored_articles(page):
    assert page.title[0].value == "Corpus"
    stored = next(d for d in page.dataframe if "Title" in d.value)
    assert len(stored.value) == 5
    assert {"Outlet", "Story", "Published", "Words"} <= set(stored.value.columns)


def test_page_corpus_pasted_article_is_added_and_reported(page, db):
    page.text_input(key="paste_title").input("Ferry timetable changes")
    page.text_input(key="paste_outlet").input("Harbour Post")
    page.text_area(key="paste_text").input(PASTED)
    button(page, "Add article").click().run()
    assert_clean(page)
    assert page.success[0].value.startswith("1 added")
    results = next(d for d in page.dataframe if "Result" in d.value).value
    assert results["Result"].tolist() == ["added"]
    assert "Harbour Post" in {a.outlet for a in store.articles(db)}


def test_page_corpus_refusals_are_listed_with_their_reason(page, db):
    page.text_area(key="corpus_urls").input("http://127.0.0.1:9/story\nftp://example.com/x")
    page.button(key="corpus_import").click().run()
    assert_clean(page)
    assert page.warning[0].value.endswith("2 refused")
    results = next(d for d in page.dataframe if "Result" in d.value).value
    assert results["Result"].tolist() == ["refused", "refused"]
    assert "loopback address" in results["Detail"][0]
    assert len(store.articles(db)) == 5


def test_page_corpus_bad_mapping_is_explained(page):
    page.text_area(key="corpus_urls").input("https://example.com/a")
    page.text_input(key="corpus_map").input("hed")
    page.button(key="corpus_import").click().run()
    assert "write it as COLUMN=FIELD" in page.error[0].value


def test_page_corpus_rename_outlet_is_saved(page, db):
    page.selectbox(key="rename_old").set_value("Chatty blog")
    page.text_input(key="rename_new").input("Chatty")
    page.button(key="rename_go").click().run()
    assert_clean(page)
    assert "Renamed outlet 'Chatty blog' to 'Chatty' on 1 articles." in page.success[0].value
    outlets = {a.outlet for a in store.articles(db)}
    assert "Chatty" in outlets and "Chatty blog" not in outlets
    assert "Chatty" in page.selectbox(key="rename_old").options


def test_page_corpus_delete_needs_confirmation(page, db):
    victim = store.articles(db)[0].article_id
    page.multiselect(key="delete_ids").set_value([victim]).run()
    assert page.button(key="delete_go").disabled
    page.checkbox(key="delete_sure").check().run()
    page.button(key="delete_go").click().run()
    assert_clean(page)
    assert victim not in {a.article_id for a in store.articles(db)}
    assert page.success[0].value == "Deleted 1 articles."


def test_page_corpus_export_and_reanalyze(page):
    page.radio(key="export_format").set_value("csv")
    page.button(key="export_go").click().run()
    assert_clean(page)
    assert page.get("download_button")
    page.button(key="reanalyze_go").click().run()
    assert page.success[0].value == "Re-analyzed 0 articles."
