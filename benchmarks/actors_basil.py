"""Actor identity across outlets, measured on BASIL (50 stories, each from Fox News, The New
York Times and HuffPost; ``../shared/data/basil_dev``).

What a user reads is a cell: "outlet X mentions actor Y N times". For every named main
entity of every story (BASIL's ``main_entities``: people and named organisations; plain
groups such as "protesters" or "Colorado officials" are left out):

- gold mentions in an article are the occurrences of the entity's name and, for a person,
  of its surname (unless another main entity of the story shares it), as whole words;
- each gold mention is looked up among the system's actor mentions (overlapping offsets);
  the actor it falls in, after linking across the corpus, is the system's actor for it;
- **one actor**: the entity's mentions in the story's three articles all fall in one actor
  (per article, the actor holding most of them; articles where the system finds none of
  them are counted under "found", not here);
- **zero cells**: (entity, article) pairs whose article names the entity at least twice
  while the dashboard's actor x outlet cell for the story's actor (its most common actor for
  the entity, of a type the Actors page shows by default) is 0; **low cells**: shown fewer
  than half the gold mentions.

Baseline in the same run (the plain rule of issue 19): spaCy entities grouped by exact
string per story, plus "a one-word name joins the one full name of the story ending with it".
Ours: ``actors.extract_actors`` per article, then ``actors.link_frame`` over all 150
articles, as the dashboard does.

    .venv/bin/python benchmarks/actors_basil.py
"""
from __future__ import annotations

import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from analysis import actors  # noqa: E402
from analysis.actors.names import TITLE_WORDS  # noqa: E402
from analysis.nlp import get_nlp  # noqa: E402
from benchmarks.actors_gum import load_devdata  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "actors_basil.md"
SHOWN_TYPES = {"person", "organization", "country"}  # the Actors page's default type filter
OUTLETS = {"fox": "Fox News", "nyt": "New York Times", "hpo": "HuffPost"}


def named_entities(names) -> list[str]:
    """The main entities that are names: capitalised words, no lists or slashes."""
    keep = []
    for name in names:
        words = name.split()
        if "/" in name or " and " in name or not all(w[:1].isupper() for w in words):
            continue
        keep.append(name)
    return keep


def surface_forms(entity: str, story_entities: list[str]) -> list[str]:
    """The entity's name, and a person-like name's surname when no other entity shares it."""
    forms = [entity]
    words = entity.split()
    if len(words) >= 2 and words[0] not in ("Senate", "House", "Justice", "National", "Tea",
                                            "Secure", "GOP", "Obama", "Romney"):
        surname = words[-1]
        shared = [e for e in story_entities if e != entity and e.split()[-1] == surname]
        if not shared:
            forms.append(surname)
    return sorted(set(forms), key=len, reverse=True)


def gold_spans(text: str, forms: list[str]) -> list[tuple[int, int]]:
    """Whole-word occurrences of the forms; a bare surname right after another capitalised
    name ("Sasha Obama" for Barack Obama) is someone else's, a title ("President Obama")
    is not."""
    pattern = "|".join(re.escape(f) for f in forms)
    spans = []
    for m in re.finditer(rf"(?<![\w-])(?:{pattern})(?![\w-])", text):
        before = re.search(r"([A-Z][\w.]*)\s+$", text[max(0, m.start() - 30):m.start()])
        if " " not in m.group() and before and before.group(1).casefold() not in TITLE_WORDS \
                and before.group(1) not in forms[0].split():
            continue
        spans.append(m.span())
    return spans


def ours(docs, articles) -> tuple[list[dict], dict[str, dict[tuple[int, int], str]]]:
    """Linked actor rows of every article, and per article: mention span -> actor name."""
    rows, spans = [], {}
    per_article = []
    for art, doc in zip(articles, docs):
        found = actors.extract_actors(doc, title=art["title"])
        per_article.append(found)
        for a in found:
            rows.append({"article_id": art["id"], "outlet": OUTLETS[art["outlet"]],
                         "story": art["event"], **a.as_dict()})
    linked_names = actors.link_corpus(rows)
    frame = actors.link_frame(pd.DataFrame(rows))
    for art, found in zip(articles, per_article):
        spans[art["id"]] = {(m.start, m.end): linked_names.get(a.name, a.name)
                            for a in found for m in a.mentions}
    return frame.to_dict("records"), spans


def baseline(docs, articles) -> tuple[list[dict], dict[str, dict[tuple[int, int], str]]]:
    """spaCy entities by exact string per story; a one-word name joins the one full name
    of the story ending with it."""
    by_story = defaultdict(list)
    for art, doc in zip(articles, docs):
        by_story[art["event"]].append((art, doc))
    rows, spans = [], {}
    for story, pairs in by_story.items():
        names = {e.text for _, doc in pairs for e in doc.ents if e.label_ in actors.LABEL_TYPES}
        full = [n for n in names if len(n.split()) >= 2]
        target = {}
        for n in names:
            if len(n.split()) == 1:
                owners = [f for f in full if f.split()[-1] == n]
                if len(owners) == 1:
                    target[n] = owners[0]
        for art, doc in pairs:
            spans[art["id"]] = {}
            counts, types = Counter(), {}
            for e in doc.ents:
                if e.label_ not in actors.LABEL_TYPES:
                    continue
                name = target.get(e.text, e.text)
                spans[art["id"]][(e.start_char, e.end_char)] = name
                counts[name] += 1
                types[name] = actors.LABEL_TYPES[e.label_]
            rows += [{"article_id": art["id"], "name": n, "n_mentions": c, "type": types[n]}
                     for n, c in counts.items()]
    # the plain rule types a name by its last label; count it shown when any row is shown
    shown = {r["name"] for r in rows if r["type"] in SHOWN_TYPES}
    for r in rows:
        r["type"] = "person" if r["name"] in shown else r["type"]
    return rows, spans


