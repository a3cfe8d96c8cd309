"""Train the pronoun and role-noun coreference model (analysis/models/coref.json).

    python scripts/train_coref.py [--C 1.0]

A logistic regression over ``analysis.coref.FEATURES`` scores (anaphor, candidate actor)
pairs. Training data: the GUM train partition, all genres (Zeldes 2017; annotations CC BY
4.0, texts under per-genre licences, see docs/coreference.md), read by ``../shared/data``'s
loaders. Each document is parsed with the project's spaCy model, its actors are
``extract_actors``'s and its anaphors ``coref.find_anaphors``'s, exactly as at run time;
a pair is positive when the actor's latest name mention before the anaphor is in the
anaphor's GUM chain (``benchmarks/coref_gum.Gold``). Earlier anaphors are tied to their
gold actor while the pairs are built (teacher forcing), so "the actor's latest mention"
can be a pronoun, as it is at run time.

The regularization strength and the decision thresholds (one for pronouns, one for role
nouns) are chosen by 5-fold cross-validation over documents of train only: the threshold
is the lowest out-of-fold probability of the best candidate that keeps the precision of
the links at or above ``--precision`` (default .92, a margin over the .90 aim). GUM dev is
left to ``benchmarks/coref_gum.py``.

The first-name genders come from the ``nomquamgender`` package's name data (Van Buskirk et
al. 2022, MIT licence, install it from requirements-dev.txt): names with at least 5 sources,
100 counts and p(female) <= .05 (male) or >= .95 (female), plain letters only. No word of
GUM is stored in the model.
"""
from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis import actors as actors_mod, coref  # noqa: E402
from benchmarks.coref_gum import Gold, parsed_gum  # noqa: E402

LICENCE = ("Weights learnt from the GUM corpus, train partition (Zeldes 2017, 'The GUM "
           "Corpus: Creating Multilayer Resources in the Classroom', LRE 51(3); "
           "https://gucorpling.org/gum/): annotations CC BY 4.0, texts under per-genre "
           "licences (CC BY, CC BY-SA, CC BY-NC-SA; see docs/coreference.md). The model "
           "holds feature weights only, no text. First-name lists from the nomquamgender "
           "package (Ian Van Buskirk 2022, MIT licence).")


def first_names(min_sources=5, min_counts=100, cut=0.05) -> dict[str, list[str]]:
    import importlib.resources

    with importlib.resources.files("nomquamgender").joinpath("name_data.json").open(
            encoding="utf-8") as fh:
        data = json.load(fh)
    male, female = [], []
    for name, row in data.items():
        if not re.fullmatch(r"[a-z][a-z\-]+", name):
            continue
        sources, counts, pgf = row[0], row[1], row[2]
        if sources < min_sources or counts < min_counts:
            continue
        if pgf <= cut:
            male.append(name)
        elif pgf >= 1 - cut:
            female.append(name)
    return {"male": sorted(male), "female": sorted(female)}


def build_pairs(parsed):
    """Feature rows, labels, row -> anaphor number, anaphor -> (group, document, resolvable)."""
    X, y, owner, info = [], [], [], []
    for d, (gum, doc) in enumerate(parsed):
        for key in list(doc.user_data):
            if str(key).startswith("coverage_lens."):
                del doc.user_data[key]
        acts = actors_mod.extract_actors(doc)
        gold = Gold(gum, doc, acts)

        def choose(a, pool, rows):
            chain = gold.anaphor_chain(a)
            labels = [gold.correct(c.index, a, chain) for c in pool]
            X.extend(rows.tolist())
            y.extend(labels)
            owner.extend([len(info)] * len(pool))
            info.append((a.group, d, gold.resolvable(a, chain)))
            return labels.index(True) if any(labels) else None

        coref._decide(doc, acts, choose)
    return np.asarray(X), np.asarray(y, dtype=int), np.asarray(owner), info


def fit(X, y, C: float):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, max_iter=5000).fit(X, y)


def best_per_anaphor(prob, y, owner, n):
    """Per anaphor: (top probability, its label)."""
    top = np.full(n, -1.0)
    right = np.zeros(n, dtype=bool)
    for p, lab, o in zip(prob, y, owner):
        if p > top[o]:
            top[o], right[o] = p, bool(lab)
    return top, right


