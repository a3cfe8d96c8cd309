"""DuckDB persistence of articles and their analysis results.

DuckDB lets one process write and no other process open the file meanwhile, so every
operation opens a short-lived connection, writes in one short transaction, and closes it;
the dashboard and a command-line import can then share one file. When another process
holds the file, ``StoreBusy`` says so in words.
"""
from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from . import dedup
from .model import Article

ENV_VAR = "COVERAGE_LENS_DB"
_CHECKOUT = Path(__file__).resolve().parent.parent
# In a checkout, data/ beside the code; installed (pip install .), the user's data folder,
# not site-packages (which may not be writable and is replaced on every upgrade).
DEFAULT_DB = (_CHECKOUT / "data" / "coverage_lens.duckdb" if (_CHECKOUT / "dashboard.py").is_file()
              else Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
              / "coverage-lens" / "coverage_lens.duckdb")
# Tables of per-item rows: the list of the analysis result each is filled from (a dotted path).
ITEM_TABLES = {"attributions": "attributions", "actors": "actors", "sentences": "sentences",
               "loaded_words": "tone.loaded_words"}
METRIC_FAMILIES = ("readability", "tone", "sources")

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    article_id VARCHAR PRIMARY KEY, outlet VARCHAR, title VARCHAR, text VARCHAR,
    url VARCHAR, author VARCHAR, published DATE, story VARCHAR, source_name VARCHAR,
    ingest_notes JSON, added_at TIMESTAMP DEFAULT current_timestamp);
CREATE TABLE IF NOT EXISTS results (
    article_id VARCHAR PRIMARY KEY, analysis_version VARCHAR, metrics JSON, result JSON);
CREATE TABLE IF NOT EXISTS attributions (article_id VARCHAR, idx INTEGER, data JSON);
CREATE TABLE IF NOT EXISTS actors (article_id VARCHAR, idx INTEGER, name VARCHAR, data JSON);
ALTER TABLE actors ADD COLUMN IF NOT EXISTS type VARCHAR;
ALTER TABLE actors ADD COLUMN IF NOT EXISTS n_mentions BIGINT;
ALTER TABLE actors ADD COLUMN IF NOT EXISTS roles VARCHAR[];
ALTER TABLE actors ADD COLUMN IF NOT EXISTS sentiment DOUBLE;
ALTER TABLE actors ADD COLUMN IF NOT EXISTS stance DOUBLE;
ALTER TABLE actors ADD COLUMN IF NOT EXISTS aliases VARCHAR[];
ALTER TABLE actors ADD COLUMN IF NOT EXISTS in_title BOOLEAN;
ALTER TABLE actors ADD COLUMN IF NOT EXISTS in_lead BOOLEAN;
ALTER TABLE actors ADD COLUMN IF NOT EXISTS first_mention BIGINT;
ALTER TABLE actors ADD COLUMN IF NOT EXISTS n_references BIGINT;
CREATE TABLE IF NOT EXISTS sentences (article_id VARCHAR, idx INTEGER, data JSON);
CREATE TABLE IF NOT EXISTS loaded_words (article_id VARCHAR, idx INTEGER, data JSON);
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS imports (import_id VARCHAR PRIMARY KEY, pid INTEGER,
    started_at TIMESTAMP DEFAULT current_timestamp);
ALTER TABLE imports ADD COLUMN IF NOT EXISTS publishing BOOLEAN DEFAULT false;
CREATE TABLE IF NOT EXISTS staged (import_id VARCHAR, article JSON, version VARCHAR, result JSON);
CREATE TABLE IF NOT EXISTS article_index (article_id VARCHAR PRIMARY KEY, source_key VARCHAR,
    n_shingles INTEGER);
CREATE TABLE IF NOT EXISTS shingles (article_id VARCHAR, h BIGINT);
CREATE TABLE IF NOT EXISTS staged_index (import_id VARCHAR, article_id VARCHAR,
    source_key VARCHAR, replaces VARCHAR[], shingles BIGINT[]);
CREATE TABLE IF NOT EXISTS story_auto (article_id VARCHAR PRIMARY KEY, label VARCHAR);
CREATE TABLE IF NOT EXISTS story_edits (seq BIGINT, kind VARCHAR, article_id VARCHAR,
    value VARCHAR, made_at TIMESTAMP DEFAULT current_timestamp);
