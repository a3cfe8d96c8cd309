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

from .model import Article

ENV_VAR = "COVERAGE_LENS_DB"
DEFAULT_DB = Path(__file__).resolve().parent.parent / "data" / "coverage_lens.duckdb"
# Tables of per-item rows: the key of the analysis result each is filled from.
ITEM_TABLES = {"attributions": "attributions", "actors": "actors", "sentences": "sentences"}
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
CREATE TABLE IF NOT EXISTS sentences (article_id VARCHAR, idx INTEGER, data JSON);
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS imports (import_id VARCHAR PRIMARY KEY, pid INTEGER,
    started_at TIMESTAMP DEFAULT current_timestamp);
CREATE TABLE IF NOT EXISTS staged (import_id VARCHAR, article JSON, version VARCHAR, result JSON);
"""
ARTICLE_COLUMNS = ("article_id", "outlet", "title", "text", "url", "author", "published",
                   "story", "source_name", "ingest_notes")


# DuckDB attaches a database file once per process and shares it between connections; two
# threads attaching or detaching the same file at the same moment fail with "Unique file
# handle conflict". Connections of one process therefore open and close one at a time.
_OPEN_CLOSE = threading.Lock()


class StoreBusy(RuntimeError):
    """Another process holds the store file."""


def db_path(db: str | os.PathLike | None = None) -> Path:
    """The store file: ``db`` if given, else $COVERAGE_LENS_DB, else data/coverage_lens.duckdb."""
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
            break
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            if time.monotonic() >= deadline:
                raise StoreBusy(
                    f"The store {path} is in use by another process (an import may be "
                    f"running). Try again when it has finished."
                ) from None
            time.sleep(delay)
            delay = min(delay * 2, 1.0)
    try:
        yield con
    finally:
        with _OPEN_CLOSE:
            con.close()


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


def _write(con, pairs: list[tuple[Article, dict]], version: str) -> None:
    """Insert or replace articles with their results (inside the caller's transaction)."""
    for article, result in pairs:
        aid = article.article_id
        for table in ("articles", "results", *ITEM_TABLES):
            con.execute(f"DELETE FROM {table} WHERE article_id = ?", [aid])
        d = article.as_dict()
        d["ingest_notes"] = json.dumps(d["ingest_notes"])
        con.execute(f"INSERT INTO articles ({', '.join(ARTICLE_COLUMNS)}) VALUES "
                    f"({', '.join('?' * len(ARTICLE_COLUMNS))})", [d[c] for c in ARTICLE_COLUMNS])
        con.execute("INSERT INTO results VALUES (?, ?, ?, ?)",
                    [aid, version, json.dumps(flatten_metrics(result)), json.dumps(result)])
        for table, key in ITEM_TABLES.items():
            rows = result.get(key) or []
            if not rows:
                continue
            if table == "actors":
                con.executemany("INSERT INTO actors VALUES (?, ?, ?, ?)",
                                [[aid, i, r["name"], json.dumps(r)] for i, r in enumerate(rows)])
            else:
                con.executemany(f"INSERT INTO {table} VALUES (?, ?, ?)",
                                [[aid, i, json.dumps(r)] for i, r in enumerate(rows)])


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
        with _transaction(db) as con:
            _write(con, pairs, version)
            _bump_revision(con)
    return len(pairs)


# An import stages its analyzed batches (short transactions, so other processes can use the
# store meanwhile) and publishes them all in one transaction at the end: an import that fails
# or is killed midway leaves the articles exactly as they were before it.

def begin_import(db=None) -> str:
    """A new import id; first discards what imports of processes that died had staged."""
    import_id = f"{os.getpid()}-{time.time_ns()}"
    with _transaction(db) as con:
        for old_id, pid in con.execute("SELECT import_id, pid FROM imports").fetchall():
            if not _alive(pid):
                con.execute("DELETE FROM staged WHERE import_id = ?", [old_id])
                con.execute("DELETE FROM imports WHERE import_id = ?", [old_id])
        con.execute("INSERT INTO imports (import_id, pid) VALUES (?, ?)", [import_id, os.getpid()])
    return import_id


def stage(import_id: str, pairs: Iterable[tuple[Article, dict]], version: str, db=None) -> None:
    rows = [[import_id, json.dumps(a.as_dict()), version, json.dumps(r)] for a, r in pairs]
    if rows:
        with _transaction(db) as con:
            con.executemany("INSERT INTO staged VALUES (?, ?, ?, ?)", rows)


def publish(import_id: str, db=None) -> int:
    """Move an import's staged articles into the store in one transaction."""
    with _transaction(db, wait_s=60.0) as con:
        staged = con.execute("SELECT article, version, result FROM staged WHERE import_id = ?",
                             [import_id]).fetchall()
        for article, version, result in staged:
            _write(con, [(Article.from_dict(json.loads(article)), json.loads(result))], version)
        con.execute("DELETE FROM staged WHERE import_id = ?", [import_id])
        con.execute("DELETE FROM imports WHERE import_id = ?", [import_id])
        if staged:
            _bump_revision(con)
    return len(staged)


def abandon(import_id: str, db=None) -> None:
    with _transaction(db) as con:
        con.execute("DELETE FROM staged WHERE import_id = ?", [import_id])
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


def delete(article_ids: Iterable[str], db=None) -> None:
    ids = list(article_ids)
    with _transaction(db) as con:
        for table in ("articles", "results", *ITEM_TABLES):
            con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT unnest(?::VARCHAR[]))",
                        [ids])
        _bump_revision(con)


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


