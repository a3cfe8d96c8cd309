"""Story detection on BASIL's development events: the 150 articles (50 events x Fox News, The
New York Times, HuffPost) mixed without their story labels, grouped again.

    python -m benchmarks.stories_basil [--db /tmp/stories/basil.duckdb] [--out benchmarks/results/stories_basil.md]

The articles are imported once, as a user would (the news export that
../shared/tools/basil_jsonl.py --no-story writes, analyzed by `python -m analysis ingest`,
which stores their actors), into a store under /tmp that later runs reuse. Scores are pairwise:
of the article pairs put in one story, the share that are one BASIL event (precision), of the
pairs that are one event, the share put in one story (recall), and their F1. Beside the method
(analysis.stories at its shipped settings), in the same run: a plain baseline (scikit-learn
TF-IDF of headline and body, English stop words, cosine >= 0.3, connected components),
ablations (no actors, no time window), and both thresholds swept, so that what a threshold
tuned on BASIL itself would give is visible. Speed: stories.place on the 150 articles copied
7 and 35 times (1,050 and 5,250; each copy 60 days later than the previous, so copies are
separate events), per 1,000 articles; and stories.detect through the store (read, group, label, write) on the 150.
Writes only aggregate figures.
"""
from __future__ import annotations

import argparse
import importlib.util
import itertools
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
BASELINE_THRESHOLD = 0.3  # fixed before looking at the results; the sweep shows others


def _loaders():
    spec = importlib.util.spec_from_file_location("devdata", SHARED / "data" / "loaders.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def build_store(db: Path) -> None:
    """Import the BASIL export without story labels into ``db`` (analysis included)."""
    db.parent.mkdir(parents=True, exist_ok=True)
    export = db.with_suffix(".jsonl")
    subprocess.run([sys.executable, str(SHARED / "tools" / "basil_jsonl.py"), str(export),
                    "--no-story"], check=True)
    subprocess.run([sys.executable, "-m", "analysis", "--fast-tone", "ingest", str(export),
                    "--db", str(db)], check=True, cwd=ROOT)


def pairwise(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    ids = sorted(gold)
    tp = fp = fn = 0
    for a, b in itertools.combinations(ids, 2):
        same_p, same_g = pred[a] == pred[b], gold[a] == gold[b]
        tp += same_p and same_g
        fp += same_p and not same_g
        fn += same_g and not same_p
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def baseline(articles, threshold: float = BASELINE_THRESHOLD) -> dict[str, str]:
    from scipy.sparse.csgraph import connected_components
    from sklearn.feature_extraction.text import TfidfVectorizer

    X = TfidfVectorizer(stop_words="english").fit_transform(
        [f"{a.title or ''}\n{a.text}" for a in articles])
    S = X @ X.T
    S.data[S.data < threshold] = 0
    S.eliminate_zeros()
    _, comp = connected_components(S, directed=False)
    return {a.article_id: str(c) for a, c in zip(articles, comp)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default="/tmp/stories/basil.duckdb")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "stories_basil.md"))
    args = ap.parse_args()
    from analysis import store, stories

    db = Path(args.db)
    if not db.exists():
        build_store(db)
    gold_rows = _loaders().load_basil_dev()
    event_by_url = {r.get("url") or f"https://example.org/basil/{r['id']}": r["event"]
                    for r in gold_rows}
    articles = store.articles(db)
    gold = {a.article_id: event_by_url[a.url] for a in articles}
    assert len(gold) == 150 and len(set(gold.values())) == 50, "expected BASIL's 150 articles"
    actors = stories._stored_actors(db, set(gold))

    rows = []

    def run(name, fn):
        pred = fn()
        p, r, f = pairwise(pred, gold)
        rows.append((name, p, r, f, len(set(pred.values()))))

    run("stories (shipped: content x actors, 5-day window, average linkage at "
        f"{stories.THRESHOLD})", lambda: stories.place(articles, {}, actors))
    run("  without actors", lambda: stories.place(articles, {}, {}))
    run("  without the time window", lambda: stories.place(articles, {}, actors, window_days=None))
    run(f"baseline: TF-IDF cosine >= {BASELINE_THRESHOLD}, connected components",
        lambda: baseline(articles))
    sweep = []
    for t in (0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6):
        f_m = pairwise(stories.place(articles, {}, actors, threshold=t), gold)[2]
        f_b = pairwise(baseline(articles, t), gold)[2]
        sweep.append((t, f_m, f_b))

    # speed: dated copies of the corpus, each its own set of events
    def seconds_per_1000(n_copies: int) -> float:
        copies, copy_actors = [], {}
        for k in range(n_copies):
            for a in articles:
                c = replace(a, text=f"{a.text} [{k}]", article_id="",
                            published=a.published + timedelta(days=60 * k) if a.published else None)
                copies.append(c)
                copy_actors[c.article_id] = actors.get(a.article_id, [])
        started = time.perf_counter()
        stories.place(copies, {}, copy_actors)
        return (time.perf_counter() - started) / len(copies) * 1000

    per_1000, per_1000_large = seconds_per_1000(7), seconds_per_1000(35)
    with tempfile.TemporaryDirectory() as tmp:
        copy_db = Path(tmp) / "copy.duckdb"
        shutil.copy(db, copy_db)
        started = time.perf_counter()
        placed = stories.detect(copy_db)
        detect_s = time.perf_counter() - started
        stored = {a.article_id: a.story for a in store.articles(copy_db)}
    p, r, f = pairwise(stored, gold)

    lines = [
        "# Story detection on BASIL (development events)",
        "",
        "`python -m benchmarks.stories_basil`: the 150 articles of `../shared/data/basil_dev` (50 "
        "events, each reported by Fox News, The New York Times and HuffPost, 2010-2018) imported "
        "without story labels (`basil_jsonl.py --no-story`, then `ingest`), grouped again. "
        "Pairwise precision, recall and F1 against the 50 events; all rows from one run.",
        "",
        "| method | precision | recall | F1 | stories found |",
        "|---|---|---|---|---|",
        *[f"| {n} | {p:.3f} | {r:.3f} | {f:.3f} | {k} |" for n, p, r, f, k in rows],
        f"| `stories.detect` through the store (read, group, label, write) | {p:.3f} | {r:.3f} | "
        f"{f:.3f} | {len(set(placed.values()))} |",
        "",
        "Threshold sweep (pairwise F1; the method's threshold is its mean similarity between two "
        "groups, the baseline's a single pair's cosine). The shipped threshold was fixed before "
        "this sweep was run; a threshold picked here would be tuned on the test itself.",
        "",
        "| threshold | stories F1 | baseline F1 |",
        "|---|---|---|",
        *[f"| {t} | {fm:.3f} | {fb:.3f} |" for t, fm, fb in sweep],
        "",
        "Speed: `stories.place` on the 150 copied 7 times, 60 days apart (1,050 articles): "
        f"**{per_1000:.2f} s per 1,000 articles**; copied 35 times (5,250): {per_1000_large:.2f} s "
        "per 1,000 (features from stored text and actors; the analysis that stores the actors is "
        f"not included). `stories.detect` on the 150 through the store: {detect_s:.2f} s.",
        "",
    ]
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
