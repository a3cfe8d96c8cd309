"""Loaded words and article-level stance against BASIL dev (issue 23, items 3 and 4).

    python benchmarks/tone_basil.py [--data ../shared/data]

1. Loaded words: BASIL marks lexical-bias phrases (``bias == "lex"``: the writer's loaded
   wording). Word-level precision and recall of ``tone.loaded_words`` against them: a word
   (a run of letters) counts as predicted when a loaded-word span covers it, as gold when a
   lexical-bias phrase does. Per category and for the current lexicon against the NRC emotive
   words (the earlier "loaded" list), all in the same run.
   Also the bound of any context-free word list (a list of the very words BASIL marks).
2. Stance toward the main actors: BASIL's ``author_feeling_<entity>`` (negative / neutral /
   positive, strong or not) against the article's stance toward the actor
   (``tone.actor_stance``, as stored in ``actors[].stance``), macro-F1, with the
   always-neutral baseline, the mean mention tone and the stance's previous rule in the same
   run.

The 50 events are split in two halves by the order of their ids (events 0, 2, 4... tune, 1,
3, 5... held out): the lexicon and the rules were written while looking at the tuning half
only, and both halves are reported. Prints the figures and writes them to
benchmarks/results/tone_basil.md. Aggregates only: no text of BASIL is written.
"""
from __future__ import annotations

import argparse
import bisect
import importlib.util
import os
import re
import sys
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

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
CONTENT_POS = ("ADJ", "ADV", "VERB", "NOUN")
# actor_stance as it was before this session's change (one band, no quoted speech).
BEFORE = {"positive_band": 0.35, "loaded_weight": 0.3, "quoted_weight": 0.0}
N_FOLDS = 5


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


FEATURES = ("sensational", "evaluative", "label", "intensifier", "certainty", "hedge", "negated",
            "valence", "valence_negative", "valence_positive", "subjectivity", "polarity",
            "emotions", "adjective", "adverb", "verb", "noun", "direct_quote", "scare_quote",
            "entity", "reporting_cue", "near_actor", "attached_to_actor")
SCARE_QUOTE = re.compile(r"[\"“‘]([^\"“”‘’\n]{1,40}?)[\"”’]")


def word_features(doc, result: dict) -> dict[int, list[float]]:
    """General features of each content word (offset -> vector in ``FEATURES`` order) for the
    classifier tried in ``classifier_curve``: lexicon families, VADER and TextBlob lexicon
    scores, NRC emotions, part of speech, quotes, and whether it is near or attached to an
    actor mention. No word identity: nothing of BASIL's vocabulary can be learned."""
    text = doc.text
    family = {}
    for name in ("sensational", "intensifiers", "certainty", "hedges"):
        for t in tone.find_terms(text, name):
            family.update({i: t for i in range(t["start"], t["end"])})
    quotes = tone.quote_spans(text, [SimpleNamespace(**a) for a in result["attributions"]])
    scare = [(m.start(1), m.end(1)) for m in SCARE_QUOTE.finditer(text)
             if len(m.group(1).split()) <= 4]
    cues = [(a["cue_start"], a["cue_end"]) for a in result["attributions"] if a["cue_start"] is not None]
    mentions = [(m["start"], m["end"]) for actor in result["actors"] for m in actor["mentions"]]
    starts = sorted(s for s, _ in mentions)
    vader, pattern, nrc = tone._vader().lexicon, tone._textblob()[0], tone._nrc()
    tokens = [t for t in doc if t.is_alpha and t.pos_ in CONTENT_POS]
    nrc.load_token_list([t.lower_ for t in tokens] + [t.lemma_.lower() for t in tokens])
    out = {}
    for t in tokens:
        low, lemma = t.lower_, t.lemma_.lower()
        term = family.get(t.idx)
        category = term["category"] if term else None
        v = vader.get(low, vader.get(lemma, 0.0)) / 4
        entry = pattern.get(low) or pattern.get(lemma) or {}
        polarity, subjectivity = (entry.get(None) or next(iter(entry.values()), (0.0, 0.0)))[:2]
        emotions = [e for e in nrc.affect_dict.get(low) or nrc.affect_dict.get(lemma) or ()
                    if e in tone.EMOTIONS]
        in_mention = lambda tok: any(s <= tok.idx < e for s, e in mentions)
        linked = [t.head, *t.children, *t.head.children]
        k = bisect.bisect_left(starts, t.idx - 60)
        quoted = tone._in_spans(t.idx, quotes)
        out[t.idx] = [category == "sensational", category == "evaluative", category == "label",
                      category == "intensifier", category == "certainty", category == "hedge",
                      bool(term) and tone._negated(text, term["start"]), abs(v), v < 0, v > 0,
                      subjectivity, abs(polarity), len(emotions) / 3, t.pos_ == "ADJ",
                      t.pos_ == "ADV", t.pos_ == "VERB", t.pos_ == "NOUN", quoted,
                      tone._in_spans(t.idx, scare) and not quoted, bool(t.ent_type_),
                      tone._in_spans(t.idx, cues), k < len(starts) and starts[k] <= t.idx + 60,
                      any(in_mention(x) for x in linked if x.i != t.i)]
    return out


