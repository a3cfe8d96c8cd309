"""Near-duplicate articles and versions of one source.

Exact duplicates share an ``article_id`` (a hash of the normalized text) and are stored
once. Near-duplicates are stored but flagged: two texts are near-duplicates when at least
``THRESHOLD`` of the five-word sequences of the shorter one also occur in the longer one
(containment, in [0, 1]; 1 = the shorter text is wholly inside the longer). Wire copy
republished with a new first paragraph or a cut ending scores about 0.8-0.95; two different
articles on one story score under 0.1.

The store keeps every article's shingle hashes (``store`` tables ``shingles`` and
``article_index``), so a new article is compared with every stored one by one DuckDB join
instead of re-reading and re-shingling every stored text. The hashes must be the same in
every process and every run, hence blake2b rather than Python's salted ``hash()``: each word
is hashed once, and a five-word sequence's hash is a polynomial of its words' hashes (modulo
2**64, computed by numpy for the whole text at once; about 10x faster than hashing every
sequence's string).

An edited file or page replaces its stored version instead of being flagged as its copy:
``source_key`` says where an article came from (its URL, else its outlet and file name).
"""
from __future__ import annotations

import functools
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

import numpy as np

from .model import Article

SHINGLE_WORDS = 5
THRESHOLD = 0.7
MIN_SHINGLES = 20  # texts shorter than about 25 words are not compared
# What the stored hashes are: a store whose index was built otherwise is re-indexed.
INDEX_VERSION = f"{SHINGLE_WORDS}-word blake2b-64 polynomial v2"
# A file (known by outlet and file name only) replaces its stored version when the two texts
# share at least this share of five-word sequences; below it the name is a coincidence (two
# folders both holding "1.txt"), and the new text is stored beside the old one.
SAME_FILE_MIN = 0.2
_WORD = re.compile(r"\w+")
_TABLE_ROW = re.compile(r" (?:row|line|item) \d+$")


# The polynomial's base: odd, and base - 1 is twice an odd number, so two sequences that only
# swap words collide with probability 2**-63.
_BASE = np.uint64(0x100000001B3)


@functools.lru_cache(maxsize=1 << 18)
def stable_hash(s: str) -> int:
    """An unsigned 64-bit hash of ``s``, the same in every process."""
    return int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest(), "little")


def shingles(text: str, k: int = SHINGLE_WORDS) -> set[int]:
    """Stable signed 64-bit hashes (DuckDB's BIGINT) of the k-word sequences of ``text``
    (case and punctuation ignored)."""
    words = _WORD.findall(text.casefold())
    n = len(words) - k + 1
    if n <= 0:
        return set()
    word_hashes = np.fromiter(map(stable_hash, words), dtype=np.uint64, count=len(words))
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            h = h * _BASE + word_hashes[j:j + n]
    return set(h.view(np.int64).tolist())


def containment(a: set[int], b: set[int]) -> float:
    """Share of the smaller set's shingles found in the other (0 when either is empty)."""
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def source_key(article: Article) -> str | None:
    """Where the article came from, so that a later import of an edited version replaces it:
    its URL (scheme and host lower-cased, fragment dropped), else its outlet and file name.
    None for pasted text and for table rows without a URL: a row's number changes whenever an
    export is redone, so it says nothing about which article the row holds."""
    if article.url and article.url.strip():
        p = urlsplit(article.url.strip())
        return "url:" + urlunsplit((p.scheme.lower(), p.netloc.lower(), p.path or "/", p.query, ""))
    name = article.source_name or ""
    if not name or name == "pasted text" or _TABLE_ROW.search(name):
        return None
    return f"file:{article.outlet}\x1f{name}"


def label(article: Article) -> str:
    name = article.title or article.source_name or article.article_id
    return f"{name!r} ({article.outlet}, {article.article_id})"


def flag_near_duplicates(new: list[Article], stored: Iterable[Article] = (), *, db=None,
                         exclude: Iterable[str] = ()) -> list[tuple[Article, str]]:
    """Mark each new article that nearly duplicates a stored one or an earlier new one:
    a note is added to its ``ingest_notes``. Returns (article, note) pairs.

    ``stored`` articles are compared in memory; with ``db``, every article of that store is
    compared through its shingle index (``store.build_index`` must have run). Stored ids in
    ``exclude`` (versions this import replaces) are never reported."""
    sets = [shingles(a.text) for a in new]
    index: dict[int, list[int]] = defaultdict(list)
    for i, s in enumerate(sets):
        if len(s) >= MIN_SHINGLES:
            for h in s:
                index[h].append(i)
    exclude = set(exclude)
    best: dict[int, tuple[float, Article]] = {}

    def consider(i: int, score: float, other: Article) -> None:
        if score >= THRESHOLD and score > best.get(i, (0.0, None))[0]:
            best[i] = (score, other)

    def compare(other: Article, other_set: set[int], only_before: int | None = None) -> None:
        if len(other_set) < MIN_SHINGLES:
            return
        hits = Counter(i for h in other_set for i in index.get(h, ())
                       if only_before is None or i > only_before)
        for i, shared in hits.items():
            consider(i, shared / min(len(sets[i]), len(other_set)), other)

    new_ids = {a.article_id for a in new}
    for article in stored:
        if article.article_id not in new_ids and article.article_id not in exclude:
            compare(article, shingles(article.text))
    if db is not None:
        from . import store  # store imports this module for the hashes

        eligible = {a.article_id: s for a, s in zip(new, sets) if len(s) >= MIN_SHINGLES}
        matches = [m for m in store.similar_stored(eligible, THRESHOLD, MIN_SHINGLES, db)
                   if m[1] not in exclude and m[1] not in new_ids]
        found = {a.article_id: a for a in store.articles(db, {m[1] for m in matches})}
        position = {a.article_id: i for i, a in enumerate(new)}
        for new_id, stored_id, score in matches:
            if stored_id in found:
                consider(position[new_id], score, found[stored_id])
    for j, article in enumerate(new):
        compare(article, sets[j], only_before=j)

    flagged = []
    for i in sorted(best):
        score, other = best[i]
        note = (f"near-duplicate of {label(other)}: {score:.0%} of the shorter text's "
                f"five-word sequences are shared")
        new[i].ingest_notes.append(note)
        flagged.append((new[i], note))
    return flagged
