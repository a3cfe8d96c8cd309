"""Coverage by side: what a story's left-, center- and right-leaning outlets each carry.

An outlet's side follows from its leaning (``analysis.outlets``): "left" and "lean left" are
the left side, "center" the center, "lean right" and "right" the right side; an outlet of
unknown leaning is on no side and never decides anything below.

1. **Distribution**: a story's articles and outlets counted per leaning (``distribution``).
2. **One-sided items**: a fact group (``coverage.fact_groups``), a quote (the same words in
   quotation marks, ``coverage.shared_quotes``' grouping), a speaker (an attribution's named
   source) or an actor is *one-sided* when the outlets of known leaning that carry it are all
   on one side, and the story has articles from at least one other side (so that its absence
   there says something). Unknown-leaning outlets that carry it are listed but do not count.
   An actor is one-sided only when the other sides' texts do not name it at all
   (``actors.claims``: every written name, alias and a person's surname is searched).
   Each item comes with its evidence: the sentence of each carrying article.
3. **Blindspots**: a story that at least ``BLINDSPOT_MIN_OUTLETS`` outlets of known leaning
   cover, of which at least ``BLINDSPOT_SHARE`` are on one side, while the corpus has outlets
   of the opposite side (else every story of a one-sided corpus would be one). Outlets are
   counted, not articles, so one prolific outlet does not make a blindspot.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from . import coverage
from .model import Article, Record
from .outlets import LEANINGS, UNKNOWN

SIDES = ("left", "center", "right")
SIDE_OF = {"left": "left", "lean left": "left", "center": "center",
           "lean right": "right", "right": "right"}
OPPOSITE = {"left": "right", "right": "left"}
# A story is a blindspot when >= this share of the outlets of known leaning covering it are
# on one side (3 of 4, 4 of 5, ...), and at least BLINDSPOT_MIN_OUTLETS such outlets cover it.
BLINDSPOT_SHARE = 0.75
BLINDSPOT_MIN_OUTLETS = 3
SIDE_WORDS = {"left": "left-leaning", "center": "center", "right": "right-leaning"}


def side_of(leaning: str | None) -> str | None:
    """"left", "center" or "right" for a leaning of ``outlets.LEANINGS``; None when unknown."""
    return SIDE_OF.get(leaning or UNKNOWN)


def distribution(frame) -> list[dict]:
    """Per leaning present in ``frame`` (``outlet`` and ``leaning`` columns, one row per
    article), left to right, unknown last: ``{"leaning", "n_articles", "n_outlets",
    "share"}``, ``share`` in [0, 1] the leaning's share of the articles."""
    total = len(frame)
    out = []
    for leaning in LEANINGS:
        rows = frame[frame["leaning"] == leaning]
        if len(rows):
            out.append({"leaning": leaning, "n_articles": len(rows),
                        "n_outlets": rows["outlet"].nunique(),
                        "share": round(len(rows) / total, 4)})
    return out


@dataclass
class OneSided(Record):
    """An item carried by the outlets of one side only.

    ``kind``: "fact", "quote", "speaker" or "actor". ``outlets``: the carrying outlets of
    that side (most articles first); ``unrated``: carrying outlets of unknown leaning;
    ``absent``: the other sides that cover the story and do not carry it. ``evidence``: one
    ``{"outlet", "article_id", "text"}`` per carrying sentence."""

    kind: str
    label: str
    side: str
    outlets: list[str]
    absent: list[str]
    evidence: list[dict] = field(default_factory=list)
    unrated: list[str] = field(default_factory=list)

    @property
    def n_outlets(self) -> int:
        return len(self.outlets)


def _one_sided(kind: str, label: str, evidence: Sequence[dict], side_by_article: Mapping[str, str | None],
               story_sides: set[str]) -> OneSided | None:
    sides = {side_by_article.get(e["article_id"]) for e in evidence} - {None}
    if len(sides) != 1:
        return None
    side = next(iter(sides))
    absent = [s for s in SIDES if s in story_sides and s != side]
    if not absent:
        return None
    counts: dict[str, int] = defaultdict(int)
    for e in evidence:
        counts[e["outlet"]] += 1
    sided = [o for o in sorted(counts, key=lambda o: -counts[o])
             if any(e["outlet"] == o and side_by_article.get(e["article_id"]) for e in evidence)]
    unrated = [o for o in counts if o not in sided]
    return OneSided(kind, label, side, sided, absent, list(evidence), unrated)


