"""The Stories page: story table, blindspots, timeline, headlines, first reports and what
each side carries alone, on the hand-written two-story corpus (tests/side_corpus.py)."""
import pytest

from . import side_corpus as sc
from .helpers import assert_clean, open_dashboard


@pytest.fixture(scope="module")
def side_db(tmp_path_factory):
    from analysis import pipeline

    path = tmp_path_factory.mktemp("sides") / "sides.duckdb"
    pipeline.import_articles(sc.articles(), path)
    return path


@pytest.fixture
def rated(side_db, tmp_path, monkeypatch):
    monkeypatch.setenv("COVERAGE_LENS_DB", str(side_db))
    path = tmp_path / "outlets.json"
    sc.write_outlets(path)
    monkeypatch.setenv("COVERAGE_LENS_OUTLETS", str(path))
    return side_db


def one(value):
    """A query-string value as AppTest holds it: a string, or a list of one."""
    return value[0] if isinstance(value, list) else value


def table(at, column):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_page_stories_lists_stories_and_blindspots(rated):
    at = open_dashboard("pages/stories.py")
    assert at.title[0].value == "Stories"
    stories = table(at, "Leanings").set_index("Story")
    assert stories.loc[sc.DAM, "Articles"] == 4 and stories.loc[sc.DAM, "Outlets"] == 4
    assert str(stories.loc[sc.DAM, "First"]) == "2024-05-01" and str(stories.loc[sc.DAM, "Last"]) == "2024-05-03"
    assert stories.loc[sc.DAM, "Leanings"] == "1 left · 1 lean left · 1 lean right · 1 right"
    # an article of the first day (two outlets published on 1 May)
    assert stories.loc[sc.DAM, "Headline"] in ("Council backs harbour dam despite flood fears",
                                               "Dam approved: 400 jobs for the harbour!")
    spots = table(at, "Covered mostly by")
    assert spots["Story"].tolist() == [sc.BUDGET] and spots["Covered mostly by"][0] == "right-leaning"


def test_page_stories_one_story_by_side_and_time(rated):
    at = open_dashboard("pages/stories.py")
    at.selectbox(key="st_story").set_value(sc.DAM).run()
    assert_clean(at)
    assert one(at.query_params["st_story"]) == sc.DAM
    assert len(at.get("plotly_chart")) == 3  # stories over time, leaning distribution, timeline
    heads = table(at, "Headline sentiment")
    assert len(heads) == 4 and heads["Leaning"].tolist()[0] in ("left", "right")
    first = table(at, "First reported")
    vote = first[first["Fact"].str.contains("approved the harbour dam")].iloc[0]
    assert vote["By"] == "Left Daily, Right Post"
    facts = table(at, "Only on")
    jobs = facts[facts["Item"].str.contains("400 construction jobs")].iloc[0]
    assert jobs["Only on"] == "right-leaning" and jobs["Not on"] == "left-leaning"
    assert "Right Wire: Mayor Tom Reed said" in jobs["Evidence"]
    items = {i for d in at.dataframe if "Only on" in d.value.columns for i in d.value["Item"]}
    assert "Tom Reed" in items  # the source only the right-leaning outlets quote
    assert any("ruin the valley" in i for i in items)  # the quote only the left-leaning ones carry
    at.segmented_control(key="st_by").set_value("Leaning").run()
    assert_clean(at)


def test_page_stories_without_leanings_says_how_to_rate(side_db, tmp_path, monkeypatch):
    monkeypatch.setenv("COVERAGE_LENS_DB", str(side_db))
    monkeypatch.setenv("COVERAGE_LENS_OUTLETS", str(tmp_path / "none.json"))
    at = open_dashboard("pages/stories.py")
    assert not any(d.value.columns.tolist()[:2] == ["Story", "Covered mostly by"] for d in at.dataframe)
    assert any("No outlet of this selection has a known leaning" in i.value for i in at.info)
    assert not at.get("segmented_control")  # no "colour by leaning" switch


def test_page_stories_leaning_filter_and_url(rated):
    at = open_dashboard()
    at.query_params["leaning"] = ["right", "lean right"]
    at.query_params["since"] = "2024-06-01"
    at.session_state["_filters_seeded"] = False
    at.switch_page("pages/stories.py").run()
    assert_clean(at)
    stories = table(at, "Leanings")
    assert stories["Story"].tolist() == [sc.BUDGET]  # June only, right side only
    assert stories["Articles"].tolist() == [3]
    assert one(at.query_params["since"]) == "2024-06-01" and one(at.query_params["until"]) == "2024-06-12"
    assert sorted(at.query_params["leaning"]) == ["lean right", "right"]


def test_page_stories_opens_the_story_in_the_address(rated):
    at = open_dashboard()
    at.query_params["st_story"] = sc.BUDGET
    at.switch_page("pages/stories.py").run()
    assert_clean(at)
    assert at.selectbox(key="st_story").value == sc.BUDGET
    assert one(at.query_params["st_story"]) == sc.BUDGET  # the sidebar's filters leave it there
