"""Across the corpus: each article-level actor name to one canonical name and type."""
from __future__ import annotations

import re
from collections import Counter, defaultdict

from .aliases import ACTOR_TYPES, is_place_name, load_aliases
from .names import (INITIAL_SKIP, INSTITUTION_NOUNS, ORG_SUFFIXES, fold, follow, is_epithet,
                    is_full_name, leader_role, name_words, person_key, same_person, surname_owners,
                    surname_skeleton)

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
    present ``n_mentions``, ``role``/``roles``). Every name in the rows is a key. In order:

    1. the alias files;
    2. names written alike but for accents, hyphens, periods, case and a national qualifier
       ("al-Assad" / "al Assad", "U.S. Navy" / "Navy") are one, under the most mentioned
       spelling;
    3. full person names of one person (``names.same_person``: "Jim Mattis" / "James N.
       Mattis", "Chuck" / "Charles E. Grassley", "Zelensky" / "Zelenskyy"; not "Donald Trump"
       / "Donald Trump Jr.") go to the most mentioned; "Peña Nieto" joins the one longer name
       ending with it;
    4. a one-word name ("Trump", "Mattis") joins the full person name ending with it (else
       the one starting with it, for a name ever typed person), whatever one article's tag
       said, unless it is a known place (then only when mostly typed person), an acronym, or
       the first word of an organisation's name ("Bloomberg News"); when several people
       share it, the one holding the same office, else the one named at least twice as often
       as any other ("Obama": Barack, not Malia); otherwise it stays itself;
    5. an organisation's acronym joins the one organisation name with those initials, "X"
       joins "X News" / "X Party" / "X Inc.", and a generic last word alone ("Times") joins
       the one organisation ending with it (the more mentioned name is canonical).
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
    total = {name: sum(v.values()) for name, v in votes.items()}
    mapping: dict[str, str] = {}
    for name in votes:
        hit = table.canonical(name)
        if hit:
            mapping[name] = hit[0]
    by_fold: dict[str, list[str]] = defaultdict(list)
    for name in votes:
        by_fold[_org_key(name)].append(name)
    for names in by_fold.values():
        # a name the alias file knows leads its group; else the most mentioned spelling
        head = min(names, key=lambda n: (n not in mapping, -total[n], n))
        mapping.update({n: head for n in names if n != head and n not in mapping})

    majority = {name: max(ACTOR_TYPES, key=lambda k: (v[k], -ACTOR_TYPES.index(k)))
                for name, v in votes.items()}

    def person_like(name: str) -> bool:
        return majority[name] == "person" or 3 * votes[name]["person"] >= total[name]

    def person_shaped(name: str) -> bool:
        """Written as a person's name though the tagger typed it otherwise: "Peter T. King",
        or capitalised words ending with a surname that is a person elsewhere ("Aitan
        Goelman" beside "Goelman said"), with no word of an institution's name."""
        words = name.split()
        if not 2 <= len(words) <= 4 or not all(w[:1].isupper() for w in words) or any(
                fold(w) in ORG_SUFFIXES or fold(w) in INSTITUTION_NOUNS for w in words):
            return False
        return bool(_MIDDLE_INITIAL.fullmatch(name)) or (
            words[-1] in votes and votes[words[-1]]["person"] > 0 and person_like(words[-1]))

    # Indexed by surname: a corpus of months holds 10,000s of names.
    buckets: dict[str, list[str]] = defaultdict(list)  # surname without suffix -> heads
    for name in sorted((n for n in votes if n not in mapping and person_key(n)
                        and (person_like(n) or person_shaped(n))),
                       key=lambda n: (-total[n], n)):
        heads = buckets[person_key(name)[1]]
        head = next((h for h in heads if same_person(name, h)), None)
        if head:
            mapping[name] = head
            total[head] += total[name]
        else:
            heads.append(name)
    for heads in buckets.values():
        for name in heads:
            words = fold(name).split()
            longer = [h for h in heads if len(fold(h).split()) > len(words)
                      and fold(h).split()[-len(words):] == words]
            if len(longer) != 1:
                continue
            if all(is_epithet(w) for w in fold(longer[0]).split()[:-len(words)]):
                mapping[longer[0]] = name  # "Crooked Hillary Clinton" is Hillary Clinton
            else:
                mapping[name] = longer[0]  # "Luther King" is Martin Luther King
    heads = [h for hs in buckets.values() for h in hs if h not in mapping]
    # "Enrique Peña" cut short of "Enrique Peña Nieto": the one head one word longer.
    by_start: dict[str, list[str]] = defaultdict(list)
    for head in heads:
        by_start[" ".join(fold(head).split()[:-1])].append(head)
    for name in heads:
        longer = by_start.get(fold(name), [])
        if len(longer) == 1 and len(fold(longer[0]).split()) >= 3:
            mapping[name] = longer[0]
    by_surname: dict[str, list[str]] = defaultdict(list)
    for head in heads:
        if head not in mapping:
            by_surname[surname_skeleton(head)].append(head)
    by_first: dict[str, list[str]] = defaultdict(list)
    for heads in by_surname.values():
        for head in heads:
            by_first[name_words(head)[0]].append(head)
    org_words = {fold(n).split()[0] for n in votes
                 if " " in n and not person_like(n) and n not in mapping}
    for name in votes:
        if name in mapping or is_full_name(name) or name.casefold() in table.countries \
                or name.casefold() in table.metonyms:
            continue
        if is_place_name(name, table) and not person_like(name):
            continue
        # A surname the tagger called a place or a group in some article is still the
        # person; a name only ever called an organisation may be a company named after one
        # ("Ford" beside "Henry Ford"), as an acronym or "Bloomberg" of "Bloomberg News" is,
        # unless the person is named far more often.
        if not votes[name]["person"] and (name.isupper() or fold(name) in org_words):
            continue
        owners = surname_owners(by_surname, surname_skeleton(name)) or \
            (by_first.get(fold(name), []) if votes[name]["person"] else [])
        if not votes[name]["person"] and majority[name] == "organization":
            owners = [h for h in owners if total[h] >= 3 * total[name]]  # "Christie", not "Ford"
        if len(owners) > 1 and offices[name]:
            owners = [h for h in owners if offices[h] & offices[name]] or owners
        if len(owners) > 1:
            ranked = sorted(owners, key=lambda h: -total[h])
            owners = ranked[:1] if total[ranked[0]] >= 2 * total[ranked[1]] else owners
        if len(owners) == 1:
            mapping[name] = owners[0]
    _link_organisations(votes, total, mapping, person_like)
    return {name: follow(mapping, name) if name in mapping else name for name in votes}


