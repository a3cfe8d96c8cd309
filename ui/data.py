"""Cached data access for the pages: "cache the expensive part, filter separately".

Every loader is keyed on the store's revision, a number that changes on every write, so
pages see an import or relabelling on their next rerun without re-reading otherwise.
"""
from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import threading
import weakref
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from analysis import actors, coverage, ingest, outlets, pipeline, sources, store, tone
from analysis.model import Article

from . import limits, report
from .colors import outlet_colors

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "data" / "sample"


def db() -> str:
    return str(store.db_path())


_gc_lock = threading.Lock()
_gc_pauses = 0


@contextlib.contextmanager
def _gc_paused():
    """Python's cyclic garbage collector paused while shared data is built. Building a frame
    makes 100,000s of lists, tuples and dicts at once, and each full collection that growth
    sets off walks all of them again: at 10,000 articles that was half the actors table's
    loading time. What is built is kept, so a collection meanwhile would find nothing."""
    global _gc_pauses
    with _gc_lock:
        _gc_pauses += 1
        gc.disable()
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if not _gc_pauses:
                gc.enable()


# The frames are cached as shared objects (cache_resource), not copies (cache_data): with
# 10,000 articles the actors table alone takes over a second to copy out of the cache, and
# every page reads it several times per rerun. Pages never modify a loaded frame in place
# (filtering, assign and merge make new frames; pandas copy-on-write keeps them apart).
# One store state at a time: at 10,000 articles the frames hold about 1 GB, and keeping the
# previous state's beside the new one after an import would double that.
@st.cache_resource(show_spinner=False, max_entries=1)
@_gc_paused()
def _metrics(path: str, rev: str) -> pd.DataFrame:
    return store.metrics_frame(path)


# Pages count actor mentions (n_mentions); their positions, for the annotated reader, come
# from the article's result.
_WITHOUT = {"actors": ("mentions",)}
# (table, store) -> (revision, aliases) of the last ``_items`` loaded in full in this process.
_loaded: dict[tuple[str, str], tuple[str, str]] = {}


@st.cache_resource(show_spinner=False, max_entries=len(store.ITEM_TABLES))
@_gc_paused()
def _items(table: str, path: str, rev: str, aliases: str) -> pd.DataFrame:
    items = _read_items(table, path, rev, aliases)
    _loaded[(table, path)] = (rev, aliases)
    return items


@st.cache_data(show_spinner=False, max_entries=64)
@_gc_paused()
def _some_items(table: str, ids: tuple[str, ...], path: str, rev: str,
                aliases: str) -> pd.DataFrame:
    return _read_items(table, path, rev, aliases, ids)


