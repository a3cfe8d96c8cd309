"""Across the corpus: each article-level actor name to one canonical name and type."""
from __future__ import annotations

from collections import Counter, defaultdict

from .aliases import ACTOR_TYPES, load_aliases
from .names import follow, is_full_name, leader_role, surname_key

# --- across the corpus ---------------------------------------------------------------------------

def _row_mentions(row: dict) -> int:
    n = row.get("n_mentions")
    if n is None or n != n:  # missing, or NaN from a DataFrame
        mentions = row.get("mentions")
        n = len(mentions) if isinstance(mentions, (list, tuple)) and mentions else 1
    return int(n)


def link_corpus(actor_rows: list[dict]) -> dict[str, str]:
    """Article-level actor name -> its canonical name across the corpus.

    ``actor_rows`` are items of the results' ``actors`` lists (``name``, ``type``, and when
    present ``n_mentions``, ``role``/``roles``). The alias files come first. Variants of a full
    person name sharing first and last word ("Donald J. Trump") go to the most mentioned one.
    A one-word name ("Trump", "Macron") goes to the only full person name in the corpus
    ending with it (else starting with it); when several do, to the only one holding the
    same office; otherwise it stays itself. A one-word name never typed person anywhere, or
    mostly typed place or country, never joins a person. Every name in the rows is a key.
    """
    table = load_aliases()
    votes: dict[str, Counter] = defaultdict(Counter)
    offices: dict[str, set[str]] = defaultdict(set)
    for row in actor_rows:
        name = row["name"]
        votes[name][row.get("type") or "organization"] += _row_mentions(row)
        roles = row.get("roles")
        roles = list(roles) if isinstance(roles, (list, tuple)) else [row.get("role")]
        offices[name] |= {leader_role(r) for r in roles if isinstance(r, str) and r}
    mapping: dict[str, str] = {}
    for name in votes:
        hit = table.canonical(name)
        if hit:
            mapping[name] = hit[0]

    def majority(name: str) -> str:
        return max(ACTOR_TYPES, key=lambda k: (votes[name][k], -ACTOR_TYPES.index(k)))

    full = sorted((n for n in votes if n not in mapping and is_full_name(n)
                   and majority(n) == "person"),
                  key=lambda n: (-sum(votes[n].values()), n))
    # Indexed by first word and surname: a corpus of months holds 10,000s of names.
    heads: dict[tuple[str, str], str] = {}  # (first word, surname key) -> most mentioned
    for name in full:
        head = heads.setdefault((name.split()[0], surname_key(name)), name)
        if head != name:
            mapping[name] = head
    by_surname: dict[str, list[str]] = defaultdict(list)
    by_first: dict[str, list[str]] = defaultdict(list)
    for head in heads.values():
        by_surname[surname_key(head)].append(head)
        by_first[head.split()[0].casefold()].append(head)
    for name in votes:
        if name in mapping or is_full_name(name) or not votes[name]["person"]:
            continue
        if majority(name) in ("place", "country") or name.casefold() in table.countries:
            continue
        key = name.casefold()
        owners = by_surname.get(key) or by_first.get(key, [])
        if len(owners) > 1 and offices[name]:
            owners = [h for h in owners if offices[h] & offices[name]]
        if len(owners) == 1:
            mapping[name] = owners[0]
    return {name: follow(mapping, name) if name in mapping else name for name in votes}


def canonical_names(names, mapping: dict[str, str]):
    """``names`` (a Series) with each name the ``link_corpus`` mapping knows replaced by its
    canonical name; the others stay as they are."""
    return names.map(mapping).fillna(names)


def canonical_types(votes: list[dict], mapping: dict[str, str]) -> dict[str, str]:
    """Canonical name -> the one type ``link_frame`` gives it, from the actors summed per
    (name, type) (``store.actor_votes``) and their ``link_corpus`` mapping: the types of the
    whole corpus, also for a frame of a few of its articles."""
    import pandas as pd

    frame = pd.DataFrame(votes, columns=["name", "type", "n_mentions"])
    return _canonical_types(frame.assign(name=canonical_names(frame["name"], mapping)))


def corpus_links(votes: list[dict]) -> tuple[dict[str, str], dict[str, str]]:
    """``link_corpus`` of the stored actors summed per (name, type) (``store.actor_votes``)
    and its ``canonical_types``: the ``mapping`` and ``types`` of ``link_frame`` for any rows
    of that store."""
    mapping = link_corpus(votes)
    return mapping, canonical_types(votes, mapping)


