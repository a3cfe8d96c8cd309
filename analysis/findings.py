"""Differences between articles or outlets, said in plain sentences.

Input is a frame with one row per compared item (an article, or an outlet's mean over its
articles), a ``name`` column and the metric columns of ``store.metrics_frame``. A metric is
mentioned only when the gap between the items is notable (the thresholds below), so the
sentences point at what a reader should look at.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import sides
from .actors import claims


@dataclass(frozen=True)
class Metric:
    column: str
    label: str  # short name on cards and charts
    notable: float  # smallest gap between the highest and lowest item worth a sentence
    fmt: str = "{:.0f}"


METRICS = [
    Metric("sources_n_distinct_named_sources", "Distinct named sources", 2),
    Metric("sources_n_direct_quotes", "Direct quotes", 2),
    Metric("sources_n_anonymous_sources", "Anonymous attributions", 1),
    Metric("sources_n_vague_sources", "Vague attributions", 1),
    Metric("readability_grade", "Readability grade", 2, "{:.1f}"),
    Metric("tone_sentiment", "Sentiment", 0.1, "{:+.2f}"),
    Metric("tone_subjectivity", "Subjectivity", 0.08, "{:.2f}"),
    Metric("word_count", "Words", 0, "{:,.0f}"),
]


def possessive(name: str) -> str:
    return name + ("’" if name.endswith("s") else "’s")


def _n(value: float, noun: str) -> str:
    value = round(value, 1)
    if value == 0:
        return f"no {noun}s"
    shown = f"{value:g}"
    return f"{shown} {noun}" + ("" if value == 1 else "s")


def differences(items: pd.DataFrame) -> list[str]:
    """Sentences about the notable gaps between the rows of ``items`` (2 or more)."""
    if len(items) < 2:
        return []
    out: list[str] = []
    names = items["name"].tolist()

    def extremes(column: str):
        values = items[column].astype(float)
        hi, lo = values.idxmax(), values.idxmin()
        return items.loc[hi, "name"], values[hi], items.loc[lo, "name"], values[lo]

    def gap(column: str, notable: float) -> bool:
        values = items[column].dropna().astype(float)
        return len(values) >= 2 and values.max() - values.min() >= notable and values.max() != values.min()

    for column, noun, notable in (("sources_n_distinct_named_sources", "distinct named source", 2),
                                  ("sources_n_direct_quotes", "direct quote", 2)):
        if column in items and gap(column, notable):
            hi, vhi, lo, vlo = extremes(column)
            verb = "cites" if "source" in noun else "has"
            out.append(f"{hi} {verb} {_n(vhi, noun)}, {lo} {'none' if vlo == 0 else _n(vlo, noun)}.")
    for column, kind in (("sources_n_anonymous_sources", "anonymous"),
                         ("sources_n_vague_sources", "vague")):
        if column in items and gap(column, 1):
            hi, vhi, lo, vlo = extremes(column)
            out.append(f"{hi} has {_n(vhi, 'attribution')} to {kind} sources ({lo}: {vlo:g}).")
    if "readability_grade" in items and gap("readability_grade", 2):
        hi, vhi, lo, vlo = extremes("readability_grade")
        out.append(f"{possessive(hi)} readability is grade {vhi:.0f}, {possessive(lo)} grade "
                   f"{vlo:.0f}: {hi} is harder to read.")
    if "tone_sentiment" in items and gap("tone_sentiment", 0.1):
        hi, vhi, lo, vlo = extremes("tone_sentiment")
        low = "the most negative" if vlo < 0 else "the least positive"
        out.append(f"{hi} is the most positive in tone ({vhi:+.2f}), {lo} {low} ({vlo:+.2f}).")
    if "tone_subjectivity" in items and gap("tone_subjectivity", 0.08):
        hi, vhi, lo, vlo = extremes("tone_subjectivity")
        out.append(f"{hi} is the most opinionated (subjectivity {vhi:.2f}), {lo} the most "
                   f"neutral ({vlo:.2f}).")
    if "word_count" in items:
        hi, vhi, lo, vlo = extremes("word_count")
        if vlo > 0 and vhi / vlo >= 1.5:
            out.append(f"{hi} is {vhi / vlo:.1f} times as long as {lo} ({vhi:,.0f} words vs {vlo:,.0f}).")
    if not out:
        named = (" and ".join(names) if len(names) == 2 else ", ".join(names) if len(names) <= 4
                 else f"{', '.join(names[:3])} and the {len(names) - 3} others")
        out.append(f"{named} are close on every metric.")
    return out


def actor_differences(actors: pd.DataFrame, names: list[str],
                      texts: claims.TextIndex | None = None) -> list[str]:
    """Who appears in only one of the compared items (its three most mentioned such actors).
    ``actors`` has one row per actor per item: ``item``, ``name``, ``n_mentions`` (and
    ``type``, ``article_name`` when linked). With ``texts`` (each item's article texts), an
    actor another item's text names after all is not said to be only in one."""
    out = []
    actors = actors[actors["type"] != "group"] if "type" in actors else actors
    present = {item: set(actors.loc[actors["item"] == item, "name"]) for item in names}
    forms = claims.actor_forms(actors) if texts is not None and not actors.empty else {}
    for item in names:
        others = set().union(*(v for k, v in present.items() if k != item))
        only = actors[(actors["item"] == item) & ~actors["name"].isin(others)]
        ranked = only.groupby("name")["n_mentions"].sum().sort_values(ascending=False, kind="stable")
        others_items = [k for k in names if k != item]
        top = [n for n in ranked.index if texts is None or
               len(claims.confirmed_absent(texts, others_items, forms[n])) == len(others_items)][:3]
        if top:
            listed = top[0] if len(top) == 1 else ", ".join(top[:-1]) + " and " + top[-1]
            out.append(f"Only {item} mentions {listed}.")
    return out


def default_pair(metrics: pd.DataFrame) -> list[str]:
    """The article ids to compare when nobody has chosen: two articles of the story with the
    most articles (comparing two stories says little about coverage), from two outlets when
    the story has several; fewer than two ids when no story has two articles."""
    if metrics.empty:
        return []
    story = metrics["story"].fillna("").value_counts(sort=True).index[0]
    of_story = metrics[metrics["story"].fillna("") == story]
    first_per_outlet = of_story.drop_duplicates("outlet")
    pool = first_per_outlet if len(first_per_outlet) >= 2 else of_story
    return pool["article_id"].head(2).tolist()


def outlet_means(metrics: pd.DataFrame) -> pd.DataFrame:
    """One row per outlet: the mean of every numeric metric over its articles, and ``n``."""
    numeric = metrics.select_dtypes("number").columns
    means = metrics.groupby("outlet")[list(numeric)].mean()
    means["n_articles"] = metrics.groupby("outlet").size()
    return means.reset_index().rename(columns={"outlet": "name"}).assign(outlet=lambda d: d["name"])


# --- coverage by side ------------------------------------------------------------------

SIDE_FINDINGS = 3  # said at most of each: quotes and sources, facts, actors (most outlets first)
SIDE_STORY_MAX = 200  # stories with more articles are left to the Stories page (quote grouping is quadratic)
SIDE_STORIES = 50  # the largest stories with two sides are read (the report is built on every rerun)
# Facts need the story's sentences aligned (a matrix over all of them): only in stories of at
# most this many articles (the Stories page's default alignment limit), the 10 largest.
SIDE_FACT_STORY_MAX = 40
SIDE_FACT_STORIES = 10
SIDE_FACT_CHARS = 160  # a fact's sentence is cut to this many characters in a finding


def _side_items(item, story: str) -> str:
    side = sides.SIDE_WORDS[item.side]
    first, others = item.outlets[0], len(item.outlets) - 1
    who = (f"{first} ({side})" if not others else
           f"{first} and {others} other {side} outlet{'s' if others > 1 else ''}")
    absent = " or ".join(sides.SIDE_WORDS[s] for s in item.absent)
    if item.kind == "fact":
        fact = item.label if len(item.label) <= SIDE_FACT_CHARS else (
            item.label[:SIDE_FACT_CHARS - 1].rstrip() + "…")
        what = f"reported “{fact}”"
    else:
        what = {"speaker": f"quoted or cited {item.label}", "actor": f"named {item.label}"}.get(
            item.kind, f"carried the quote {item.label}")
    return f"{who} {what} on “{story}”; no {absent} outlet did."


def _most_carried(items: list, n: int) -> list:
    """The ``n`` (story, item) pairs carried by the most outlets, sources before quotes."""
    return sorted(items, key=lambda p: (-p[1].n_outlets, p[1].kind != "speaker", p[1].label))[:n]


def side_findings(frame: pd.DataFrame, attributions: pd.DataFrame | None = None,
                  actors: pd.DataFrame | None = None) -> list[str]:
    """Sentences on coverage by side, only where leanings are known: the blindspots
    (``sides.blindspots``), then what one side carried alone (``sides.story_sides``) in the
    ``SIDE_STORIES`` largest stories with two sides: the ``SIDE_FINDINGS`` quotes and named
    sources, facts (fact groups, in the ``SIDE_FACT_STORIES`` largest of those stories of at
    most ``SIDE_FACT_STORY_MAX`` articles) and actors (from ``actors``, checked against the
    other sides' texts) carried by most outlets; a fact holding a one-sided quote and an
    actor said as a one-sided source are not said twice. ``frame``: one row per article
    with ``article_id``, ``story``,
    ``outlet``, ``text`` and ``leaning``; ``attributions``: their attribution rows
    (``article_id`` and the attribution fields); ``actors``: their linked actor rows
    (``article_id``, ``name``, ``type``, ``first_mention``, optionally ``article_name``)."""
    from . import coverage
    from .model import Article

    if frame.empty or not frame["leaning"].map(sides.side_of).notna().any():
        return []
    out = [f"“{b['story']}” was covered mostly by {sides.SIDE_WORDS[b['side']]} outlets "
           f"({b['n_side_outlets']} of the {b['n_rated_outlets']} rated outlets covering it); "
           f"a blindspot for {' and '.join(sides.SIDE_WORDS[m] for m in b['missing'])} outlets."
           for b in sides.blindspots(frame)[:SIDE_FINDINGS]]
    atts: dict[str, list[dict]] = {}
    if attributions is not None and len(attributions):
        for att in attributions.to_dict("records"):
            atts.setdefault(att["article_id"], []).append(att)
    said, facts, named = [], [], []
    n_sides = frame.assign(side=frame["leaning"].map(sides.side_of)).groupby("story")["side"].nunique()
    sizes = frame["story"].value_counts()
    stories = [s for s in sizes.index if n_sides[s] >= 2 and sizes[s] <= SIDE_STORY_MAX][:SIDE_STORIES]
    aligned = [s for s in stories if sizes[s] <= SIDE_FACT_STORY_MAX][:SIDE_FACT_STORIES]
    for story, part in frame[frame["story"].isin(stories)].groupby("story", sort=False):
        articles = [Article(text=r.text, outlet=r.outlet, story=r.story, article_id=r.article_id)
                    for r in part.itertuples()]
        found = sides.story_sides(articles, dict(zip(part["article_id"], part["leaning"])),
                                  groups=coverage.fact_groups(articles) if story in aligned else None,
                                  attributions={a: atts.get(a, []) for a in part["article_id"]},
                                  actors=actors)
        said += [(story, i) for i in found["speakers"] + found["quotes"]]
        # A fact whose sentence holds a one-sided quote would say that quote twice.
        quoted = {(e["article_id"], e["text"].strip()) for q in found["quotes"] for e in q.evidence}
        facts += [(story, i) for i in found["facts"]
                  if not any((e["article_id"], e["text"].strip()) in quoted for e in i.evidence)]
        speakers = {i.label for i in found["speakers"]}
        named += [(story, i) for i in found["actors"] if i.label not in speakers]
    return out + [_side_items(i, story) for items in (said, facts, named)
                  for story, i in _most_carried(items, SIDE_FINDINGS)]
