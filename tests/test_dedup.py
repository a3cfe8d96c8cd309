"""Near-duplicates through the store's shingle index, and edited files or pages replacing their
stored version."""
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from analysis import dedup, ingest, pipeline, store
from analysis.model import Article

ROOT = Path(__file__).resolve().parent.parent

STORY = ("The river authority opened a new pumping station on Friday, three years after the "
         "flood that damaged more than four hundred homes in the lower valley. Engineers say the "
         "station can move enough water to fill an Olympic pool every two minutes.\n\n"
         "Residents welcomed the opening but asked why it had taken so long, and the authority "
         "promised a public report on the delays before the end of the year.")
EDITED = STORY + "\n\nCorrection: an earlier version of this article misstated the date."
OTHER = ("The council approved the new school budget on Tuesday after a short debate about the "
         "cost of heating the old buildings, repairing their roofs and hiring more teachers for "
         "the autumn term, which parents had asked for at three public meetings this spring.")


@pytest.fixture
def quick_analysis(monkeypatch):
    """Stands in for the metrics: these tests are about what gets stored, not the analysis."""
    def analyze(articles, **_):
        for a in articles:
            yield a, {"word_count": len(a.text.split()), "sentence_count": 1, "readability": {},
                      "tone": {"loaded_words": [{"word": "vast"}]}, "sources": {},
                      "attributions": [{"source": "x"}],
                      "actors": [{"name": "River authority"}], "sentences": [{"start": 0}]}

    monkeypatch.setattr(pipeline, "analyze_articles", analyze)


def rows_per_table(db) -> dict[str, dict[str, int]]:
    """table -> article_id -> number of rows, for every table holding rows per article."""
    with store.connect(db) as con:
        return {t: dict(con.execute(f"SELECT article_id, count(*) FROM {t} GROUP BY 1").fetchall())
                for t in store.ARTICLE_TABLES}


def file(name, text, outlet="Harbor Post"):
    return Article(text, outlet=outlet, source_name=name)


# --- hashes and the index --------------------------------------------------------------

def test_dedup_shingle_hashes_are_stable_across_processes():
    mine = sorted(dedup.shingles(STORY))[:5]
    code = ("from analysis import dedup; "
            f"print(sorted(dedup.shingles({STORY!r}))[:5])")
    other = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                           text=True, check=True).stdout
    assert other.strip() == str(mine)
    assert all(-2**63 <= h < 2**63 for h in mine)


def test_dedup_import_writes_the_index(tmp_db, quick_analysis):
    report = pipeline.import_articles([file("a.txt", STORY), ingest.read_pasted(OTHER)], tmp_db)
    a, pasted = report.added
    with store.connect(tmp_db) as con:
        index = dict(con.execute("SELECT article_id, source_key FROM article_index").fetchall())
        n = dict(con.execute("SELECT article_id, count(*) FROM shingles GROUP BY 1").fetchall())
        assert con.execute("SELECT count(*) FROM staged_index").fetchone()[0] == 0
    assert index == {a.article_id: "file:Harbor Post\x1fa.txt", pasted.article_id: None}
    assert n[a.article_id] == len(dedup.shingles(STORY))


def test_dedup_stored_near_duplicate_is_found_through_the_index(tmp_db, quick_analysis):
    pipeline.import_articles([file("a.txt", STORY), file("b.txt", OTHER)], tmp_db)
    copy = ingest.read_pasted("Updated: " + STORY.replace("on Friday", "on Friday morning"),
                              outlet="Copy Desk")
    matches = store.similar_stored({copy.article_id: dedup.shingles(copy.text)},
                                   dedup.THRESHOLD, dedup.MIN_SHINGLES, tmp_db)
    [(new_id, stored_id, score)] = matches
    a = next(x for x in store.articles(tmp_db) if x.source_name == "a.txt")
    assert (new_id, stored_id) == (copy.article_id, a.article_id)
    assert score == pytest.approx(dedup.containment(dedup.shingles(copy.text),
                                                    dedup.shingles(STORY)))
    report = pipeline.import_articles([copy], tmp_db)
    [(flagged, note)] = report.near_duplicates
    assert flagged is copy and note.startswith("near-duplicate of 'a.txt' (Harbor Post")


