"""Pure helpers of ui/: labels and figure builders."""
import pandas as pd
import pytest

from ui import charts, data, limits
from ui.charts import article_labels
from ui.colors import outlet_colors


def test_ui_article_labels_are_short_and_unique():
    df = pd.DataFrame({"outlet": ["Wire", "Wire", "Wire", "Blog"],
                       "title": ["Talks resume", "Talks resume", "A very long headline that goes on and on", None],
                       "source_name": ["a.txt", "b.txt", "c.txt", "d.txt"]})
    labels = article_labels(df).tolist()
    assert labels == ["Wire · Talks resume", "Wire · Talks resume (2)",
                      "Wire · A very long headline that go…", "Blog"]


def test_ui_outlet_colours_are_stable_whatever_the_order():
    assert outlet_colors(["B", "A", "C"]) == outlet_colors(["C", "A", "B", "A"])
    assert len(set(outlet_colors(["A", "B", "C"]).values())) == 3


def articles(n: int, outlets: int = 3) -> pd.DataFrame:
    """``n`` articles spread over ``outlets`` outlets, with the metric columns charts read."""
    k = pd.RangeIndex(n)
    return pd.DataFrame({
        "article_id": [f"a{i}" for i in k], "outlet": [f"Outlet {i % outlets}" for i in k],
        "title": [f"Title {i}" for i in k], "source_name": [f"{i}.txt" for i in k],
        "label": [f"Outlet {i % outlets} · Title {i}" for i in k],
        "readability_grade": [8 + i % 7 for i in k], "tone_sentiment": [(i % 9 - 4) / 10 for i in k],
        "tone_subjectivity": [(i % 5) / 5 for i in k], "word_count": [300 + 10 * i for i in k],
        "sources_n_named_sources": [i % 4 for i in k], "sources_n_anonymous_sources": [i % 2 for i in k],
        "sources_n_vague_sources": [i % 3 for i in k]})


def test_ui_per_article_chart_draws_outlet_boxes_above_the_limit():
    colors = outlet_colors([f"Outlet {i}" for i in range(3)])
    small = charts.metric_by_article(articles(limits.ARTICLE_ROWS), "readability_grade", "Grade", colors)
    assert {t.type for t in small.data} == {"bar"}
    assert sum(len(t.y) for t in small.data) == limits.ARTICLE_ROWS
    big = charts.metric_by_article(articles(limits.ARTICLE_ROWS + 1), "readability_grade", "Grade", colors)
    assert [t.type for t in big.data] == ["box"] * 3
    note = charts.per_outlet_note(limits.ARTICLE_ROWS + 1)
    assert f"{limits.ARTICLE_ROWS + 1} articles are too many" in note
    assert f"{limits.ARTICLE_ROWS} articles or fewer" in note


def test_ui_outlet_boxes_hold_the_box_statistics():
    fig = charts.outlet_boxes(pd.Series([1, 2, 3, 4, 100, 10, 20]),
                              pd.Series(["A"] * 5 + ["B"] * 2), "x", {})
    a = next(t for t in fig.data if t.y[0] == "A")
    assert (a.q1[0], a.median[0], a.q3[0]) == (2, 3, 4)
    assert (a.lowerfence[0], a.upperfence[0]) == (1, 4)  # 100 lies beyond 1.5 x the box
    assert a.name == "A (5 articles)" and a.mean[0] == 22


def test_ui_source_mix_shows_outlet_means_above_the_limit():
    big = charts.source_mix(articles(limits.ARTICLE_ROWS + 2))
    assert [t.name for t in big.data] == ["Named", "Anonymous", "Vague"]
    assert all(len(t.y) == 3 for t in big.data)  # one bar per outlet
    assert "outlet mean" in big.layout.xaxis.title.text


def test_ui_scatter_draws_a_fixed_sample_above_the_limit(monkeypatch):
    monkeypatch.setattr(limits, "POINTS", 10)
    df = articles(25)
    first = charts.sentiment_vs_subjectivity(df, {})
    again = charts.sentiment_vs_subjectivity(df, {})
    assert sum(len(t.x) for t in first.data) == 10
    assert [list(t.text) for t in first.data] == [list(t.text) for t in again.data]
    assert charts.sample_note(25).startswith("10 of the 25 articles are drawn")


def test_ui_tone_by_position_draws_each_outlets_tenths():
    cells = pd.DataFrame({"outlet": ["A", "A", "B"], "part": [1, 2, 1], "tone": [0.5, -0.25, 0.1],
                          "n": [4, 2, 3], "quoted": [0.5, 0.0, 1.0]})
    heat = charts.tone_by_position(cells).data[0]
    assert list(heat.y) == ["A", "B"] and list(heat.x) == ["0–10%", "10–20%"]
    assert heat.z[0][1] == -0.25 and heat.text[0][0] == "+0.50" and heat.text[1][1] == ""
    assert heat.zmax == 0.5 and heat.zmin == -0.5
    assert list(heat.customdata[0][0]) == [4, 0.5] and list(heat.customdata[1][0]) == [3, 1.0]


