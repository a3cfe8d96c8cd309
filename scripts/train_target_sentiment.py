"""Train the target-dependent sentiment model (analysis/models/target_sentiment.json).

    python scripts/train_target_sentiment.py [--data ../shared/data] [--out FILE]

A multinomial logistic regression over ``analysis.tone.target_features`` (lexicon scores
around the target, its syntactic role, and spaCy's contextual token vectors), fitted on the
NewsMTSC train split (Hamborg & Donnay, EACL 2021; MIT-style licence, see the README). The
weights are written as plain JSON, so loading needs neither scikit-learn nor a pickle. No
word or sentence of the data set is stored in the model: its features are lexicon scores,
syntax flags and 96-dimensional vectors, not vocabulary.

The regularization strength is chosen by 5-fold cross-validation on train only (macro-F1);
the dev splits are left to ``benchmarks/tone_newsmtsc.py``.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis import tone  # noqa: E402
from analysis.nlp import get_nlp  # noqa: E402

DEFAULT_DATA = Path(os.environ.get("COVERAGE_LENS_DEVDATA", ROOT.parent / "shared" / "data"))
LABELS = ("negative", "neutral", "positive")


def load_split(data_dir: Path, split: str) -> list[dict]:
    spec = importlib.util.spec_from_file_location("devdata", data_dir / "loaders.py")
    loaders = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaders)
    return loaders.load_newsmtsc(split)


def featurize(sentences: list[dict]) -> tuple[list[list[float]], list[str]]:
    """Feature rows and gold labels of every target, parsing each sentence once."""
    X, y = [], []
    docs = get_nlp().pipe((s["sentence"] for s in sentences), batch_size=64)
    for s, doc in zip(sentences, docs):
        for t in s["targets"]:
            row = tone.target_features(doc, t["start"], t["end"])
            if row is not None:
                X.append(row)
                y.append(t["label"])
    return X, y


def fit(X, y, C: float):
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(X)
    clf = LogisticRegression(C=C, max_iter=3000, class_weight="balanced")
    clf.fit(scaler.transform(X), y)
    return scaler, clf


def choose_c(X, y, grid=(0.001, 0.003, 0.01, 0.03, 0.1)) -> float:
    import numpy as np
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold

    X, y = np.asarray(X), np.asarray(y)
    best = None
    for C in grid:
        scores = []
        for tr, te in StratifiedKFold(5, shuffle=True, random_state=0).split(X, y):
            scaler, clf = fit(X[tr], y[tr], C)
            scores.append(f1_score(y[te], clf.predict(scaler.transform(X[te])), average="macro"))
        mean = sum(scores) / len(scores)
        print(f"C={C}: cross-validated macro-F1 {mean:.4f}")
        if best is None or mean > best[1]:
            best = (C, mean)
    return best[0]


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=tone.TARGET_MODEL)
    ap.add_argument("--C", type=float, default=None, help="skip cross-validation")
    args = ap.parse_args(argv)

    X, y = featurize(load_split(args.data, "train"))
    print(f"{len(X)} training targets, {len(tone.FEATURES)} features")
    C = args.C if args.C is not None else choose_c(X, y)
    scaler, clf = fit(X, y, C)
    assert tuple(clf.classes_) == LABELS
    model = {
        "about": "Target-dependent sentiment: multinomial logistic regression over "
                 "analysis.tone.target_features, trained on NewsMTSC train "
                 "(Hamborg & Donnay 2021) by scripts/train_target_sentiment.py.",
        "C": C,
        "features": list(tone.FEATURES),
        "classes": list(clf.classes_),
        "mean": [round(float(v), 6) for v in scaler.mean_],
        "scale": [round(float(v), 6) for v in scaler.scale_],
        "coef": [[round(float(w), 6) for w in row] for row in clf.coef_],
        "intercept": [round(float(b), 6) for b in clf.intercept_],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KiB), C={C}")


if __name__ == "__main__":
    main()