def test_dedup_index_agrees_with_the_in_memory_comparison(tmp_db, quick_analysis):
    stored = [file("a.txt", STORY), file("b.txt", OTHER)]
    pipeline.import_articles(stored, tmp_db)
    new = [ingest.read_pasted(STORY[40:] + " More."), ingest.read_pasted(OTHER[:-30]),
           ingest.read_pasted("Nothing like the others, and far too short.")]
    in_memory = dedup.flag_near_duplicates([Article(a.text) for a in new], stored)
    indexed = dedup.flag_near_duplicates(new, db=tmp_db)
    assert [n for _, n in indexed] == [n for _, n in in_memory]
    assert len(indexed) == 2


def test_dedup_deleting_an_article_removes_its_shingles(tmp_db, quick_analysis):
    report = pipeline.import_articles([file("a.txt", STORY), file("b.txt", OTHER)], tmp_db)
    a, b = report.added
    store.delete([a.article_id], tmp_db)
    rows = rows_per_table(tmp_db)
    assert all(a.article_id not in per_article for per_article in rows.values())
    assert rows["shingles"][b.article_id] == len(dedup.shingles(OTHER))
    assert not store.similar_stored({"x": dedup.shingles(STORY)}, 0.1, 1, tmp_db)


def test_dedup_store_without_index_is_indexed_on_the_next_import(tmp_db, quick_analysis):
    report = pipeline.import_articles([file("a.txt", STORY), file("b.txt", OTHER)], tmp_db)
    with store.connect(tmp_db) as con:  # a store made before the index existed
        for table in ("article_index", "shingles", "meta"):
            con.execute(f"DROP TABLE {table}")
    copy = ingest.read_pasted(STORY.replace("Friday", "Saturday"))
    again = pipeline.import_articles([copy], tmp_db)
    assert [a for a, _ in again.near_duplicates] == [copy]
    with store.connect(tmp_db) as con:
        keys = dict(con.execute("SELECT article_id, source_key FROM article_index").fetchall())
    assert keys[report.added[1].article_id] == "file:Harbor Post\x1fb.txt"
    assert store.build_index(tmp_db) == 0  # nothing left to index


def test_dedup_index_built_with_other_hashes_is_rebuilt(tmp_db, quick_analysis, monkeypatch):
    pipeline.import_articles([file("a.txt", STORY)], tmp_db)
    monkeypatch.setattr(dedup, "INDEX_VERSION", "another hash")
    assert store.build_index(tmp_db) == 1
    assert store.build_index(tmp_db) == 0
    with store.connect(tmp_db) as con:
        assert con.execute("SELECT value FROM meta WHERE key = 'shingle_index'").fetchone() == (
            "another hash",)
        assert con.execute("SELECT count(*) FROM shingles").fetchone()[0] == len(
            dedup.shingles(STORY))


# --- source identity -------------------------------------------------------------------

@pytest.mark.parametrize("article, key", [
    (Article("t", outlet="O", source_name="a.txt"), "file:O\x1fa.txt"),
    (Article("t", outlet="O", source_name="pages.zip/x/a.html"), "file:O\x1fpages.zip/x/a.html"),
    (Article("t", url="HTTPS://Example.COM/story?id=2#top", source_name="export.csv row 3"),
     "url:https://example.com/story?id=2"),
    (Article("t", source_name="pasted text"), None),
    (Article("t", source_name="export.csv row 3"), None),
    (Article("t", source_name="feed.jsonl line 7"), None),
    (Article("t", source_name=""), None),
])
def test_dedup_source_key(article, key):
    assert dedup.source_key(article) == key


# --- edited files replace their stored version -----------------------------------------

def test_dedup_edited_file_replaces_its_stored_version(tmp_db, quick_analysis):
    first = pipeline.import_articles([file("a.txt", STORY), file("b.txt", OTHER)], tmp_db)
    old, b = first.added
    store.update_labels([old.article_id], outlet="Daily Harbor", story="Flood wall", db=tmp_db)
    analyzed = []
    report = pipeline.import_articles([file("a.txt", EDITED), file("b.txt", OTHER)], tmp_db,
                                      progress=lambda done, total: analyzed.append(total))
    assert analyzed[-1] == 1  # only the edited text
    [(new, [replaced])] = report.replaced
    assert replaced.article_id == old.article_id and not report.added
    assert not report.near_duplicates  # not a near-duplicate of the version it replaces
    assert report.summary() == ("0 added, 1 replaced (edited), 0 re-analyzed, "
                                "1 skipped as already stored, 0 refused")
    stored = {a.source_name: a for a in store.articles(tmp_db)}
    assert stored["a.txt"].article_id == new.article_id and stored["a.txt"].text == EDITED
    assert (stored["a.txt"].outlet, stored["a.txt"].story) == ("Daily Harbor", "Flood wall")
    assert any(n.startswith("edited version of this file: replaces 'a.txt'")
               for n in stored["a.txt"].ingest_notes)
    for table, per_article in rows_per_table(tmp_db).items():
        assert old.article_id not in per_article, table
        if table != "story_auto":  # rows only for the articles story detection placed
            assert new.article_id in per_article and b.article_id in per_article, table
    # the source key stays the import's (not the relabelled outlet): a second edit replaces too
    again = pipeline.import_articles([file("a.txt", EDITED + " And another fix.")], tmp_db)
    assert [o.article_id for _, [o] in again.replaced] == [new.article_id]
    assert len(store.articles(tmp_db)) == 2


