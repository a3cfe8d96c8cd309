"""The DuckDB store: incremental import, survival across reopen, labels, deletion."""
import pandas as pd
import pytest

from analysis import pipeline, store
from analysis.model import Article

TEXT_A = "Putin met Trump in Helsinki. The meeting was short. Reporters waited outside."
TEXT_B = "Zelensky spoke to parliament in Kyiv. He asked for more air defence."


def articles():
    return [Article(TEXT_A, outlet="Outlet A", source_name="a.txt"),
            Article(TEXT_B, outlet="Outlet B", source_name="b.txt")]


def test_store_import_then_skip_unchanged(tmp_db):
    first = pipeline.import_articles(articles(), tmp_db)
    assert len(first.added) == 2
    again = pipeline.import_articles(articles(), tmp_db)
    assert (len(again.added), len(again.duplicates), len(again.reanalyzed)) == (0, 2, 0)


def test_store_same_text_other_file_is_a_duplicate(tmp_db):
    pipeline.import_articles(articles(), tmp_db)
    copy = Article("  putin met Trump in Helsinki.\nThe meeting was short.  Reporters waited outside.",
                   source_name="copy.txt")
    report = pipeline.import_articles([copy], tmp_db)
    assert [a.source_name for a in report.duplicates] == ["copy.txt"]
    assert len(store.articles(tmp_db)) == 2


def test_store_survives_reopen(tmp_db):
    pipeline.import_articles(articles(), tmp_db)
    stored = {a.source_name: a for a in store.articles(tmp_db)}
    assert stored["a.txt"].text == TEXT_A and stored["b.txt"].outlet == "Outlet B"
    result = store.result(stored["a.txt"].article_id, tmp_db)
    assert result["word_count"] == 12


def test_store_reanalyzes_only_stale_articles(tmp_db, monkeypatch):
    pipeline.import_articles(articles(), tmp_db)
    assert pipeline.reanalyze(tmp_db) == 0
    monkeypatch.setattr(pipeline, "CODE_VERSION", "test-bump")
    assert pipeline.reanalyze(tmp_db) == 2
    assert set(store.stored_versions(tmp_db).values()) == {pipeline.analysis_version()}


def test_store_relabel_keeps_id_and_results(tmp_db):
    pipeline.import_articles(articles(), tmp_db)
    a = next(x for x in store.articles(tmp_db) if x.source_name == "a.txt")
    before = store.revision(tmp_db)
    store.update_labels([a.article_id], outlet="Renamed", story="Helsinki summit", db=tmp_db)
    df = store.metrics_frame(tmp_db).set_index("article_id")
    assert df.loc[a.article_id, "outlet"] == "Renamed"
    assert df.loc[a.article_id, "story"] == "Helsinki summit"
    assert store.revision(tmp_db) > before


def test_store_delete_removes_every_row(tmp_db):
    pipeline.import_articles(articles(), tmp_db)
    a = store.articles(tmp_db)[0]
    store.delete([a.article_id], tmp_db)
    assert a.article_id not in store.stored_versions(tmp_db)
    for table in ("attributions", "actors", "sentences"):
        frame = store.items_frame(table, tmp_db)
        assert a.article_id not in set(frame.get("article_id", []))


def test_store_failed_batch_leaves_store_unchanged(tmp_db, monkeypatch):
    pipeline.import_articles(articles()[:1], tmp_db)
    before = store.stored_versions(tmp_db)

    def broken(self):
        raise RuntimeError("disk full")

    monkeypatch.setattr(store.Article, "as_dict", broken)
    with pytest.raises(RuntimeError):
        store.save([(Article(TEXT_B), {})], "v", tmp_db)
    monkeypatch.undo()
    assert store.stored_versions(tmp_db) == before


def test_store_db_location_from_environment(tmp_db):
    assert store.db_path() == tmp_db
    assert store.db_path("/x/other.duckdb").name == "other.duckdb"


def test_store_actor_votes_link_like_every_actor_row(sample_db, tmp_db):
    import pandas as pd

    from analysis import actors

    rows = store.items_frame("actors", sample_db)
    every_row = actors.link_corpus(rows[["name", "type", "n_mentions", "mentions", "roles", "role"]]
                                   .to_dict("records"))
    votes = store.actor_votes(sample_db)
    assert actors.link_corpus(votes) == every_row
    assert len(votes) < len(rows)  # one row per (name, type), not per article
    trump = {v["type"]: v for v in votes if v["name"] == "Donald Trump"}["person"]
    assert trump["n_mentions"] == rows.loc[(rows["name"] == "Donald Trump")
                                           & (rows["type"] == "person"), "n_mentions"].sum()
    mapping = actors.link_corpus(votes)
    pd.testing.assert_frame_equal(actors.link_frame(rows, mapping), actors.link_frame(rows))
    # the types voted over the whole corpus, from the votes: the same as over every row
    pd.testing.assert_frame_equal(actors.link_frame(rows, *actors.corpus_links(votes)),
                                  actors.link_frame(rows))
    assert store.actor_votes(tmp_db) == []


