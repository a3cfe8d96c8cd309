"""Actor extraction and alias merging measured on GUM: the dev partition of all 15 genres
(``../shared/data/gum``, 30 documents) and the 19 Wikinews interviews.

Gold: the coreference chains whose type is person or
organization and which have at least one *named* mention (a mention ending in a proper
name; its name part is the trailing run of proper nouns, e.g. "Nick Bos" in "Biologist Nick
Bos"). Only the named mentions are scored: pronouns and common nouns are out of scope.

A system mention is matched to the gold named mention it overlaps most (one to one).

- actor recall: share of gold chains with at least one matched mention.
- mention recall: share of gold named mentions matched.
- pairwise merge precision / recall / F1: over every pair of matched gold mentions in one
  document, a pair is merged by the system when both mentions belong to one actor, and
  should be merged when both belong to one gold chain.

Baselines (same run, same scoring): spaCy entities of the same labels grouped by exact text;
and the plain rule of issue 19, the same plus "a one-word name joins the one full name of
the document ending with it".

    /work/venv/bin/python benchmarks/actors_gum.py
"""
from __future__ import annotations

import importlib.util
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis import actors  # noqa: E402
from analysis.nlp import get_nlp  # noqa: E402

DATA = Path(os.environ.get("COVERAGE_LENS_DEVDATA", ROOT.parent / "shared" / "data"))
RESULTS = ROOT / "benchmarks" / "results" / "actors_gum.md"
GOLD_TYPES = {"person", "organization"}
LINKERS = {"of", "the", "and", "&", "de", "von", "van", "-"}


