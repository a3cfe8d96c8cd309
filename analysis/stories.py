"""Stories found by themselves: articles without a story label grouped by the event they report.

Two articles report the same event when they share content terms and named actors and were
published within ``WINDOW_DAYS`` of each other (either date unknown: no time limit).
Their similarity, in [0, 1] (higher => more likely one event), is

    cosine of their content TF-IDF vectors
    x (1 - ACTOR_WEIGHT + ACTOR_WEIGHT x cosine of their actor vectors)

(content alone when either article has no actors),
where the content terms are those of the coverage alignment (``coverage.terms``: Snowball
stems of content words, reporting verbs and stop words dropped; the headline counted twice)
weighed as scikit-learn's ``TfidfVectorizer(sublinear_tf=True)``, and the actor vector holds
the article's stored actors (a person also by surname, so "Donald Trump" and "Trump" meet),
weighed by inverse document frequency. Actors only confirm content: two events on one day
with the same actors (a summit and a phone call of the same two leaders) share the actors but
not the content, and stay apart.

Grouping is scipy's: connected components of the graph of pairs at least ``FLOOR`` similar,
then, inside each component, average-linkage hierarchical clustering cut where the mean
similarity between two groups falls under ``THRESHOLD``. Average linkage keeps apart two
events that one bridging article links (single linkage would chain them) and keeps together
an event whose reports spread over a few days.

Incremental: stored stories are fixed. New articles are clustered together with the stored
ones; a new article whose cluster holds stored articles joins the stored story it is most
similar to on average, the others start new stories. Nothing stored moves unless the user asks
to regroup (``detect(regroup=True)``).

A hand label (``--story``, a manifest, the Corpus page) always wins: only articles labelled
``UNLABELLED`` or placed by detection (the store's ``story_auto`` rows, whose label the
article still carries) are grouped; hand-labelled articles are fixed members of their
stories, which new articles may join.

Edits (rename, merge, move an article, split) are kept in the store's ``story_edits`` log,
anchored on article ids (not on labels, which change), and replayed in order whenever the
stories are regrouped; an edit applies at once to the stored stories too.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from . import store
from .coverage import Tfidf, content_term, content_terms
from .model import Article

UNLABELLED = Article.__dataclass_fields__["story"].default  # "Unlabelled story"
AUTO = "auto"  # the --story value that asks for detection
# Reports of one event come within a few days of each other (BASIL's 50 events: at most 4
# days between the first and the last); a longer gap makes a new episode, a new story.
WINDOW_DAYS = 5
ACTOR_WEIGHT = 0.3
# Mean similarity at which two groups are one story (see docs/stories.md for how it was chosen).
THRESHOLD = 0.2
FLOOR = 0.08  # pairs less similar are not linked at all (keeps the graph sparse)
CHUNK = 256  # rows of the similarity matrix computed at once (memory: CHUNK x n floats)
MAX_LINKAGE = 4000  # articles clustered at once (their distance matrix: n^2 x 8 bytes, 128 MB)
FLOOR_STEP = 0.04
LABEL_ACTORS = 2
LABEL_TERMS = 3
_WORD = re.compile(r"[A-Za-z0-9]+(?:[’'][A-Za-z]+)*")


# --- features and similarity ---------------------------------------------------------

def _content(article: Article) -> str:
    title = article.title or ""
    return f"{title}\n{title}\n{article.text}"


def _actor_features(names: Iterable[str]) -> set[str]:
    out = set()
    for name in names:
        name = " ".join(name.split()).casefold()
        if not name:
            continue
        out.add(name)
        words = name.split()
        if len(words) > 1 and len(words[-1]) > 2:
            out.add(words[-1])  # surname (or last word) alone: "Trump" meets "Donald Trump"
    return out


def _actor_matrix(features: Sequence[set[str]]):
    """Rows of IDF-weighted, L2-normalized actor indicators (CSR, n x distinct actors)."""
    import scipy.sparse as sp

    df = Counter(f for fs in features for f in fs)
    column = {f: j for j, f in enumerate(sorted(df))}
    idf = np.log((1 + len(features)) / (1 + np.array([df[f] for f in sorted(df)], float))) + 1
    rows, cols = [], []
    for i, fs in enumerate(features):
        for f in fs:
            rows.append(i)
            cols.append(column[f])
    cols_a = np.array(cols, dtype=np.int64)
    X = sp.csr_matrix((idf[cols_a] if len(cols_a) else np.zeros(0), (rows, cols_a)),
                      shape=(len(features), len(df)))
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    X.data /= np.repeat(np.where(norms > 0, norms, 1), np.diff(X.indptr))
    return X


def _days(articles: Sequence[Article]) -> np.ndarray:
    """Publication day numbers, NaN when unknown."""
    return np.array([a.published.toordinal() if isinstance(a.published, dt.date) else np.nan
                     for a in articles], float)


def similarity(articles: Sequence[Article], actors: Mapping[str, Iterable[str]] | None = None, *,
               floor: float = FLOOR, window_days: float | None = WINDOW_DAYS):
    """Sparse (CSR, n x n) similarities in [0, 1] between the articles (higher => more likely
    one event), 0 on the diagonal, below ``floor`` and between articles published more than
    ``window_days`` apart. ``actors``: article_id -> actor names (articles missing from it
    are compared on content alone)."""
    import scipy.sparse as sp

    n = len(articles)
    texts = [_content(a) for a in articles]
    content = Tfidf(texts).transform(texts)
    actors = actors or {}
    feats = [_actor_features(actors.get(a.article_id, ())) for a in articles]
    people = _actor_matrix(feats)
    has = np.array([bool(f) for f in feats])  # an article without actors: content alone
    days = _days(articles)
    rows, cols, vals = [], [], []
    for start in range(0, n, CHUNK):
        stop = min(n, start + CHUNK)
        s = (content[start:stop] @ content.T).toarray()
        # shared actors confirm shared content; they never make up for its absence
        confirm = 1 - ACTOR_WEIGHT + ACTOR_WEIGHT * (people[start:stop] @ people.T).toarray()
        s *= np.where(has[start:stop, None] & has[None, :], confirm, 1.0)
        if window_days is not None:
            gap = np.abs(days[start:stop, None] - days[None, :])
            s[gap > window_days] = 0  # NaN (a date unknown) compares False: no limit
        s[np.arange(stop - start), np.arange(start, stop)] = 0
        r, c = np.nonzero(s >= floor)
        rows.append(r + start)
        cols.append(c)
        vals.append(s[r, c])
    cat = (lambda parts, dtype: np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype))
    return sp.csr_matrix((cat(vals, float), (cat(rows, np.int64), cat(cols, np.int64))), shape=(n, n))


def cluster(S, threshold: float = THRESHOLD) -> list[list[int]]:
    """Groups of row indices of the similarity matrix ``S``: average-linkage clusters (scipy)
    inside connected components, cut at mean similarity ``threshold``; singletons included,
    in order of their first member. A component of more than ``MAX_LINKAGE`` articles is
    first split by raising the floor of its links, up to ``threshold``; one still larger is
    taken as one group (single linkage at ``threshold``)."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.sparse.csgraph import connected_components

    def components(idx: list[int], floor: float) -> Iterable[list[int]]:
        sub = S[idx][:, idx] if len(idx) < n else S
        if floor > 0:
            sub = sub.multiply(sub >= floor).tocsr()
        _, comp = connected_components(sub, directed=False)
        members = defaultdict(list)
        for i, c in zip(idx, comp):
            members[c].append(i)
        for part in members.values():
            # average linkage holds the component's whole distance matrix: a larger one is cut
            # at a higher floor first (pairs that far apart rarely end up in one story anyway)
            if len(part) > MAX_LINKAGE and floor + FLOOR_STEP <= threshold:
                yield from components(part, floor + FLOOR_STEP)
            else:
                yield part

    n = S.shape[0]
    groups = []
    for idx in components(list(range(n)), 0.0):
        if len(idx) == 1 or len(idx) > MAX_LINKAGE:  # the latter: linked at >= threshold
            groups.append(idx)
            continue
        sub = S[idx][:, idx].toarray()
        sub = np.maximum(sub, sub.T)
        dist = np.clip(1.0 - sub, 0.0, 1.0)  # rounding puts near-copies a hair over 1
        iu = np.triu_indices(len(idx), 1)
        labels = fcluster(linkage(dist[iu], method="average"), t=1.0 - threshold,
                          criterion="distance")
        by = defaultdict(list)
        for i, lab in zip(idx, labels):
            by[lab].append(i)
        groups += by.values()
    return sorted((sorted(g) for g in groups), key=lambda g: g[0]) if n else []