def threshold_for(top, right, resolvable, precision: float) -> tuple[float, float, float]:
    """Lowest threshold whose links keep ``precision``; (threshold, precision, recall)."""
    order = np.argsort(-top)
    made = correct = 0
    best = (1.0, 1.0, 0.0)
    total = max(1, int(resolvable.sum()))
    for i in order:
        if top[i] < 0:
            break
        made += 1
        correct += right[i]
        if correct / made >= precision and made >= 10:
            best = (float(top[i]), correct / made, correct / total)
    return best


def cross_validate(X, y, owner, info, C: float, precision: float, folds=5):
    """Out-of-fold (threshold, precision, recall) of one group's pairs, folds by document."""
    docs = np.asarray([info[o][1] for o in owner])
    prob = np.zeros(len(y))
    for k in range(folds):
        test = docs % folds == k
        prob[test] = fit(X[~test], y[~test], C).predict_proba(X[test])[:, 1]
    top, right = best_per_anaphor(prob, y, owner, len(info))
    resolvable = np.asarray([r for _, _, r in info])
    return threshold_for(top, right, resolvable, precision)


def train_group(X, y, owner, info, group: str, grid, precision: float) -> dict:
    """One group's model: C and threshold by cross-validation, then fitted on all of it."""
    keep = [n for n, (g, _, _) in enumerate(info) if g == group]
    renumber = {old: new for new, old in enumerate(keep)}
    rows = np.isin(owner, keep)
    Xg, yg = X[rows], y[rows]
    og = np.asarray([renumber[o] for o in owner[rows]])
    ig = [info[n] for n in keep]
    best = None
    for C in grid:
        t, p, r = cross_validate(Xg, yg, og, ig, C, precision)
        print(f"{group} C={C}: threshold {t:.3f} precision {p:.3f} recall {r:.3f}")
        if best is None or r > best[0][2]:
            best = ((t, p, r), C)
    (t, p, r), C = best
    clf = fit(Xg, yg, C)
    top = sorted(zip(coref.FEATURES, clf.coef_[0]), key=lambda x: -abs(x[1]))[:12]
    print(f"{group}: C={C}, threshold {t:.3f}; largest weights:",
          ", ".join(f"{n} {w:+.2f}" for n, w in top))
    return {"C": C, "coef": [round(float(w), 6) for w in clf.coef_[0]],
            "intercept": round(float(clf.intercept_[0]), 6), "threshold": round(t, 4),
            "anaphors": len(keep), "pairs": int(len(yg)), "positive_pairs": int(yg.sum()),
            "cross_validation": {"precision": round(p, 4), "recall": round(r, 4)}}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--C", type=float, default=None, help="skip the search over C")
    ap.add_argument("--precision", type=float, default=0.92)
    ap.add_argument("--out", type=Path, default=coref.MODEL_FILE)
    args = ap.parse_args(argv)

    names = first_names()
    # The features read the name lists from the model file: write them first.
    args.out.parent.mkdir(parents=True, exist_ok=True)
    blank = {"coef": [0.0] * len(coref.FEATURES), "intercept": 0.0, "threshold": 1.0}
    draft = {"features": list(coref.FEATURES), "first_names": names,
             "groups": {"pronoun": blank, "role": blank}}
    args.out.write_text(json.dumps(draft) + "\n", encoding="utf-8")
    coref._model.cache_clear()

    parsed = parsed_gum("train")
    X, y, owner, info = build_pairs(parsed)
    print(f"{len(parsed)} documents, {len(info)} anaphors with candidates "
          f"{dict(Counter(g for g, _, _ in info))}, {len(y)} pairs, {int(y.sum())} positive")
    grid = [args.C] if args.C is not None else [0.03, 0.1, 0.3, 1.0, 3.0]
    groups = {g: train_group(X, y, owner, info, g, grid, args.precision)
              for g in ("pronoun", "role")}
    model = {
        "about": "Pronoun and role-noun coreference: one logistic regression per anaphor group "
                 "over analysis.coref.FEATURES scoring (anaphor, candidate actor) pairs, "
                 "trained by scripts/train_coref.py on GUM train, all genres.",
        "licence": LICENCE,
        "training_data": {"corpus": "GUM train partition, all genres",
                          "documents": len(parsed), "target_precision": args.precision},
        "features": list(coref.FEATURES),
        "groups": groups,
        "first_names": names,
    }
    args.out.write_text(json.dumps(model) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