"""
# The near-duplicate index (see dedup): per article, where it came from (``source_key``, set
# when it was first imported, so relabelling does not change it) and how many distinct
# shingles its text has; ``shingles`` holds their hashes, one row each. Stores made before
# these tables existed are indexed by ``build_index`` on their next import.
# Stories found by detection (analysis.stories): ``story_auto`` names the articles whose story
# label detection set (the label it set: an article carrying another one was relabelled by
# hand since); ``story_edits`` is the user's edit log, replayed when stories are regrouped.
# Every table with rows per article: what deleting or replacing an article removes.
ARTICLE_TABLES = ("articles", "results", *ITEM_TABLES, "article_index", "shingles", "story_auto")
ARTICLE_COLUMNS = ("article_id", "outlet", "title", "text", "url", "author", "published",
                   "story", "source_name", "ingest_notes")


# DuckDB attaches a database file once per process and shares it between connections; two
# threads attaching or detaching the same file at the same moment fail with "Unique file
# handle conflict". Connections of one process therefore open and close one at a time.
_OPEN_CLOSE = threading.Lock()


# Publishing: each transaction moves staged articles for about PUBLISH_STEP_S seconds, then
# the import lets go of the file for PUBLISH_PAUSE_S, longer than a waiting connection's
# retry interval (RETRY_MAX_S): a reader in another process waits about one step, not the
# whole import (a 299-article import once held the file 19 s in one transaction).
PUBLISH_STEP_S = 0.5
PUBLISH_PAUSE_S = 0.15
# Articles written between two looks at the clock: each group costs a dozen statements
# whatever its size (120 articles published in 0.64 s in groups of 32, 1.18 s in groups of 8).
PUBLISH_GROUP = 32
RETRY_MAX_S = 0.1


class StoreBusy(RuntimeError):
    """Another process holds the store file."""


def db_path(db: str | os.PathLike | None = None) -> Path:
    """The store file: ``db`` if given, else $COVERAGE_LENS_DB, else ``DEFAULT_DB``."""
    return Path(db or os.environ.get(ENV_VAR) or DEFAULT_DB).expanduser()


@contextlib.contextmanager
def connect(db=None, *, wait_s: float = 10.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived connection; waits up to ``wait_s`` for another process to let go."""
    path = db_path(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_s
    delay = 0.05
    while True:
        try:
            with _OPEN_CLOSE:
                con = duckdb.connect(str(path))
                con.execute(SCHEMA)
                _upgrade(con)
            break
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            if time.monotonic() >= deadline:
                # No path in the message: the dashboard shows it to every visitor.
                raise StoreBusy(
                    "The store is in use by another process (an import may be running). "
                    "Try again when it has finished."
                ) from None
            time.sleep(delay)
            # short retries: a publishing import lets go of the file between its steps
            delay = min(delay * 2, RETRY_MAX_S)
    try:
        yield con
    finally:
        with _OPEN_CLOSE:
            con.close()


# The actors' fields beside their JSON that the dashboard reads (all but the mention
# positions; n_mentions as actors.link_corpus counts a row without one), set from the JSON of
# the rows that have none yet.
_ACTOR_COLUMNS = """
    UPDATE actors SET type = j.type, n_mentions = coalesce(j.n_mentions, nullif(len(j.mentions), 0), 1),
                      roles = coalesce(j.roles, [j.role]), sentiment = j.sentiment, stance = j.stance,
                      aliases = coalesce(j.aliases, []), in_title = coalesce(j.in_title, false),
                      in_lead = coalesce(j.in_lead, false),
                      first_mention = coalesce(j.first_mention, list_min([m.start FOR m IN j.mentions])),
                      n_references = coalesce(j.n_references, 0)
    FROM (SELECT article_id AS a, idx AS i, json_transform(data, '{"type": "VARCHAR",
          "n_mentions": "BIGINT", "n_references": "BIGINT", "mentions": [{"start": "BIGINT"}], "role": "VARCHAR",
          "roles": ["VARCHAR"], "sentiment": "DOUBLE", "stance": "DOUBLE", "aliases": ["VARCHAR"],
          "in_title": "BOOLEAN", "in_lead": "BOOLEAN", "first_mention": "BIGINT"}') AS j
          FROM actors WHERE aliases IS NULL)
    WHERE actors.article_id = a AND actors.idx = i"""
# What stores made by an earlier version lack, filled in once when they are first opened.
_UPGRADES = {
    # Before, pages read the loaded words out of every whole result.
    "loaded_words_table": ["DELETE FROM loaded_words",
                           "INSERT INTO loaded_words SELECT article_id, n - 1, item FROM results, "
                           "unnest(json_extract(result, '$.tone.loaded_words[*]')) WITH "
                           "ORDINALITY AS u(item, n)"],
    # Before, every read of the actors' fields parsed their JSON (and before "actor_columns",
    # their names and counts too).
    "actor_columns_2": [_ACTOR_COLUMNS],
}


def _upgrade(con) -> None:
    """Apply the ``_UPGRADES`` this store has not had yet, each in its own transaction."""
    done = {k for k, in con.execute("SELECT key FROM meta").fetchall()}
    for key, statements in _UPGRADES.items():
        if key in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            for sql in statements:
                con.execute(sql)
            con.execute("INSERT INTO meta VALUES (?, '1')", [key])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise


def _bump_revision(con) -> None:
    con.execute("INSERT INTO meta VALUES ('revision', '1') ON CONFLICT (key) DO UPDATE "
                "SET value = CAST(CAST(meta.value AS BIGINT) + 1 AS VARCHAR)")


def revision(db=None) -> int:
    """A number that changes on every write: what the dashboard's caches are keyed on."""
    with connect(db) as con:
        row = con.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()
    return int(row[0]) if row else 0


def file_stamp(db=None) -> str:
    """Changes whenever the store is written (size and modification time of the file and its
    write-ahead log), like ``revision`` but without opening the database: a cache check the
    dashboard makes several times per rerun, where a connection costs tens of milliseconds."""
    path = db_path(db)
    parts = []
    for p in (path, path.with_name(path.name + ".wal")):
        try:
            st = p.stat()
            parts.append(f"{st.st_mtime_ns}:{st.st_size}")
        except FileNotFoundError:
            parts.append("-")
    return "/".join(parts)


def flatten_metrics(result: dict) -> dict:
    """Scalar metrics of a result as ``family_name`` columns (lists stay in the result)."""
    flat = {"word_count": result["word_count"], "sentence_count": result["sentence_count"]}
    for family in METRIC_FAMILIES:
        for key, value in result.get(family, {}).items():
            if value is None or isinstance(value, (int, float, str, bool)):
                flat[f"{family}_{key}"] = value
    return flat


def stored_versions(db=None) -> dict[str, str | None]:
    """article_id -> analysis version of its stored result (None when not analyzed)."""
    with connect(db) as con:
        rows = con.execute("SELECT a.article_id, r.analysis_version FROM articles a "
                           "LEFT JOIN results r USING (article_id)").fetchall()
    return dict(rows)


def _write(con, rows: list[tuple[Article, dict, str]]) -> None:
    """Insert or replace articles with their results and analysis versions (inside the
    caller's transaction); of an article given twice, the last. One statement per table for
    all the rows: a statement per article and item took most of the time of publishing."""
    rows = list({article.article_id: (article, result, version)
                 for article, result, version in rows}.values())
    if not rows:
        return
    ids = [article.article_id for article, _, _ in rows]
    for table in ("articles", "results", *ITEM_TABLES):
        con.execute(f"DELETE FROM {table} WHERE list_contains(?, article_id)", [ids])
    columns: dict[str, dict[str, list]] = {
        "articles": {c: [] for c in ARTICLE_COLUMNS},
        "results": {"article_id": [], "analysis_version": [], "metrics": [], "result": []},
        **{table: {"article_id": [], "idx": [], **({"name": []} if table == "actors" else {}),
                   "data": []} for table in ITEM_TABLES}}
    for article, result, version in rows:
        aid = article.article_id
        d = article.as_dict()
        d["ingest_notes"] = json.dumps(d["ingest_notes"])
        for c in ARTICLE_COLUMNS:
            columns["articles"][c].append(d[c])
        for c, value in zip(columns["results"], (aid, version, json.dumps(flatten_metrics(result)),
                                                 json.dumps(result))):
            columns["results"][c].append(value)
        for table, key in ITEM_TABLES.items():
            items = result
            for part in key.split("."):
                items = items.get(part) if isinstance(items, dict) else None
            cols = columns[table]
            for i, item in enumerate(items or ()):
                cols["article_id"].append(aid)
                cols["idx"].append(i)
                if table == "actors":
                    cols["name"].append(item["name"])
                cols["data"].append(json.dumps(item))
    for table, cols in columns.items():
        if not cols["article_id"]:
            continue
        # every column as text (the store casts them to its types); an all-None column too
        batch = pa.table({c: pa.array(v, type=pa.int64() if c == "idx" else pa.string())
                          for c, v in cols.items()})
        con.register("_written_rows", batch)
        try:
            con.execute(f"INSERT INTO {table} ({', '.join(cols)}) SELECT * FROM _written_rows")
        finally:
            con.unregister("_written_rows")
    con.execute(_ACTOR_COLUMNS)  # the new actor rows' columns, once for all the articles


@contextlib.contextmanager
def _transaction(db, wait_s: float = 10.0):
    with connect(db, wait_s=wait_s) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            yield con
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise


def save(pairs: Iterable[tuple[Article, dict]], version: str, db=None) -> int:
    """Insert or replace articles with their results, all in one transaction."""
    pairs = list(pairs)
    if pairs:
        rows = _index_rows("save", pairs)
        with _transaction(db) as con:
            _write(con, [(a, r, version) for a, r in pairs])
            con.executemany("INSERT INTO staged_index VALUES (?, ?, ?, ?, ?)", rows)
            _publish_index(con, "save")
            _bump_revision(con)
    return len(pairs)


def _index_rows(import_id: str, pairs: list[tuple[Article, dict]],
                sources: dict[str, tuple[str | None, list[str]]] | None = None) -> list[list]:
    """staged_index rows: the article's source key, the stored versions it replaces and its
    shingle hashes (computed here, outside the publishing transaction)."""
    rows = []
    for article, _ in pairs:
        key, replaces = (sources or {}).get(article.article_id) or (dedup.source_key(article), [])
        rows.append([import_id, article.article_id, key, list(replaces),
                     sorted(dedup.shingles(article.text))])
    return rows


def _publish_index(con, import_id: str, ids: list[str] | None = None) -> None:
    """Inside a publishing transaction: remove the versions the import replaces (every row
    of them), then move its staged shingles into the index; only for the articles ``ids``
    when given. An article stored before keeps the source key it was first imported with."""
    only = " AND list_contains($2, article_id)" if ids is not None else ""
    args = [import_id, ids] if ids is not None else [import_id]
    mine = "SELECT article_id FROM staged_index WHERE import_id = $1"
    replacing = con.execute("SELECT count(*) FROM staged_index WHERE import_id = $1 AND "
                            "len(replaces) > 0" + only, args).fetchone()[0]
    for table in ARTICLE_TABLES if replacing else ():
        con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT unnest(replaces) FROM "
                    f"staged_index WHERE import_id = $1{only}) AND article_id NOT IN ({mine})",
                    args)
    con.execute(f"DELETE FROM shingles WHERE article_id IN ({mine}{only})", args)
    con.execute("INSERT INTO shingles SELECT article_id, unnest(shingles) FROM (SELECT DISTINCT "
                f"ON (article_id) * FROM staged_index WHERE import_id = $1{only})", args)
    con.execute("INSERT INTO article_index SELECT DISTINCT ON (article_id) article_id, source_key, "
                f"len(shingles) FROM staged_index WHERE import_id = $1{only} "
                "ON CONFLICT (article_id) DO UPDATE SET n_shingles = excluded.n_shingles", args)
    con.execute(f"DELETE FROM staged_index WHERE import_id = $1{only}", args)
    con.execute("INSERT INTO meta VALUES ('shingle_index', ?) ON CONFLICT (key) DO NOTHING",
                [dedup.INDEX_VERSION])


