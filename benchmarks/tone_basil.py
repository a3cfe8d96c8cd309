"""Loaded words and article-level stance against BASIL dev (issue 23, items 3 and 4).

    python benchmarks/tone_basil.py [--data ../shared/data]

1. Loaded words: BASIL marks lexical-bias phrases (``bias == "lex"``: the writer's loaded
   wording). Word-level precision and recall of ``tone.loaded_words`` against them: a word
   (a run of letters) counts as predicted when a loaded-word span covers it, as gold when a
   lexical-bias phrase does. Per category and for the current lexicon against the NRC emotive
   words (the earlier "loaded" list), all in the same run.
2. Stance toward the main actors: BASIL's ``author_feeling_<entity>`` (negative / neutral /
   positive, strong or not) against the article's tone toward the actor, macro-F1, with the
   always-neutral baseline of the same articles.

The 50 events are split in two halves by the order of their ids (events 0, 2, 4... tune, 1,
3, 5... held out): the lexicon and the rules were written while looking at the tuning half
only, and both halves are reported. Prints the figures and writes them to
benchmarks/results/tone_basil.md. Aggregates only: no text of BASIL is written.
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis import pipeline, tone  # noqa: E402
from analysis.nlp import get_nlp  # noqa: E402

DEFAULT_DATA = Path(os.environ.get("COVERAGE_LENS_DEVDATA", ROOT.parent / "shared" / "data"))
OUT = ROOT / "benchmarks" / "results" / "tone_basil.md"
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
FEELINGS = {"neg": "negative", "str-neg": "negative", "neu": "neutral", "pos": "positive",
            "str-pos": "positive"}
LABELS = ("negative", "neutral", "positive")


def load(data_dir: Path) -> list[dict]:
    spec = importlib.util.spec_from_file_location("devdata", data_dir / "loaders.py")
    loaders = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaders)
    return loaders.load_basil_dev()


def halves(articles: list[dict]) -> dict[str, set[str]]:
    events = sorted({a["event"] for a in articles})
    return {"tuning half": set(events[0::2]), "held-out half": set(events[1::2])}


def covered(text: str, spans) -> set[int]:
    """Start offsets of the words of ``text`` that a (start, end) span overlaps."""
    spans = sorted(spans)
    out = set()
    for m in WORD.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in spans):
            out.add(m.start())
    return out


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def word_scores(rows: list[dict], select) -> dict[str, float]:
    """Pooled word-level P/R/F1 of the loaded words ``select(word)`` keeps."""
    tp = n_pred = n_gold = 0
    for r in rows:
        pred = covered(r["text"], [(w["start"], w["end"]) for w in r["loaded"] if select(w)])
        tp += len(pred & r["gold"])
        n_pred += len(pred)
        n_gold += len(r["gold"])
    p, rec, f = prf(tp, n_pred, n_gold)
    return {"P": p, "R": rec, "F1": f, "predicted": n_pred, "gold": n_gold}


def macro_f1(gold: list[str], pred: list[str]) -> float:
    f1s = []
    for c in LABELS:
        tp = sum(g == p == c for g, p in zip(gold, pred))
        fp = sum(p == c != g for g, p in zip(gold, pred))
        fn = sum(g == c != p for g, p in zip(gold, pred))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(f1s) / len(f1s)


def label(score: float | None) -> str:
    if score is None:
        return "neutral"
    return "negative" if score <= tone.NEGATIVE else "positive" if score >= tone.POSITIVE else "neutral"


def find_actor(entity: str, actors: list[dict]) -> dict | None:
    """The article's actor for a BASIL main entity: the same name, else the one whose name
    or an alias ends with the entity's last word (most mentioned first)."""
    last = entity.split()[-1].lower()
    best = None
    for a in actors:
        names = [a["name"], *a.get("aliases", ())]
        if any(n.lower() == entity.lower() for n in names):
            return a
        if any(n.lower().split()[-1:] == [last] for n in names if n.split()):
            if best is None or len(a["mentions"]) > len(best["mentions"]):
                best = a
    return best