# --- placing articles into stories ------------------------------------------------------

def place(articles: Sequence[Article], fixed: Mapping[str, str],
          actors: Mapping[str, Iterable[str]] | None = None, *,
          threshold: float = THRESHOLD, window_days: float | None = WINDOW_DAYS) -> dict[str, str]:
    """Story keys of the articles not in ``fixed`` (article_id -> story label of the stored
    articles, which do not move): a stored story's label when the article joins it, else a
    new key ``"\\0new<n>"`` shared by the new articles of one new story."""
    S = similarity(articles, actors, window_days=window_days)
    ids = [a.article_id for a in articles]
    out: dict[str, str] = {}
    n_new = 0
    for group in cluster(S, threshold):
        new = [i for i in group if ids[i] not in fixed]
        if not new:
            continue
        stored = defaultdict(list)
        for i in group:
            if ids[i] in fixed:
                stored[fixed[ids[i]]].append(i)
        if stored:
            # the stored story the new articles are most similar to, on average
            sub = S[new]
            key = max(stored, key=lambda lab: (sub[:, stored[lab]].sum() / len(stored[lab]), lab))
        else:
            key = f"\0new{n_new}"
            n_new += 1
        for i in new:
            out[ids[i]] = key
    return out


def label_for(articles: Sequence[Article], actors: Mapping[str, Iterable[str]] | None = None) -> str:
    """A readable name of one story: the actors most of its articles name and its most
    weighty content words ("Trump, Putin: summit, Helsinki, press"), or, without either, the
    earliest headline."""
    actors = actors or {}
    named, rank = Counter(), Counter()
    for a in articles:
        found = list(dict.fromkeys(n.strip() for n in actors.get(a.article_id, ()) if n.strip()))
        named.update(found)
        for i, n in enumerate(found):
            rank[n] += i  # ties go to the actor the articles list first (the stored order)
    need = 2 if len(articles) > 1 else 1
    who = sorted((n for n, k in named.items() if k >= need), key=lambda n: (-named[n], rank[n], n))
    who = who[:LABEL_ACTORS]
    covered = {w.casefold() for n in named for w in n.split()}
    weight, surface = Counter(), defaultdict(Counter)
    for a in articles:
        body = _content(a)
        found = Counter(content_terms(body))
        for t, k in found.items():
            weight[t] += 1 + np.log(k)
        # the form the body writes most (not the headline's title case): "Helsinki", "RNC", "vote"
        for w in _WORD.findall(a.text):
            t = content_term(w.lower().replace("’", "'"))
            if t in found:
                surface[t][w] += 1
    what = []
    for t, _ in weight.most_common():
        if t == "NOT" or not surface[t]:
            continue
        word = surface[t].most_common(1)[0][0]
        if word.casefold() in covered or not word.isalpha():
            continue
        what.append(word)
        if len(what) == LABEL_TERMS:
            break
    if who or what:
        return f"{', '.join(who)}: {', '.join(what)}" if who and what else ", ".join(who or what)
    dated = sorted(articles, key=lambda a: (a.published or dt.date.max, a.article_id))
    return next((a.title for a in dated if a.title), "Untitled story")


