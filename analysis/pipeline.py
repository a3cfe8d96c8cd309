"""Runs every metric over articles: one spaCy pass per article feeds all metric modules."""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import actors as actors_mod
from . import dedup, store
from . import readability as readability_mod
from . import sources as sources_mod
from . import tone as tone_mod
from .ingest import MAX_IMPORT_CHARS, Refusal, unexpected
from .model import Article
from .nlp import get_nlp, parse_titles, word_offsets

# Bump when a metric's code changes what it computes: stored results of another version
# are re-analyzed. Lexicon edits are picked up through their hash (see analysis_version).
CODE_VERSION = "7"
LEXICON_DIR = Path(__file__).parent / "lexicons"
# Files in lexicons/ that no metric reads: editing them leaves stored results current.
NOT_READ_BY_METRICS = {"outlets.json"}  # outlet profiles and leanings (analysis/outlets.py)
MODEL_DIR = Path(__file__).parent / "models"


def analysis_version() -> str:
    """Code version plus a hash of every lexicon and model file the metrics read: the bundled
    ones, the user's additions (sources.user_lexicon_dirs) and the user's alias file. The
    hash is kept while no file's size or modification time changes (the models are tens of
    megabytes: reading them took 0.3 s a call)."""
    files = [path for folder in (LEXICON_DIR, MODEL_DIR, *sources_mod.user_lexicon_dirs())
             for path in (sorted(folder.glob("*")) if folder.is_dir() else [])
             if path.is_file() and path.name not in NOT_READ_BY_METRICS]
    stamp = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    if _version_cache.get("stamp") != stamp:
        h = hashlib.sha256()
        for path in files:
            h.update(path.name.encode() + path.read_bytes())
        _version_cache.update(stamp=stamp, digest=h.copy())
    h = _version_cache["digest"].copy()
    h.update(actors_mod.alias_fingerprint().encode())
    return f"{CODE_VERSION}-{h.hexdigest()[:10]}"


_version_cache: dict = {}  # the files' stamp and the hash of their contents


def analyze_doc(doc, *, title: str | None = None, title_doc=None) -> dict:
    """The contract's result for one parsed text (offsets index ``doc.text``); ``title_doc``
    is the title already parsed by ``nlp.parse_titles`` (else it is parsed here)."""
    actors = actors_mod.extract_actors(doc, title=title)
    attributions = sources_mod.extract_attributions(doc, actors)
    actors_mod.add_speaker_references(actors, attributions)
    sentences = tone_mod.sentence_tones(doc, attributions)
    for actor, sentiment in zip(actors, tone_mod.actor_sentiments(doc, actors)):
        actor.sentiment = sentiment
    return tone_mod.add_actor_stances({
        "word_count": len(word_offsets(doc)),
        "sentence_count": readability_mod.sentence_count(doc),
        "readability": readability_mod.readability(doc).as_dict(),
        "tone": tone_mod.tone_profile(doc, sentences, attributions, title=title,
                                       title_doc=title_doc),
        "sources": sources_mod.summarize(doc, attributions, actors),
        "attributions": [a.as_dict() for a in attributions],
        "actors": [a.as_dict() for a in actors],
        "sentences": [s.as_dict() for s in sentences],
    })


def analyze_text(text: str, *, title: str | None = None) -> dict:
    """Analyze ``text`` exactly as given (no cleaning), per the public contract. A text over
    spaCy's ``max_length`` (2,000,000 characters) raises ValueError."""
    return analyze_doc(next(parse([text])), title=title)


# A run of more tokens than this without a sentence end is cut into sentences of this many
# tokens before the parser sees it: the parser and the metrics that walk a sentence's tree
# slow down more than linearly with its length (a 27 KB sentence of clauses took 56 s, and
# deep trees can exhaust Python's recursion limit). News sentences have 20-40 tokens.
MAX_SENTENCE_TOKENS = 200
# Characters parsed in one batch: the parser's memory grows with the batch's text, not with
# the number of articles in it.
BATCH_CHARS = 200_000
# An import stages its results this many articles at a time: each staging opens the store
# once (staging 120 articles took 0.55-1.14 s in batches of 16, 0.32 s in batches of 64).
STAGE_ARTICLES = 64
_RUN_ENDS = re.compile("[.!?…\n]")
_CLAUSE_ENDS = frozenset(",;:")