def link_frame(actors, mapping: dict[str, str] | None = None,
               types: dict[str, str] | None = None):
    """The actors table (one row per actor per article, as ``store.items_frame("actors")``
    returns it) linked across the corpus: ``name`` becomes the canonical name from
    ``link_corpus`` (the article's own name is kept in ``article_name``), ``type`` one type
    per canonical actor (the alias file's, else a full person name stays a person, else a
    mention-weighted vote), and rows of one article that now share a name are combined.
    ``mapping`` is ``link_corpus`` of these rows when the caller has it already (from
    ``store.actor_votes``), ``types`` their ``canonical_types``. Calling it on a linked table
    returns the table unchanged."""
    import pandas as pd

    if "article_name" in actors.columns:
        return actors
    frame = actors.copy(deep=False)  # copy-on-write: assigning a column leaves ``actors`` as it is
    frame["article_name"] = frame["name"] if "name" in frame else pd.Series(dtype=str)
    if frame.empty:
        return frame
    if mapping is None:
        used = [c for c in ("name", "type", "n_mentions", "mentions", "roles", "role") if c in frame]
        mapping = link_corpus(frame[used].to_dict("records"))
    # Each distinct name is linked once and spread over its rows by code: 100,000s of rows
    # hold a few thousand names.
    codes, names = pd.factorize(frame["name"], use_na_sentinel=False)
    names = canonical_names(pd.Series(names), mapping)
    frame["name"] = names.array.take(codes)
    if "n_mentions" not in frame:
        frame["n_mentions"] = [_row_mentions(r) for r in frame.to_dict("records")]
    types = _canonical_types(frame) if types is None else types
    frame["type"] = names.map(types).array.take(codes)
    # Rows of one article that now share a name, found by their (article, name) codes.
    key = pd.factorize(names, use_na_sentinel=False)[0][codes].astype("int64")
    if "article_id" in frame:
        key += pd.factorize(frame["article_id"], use_na_sentinel=False)[0] * (key.max() + 1)
    dup = pd.Series(key).duplicated(keep=False).to_numpy()
    if not dup.any():
        return frame.reset_index(drop=True)
    # Only the (article, actor) groups that linking made several rows are combined.
    groups: dict[int, list[dict]] = {}
    for k, record in zip(key[dup].tolist(), frame[dup].to_dict("records")):
        groups.setdefault(k, []).append(record)
    combined = pd.DataFrame([_combine(records) for records in groups.values()])
    return pd.concat([frame[~dup], combined], ignore_index=True)


def _canonical_types(frame) -> dict[str, str]:
    """One type per canonical name: the alias file's, else a full person name stays a person,
    else the type with most mentions (ties to the earlier of ACTOR_TYPES)."""
    import pandas as pd

    table = load_aliases()
    counts = frame.groupby(["name", "type"])["n_mentions"].sum().unstack(fill_value=0)
    counts = counts[[t for t in ACTOR_TYPES if t in counts] + [t for t in counts if t not in ACTOR_TYPES]]
    persons = counts["person"] if "person" in counts else pd.Series(0, index=counts.index)
    types = {}
    for name, voted in counts.idxmax(axis=1).items():
        hit = table.canonical(name)
        if hit:
            types[name] = hit[1]
        elif persons[name] and is_full_name(name):
            types[name] = "person"
        else:
            types[name] = voted
    return types


def _combine(records: list[dict]) -> dict:
    """One article's rows of one canonical actor as one row (of the fields they have)."""
    if len(records) == 1:
        return records[0]
    out = dict(records[0])
    lists = lambda key: [x for r in records if isinstance(r.get(key), list) for x in r[key]]
    for key in ("aliases", "roles"):
        if key in out:
            out[key] = list(dict.fromkeys(lists(key)))
    if "mentions" in out:
        out["mentions"] = sorted(lists("mentions"), key=lambda m: m.get("start", 0))
    out["n_mentions"] = int(sum(r.get("n_mentions") or 0 for r in records))
    for key in ("in_title", "in_lead"):
        if key in out:
            out[key] = any(bool(r.get(key)) for r in records)
    if "first_mention" in out:
        firsts = [r["first_mention"] for r in records if r["first_mention"] is not None
                  and r["first_mention"] == r["first_mention"]]
        out["first_mention"] = min(firsts) if firsts else None
    if "sentiment" in out:
        scored = [(r["sentiment"], r.get("n_mentions") or 1) for r in records
                  if r["sentiment"] is not None and r["sentiment"] == r["sentiment"]]
        out["sentiment"] = (round(sum(v * w for v, w in scored) / sum(w for _, w in scored), 4)
                            if scored else None)
    if "role" in out:
        out["role"] = next((r["role"] for r in records if isinstance(r.get("role"), str)), None)
    out["article_name"] = ", ".join(dict.fromkeys(r["article_name"] for r in records))
    return out


