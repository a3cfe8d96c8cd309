"""Tone toward a target on NewsMTSC dev (rw_dev, mt_dev): macro-F1 over negative/neutral/positive.

    python benchmarks/tone_newsmtsc.py [--data ../shared/data]

Measured in the same run, on the same parses:
- baseline: whole-sentence VADER compound (the sentence's tone, whatever the target);
- clause VADER: VADER on the clause around the target (the fallback without a model);
- the linear target model (``sentiment_toward(..., fast=True)``, the ``--fast-tone`` model);
- Coverage Lens: ``analysis.tone.sentiment_toward``, the fine-tuned transformer when it is
  installed (the default), each target scored on its own (no batching).
Scores map to labels with VADER's thresholds: <= -0.05 negative, >= 0.05 positive.
Also times ``target_sentiment`` per target on an already parsed sentence.
Prints the figures and writes them to benchmarks/results/tone_newsmtsc.md.
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis import tone  # noqa: E402
from analysis.nlp import get_nlp  # noqa: E402

DEFAULT_DATA = Path(os.environ.get("COVERAGE_LENS_DEVDATA", ROOT.parent / "shared" / "data"))
LABELS = ("negative", "neutral", "positive")
OUT = ROOT / "benchmarks" / "results" / "tone_newsmtsc.md"
MODEL = "Coverage Lens (transformer when installed)"
KEPT = "## Features dropped for speed"  # a past experiment's section, kept when rewriting


def label(score: float) -> str:
    return "negative" if score <= tone.NEGATIVE else "positive" if score >= tone.POSITIVE else "neutral"


def macro_f1(gold: list[str], pred: list[str]) -> tuple[float, dict[str, float]]:
    per = {}
    for c in LABELS:
        tp = sum(g == p == c for g, p in zip(gold, pred))
        fp = sum(p == c != g for g, p in zip(gold, pred))
        fn = sum(g == c != p for g, p in zip(gold, pred))
        per[c] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return sum(per.values()) / len(per), per


def evaluate(sentences: list[dict]) -> dict:
    methods = {
        "whole-sentence VADER (baseline)": lambda doc, s, t: tone.sentiment_of(s["sentence"]),
        "clause VADER (no model)": lambda doc, s, t: tone.clause_sentiment(doc, t["start"], t["end"]),
        "linear target model (--fast-tone)":
            lambda doc, s, t: tone.sentiment_toward(doc, t["start"], t["end"], fast=True),
        MODEL: lambda doc, s, t: tone.sentiment_toward(doc, t["start"], t["end"]),
    }
    gold: list[str] = []
    preds: dict[str, list[str]] = {m: [] for m in methods}
    seconds = 0.0
    # Sentences whose targets differ in gold label: does the model tell them apart too?
    mixed, told_apart = 0, 0
    docs = get_nlp().pipe((s["sentence"] for s in sentences), batch_size=64)
    for s, doc in zip(sentences, docs):
        first = len(gold)
        for t in s["targets"]:
            gold.append(t["label"])
            for name, method in methods.items():
                start = time.perf_counter()
                preds[name].append(label(method(doc, s, t)))
                if name == MODEL:
                    seconds += time.perf_counter() - start
        if len(set(gold[first:])) > 1:
            mixed += 1
            told_apart += len(set(preds[MODEL][first:])) > 1
    results = {name: macro_f1(gold, p) for name, p in preds.items()}
    accuracy = {name: sum(g == q for g, q in zip(gold, p)) / len(gold) for name, p in preds.items()}
    return {"n": len(gold), "gold": Counter(gold), "f1": results, "accuracy": accuracy,
            "ms_per_target": 1000 * seconds / max(1, len(gold)), "mixed": mixed,
            "told_apart": told_apart}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = ap.parse_args(argv)
    spec = importlib.util.spec_from_file_location("devdata", args.data / "loaders.py")
    loaders = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaders)
    if tone._target_model() is None:
        print("warning: no trained target model; run scripts/train_target_sentiment.py")
    if not tone.use_transformer():
        print("warning: no transformer (model file, onnxruntime, or COVERAGE_LENS_FAST_TONE=1)")

    lines = ["# Tone toward a target: NewsMTSC dev", "",
             "Macro-F1 over negative / neutral / positive (labels from scores with VADER's "
             "±0.05 thresholds), per-class F1 and accuracy. `python benchmarks/tone_newsmtsc.py`.", ""]
    for split in ("rw_dev", "mt_dev"):
        r = evaluate(loaders.load_newsmtsc(split))
        gold = ", ".join(f"{c} {r['gold'][c]}" for c in LABELS)
        block = [f"## {split} ({r['n']} targets: {gold})", "",
                 "| method | macro-F1 | F1 neg | F1 neu | F1 pos | accuracy |",
                 "|---|---|---|---|---|---|"]
        for name, (f1, per) in r["f1"].items():
            block.append(f"| {name} | {f1:.4f} | {per['negative']:.4f} | {per['neutral']:.4f} | "
                         f"{per['positive']:.4f} | {r['accuracy'][name]:.4f} |")
        block += ["", f"Sentences whose targets have different gold labels: {r['mixed']}; the "
                      f"target model gives them different labels in {r['told_apart']} "
                      f"(whole-sentence VADER: 0 by construction).",
                  f"Target model: {r['ms_per_target']:.2f} ms per target on a parsed sentence "
                  f"(shared 2-core machine).", ""]
        print("\n".join(block))
        lines += block
    OUT.parent.mkdir(parents=True, exist_ok=True)
    old = OUT.read_text(encoding="utf-8") if OUT.is_file() else ""
    kept = old[old.index(KEPT):] if KEPT in old else ""
    OUT.write_text("\n".join(lines) + ("\n" + kept if kept else ""), encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