def _sentence_at(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> str:
    """The sentence(s) of ``text`` overlapping [start, end)."""
    hit = [(s, e) for s, e in spans if s < end and start < e]
    return text[hit[0][0]:hit[-1][1]].strip() if hit else text[start:end].strip()


# A fact is not called one-sided when an article of another side has two consecutive
# sentences holding this share of its content terms: the same fact in other words ("issued
# its own resolution calling on the NAACP to withdraw" / "has drafted a resolution of its
# own condemning" the NAACP), which sentence alignment misses.
PARAPHRASE_SHARE = 0.5


def sentence_terms(text: str) -> list[set[str]]:
    """The content terms of each sentence of ``text`` (``coverage.split_sentences``)."""
    return [set(coverage.content_terms(text[a:b])) for a, b in coverage.split_sentences(text)]


def _paraphrased(fact: str, articles: Iterable[list[set[str]]]) -> bool:
    """Whether some article (its ``sentence_terms``) has two consecutive sentences with
    ``PARAPHRASE_SHARE`` of the content terms of ``fact`` (at least four terms: a short fact
    is not judged)."""
    terms = set(coverage.content_terms(fact))
    if len(terms) < 4:
        return False
    for sentences in articles:
        for k in range(len(sentences)):
            window = sentences[k] | (sentences[k + 1] if k + 1 < len(sentences) else set())
            if len(terms & window) >= PARAPHRASE_SHARE * len(terms):
                return True
    return False


def one_sided_facts(groups: Iterable[coverage.FactGroup], outlet_of: Mapping[str, str],
                    side_by_article: Mapping[str, str | None],
                    texts: Mapping[str, str] | None = None) -> list[OneSided]:
    """Fact groups (``coverage.fact_groups`` of the story) carried by one side only; with
    ``texts`` (article_id -> text), not those another side's articles say in other words
    (``_paraphrased``)."""
    story_sides = set(side_by_article.values()) - {None}
    terms = {a: sentence_terms(t) for a, t in (texts or {}).items()}  # once per article
    out = []
    for g in groups:
        evidence = [{"outlet": outlet_of.get(s.article_id, ""), "article_id": s.article_id,
                     "text": s.text} for s in g.sentences]
        found = _one_sided("fact", g.label, evidence, side_by_article, story_sides)
        if not found:
            continue
        others = [t for a, t in terms.items() if side_by_article.get(a) in found.absent]
        if not any(_paraphrased(e["text"], others) for e in evidence):
            out.append(found)
    return _ranked(out)


def one_sided_quotes(articles: Sequence[Article], side_by_article: Mapping[str, str | None],
                     attributions: Mapping[str, Sequence[dict]] | None = None) -> list[OneSided]:
    """Quotes (``coverage.find_quotes``, grouped across articles as ``coverage.shared_quotes``
    does) carried by one side only; the label names the speaker when one is found."""
    story_sides = set(side_by_article.values()) - {None}
    by_id = {a.article_id: a for a in articles}
    spans = {a.article_id: coverage.split_sentences(a.text) for a in articles}
    shared = coverage.shared_quotes(articles, attributions=attributions)
    grouped = [q["occurrences"] for q in shared]
    taken = {(o["article_id"], o["start"]) for occ in grouped for o in occ}
    for a in articles:
        grouped += [[q.as_dict()] for q in coverage.find_quotes(a, (attributions or {}).get(a.article_id, ()))
                    if (a.article_id, q.start) not in taken]
    out = []
    for occ in grouped:
        text = max((o["text"] for o in occ), key=len)
        speaker = next((o["speaker"] for o in occ if o.get("speaker")), None)
        evidence = [{"outlet": o["outlet"], "article_id": o["article_id"],
                     "text": _sentence_at(by_id[o["article_id"]].text, o["start"], o["end"],
                                          spans[o["article_id"]])} for o in occ]
        label = f"“{text.strip().rstrip(',')}”" + (f" ({speaker})" if speaker else "")
        found = _one_sided("quote", label, evidence, side_by_article, story_sides)
        if found:
            out.append(found)
    return _ranked(out)


def one_sided_speakers(articles: Sequence[Article], side_by_article: Mapping[str, str | None],
                       attributions: Mapping[str, Sequence[dict]]) -> list[OneSided]:
    """Named sources (person or organisation, under the corpus-wide ``speaker`` name when the
    rows have one) quoted or cited by one side only."""
    from .sources import NAMED_TYPES

    story_sides = set(side_by_article.values()) - {None}
    by_id = {a.article_id: a for a in articles}
    spans = {a.article_id: coverage.split_sentences(a.text) for a in articles}
    evidence: dict[str, list[dict]] = defaultdict(list)
    for aid, atts in attributions.items():
        if aid not in by_id:
            continue
        for att in atts:
            name = coverage._speaker_name(att)
            if not name or att.get("source_type") not in NAMED_TYPES:
                continue
            lo = [att.get(k) for k in ("source_start", "cue_start", "content_start")]
            hi = [att.get(k) for k in ("source_end", "cue_end", "content_end")]
            lo = [int(x) for x in lo if isinstance(x, (int, float)) and x == x]
            hi = [int(x) for x in hi if isinstance(x, (int, float)) and x == x]
            if not lo or not hi:
                continue
            text = _sentence_at(by_id[aid].text, min(lo), max(hi), spans[aid])
            if all(e["text"] != text or e["article_id"] != aid for e in evidence[name]):
                evidence[name].append({"outlet": by_id[aid].outlet, "article_id": aid, "text": text})
    out = [found for name, ev in evidence.items()
           if (found := _one_sided("speaker", name, ev, side_by_article, story_sides))]
    return _ranked(out)


def one_sided_actors(articles: Sequence[Article], side_by_article: Mapping[str, str | None],
                     actors) -> list[OneSided]:
    """Actors (linked rows: ``article_id``, ``name``, ``type``, ``first_mention`` and
    optionally ``article_name``) named by one side only, checked against the other sides'
    texts (``actors.claims``); groups ("officials") are left out."""
    from .actors import claims

    story_sides = set(side_by_article.values()) - {None}
    by_id = {a.article_id: a for a in articles}
    rows = actors[actors["article_id"].isin(list(by_id))]
    if "type" in rows:
        rows = rows[rows["type"] != "group"]
    if rows.empty:
        return []
    import pandas as pd

    texts = claims.TextIndex(pd.DataFrame(
        {"side": [side_by_article.get(a.article_id) or "" for a in articles],
         "text": [a.text for a in articles]}), "side")
    forms = claims.actor_forms(rows)
    spans: dict[str, list] = {}
    out = []
    for name, part in rows.groupby("name", sort=False):
        evidence = []
        for r in part.to_dict("records"):
            a = by_id[r["article_id"]]
            start = r.get("first_mention")
            if isinstance(start, (int, float)) and start == start:
                spans.setdefault(a.article_id, coverage.split_sentences(a.text))
                text = _sentence_at(a.text, int(start), int(start) + 1, spans[a.article_id])
            else:
                text = a.title or ""
            evidence.append({"outlet": a.outlet, "article_id": a.article_id, "text": text})
        found = _one_sided("actor", name, evidence, side_by_article, story_sides)
        if found and len(claims.confirmed_absent(texts, found.absent, forms[name])) == len(found.absent):
            out.append(found)
    return _ranked(out)


def _ranked(items: list[OneSided]) -> list[OneSided]:
    return sorted(items, key=lambda i: (-i.n_outlets, -len(i.evidence), i.label))


def blindspots(frame, *, share: float = BLINDSPOT_SHARE,
               min_outlets: int = BLINDSPOT_MIN_OUTLETS) -> list[dict]:
    """Stories covered mostly by one side (rules in the module docstring). ``frame``: one
    row per article with ``story``, ``outlet`` and ``leaning``. Each: ``{"story", "side",
    "n_side_outlets", "n_rated_outlets", "share", "n_articles", "missing": the opposite
    side(s)}``, most lopsided first."""
    frame = frame.assign(side=frame["leaning"].map(SIDE_OF))
    rated = frame[frame["side"].notna()].drop_duplicates(["story", "outlet"])
    corpus_sides = set(rated["side"])
    if rated.empty:
        return []
    # one pass over the corpus: outlets per (story, side)
    counts = rated.groupby(["story", "side"]).size().unstack(fill_value=0)
    n_rated, n_side, side_of_story = counts.sum(axis=1), counts.max(axis=1), counts.idxmax(axis=1)
    lopsided = (n_rated >= min_outlets) & (n_side / n_rated >= share)
    n_articles = frame.groupby("story").size()
    out = []
    for story in counts.index[lopsided]:
        side = side_of_story[story]
        missing = [m for m in ([OPPOSITE[side]] if side in OPPOSITE else ["left", "right"])
                   if m in corpus_sides]
        if missing:
            out.append({"story": story, "side": side, "n_side_outlets": int(n_side[story]),
                        "n_rated_outlets": int(n_rated[story]),
                        "share": round(float(n_side[story] / n_rated[story]), 4),
                        "n_articles": int(n_articles[story]), "missing": missing})
    return sorted(out, key=lambda d: (-d["share"], -d["n_rated_outlets"], str(d["story"])))


def first_reports(groups: Iterable[coverage.FactGroup], published: Mapping[str, object],
                  outlet_of: Mapping[str, str], *, min_outlets: int = 2) -> list[dict]:
    """For each fact group carried by ``min_outlets`` or more outlets and dated in at least
    two of its articles: the earliest publication date and the outlets that reported it then
    (several on a tie: dates have a day's resolution). ``published``: article_id -> date or
    None. Each ``{"fact", "first", "first_outlets", "n_outlets", "n_dated", "last"}``."""
    out = []
    for g in groups:
        if len(g.outlets) < min_outlets:
            continue
        dated = {aid: published.get(aid) for aid in g.articles}
        dated = {aid: d for aid, d in dated.items() if d is not None and d == d}
        if len(dated) < 2:
            continue
        first, last = min(dated.values()), max(dated.values())
        firsts = sorted({outlet_of[a] for a, d in dated.items() if d == first})
        out.append({"fact": g.label, "first": first, "first_outlets": firsts,
                    "n_outlets": len(g.outlets), "n_dated": len(dated), "last": last})
    return out


def story_sides(articles: Sequence[Article], leaning_by_article: Mapping[str, str], *,
                groups: Sequence[coverage.FactGroup] | None = None,
                attributions: Mapping[str, Sequence[dict]] | None = None,
                actors=None) -> dict:
    """Everything by side for one story's articles: ``sides`` (article_id -> side or None),
    and the one-sided ``facts`` (when ``groups`` are given), ``quotes`` and ``speakers``
    (from ``attributions``: article_id -> rows) and ``actors`` (linked actor rows)."""
    side_by_article = {a.article_id: side_of(leaning_by_article.get(a.article_id)) for a in articles}
    outlet_of = {a.article_id: a.outlet for a in articles}
    out = {"sides": side_by_article, "facts": [], "quotes": [], "speakers": [], "actors": []}
    if len(set(side_by_article.values()) - {None}) < 2:
        return out  # one side (or none) covers the story: nothing is one-sided
    if groups is not None:
        out["facts"] = one_sided_facts(groups, outlet_of, side_by_article,
                                       {a.article_id: a.text for a in articles})
    out["quotes"] = one_sided_quotes(articles, side_by_article, attributions)
    if attributions:
        out["speakers"] = one_sided_speakers(articles, side_by_article, attributions)
    if actors is not None and len(actors):
        out["actors"] = one_sided_actors(articles, side_by_article, actors)
    return out
