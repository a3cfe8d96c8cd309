"""Every page renders the sample corpus without an exception (streamlit AppTest)."""
import pytest
from streamlit.testing.v1 import AppTest

from .helpers import DASHBOARD, assert_clean


@pytest.fixture
def app(sample_db, monkeypatch):
    monkeypatch.setenv("COVERAGE_LENS_DB", str(sample_db))
    return AppTest.from_file(DASHBOARD, default_timeout=60)


def test_pages_overview_shows_every_article(app):
    at = app.run()
    assert_clean(at)
    assert at.title[0].value == "Overview"
    assert "Showing 5 of 5 articles" in at.caption[0].value
    assert at.metric[0].value == "5"


def test_pages_overview_filters_by_outlet(app):
    at = app.run()
    at.multiselect(key="f_outlets").set_value(["Chatty blog", "Summary news site"]).run()
    assert_clean(at)
    assert at.caption[0].value.startswith("Showing 2 of 5 articles: outlets Chatty blog and Summary news site")
    assert at.query_params["outlet"] == ["Chatty blog", "Summary news site"]


def test_pages_overview_empty_selection_explains(app):
    at = app.run()
    at.text_input(key="f_search").set_value("no such phrase anywhere").run()
    assert_clean(at)
    assert "No articles match these filters" in at.info[0].value


def test_pages_query_string_restores_selection(sample_db, monkeypatch):
    monkeypatch.setenv("COVERAGE_LENS_DB", str(sample_db))
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.query_params["outlet"] = ["Chatty blog"]
    at.run()
    assert_clean(at)
    assert at.caption[0].value.startswith("Showing 1 of 5 articles")


def test_pages_article_renders_annotated_text(app):
    at = app.run()
    at.switch_page("pages/article.py").run()
    assert_clean(at)
    reader = [m.value for m in at.markdown if 'class="cl-reader"' in m.value]
    assert reader and "<span" in reader[0]


def test_pages_first_start_of_the_default_store_loads_the_sample_and_offers_its_removal(
        tmp_path, monkeypatch):
    from analysis import store

    monkeypatch.delenv("COVERAGE_LENS_DB", raising=False)
    monkeypatch.setattr(store, "DEFAULT_DB", tmp_path / "default.duckdb")
    at = AppTest.from_file(DASHBOARD, default_timeout=120).run()
    assert_clean(at)
    assert "Showing 5 of 5 articles" in at.caption[0].value
    assert "sample articles bundled with Coverage Lens" in at.sidebar.info[0].value
    at.sidebar.button(key="remove_sample").click().run()
    assert_clean(at)
    assert "Showing 0 of 0 articles" in at.caption[0].value
    at = AppTest.from_file(DASHBOARD, default_timeout=120).run()  # a restart: the removal sticks
    assert "Showing 0 of 0 articles" in at.caption[0].value
    assert "holds no articles yet" in at.sidebar.info[0].value


def test_pages_a_first_start_cut_short_loads_the_sample_on_the_next_visit(tmp_path, monkeypatch):
    from analysis import store

    monkeypatch.delenv("COVERAGE_LENS_DB", raising=False)
    monkeypatch.setattr(store, "DEFAULT_DB", tmp_path / "default.duckdb")
    store.stored_versions(store.DEFAULT_DB)  # the file exists, empty: the analysis never ended
    assert store.DEFAULT_DB.exists()
    at = AppTest.from_file(DASHBOARD, default_timeout=120).run()
    assert_clean(at)
    assert "Showing 5 of 5 articles" in at.caption[0].value


def test_pages_a_store_named_by_the_user_starts_empty(tmp_db):
    at = AppTest.from_file(DASHBOARD, default_timeout=120).run()
    assert_clean(at)
    assert "Showing 0 of 0 articles" in at.caption[0].value
    assert str(tmp_db) in at.sidebar.info[0].value
    assert not tmp_db.exists() or not __import__("analysis").store.stored_versions(tmp_db)
    at.switch_page("pages/corpus.py").run()  # every tab of an empty store draws
    assert_clean(at)
    assert any("No articles are stored yet" in i.value for i in at.info)


def test_pages_compare_defaults_to_two_outlets_of_one_story(app):
    at = app.run()
    at.switch_page("pages/compare.py").run()
    assert_clean(at)
    picked = at.multiselect(key="cmp_pick_Articles").value
    assert len(picked) == 2
    table = at.dataframe[0].value  # the profile's values, one column per compared article
    assert table["Metric"].tolist()[0] == "Distinct named sources"


def test_pages_compare_two_articles_says_differences(app):
    at = app.run()
    at.switch_page("pages/compare.py").run()
    assert_clean(at)
    texts = [m.value for m in at.markdown]
    assert any(t.startswith("- ") and "." in t for t in texts)  # the differences, in sentences
    assert any(t.startswith("**In both**") for t in texts)
    assert len(at.metric) >= 2 * 8  # a card of every metric per article


def test_pages_compare_outlets(app):
    at = app.run()
    at.switch_page("pages/compare.py").run()
    at.segmented_control(key="cmp_mode").set_value("Outlets").run()
    assert_clean(at)
    assert "article(s)" in " ".join(c.value for c in at.caption)


@pytest.mark.parametrize("path", ["pages/readability.py", "pages/report.py"])
def test_pages_render_with_charts(app, path):
    at = app.run()
    at.switch_page(path).run()
    assert_clean(at)
    assert at.get("plotly_chart")


def test_pages_overview_many_articles_draws_outlets_and_says_so(app, monkeypatch):
    from ui import limits

    monkeypatch.setattr(limits, "ARTICLE_ROWS", 3)
    monkeypatch.setattr(limits, "POINTS", 4)
    monkeypatch.setattr(limits, "TABLE_ROWS", 2)
    at = app.run()
    assert_clean(at)
    captions = " ".join(c.value for c in at.caption)
    assert "5 articles are too many for one bar each: each outlet's mean" in captions
    assert "5 articles are too many for one row each: each outlet's spread" in captions
    assert "4 of the 5 articles are drawn, picked at random" in captions
    assert "The first 2 of 5 rows are shown; the download has them all." in captions
    assert len(at.dataframe[0].value) == 2