def classifier_curve(rows: list[dict]) -> list[tuple[str, dict[str, float]]]:
    """A logistic regression over ``word_features`` trained on BASIL's lexical spans, scored
    by cross-validation by story (``N_FOLDS`` folds of events: never trained and tested on
    the same story): precision and recall at several cut-offs of its pooled held-out scores.
    Tried, not shipped. Needs scikit-learn (requirements-dev.txt)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    X = np.array([f for r in rows for f in r["features"].values()], dtype=float)
    y = np.array([i in r["gold"] for r in rows for i in r["features"]])
    groups = np.array([r["event"] for r in rows for _ in r["features"]])
    events = sorted(set(groups))
    scores = np.zeros(len(y))
    for k in range(N_FOLDS):
        test = np.isin(groups, events[k::N_FOLDS])
        model = LogisticRegression(C=1.0, max_iter=2000).fit(X[~test], y[~test])
        scores[test] = model.predict_proba(X[test])[:, 1]
    n_gold = sum(len(r["gold"]) for r in rows)
    order = np.argsort(-scores, kind="stable")
    return [(f"the {n} best-scored words", dict(zip(("P", "R", "F1"), prf(int(y[order[:n]].sum()), n, n_gold)),
                                                 predicted=n, gold=n_gold))
            for n in (25, 50, 100, 200, 300, 500)]


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
                                 "stance": actor.get("stance") if actor else None,
                                 "stance_before": tone.actor_stance(actor, result, **BEFORE)
                                 if actor else None,
                                 "mention_tone": actor.get("sentiment") if actor else None})
        content = {t.idx: t.lower_ for t in doc if t.is_alpha and t.pos_ in CONTENT_POS}
        mentions = sorted(m["start"] for actor in result["actors"] for m in actor["mentions"])
        rows.append({"event": a["event"], "text": a["text"], "gold": covered(a["text"], lex),
                     "content": content, "features": word_features(doc, result), "mentions": mentions, "length": len(a["text"]),
                     "gold_narration": covered(a["text"], lex_narration),
                     "loaded": result["tone"]["loaded_words"], "entities": entities})
    return rows


def near_actor(row: dict, word: dict, chars: int = 60) -> bool:
    """A mention of an actor starts within ``chars`` characters of the word."""
    k = bisect.bisect_left(row["mentions"], word["start"] - chars)
    return k < len(row["mentions"]) and row["mentions"][k] <= word["end"] + chars


# Context rules measured on the loaded terms, not applied: how precision moves with them.
CONTEXTS = {
    "in quoted speech": lambda r, w: w.get("in_quote"),
    "in narration": lambda r, w: not w.get("in_quote"),
    "within 60 characters of an actor mention": near_actor,
    "not near an actor mention": lambda r, w: not near_actor(r, w),
    "in the article's first tenth": lambda r, w: w["start"] < r["length"] / 10,
    "after the first tenth": lambda r, w: w["start"] >= r["length"] / 10,
}

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


def word_list_bound(rows: list[dict]) -> list[tuple[str, dict[str, float]]]:
    """How far any context-free word list can go against these spans: the content words
    (adjectives, adverbs, verbs, nouns) that BASIL's lexical spans cover, used as a list and
    scored wherever they occur, (a) learned from all 150 articles and scored on the same
    ones (an in-sample ceiling), (b) learned from the other events and scored on each fifth
    of the events in turn (cross-validated by story). Never shipped: a measurement of how
    consistently the annotators mark a word. Returns [(name, scores)]."""
    def score(train: list[dict], test: list[dict]) -> tuple[int, int]:
        marked = {w for r in train for i, w in r["content"].items() if i in r["gold"]}
        hits = [i in r["gold"] for r in test for i, w in r["content"].items() if w in marked]
        return sum(hits), len(hits)

    n_gold = sum(len(r["gold"]) for r in rows)
    events = sorted({r["event"] for r in rows})
    tp, n = score(rows, rows)
    out = [("every content word BASIL marks, listed and scored on the same articles", (tp, n))]
    tp = n = 0
    for k in range(N_FOLDS):
        held = set(events[k::N_FOLDS])
        t, m = score([r for r in rows if r["event"] not in held], [r for r in rows if r["event"] in held])
        tp, n = tp + t, n + m
    out.append((f"the same list learned from other stories ({N_FOLDS}-fold by event)", (tp, n)))
    return [(name, dict(zip(("P", "R", "F1"), prf(t, m, n_gold)), predicted=m, gold=n_gold))
            for name, (t, m) in out]


def f1_difference(rows: list[dict], other: str, n_boot: int = 1000, seed: int = 0):
    """Macro-F1 of the stance minus that of ``other`` (an entity key, or "neutral" for the
    always-neutral baseline), with a 95% interval from resampling the events."""
    import random

    by_event: dict[str, list[dict]] = {}
    for r in rows:
        by_event.setdefault(r["event"], []).extend(r["entities"])

    def diff(ents):
        gold = [e["gold"] for e in ents]
        base = ["neutral"] * len(ents) if other == "neutral" else [label(e[other]) for e in ents]
        return macro_f1(gold, [label(e["stance"]) for e in ents]) - macro_f1(gold, base)

    events = sorted(by_event)
    rng = random.Random(seed)
    draws = sorted(diff([e for ev in rng.choices(events, k=len(events)) for e in by_event[ev]])
                   for _ in range(n_boot))
    return diff([e for ev in events for e in by_event[ev]]), draws[int(0.025 * n_boot)], \
        draws[int(0.975 * n_boot) - 1]


def class_scores(gold: list[str], pred: list[str], c: str) -> str:
    tp = sum(g == p == c for g, p in zip(gold, pred))
    n_pred, n_gold = sum(p == c for p in pred), sum(g == c for g in gold)
    return f"{c}: {tp} of {n_pred} calls right, {tp} of {n_gold} found"


def score_table(first: str, scored: list[tuple[str, dict]]) -> list[str]:
    """A Markdown table of (name, ``word_scores``-like dict) rows, ``first`` its first header."""
    return [f"| {first} | precision | recall | F1 | predicted words | gold words |",
            "|---|---|---|---|---|---|"] + [
        f"| {name} | {s['P']:.3f} | {s['R']:.3f} | {s['F1']:.3f} | {s['predicted']} | {s['gold']} |"
        for name, s in scored]


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
        narration = [r | {"gold": r["gold_narration"],
                          "loaded": [w for w in r["loaded"] if not w.get("in_quote")]}
                     for r in chosen]
        out += [f"### {part} ({len(chosen)} articles)", ""]
        out += score_table("words", [(name, word_scores(chosen, select))
                                     for name, select in CATEGORIES.items()]
                           + [("loaded terms, narration only", word_scores(narration, tone.is_loaded))])
        out.append("")
    out += ["### Loaded terms by context (all 50 events; measured, not applied)", ""]
    out += score_table("loaded terms (lexicon, not negated)", [
        (name, word_scores([r | {"loaded": [w for w in r["loaded"] if where(r, w)]} for r in rows],
                           tone.is_loaded)) for name, where in CONTEXTS.items()])
    out += ["", "### How far a word list can go (all 50 events)", "",
            "Words BASIL marks as lexical bias are mostly left unmarked where they occur "
            "elsewhere: a list of exactly the words its annotators marked, scored over the "
            "same 150 articles, has this precision; learned from other stories, this. "
            "Neither list is shipped (it would copy the gold spans); they bound what a "
            "lexicon can reach.", ""]
    out += score_table("word list", word_list_bound(rows))
    out += ["", "### A classifier trained on the lexical spans (tried, not shipped)", "",
            f"Logistic regression over {len(FEATURES)} general features of each content word "
            "(lexicon families, VADER and TextBlob lexicon scores, NRC emotions, part of speech, "
            "in a quote or scare quotes, near or attached to an actor mention; no word identity), "
            f"trained on BASIL's lexical spans and scored by {N_FOLDS}-fold cross-validation by "
            "story (never trained and tested on the same event).", ""]
    out += score_table("classifier cut-off", classifier_curve(rows))
    out += ["", "## 2. Stance toward the main actors (article level)", "",
            "Gold: BASIL's `author_feeling_<entity>` for each main entity (strong and mild "
            "merged: negative / neutral / positive). An entity the article's actors do not "
            "match counts as predicted neutral.", "",
            "| events | entities | always neutral (baseline) | mean mention tone | stance before "
            "(one band, no quotes) | Coverage Lens stance |",
            "|---|---|---|---|---|---|"]
    for part, events in [("all 50 events", None), *parts.items()]:
        ents = [e for r in rows if events is None or r["event"] in events for e in r["entities"]]
        gold = [e["gold"] for e in ents]
        out.append(f"| {part} | {len(ents)} ({sum(e['found'] for e in ents)} matched) | "
                   f"{macro_f1(gold, ['neutral'] * len(gold)):.3f} | "
                   f"{macro_f1(gold, [label(e['mention_tone']) for e in ents]):.3f} | "
                   f"{macro_f1(gold, [label(e['stance_before']) for e in ents]):.3f} | "
                   f"{macro_f1(gold, [label(e['stance']) for e in ents]):.3f} |")
    ents = [e for r in rows for e in r["entities"]]
    gold, pred = [e["gold"] for e in ents], [label(e["stance"]) for e in ents]
    out += ["", "Coverage Lens stance, all events: "
            + "; ".join(class_scores(gold, pred, c) for c in ("negative", "positive")) + ".", "",
            "Differences of macro-F1, all events, with their 95% interval (bootstrap over the "
            "events, 1,000 resamples, the same resample for both sides):", ""]
    for other, name in (("neutral", "always neutral"), ("stance_before", "the stance before")):
        d, low, high = f1_difference(rows, other)
        out.append(f"- Coverage Lens stance − {name}: {d:+.3f} [{low:+.3f}, {high:+.3f}]")
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
