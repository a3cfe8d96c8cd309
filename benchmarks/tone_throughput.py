"""What the transformer for tone toward actors costs: the whole analysis with it and with the
fast linear model, against the bare spaCy pass over the same texts, in one process.

    .venv/bin/python benchmarks/tone_throughput.py [--n 120] [--batch-size 16]

The three runs alternate one chunk of articles at a time (the harness of
benchmarks/throughput.py, section B), so that the machine's load weighs on all alike; CPU
seconds, as the steadier figure on a shared machine. Budget (issue 23): the analysis with the
transformer at most 1.6x the bare pass. Figures to benchmarks/results/tone_throughput.md.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from analysis import pipeline, tone  # noqa: E402
from analysis.nlp import get_nlp, model_name  # noqa: E402
from throughput import polnear_articles  # noqa: E402

OUT = ROOT / "benchmarks" / "results" / "tone_throughput.md"


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=120)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--model", type=Path, default=tone.TRANSFORMER_MODEL,
                    help="another exported model to time (e.g. fewer layers)")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    tone.TRANSFORMER_MODEL = args.model
    if tone._session() is None:
        sys.exit("the transformer model or onnxruntime is missing")
    import spacy

    articles = polnear_articles(args.n)
    # The baseline is spaCy's own pipeline, as throughput.py's; the analysis parses with the
    # shared one (the same annotations, a faster attribute ruler and lemmatizer).
    stock, nlp = spacy.load(model_name()), get_nlp()
    for model in (stock, nlp):
        for _ in model.pipe([a.text for a in articles], batch_size=args.batch_size):
            pass  # adds the corpus's words to the vocabulary before any timed pass
    pipeline.warm_up()
    mentions = scored = 0

    def analysis(fast: bool):
        def run(chunk):
            nonlocal mentions, scored
            os.environ[tone.FAST_TONE_ENV] = "1" if fast else "0"
            for _, result in pipeline.analyze_articles(chunk, batch_size=args.batch_size):
                if not fast:
                    mentions += sum(len(a["mentions"]) for a in result["actors"])
                    scored += sum(min(len(a["mentions"]), tone.MAX_SCORED_MENTIONS)
                                  for a in result["actors"])
        return run

    runs = {"bare nlp.pipe, spaCy's own pipeline (baseline)": lambda chunk: list(stock.pipe(
                [a.text for a in chunk], batch_size=args.batch_size)),
            "analysis, fast tone model (--fast-tone)": analysis(True),
            "analysis, transformer (default)": analysis(False)}
    cpu = dict.fromkeys(runs, 0.0)
    wall = dict.fromkeys(runs, 0.0)
    step = 2 * args.batch_size
    for i in range(0, len(articles), step):
        chunk = articles[i:i + step]
        for name, run in runs.items():
            t, c = time.perf_counter(), time.process_time()
            run(chunk)
            wall[name] += time.perf_counter() - t
            cpu[name] += time.process_time() - c
    os.environ.pop(tone.FAST_TONE_ENV, None)
    bare = cpu["bare nlp.pipe, spaCy's own pipeline (baseline)"]
    words = sum(len(a.text.split()) for a in articles)
    lines = ["# Tone toward actors: the transformer's cost in the whole analysis", "",
             f"`python benchmarks/tone_throughput.py --n {args.n}`: {args.n} PolNeAR train "
             f"articles, {words:,} words, {mentions:,} actor mentions of which {scored:,} scored (at "
             f"most {tone.MAX_SCORED_MENTIONS} per actor and article); one process, one "
             "ONNX Runtime thread; the three runs alternate chunk by chunk.", "",
             "| run | CPU s | wall s | CPU / bare pass |", "|---|---|---|---|"]
    for name in runs:
        lines.append(f"| {name} | {cpu[name]:.1f} | {wall[name]:.1f} | {cpu[name] / bare:.2f}x |")
    lines += ["", f"Budget: the analysis with the transformer at most 1.6x the bare pass. Model "
              f"file: {args.model.name}, {args.model.stat().st_size / 2**20:.1f} MB, window "
              f"{tone.MAX_TARGET_TOKENS} word pieces."]
    text = "\n".join(lines) + "\n"
    print(text)
    args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