# An import stages its analyzed batches (short transactions, so other processes can use the
# store meanwhile), then publishes them in steps of about a second (see PUBLISH_STEP_S). An
# import that fails or is killed before publishing leaves the articles exactly as they were;
# one killed while publishing is finished by the next import (its staged rows are complete),
# so that every import ends all in or all out.

def begin_import(db=None) -> str:
    """A new import id; first discards what imports of processes that died had staged, and
    finishes publishing those that died while publishing."""
    import_id = f"{os.getpid()}-{time.time_ns()}"
    with connect(db) as con:
        dead = [(old_id, publishing) for old_id, pid, publishing in
                con.execute("SELECT import_id, pid, publishing FROM imports").fetchall()
                if not _alive(pid)]
    for old_id, publishing in dead:
        if publishing:
            publish(old_id, db)
    with _transaction(db) as con:
        for old_id, publishing in dead:
            if not publishing:
                con.execute("DELETE FROM staged WHERE import_id = ?", [old_id])
                con.execute("DELETE FROM staged_index WHERE import_id = ?", [old_id])
                con.execute("DELETE FROM imports WHERE import_id = ?", [old_id])
        con.execute("INSERT INTO imports (import_id, pid) VALUES (?, ?)", [import_id, os.getpid()])
    return import_id