def test_ui_rows_of_picks_the_articles_rows():
    items = pd.DataFrame({"article_id": ["a", "a", "b", "c", "c"], "idx": range(5)})
    assert data.rows_of(items, ["c", "a", "a"]) is not items
    assert data.rows_of(items, ["c", "a", "zz"])["idx"].tolist() == [0, 1, 3, 4]
    assert data.rows_of(items, ["a", "b", "c"]) is items  # every article: the shared frame itself
    assert data.rows_of(items, []).empty


def test_ui_select_items_of_a_few_articles_before_the_table_is_loaded(sample_db, monkeypatch):
    """A few articles' rows read on their own equal those rows of the whole loaded table."""
    monkeypatch.setenv("COVERAGE_LENS_DB", str(sample_db))
    ids = data.load_metrics()["article_id"].tolist()[:2]
    data._items.clear()  # as in a process that has not loaded them yet
    for table in ("attributions", "actors", "sentences", "loaded_words"):
        data._loaded.pop((table, data.db()), None)
        few = data.select_items(table, ids)
        assert (table, data.db()) not in data._loaded  # the whole table was not loaded
        whole = data.load_items(table)
        assert (table, data.db()) in data._loaded
        expected = data.rows_of(whole, ids)
        # from the loaded table now: its row labels
        assert len(few) and data.select_items(table, ids).index.equals(expected.index)
        pd.testing.assert_frame_equal(few, expected.reset_index(drop=True), check_dtype=False)


def test_ui_export_items_are_the_selections_rows_with_their_articles_fields(sample_db, monkeypatch):
    monkeypatch.setenv("COVERAGE_LENS_DB", str(sample_db))
    df = data.load_metrics().iloc[1:3]
    for table in ("attributions", "actors"):
        rows = data.export_items(table, df)
        expected = data.rows_of(data.load_items(table), df["article_id"])
        assert len(rows) == len(expected) > 0 and "idx" not in rows
        assert set(rows["article_id"]) == set(df["article_id"])
        titles = dict(zip(df["article_id"], df["title"]))
        assert [titles[a] for a in rows["article_id"]] == rows["title"].tolist()
        assert rows["story"].notna().all() and rows["source_name"].notna().all()


