"""Sources, Actors, Tone and Readability group by leaning when some outlet is rated, and
look as before when none is (tests/side_corpus.py; the fixtures of test_page_stories)."""
import pandas as pd
import pytest

from .helpers import assert_clean, open_dashboard
from .test_page_stories import rated, side_db  # noqa: F401  (the fixtures)

# page, key of its leaning switch
PAGES = [("pages/sources.py", "src_by"), ("pages/actors.py", "actors_group"),
         ("pages/tone.py", "tone_by"), ("pages/readability.py", "rd_by")]


def _specs(at) -> str:
    return " ".join(c.proto.spec for c in at.get("plotly_chart"))


@pytest.mark.parametrize(("page", "key"), PAGES)
def test_page_leaning_pages_group_by_leaning(rated, page, key):  # noqa: F811
    at = open_dashboard(page)
    assert '"Right Wire"' in _specs(at) and '"lean right"' not in _specs(at)
    charts = len(at.get("plotly_chart"))
    at.segmented_control(key=key).set_value("Leaning").run()
    assert_clean(at)
    assert len(at.get("plotly_chart")) == charts
    specs = _specs(at)
    assert '"lean right"' in specs and '"Right Wire"' not in specs


def test_page_leaning_pages_actors_gaps_by_leaning(rated):  # noqa: F811
    at = open_dashboard("pages/actors.py")
    at.segmented_control(key="actors_group").set_value("Leaning").run()
    gaps = next(d.value for d in at.dataframe if "leanings not mentioning" in d.value.columns)
    # Only the left-leaning outlets quote the farmer; the lean-right wire names her nowhere.
    lopez = gaps.set_index("actor").loc["Maria Lopez"]
    assert "lean right" in lopez["leanings not mentioning"]
    assert "left" in lopez["leanings mentioning"]


def test_page_leaning_pages_tone_toward_actors_per_leaning(rated):  # noqa: F811
    at = open_dashboard("pages/tone.py")
    at.segmented_control(key="tone_by").set_value("Leaning").run()
    assert_clean(at)
    cells = next(d.value for d in at.dataframe if "Scored mentions" in d.value.columns)
    assert set(cells["Outlet"]) <= {"left", "lean left", "lean right", "right"}
    stances = next(d.value for d in at.dataframe if "Stance" in d.value.columns)
    assert "Right Wire" in set(stances["Outlet"])  # each article's own outlet, as before


def test_leaning_per_outlet_sums_counts_per_leaning(rated):  # noqa: F811
    from ui import data, leaning

    df = data.load_metrics()
    rows = pd.DataFrame({"outlet": ["Right Post", "Right Radio", "Left Daily", "Right Post"],
                         "word": ["ruin", "ruin", "ruin", "slash"], "count": [2, 3, 1, 4]})
    assert leaning.per_outlet(rows, df, "outlet", "count") is rows
    out = leaning.per_outlet(rows, df, "leaning", "count")
    assert out.to_dict("records") == [{"outlet": "right", "word": "ruin", "count": 5},
                                      {"outlet": "right", "word": "slash", "count": 4},
                                      {"outlet": "left", "word": "ruin", "count": 1}]


@pytest.mark.parametrize(("page", "key"), PAGES)
def test_page_leaning_pages_unchanged_without_ratings(side_db, tmp_path, monkeypatch, page, key):  # noqa: F811
    monkeypatch.setenv("COVERAGE_LENS_DB", str(side_db))
    monkeypatch.setenv("COVERAGE_LENS_OUTLETS", str(tmp_path / "none.json"))
    at = open_dashboard(page)
    assert not at.get("segmented_control") or not any(s.key == key for s in at.get("segmented_control"))
    assert '"Right Wire"' in _specs(at) and '"lean right"' not in _specs(at)


def test_page_leaning_pages_report_says_one_sided_facts(rated):  # noqa: F811
    at = open_dashboard("pages/report.py")
    said = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert ("1 other left-leaning outlet reported “Engineers warned that the river could flood the "
            "northern valley.” on “Harbour dam”; no right-leaning outlet did.") in said
    assert "quoted or cited Maria Lopez" in said and "named Maria Lopez" not in said  # said once


def test_page_leaning_pages_coverage_facts_per_leaning(rated):  # noqa: F811
    at = open_dashboard("pages/coverage.py")
    at.selectbox(key="cov_story").set_value("Harbour dam").run()
    at.segmented_control(key="cov_by").set_value("Leanings").run()
    assert_clean(at)
    matrix = next(d.value for d in at.dataframe if "fact" in d.value.columns and "n_outlets" in d.value.columns)
    assert matrix.columns.tolist()[3:] == ["left", "lean left", "lean right", "right"]
    engineers = matrix[matrix["fact"].str.startswith("Engineers warned")].iloc[0]
    assert engineers["left"] and engineers["lean left"] and not engineers["right"] and not engineers["lean right"]


def test_page_leaning_pages_coverage_unchanged_without_ratings(side_db, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setenv("COVERAGE_LENS_DB", str(side_db))
    monkeypatch.setenv("COVERAGE_LENS_OUTLETS", str(tmp_path / "none.json"))
    at = open_dashboard("pages/coverage.py")
    assert at.segmented_control(key="cov_by").options == ["Outlets", "Articles"]