def stage(import_id: str, pairs: Iterable[tuple[Article, dict]], version: str, db=None, *,
          sources: dict[str, tuple[str | None, list[str]]] | None = None) -> None:
    """Stage analyzed articles. ``sources``: article_id -> (source key, ids of the stored
    versions it replaces); without it the key is read from the article, and nothing is
    replaced."""
    pairs = list(pairs)
    rows = [[import_id, json.dumps(a.as_dict()), version, json.dumps(r)] for a, r in pairs]
    if rows:
        index = _index_rows(import_id, pairs, sources)
        with _transaction(db) as con:
            con.executemany("INSERT INTO staged VALUES (?, ?, ?, ?)", rows)
            con.executemany("INSERT INTO staged_index VALUES (?, ?, ?, ?, ?)", index)


def publish(import_id: str, db=None) -> int:
    """Move an import's staged articles into the store, removing the stored versions they
    replace, in transactions of about ``PUBLISH_STEP_S`` seconds each with a pause between
    them for other processes. The first step marks the import as publishing: if it fails,
    nothing has changed and ``abandon`` drops the import; once it is done, the import is
    finished whatever happens (by ``abandon``, or by the next ``begin_import`` if this
    process dies)."""
    published = 0
    while True:
        with _transaction(db, wait_s=60.0) as con:
            moved = _publish_step(con, import_id)
            if not moved:
                _publish_index(con, import_id)  # an import of nothing new: its index rows
                con.execute("DELETE FROM imports WHERE import_id = ?", [import_id])
                return published
            con.execute("UPDATE imports SET publishing = true WHERE import_id = ?", [import_id])
            published += moved
            _bump_revision(con)
        time.sleep(PUBLISH_PAUSE_S)


def _publish_step(con, import_id: str) -> int:
    """Inside a transaction: move staged articles of the import, ``PUBLISH_GROUP`` at a
    time (one group at least), until ``PUBLISH_STEP_S`` has passed or none is left; how
    many were moved."""
    started, moved = time.monotonic(), 0
    while not moved or time.monotonic() - started < PUBLISH_STEP_S:
        staged = con.execute("SELECT rowid, article, version, result FROM staged WHERE "
                             "import_id = ? ORDER BY rowid LIMIT ?",
                             [import_id, PUBLISH_GROUP]).fetchall()
        if not staged:
            break
        articles = [Article.from_dict(json.loads(article)) for _, article, _, _ in staged]
        _write(con, [(a, json.loads(result), version)
                     for a, (_, _, version, result) in zip(articles, staged)])
        _publish_index(con, import_id, [a.article_id for a in articles])
        con.execute("DELETE FROM staged WHERE list_contains(?, rowid)", [[r for r, *_ in staged]])
        moved += len(staged)
    return moved


