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


def test_page_leaning_report_says_what_one_side_carried(rated):  # noqa: F811
    at = open_dashboard("pages/report.py")
    said = " ".join(m.value for m in at.markdown)
    assert "covered mostly by right\\-leaning outlets" in said or "covered mostly by right-leaning outlets" in said
    assert "no left" in said
    table = next(d.value for d in at.dataframe if "Outlet" in d.value.columns)
    assert table.columns.tolist()[:2] == ["Outlet", "Leaning"]


def test_page_leaning_cli_report_has_the_side_findings(rated, tmp_path):  # noqa: F811
    from analysis.__main__ import main

    out = tmp_path / "r.html"
    assert main(["report", "--out", str(out), "--db", str(rated)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "a blindspot for left-leaning outlets" in html and "<th>Leaning</th>" in html


def test_page_leaning_broken_outlets_file_is_said_not_fatal(side_db, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setenv("COVERAGE_LENS_DB", str(side_db))
    bad = tmp_path / "outlets.json"
    bad.write_text('{"outlets": {"Left Daily": {"leaning": "sideways"}}}', encoding="utf-8")
    monkeypatch.setenv("COVERAGE_LENS_OUTLETS", str(bad))
    at = open_dashboard("pages/stories.py")  # checked clean: no error box, no exception
    said = " ".join(w.value for w in at.sidebar.warning)
    assert "outlets file could not be read" in said and "sideways" in said
    assert any("No outlet of this selection has a known leaning" in i.value for i in at.info)
    for page in ("pages/overview.py", "pages/compare.py", "pages/report.py", "pages/corpus.py"):
        at.switch_page(page).run()
        assert not at.exception, page
        assert not any("could not be drawn" in e.value for e in at.error), page
    assert any("sideways" in e.value for e in at.error)  # the Outlets tab names the fault


def test_page_leaning_cli_report_names_a_broken_outlets_file(side_db, tmp_path, monkeypatch, capsys):  # noqa: F811
    from analysis.__main__ import main

    bad = tmp_path / "outlets.json"
    bad.write_text('{"outlets": {"X": {"leaning": "up"}}}', encoding="utf-8")
    monkeypatch.setenv("COVERAGE_LENS_OUTLETS", str(bad))
    assert main(["report", "--out", str(tmp_path / "r.html"), "--db", str(side_db)]) == 2
    assert "outlets.json: 'X': leaning 'up'" in capsys.readouterr().err
