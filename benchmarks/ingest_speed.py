"""Reading speed per format, and the cost of the near-duplicate check.

    /work/venv/bin/python benchmarks/ingest_speed.py

Synthetic articles built from the test fixtures (no network, no development data). The
plain-text reader is the reference the other formats are compared with. Analysis (spaCy)
is not included: these are the costs an import adds before the metrics run.
"""
from __future__ import annotations

import csv
import io
import json
import random
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis import dedup, ingest  # noqa: E402
PAGE = (ROOT / "tests" / "fixtures" / "ingest" / "news_page.html").read_text(encoding="utf-8")
WORDS = ("council harbor flood wall market vote budget residents engineer storm surge homes "
         "concrete marsh oyster shoreline meeting comments families basements winter cost "
         "traders quarter report autumn construction opponents supporters district").split()
N = 300


def article(rng: random.Random) -> str:
    pars = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 80))).capitalize() + "."
            for _ in range(6)]
    return "\n\n".join(pars)


def timed(label: str, n: int, fn) -> tuple[str, int, float]:
    start = time.perf_counter()
    items = fn()
    seconds = time.perf_counter() - start
    assert len(items) == n, (label, len(items))
    return label, n, seconds


def main() -> None:
    rng = random.Random(7)
    texts = [article(rng) for _ in range(N)]
    pages = [PAGE.replace("<p>The Harbor city council", f"<p>{t[:400]} The Harbor city council")
             for t in texts]
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["title", "text", "source", "url", "publish_date"])
    writer.writerows([f"Story {i}", t, "Wire", f"https://wire.example/{i}", "2024-05-01"]
                     for i, t in enumerate(texts))
    table = buf.getvalue().encode()
    jsonl = "\n".join(json.dumps({"title": f"S{i}", "content": t}) for i, t in enumerate(texts))
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w", zipfile.ZIP_DEFLATED) as zf:
        for i, t in enumerate(texts):
            zf.writestr(f"batch/{i}.txt", t)
    archive = zbuf.getvalue()

    def upload(name, data):
        return [a for a in ingest.read_upload(name, data) if not isinstance(a, ingest.Refusal)]

    rows = [
        timed(".txt files (reference)", N,
              lambda: [a for i, t in enumerate(texts) for a in upload(f"{i}.txt", t.encode())]),
        timed(".html pages (trafilatura)", N,
              lambda: [a for i, p in enumerate(pages) for a in upload(f"{i}.html", p.encode())]),
        timed("one .csv export", N, lambda: upload("export.csv", table)),
        timed("one .jsonl export", N, lambda: upload("export.jsonl", jsonl.encode())),
        timed("one .zip of .txt", N, lambda: upload("batch.zip", archive)),
    ]
    stored = [ingest.read_pasted(t) for t in texts]
    new = [ingest.read_pasted(article(rng)) for _ in range(N // 3)]
    start = time.perf_counter()
    dedup.flag_near_duplicates(new, stored)
    near_s = time.perf_counter() - start

    lines = ["| input | articles | seconds | articles/s | vs .txt |", "|---|---|---|---|---|"]
    ref_rate = rows[0][1] / rows[0][2]
    for label, n, s in rows:
        lines.append(f"| {label} | {n} | {s:.2f} | {n / s:.0f} | {n / s / ref_rate:.2f}x |")
    lines.append("")
    lines.append(f"Near-duplicate check of {len(new)} new articles against {len(stored)} stored: "
                 f"{near_s:.2f} s.")
    report = "\n".join(lines)
    print(report)
    out = ROOT / "benchmarks" / "results" / "ingest_speed.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("# Reading speed per format (benchmarks/ingest_speed.py)\n\n"
                   "Synthetic 300-500-word articles; analysis not included; a 2-core machine "
                   "shared with other jobs, so figures are indicative.\n\n" + report + "\n",
                   encoding="utf-8")


if __name__ == "__main__":
    main()