def abandon(import_id: str, db=None) -> None:
    """Drop an import's staged rows, unless part of it is published: that one is finished
    (now, or by the next import if this fails too), so that it ends all in."""
    with connect(db) as con:
        row = con.execute("SELECT publishing FROM imports WHERE import_id = ?",
                          [import_id]).fetchone()
    if row and row[0]:
        with contextlib.suppress(Exception):
            publish(import_id, db)
        return
    with _transaction(db) as con:
        con.execute("DELETE FROM staged WHERE import_id = ?", [import_id])
        con.execute("DELETE FROM staged_index WHERE import_id = ?", [import_id])
        con.execute("DELETE FROM imports WHERE import_id = ?", [import_id])


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def update_labels(article_ids: Iterable[str], *, outlet: str | None = None,
                  story: str | None = None, db=None) -> None:
    ids = list(article_ids)
    with _transaction(db) as con:
        for column, value in (("outlet", outlet), ("story", story)):
            if value is not None:
                con.execute(f"UPDATE articles SET {column} = ? WHERE article_id IN "
                            f"(SELECT unnest(?::VARCHAR[]))", [value, ids])
        _bump_revision(con)


def story_state(db=None) -> dict:
    """``auto``: article_id -> the story label detection gave it; ``edits``: the story edit
    log, oldest first, as (kind, article_id, value) (see analysis.stories)."""
    with connect(db) as con:
        auto = dict(con.execute("SELECT article_id, label FROM story_auto").fetchall())
        edits = con.execute("SELECT kind, article_id, value FROM story_edits ORDER BY seq").fetchall()
    return {"auto": auto, "edits": [tuple(e) for e in edits]}


def write_stories(labels: dict[str, str], *, edits: Iterable[tuple[str, str, str]] = (),
                  drop: Iterable[str] = (), db=None) -> None:
    """Set detected story labels (article_id -> label), log ``edits``, and forget the
    detection of the ``drop`` articles (relabelled by hand), in one transaction."""
    ids, labs = list(labels), list(labels.values())
    with _transaction(db) as con:
        con.execute("DELETE FROM story_auto WHERE list_contains(?, article_id)", [ids + list(drop)])
        if ids:
            con.execute("INSERT INTO story_auto SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[])",
                        [ids, labs])
            con.execute("UPDATE articles SET story = s.label FROM story_auto s "
                        "WHERE articles.article_id = s.article_id AND list_contains(?, s.article_id)",
                        [ids])
        for kind, aid, value in edits:
            con.execute("INSERT INTO story_edits (seq, kind, article_id, value) SELECT "
                        "coalesce(max(seq), 0) + 1, ?, ?, ? FROM story_edits", [kind, aid, value])
        _bump_revision(con)


def delete(article_ids: Iterable[str], db=None) -> None:
    ids = list(article_ids)
    with _transaction(db) as con:
        for table in ARTICLE_TABLES:
            con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT unnest(?::VARCHAR[]))",
                        [ids])
        _bump_revision(con)


# --- the near-duplicate index (see dedup) ----------------------------------------------

def build_index(db=None, *, chunk: int = 500) -> int:
    """Index the stored articles that have no shingles yet: a store made before the index
    existed, or one whose index was built with other hashes (``dedup.INDEX_VERSION``).
    Each chunk is written in its own short transaction. Returns how many were indexed."""
    todo_sql = ("SELECT a.article_id FROM articles a LEFT JOIN article_index i USING "
                "(article_id) WHERE i.n_shingles IS NULL ORDER BY a.article_id")
    with connect(db) as con:
        row = con.execute("SELECT value FROM meta WHERE key = 'shingle_index'").fetchone()
        outdated = row is not None and row[0] != dedup.INDEX_VERSION
        orphans = con.execute("SELECT count(*) FROM article_index WHERE article_id NOT IN "
                              "(SELECT article_id FROM articles)").fetchone()[0]
        todo = [aid for aid, in con.execute(todo_sql).fetchall()]
    if row is None or outdated or orphans:
        with _transaction(db) as con:
            if outdated:
                con.execute("DELETE FROM shingles")
                con.execute("UPDATE article_index SET n_shingles = NULL")
            if orphans:
                con.execute("DELETE FROM article_index WHERE article_id NOT IN "
                            "(SELECT article_id FROM articles)")
                con.execute("DELETE FROM shingles WHERE article_id NOT IN "
                            "(SELECT article_id FROM article_index)")
            con.execute("INSERT INTO meta VALUES ('shingle_index', ?) ON CONFLICT (key) DO UPDATE "
                        "SET value = excluded.value", [dedup.INDEX_VERSION])
            todo = [aid for aid, in con.execute(todo_sql).fetchall()]
    for start in range(0, len(todo), chunk):
        ids = todo[start:start + chunk]
        with connect(db) as con:
            rows = con.execute("SELECT a.article_id, a.text, a.url, a.outlet, a.source_name, "
                               "i.source_key FROM articles a LEFT JOIN article_index i "
                               "USING (article_id) WHERE a.article_id IN "
                               "(SELECT unnest(?::VARCHAR[]))", [ids]).fetchall()
        keys, owners, hashes = [], [], []
        for aid, text, url, outlet, source_name, key in rows:
            found = dedup.shingles(text or "")
            art = Article(text or "", outlet=outlet, url=url, source_name=source_name or "",
                          article_id=aid)
            keys.append((aid, key or dedup.source_key(art), len(found)))
            owners += [aid] * len(found)
            hashes += found
        index = pd.DataFrame(keys, columns=["article_id", "source_key", "n_shingles"])
        found_frame = pd.DataFrame({"article_id": owners,
                                    "h": np.array(hashes, dtype=np.int64)})
        with _transaction(db) as con:
            con.register("new_index", index)
            con.register("new_shingles", found_frame)
            # only articles still stored: one may have been deleted meanwhile
            con.execute("DELETE FROM shingles WHERE article_id IN "
                        "(SELECT article_id FROM new_index)")
            con.execute("INSERT INTO shingles SELECT s.article_id, s.h FROM new_shingles s "
                        "SEMI JOIN articles a ON a.article_id = s.article_id")
            con.execute("INSERT INTO article_index SELECT n.article_id, n.source_key, "
                        "n.n_shingles FROM new_index n SEMI JOIN articles a ON "
                        "a.article_id = n.article_id ON CONFLICT (article_id) DO UPDATE "
                        "SET n_shingles = excluded.n_shingles")
            con.unregister("new_index")
            con.unregister("new_shingles")
    return len(todo)


