"""Incremental imports: re-importing an unchanged corpus, and changing one article.

    /work/venv/bin/python benchmarks/incremental.py [--n 40] [--scale-db FILE]

Writes ``--n`` PolNeAR texts as .txt files into a temporary folder and imports the folder
the way ``python -m analysis ingest`` does (read, dedupe by content hash, analyze, store):
1. first import into an empty store (the baseline);
2. the same folder again, unchanged (aim: <= 5% of the first import's time);
3. the folder with one file edited (aim: only that article is analyzed).
With ``--scale-db`` (e.g. the 10,000-article store benchmarks/dashboard_scale.py builds in
/tmp/coverage_lens_scale) it also times the cross-article step of an import into a big store:
the near-duplicate check of one new article against every stored text.
Figures print and go to benchmarks/results/incremental.md.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from analysis import dedup, ingest, pipeline, store  # noqa: E402
from throughput import polnear_articles  # noqa: E402


def load() -> str:
    return "load " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=40)
    ap.add_argument("--scale-db", type=Path)
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

        def run(label: str):
            analyzed: list[int] = []
            t = time.perf_counter()
            report = pipeline.import_articles(ingest.read_paths([folder], outlet="Bench"), db,
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
        say(f"- one edited article / first import: **{one / first:.1%}**; the edit is stored "
            f"as a new article (ids are content hashes){', flagged as a near-duplicate of its previous version' if report.near_duplicates else ''}")

        if args.scale_db:
            n_stored = len(store.stored_versions(args.scale_db))
            t = time.perf_counter()
            stored = store.articles(args.scale_db)
            loaded = time.perf_counter() - t
            t = time.perf_counter()
            dedup.flag_near_duplicates(polnear_articles(1), stored)
            compared = time.perf_counter() - t
            say("")
            say(f"Cross-article step at scale ({n_stored:,} stored articles): "
                f"store.articles() {loaded:.2f} s + dedup.flag_near_duplicates of 1 new article "
                f"{compared:.2f} s = {loaded + compared:.2f} s per import ({load()})")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    out = ROOT / "benchmarks" / "results" / "incremental.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