_MIDDLE_INITIAL = re.compile(r"[A-Z][a-z]+ [A-Z]\. [A-Z][\w'’-]+")
_NATIONAL = re.compile(r"^(?:us|united states|american|federal) (?=\w+)")


def _org_key(name: str) -> str:
    """``fold(name)``, and for a name of several words without a country qualifier in front:
    "U.S. Navy" and "Navy", "United States Supreme Court" and "Supreme Court" are one."""
    key = fold(name)
    return _NATIONAL.sub("", key) if " " in key else key


def _link_organisations(votes, total: dict[str, int], mapping: dict[str, str], person_like) -> None:
    """Step 5 of ``link_corpus``: acronyms, "X" / "X News" and "Times" / "The New York
    Times", into ``mapping``."""
    orgs = [n for n in votes if not person_like(n)]
    by_initials: dict[str, list[str]] = defaultdict(list)
    by_base: dict[str, list[str]] = defaultdict(list)
    by_last: dict[str, list[str]] = defaultdict(list)
    for name in orgs:
        words = fold(name).split()
        if len(words) >= 2:
            by_initials["".join(w[0] for w in words if w not in INITIAL_SKIP)].append(name)
            if words[-1] in ORG_SUFFIXES:
                by_base[" ".join(words[:-1])].append(name)
                by_last[words[-1]].append(name)
    for name in orgs:
        if name in mapping:
            continue
        # "Fox" of "Fox News"; "the Times" of the one "... Times" ("Party" of two stays apart)
        owners = by_base.get(fold(name), []) or by_last.get(fold(name), [])
        if name.isupper() and 2 <= len(name) <= 6 and name.isalpha():
            owners = owners or by_initials.get(name.casefold(), [])
        owners = list(dict.fromkeys(follow(mapping, o) for o in owners))
        if len(owners) == 1 and owners[0] != name:
            short, long_ = name, owners[0]
            if total[short] > total[long_]:
                mapping[long_] = short
            else:
                mapping[short] = long_


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
    """One type per canonical name: the alias file's, else a full person name stays a person
    (whatever some articles' tags said), else the type with most mentions (ties to the earlier
    of ACTOR_TYPES; a known place voted an organisation is a place)."""
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
        elif voted == "organization" and name.casefold() in table.places:
            types[name] = "place"
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
    if "n_references" in out:
        out["n_references"] = int(sum(r.get("n_references") or 0 for r in records))
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