def _unique(label: str, taken: set[str], articles: Sequence[Article]) -> str:
    if label not in taken:
        return label
    days = [a.published for a in articles if a.published]
    if days and (dated := f"{label} ({min(days).isoformat()})") not in taken:
        return dated
    n = 2
    while f"{label} #{n}" in taken:
        n += 1
    return f"{label} #{n}"


def apply_edits(keys: dict[str, str], edits: Iterable[tuple[str, str, str]]) -> dict[str, str]:
    """Replay edits on ``keys`` (article_id -> story key, changed in place and returned).
    Each edit is (kind, article_id, value), anchored on articles so that it holds after a
    regrouping: ``rename`` (the story of article_id is called value), ``merge`` (the story of
    value joins the story of article_id), ``move`` (article_id joins the story of article
    value, or, value empty, starts a story of its own; a split is moves). Edits naming an
    article that is not there are skipped. Renamed keys are returned as ``"\\0name:<label>"``."""
    n_own = 0
    for kind, aid, value in edits:
        if aid not in keys:
            continue
        if kind == "rename":
            old = keys[aid]
            for k, v in keys.items():
                if v == old:
                    keys[k] = f"\0name:{value}"
        elif kind == "merge" and value in keys:
            old, into = keys[value], keys[aid]
            for k, v in keys.items():
                if v == old:
                    keys[k] = into
        elif kind == "move":
            if value in keys:
                keys[aid] = keys[value]
            elif not value:
                keys[aid] = f"\0own{n_own}:{aid}"
                n_own += 1
    return keys