def test_dedup_edited_page_replaces_by_url(tmp_db, quick_analysis):
    url = "https://harbor.example/flood"
    pipeline.import_articles([Article(STORY, url=url, source_name="saved.html")], tmp_db)
    rewritten = Article(OTHER, url=url + "#comments", source_name=url)
    report = pipeline.import_articles([rewritten], tmp_db)
    assert [a for a, _ in report.replaced] == [rewritten]  # a URL needs no shared text
    assert [a.text for a in store.articles(tmp_db)] == [OTHER]


def test_dedup_what_has_no_source_identity_is_added(tmp_db, quick_analysis):
    csv_row = "title,text\nFlood,\"{}\"\n"
    pipeline.import_articles([ingest.read_pasted(STORY),
                              *ingest.read_upload("x.csv", csv_row.format(OTHER).encode())],
                             tmp_db)
    report = pipeline.import_articles(
        [ingest.read_pasted(EDITED),
         *ingest.read_upload("x.csv", csv_row.format(OTHER + " Updated.").encode())], tmp_db)
    assert not report.replaced and len(report.added) == 2
    assert len(report.near_duplicates) == 2 and len(store.articles(tmp_db)) == 4


def test_dedup_same_file_name_with_an_unrelated_text_is_added(tmp_db, quick_analysis):
    pipeline.import_articles([file("1.txt", STORY)], tmp_db)
    report = pipeline.import_articles([file("1.txt", OTHER)], tmp_db)  # another folder's 1.txt
    assert not report.replaced and len(report.added) == 1
    assert len(store.articles(tmp_db)) == 2


def test_dedup_ambiguous_or_still_imported_versions_are_not_replaced(tmp_db, quick_analysis):
    pipeline.import_articles([file("a.txt", STORY)], tmp_db)
    # two inputs named a.txt (two folders): which one is the edit is unknown
    twice = pipeline.import_articles([file("a.txt", EDITED), file("a.txt", EDITED + " Two.")],
                                     tmp_db)
    assert not twice.replaced and len(twice.added) == 2
    # the old text is still in the input under another name: it stays stored
    db2 = tmp_db.with_name("other.duckdb")
    pipeline.import_articles([file("a.txt", STORY)], db2)
    report = pipeline.import_articles([file("a.txt", EDITED), file("copy.txt", STORY)], db2)
    assert not report.replaced and len(store.articles(db2)) == 2


def test_dedup_failed_publish_keeps_the_old_version(tmp_db, quick_analysis, monkeypatch):
    first = pipeline.import_articles([file("a.txt", STORY)], tmp_db)
    before = rows_per_table(tmp_db)
    real = store._publish_index

    def fail_after_replacing(con, import_id, *args):
        real(con, import_id, *args)
        raise duckdb.IOException("disk full")

    monkeypatch.setattr(store, "_publish_index", fail_after_replacing)
    with pytest.raises(duckdb.IOException):
        pipeline.import_articles([file("a.txt", EDITED)], tmp_db)
    monkeypatch.undo()
    assert rows_per_table(tmp_db) == before
    assert [a.article_id for a in store.articles(tmp_db)] == [first.added[0].article_id]


def test_dedup_cli_says_what_was_replaced(tmp_path, capsys, quick_analysis):
    from analysis.__main__ import main

    folder, db = tmp_path / "corpus", tmp_path / "cli.duckdb"
    folder.mkdir()
    (folder / "a.txt").write_text(STORY, encoding="utf-8")
    (folder / "b.txt").write_text(OTHER, encoding="utf-8")
    assert main(["ingest", str(folder), "--db", str(db)]) == 0
    (folder / "a.txt").write_text(EDITED, encoding="utf-8")
    capsys.readouterr()
    assert main(["ingest", str(folder), "--db", str(db)]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == ("0 added, 1 replaced (edited), 0 re-analyzed, "
                           "1 skipped as already stored, 0 refused")
    assert "replaced: a.txt was edited" in err