def similar_stored(new: dict[str, set[int]], threshold: float, min_shingles: int,
                   db=None) -> list[tuple[str, str, float]]:
    """(new id, stored id, containment) for every stored article sharing at least
    ``threshold`` of the shorter text's shingles with a new one (both having at least
    ``min_shingles``): one join of the new articles' hashes against the index."""
    new = {aid: s for aid, s in new.items() if s}
    if not new:
        return []
    frame = pd.DataFrame({
        "new_id": [aid for aid, s in new.items() for _ in range(len(s))],
        "h": np.fromiter((h for s in new.values() for h in s), dtype=np.int64)})
    with connect(db) as con:
        con.register("new_shingles", frame)
        rows = con.execute("""
            WITH sizes AS (SELECT new_id, count(*) AS n FROM new_shingles GROUP BY new_id),
            hits AS (SELECT q.new_id, s.article_id, count(*) AS shared
                     FROM new_shingles q JOIN shingles s USING (h) GROUP BY ALL)
            SELECT hits.new_id, hits.article_id, hits.shared / least(sizes.n, i.n_shingles)
            FROM hits JOIN sizes USING (new_id) JOIN article_index i USING (article_id)
            WHERE i.n_shingles >= $1 AND sizes.n >= $1
              AND hits.shared / least(sizes.n, i.n_shingles) >= $2
            ORDER BY 1, 3 DESC, 2""", [min_shingles, threshold]).fetchall()
        con.unregister("new_shingles")
    return rows


def versions_by_source(keys: Iterable[str], db=None) -> dict[str, list[str]]:
    """source key -> ids of the stored articles imported from that source, oldest first."""
    keys = list(keys)
    if not keys:
        return {}
    with connect(db) as con:
        rows = con.execute("SELECT i.source_key, a.article_id FROM article_index i JOIN articles a "
                           "USING (article_id) WHERE i.source_key IN (SELECT unnest(?::VARCHAR[])) "
                           "ORDER BY a.added_at, a.article_id", [keys]).fetchall()
    out: dict[str, list[str]] = {}
    for key, aid in rows:
        out.setdefault(key, []).append(aid)
    return out


def _article_from_row(row: dict) -> Article:
    row = {k: (None if isinstance(v, float) and v != v else v) for k, v in row.items()}  # NaN
    row["ingest_notes"] = json.loads(row["ingest_notes"] or "[]")
    return Article.from_dict(row)


def articles(db=None, ids: Iterable[str] | None = None) -> list[Article]:
    query = f"SELECT {', '.join(ARTICLE_COLUMNS)} FROM articles"
    params: list = []
    if ids is not None:
        query += " WHERE article_id IN (SELECT unnest(?::VARCHAR[]))"
        params = [list(ids)]
    with connect(db) as con:
        df = con.execute(query + " ORDER BY added_at, source_name, article_id", params).df()
    return [_article_from_row(r) for r in df.to_dict("records")]


def result(article_id: str, db=None) -> dict | None:
    with connect(db) as con:
        row = con.execute("SELECT result FROM results WHERE article_id = ?", [article_id]).fetchone()
    return json.loads(row[0]) if row else None


def _json_columns(con, json_sql: str, from_sql: str, structure_sql: str,
                  without: Iterable[str] = ()) -> str:
    """The SELECT list that expands the JSON objects of ``json_sql`` into one typed column
    per key (except the keys ``without``), in DuckDB (much faster than ``json.loads`` row by
    row at 100,000s of rows). The key set and types are read from the data, so new result
    keys appear by themselves: the structure of one object of each distinct shape, merged
    (the same structure as over every row, without json_group_structure's 700 MB of state
    at 400,000 rows)."""
    shapes = con.execute(f"SELECT any_value({structure_sql}) AS doc, count(*) AS n, "
                         f"json_structure({structure_sql})::VARCHAR AS shape {from_sql} "
                         f"GROUP BY shape ORDER BY n DESC, shape").fetchall()
    if not shapes:
        return ""
    structure = con.execute("SELECT json_group_structure(doc) FROM (SELECT unnest($1::JSON[]) AS doc)",
                            [[doc for doc, _, _ in shapes]]).fetchall()[0][0]
    if not structure or structure == "NULL":
        return ""
    # The keys in one order whatever order DuckDB merged the shapes in: as the most common
    # shape has them, then the others' new keys (the columns of every read are the same).
    merged = json.loads(structure)
    order = list(dict.fromkeys(k for _, _, shape in shapes
                               for k in (json.loads(shape) if shape.startswith("{") else {})))
    structure = json.dumps({k: merged[k] for k in [*order, *merged] if k in merged
                            and k not in without})
    # Unsigned ints would wrap on subtraction; keys that are null everywhere stay null.
    structure = structure.replace('"UBIGINT"', '"BIGINT"').replace('"NULL"', '"JSON"')
    return f", unnest(json_transform({json_sql}, '{structure.replace(chr(39), chr(39) * 2)}'))"