# --- the store ----------------------------------------------------------------------------

def _stored_actors(db, ids: set[str]) -> dict[str, list[str]]:

    rows = store.actor_rows(db)
    rows = rows[rows["article_id"].isin(ids)]
    out: dict[str, list[str]] = defaultdict(list)
    for aid, name in zip(rows["article_id"], rows["name"]):
        out[aid].append(name)
    return out


def detect(db=None, *, ids: Iterable[str] | None = None, regroup: bool = False,
           edits: Sequence[tuple[str, str, str]] = ()) -> dict[str, str]:
    """Find the stories of the stored articles without a story label (or only of those of
    ``ids``), write their labels, and return article_id -> story label of the articles it
    placed. ``regroup``: group every detected article afresh (hand labels stay) and replay the
    whole edit log; else stored stories stay and new articles join them or start new ones.
    ``edits``: new edits to log and apply now."""

    state = store.story_state(db)
    articles = {a.article_id: a for a in store.articles(db)}
    auto = {aid: lab for aid, lab in state["auto"].items()
            if aid in articles and articles[aid].story == lab}  # hand-relabelled since: hand
    hand = {aid: a.story for aid, a in articles.items()
            if aid not in auto and a.story != UNLABELLED}
    wanted = set(ids) if ids is not None else None
    new = [aid for aid, a in articles.items() if aid not in auto and aid not in hand
           and (wanted is None or aid in wanted)]
    if regroup:
        new += list(auto)
        fixed = dict(hand)
    else:
        fixed = {**hand, **auto}
    todo = set(new)
    pool = [a for aid, a in articles.items() if aid in fixed or aid in todo]
    actors = _stored_actors(db, {a.article_id for a in pool}) if pool else {}
    keys = dict(auto)
    if new:
        placed = place(pool, fixed, actors)
        if regroup:
            keys = {}
            # a new group keeps the label most of its members had before (labels stay put);
            # a group that joined a hand-labelled story takes that story's label
            votes = defaultdict(Counter)
            for aid, key in placed.items():
                if aid in auto and key.startswith("\0"):
                    votes[key][auto[aid]] += 1
            kept = {}
            for key, vote in sorted(votes.items(), key=lambda kv: -sum(kv[1].values())):
                for lab, _ in vote.most_common():
                    if lab not in kept.values() and lab not in hand.values():
                        kept[key] = lab
                        break
            placed = {aid: kept.get(key, key) for aid, key in placed.items()}
        keys.update(placed)
    log = state["edits"] if regroup else []
    keys = apply_edits(keys, [*log, *edits])
    # labels: stored labels stay, renamed stories take their names, new stories get one made
    taken = set(hand.values()) | {k for k in keys.values() if not k.startswith("\0")}
    members = defaultdict(list)
    for aid, key in keys.items():
        members[key].append(articles[aid])
    final = {}
    for key, arts in sorted(members.items(), key=lambda kv: kv[0]):
        if key.startswith("\0name:"):
            final[key] = key[len("\0name:"):]
        elif not key.startswith("\0"):
            final[key] = key
    for key, arts in sorted(members.items(), key=lambda kv: kv[0]):
        if key not in final:
            final[key] = _unique(label_for(arts, actors), taken | set(final.values()), arts)
    result = {aid: final[key] for aid, key in keys.items()}
    store.write_stories(result, edits=edits, drop=[aid for aid in state["auto"] if aid not in auto],
                        db=db)
    return {aid: result[aid] for aid in new}


