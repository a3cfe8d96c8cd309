"""The Tone page renders the sample corpus: dimensions, sentence arc, actor tone, loaded words."""
import pytest

from .helpers import assert_clean, open_dashboard


@pytest.fixture
def page(sample_db, monkeypatch):
    monkeypatch.setenv("COVERAGE_LENS_DB", str(sample_db))
    return open_dashboard("pages/tone.py")


def table_with(at, column):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_page_tone_shows_every_part(page):
    assert page.title[0].value == "Tone"
    assert len(page.get("plotly_chart")) == 5
    by_article = table_with(page, "Informality /1k")
    assert len(by_article) == 5
    chatty = by_article.loc[by_article["Informality /1k"].idxmax(), "Outlet"]
    assert chatty == "Chatty blog"
    words = table_with(page, "Word")
    assert {"Outlet", "Category", "Count"} <= set(words.columns) and len(words) > 0
    actors = table_with(page, "Actor")
    assert actors["Actor"].str.contains("Trump").any()
    methods = table_with(page, "Method")
    assert set(methods["Column"]) >= {"tone_sentiment", "tone_informality", "tone_hedging"}
    assert any("tone by article" in b.label for b in page.get("download_button"))


def test_page_tone_lists_each_articles_stance_toward_its_main_actors_and_says_it_is_weak(page):
    stances = table_with(page, "Stance")
    assert list(stances.columns) == ["Article", "Outlet", "Actor", "Stance", "Score", "Mentions"]
    assert set(stances["Stance"]) <= {"negative", "neutral", "positive"} and len(stances) >= 5
    assert any("A weak figure" in c.value for c in page.caption)


def test_page_tone_dimension_picker_explains_the_method(page):
    page.selectbox(key="tone_dimension").set_value("hedging").run()
    assert_clean(page)
    assert any(c.value.startswith("Hedges /1k: Hedges of lexicons/hedges.txt") for c in page.caption)


def test_page_tone_empty_selection_explains(page):
    page.text_input(key="f_search").set_value("no such phrase anywhere").run()
    assert_clean(page)
    assert "No articles match these filters" in page.info[0].value


def test_page_tone_many_articles_show_sentence_tone_per_outlet(sample_db, monkeypatch):
    from ui import limits

    monkeypatch.setenv("COVERAGE_LENS_DB", str(sample_db))
    monkeypatch.setattr(limits, "ARTICLE_ROWS", 3)
    at = open_dashboard("pages/tone.py")
    assert len(at.get("plotly_chart")) == 5
    captions = " ".join(c.value for c in at.caption)
    assert "5 articles are too many for one strip each" in captions
    assert "Narrow the selection to 3 articles or fewer to see every sentence." in captions


def test_page_tone_actor_heatmap_counts_mentions_and_greys_weak_cells():
    import math

    import pandas as pd

    from ui import charts

    cells = pd.DataFrame([("X", "A", 0.63, math.nan, math.nan, 1, 1, True),
                          ("X", "B", -0.4, -0.6, -0.2, 9, 3, False)],
                         columns=["name", "outlet", "tone", "low", "high", "mentions", "articles", "weak"])
    strong, weak = charts.actor_tone_heatmap(cells).data
    assert math.isnan(strong.z[0][0]) and strong.z[0][1] == -0.4  # the weak cell is not coloured
    assert weak.z[0][0] == 0 and math.isnan(weak.z[0][1])  # it is grey instead
    assert list(strong.text[0]) == ["(+0.63)<br>n=1", "-0.40<br>n=9"]
    assert "no interval" in strong.customdata[0][0] and "-0.60 to -0.20" in strong.customdata[0][1]