def test_store_items_of_some_articles_are_those_rows_with_every_column(sample_db):
    import pandas as pd

    ids = [a.article_id for a in store.articles(sample_db)[1:3]]
    for table in store.ITEM_TABLES:
        every = store.items_frame(table, sample_db)
        some = store.items_frame(table, sample_db, ids=ids)
        assert set(some["article_id"]) == set(ids)
        # (an integer column with nulls elsewhere is nullable Int64 there, plain int64 here)
        pd.testing.assert_frame_equal(some, every[every["article_id"].isin(ids)].reset_index(drop=True),
                                      check_dtype=False)
        assert store.items_frame(table, sample_db, ids=["no such article"]).columns.equals(every.columns)


def test_store_loaded_words_are_each_results_list(sample_db, tmp_path):
    import shutil

    import duckdb

    columns = ["article_id", "word", "start", "end", "category", "in_quote"]
    expected = [{c: v for c, v in {"article_id": aid, **item}.items() if c in columns}
                for aid in store.stored_versions(sample_db)
                for item in store.result(aid, sample_db)["tone"]["loaded_words"]]
    assert len(expected) > 5

    def rows(db):
        return sorted(store.items_frame("loaded_words", db)[columns].to_dict("records"), key=str)

    assert rows(sample_db) == sorted(expected, key=str)
    # A store made before the table existed gets it filled from its results when opened.
    old = tmp_path / "old.duckdb"
    shutil.copy(sample_db, old)
    with duckdb.connect(str(old)) as con:
        con.execute("DROP TABLE loaded_words")
        con.execute("DELETE FROM meta WHERE key = 'loaded_words_table'")
    assert rows(old) == rows(sample_db)
    with store.connect(old) as con:  # once only
        con.execute("DELETE FROM loaded_words")
    assert store.items_frame("loaded_words", old).empty


def test_store_made_before_the_actor_columns_gets_them(sample_db, tmp_path):
    import shutil

    import duckdb

    old = tmp_path / "old.duckdb"
    shutil.copy(sample_db, old)
    with duckdb.connect(str(old)) as con:
        for column in ("type", "n_mentions", "roles", "sentiment", "aliases", "in_title",
                       "in_lead", "first_mention"):
            con.execute(f"ALTER TABLE actors DROP COLUMN {column}")
        con.execute("DELETE FROM meta WHERE key = 'actor_columns_2'")
    ids = list(store.stored_versions(sample_db))
    assert store.actor_votes(old) == store.actor_votes(sample_db)
    pd.testing.assert_frame_equal(store.actor_rows(old), store.actor_rows(sample_db))
    pd.testing.assert_frame_equal(store.actor_names_used(ids, old),
                                  store.actor_names_used(ids, sample_db))


def test_store_actor_rows_are_the_actor_items_without_lists(sample_db, tmp_db):
    rows = store.items_frame("actors", sample_db)
    lean = store.actor_rows(sample_db)
    assert lean.columns.tolist() == ["article_id", "outlet", "name", "type", "n_mentions",
                                     "n_references", "sentiment", "stance", "in_title",
                                     "in_lead", "first_mention"]
    pd.testing.assert_frame_equal(lean, rows[lean.columns], check_dtype=False)
    assert lean["sentiment"].notna().any() and lean["in_title"].any() and lean["in_lead"].any()
    assert lean["n_mentions"].sum() > len(lean)  # some actors are mentioned several times
    assert lean["n_references"].sum() > 0  # "he", "the president" ...
    assert store.actor_rows(tmp_db).empty


def test_store_actor_names_used_counts_each_alias_and_role(sample_db, tmp_db):
    from collections import Counter

    rows = store.items_frame("actors", sample_db)
    ids = rows["article_id"].unique().tolist()[:3]
    rows = rows[rows["article_id"].isin(ids)]
    expected = Counter((name, field, text) for field in ("aliases", "roles")
                       for name, texts in zip(rows["name"], rows[field]) for text in texts if text)
    used = store.actor_names_used(ids, sample_db)
    assert dict(zip(zip(used["name"], used["field"], used["text"]), used["n"])) == expected
    assert {"aliases", "roles"} <= set(used["field"])
    assert store.actor_names_used(["no such article"], sample_db).empty
    assert store.actor_names_used(ids, tmp_db).empty