def stories_of(db=None) -> dict[str, list[str]]:
    """Detected story label -> its article ids (hand-labelled stories not included)."""

    out = defaultdict(list)
    for aid, lab in store.story_state(db)["auto"].items():
        out[lab].append(aid)
    return dict(out)


def _anchor(label: str, db) -> str:
    """An article of the detected story ``label`` (ValueError when there is none)."""

    members = sorted(aid for aid, lab in store.story_state(db)["auto"].items() if lab == label)
    if not members:
        raise ValueError(f"no detected story is called {label!r}")
    return members[0]


def _hand_members(label: str, db) -> list[str]:

    auto = store.story_state(db)["auto"]
    return [a.article_id for a in store.articles(db) if a.story == label and a.article_id not in auto]


def rename(label: str, new: str, db=None) -> None:
    """Call the story ``label`` ``new`` (a hand-labelled one is relabelled by hand)."""
    new = new.strip()
    if not new or new == UNLABELLED:
        raise ValueError(f"a story cannot be renamed to {new!r}")

    hand = _hand_members(label, db)
    detected = label in stories_of(db)
    if not (hand or detected):
        raise ValueError(f"no story is called {label!r}")
    if hand:
        store.update_labels(hand, story=new, db=db)
    if detected:
        detect(db, ids=[], edits=[("rename", _anchor(label, db), new)])


def merge(labels: Sequence[str], into: str, db=None) -> None:
    """Make the stories ``labels`` part of the story ``into``."""

    auto = stories_of(db)
    hand = [aid for lab in labels if lab != into for aid in _hand_members(lab, db)]
    if hand:
        store.update_labels(hand, story=into, db=db)
    if into in auto:
        target = _anchor(into, db)
        detect(db, ids=[], edits=[("merge", target, _anchor(lab, db))
                                  for lab in labels if lab in auto and lab != into])
    else:  # into a hand-labelled story: its new members are labelled by hand
        moved = [aid for lab in labels if lab in auto and lab != into for aid in auto[lab]]
        if moved:
            store.update_labels(moved, story=into, db=db)


def move(article_ids: Sequence[str], to: str | None = None, db=None, *, name: str | None = None) -> None:
    """Move the articles into the story ``to``, or (``to`` None) split them off into a story
    of their own, called ``name`` when given."""

    ids = list(article_ids)
    if not ids:
        return
    auto = store.story_state(db)["auto"]
    detected = set(stories_of(db))
    if to is not None and to not in detected:  # a hand-labelled story: a hand label
        store.update_labels(ids, story=to, db=db)
        return
    hand = [aid for aid in ids if aid not in auto]
    if hand:
        if to is None and not name:
            raise ValueError("name the new story: hand-labelled articles need a label")
        store.update_labels(hand, story=to or name, db=db)
    mine = [aid for aid in ids if aid in auto]
    if not mine:
        return
    if to is not None:
        target = _anchor(to, db)
        edits = [("move", aid, target) for aid in mine if aid != target]
    else:
        edits = [("move", mine[0], ""), *[("move", aid, mine[0]) for aid in mine[1:]]]
        if name:
            edits.append(("rename", mine[0], name.strip()))
    detect(db, ids=[], edits=edits)
