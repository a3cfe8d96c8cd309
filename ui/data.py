"""Cached data access for the pages: "cache the expensive part, filter separately".

Every loader is keyed on the store's revision, a number that changes on every write, so
pages see an import or relabelling on their next rerun without re-reading otherwise.
"""
from __future__ import annotations

import threading
from pathlib import Path

import pandas as pd
import streamlit as st

from analysis import actors, ingest, pipeline, store

from .colors import outlet_colors

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "data" / "sample"


def db() -> str:
    return str(store.db_path())


# The frames are cached as shared objects (cache_resource), not copies (cache_data): with
# 10,000 articles the actors table alone takes over a second to copy out of the cache, and
# every page reads it several times per rerun. Pages never modify a loaded frame in place
# (filtering, assign and merge make new frames; pandas copy-on-write keeps them apart).
@st.cache_resource(show_spinner=False, max_entries=2)
def _metrics(path: str, rev: str) -> pd.DataFrame:
    return store.metrics_frame(path)


@st.cache_resource(show_spinner=False, max_entries=6)
def _items(table: str, path: str, rev: str, aliases: str) -> pd.DataFrame:
    items = store.items_frame(table, path)
    # Actors are stored per article; one canonical name per actor across the corpus.
    return actors.link_frame(items) if table == "actors" else items


@st.cache_data(show_spinner=False, max_entries=64)
def _result(article_id: str, path: str, rev: str) -> dict | None:
    return store.result(article_id, path)


@st.cache_data(show_spinner=False, max_entries=8)
def _result_part(path_in_result: str, path: str, rev: str) -> dict:
    return store.result_part(path_in_result, path)


def load_result_part(path_in_result: str) -> dict:
    """article_id -> one part of every stored result (a JSON path such as ``$.tone.loaded_words``)."""
    return _result_part(path_in_result, db(), revision())


def revision() -> str:
    """What the caches are keyed on: changes on every write to the store."""
    return store.file_stamp(db())


def load_metrics() -> pd.DataFrame:
    """Every stored article with its scalar metrics (one row per article). Shared between
    reruns and sessions: read it, never modify it in place."""
    return _metrics(db(), revision())


def load_items(table: str) -> pd.DataFrame:
    """attributions, actors or sentences rows, with their article's outlet, story and title.
    Shared between reruns and sessions: read it, never modify it in place."""
    return _items(table, db(), revision(), actors.alias_fingerprint())


def load_result(article_id: str) -> dict | None:
    return _result(article_id, db(), revision())


def colors() -> dict[str, str]:
    """Outlet colours over the whole corpus, so that filtering never recolours an outlet."""
    return outlet_colors(load_metrics()["outlet"])


def article_label(row) -> str:
    """How an article is named in menus and charts: outlet and title (or file name)."""
    title = next((t for t in (row.get("title"), row.get("source_name"), row["article_id"])
                  if isinstance(t, str) and t), "")
    title = title if len(title) <= 60 else title[:59] + "…"
    return f"{row['outlet']} — {title}"


AUTO_REANALYZE_MAX = 50


@st.cache_resource
def _setup_lock() -> threading.Lock:
    return threading.Lock()


def article_names(df: pd.DataFrame) -> dict[str, str]:
    """article_id -> ``article_label``, numbered where two articles would read the same
    (labels become column names and menu entries, which must be unique)."""
    names, seen = {}, {}
    for row in df.to_dict("records"):
        label = article_label(row)
        seen[label] = seen.get(label, 0) + 1
        names[row["article_id"]] = label if seen[label] == 1 else f"{label} ({seen[label]})"
    return names


def ensure_corpus() -> None:
    """On first start with an empty store, load the bundled sample corpus; when a few stored
    articles were analyzed by an older version, re-analyze them. Both with a progress bar.
    Sessions opened meanwhile wait for the first one instead of repeating its work."""
    with _setup_lock():
        _ensure_corpus()


@st.cache_data(show_spinner=False, max_entries=2)
def _versions(path: str, rev: str) -> dict:
    return store.stored_versions(path)


def _ensure_corpus() -> None:
    # Keyed on the file's stamp: a rerun of an unchanged store does not open the database,
    # so a command-line import in another process can take the write lock.
    versions = _versions(db(), revision())
    current = pipeline.analysis_version()
    stale = sum(v != current for v in versions.values())
    if versions and not stale:
        return
    if versions and stale > AUTO_REANALYZE_MAX:
        st.warning(f"{stale} articles were analyzed by an older version of Coverage Lens; "
                   "re-analyze them on the Corpus page to see the current metrics.")
        return
    label = "Updating the analysis of" if versions else "First start: analyzing"
    bar = st.progress(0.0, text=f"{label} the stored articles…")

    def show(done: int, total: int) -> None:
        bar.progress(done / max(total, 1), text=f"{label} {done} of {total} articles")

    if versions:
        pipeline.reanalyze(db(), progress=show)
    else:
        pipeline.import_articles(ingest.read_paths([SAMPLE_DIR]), db(), progress=show)
    bar.empty()
