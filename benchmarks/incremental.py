"""Incremental imports: re-importing an unchanged corpus, changing one article, and the
cross-article step (near-duplicates, edited versions) in a big store.

    /work/venv/bin/python benchmarks/incremental.py [--n 40] [--scale 10000]

Writes ``--n`` PolNeAR texts as .txt files into a temporary folder and imports the folder
the way ``python -m analysis ingest`` does (read, dedupe by content hash, analyze, store):
1. first import into an empty store (the baseline);
2. the same folder again, unchanged (aim: <= 5% of the first import's time);
3. the folder with one file edited (aim: only that article is analyzed, and it replaces its
   stored version instead of being added beside it).
Then it builds a store of ``--scale`` articles cheaply (the analyzed rows replicated in SQL
under new ids, each text given its own last line, without the shingle index, like a store
made before the index existed) and times, for one new article:
4. the cross-article step before the index: ``store.articles`` + the in-memory comparison
   with every stored text (what every import did);
5. the one-time indexing of that store (``store.build_index``) and the index's size;
6. the same step through the index, and whole imports (analysis included) of a new article
   and of an edited version of a stored file.
Last, 7. whether a sampled index (hashes with h % 4 == 0) would keep the near-duplicate
decisions: PolNeAR texts against edited copies of themselves.
Figures print and go to benchmarks/results/incremental.md.
"""
from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from analysis import dedup, ingest, pipeline, store  # noqa: E402
from analysis.model import Article  # noqa: E402
from replicate import replicate  # noqa: E402
from throughput import DATA, load, polnear_articles  # noqa: E402


def scaled_copy(src: Path, dst: Path, n: int) -> None:
    """``dst``: n articles, ``src``'s rows replicated under new ids, each text ending in its
    own line; no shingle index rows."""
    replicate(dst, src, n, """
        i.new_id, a.outlet, a.title, a.text || '\n\nCopy ' || i.pos || ' of this report.',
        a.url, a.author, a.published, a.story, a.source_name || '#' || i.k,
        a.ingest_notes, a.added_at + INTERVAL (i.pos) SECOND""")


def legacy_shingles(text: str, k: int = dedup.SHINGLE_WORDS) -> set[int]:
    """dedup.shingles before the index: Python's hash() of each sequence (salted per process)."""
    words = re.findall(r"\w+", text.casefold())
    return {hash(" ".join(words[i:i + k])) for i in range(len(words) - k + 1)}


def edit(text: str, rng: random.Random) -> str:
    """A copy of ``text`` cut to a random 30-100 % stretch with up to 12 % of words changed:
    containments spread over the whole range around the threshold."""
    words = text.split()
    keep = rng.uniform(0.3, 1.0)
    start = rng.randint(0, int(len(words) * (1 - keep)))
    changed = rng.uniform(0, 0.12)
    return " ".join(w if rng.random() > changed else f"x{rng.randint(0, 10**6)}"
                    for w in words[start:start + int(len(words) * keep)])


