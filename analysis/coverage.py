"""What each outlet included and left out: facts, quotes and copied passages across articles.

The articles of one story are cut into sentences; sentences that report the same fact or
claim are aligned into **fact groups** (one group per fact, at most one sentence per article
and fact, plus an article's own repetitions). From the groups follow the coverage matrix
(fact x outlet), what each article reports alone or leaves out, and the two-article
comparison. Independently of the groups, **shared quotes** (the same quote used by several
articles, exact, trimmed or paraphrased) and **copied passages** (text shared nearly verbatim,
such as wire copy) are found.

Similarity of two sentences is the cosine of their TF-IDF vectors, where the "terms" are
Snowball stems of content words after a hand-written normalization: reporting verbs and
stop words are dropped, negation cues ("no", "not", "refuses", "declined", "won't") become
one term, and common news synonyms ("deadline"/"timeline", "rigid"/"specific",
"talks"/"negotiations") become one term. Long sentences are also compared clause by clause,
so that "while no specific deadline is in place, there is fatigue on all sides" aligns with
"the administration refuses to set a rigid deadline". Groups are built by average-linkage
clustering over the cross-article similarities: a sentence joins a group only when its mean
similarity to the members is at least ``THRESHOLD``.

Nothing here runs spaCy: sentence offsets stored by the pipeline (the store's ``sentences``
rows) are used when given, else a cheap rule-based splitter cuts the text.
"""
from __future__ import annotations

import functools
import heapq
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .model import Article, Record

# Mean cosine a sentence must reach with a group's members to join it. Chosen on hand-made
# paraphrase / unrelated pairs (tests/test_coverage.py) and checked by eye on the sample.
THRESHOLD = 0.38
# A repeated sentence joins its article's group only on a clearly closer match.
REPEAT_MARGIN = 0.1
# Similarities below this are treated as 0 (keeps the similarity graph sparse).
LINK_FLOOR = 0.15
# A clause match counts a little less than a whole-sentence match.
CLAUSE_WEIGHT = 0.9
MIN_WORDS = 4  # shorter units (sub-headings, "Only time will tell.") are not facts
MIN_TERMS = 2
CLAUSE_TERMS = 4  # shorter clauses match on one or two generic words

# --- sentences -----------------------------------------------------------------------

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "prof", "gen", "sen", "rep", "gov", "lt",
    "col", "capt", "sgt", "rev", "hon", "pres", "no", "vs", "etc", "inc", "corp", "ltd",
    "co", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "u.s", "u.k", "u.n", "e.g", "i.e", "a.m", "p.m", "approx", "est", "fig", "dept",
}
_BOUNDARY = re.compile(r"[.!?…]+[\"”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])")
_WORD = re.compile(r"[A-Za-z0-9]+(?:[’'][A-Za-z]+)*")


@dataclass
class Sentence(Record):
    """One unit of an article: ``text == article.text[start:end]``."""

    article_id: str
    start: int
    end: int
    text: str
    index: int = 0  # position among the article's units

    def as_dict(self) -> dict:
        return {"article_id": self.article_id, "text": self.text, "start": self.start,
                "end": self.end}


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: paragraphs (line breaks) first, then end punctuation
    followed by a capital, except after abbreviations ("U.S.", "Mr.") and initials."""
    spans = []
    for par in re.finditer(r"[^\n]+", text):
        start = par.start()
        for m in _BOUNDARY.finditer(par.group()):
            before = par.group()[:m.start()].rsplit(None, 1)
            last = before[-1].lower().strip("(\"“‘") if before else ""
            if m.group().startswith(".") and (last in _ABBREVIATIONS or len(last) == 1):
                continue
            end = par.start() + m.end()
            spans.append((start, end))
            start = end
        spans.append((start, par.end()))
    return [s for s in (_trim(text, a, b) for a, b in spans) if s]


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def sentence_units(article: Article, spans: Iterable[tuple[int, int]] | None = None
                   ) -> list[Sentence]:
    """The article's sentences worth aligning. ``spans`` are stored sentence offsets (the
    pipeline's spaCy sentences); each is cut again at line breaks, because a sub-heading
    without end punctuation is often glued to the next sentence."""
    text = article.text
    if spans is None:
        pieces = split_sentences(text)
    else:
        pieces = []
        for start, end in sorted(spans):
            for m in re.finditer(r"[^\n]+", text[start:end]):
                piece = _trim(text, start + m.start(), start + m.end())
                if piece:
                    pieces.append(piece)
    units = []
    for start, end in pieces:
        chunk = text[start:end]
        n_words = len(_WORD.findall(chunk))
        # A line without end punctuation and few words is a sub-heading, not a fact.
        heading = not re.search(r"[.!?…\"”’)]$", chunk) and n_words < 9
        if n_words >= MIN_WORDS and not heading and len(terms(chunk)) >= MIN_TERMS:
            units.append(Sentence(article.article_id, start, end, chunk, len(units)))
    return units


def spans_from_frame(frame) -> dict[str, list[tuple[int, int]]]:
    """article_id -> sentence (start, end) from ``store.items_frame("sentences")``."""
    out: dict[str, list[tuple[int, int]]] = defaultdict(list)
    if frame is None or len(frame) == 0:
        return dict(out)
    for aid, start, end in zip(frame["article_id"], frame["start"], frame["end"]):
        out[aid].append((int(start), int(end)))
    return dict(out)


# --- terms ---------------------------------------------------------------------------

# Words that report speech or structure a text but carry no fact of their own.
_REPORTING = """say said says saying tell told tells state stated states stating statement
note noted notes mention mentioned mentions stress stressed emphasize emphasized emphasised
add added adds explain explained report reported reports reportedly according accord claim
claimed claims remark remarked comment commented indicate indicated suggest suggested
express expressed highlight highlighted underscore underscored acknowledge acknowledged
assert asserted point pointed insist insisted describe described meanwhile additionally
furthermore moreover however also still just really actually currently recently""".split()
_NEGATION = """no not never none nor neither cannot without refuse refuses refused refusing
decline declines declined declining reject rejects rejected rejecting deny denies denied
denying lack lacks lacking absent won't can't don't doesn't didn't isn't aren't wasn't
weren't hasn't haven't hadn't wouldn't shouldn't couldn't""".split()
# Groups of words news writers use for the same thing; each group becomes one term.
SYNONYMS = [
    "deadline timeline timeframe timetable",
    "specific rigid fixed strict concrete definite precise",
    "talks talk negotiation negotiations negotiate negotiating discussion discussions discuss "
    "dialogue dialog",
    "ceasefire cease-fire truce armistice",
    "war conflict fighting hostilities combat warfare",
    "meet meeting meets met visit visits visited trek travel travels trip summit",
    "envoy emissary representative",
    "agree agreed agrees accept accepted accepts consent endorse endorsed approve approved",
    "deal agreement accord pact treaty settlement",
    "plan proposal proposals framework blueprint roadmap initiative",
    "attack attacks assault offensive offensives bombardment shelling airstrike airstrikes",
    "strike strikes walkout walkouts stoppage",
    "pay wage wages salary salaries",
    "worker workers staff employees",
    "law laws legislation",
    "limit limits restrict restricting restriction curb curbs",
    "poll polls survey surveys",
    "cancel cancelled canceled scrap scrapped",
    "resume resumed restart restarted",
    "troops forces soldiers army",
    "territory territories territorial land lands",
    "guarantee guarantees assurance assurances safeguards",
    "kill killed killing dead death deaths casualties",
    "weapon weapons arms missile missiles munitions",
    "aid assistance",
    "call phone phoned calls called",
    "optimistic optimism hopeful hopes confident confidence upbeat",
    "doubt doubts doubtful skeptical sceptical skepticism scepticism",
    "end ending ended halt stop stopped finish",
    "big large huge massive major significant substantial",
    "begin began begun start started launch launched commence commenced",
    "election elections vote referendum ballot",
    "leader leaders head",
    "soon imminent upcoming shortly",
    "week weeks weekly",
    "tired fatigue weary exhausted exhaustion",
]
_CONTRACTION = re.compile(r"n[’']t$")