def bound_sentences(doc, text: str | None = None):
    """``doc`` (not yet parsed) with every run of over ``MAX_SENTENCE_TOKENS`` tokens that
    has no sentence end (. ! ? … or a line break) cut into sentences of at most that length,
    after a comma, semicolon or colon where there is one; the parser keeps preset sentence
    starts. Other text is left to the parser. ``text``: the doc's text, when the caller has
    it (``doc.text`` is rebuilt token by token)."""
    n = len(doc)
    if n <= MAX_SENTENCE_TOKENS:
        return doc
    from spacy.attrs import IDX, LENGTH

    text = doc.text if text is None else text
    # Which tokens end a run, from character offsets (a Token object per token cost 4 % of
    # an import): the last character is a sentence end, or the token holds a line break.
    starts_at, lengths = doc.to_array([IDX, LENGTH]).T.astype(np.int64)
    ends_at = starts_at + lengths
    marks = np.zeros(len(text) + 1, dtype=bool)
    breaks = np.zeros(len(text) + 1, dtype=np.int64)
    for m in _RUN_ENDS.finditer(text):
        (breaks if m.group() == "\n" else marks)[m.start()] = 1
    breaks = np.concatenate(([0], np.cumsum(breaks)))
    ends = marks[np.maximum(ends_at - 1, 0)] & (lengths > 0)
    ends |= breaks[ends_at] > breaks[starts_at]
    ends[-1] = True
    stops = np.flatnonzero(ends) + 1  # each run is [previous stop, stop)
    run_starts = np.concatenate(([0], stops[:-1]))
    long = np.flatnonzero(stops - run_starts > MAX_SENTENCE_TOKENS)
    if not len(long):
        return doc
    texts = [t.text for t in doc]
    starts = np.zeros(n, dtype=np.int64)  # SENT_START: 1 starts a sentence, -1 does not, 0 parser decides
    for k in long:
        _cut_run(texts, starts, int(run_starts[k]), int(stops[k]))
    from spacy.attrs import SENT_START

    doc.from_array([SENT_START], starts.view(np.uint64).reshape(-1, 1))  # as to_array gives
    return doc