def test_ui_sentence_words_counted_for_analyses_without_them(sample_db, tmp_path, monkeypatch):
    """Stores analyzed before sentences carried their word count get the same counts."""
    import json
    import shutil

    import duckdb

    old = tmp_path / "old.duckdb"
    shutil.copy(sample_db, old)
    with duckdb.connect(str(old)) as con:
        rows = con.execute("SELECT article_id, idx, data FROM sentences").fetchall()
        some = {a for a, _, _ in rows[: len(rows) // 2]}  # half the articles analyzed before
        for article_id, idx, item in rows:
            if article_id in some:
                item = {k: v for k, v in json.loads(item).items() if k != "words"}
                con.execute("UPDATE sentences SET data = ? WHERE article_id = ? AND idx = ?",
                            [json.dumps(item), article_id, idx])
    monkeypatch.setenv("COVERAGE_LENS_DB", str(sample_db))
    stored = data.load_items("sentences")
    monkeypatch.setenv("COVERAGE_LENS_DB", str(old))
    counted = data.load_items("sentences")
    assert stored["words"].gt(0).all()
    assert counted["words"].tolist() == stored["words"].tolist()


def test_ui_load_actors_is_the_linked_actors_table_without_lists(sample_db, monkeypatch):
    """What the pages read from the lean actor rows is what the whole linked table says."""
    monkeypatch.setenv("COVERAGE_LENS_DB", str(sample_db))
    lean, linked = data.load_actors(), data.load_items("actors")
    assert "aliases" not in lean and "title" not in lean
    key = ["article_id", "name"]
    pd.testing.assert_frame_equal(lean.sort_values(key, ignore_index=True),
                                  linked[lean.columns].sort_values(key, ignore_index=True),
                                  check_dtype=False)
    assert lean["name"].nunique() < lean["article_name"].nunique()  # some names were linked


def test_ui_garbage_collector_paused_while_building_and_restored_after():
    import gc

    @data._gc_paused()
    def build(fail: bool = False):
        assert not gc.isenabled()
        with data._gc_paused():  # nested: a frame built from another
            assert not gc.isenabled()
        assert not gc.isenabled()
        if fail:
            raise ValueError("broken store")
        return [[i] for i in range(10)]

    assert gc.isenabled()
    assert len(build()) == 10 and gc.isenabled()
    with pytest.raises(ValueError):
        build(fail=True)
    assert gc.isenabled()


def test_ui_profile_draws_equal_values_alike_and_small_gaps_small():
    bounds = pd.DataFrame({"min": [3.0, 0.30, -0.2], "max": [3.0, 0.32, 0.4]},
                          index=["quotes", "subjectivity", "sentiment"])
    items = pd.DataFrame({"name": ["A", "B"], "outlet": ["A", "B"], "quotes": [3.0, 3.0],
                          "subjectivity": [0.30, 0.32], "sentiment": [-0.2, 0.4]})
    fig = charts.profile(items, [("quotes", "Quotes"), ("subjectivity", "Subjectivity"),
                                 ("sentiment", "Sentiment")], bounds, {})
    a, b = (trace.r for trace in fig.data)
    assert a[0] == b[0] == 1.0  # equal: the same radius, not the middle of the axis
    assert abs(a[1] - b[1]) < 0.1  # 0.30 against 0.32: a small gap stays small
    assert (a[2], b[2]) == (0.0, 1.0)  # below zero: the axis starts at the lowest value
    assert list(fig.data[1].customdata[:3]) == [3.0, 0.32, 0.4]  # hover shows the values


def test_ui_labels_are_words_not_codes():
    assert charts.human("named_person") == "Named person"
    assert charts.human("according_to") == "According to"
    assert charts.human(None) == charts.human(float("nan")) == "–"
    df = pd.DataFrame({"outlet": ["A", "A"], "title": [None, ""], "source_name": [None, None]})
    assert charts.article_labels(df).tolist() == ["A · (no headline)", "A · (no headline) (2)"]


def test_ui_count_axes_tick_whole_numbers():
    assert charts.count_axis("Mentions", 3)["dtick"] == 1
    assert charts.count_axis("Mentions", 300)["tickformat"] == ",d"


def test_ui_tables_show_no_none():
    from ui import tables

    df = pd.DataFrame({"Title": ["Talks", None, ""], "Outlet": ["A", None, "B"], "Words": [1.0, None, 3.0]})
    shown = tables.readable(df)
    assert shown["Title"].tolist() == ["Talks", "(no headline)", "(no headline)"]
    assert shown["Outlet"].tolist() == ["A", "–", "B"]
    assert shown["Words"].dtype == float  # numbers stay numbers


def test_ui_chart_text_is_16_px_whatever_the_template():
    import plotly.graph_objects as go

    fig = charts.style(go.Figure(go.Bar(x=[1], y=["a"])), xaxis=dict(title="Mentions"),
                       legend=dict(orientation="h"))
    layout = fig.layout
    assert layout.font.size == layout.xaxis.tickfont.size == layout.yaxis.tickfont.size == 16
    assert layout.xaxis.title.font.size == layout.legend.font.size == 16
    assert layout.legend.orientation == "h"  # the figure's own legend settings are kept


def test_ui_chart_frame_key_sees_every_value_but_the_text_its_id_stands_for():
    df = articles(6).assign(text=[f"Body {i}" for i in range(6)],
                            notes=[[] for _ in range(6)])
    key = charts._frame_key(df)
    assert charts._frame_key(df.copy()) == key
    assert charts._frame_key(df.assign(text="another body")) == key  # article_id decides it
    changed = df.copy()
    changed.loc[3, "outlet"] = "Outlet 9"
    assert charts._frame_key(changed) != key
    assert charts._frame_key(df.assign(notes=[["note"]] + [[]] * 5)) != key
    assert charts._frame_key(df.iloc[::-1]) != key
    assert charts._frame_key(df["outlet"]) != charts._frame_key(df["title"])


def test_ui_shared_figures_are_built_once_per_input_in_the_dashboard_only():
    from streamlit.testing.v1 import AppTest

    df = articles(4)
    assert charts.source_mix(df) is not charts.source_mix(df)  # outside a page: built each time

    def page():
        import streamlit as st

        from tests.test_ui import articles
        from ui import charts

        df = articles(4)
        big = articles(charts.SHARED_MAX_ROWS + 1)
        st.write(charts.source_mix(df) is charts.source_mix(df.copy()),
                 charts.source_mix(df) is charts.source_mix(df.assign(outlet="Other")),
                 charts.source_mix(big) is charts.source_mix(big))

    at = AppTest.from_function(page).run()
    assert not at.exception
    assert at.markdown[0].value == "`True` `False` `False`"


def test_charts_tone_dimensions_colour_gaps_in_article_spreads():
    means = pd.DataFrame({"subjectivity": [0.311, 0.309], "sentiment": [0.30, -0.30]},
                         index=["A", "B"])
    spread = pd.Series({"subjectivity": 0.05, "sentiment": 0.2})
    fig = charts.tone_dimensions(means, {"subjectivity": "Subjectivity", "sentiment": "Sentiment"},
                                 spread)
    (subj_a, subj_b), (sent_a, sent_b) = fig.data[0].z
    assert abs(subj_a) < 0.05 and abs(subj_b) < 0.05  # 0.311 vs 0.309: pale, not opposites
    assert sent_a == pytest.approx(1.5) and sent_b == pytest.approx(-1.5)
    assert fig.data[0].zmax == charts.LARGE_GAP_SD  # the colour saturates at a large gap