def analyse(articles: list[dict]) -> list[dict]:
    rows = []
    nlp = get_nlp()
    for a, doc in zip(articles, nlp.pipe(a["text"] for a in articles)):
        result = pipeline.analyze_doc(doc, title=a["title"])
        lex = [(p["start"], p["end"]) for p in a["phrases"]
               if p["bias"] == "lex" and p.get("start") is not None]
        lex_narration = [(p["start"], p["end"]) for p in a["phrases"] if p["bias"] == "lex"
                         and p.get("start") is not None and p["quote"] != "yes"]
        entities = []
        for entity in a["main_entities"]:
            gold = a["article_labels"].get("author_feeling_" + entity.replace(" ", "_"))
            if gold in FEELINGS:
                actor = find_actor(entity, result["actors"])
                entities.append({"gold": FEELINGS[gold], "found": actor is not None,
                                 "stance": tone.actor_stance(actor, result)
                                 if actor else None,
                                 "mention_tone": actor.get("sentiment") if actor else None})
        rows.append({"event": a["event"], "text": a["text"], "gold": covered(a["text"], lex),
                     "gold_narration": covered(a["text"], lex_narration),
                     "loaded": result["tone"]["loaded_words"], "entities": entities})
    return rows


CATEGORIES = {
    "loaded terms (what the loaded-language rate counts: lexicon, not negated)": tone.is_loaded,
    "  sensational": lambda w: w["category"] == "sensational",
    "  evaluative": lambda w: w["category"] == "evaluative",
    "  label": lambda w: w["category"] == "label",
    "intensifiers (own dimension)": lambda w: w["category"] == "intensifier",
    "superlatives (own dimension)": lambda w: w["category"] == "superlative",
    "NRC emotion words (own dimension)": lambda w: w["category"].startswith("emotion"),
    "before issue 23 (baseline): sensational + intensifiers + superlatives + NRC":
        lambda w: w["category"] not in ("evaluative", "label"),
}


def report(rows: list[dict], parts: dict[str, set[str]]) -> str:
    out = ["# Loaded words and stance toward actors: BASIL dev", "",
           "`python benchmarks/tone_basil.py`. 150 articles (50 events × Fox News, NYT, HuffPost). "
           "The 50 events are split by the order of their ids: the lexicon and rules were tuned "
           "looking at the tuning half only; the held-out half was scored after.", "",
           "## 1. Loaded words against BASIL's lexical-bias phrases (word level)", "",
           "Gold: the words of the phrases BASIL marks `bias == \"lex\"`. Predicted: the words "
           "covered by `tone.loaded_words` (quotes included, as the gold includes them); "
           "\"narration\" compares the words outside quotes with the gold phrases outside "
           "quotes (`quote != \"yes\"`), what the loaded-language rate counts.", ""]
    for part, events in [("all 50 events", None), *parts.items()]:
        chosen = [r for r in rows if events is None or r["event"] in events]
        out += [f"### {part} ({len(chosen)} articles)", "",
                "| words | precision | recall | F1 | predicted words | gold words |",
                "|---|---|---|---|---|---|"]
        for name, select in CATEGORIES.items():
            s = word_scores(chosen, select)
            out.append(f"| {name} | {s['P']:.3f} | {s['R']:.3f} | {s['F1']:.3f} | "
                       f"{s['predicted']} | {s['gold']} |")
        narration = [r | {"gold": r["gold_narration"],
                          "loaded": [w for w in r["loaded"] if not w.get("in_quote")]}
                     for r in chosen]
        s = word_scores(narration, tone.is_loaded)
        out += [f"| loaded terms, narration only | {s['P']:.3f} | {s['R']:.3f} | {s['F1']:.3f} | "
                f"{s['predicted']} | {s['gold']} |", ""]
    out += ["## 2. Stance toward the main actors (article level)", "",
            "Gold: BASIL's `author_feeling_<entity>` for each main entity (strong and mild "
            "merged: negative / neutral / positive). An entity the article's actors do not "
            "match counts as predicted neutral.", "",
            "| events | entities | always neutral (baseline) | mean mention tone | Coverage Lens stance |",
            "|---|---|---|---|---|"]
    for part, events in [("all 50 events", None), *parts.items()]:
        ents = [e for r in rows if events is None or r["event"] in events for e in r["entities"]]
        gold = [e["gold"] for e in ents]
        out.append(f"| {part} | {len(ents)} ({sum(e['found'] for e in ents)} matched) | "
                   f"{macro_f1(gold, ['neutral'] * len(gold)):.3f} | "
                   f"{macro_f1(gold, [label(e['mention_tone']) for e in ents]):.3f} | "
                   f"{macro_f1(gold, [label(e['stance']) for e in ents]):.3f} |")
    ents = [e for r in rows for e in r["entities"]]
    out += ["", "Gold labels: " + ", ".join(f"{k} {v}" for k, v in
                                            sorted(Counter(e["gold"] for e in ents).items())) + "."]
    return "\n".join(out) + "\n"


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    articles = load(args.data)
    text = report(analyse(articles), halves(articles))
    print(text)
    args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