def _cut_run(texts: list[str], starts, start: int, stop: int) -> None:
    starts[start + 1:stop] = -1
    at = start
    while stop - at > MAX_SENTENCE_TOKENS:
        window = range(at + MAX_SENTENCE_TOKENS, at + MAX_SENTENCE_TOKENS // 2, -1)
        at = next((j for j in window if texts[j - 1] in _CLAUSE_ENDS), at + MAX_SENTENCE_TOKENS)
        starts[at] = 1


def parse(texts: Iterable[str], batch_size: int = 16) -> Iterator:
    """Parsed docs of ``texts``, in order, over-long sentences cut first (bound_sentences)."""
    nlp = get_nlp()
    return nlp.pipe((bound_sentences(nlp.make_doc(t), t) for t in texts), batch_size=batch_size)


def batches(articles: list[Article], batch_size: int) -> list[list[Article]]:
    """``articles`` in order, in batches of at most ``batch_size`` articles and
    ``BATCH_CHARS`` characters (a longer article alone)."""
    out: list[list[Article]] = []
    chars = 0
    for article in articles:
        if not out or len(out[-1]) >= batch_size or chars + len(article.text) > BATCH_CHARS:
            out.append([])
            chars = 0
        out[-1].append(article)
        chars += len(article.text)
    return out


def warm_up() -> None:
    """Load the spaCy model and every lexicon and model the metrics use (seconds, once per
    process) by analyzing a short text."""
    analyze_text("The minister said the plan was a very good one.", title="A warm-up")


def analyze_articles(articles: Iterable[Article], *,
                     batch_size: int = 16) -> Iterator[tuple[Article, dict | Refusal]]:
    """(article, result) pairs in input order, parsing the bodies and the titles in batches
    (see ``batches``). An article whose analysis fails gets a ``Refusal`` naming it instead
    of a result; the articles around it are analyzed as usual."""
    for batch in batches(list(articles), batch_size):
        docs = _each_or_none(lambda b=batch: parse([a.text for a in b], len(b)), len(batch))
        titles = _each_or_none(lambda b=batch: parse_titles(a.title or "" for a in b), len(batch))
        for article, doc, title_doc in zip(batch, docs, titles):
            try:
                doc = doc if doc is not None else next(parse([article.text]))
                yield article, analyze_doc(doc, title=article.title, title_doc=title_doc)
            except Exception as exc:  # one article's failure stops no other
                name = article.source_name or article.title or article.article_id
                yield article, unexpected(name, exc, "analyzed")


def _each_or_none(make: Callable[[], Iterable], n: int) -> list:
    """``list(make())``, or ``n`` Nones when it fails: the caller then parses one at a
    time, so that the failure is pinned on the one article that caused it."""
    try:
        return list(make())
    except Exception:
        return [None] * n


# --- importing into the store --------------------------------------------------------

@dataclass
class ImportReport:
    added: list[Article] = field(default_factory=list)
    reanalyzed: list[Article] = field(default_factory=list)
    duplicates: list[Article] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    near_duplicates: list[tuple[Article, str]] = field(default_factory=list)  # added, but flagged
    # (new version, the stored versions of the same file or URL it replaced)
    replaced: list[tuple[Article, list[Article]]] = field(default_factory=list)

    def summary(self) -> str:
        n_near = len(self.near_duplicates)
        near = f" ({n_near} flagged as near-duplicates)" if n_near else ""
        edited = f", {len(self.replaced)} replaced (edited)" if self.replaced else ""
        return (f"{len(self.added)} added{near}{edited}, {len(self.reanalyzed)} re-analyzed, "
                f"{len(self.duplicates)} skipped as already stored, {len(self.refused)} refused")


Progress = Callable[[int, int], None]


def _analyzed(articles: list[Article], batch_size: int, n_process: int,
              scheduler: str | None) -> Iterator[tuple[Article, dict]]:
    """(article, result) pairs from this process, local worker processes or a Dask cluster."""
    if scheduler:
        from .distributed import analyze_on_cluster

        return analyze_on_cluster(articles, scheduler, batch_size=batch_size)
    if n_process > 1 and len(articles) > batch_size:
        from .distributed import analyze_in_processes

        return analyze_in_processes(articles, n_process, batch_size=batch_size)
    return analyze_articles(articles, batch_size=batch_size)


def _analyze_and_save(articles: list[Article], db, progress: Progress | None,
                      batch_size: int, n_process: int = 1, scheduler: str | None = None,
                      sources: dict[str, tuple[str | None, list[str]]] | None = None
                      ) -> list[tuple[Article, Refusal]]:
    """Analyze in batches, staging each, then publish them: an import that fails or is
    killed midway leaves the stored articles as they were. ``sources``: article_id ->
    (source key, ids of the stored versions it replaces); the replaced versions are removed
    when their replacement is published. Returns the articles whose analysis failed, with
    the refusal saying so: they are not stored, and every other article is."""
    version = analysis_version()
    total = len(articles)
    failed: list[tuple[Article, Refusal]] = []
    if progress:
        progress(0, total)
    if not total:
        return failed
    import_id = store.begin_import(db)
    try:
        batch: list[tuple[Article, dict]] = []
        for done, (article, result) in enumerate(
                _analyzed(articles, batch_size, n_process, scheduler), 1):
            if isinstance(result, Refusal):
                failed.append((article, result))
            else:
                batch.append((article, result))
            if len(batch) >= max(batch_size, STAGE_ARTICLES) or done == total:
                store.stage(import_id, batch, version, db, sources=sources)
                batch = []
            if progress and (done % batch_size == 0 or done == total):
                progress(done, total)
        store.publish(import_id, db)
    except BaseException:
        store.abandon(import_id, db)
        raise
    return failed


def import_articles(items: Iterable[Article | Refusal], db=None, *,
                    progress: Progress | None = None, batch_size: int = 16,
                    n_process: int = 1, scheduler: str | None = None) -> ImportReport:
    """Store new articles with their analysis. An article whose text is already stored is
    skipped (or re-analyzed, keeping its stored labels, when its analysis is out of date).
    A new text from a file or URL imported before replaces its stored version (see
    ``_replacements``); only new texts are analyzed. ``n_process`` local processes or the
    Dask cluster at ``scheduler`` do the analysis."""
    report = ImportReport()
    version = analysis_version()
    stored = store.stored_versions(db)
    stale_ids: list[str] = []
    seen: set[str] = set()
    chars = 0  # of the texts to analyze, against MAX_IMPORT_CHARS
    for item in items:
        if isinstance(item, Refusal):
            report.refused.append(item)
        elif item.article_id in seen or stored.get(item.article_id) == version:
            report.duplicates.append(item)
        elif chars + len(item.text) > MAX_IMPORT_CHARS:
            name = item.source_name or item.title or item.article_id
            report.refused.append(Refusal(name, f"{name}: not imported, the import reached the "
                                                f"limit of {MAX_IMPORT_CHARS:,} characters of "
                                                f"text to analyze; import it separately"))
        elif item.article_id in stored:
            stale_ids.append(item.article_id)
            seen.add(item.article_id)
            chars += len(item.text)
        else:
            report.added.append(item)
            seen.add(item.article_id)
            chars += len(item.text)
    report.reanalyzed = store.articles(db, stale_ids) if stale_ids else []
    new = list(report.added)  # in the input's order: an earlier one is the original
    sources = {a.article_id: (dedup.source_key(a), []) for a in new}
    if new and stored:
        store.build_index(db)  # a store made before the index gets it once, here
        in_input = seen | {a.article_id for a in report.duplicates}
        report.replaced = _replacements(report.added, sources, in_input, db)
        replacing = {a.article_id for a, _ in report.replaced}
        report.added = [a for a in report.added if a.article_id not in replacing]
    if new:
        gone = {old.article_id for _, olds in report.replaced for old in olds}
        report.near_duplicates = dedup.flag_near_duplicates(new, db=db if stored else None,
                                                            exclude=gone)
    failed = _analyze_and_save(new + report.reanalyzed, db, progress, batch_size, n_process,
                               scheduler, sources)
    if failed:
        gone = {id(a) for a, _ in failed}
        report.refused += [r for _, r in failed]
        report.added = [a for a in report.added if id(a) not in gone]
        report.reanalyzed = [a for a in report.reanalyzed if id(a) not in gone]
        report.replaced = [(a, olds) for a, olds in report.replaced if id(a) not in gone]
        report.near_duplicates = [(a, n) for a, n in report.near_duplicates if id(a) not in gone]
    return report


def _replacements(new: list[Article], sources: dict[str, tuple[str | None, list[str]]],
                  in_input: set[str], db) -> list[tuple[Article, list[Article]]]:
    """The new articles that are edited versions of stored ones: the same URL, or the same
    outlet and file name with texts sharing at least ``dedup.SAME_FILE_MIN`` of their
    five-word sequences (a file is known by its name only, and two folders may both hold
    "1.txt"). Each takes over its latest version's outlet and story labels (the user may
    have changed them) and records in ``sources`` which stored versions it replaces.
    A source named twice in one import, and a stored version whose text is also in this
    import, replace nothing: the articles are added."""
    counts = Counter(key for key, _ in sources.values() if key)
    versions = store.versions_by_source([k for k, n in counts.items() if n == 1], db)
    if not versions:
        return []
    stored = {a.article_id: a for a in
              store.articles(db, {aid for ids in versions.values() for aid in ids})}
    out = []
    for article in new:
        key = sources[article.article_id][0]
        olds = [stored[aid] for aid in versions.get(key, ())
                if aid in stored and aid not in in_input]
        if key and key.startswith("file:"):
            mine = dedup.shingles(article.text)
            olds = [o for o in olds
                    if dedup.containment(mine, dedup.shingles(o.text)) >= dedup.SAME_FILE_MIN]
        if not olds:
            continue
        latest = olds[-1]
        article.outlet, article.story = latest.outlet, latest.story
        what = "page" if key.startswith("url:") else "file"
        article.ingest_notes.append(
            f"edited version of this {what}: replaces {dedup.label(latest)}"
            + (f" and {len(olds) - 1} older version(s)" if len(olds) > 1 else "")
            + "; its outlet and story labels are kept")
        sources[article.article_id] = (key, [o.article_id for o in olds])
        out.append((article, olds))
    return out


def reanalyze(db=None, *, everything: bool = False, progress: Progress | None = None,
              batch_size: int = 16) -> int:
    """Re-analyze stored articles whose analysis is out of date (or all of them)."""
    version = analysis_version()
    ids = [aid for aid, v in store.stored_versions(db).items() if everything or v != version]
    failed = _analyze_and_save(store.articles(db, ids) if ids else [], db, progress, batch_size)
    return len(ids) - len(failed)
