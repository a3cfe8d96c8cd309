"""Time and peak memory of the worst inputs the limits still accept (issue 24).

    .venv/bin/python benchmarks/worst_inputs.py [--out benchmarks/results/worst_inputs.md]

Each case runs in a fresh process (peak RSS is the process's, the spaCy model included),
after a warm-up, so the figures are the case's own. Synthetic texts only (no development
data). Baselines in the same run: the analysis as it was before the sentence bound (the
parser given the whole text) on the same long sentence.

Aim (issue 24): any accepted import under 2 GB, and under 1 s of analysis per 1,000 words.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import random
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = ("council harbor flood wall market vote budget residents engineer storm surge homes "
         "concrete marsh oyster shoreline meeting comments families basements winter cost "
         "traders quarter report autumn construction opponents supporters district").split()


def prose(chars: int, seed: int = 1) -> str:
    """News-like prose: sentences of 12-30 words in paragraphs, with quotes and names."""
    rng = random.Random(seed)
    out, size = [], 0
    while size < chars:
        sentences = []
        for _ in range(rng.randint(3, 6)):
            words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 30)))
            sentences.append(rng.choice([f"{words.capitalize()}.",
                                         f'"{words.capitalize()}," said Maria Lopez.',
                                         f"Mayor John Carter said the {words}."]))
        paragraph = " ".join(sentences)
        out.append(paragraph)
        size += len(paragraph) + 2
    return "\n\n".join(out)[:chars]


def clause_chain(chars: int) -> str:
    """One sentence of clauses and commas, no full stop until the end (the 27 KB case)."""
    parts, size = [], 0
    while size < chars:
        parts.append("said that the mayor")
        size += 21
    return "Officials " + ", ".join(parts) + " won."


def unpunctuated(chars: int) -> str:
    rng = random.Random(2)
    return " ".join(rng.choice(WORDS) for _ in range(chars // 7))[:chars]


# --- the cases, each run in its own process ------------------------------------------------

def case_analysis(text: str, *, bounded: bool = True) -> dict:
    from analysis import pipeline
    from analysis.model import Article
    from analysis.nlp import get_nlp

    pipeline.warm_up()
    started = time.perf_counter()
    if bounded:
        [(_, result)] = pipeline.analyze_articles([Article(text=text, source_name="case")])
    else:  # before issue 24: the parser sees the text as it is
        result = pipeline.analyze_doc(get_nlp()(text))
    seconds = time.perf_counter() - started
    words = result["word_count"] if isinstance(result, dict) else len(text.split())
    return {"seconds": seconds, "words": words, "sentences": result.get("sentence_count")}


def case_batch(texts: list[str]) -> dict:
    from analysis import pipeline
    from analysis.model import Article

    pipeline.warm_up()
    started = time.perf_counter()
    pairs = list(pipeline.analyze_articles([Article(text=t, source_name=f"{n}")
                                            for n, t in enumerate(texts)]))
    words = sum(r["word_count"] for _, r in pairs)
    return {"seconds": time.perf_counter() - started, "words": words}


def case_read(name: str, data: bytes) -> dict:
    from analysis import ingest

    started = time.perf_counter()
    from analysis.model import Article

    items = list(ingest.read_upload(name, data))
    articles = [i for i in items if isinstance(i, Article)]
    return {"seconds": time.perf_counter() - started, "articles": len(articles),
            "refused": len(items) - len(articles),
            "chars": sum(len(a.text) for a in articles)}


def make_case(name: str):
    from analysis import ingest

    if name == "prose_limit":
        return case_analysis, (prose(ingest.MAX_ARTICLE_CHARS),), {}
    if name == "sentence_27k":
        return case_analysis, (clause_chain(27_000),), {}
    if name == "sentence_27k_unbounded":
        return case_analysis, (clause_chain(27_000),), {"bounded": False}
    if name == "unpunctuated_limit":
        return case_analysis, (unpunctuated(ingest.MAX_ARTICLE_CHARS),), {}
    if name == "batch_3x_limit":
        return case_batch, ([prose(ingest.MAX_ARTICLE_CHARS, seed=s) for s in (3, 4, 5)],), {}
    if name == "html_20mb":
        body = "".join(f"<p>{p}</p>" for p in prose(ingest.MAX_FILE_BYTES - 2000).split("\n\n"))
        page = f"<html><head><title>Long page</title></head><body><article>{body}</article></body></html>"
        return case_read, ("long.html", page.encode()[:ingest.MAX_FILE_BYTES]), {}
    if name == "zip_40x1m":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for n in range(40):  # varied text: compressed about 3:1, far under the ratio check
                zf.writestr(f"a{n}.txt", prose(1_000_000, seed=n))
        return case_read, ("bundle.zip", buf.getvalue()), {}
    raise ValueError(name)


CASES = {
    "prose_limit": "one article at the limit (100,000 characters of prose)",
    "unpunctuated_limit": "one article at the limit with no punctuation at all",
    "sentence_27k": "one 27 KB sentence of clauses (cut before the parser)",
    "sentence_27k_unbounded": "the same sentence, parser given it whole (before; baseline)",
    "batch_3x_limit": "three articles at the limit in one import (batches by characters)",
    "html_20mb": "reading one 20 MB HTML page (the file limit)",
    "zip_40x1m": "reading a zip of 40 members of 1,000,000 characters",
}


def child(name: str) -> None:
    import resource

    fn, args, kwargs = make_case(name)
    out = fn(*args, **kwargs)
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "worst_inputs.md"))
    parser.add_argument("--cases", nargs="*", default=list(CASES))
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    rows = []
    for name in args.cases:
        proc = subprocess.run([sys.executable, __file__, "--child", name], capture_output=True,
                              text=True, cwd=ROOT, timeout=3600)
        if proc.returncode:
            print(proc.stderr[-2000:], file=sys.stderr)
            rows.append((name, {"error": proc.stderr.strip().splitlines()[-1][:80]}))
            continue
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        rows.append((name, result))
        print(name, result, file=sys.stderr)
    lines = ["# Worst inputs within the limits (benchmarks/worst_inputs.py)", "",
             f"Run {time.strftime('%Y-%m-%d')}; each case in a fresh process (peak RSS includes the "
             f"spaCy model and lexicons, about 450 MB); a 2-core machine shared with other jobs "
             f"(load average {os.getloadavg()[0]:.1f} at the end), so times are upper bounds.", "",
             "| case | words | seconds | s per 1,000 words | peak MB |", "|---|---|---|---|---|"]
    for name, r in rows:
        if "error" in r:
            lines.append(f"| {CASES[name]} | failed: {r['error']} | | | |")
            continue
        words = r.get("words")
        per = f"{1000 * r['seconds'] / words:.2f}" if words else "(reading only)"
        count = (f"{words:,}" if words else
                 f"read: {r['articles']} article(s), {r['chars']:,} characters")
        lines.append(f"| {CASES[name]} | {count} | {r['seconds']:.1f} | {per} | {r['peak_mb']:.0f} |")
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