def _read_items(table: str, path: str, rev: str, aliases: str,
                ids: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The stored rows of ``table`` (of the articles ``ids`` only, when given) with the
    columns pages need beside the stored ones (see ``load_items``)."""
    items = store.items_frame(table, path, without=_WITHOUT.get(table, ()), ids=ids)
    if table == "sentences" and len(items) and (
            "words" not in items or items["words"].isna().any()):
        # Analyses from before CODE_VERSION 3 (not yet re-analyzed) have no word counts.
        texts = dict(zip(*(_metrics(path, rev)[c].tolist() for c in ("article_id", "text"))))
        counted = pd.Series([tone.n_words(texts[a][i:j]) for a, i, j in zip(
            *(items[c].tolist() for c in ("article_id", "start", "end")))], index=items.index)
        stored = items["words"] if "words" in items else counted
        items["words"] = stored.fillna(counted).astype("int64")
    if table == "attributions" and len(items):
        # each speaker under its one canonical name across the corpus, as the actors are
        mapping, types = _actor_links(path, rev, aliases)
        items["speaker"] = actors.canonical_names(sources.speakers(items), mapping)
        items["source_type"] = sources.corpus_source_types(items, types)
        if "actors" in items:
            items["actors"] = [[mapping.get(a, a) for a in v] if isinstance(v, (list, tuple))
                               or hasattr(v, "tolist") else v for v in items["actors"]]
    # Actors are stored per article; one canonical name and type per actor across the corpus.
    return actors.link_frame(items, *_actor_links(path, rev, aliases)) if table == "actors" else items


@st.cache_data(show_spinner=False, max_entries=64)
def _result(article_id: str, path: str, rev: str) -> dict | None:
    return store.result(article_id, path)


def revision() -> str:
    """What the caches are keyed on: changes on every write to the store."""
    return store.file_stamp(db())


def load_metrics() -> pd.DataFrame:
    """Every stored article with its scalar metrics (one row per article). Shared between
    reruns and sessions: read it, never modify it in place."""
    return _metrics(db(), revision())


def load_items(table: str) -> pd.DataFrame:
    """attributions, actors, sentences or loaded_words rows, with their article's outlet
    (attributions also with ``speaker``, sentences with ``words``; actors linked across the
    corpus, without their mention positions: pages read ``load_actors``). Shared between
    reruns and sessions: read it, never modify it in place."""
    return _items(table, db(), revision(), actors.alias_fingerprint())


@st.cache_resource(show_spinner=False, max_entries=2)
@_gc_paused()
def _actor_links(path: str, rev: str, aliases: str) -> tuple[dict[str, str], dict[str, str]]:
    # From the stored actors summed per name in DuckDB: the sidebar needs the canonical names
    # on every page's first render, long before a page needs the actor rows themselves.
    return actors.corpus_links(store.actor_votes(path))


def actor_links() -> tuple[dict[str, str], dict[str, str]]:
    """Every stored actor name -> its canonical name (``actors.link_corpus``), and canonical
    name -> its type (``actors.canonical_types``)."""
    return _actor_links(db(), revision(), actors.alias_fingerprint())


@st.cache_resource(show_spinner=False, max_entries=1)
@_gc_paused()
def _actors(path: str, rev: str, aliases: str) -> pd.DataFrame:
    return actors.link_frame(store.actor_rows(path), *_actor_links(path, rev, aliases))


def load_actors() -> pd.DataFrame:
    """The stored actor rows linked across the corpus (``actors.link_frame`` of
    ``store.actor_rows``: article_id, outlet, canonical name and type, n_mentions, sentiment,
    in_title, in_lead, first_mention, article_name): ``load_items("actors")`` without the
    lists and article fields, which take seconds to load at 10,000 articles, in a fraction of
    that. Shared between reruns and sessions: read it, never modify it in place."""
    return _actors(db(), revision(), actors.alias_fingerprint())


def linked_aggregate(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """``aggregate(name, df)`` of a store function with a row per actor name (as articles
    name it; ``actor_names_used``) under the actors' canonical names."""
    rows = aggregate(name, df)
    return rows.assign(name=actors.canonical_names(rows["name"], actor_links()[0]))


@st.cache_resource(show_spinner=False, max_entries=2)
def _actor_names(path: str, rev: str, aliases: str) -> list[str]:
    return sorted(set(_actor_links(path, rev, aliases)[0].values()))


def actor_names() -> list[str]:
    """Every actor's canonical name, sorted (the sidebar's actor filter)."""
    return _actor_names(db(), revision(), actors.alias_fingerprint())


# id(frame) -> (weak reference to the frame, its article ids, each row's article code).
_codes: dict[int, tuple[weakref.ref, pd.Index, np.ndarray]] = {}
_codes_lock = threading.Lock()


def _article_codes(frame: pd.DataFrame) -> tuple[pd.Index, np.ndarray]:
    with _codes_lock:
        entry = _codes.get(id(frame))
        if entry is None or entry[0]() is not frame:
            codes, ids = pd.factorize(frame["article_id"])
            for key in [k for k, e in _codes.items() if e[0]() is None]:
                del _codes[key]  # frames dropped from the caches
            entry = _codes[id(frame)] = (weakref.ref(frame), pd.Index(ids), codes)
    return entry[1], entry[2]


def rows_of(frame: pd.DataFrame, article_ids) -> pd.DataFrame:
    """The rows of a shared frame (``load_items``, ``load_actors``) that belong to
    ``article_ids``: the frame itself when they cover all its articles (read it, never modify
    it in place), else a new frame. Rows are picked through integer article codes, many
    times faster than comparing id strings at 100,000s of rows."""
    ids, codes = _article_codes(frame)
    wanted = ids.get_indexer(pd.Index(article_ids))
    keep = np.zeros(len(ids), dtype=bool)
    keep[wanted[wanted >= 0]] = True
    return frame if keep.all() else frame[keep[codes]]


def select_items(table: str, article_ids) -> pd.DataFrame:
    """``rows_of(load_items(table), article_ids)``. Until this process has loaded the whole
    table, the rows of a few articles (``limits.FEW_ARTICLES``) are read on their own: a page
    opened on two articles right after a restart does not wait seconds for 10,000's."""
    path, rev, aliases = db(), revision(), actors.alias_fingerprint()
    ids = set(article_ids)
    if len(ids) <= limits.FEW_ARTICLES and _loaded.get((table, path)) != (rev, aliases):
        return _some_items(table, tuple(sorted(ids)), path, rev, aliases)
    return rows_of(_items(table, path, rev, aliases), article_ids)


def export_items(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``load_items(table)`` of the articles in ``df`` for a download: without
    their row number, with their article's story, title and file name."""
    items = rows_of(load_items(table), df["article_id"]).drop(columns="idx")
    return items.merge(df[["article_id", "story", "title", "source_name"]], on="article_id", how="left")


# The store's aggregates over the articles of a selection, computed by DuckDB without loading
# their rows (a fraction of a second at 10,000 articles): store functions of (ids, db).
AGGREGATES = ("tone_by_part", "source_counts", "loaded_word_counts", "actor_names_used")


@st.cache_data(show_spinner=False, max_entries=64)
def _aggregate(name: str, selection: str, _ids: list[str], path: str) -> pd.DataFrame:
    return getattr(store, name)(_ids, path)


def aggregate(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """``store.<name>`` (one of ``AGGREGATES``) of the articles in ``df``, kept per selection."""
    if name not in AGGREGATES:
        raise ValueError(f"unknown aggregate {name!r}")
    return _aggregate(name, selection_key(df), df["article_id"].tolist(), db())


@st.cache_resource(show_spinner=False, max_entries=64)
def _per_selection(key: str, _compute):
    return _compute()


def per_selection(name: str, df: pd.DataFrame, compute, *, parts=()):
    """``compute()``, run once per ``name``, selection (``selection_key``: the articles of
    ``df``, the store's state and the alias file), outlets file and ``parts`` (whatever else
    the result depends on: a mode, the picked items, a title), and shared by every session
    and rerun; callers only read the result. What a room of viewers reruns with the same
    filters is then computed once (the report's findings check every claim against the
    texts: a tenth of a second a rerun)."""
    key = "\n".join([name, selection_key(df), outlets.outlet_fingerprint(), repr(parts)])
    return _per_selection(key, compute)


def report_for(df: pd.DataFrame, selection: str, title: str) -> report.Report:
    """The report on the articles of ``df`` (``per_selection``)."""
    def build() -> report.Report:
        try:
            rated = any(r["leaning"] != outlets.UNKNOWN for r in outlets.profile_rows(df))
        except ValueError:  # a broken outlets file (the sidebar says so): no leaning known
            rated = False
        return report.build(df, aggregate("source_counts", df),
                            rows_of(load_actors(), df["article_id"]), selection=selection,
                            colors=colors(), title=title, links=actor_links()[0],
                            attributions=select_items("attributions", df["article_id"]) if rated else None)

    return per_selection("report", df, build, parts=(selection, title))


def load_result(article_id: str) -> dict | None:
    return _result(article_id, db(), revision())


# On a large store the shared frames take up to a second each to load (10,000 articles).
# The first render loads what it needs and starts a background thread that loads the rest,
# so that the first visit to another page finds them.
_warm_lock = threading.Lock()
# The item tables pages read whole. The actors' rows come from load_actors (their whole table
# only for an export), the loaded words only as DuckDB's counts (``aggregate``).
_PAGE_TABLES = ("attributions", "sentences")
_warming: dict[tuple[str, str], threading.Thread] = {}


def _warm(path: str, rev: str, aliases: str) -> None:
    try:
        _article_codes(_actors(path, rev, aliases))
        for table in _PAGE_TABLES:
            _article_codes(_items(table, path, rev, aliases))
        _all_names(path, rev)
        # The first sentence alignment of a process imports SciPy and builds the term lexicon.
        coverage.sentence_similarity("Talks on the plan resume today.", "The plan talks resume.")
    except Exception:  # the pages load what they need themselves
        logging.getLogger("coverage_lens").exception("loading the shared frames in the background failed")


def warm_up() -> threading.Thread | None:
    """Start loading every shared frame in the background, once per store state, when the
    store holds at least ``limits.WARM_UP_ARTICLES`` articles (a small one loads in moments).
    Returns the loading thread (None when there is none)."""
    path, rev = db(), revision()
    try:
        if len(_metrics(path, rev)) < limits.WARM_UP_ARTICLES:
            return None
    except Exception:  # e.g. the store is busy: the page has said so already
        return None
    with _warm_lock:
        if (path, rev) not in _warming:
            for key in [k for k in _warming if k[0] == path]:
                del _warming[key]  # an older state of this store
            thread = threading.Thread(target=_warm, args=(path, rev, actors.alias_fingerprint()),
                                      name="coverage-lens-warm-up", daemon=True)
            thread.start()
            _warming[(path, rev)] = thread
        return _warming[(path, rev)]


def selection_key(df: pd.DataFrame) -> str:
    """A short fingerprint of the articles in ``df`` (and of the store's state and the user's
    aliases, which link the actors): what views computed for a selection are cached on,
    instead of hashing thousands of ids each rerun."""
    ids = "\n".join(df["article_id"].tolist())
    state = f"{revision()}\n{actors.alias_fingerprint()}"
    return hashlib.blake2b(f"{state}\n{ids}".encode(), digest_size=16).hexdigest()


@st.cache_resource(show_spinner=False, max_entries=2)
def _colors(path: str, rev: str) -> dict[str, str]:
    return outlet_colors(_metrics(path, rev)["outlet"])


def colors() -> dict[str, str]:
    """Outlet colours over the whole corpus, so that filtering never recolours an outlet."""
    return _colors(db(), revision())


def article_label(row) -> str:
    """How an article is named in menus and charts: outlet and title (or file name)."""
    title = next((t for t in (row.get("title"), row.get("source_name"))
                  if isinstance(t, str) and t), "(no headline)")  # never the hex article id
    title = title if len(title) <= 60 else title[:59] + "…"
    return f"{row['outlet']} — {title}"


AUTO_REANALYZE_MAX = 50


@st.cache_resource
def _setup_lock() -> threading.Lock:
    return threading.Lock()


def _numbered_names(df: pd.DataFrame) -> dict[str, str]:
    names, seen = {}, {}
    for row in df[["article_id", "outlet", "title", "source_name"]].to_dict("records"):
        label = article_label(row)
        seen[label] = seen.get(label, 0) + 1
        names[row["article_id"]] = label if seen[label] == 1 else f"{label} ({seen[label]})"
    return names


@st.cache_resource(show_spinner=False, max_entries=2)
def _all_names(path: str, rev: str) -> dict[str, str]:
    return _numbered_names(_metrics(path, rev))


def article_names(df: pd.DataFrame) -> dict[str, str]:
    """article_id -> ``article_label``, numbered where two stored articles would read the
    same (labels become column names and menu entries, which must be unique). Named once per
    store state, so an article keeps its name whatever the filters."""
    names = _all_names(db(), revision())
    if all(aid in names for aid in df["article_id"]):
        return {aid: names[aid] for aid in df["article_id"]}
    return _numbered_names(df)  # articles not from the store (not expected)


def stale_count() -> int:
    """Stored articles analyzed by another analysis version than the current one."""
    current = pipeline.analysis_version()
    return sum(v != current for v in _versions(db(), revision()).values())


def ensure_corpus() -> None:
    """While the default store is empty and its user never removed the sample, load the
    bundled sample corpus; a store named by ``COVERAGE_LENS_DB`` or ``--db`` starts empty
    (dashboard.py's ``store_notice`` offers the sample there, and its removal wherever it is). When a few
    stored articles were analyzed by an older version, re-analyze them. Both with a
    progress bar. Sessions opened meanwhile wait for the first one instead of repeating it."""
    with _setup_lock():
        _ensure_corpus()


def is_default_store() -> bool:
    """Whether the dashboard uses the default store (no ``COVERAGE_LENS_DB``)."""
    return Path(db()).resolve() == Path(store.DEFAULT_DB).resolve()


@st.cache_resource(show_spinner=False)
def _sample_ids(sample_dir: str) -> frozenset[str]:
    # Read (not analyzed) once per process: five small files, a few milliseconds.
    return frozenset(a.article_id for a in ingest.read_paths([Path(sample_dir)])
                     if isinstance(a, Article))


def sample_ids() -> list[str]:
    """The ids of the bundled sample articles that the store holds."""
    return sorted(_sample_ids(str(SAMPLE_DIR)) & set(_versions(db(), revision())))


def load_sample(progress=None) -> None:
    """Analyze and store the bundled sample articles in the current store."""
    pipeline.import_articles(ingest.read_paths([SAMPLE_DIR]), db(), progress=progress)


def _declined_marker() -> Path:
    """The file beside the default store that says its user removed the sample."""
    return Path(f"{db()}.no-sample")


def remove_sample() -> None:
    """Delete the bundled sample articles from the current store (nothing else); in the
    default store, remember it, so that the sample is not loaded again when it is empty."""
    store.delete(sample_ids(), db())
    if is_default_store():
        _declined_marker().touch()


@st.cache_data(show_spinner=False, max_entries=2)
def _versions(path: str, rev: str) -> dict:
    return store.stored_versions(path)


def _ensure_corpus() -> None:
    # Keyed on the file's stamp: a rerun of an unchanged store does not open the database,
    # so a command-line import in another process can take the write lock.
    versions = _versions(db(), revision())
    # The default store gets the sample while it is empty and its user never removed the
    # sample: a first start whose analysis was cut short (the browser left the page) leaves
    # the file created but empty, and the next visit loads the sample again.
    first_start = is_default_store() and not versions and not _declined_marker().exists()
    if not versions and not first_start:
        return
    stale = stale_count()
    if versions and not stale:
        return
    if versions and stale > AUTO_REANALYZE_MAX:
        st.warning(f"{stale:,} articles were analyzed by an older version of Coverage Lens; "
                   "re-analyze them on the Corpus page to see the current metrics.")
        return
    label = "Updating the analysis of" if versions else "First start: analyzing"
    bar = st.progress(0.0, text=f"{label} the stored articles…")

    def show(done: int, total: int) -> None:
        bar.progress(done / max(total, 1), text=f"{label} {done} of {total} articles")

    if versions:
        pipeline.reanalyze(db(), progress=show)
    else:
        load_sample(progress=show)
    bar.empty()
