"""Overview and Compare colour or group by leaning when some outlet is rated, and look as
before when none is (tests/side_corpus.py; the shared fixture in test_page_stories)."""
from .helpers import assert_clean, open_dashboard
from .test_page_stories import rated, side_db  # noqa: F401  (the fixtures)


def test_page_leaning_overview_colours_by_leaning(rated):  # noqa: F811
    at = open_dashboard("pages/overview.py")
    charts = len(at.get("plotly_chart"))
    at.segmented_control(key="ov_by").set_value("Leaning").run()
    assert_clean(at)
    assert len(at.get("plotly_chart")) == charts
    tone = next(c for c in at.get("plotly_chart") if '"lean left"' in c.proto.spec)
    assert '"#67A9CF"' in tone.proto.spec  # the lean-left colour


def test_page_leaning_compare_leanings(rated):  # noqa: F811
    at = open_dashboard("pages/compare.py")
    at.segmented_control(key="cmp_mode").set_value("Leanings").run()
    at.multiselect(key="cmp_pick_Leanings").set_value(["left", "right"]).run()
    assert_clean(at)
    assert [m.value for m in at.markdown if m.value.startswith("**left**") or m.value.startswith("**right**")]


def test_page_leaning_hidden_when_no_outlet_is_rated(side_db, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setenv("COVERAGE_LENS_DB", str(side_db))
    monkeypatch.setenv("COVERAGE_LENS_OUTLETS", str(tmp_path / "none.json"))
    at = open_dashboard("pages/overview.py")
    assert not any(s.key == "ov_by" for s in at.get("segmented_control"))
    assert not any(m.label == "Leaning" for m in at.sidebar.multiselect)
    at.switch_page("pages/compare.py").run()
    assert_clean(at)
    assert at.segmented_control(key="cmp_mode").options == ["Articles", "Outlets"]