def _frame(con, sql: str, params: list | None = None) -> pd.DataFrame:
    """The rows of ``sql`` as DuckDB's own DataFrame has them (dtypes included), except list
    columns as plain lists (as results hold them), read through Arrow: 2.5-5x faster at
    10,000s of rows."""
    table = con.sql(sql, params=params).to_arrow_table()
    lists = [f.name for f in table.schema if pa.types.is_list(f.type) or pa.types.is_large_list(f.type)]
    df = table.drop_columns(lists).to_pandas()
    for name in lists:
        df[name] = table.column(name).to_pylist()
    for field in table.schema:  # the dtypes DuckDB's own DataFrame has
        column = table.column(field.name)
        if pa.types.is_string(field.type) and column.null_count == len(column):
            df[field.name] = pd.Series([None] * len(df), dtype=object, index=df.index)
        elif pa.types.is_integer(field.type) and column.null_count:
            df[field.name] = df[field.name].astype(f"Int{field.type.bit_width}")
        elif pa.types.is_boolean(field.type) and column.null_count:
            df[field.name] = df[field.name].astype("boolean")
        elif pa.types.is_date(field.type):
            df[field.name] = pd.to_datetime(df[field.name]).astype("datetime64[us]")
    return df[table.column_names]


def metrics_frame(db=None) -> pd.DataFrame:
    """One row per article: the Article fields (text included) and every scalar metric."""
    with connect(db) as con:
        metrics = _json_columns(con, "r.metrics", "FROM results", "metrics")
        df = _frame(con, f"SELECT a.*{metrics} FROM articles a JOIN results r USING (article_id) "
                         "ORDER BY a.added_at, a.source_name, a.article_id")
    df["ingest_notes"] = df["ingest_notes"].map(lambda s: json.loads(s or "[]"))
    return df


def items_frame(table: str, db=None, *, without: Iterable[str] = (),
                ids: Iterable[str] | None = None) -> pd.DataFrame:
    """Rows of an item table (``ITEM_TABLES``: attributions, actors, sentences, loaded_words),
    each with its article's id and outlet (its other fields are one row per article in
    ``metrics_frame``), and every item key except those ``without`` (e.g. the actors'
    ``mentions``, a list of positions: most of the table's loading time).
    ``ids``: only these articles' rows (the columns are the whole table's all the same)."""
    if table not in ITEM_TABLES:
        raise ValueError(f"unknown table {table!r}")
    where, params = "", []
    if ids is not None:
        where, params = "WHERE t.article_id IN (SELECT unnest($1::VARCHAR[])) ", [list(ids)]
    with connect(db) as con:
        data = _json_columns(con, "t.data", f"FROM {table}", "data", tuple(without))
        return _frame(con, f"SELECT t.article_id, t.idx, a.outlet{data} FROM {table} t "
                           f"JOIN articles a USING (article_id) "
                           f"{where}ORDER BY t.article_id, t.idx", params)


# Every stored actor row with a name: its fields beside the JSON (all but the mention
# positions). The readers below select what they need of it.
_ACTOR_ROWS = """
    SELECT article_id, idx, name, type, n_mentions, roles, sentiment, stance, aliases, in_title,
           in_lead, first_mention, coalesce(n_references, 0) AS n_references
    FROM actors WHERE name IS NOT NULL"""


def actor_votes(db=None) -> list[dict]:
    """The stored actors summed per (name, type): ``name``, ``type``, ``n_mentions`` and every
    ``roles`` entry of the name's rows (sorted, each once), the input ``actors.link_corpus``
    needs, aggregated by DuckDB (same mapping as from every actor row, without loading
    100,000s of them)."""
    with connect(db) as con:
        rows = con.execute(f"""
            WITH rows AS ({_ACTOR_ROWS})
            SELECT name, type, sum(n_mentions), list_sort(list_distinct(flatten(list(roles))))
            FROM rows GROUP BY name, type ORDER BY name, type""").fetchall()
    return [dict(zip(("name", "type", "n_mentions", "roles"), row)) for row in rows]


def actor_rows(db=None) -> pd.DataFrame:
    """``article_id``, ``outlet``, ``name`` (as the article names the actor), ``type``,
    ``n_mentions``, ``n_references`` (pronouns and role nouns tied to it), ``sentiment`` (tone toward the actor, None when unscored), ``stance`` (the article's
    stance toward it, ``tone.actor_stance``; None when unscored or stored before it existed), ``in_title``,
    ``in_lead`` and ``first_mention`` of every stored actor row: ``items_frame("actors")``
    without the lists (mentions, aliases, roles) and the article's other fields, read in a
    fraction of its time."""
    with connect(db) as con:
        return _frame(con, f"""
            WITH rows AS ({_ACTOR_ROWS})
            SELECT r.article_id, a.outlet, r.name, r.type, r.n_mentions, r.n_references,
                   r.sentiment, r.stance, r.in_title, r.in_lead, r.first_mention
            FROM rows r JOIN articles a USING (article_id) ORDER BY r.article_id, r.idx""")