def load_devdata():
    spec = importlib.util.spec_from_file_location("devdata", DATA / "loaders.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def name_part(doc: dict, mention: dict) -> tuple[int, int] | None:
    """Char span of the proper name a mention ends with, or None when it ends otherwise."""
    toks = doc["tokens"][mention["tok_start"]:mention["tok_end"]]
    while toks and (toks[-1]["upos"] == "PUNCT" or toks[-1]["form"] in ("'s", "’s", "'")):
        toks = toks[:-1]
    if not toks or toks[-1]["upos"] != "PROPN":
        return None
    i = len(toks) - 1
    while i > 0 and (toks[i - 1]["upos"] == "PROPN" or
                     (toks[i - 1]["form"].lower() in LINKERS and i > 1
                      and toks[i - 2]["upos"] == "PROPN")):
        i -= 1
    return toks[i]["start"], toks[-1]["end"]


def gold_of(doc: dict) -> list[tuple[int, int, str]]:
    """(start, end, chain id) of the named mentions of named person/organization chains."""
    out = []
    for m in doc["mentions"]:
        if m["etype"] not in GOLD_TYPES:
            continue
        span = name_part(doc, m)
        if span:
            out.append((*span, m["eid"]))
    return sorted(set(out))


def system_of(doc) -> list[tuple[int, int, str]]:
    """Name mentions and references: "the President" is a proper name to GUM."""
    return [(m.start, m.end, a.name) for a in actors.extract_actors(doc)
            for m in [*a.mentions, *a.references]]


def baseline_of(doc) -> list[tuple[int, int, str]]:
    return [(e.start_char, e.end_char, e.text) for e in doc.ents if e.label_ in actors.LABEL_TYPES]


def plain_rule_of(doc) -> list[tuple[int, int, str]]:
    ents = baseline_of(doc)
    full = {t for _, _, t in ents if len(t.split()) >= 2}
    out = []
    for s, e, t in ents:
        owners = [f for f in full if f.split()[-1] == t] if " " not in t else []
        out.append((s, e, owners[0] if len(owners) == 1 else t))
    return out


SYSTEMS = {"Coverage Lens actors": system_of, "plain rule": plain_rule_of,
           "spaCy entities by exact string": baseline_of}


def align(gold, system) -> list[tuple[str, str]]:
    """(gold chain, system actor) for each matched gold mention, one to one by overlap."""
    pairs = []
    for gs, ge, gid in gold:
        for ss, se, sid in system:
            overlap = min(ge, se) - max(gs, ss)
            if overlap > 0:
                pairs.append((overlap, (gs, ge, gid), (ss, se, sid)))
    pairs.sort(key=lambda p: -p[0])
    used_g, used_s, out = set(), set(), []
    for _, g, s in pairs:
        if g in used_g or s in used_s:
            continue
        used_g.add(g)
        used_s.add(s)
        out.append((g[2], s[2]))
    return out


class Score:
    def __init__(self):
        self.chains = self.found_chains = self.mentions = self.matched = 0
        self.tp = self.fp = self.fn = 0

    def add(self, gold, system) -> None:
        matched = align(gold, system)
        self.chains += len({g for _, _, g in gold})
        self.found_chains += len({g for g, _ in matched})
        self.mentions += len(gold)
        self.matched += len(matched)
        for i in range(len(matched)):
            for j in range(i + 1, len(matched)):
                same_gold = matched[i][0] == matched[j][0]
                same_sys = matched[i][1] == matched[j][1]
                self.tp += same_gold and same_sys
                self.fp += same_sys and not same_gold
                self.fn += same_gold and not same_sys

    def figures(self) -> dict[str, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return {"actor recall": self.found_chains / self.chains,
                "mention recall": self.matched / self.mentions,
                "merge precision": p, "merge recall": r,
                "merge F1": 2 * p * r / (p + r) if p + r else 0.0}


def score(docs: list[dict]) -> dict[str, Score]:
    """Scores of every system over GUM documents, each parsed once."""
    scores = {name: Score() for name in SYSTEMS}
    for d, doc in zip(docs, get_nlp().pipe(d["text"] for d in docs)):
        gold = gold_of(d)
        for name, system in SYSTEMS.items():
            scores[name].add(gold, system(doc))
    return scores


def evaluate(docs: list[dict]) -> tuple[dict[str, float], dict[str, float]]:
    """(our figures, exact-string baseline figures) over GUM documents."""
    scores = score(docs)
    return scores["Coverage Lens actors"].figures(), scores["spaCy entities by exact string"].figures()


def section(title: str, docs: list[dict]) -> list[str]:
    t0 = time.perf_counter()
    scores = score(docs)
    elapsed = time.perf_counter() - t0
    figures = {name: sc.figures() for name, sc in scores.items()}
    ours, plain = figures["Coverage Lens actors"], figures["plain rule"]
    first = scores["Coverage Lens actors"]
    return [
        f"## {title}",
        "",
        f"{len(docs)} documents, {first.chains} named person/organization chains, "
        f"{first.mentions} named mentions; {elapsed:.1f} s.",
        "",
        "| metric | " + " | ".join(figures) + " |",
        "|---|" + "---|" * len(figures),
        *(f"| {k} | " + " | ".join(f"{f[k]:.3f}" for f in figures.values()) + " |" for k in ours),
        "",
        "Merge pairs (TP / FP / FN): " + "; ".join(
            f"{name} {sc.tp} / {sc.fp} / {sc.fn}" for name, sc in scores.items()) + ".",
        f"Merge F1 over the plain rule: {100 * (ours['merge F1'] - plain['merge F1']):+.1f} points.",
        "",
    ]


def main() -> str:
    nlp = get_nlp()
    devdata = load_devdata()
    lines = ["# Actors on GUM", "",
             f"Model {nlp.meta['name']} {nlp.meta['version']}. Named mentions of person and "
             "organization chains; pronouns and common nouns are scored by `coref_gum.py`.", "",
             *section("GUM dev partition, all genres", devdata.load_gum("dev")),
             *section("GUM interviews (all 19)", devdata.load_gum_interview())]
    report = "\n".join(lines) + "\n"
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(report, encoding="utf-8")
    return report


if __name__ == "__main__":
    print(main())