@functools.lru_cache(maxsize=1)
def _lexicon() -> tuple[frozenset, frozenset, dict]:
    from .tone import word_list

    stem = _stemmer().stemWord
    negation = frozenset(_NEGATION)
    stop = frozenset((word_list("stop_words") | set(_REPORTING)) - negation)
    concept = {}
    for group in SYNONYMS:
        words = group.split()
        for w in words:
            # One stem in two groups would silently join them.
            assert concept.get(stem(w), words[0]) == words[0], f"{w!r} is in two groups"
            concept[stem(w)] = words[0]
    return stop, negation, concept


@functools.lru_cache(maxsize=50_000)
def content_term(word: str) -> str | None:
    stop, negation, concept = _lexicon()
    if word in negation or _CONTRACTION.search(word):
        return "NOT"
    word = re.sub(r"'s$", "", word)
    if word in stop or len(word) < 2:
        return None
    stem = _stemmer().stemWord(word)
    return concept.get(stem, stem)


@functools.lru_cache(maxsize=1)
def _stemmer():
    # Snowball's English (Porter2) stemmer, compiled from Snowball's C (PyStemmer): 17 times
    # faster than its pure-Python version (the snowballstemmer package), with the same stems
    # on 139,729 distinct words; NLTK's copy imported all of NLTK (about a second of a page's
    # first open).
    import Stemmer

    return Stemmer.Stemmer("english")


def terms(text: str) -> list[str]:
    """The normalized content terms of ``text`` (the similarity's vocabulary)."""
    return list(content_terms(text))


@functools.lru_cache(maxsize=100_000)
def content_terms(text: str) -> tuple[str, ...]:
    # Cached: a sentence is read for its unit filter, its clauses and its vector.
    found = (content_term(w.lower().replace("’", "'")) for w in _WORD.findall(text))
    return tuple(t for t in found if t)


_CLAUSE = re.compile(r"[,;:—–]\s+|\s+-\s+|\s+(?=(?:while|whereas|although|though|but|as|"
                     r"because|since|after|before|despite|amid)\s)", re.I)


def clauses(text: str) -> list[str]:
    """Clauses of a long sentence with at least ``CLAUSE_TERMS`` content terms each; [] when the
    sentence has only one."""
    parts = [p for p in _CLAUSE.split(text) if p]
    out, pending = [], ""
    for p in parts:
        pending = f"{pending} {p}".strip()
        if len(terms(pending)) >= CLAUSE_TERMS:
            out.append(pending)
            pending = ""
    if pending and out:
        out[-1] = f"{out[-1]} {pending}"
    return out if len(out) > 1 else []


# --- similarity ----------------------------------------------------------------------