def _json_columns(con, json_sql: str, from_sql: str, structure_sql: str) -> str:
    """The SELECT list that expands the JSON objects of ``json_sql`` into one typed column
    per key, in DuckDB (much faster than ``json.loads`` row by row at 100,000s of rows).
    The key set and types are read from the data, so new result keys appear by themselves."""
    structure = con.execute(f"SELECT json_group_structure({structure_sql}) {from_sql}").fetchone()[0]
    if not structure or structure == "NULL":
        return ""
    # Unsigned ints would wrap on subtraction; keys that are null everywhere stay null.
    structure = structure.replace('"UBIGINT"', '"BIGINT"').replace('"NULL"', '"JSON"')
    return f", unnest(json_transform({json_sql}, '{structure.replace(chr(39), chr(39) * 2)}'))"


def _python_lists(df: pd.DataFrame) -> pd.DataFrame:
    """DuckDB hands lists over as numpy arrays; results elsewhere hold plain lists."""
    for col in df.columns[df.dtypes == object]:
        first = df[col].dropna().head(1)
        if len(first) and isinstance(first.iloc[0], np.ndarray):
            df[col] = [v.tolist() if isinstance(v, np.ndarray) else v for v in df[col]]
    return df


def metrics_frame(db=None) -> pd.DataFrame:
    """One row per article: the Article fields (text included) and every scalar metric."""
    with connect(db) as con:
        metrics = _json_columns(con, "r.metrics", "FROM results", "metrics")
        df = con.execute(f"SELECT a.*{metrics} FROM articles a JOIN results r USING (article_id) "
                         "ORDER BY a.added_at, a.source_name, a.article_id").df()
    df["ingest_notes"] = df["ingest_notes"].map(lambda s: json.loads(s or "[]"))
    return df


def items_frame(table: str, db=None) -> pd.DataFrame:
    """Rows of ``attributions``, ``actors`` or ``sentences``, each with its article's id,
    outlet, story, title and file name."""
    if table not in ITEM_TABLES:
        raise ValueError(f"unknown table {table!r}")
    with connect(db) as con:
        data = _json_columns(con, "t.data", f"FROM {table}", "data")
        df = con.execute(f"SELECT t.article_id, t.idx, a.outlet, a.story, a.title, a.source_name"
                         f"{data} FROM {table} t JOIN articles a USING (article_id) "
                         f"ORDER BY t.article_id, t.idx").df()
    return _python_lists(df)


def result_part(path: str, db=None) -> dict[str, object]:
    """article_id -> one part of each stored result, e.g. ``$.tone.loaded_words``: DuckDB
    extracts it, so a page needing one list does not parse every whole result."""
    with connect(db) as con:
        rows = con.execute("SELECT article_id, json_extract(result, ?) FROM results", [path]).fetchall()
    return {aid: json.loads(part) for aid, part in rows if part is not None}


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