def sampling_accuracy(say, n_texts: int = 300) -> None:
    texts = [p.read_text(encoding="utf-8")
             for p in sorted((DATA / "polnear" / "train" / "text").glob("*.txt"))[:n_texts]]
    rng = random.Random(1)
    pairs = [(dedup.shingles(edit(t, rng)), dedup.shingles(t)) for t in texts for _ in range(3)]
    pairs = [(a, b) for a, b in pairs if min(len(a), len(b)) >= dedup.MIN_SHINGLES]

    def sampled(s, m):
        return {h for h in s if h % m == 0}

    exact = [dedup.containment(a, b) for a, b in pairs]
    near = sum(c >= dedup.THRESHOLD for c in exact)
    say("")
    say(f"Sampled index? {len(pairs)} pairs (PolNeAR text, edited copy: cut to 30-100 %, up to "
        f"12 % of words changed), {near} of them near-duplicates (containment >= "
        f"{dedup.THRESHOLD}) by the exact comparison:")
    for m in (4, 8):
        est = [dedup.containment(sampled(a, m), sampled(b, m)) for a, b in pairs]
        wrong = sum((c >= dedup.THRESHOLD) != (e >= dedup.THRESHOLD) for c, e in zip(exact, est))
        worst = max(abs(c - e) for c, e in zip(exact, est))
        say(f"- keeping hashes with h % {m} == 0: {wrong} decisions differ "
            f"({wrong / len(pairs):.1%}), largest containment error {worst:.2f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=40)
    ap.add_argument("--scale", type=int, default=10_000, help="articles in the big store (0: skip)")
    args = ap.parse_args()
    lines = ["# Incremental imports", ""]

    def say(line: str) -> None:
        print(line, flush=True)
        lines.append(line)

    work = Path(tempfile.mkdtemp(prefix="cl-incremental-"))
    try:
        folder = work / "corpus"
        folder.mkdir()
        for i, a in enumerate(polnear_articles(args.n)):
            (folder / f"article{i:04d}.txt").write_text(a.text, encoding="utf-8")
        db = work / "store.duckdb"

        def run(label: str, paths=(folder,), into=db):
            analyzed: list[int] = []
            t = time.perf_counter()
            report = pipeline.import_articles(ingest.read_paths(list(paths), outlet="Bench"), into,
                                              progress=lambda done, total: analyzed.append(total))
            seconds = time.perf_counter() - t
            say(f"- {label}: {seconds:.2f} s; {report.summary()}; articles analyzed: "
                f"{analyzed[-1] if analyzed else 0} ({load()})")
            return seconds, report

        from analysis.nlp import get_nlp

        get_nlp()("Warm up.")
        say(f"{args.n} PolNeAR texts as .txt files, imported with ingest.read_paths + "
            f"pipeline.import_articles (the `ingest` command's path).")
        say("")
        first, _ = run("first import (baseline)")
        again, report = run("unchanged re-import")
        say(f"- unchanged re-import / first import: **{again / first:.1%}** (aim <= 5%)")
        edited = sorted(folder.glob("*.txt"))[args.n // 2]
        edited.write_text(edited.read_text(encoding="utf-8") + "\n\nCorrection: an earlier "
                          "version misstated the date.", encoding="utf-8")
        one, report = run("one file edited")
        n_stored = len(store.stored_versions(db))
        replaced = len(report.replaced) == 1 and not report.added and n_stored == args.n
        say(f"- one edited article / first import: **{one / first:.1%}**; the edit "
            f"{'replaced its stored version' if replaced else 'did NOT replace its stored version'}"
            f" ({n_stored} articles stored after it, {args.n} before)")

        if args.scale:
            scale_step(args, work, db, folder, say, run)
        sampling_accuracy(say)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    out = ROOT / "benchmarks" / "results" / "incremental.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def scale_step(args, work: Path, db: Path, folder: Path, say, run) -> None:
    big = work / "big.duckdb"
    with store.connect(db) as con:
        con.execute("CHECKPOINT")
        n_hashes = con.execute("SELECT count(*) FROM shingles").fetchone()[0]
    per_article = db.stat().st_size / args.n / 1024
    t = time.perf_counter()
    scaled_copy(db, big, args.scale)
    mb_before = big.stat().st_size / 2**20
    say("")
    say(f"## Cross-article step at {args.scale:,} stored articles")
    say("")
    say(f"Store built in {time.perf_counter() - t:.1f} s by replicating the {args.n} analyzed "
        f"articles' rows in SQL ({mb_before:.0f} MB: DuckDB compresses the repeated rows; "
        f"the {args.n}-article store takes {per_article:.0f} KB per article, "
        f"{n_hashes / args.n:.0f} shingle hashes each), without the shingle index. One new "
        f"article (a PolNeAR text not in the store) per check.")
    say("")
    new = polnear_articles(args.n + 1)[-1]

    t = time.perf_counter()
    stored = store.articles(big)
    loaded = time.perf_counter() - t
    t = time.perf_counter()
    dedup.flag_near_duplicates([Article(new.text)], stored)
    compared = time.perf_counter() - t
    current = dedup.shingles
    dedup.shingles = legacy_shingles
    try:
        t = time.perf_counter()
        dedup.flag_near_duplicates([Article(new.text)], stored)
        compared_legacy = time.perf_counter() - t
    finally:
        dedup.shingles = current
    del stored
    before = loaded + compared_legacy
    say(f"- before the index: store.articles() {loaded:.2f} s + in-memory comparison with every "
        f"stored text {compared_legacy:.2f} s = **{before:.2f} s** per import "
        f"(with the new hashes: {compared:.2f} s) ({load()})")

    t = time.perf_counter()
    n_indexed = store.build_index(big)
    built = time.perf_counter() - t
    with store.connect(big) as con:
        con.execute("CHECKPOINT")
        n_rows = con.execute("SELECT count(*) FROM shingles").fetchone()[0]
    mb_after = big.stat().st_size / 2**20
    say(f"- indexing the store once (store.build_index, on the first import after upgrading): "
        f"{built:.1f} s for {n_indexed:,} articles; {n_rows:,} shingle hashes, the file grew "
        f"from {mb_before:.0f} to {mb_after:.0f} MB (+{mb_after - mb_before:.0f} MB)")

    def through_index(article: Article) -> tuple[float, list]:
        t = time.perf_counter()
        store.build_index(big)  # nothing to do: the check every import makes
        sources = {article.article_id: (dedup.source_key(article), [])}
        pipeline._replacements([article], sources, set(), big)
        flagged = dedup.flag_near_duplicates([article], db=big)
        return time.perf_counter() - t, flagged

    through_index(Article(new.text))  # first open of the file after the checkpoint
    after, _ = through_index(Article(new.text, outlet="Bench", source_name="new.txt"))
    say(f"- through the index (build_index check + source lookup + one join): **{after:.2f} s** "
        f"per import, {after / before:.1%} of before ({load()})")
    with store.connect(big) as con:
        victim_id = con.execute("SELECT article_id FROM articles ORDER BY article_id "
                                "LIMIT 1 OFFSET 123").fetchone()[0]
    victim = store.articles(big, [victim_id])[0]
    copy = Article("Updated. " + victim.text.replace(" the ", " a ", 3), source_name="copy.txt")
    seconds, flagged = through_index(copy)
    say(f"- a near-copy of a stored text through the index: {seconds:.2f} s, "
        f"{'flagged' if flagged else 'NOT flagged'}"
        + (f" ({flagged[0][1].split(':')[1].strip()})" if flagged else ""))

    t = time.perf_counter()
    report = pipeline.import_articles([Article(new.text, outlet="Bench", source_name="new.txt")],
                                      big)
    say(f"- whole import of the new article into the {args.scale:,}-article store (analysis "
        f"included): {time.perf_counter() - t:.2f} s; {report.summary()}")
    edited = Article(victim.text + "\n\nCorrection: the date was wrong.", outlet=victim.outlet,
                     source_name=victim.source_name)
    t = time.perf_counter()
    report = pipeline.import_articles([edited], big)
    n_stored = len(store.stored_versions(big))
    say(f"- whole import of an edited version of a stored file: {time.perf_counter() - t:.2f} s; "
        f"{report.summary()}; {n_stored:,} articles stored after it")


if __name__ == "__main__":
    main()