class Tfidf:
    """TF-IDF of ``terms`` as scikit-learn's ``TfidfVectorizer(sublinear_tf=True)`` weighs
    them (tf 1 + ln count, idf ln((1 + n) / (1 + df)) + 1, L2-normalized rows), without
    importing scikit-learn: about a second of a page's first open."""

    def __init__(self, texts: Sequence[str]):
        import numpy as np

        df = defaultdict(int)
        for text in texts:
            for term in set(content_terms(text)):
                df[term] += 1
        vocabulary = sorted(df)
        self.column = {term: j for j, term in enumerate(vocabulary)}
        self.idf = np.log((1 + len(texts)) / (1 + np.array([df[t] for t in vocabulary], float))) + 1

    def transform(self, texts: Sequence[str]):
        """CSR matrix, one row per text, one column per term of the fitted texts."""
        import numpy as np
        import scipy.sparse as sp

        indptr, indices, counts = [0], [], []
        for text in texts:
            row: dict[int, int] = {}
            for term in content_terms(text):
                j = self.column.get(term)
                if j is not None:
                    row[j] = row.get(j, 0) + 1
            for j in sorted(row):
                indices.append(j)
                counts.append(row[j])
            indptr.append(len(indices))
        indices = np.array(indices, dtype=np.int64)
        data = (1 + np.log(np.array(counts, float))) * self.idf[indices]
        X = sp.csr_matrix((data, indices, np.array(indptr)), shape=(len(texts), len(self.idf)))
        norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
        X.data /= np.repeat(np.where(norms > 0, norms, 1), np.diff(X.indptr))
        return X


def _vectors(texts: Sequence[str]):
    """The fitted ``Tfidf`` of ``texts`` and their rows."""
    vec = Tfidf(texts)
    return vec, vec.transform(texts)


def similarity_matrix(units: Sequence[Sentence], *, floor: float = LINK_FLOOR,
                      embed: bool = False):
    """Sparse (CSR) sentence similarities in [0, 1] between units of different articles;
    higher => more likely the same fact. Each value is the larger of the whole-sentence
    cosine and ``CLAUSE_WEIGHT`` x the best clause-pair cosine; values below ``floor``
    are dropped. ``embed``: also take the MiniLM embedding similarity (see
    ``embedding_similarity``) where it is larger."""
    lexical = _lexical_similarity(units, floor=floor)
    return lexical.maximum(embedding_similarity(units, floor=floor)) if embed else lexical


# Embedding cosines mapped onto the lexical scale: EMBED_AT_THRESHOLD lands on THRESHOLD,
# 0.9 (near-identical meaning) on 0.85. Same-story sentences on different facts often
# reach 0.4-0.6 with MiniLM, paraphrases 0.6-0.9; 0.62 let topical look-alikes through on
# the sample corpus, 0.68 kept most paraphrases (benchmarks/coverage_speed.py).
EMBED_AT_THRESHOLD = 0.68


def embedding_similarity(units: Sequence[Sentence], *, floor: float = LINK_FLOOR):
    """Sparse MiniLM similarities between units of different articles, on the lexical
    scale (linear map of the cosine, clipped to [0, 1]; below ``floor`` dropped). Needs the
    optional model (``analysis.embeddings``)."""
    import numpy as np
    import scipy.sparse as sp

    from . import embeddings

    n = len(units)
    E = embeddings.encode([u.text for u in units])
    codes: dict[str, int] = {}
    owner = np.array([codes.setdefault(u.article_id, len(codes)) for u in units])
    slope = (0.85 - THRESHOLD) / (0.9 - EMBED_AT_THRESHOLD)
    rows, cols, vals = [], [], []
    for i0 in range(0, n, 1024):
        sim = np.clip((E[i0:i0 + 1024] @ E.T - EMBED_AT_THRESHOLD) * slope + THRESHOLD, 0, 1)
        sim[owner[i0:i0 + 1024, None] == owner[None, :]] = 0
        r, c = np.nonzero(sim >= floor)
        rows.append(r + i0)
        cols.append(c)
        vals.append(sim[r, c])
    return sp.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                         shape=(n, n))