def actor_at(span, system: dict[tuple[int, int], str]) -> str | None:
    best, name = 0, None
    for (s, e), n in system.items():
        overlap = min(span[1], e) - max(span[0], s)
        if overlap > best:
            best, name = overlap, n
    return name


def score(articles, rows, spans) -> dict:
    cells = defaultdict(int)
    for r in rows:
        if r["type"] in SHOWN_TYPES:
            cells[(r["article_id"], r["name"])] += int(r["n_mentions"])
    by_story = defaultdict(list)
    for art in articles:
        by_story[art["event"]].append(art)
    out = {"entities": 0, "one actor": 0, "found": 0, "gold mentions": 0, "cells >= 2": 0,
           "zero cells": 0, "low cells": 0, "failures": []}
    for story, arts in sorted(by_story.items()):
        entities = named_entities(dict.fromkeys(e for a in arts for e in a["main_entities"]))
        for entity in entities:
            forms = surface_forms(entity, entities)
            per_article = {}
            for art in arts:
                gold = gold_spans(art["text"], forms)
                found = [actor_at(s, spans[art["id"]]) for s in gold]
                per_article[art["id"]] = (art, gold, [f for f in found if f])
            if not any(g for _, g, _ in per_article.values()):
                continue  # a main entity no article names (e.g. a misspelt one)
            out["entities"] += 1
            out["gold mentions"] += sum(len(g) for _, g, _ in per_article.values())
            out["found"] += sum(len(f) for _, _, f in per_article.values())
            majority = {aid: Counter(f).most_common(1)[0][0]
                        for aid, (_, _, f) in per_article.items() if f}
            overall = Counter(n for _, _, f in per_article.values() for n in f)
            story_actor = overall.most_common(1)[0][0] if overall else None
            one = len(set(majority.values())) <= 1 and bool(majority)
            out["one actor"] += one
            if not one:
                out["failures"].append(
                    f"{story[:8]} {entity}: split into " + "; ".join(
                        f"{per_article[aid][0]['outlet']}={n!r}" for aid, n in majority.items()))
            for aid, (art, gold, _) in per_article.items():
                if len(gold) < 2:
                    continue
                out["cells >= 2"] += 1
                shown = cells.get((aid, story_actor), 0)
                if shown == 0:
                    out["zero cells"] += 1
                    out["failures"].append(f"{story[:8]} {entity} {art['outlet']}: named "
                                           f"{len(gold)} times, shown 0 (actor {story_actor!r})")
                elif shown < len(gold) / 2:
                    out["low cells"] += 1
                    out["failures"].append(f"{story[:8]} {entity} {art['outlet']}: named "
                                           f"{len(gold)} times, shown {shown}")
    return out


def main() -> str:
    devdata = load_devdata()
    articles = devdata.load_basil_dev()
    nlp = get_nlp()
    t0 = time.perf_counter()
    docs = list(nlp.pipe(a["text"] for a in articles))
    t_parse = time.perf_counter() - t0
    t0 = time.perf_counter()
    results = {"Coverage Lens": score(articles, *ours(docs, articles))}
    t_ours = time.perf_counter() - t0
    results["baseline: exact string + surname rule"] = score(articles, *baseline(docs, articles))
    names = list(results)
    figures = {
        "entity is one actor across the story": lambda r: f"{r['one actor'] / r['entities']:.3f} ({r['one actor']}/{r['entities']})",
        "gold mentions found in some actor": lambda r: f"{r['found'] / r['gold mentions']:.3f}",
        "cells named >= 2 times but shown 0": lambda r: f"{r['zero cells'] / r['cells >= 2']:.3f} ({r['zero cells']}/{r['cells >= 2']})",
        "cells shown < half the gold mentions": lambda r: f"{r['low cells'] / r['cells >= 2']:.3f} ({r['low cells']}/{r['cells >= 2']})",
    }
    lines = [
        "# Actor identity across outlets on BASIL (dev half)",
        "",
        f"{len(articles)} articles, {len({a['event'] for a in articles})} stories, 3 outlets; "
        f"{results[names[0]]['entities']} named main entities; model {nlp.meta['name']} "
        f"{nlp.meta['version']}; parse {t_parse:.1f} s, our actors and linking {t_ours:.1f} s.",
        "",
        "| figure | " + " | ".join(names) + " |",
        "|---|" + "---|" * len(names),
        *(f"| {k} | " + " | ".join(f(results[n]) for n in names) + " |" for k, f in figures.items()),
        "",
        "## Every remaining failure (Coverage Lens)",
        "",
        *(f"- {f}" for f in results[names[0]]["failures"]),
        "",
    ]
    report = "\n".join(lines)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(report, encoding="utf-8")
    return report


if __name__ == "__main__":
    print(main())
