"""The Coverage page renders the sample corpus: fact matrix, per-article views, copied text."""
import pytest

from .helpers import assert_clean, open_dashboard


@pytest.fixture
def page(sample_db, monkeypatch):
    monkeypatch.setenv("COVERAGE_LENS_DB", str(sample_db))
    return open_dashboard("pages/coverage.py")


def table(at, column):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_page_coverage_shows_fact_matrix(page):
    assert page.title[0].value == "Coverage"
    matrix = table(page, "n_outlets")
    assert len(matrix) >= 3 and (matrix["n_outlets"] >= 2).all()
    facts = " ".join(matrix["fact"])
    assert "deadline" in facts and "Witkoff" in facts
    assert len(page.get("plotly_chart")) >= 2
    labels = [b.label for b in page.get("download_button")]
    assert "Download coverage matrix (CSV)" in labels
    assert "Download per-article coverage (CSV)" in labels


def test_page_coverage_article_columns_and_all_facts(page):
    page.slider(key="cov_min").set_value(1).run()
    page.segmented_control(key="cov_by").set_value("Articles").run()
    assert_clean(page)
    matrix = table(page, "n_outlets")
    assert (matrix["n_outlets"] == 1).any()
    assert len(matrix.columns) == 3 + 5


def test_page_coverage_per_article_lists(page):
    per = table(page, "unique_share")
    assert len(per) == 5
    assert ((per["shared_share"] + per["unique_share"]).round(3) == 1).all()
    chatty = per[per["outlet"] == "Chatty blog"].iloc[0]
    assert chatty["unique_share"] > 0.8  # the long chatty blog post is mostly its own
    page.selectbox(key="cov_article").set_value(chatty["article_id"]).run()
    assert_clean(page)
    assert any(m.value.startswith("**Only this article reports**") for m in page.markdown)


def test_page_coverage_shows_copied_passages(tmp_path, monkeypatch):
    from analysis import pipeline
    from analysis.model import Article

    paragraph = ("The barrier will rise six metres above the harbour floor and stretch for two "
                 "kilometres along the northern shore, according to plans published on Friday.")
    articles = [
        Article(outlet="Wire", story="Barrier", text="Work is due to begin in spring. "
                + paragraph + " Critics told Mayor Lena Ortiz the cost is too high."),
        Article(outlet="Rewrite", story="Barrier", text="Local shops fear months of noise. "
                + paragraph + " Mayor Lena Ortiz did not answer questions about the cost."),
    ]
    db = tmp_path / "copied.duckdb"
    pipeline.import_articles(articles, db)
    monkeypatch.setenv("COVERAGE_LENS_DB", str(db))
    at = open_dashboard("pages/coverage.py")
    passages = table(at, "passage")
    assert len(passages) == 1 and passages["words"][0] >= 25
    assert passages["passage"][0].startswith("The barrier will rise")
    assert any(b.label == "Download copied passages (CSV)" for b in at.get("download_button"))
    assert len(at.get("plotly_chart")) == 3  # matrix, shares, copy overlap


def test_page_coverage_large_story_aligns_a_bounded_subset(sample_db, monkeypatch):
    from ui import limits

    monkeypatch.setenv("COVERAGE_LENS_DB", str(sample_db))
    monkeypatch.setattr(limits, "ALIGNED", 3)
    at = open_dashboard("pages/coverage.py")
    note = at.info[0].value
    assert "has 5 articles in the selection" in note and "Shown: 3 of them" in note
    assert "narrow the selection in the sidebar" in note
    assert len(table(at, "unique_share")) == 3
    at.number_input(key="cov_limit").set_value(5).run()
    assert_clean(at)
    assert len(table(at, "unique_share")) == 5
    assert not any("Shown:" in i.value for i in at.info)


def test_page_coverage_one_story_at_a_time(sample_db, tmp_path, monkeypatch):
    import shutil

    from analysis import store

    db = tmp_path / "two-stories.duckdb"
    shutil.copy(sample_db, db)
    other = [a.article_id for a in store.articles(db)][:2]
    store.update_labels(other, story="Second story", db=db)
    monkeypatch.setenv("COVERAGE_LENS_DB", str(db))
    at = open_dashboard("pages/coverage.py")
    picker = at.selectbox(key="cov_story")
    assert picker.value != "Second story"  # the largest story first
    assert "Second story (2 articles)" in picker.options
    assert len(table(at, "unique_share")) == 3
    picker.set_value("Second story").run()
    assert_clean(at)
    assert set(table(at, "unique_share")["article_id"]) == set(other)