def _lexical_similarity(units: Sequence[Sentence], *, floor: float):
    import numpy as np
    import scipy.sparse as sp

    n = len(units)
    if n == 0:
        return sp.csr_matrix((0, 0))
    vec, _ = _vectors([u.text for u in units])
    codes: dict[str, int] = {}
    owner = np.array([codes.setdefault(u.article_id, len(codes)) for u in units], dtype=np.int64)
    # Rows: each sentence, then its clauses (vectors share the sentences' vocabulary and idf).
    texts, row_unit, weight = [], [], []
    for i, u in enumerate(units):
        for k, text in enumerate([u.text, *clauses(u.text)]):
            texts.append(text)
            row_unit.append(i)
            weight.append(1.0 if k == 0 else CLAUSE_WEIGHT)
    C = vec.transform(texts)
    row_unit = np.array(row_unit, dtype=np.int64)
    weight = np.array(weight)

    keys, vals = [], []
    block = 1024
    for c0 in range(0, C.shape[0], block):
        S = (C[c0:c0 + block] @ C.T).tocoo()
        big = S.data >= floor  # weights are <= 1: nothing below the floor can rise above it
        sr, sc = S.row[big] + c0, S.col[big]
        r, c = row_unit[sr], row_unit[sc]
        v = S.data[big] * np.minimum(weight[sr], weight[sc])
        keep = (v >= floor) & (owner[r] != owner[c])
        k, v = _max_by_key(r[keep] * n + c[keep], v[keep])
        keys.append(k)
        vals.append(v)
    # A sentence's clauses may fall in two blocks: reduce once more over all blocks.
    k, v = _max_by_key(np.concatenate(keys), np.concatenate(vals))
    return sp.csr_matrix((np.minimum(v, 1.0), (k // n, k % n)), shape=(n, n))


def _max_by_key(keys, vals):
    """Unique keys with the maximum value of each (several clause pairs map to one
    sentence pair: the best one counts, not their sum)."""
    import numpy as np

    if len(keys) == 0:
        return keys, vals
    order = np.argsort(keys, kind="stable")
    keys, vals = keys[order], vals[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    return keys[starts], np.maximum.reduceat(vals, starts)


def sentence_similarity(a: str, b: str, *, context: Sequence[str] = ()) -> float:
    """Similarity of two sentences as used for alignment, in [0, 1]; higher => closer.
    ``context`` adds other sentences of the story so the idf weights are meaningful."""
    units = [Sentence("a", 0, len(a), a), Sentence("b", 0, len(b), b)]
    units += [Sentence(f"c{i}", 0, len(t), t) for i, t in enumerate(context)]
    return float(similarity_matrix(units, floor=0.0)[0, 1])


# --- fact groups ---------------------------------------------------------------------

@dataclass
class FactGroup(Record):
    """Sentences of several articles reporting one fact; ``label`` is the most central one."""

    label: str
    articles: list[str]
    sentences: list[Sentence]
    outlets: list[str] = field(default_factory=list)

    @property
    def n_articles(self) -> int:
        return len(self.articles)

    def as_dict(self) -> dict:
        return {"label": self.label, "articles": list(self.articles),
                "sentences": [s.as_dict() for s in self.sentences],
                "outlets": list(self.outlets), "n_articles": self.n_articles}


def _average_linkage(S, owner: list[str], threshold: float) -> list[list[int]]:
    """Clusters of unit indices: average linkage over the sparse similarities, merging
    while the best mean similarity is >= ``threshold`` and never putting two units of one
    article in a cluster (an article states a fact once; repeats are attached later).
    ``S`` must be symmetric."""
    S = S.tocsr()
    ptr, idx, val = S.indptr, S.indices.tolist(), S.data.tolist()
    # link[c][d]: sum of the similarities between the members of clusters c and d.
    link = {i: dict(zip(idx[ptr[i]:ptr[i + 1]], val[ptr[i]:ptr[i + 1]]))
            for i in range(S.shape[0])}
    members = {i: [i] for i in range(len(owner))}
    arts = {i: {owner[i]} for i in range(len(owner))}
    C = S.tocoo()
    top = (C.data >= threshold) & (C.row < C.col)
    heap = list(zip((-C.data[top]).tolist(), C.row[top].tolist(), C.col[top].tolist()))
    heapq.heapify(heap)
    while heap:
        neg, a, b = heapq.heappop(heap)
        if a not in members or b not in members or arts[a] & arts[b]:
            continue
        current = link[a].get(b, 0.0) / (len(members[a]) * len(members[b]))
        if current < -neg - 1e-12:
            # A merge elsewhere lowered this mean since it was queued: queue it again.
            if current >= threshold:
                heapq.heappush(heap, (-current, a, b))
            continue
        members[a] += members.pop(b)
        arts[a] |= arts.pop(b)
        size = len(members[a])
        for other, v in link.pop(b).items():
            if other == a:
                continue
            total = link[a].get(other, 0.0) + v
            link[a][other] = total
            link[other][a] = total
            del link[other][b]
            # b's neighbours get a fresh entry; a's other neighbours' means only fell, and
            # their queued entries are re-checked when popped.
            avg = total / (size * len(members[other]))
            if avg >= threshold:
                heapq.heappush(heap, (-avg, min(a, other), max(a, other)))
        link[a].pop(b, None)
    return list(members.values())


def _attach_repeats(clusters: list[list[int]], S, owner: list[str],
                    threshold: float) -> list[list[int]]:
    """Fold a lone sentence into a group that already holds its article when it matches
    the group's other articles as well as a member would (a fact repeated in one text)."""
    S = S.tocsr()
    where = {i: k for k, c in enumerate(clusters) for i in c}
    out = [list(c) for c in clusters]
    for k, c in enumerate(clusters):
        if len(c) != 1:
            continue
        i = c[0]
        lo, hi = S.indptr[i], S.indptr[i + 1]
        best, best_k = threshold + REPEAT_MARGIN, None
        scores: dict[int, float] = defaultdict(float)
        for j, v in zip(S.indices[lo:hi].tolist(), S.data[lo:hi].tolist()):
            scores[where[j]] += v
        for g, total in scores.items():
            group = out[g]
            if g == k or owner[i] not in {owner[j] for j in group}:
                continue
            others = sum(1 for j in group if owner[j] != owner[i])
            if others and total / others >= best:
                best, best_k = total / others, g
        if best_k is not None:
            out[best_k].append(i)
            out[k] = []
    return [c for c in out if c]


def fact_groups(articles: Sequence[Article], *,
                sentences: dict[str, Iterable[tuple[int, int]]] | None = None,
                threshold: float = THRESHOLD, embed: bool = False) -> list[FactGroup]:
    """Fact groups of the articles of one story, most widely carried first.

    Every unit sentence belongs to exactly one group; a group of one article is a fact only
    that article reports. ``sentences`` maps article_id to stored sentence offsets (else
    sentences are split by rule). ``threshold`` in [0, 1]: higher => stricter alignment.
    ``embed``: add the optional MiniLM similarity (better on paraphrases, much slower).
    """
    units: list[Sentence] = []
    for a in articles:
        spans = sentences.get(a.article_id) if sentences else None
        units += sentence_units(a, spans)
    if not units:
        return []
    S = similarity_matrix(units, embed=embed)
    owner = [u.article_id for u in units]
    clusters = _average_linkage(S, owner, threshold)
    clusters = _attach_repeats(clusters, S, owner, threshold)
    outlet_of = {a.article_id: a.outlet for a in articles}
    order_of = {a.article_id: k for k, a in enumerate(articles)}
    # Each unit's centrality: the sum of its similarities to the other members of its group
    # (one pass over the matrix, not a sub-matrix per group).
    import numpy as np

    cluster_of = np.empty(len(units), dtype=np.int64)
    for k, c in enumerate(clusters):
        cluster_of[c] = k
    C = S.tocoo()
    inside = cluster_of[C.row] == cluster_of[C.col]
    centrality_of = np.bincount(C.row[inside], weights=C.data[inside], minlength=len(units))
    groups = []
    for c in clusters:
        c = sorted(c, key=lambda i: (order_of[owner[i]], units[i].start))
        centrality = centrality_of[c]
        rep = max(range(len(c)), key=lambda k: (round(centrality[k], 6), -len(units[c[k]].text)))
        aids = list(dict.fromkeys(owner[i] for i in c))
        groups.append(FactGroup(label=units[c[rep]].text, articles=aids,
                                sentences=[units[i] for i in c],
                                outlets=list(dict.fromkeys(outlet_of[a] for a in aids))))
    first = {id(g): min((order_of[s.article_id], s.start) for s in g.sentences) for g in groups}
    groups.sort(key=lambda g: (-len(g.outlets), -g.n_articles, first[id(g)]))
    return groups


# --- coverage views ------------------------------------------------------------------

def coverage_matrix(groups: Sequence[FactGroup], articles: Sequence[Article], *,
                    by: str = "outlet", min_articles: int = 1):
    """Fact x outlet (``by="outlet"``) or fact x article (``by="article"``) table.

    One row per fact group with ``n_articles >= min_articles``, sorted by how many outlets
    carry it; columns ``fact``, ``n_outlets``, ``n_articles`` and one column per outlet or
    article holding the sentence(s) that report the fact there ("" when absent).
    """
    import pandas as pd

    if by not in ("outlet", "article"):
        raise ValueError("by must be 'outlet' or 'article'")
    outlet_of = {a.article_id: a.outlet for a in articles}
    columns = list(dict.fromkeys(outlet_of.values())) if by == "outlet" else list(outlet_of)
    rows = []
    for g in groups:
        if g.n_articles < min_articles:
            continue
        row = {"fact": g.label, "n_outlets": len(g.outlets), "n_articles": g.n_articles}
        row.update({c: "" for c in columns})
        for s in g.sentences:
            key = outlet_of.get(s.article_id, "") if by == "outlet" else s.article_id
            if key in row:
                row[key] = f"{row[key]} | {s.text}" if row[key] else s.text
        rows.append(row)
    df = pd.DataFrame(rows, columns=["fact", "n_outlets", "n_articles", *columns])
    return df.sort_values(["n_outlets", "n_articles"], ascending=False, kind="stable"
                          ).reset_index(drop=True)


def article_coverage(groups: Sequence[FactGroup], articles: Sequence[Article]) -> list[dict]:
    """Per article: how much of it is shared with other articles and what it alone has.

    ``shared_share`` / ``unique_share`` in [0, 1]: share of the article's aligned sentence
    characters in facts other articles also report / in facts only it reports (they add up
    to 1). ``unique_facts``: labels of the facts only it reports. ``missing_facts``: facts
    that more than half of the other articles (and at least two) report and it does not.
    """
    majority = max(2, (len(articles) - 1) // 2 + 1)
    ids = [a.article_id for a in articles]
    shared, unique, n_facts = (dict.fromkeys(ids, 0) for _ in range(3))
    unique_facts: dict[str, list[str]] = {aid: [] for aid in ids}
    missing: dict[str, list[str]] = {aid: [] for aid in ids}
    for g in groups:  # one pass over the sentences, not one per article
        size: dict[str, int] = {}
        for s in g.sentences:
            size[s.article_id] = size.get(s.article_id, 0) + s.end - s.start
        for aid, n in size.items():
            if aid not in shared:
                continue
            if g.n_articles > 1:
                shared[aid] += n
            else:
                unique[aid] += n
                unique_facts[aid].append(g.label)
        if g.n_articles >= majority:
            for aid in ids:
                if aid not in size:
                    missing[aid].append(g.label)
        for aid in g.articles:
            if aid in n_facts:
                n_facts[aid] += 1
    out = []
    for a in articles:
        aid = a.article_id
        total = shared[aid] + unique[aid]
        out.append({"article_id": aid, "outlet": a.outlet, "title": a.title,
                    "n_facts": n_facts[aid],
                    "shared_share": round(shared[aid] / total, 4) if total else 0.0,
                    "unique_share": round(unique[aid] / total, 4) if total else 0.0,
                    "unique_facts": unique_facts[aid], "missing_facts": missing[aid]})
    return out


def compare_two(article_a: Article, article_b: Article, *,
                groups: Sequence[FactGroup] | None = None,
                sentences: dict[str, Iterable[tuple[int, int]]] | None = None,
                threshold: float = THRESHOLD) -> dict:
    """What only A reports, only B reports, and both report.

    Returns ``{"only_a": [Sentence], "only_b": [Sentence], "both": [{"label", "a": [Sentence],
    "b": [Sentence]}]}`` in text order. ``groups`` from ``fact_groups`` over the whole story
    are reused when given (alignment then uses the story's vocabulary); otherwise the two
    articles are aligned on their own.
    """
    if groups is None:
        groups = fact_groups([article_a, article_b], sentences=sentences, threshold=threshold)
    ida, idb = article_a.article_id, article_b.article_id
    only_a, only_b, both = [], [], []
    for g in groups:
        sa = [s for s in g.sentences if s.article_id == ida]
        sb = [s for s in g.sentences if s.article_id == idb]
        if sa and sb:
            both.append({"label": g.label, "a": sa, "b": sb})
        elif sa:
            only_a += sa
        elif sb:
            only_b += sb
    both.sort(key=lambda d: d["a"][0].start)
    return {"only_a": sorted(only_a, key=lambda s: s.start),
            "only_b": sorted(only_b, key=lambda s: s.start), "both": both}


# --- quotes across outlets -----------------------------------------------------------

_QUOTE = re.compile(r"“([^“”]{3,1500}?)”|\"([^\"\n]{3,1500}?)\"")
MIN_QUOTE_WORDS = 4  # shorter quoted bits are mostly scare quotes ("minor", "ironclad")
QUOTE_PARAPHRASE = 0.5


@dataclass
class Quote(Record):
    article_id: str
    outlet: str
    text: str
    start: int
    end: int
    speaker: str | None = None


def find_quotes(article: Article, attributions: Sequence[dict] = ()) -> list[Quote]:
    """Quoted passages of at least ``MIN_QUOTE_WORDS`` words; the speaker is taken from a
    stored attribution whose content overlaps the quote (``actor`` or else ``source``)."""
    out = []
    for m in _QUOTE.finditer(article.text):
        g = 1 if m.group(1) is not None else 2
        body = m.group(g)
        if len(_WORD.findall(body)) < MIN_QUOTE_WORDS:
            continue
        start, end = m.start(g), m.end(g)
        out.append(Quote(article.article_id, article.outlet, body, start, end,
                         _speaker_for(start, end, attributions)))
    return out


def _speaker_for(start: int, end: int, attributions: Sequence[dict]) -> str | None:
    for att in attributions or ():
        cs, ce = att.get("content_start"), att.get("content_end")
        if cs is None or ce is None or _isnan(cs) or _isnan(ce):
            continue
        if cs < end and start < ce:
            return _speaker_name(att)
    return None


def _speaker_name(att: dict) -> str | None:
    """The speaker under its name across the corpus (the dashboard's ``speaker``), else the
    resolved actor, else the source text; rows read from a DataFrame hold NaN where a value
    is missing."""
    for key in ("speaker", "actor", "source"):
        value = att.get(key)
        if isinstance(value, str) and value and value != "(unresolved)":
            return value
    return None


def _isnan(x) -> bool:
    return isinstance(x, float) and math.isnan(x)


def _words(text: str) -> tuple[str, ...]:
    return tuple(w.lower().replace("’", "'") for w in _WORD.findall(text))


def _contains(big: tuple, small: tuple) -> bool:
    n = len(small)
    return any(big[i:i + n] == small for i in range(len(big) - n + 1))


def shared_quotes(articles: Sequence[Article], *,
                  attributions: dict[str, Sequence[dict]] | None = None) -> list[dict]:
    """Quotes used by more than one article, most widely used first.

    Each item: ``{"text": the longest wording, "match": "exact"|"trimmed"|"paraphrased"
    (the loosest link in the group), "n_articles", "occurrences": [Quote.as_dict()]}``.
    Exact: same words; trimmed: one quote's words are a run inside the other's;
    paraphrased: TF-IDF cosine >= ``QUOTE_PARAPHRASE``.
    """
    quotes = [q for a in articles
              for q in find_quotes(a, (attributions or {}).get(a.article_id, ()))]
    if len(quotes) < 2:
        return []
    words = [_words(q.text) for q in quotes]
    vocab = [set(w) for w in words]  # a quote can only be a cut of one holding all its words
    _, X = _vectors([q.text for q in quotes])
    S = (X @ X.T).toarray() if len(quotes) <= 3000 else None
    rank = {"exact": 0, "trimmed": 1, "paraphrased": 2}
    parent = list(range(len(quotes)))
    kind = {i: "exact" for i in range(len(quotes))}

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(quotes)):
        for j in range(i + 1, len(quotes)):
            if quotes[i].article_id == quotes[j].article_id:
                continue
            if words[i] == words[j]:
                how = "exact"
            elif ((vocab[j] <= vocab[i] and _contains(words[i], words[j]))
                  or (vocab[i] <= vocab[j] and _contains(words[j], words[i]))):
                how = "trimmed"
            elif S is not None and S[i, j] >= QUOTE_PARAPHRASE:
                how = "paraphrased"
            else:
                continue
            ri, rj = find(i), find(j)
            worst = max(kind[ri], kind[rj], how, key=rank.get)
            parent[rj] = ri
            kind[ri] = worst
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(quotes)):
        groups[find(i)].append(i)
    out = []
    for root, idx in groups.items():
        aids = {quotes[i].article_id for i in idx}
        if len(aids) < 2:
            continue
        out.append({"text": max((quotes[i].text for i in idx), key=len), "match": kind[root],
                    "n_articles": len(aids), "occurrences": [quotes[i].as_dict() for i in idx]})
    out.sort(key=lambda d: (-d["n_articles"], d["text"]))
    return out


def quote_rows(quotes: Sequence[dict]) -> list[dict]:
    """``shared_quotes`` output flattened to one row per quote (for tables and exports)."""
    rows = []
    for q in quotes:
        occ = q["occurrences"]
        rows.append({"quote": q["text"], "match": q["match"], "articles": q["n_articles"],
                     "outlets": ", ".join(dict.fromkeys(o["outlet"] for o in occ)),
                     "speakers": ", ".join(dict.fromkeys(o["speaker"] for o in occ
                                                         if o["speaker"]))})
    return rows


def speakers_by_fact(groups: Sequence[FactGroup], articles: Sequence[Article],
                     attributions: dict[str, Sequence[dict]]) -> list[dict]:
    """For facts reported by several articles: whom each article quotes or cites on it.

    One row per (fact, article) with at least one attribution overlapping the article's
    sentence: ``{"fact", "article_id", "outlet", "speakers": [names]}``.
    """
    outlet_of = {a.article_id: a.outlet for a in articles}
    # Per article: each attribution's (source, cue, content) spans and speaker, read once.
    spans_of: dict[str, list[tuple[list[tuple], dict]]] = {}
    for aid, atts in attributions.items():
        spans_of[aid] = []
        for att in atts:
            lo = [att.get(k) for k in ("source_start", "cue_start", "content_start")]
            hi = [att.get(k) for k in ("source_end", "cue_end", "content_end")]
            spans = [(x, y) for x, y in zip(lo, hi)
                     if x is not None and y is not None and not _isnan(x)]
            spans_of[aid].append((spans, att))
    rows = []
    for g in groups:
        if g.n_articles < 2:
            continue
        for aid in g.articles:
            names = []
            for s in g.sentences:
                if s.article_id != aid:
                    continue
                for spans, att in spans_of.get(aid, ()):
                    if any(x < s.end and s.start < y for x, y in spans):
                        name = _speaker_name(att)
                        if name and name not in names:
                            names.append(name)
            if names:
                rows.append({"fact": g.label, "article_id": aid, "outlet": outlet_of.get(aid),
                             "speakers": names})
    return rows


# --- copied passages -----------------------------------------------------------------

SHINGLE = 7        # words per shingle: longer than stock phrases ("President Vladimir Putin")
MIN_PASSAGE = 12   # words a copied passage must span
MAX_GAP = 10       # words a passage may skip over (a changed word breaks SHINGLE shingles)


@dataclass
class CopiedPassage(Record):
    """Text shared nearly verbatim by two articles (offsets into each article's text)."""

    article_a: str
    article_b: str
    a_start: int
    a_end: int
    b_start: int
    b_end: int
    n_words: int
    text: str  # the passage as article A has it


def _tokens(text: str) -> list[tuple[str, int, int]]:
    low = text.lower().replace("’", "'")
    if len(low) != len(text):  # a character whose lower case is longer: token by token
        return [(m.group().lower().replace("’", "'"), m.start(), m.end())
                for m in _WORD.finditer(text)]
    # Words hold only ASCII letters, digits and apostrophes: lower-cased one character at a
    # time, so each word can be cut out of the lower-cased text.
    return [(low[m.start():m.end()], m.start(), m.end()) for m in _WORD.finditer(text)]


def copied_passages(articles: Sequence[Article], *, min_words: int = MIN_PASSAGE
                    ) -> list[CopiedPassage]:
    """Passages of at least ``min_words`` words that two articles share nearly verbatim
    (runs of shared ``SHINGLE``-word shingles, allowing a few changed words), longest first."""
    import numpy as np

    ids = [a.article_id for a in articles]
    texts = [a.text for a in articles]
    toks = [_tokens(t) for t in texts]
    shingle_of: dict[tuple, int] = {}
    sid, art, pos = [], [], []
    for k, tk in enumerate(toks):
        w = [t[0] for t in tk]
        for p in range(len(w) - SHINGLE + 1):
            sid.append(shingle_of.setdefault(tuple(w[p:p + SHINGLE]), len(shingle_of)))
            art.append(k)
            pos.append(p)
    if not sid:
        return []
    sid, art, pos = np.array(sid), np.array(art), np.array(pos)
    order = np.argsort(sid, kind="stable")
    sid, art, pos = sid[order], art[order], pos[order]
    # Every pair of occurrences of one shingle, without a Python loop over pairs.
    starts = np.flatnonzero(np.r_[True, sid[1:] != sid[:-1]])
    size = np.diff(np.r_[starts, len(sid)])
    rank = np.arange(len(sid)) - np.repeat(starts, size)
    later = np.repeat(size, size) - rank - 1  # occurrences after this one in its group
    left = np.repeat(np.arange(len(sid)), later)
    right = left + np.arange(len(left)) - np.repeat(np.cumsum(later) - later, later) + 1
    ka, kb, pa, pb = art[left], art[right], pos[left], pos[right]
    keep = ka != kb
    if not keep.any():
        return []
    ka, kb, pa, pb = ka[keep], kb[keep], pa[keep], pb[keep]
    swap = ka > kb
    ka, kb = np.where(swap, kb, ka), np.where(swap, ka, kb)
    pa, pb = np.where(swap, pb, pa), np.where(swap, pa, pb)
    # Segments: consecutive matches on one diagonal (the same shift between the texts).
    d = pb - pa
    order = np.lexsort((pa, d, kb, ka))
    ka, kb, pa, d = ka[order], kb[order], pa[order], d[order]
    new = np.r_[True, (ka[1:] != ka[:-1]) | (kb[1:] != kb[:-1]) | (d[1:] != d[:-1])
                | (pa[1:] - pa[:-1] > MAX_GAP)]
    first = np.flatnonzero(new)
    last = np.r_[first[1:], len(pa)] - 1
    segments: dict[tuple[int, int], list[tuple[int, int, int, int]]] = defaultdict(list)
    cols = zip(ka[first].tolist(), kb[first].tolist(), pa[first].tolist(), pa[last].tolist(),
               d[first].tolist())
    for a, b, fa, la, shift in cols:
        segments[(a, b)].append((fa, la, fa + shift, la + shift))
    words = [[t[0] for t in tk] for tk in toks]
    out = []
    for (a, b), segs in segments.items():
        ta, tb, wa, wb = toks[a], toks[b], words[a], words[b]
        for first_a, last_a, first_b, last_b in _runs(sorted(segs)):
            first_a, first_b = _extend(wa, wb, first_a, first_b, -1)
            end_a, end_b = _extend(wa, wb, last_a + SHINGLE - 1, last_b + SHINGLE - 1, 1)
            n_words = end_a - first_a + 1
            if n_words < min_words:
                continue
            a0, a1 = ta[first_a][1], ta[end_a][2]
            out.append(CopiedPassage(ids[a], ids[b], a0, a1, tb[first_b][1], tb[end_b][2],
                                     n_words, texts[a][a0:a1]))
    out.sort(key=lambda p: (-p.n_words, p.article_a, p.a_start))
    return out


def _runs(segments: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Chains of diagonal segments (first_a, last_a, first_b, last_b) moving forward together
    in both texts: a changed, added or dropped word shifts or breaks the diagonal a little."""
    runs: list[list[int]] = []
    for fa, la, fb, lb in segments:
        for r in reversed(runs[-8:]):
            if 0 < fa - r[1] <= MAX_GAP and 0 < fb - r[3] <= MAX_GAP + 3 \
                    and abs((fb - r[3]) - (fa - r[1])) <= 3:
                r[1], r[3] = la, lb
                break
        else:
            runs.append([fa, la, fb, lb])
    return [tuple(r) for r in runs]


def _extend(wa: list[str], wb: list[str], i: int, j: int, step: int) -> tuple[int, int]:
    """Move a passage edge outwards while the words agree, stepping over one changed word
    when the two after it agree again (shingles cannot see a change near an edge)."""
    def same(x, y):
        return 0 <= x < len(wa) and 0 <= y < len(wb) and wa[x] == wb[y]

    while True:
        if same(i + step, j + step):
            i, j = i + step, j + step
        elif same(i + 2 * step, j + 2 * step) and same(i + 3 * step, j + 3 * step):
            i, j = i + 3 * step, j + 3 * step
        else:
            return i, j


def overlap_pairs(articles: Sequence[Article], passages: Sequence[CopiedPassage]) -> list[dict]:
    """Per pair of articles sharing copied text: share of each one's words inside passages
    shared with the other, in [0, 1] (1 => the whole article is copied text)."""
    n_words = {a.article_id: max(1, len(_WORD.findall(a.text))) for a in articles}
    text = {a.article_id: a.text for a in articles}
    outlet = {a.article_id: a.outlet for a in articles}
    covered: dict[tuple[str, str], list[list]] = defaultdict(lambda: [[], []])
    for p in passages:
        covered[(p.article_a, p.article_b)][0].append((p.a_start, p.a_end))
        covered[(p.article_a, p.article_b)][1].append((p.b_start, p.b_end))
    rows = []
    for (a, b), (spans_a, spans_b) in covered.items():
        wa = _covered_words(text[a], spans_a)
        wb = _covered_words(text[b], spans_b)
        rows.append({"article_a": a, "outlet_a": outlet[a], "article_b": b,
                     "outlet_b": outlet[b], "share_a": round(wa / n_words[a], 4),
                     "share_b": round(wb / n_words[b], 4), "n_passages": len(spans_a)})
    rows.sort(key=lambda r: -max(r["share_a"], r["share_b"]))
    return rows


def _covered_words(text: str, spans: list[tuple[int, int]]) -> int:
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return sum(len(_WORD.findall(text[s:e])) for s, e in merged)


# --- everything for one story --------------------------------------------------------

def story_coverage(articles: Sequence[Article], *,
                   sentences: dict[str, Iterable[tuple[int, int]]] | None = None,
                   attributions: dict[str, Sequence[dict]] | None = None,
                   threshold: float = THRESHOLD, embed: bool = False) -> dict:
    """All coverage views of one story's articles, as plain data (what the page uses)."""
    groups = fact_groups(articles, sentences=sentences, threshold=threshold, embed=embed)
    passages = copied_passages(articles)
    return {"groups": groups,
            "per_article": article_coverage(groups, articles),
            "quotes": shared_quotes(articles, attributions=attributions),
            "speakers": speakers_by_fact(groups, articles, attributions or {}),
            "passages": passages,
            "overlap": overlap_pairs(articles, passages)}


def stored_story(db=None, story: str | None = None) -> dict[str, tuple[list[Article], dict]]:
    """Stored articles by story label, each with its stored sentence offsets
    (``story`` limits it to one label)."""
    from . import store

    by_story: dict[str, list[Article]] = defaultdict(list)
    for a in store.articles(db):
        if story is None or a.story == story:
            by_story[a.story].append(a)
    spans = spans_from_frame(store.items_frame("sentences", db)) if by_story else {}
    return {name: (arts, {a.article_id: spans.get(a.article_id, None) for a in arts
                          if a.article_id in spans})
            for name, arts in by_story.items()}


def groups_for_store(db=None, story: str | None = None, *, embed: bool = False) -> list[dict]:
    """Fact groups of every stored story (or of ``story``) as the command line writes
    them: ``FactGroup.as_dict()`` plus the ``story`` label."""
    out = []
    for name, (arts, spans) in stored_story(db, story).items():
        groups = fact_groups(arts, sentences=spans, embed=embed)
        out += [{**g.as_dict(), "story": name} for g in groups]
    return out
