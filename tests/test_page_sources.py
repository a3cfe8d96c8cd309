"""The Sources page renders the sample corpus: charts, speaker matrix, attribution table."""
import pytest

from .helpers import assert_clean, open_dashboard


@pytest.fixture
def page(sample_db, monkeypatch):
    monkeypatch.setenv("COVERAGE_LENS_DB", str(sample_db))
    return open_dashboard("pages/sources.py")


def attribution_table(at):
    return next(d.value for d in at.dataframe if "Quote or paraphrase" in d.value.columns)


def test_page_sources_shows_speakers_and_types(page):
    assert page.title[0].value == "Sources"
    assert len(page.get("plotly_chart")) == 3
    table = attribution_table(page)
    speakers = " ".join(table["Speaker"])
    for name in ("Witkoff", "Rubio", "Grushko", "Macron", "Starmer", "CNN"):
        assert name in speakers
    assert {"News outlet", "Vague", "Named person"} <= set(table["Source type"])  # not the codes
    assert any("speakers by outlet" in b.label for b in page.get("download_button"))


def test_page_sources_filters_the_table(page):
    page.multiselect(key="src_types").set_value(["vague"]).run()
    assert_clean(page)
    table = attribution_table(page)
    assert len(table) > 0 and set(table["Source type"]) == {"Vague"}
    page.text_input(key="src_who").set_value("no such speaker").run()
    assert attribution_table(page).empty


def test_page_sources_empty_selection_explains(page):
    page.text_input(key="f_search").set_value("no such phrase anywhere").run()
    assert_clean(page)
    assert "No articles match these filters" in page.info[0].value


def test_page_sources_many_quotes_are_matched_on_request(sample_db, monkeypatch):
    from ui import limits

    monkeypatch.setenv("COVERAGE_LENS_DB", str(sample_db))
    monkeypatch.setattr(limits, "SHARED_QUOTES", 1)
    at = open_dashboard("pages/sources.py")
    note = next(i.value for i in at.info if "direct and mixed quotes" in i.value)
    assert "Narrow the selection in the sidebar" in note
    at.toggle(key="src_match_all").set_value(True).run()
    assert_clean(at)
    assert not any("direct and mixed quotes" in i.value for i in at.info)
    assert any("Quotations found in articles" in c.value or "No quotation appears" in c.value
               for c in at.caption)
