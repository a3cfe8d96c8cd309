"""Near-duplicate articles: the same story text lightly edited, trimmed or extended.

Exact duplicates share an ``article_id`` (a hash of the normalized text) and are stored
once. Near-duplicates are stored but flagged: two texts are near-duplicates when at least
``THRESHOLD`` of the five-word sequences of the shorter one also occur in the longer one
(containment, in [0, 1]; 1 = the shorter text is wholly inside the longer). Wire copy
republished with a new first paragraph or a cut ending scores about 0.8-0.95; two different
articles on one story score under 0.1.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from .model import Article

SHINGLE_WORDS = 5
THRESHOLD = 0.7
MIN_SHINGLES = 20  # texts shorter than about 25 words are not compared


def shingles(text: str, k: int = SHINGLE_WORDS) -> set[int]:
    """Hashes of the k-word sequences of ``text`` (case and punctuation ignored)."""
    words = re.findall(r"\w+", text.casefold())
    return {hash(" ".join(words[i:i + k])) for i in range(len(words) - k + 1)}


def _label(article: Article) -> str:
    name = article.title or article.source_name or article.article_id
    return f"{name!r} ({article.outlet}, {article.article_id})"


def flag_near_duplicates(new: list[Article],
                         stored: Iterable[Article] = ()) -> list[tuple[Article, str]]:
    """Mark each new article that nearly duplicates a stored one or an earlier new one:
    a note is added to its ``ingest_notes``. Returns (article, note) pairs."""
    sets = [shingles(a.text) for a in new]
    index: dict[int, list[int]] = defaultdict(list)
    for i, s in enumerate(sets):
        if len(s) >= MIN_SHINGLES:
            for h in s:
                index[h].append(i)
    best: dict[int, tuple[float, Article]] = {}

    def compare(other: Article, other_set: set[int], only_before: int | None = None) -> None:
        if len(other_set) < MIN_SHINGLES:
            return
        hits = Counter(i for h in other_set for i in index.get(h, ())
                       if only_before is None or i > only_before)
        for i, shared in hits.items():
            score = shared / min(len(sets[i]), len(other_set))
            if score >= THRESHOLD and score > best.get(i, (0.0, None))[0]:
                best[i] = (score, other)

    new_ids = {a.article_id for a in new}
    for article in stored:
        if article.article_id not in new_ids:
            compare(article, shingles(article.text))
    for j, article in enumerate(new):
        compare(article, sets[j], only_before=j)

    flagged = []
    for i in sorted(best):
        score, other = best[i]
        note = (f"near-duplicate of {_label(other)}: {score:.0%} of the shorter text's "
                f"five-word sequences are shared")
        new[i].ingest_notes.append(note)
        flagged.append((new[i], note))
    return flagged