def test_store_source_counts_count_each_source_of_the_articles(sample_db, tmp_db):
    from collections import Counter

    rows = store.items_frame("attributions", sample_db)
    ids = rows["article_id"].unique().tolist()[:3]
    rows = rows[rows["article_id"].isin(ids)]
    expected = Counter()
    for r in rows.to_dict("records"):
        joint = list(r["actors"]) if r.get("actors") is not None and len(r["actors"]) > 1 else None
        for actor in joint or [r["actor"] if isinstance(r["actor"], str) else None]:
            expected[(actor, r["source"] if isinstance(r["source"], str) else None, r["source_type"])] += 1
    counts = store.source_counts(ids, sample_db)
    keys = zip(*([v if isinstance(v, str) else None for v in counts[c]]
                 for c in ("actor", "source", "source_type")))
    assert dict(zip(keys, counts["n"])) == expected
    assert counts["n"].sum() >= len(rows)  # a joint statement counts for each of its speakers
    assert store.source_counts(ids, tmp_db).empty


def test_store_loaded_word_counts_count_the_narrations_words_per_outlet(sample_db, tmp_db):
    from collections import Counter

    rows = store.items_frame("loaded_words", sample_db)
    ids = rows["article_id"].unique().tolist()[:3]
    rows = rows[rows["article_id"].isin(ids)]
    narration = rows[~rows["in_quote"].astype(bool)]
    expected = Counter((o, w.lower(), c.split(":")[0]) for o, w, c in
                       zip(narration["outlet"], narration["word"], narration["category"]))
    counts = store.loaded_word_counts(ids, sample_db)
    assert dict(zip(zip(counts["outlet"], counts["word"], counts["category"]), counts["count"])) == expected
    assert len(narration) < len(rows)  # some loaded words are inside quotes, and not counted
    assert counts["count"].is_monotonic_decreasing
    assert store.loaded_word_counts(ids, tmp_db).empty


def test_store_tone_by_part_averages_each_tenth_of_the_articles(tmp_db):
    def sentences(n, sign):  # n sentences of tone sign * i / n, every other one quoted
        return {"word_count": n, "sentence_count": n, "sentences": [{"start": i, "end": i + 1, "sentiment": sign * i / n,
                               "in_quote": i % 2 == 0} for i in range(n)]}

    stored = [(Article("a1", outlet="A"), sentences(20, 1)), (Article("a2", outlet="A"), sentences(20, 1)),
              (Article("b1", outlet="B"), sentences(5, -1)), (Article("c1", outlet="C"), sentences(20, 1))]
    store.save(stored, "v", tmp_db)
    ids = [a.article_id for a, _ in stored[:3]]  # not C's article
    cells = store.tone_by_part(ids, tmp_db).set_index(["outlet", "part"])
    assert cells.index.get_level_values("outlet").unique().tolist() == ["A", "B"]
    assert cells.loc[("A", 1)].tolist() == pytest.approx([0.5 / 20, 4, 0.5])  # sentences 0, 1
    assert cells.loc[("A", 10), "tone"] == pytest.approx(18.5 / 20)
    # 5 sentences over 10 parts: one sentence each in parts 1, 3, 5, 7 and 9
    assert cells.loc["B"].index.tolist() == [1, 3, 5, 7, 9]
    assert cells.loc[("B", 9)].tolist() == pytest.approx([-4 / 5, 1, 1.0])
    assert store.tone_by_part([], tmp_db).empty


@pytest.mark.parametrize("rows", [0, 1, 3])
def test_store_frames_read_through_arrow_keep_duckdbs_dtypes(rows):
    import duckdb
    import pandas as pd

    columns = []
    for kind, value in [("VARCHAR", "'a'"), ("BIGINT", "5"), ("DOUBLE", "1.5"),
                        ("DATE", "DATE '2025-01-02'"), ("BOOLEAN", "true"),
                        ("TIMESTAMP", "TIMESTAMP '2025-01-02 03:04:05'")]:
        columns += [f"CASE WHEN i = 1 THEN {value} END::{kind} AS some_{kind}",
                    f"NULL::{kind} AS none_{kind}", f"{value}::{kind} AS all_{kind}"]
    sql = f"SELECT {', '.join(columns)} FROM range({rows}) r(i)"
    con = duckdb.connect()
    pd.testing.assert_frame_equal(store._frame(con, sql), con.execute(sql).df())


def test_store_metrics_frame_dates_and_missing_fields(tmp_db):
    import datetime as dt

    import pandas as pd

    dated = Article(TEXT_A, outlet="Outlet A", source_name="a.txt", author="Ann Lee",
                    published=dt.date(2025, 3, 1))
    pipeline.import_articles([dated, Article(TEXT_B, source_name="b.txt")], tmp_db)
    frame = store.metrics_frame(tmp_db).set_index("source_name")
    assert frame.loc["a.txt", "published"] == pd.Timestamp("2025-03-01")
    assert pd.isna(frame.loc["b.txt", "published"]) and pd.isna(frame.loc["b.txt", "author"])
    assert frame["url"].tolist() == [None, None]