def actor_names_used(ids: Iterable[str], db=None) -> pd.DataFrame:
    """How the articles ``ids`` name their actors: one row per ``name`` (as the article names
    the actor), ``field`` ("aliases": a name used for it; "roles": a title or apposition) and
    ``text``, with ``n``, the number of actor rows using that text. Aggregated by DuckDB: no
    actor row is loaded."""
    with connect(db) as con:
        return _frame(con, f"""
            WITH rows AS ({_ACTOR_ROWS} AND article_id IN (SELECT unnest($1::VARCHAR[]))),
            used AS (SELECT name, 'aliases' AS field, unnest(aliases) AS text FROM rows
                     UNION ALL SELECT name, 'roles', unnest(roles) FROM rows)
            SELECT name, field, text, count(*) AS n FROM used WHERE text <> ''
            GROUP BY ALL ORDER BY ALL""", [list(ids)])


def source_counts(ids: Iterable[str], db=None) -> pd.DataFrame:
    """How often the articles ``ids`` attribute to each source: one row per ``actor``,
    ``source`` (as written) and ``source_type`` with ``n``, the number of attributions; a
    joint statement ("Rubio and Waltz said") counts for each of its ``actors``. Aggregated by
    DuckDB: no attribution row is loaded."""
    with connect(db) as con:
        return _frame(con, """
            SELECT actor, source, source_type, count(*) AS n FROM (
                SELECT unnest(CASE WHEN len(coalesce(j.actors, [])) > 1 THEN j.actors
                                   ELSE [j.actor] END) AS actor, j.source, j.source_type
                FROM (SELECT json_transform(data, '{"actor": "VARCHAR", "actors": ["VARCHAR"],
                          "source": "VARCHAR", "source_type": "VARCHAR"}') AS j
                      FROM attributions WHERE article_id IN (SELECT unnest($1::VARCHAR[]))))
            GROUP BY ALL ORDER BY ALL""", [list(ids)])


def loaded_word_counts(ids: Iterable[str], db=None) -> pd.DataFrame:
    """The loaded words of the articles ``ids`` in their outlets' own narration (quotes left
    out), counted per ``outlet``, ``word`` (lower case) and ``category`` (its family: the part
    before any ":"), most used first. Aggregated by DuckDB: no word row is loaded."""
    with connect(db) as con:
        return _frame(con, """
            SELECT a.outlet, lower(w.j.word) AS word, split_part(w.j.category, ':', 1) AS category,
                   count(*) AS count
            FROM (SELECT article_id, json_transform(data, '{"word": "VARCHAR",
                         "category": "VARCHAR", "in_quote": "BOOLEAN"}') AS j
                  FROM loaded_words WHERE article_id IN (SELECT unnest($1::VARCHAR[]))) w
            JOIN articles a USING (article_id) WHERE NOT coalesce(w.j.in_quote, false)
            GROUP BY ALL ORDER BY count DESC, word, a.outlet, category""", [list(ids)])


def tone_by_part(ids: Iterable[str], db=None) -> pd.DataFrame:
    """Sentence tone along the articles ``ids``, per outlet: one row per ``outlet`` and
    ``part`` (1 to 10: the first tenth of each article's sentences, the second...) with
    the mean VADER compound of its sentences (``tone``), their number (``n``) and the share of
    them inside direct quotes (``quoted``). Aggregated by DuckDB: no sentence row is loaded."""
    with connect(db) as con:
        return _frame(con, """
            WITH s AS (
                SELECT article_id, idx, json_transform(data, '{"sentiment": "DOUBLE",
                       "in_quote": "BOOLEAN"}') AS j
                FROM sentences WHERE article_id IN (SELECT unnest($1::VARCHAR[]))),
            counts AS (SELECT article_id, count(*) AS n_sentences FROM s GROUP BY article_id)
            SELECT a.outlet, least(s.idx * 10 // c.n_sentences, 9) + 1 AS part,
                   avg(j.sentiment) AS tone, count(*) AS n,
                   avg(CAST(coalesce(j.in_quote, false) AS DOUBLE)) AS quoted
            FROM s JOIN counts c USING (article_id) JOIN articles a USING (article_id)
            GROUP BY a.outlet, part ORDER BY a.outlet, part""", [list(ids)])


def export_records(db=None, ids: Iterable[str] | None = None) -> list[dict]:
    """The export schema: one record per article, Article fields plus the result keys."""
    query = (f"SELECT {', '.join('a.' + c for c in ARTICLE_COLUMNS)}, r.result FROM articles a "
             f"JOIN results r USING (article_id)")
    params: list = []
    if ids is not None:
        query += " WHERE a.article_id IN (SELECT unnest(?::VARCHAR[]))"
        params = [list(ids)]
    with connect(db) as con:
        df = con.execute(query + " ORDER BY a.added_at, a.source_name, a.article_id", params).df()
    records = []
    for row in df.to_dict("records"):
        res = json.loads(row.pop("result"))
        records.append({**_article_from_row(row).as_dict(), **res})
    return records
