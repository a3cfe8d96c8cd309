"""Dashboard at scale: every page's first render and a filter change with 10,000 articles.

    /work/venv/bin/python benchmarks/dashboard_scale.py [--articles 10000] [--seed 60]

Builds a store of ``--articles`` articles: ``--seed`` PolNeAR texts are analyzed once (kept in
/tmp/coverage_lens_scale/seed.duckdb between runs), then their rows (articles, results,
attributions, actors, sentences) are replicated in SQL under new ids, spread over 24 outlets,
8 stories and a year of dates. Then, server-side in this one process:
1. the store loaders (``store.metrics_frame``, ``store.items_frame``, ``store.actor_rows``) on
   their own;
2. the dashboard's first render with Streamlit's caches emptied, and the time until the
   background thread it starts has loaded the other shared frames; then for every page its
   first render in a new session through ``streamlit.testing.v1.AppTest`` (dashboard.py, its
   sidebar and the page), then a filter change (two outlets picked in the sidebar);
3. the process's peak RSS;
4. each page opened by its address in a process that has just started (before the
   background thread has loaded anything), one new process per page.
Figures print and go to benchmarks/results/dashboard_scale.md. Aims (issue 10): first
render <= 2 s, filter change <= 0.5 s, process < 2 GB.
"""
from __future__ import annotations

import argparse
import gc
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from analysis import pipeline, store  # noqa: E402
from replicate import replicate  # noqa: E402
from throughput import load, peak_mb  # noqa: E402

WORK = Path("/tmp/coverage_lens_scale")
N_OUTLETS, N_STORIES = 24, 8


def seed_store(n: int) -> Path:
    path = WORK / f"seed{n}.duckdb"
    if not path.exists():
        from throughput import polnear_articles

        print(f"analyzing {n} PolNeAR articles for the seed store (once)…", flush=True)
        tmp = path.with_suffix(".part")
        tmp.unlink(missing_ok=True)
        pipeline.import_articles(polnear_articles(n), tmp)
        tmp.rename(path)
    return path


def scaled_store(seed: Path, n_articles: int) -> Path:
    """A store of n_articles: the seed's rows replicated under new ids, outlets and dates."""
    path = WORK / f"scale{n_articles}-{seed.stem}.duckdb"
    if path.exists():
        return path
    tmp = path.with_suffix(".part")
    tmp.unlink(missing_ok=True)
    replicate(tmp, seed, n_articles, f"""
        i.new_id, 'Outlet ' || lpad(CAST(i.pos % {N_OUTLETS} AS VARCHAR), 2, '0'),
        a.title, a.text, a.url, a.author, DATE '2025-01-01' + CAST(i.pos % 365 AS INTEGER),
        'Story ' || (i.pos % {N_STORIES}), a.source_name || '#' || i.k,
        a.ingest_notes, a.added_at + INTERVAL (i.pos) SECOND""")
    with store.connect(tmp) as con:
        con.execute("INSERT INTO meta VALUES ('revision', '1') ON CONFLICT (key) DO NOTHING")
    tmp.rename(path)
    return path


def app_test():
    """Streamlit's AppTest, set up as tests/conftest.py sets it up."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    original = PagesManager.__init__

    def init(self, *a, **kw):  # keep st.navigation in charge of pages
        original(self, *a, **kw)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init
    return AppTest


def problems(at) -> str:
    found = [e.message for e in at.exception] + [e.value for e in at.error]
    return "; ".join(str(x).splitlines()[0][:80] for x in found)


def cold_page(page: str) -> None:
    """Print what opening ``page`` by its address costs in a process that has just started:
    every cache empty, no frame loaded in the background yet."""
    at = app_test().from_file(str(ROOT / "dashboard.py"), default_timeout=3600)
    at.switch_page(page)
    t0, c0 = time.perf_counter(), time.process_time()
    at.run()
    print(f"{time.perf_counter() - t0:.2f} ({time.process_time() - c0:.2f})\t{problems(at) or '-'}",
          flush=True)
    # The page started the background loading thread; exit without waiting for it (or for
    # interpreter teardown, which aborts in DuckDB while that thread is reading).
    os._exit(0)


def machine_speed() -> str:
    """Two fixed workloads: how fast this (shared) machine is right now, for comparing runs.
    A page's first render in a new process builds 100s of MB of new frames, and on the
    development VM first touching new memory varied most (0.04-1.5 s for 500 MB)."""
    import numpy as np

    t0 = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    t1 = time.perf_counter()
    np.ones(2**28 // 8)  # 256 MB of new pages, written once
    return (f"reference loop {t1 - t0:.2f} s, first touch of 256 MB "
            f"{time.perf_counter() - t1:.2f} s")


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=60, help="PolNeAR articles analyzed for real")
    ap.add_argument("--pages", nargs="*", help="page files to measure (default: all)")
    ap.add_argument("--cold-page", help=argparse.SUPPRESS)  # one measurement, in a new process
    args = ap.parse_args()
    WORK.mkdir(exist_ok=True)
    db = scaled_store(seed_store(args.seed), args.articles)
    os.environ[store.ENV_VAR] = str(db)
    if args.cold_page:
        return cold_page(args.cold_page)

    with store.connect(db) as con:
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("articles", *store.ITEM_TABLES)}
    lines = ["# Dashboard at scale", "",
             f"Store: {', '.join(f'{v:,} {k}' for k, v in counts.items())} "
             f"({db.stat().st_size / 2**20:.0f} MB on disk; {args.seed} analyzed PolNeAR "
             f"articles replicated). Times are server-side, in one process.", "",
             "## Store loaders (cold)", ""]

    def say(line: str) -> None:
        print(line, flush=True)
        lines.append(line)

    say(f"(machine {load()}, {machine_speed()} at the start)")
    for name, fn in [("metrics_frame", lambda: store.metrics_frame(db)),
                     *[(f"items_frame({t!r})", lambda t=t: store.items_frame(t, db))
                       for t in store.ITEM_TABLES],
                     ("actor_rows", lambda: store.actor_rows(db))]:
        t0, c0 = time.perf_counter(), time.process_time()
        frame = fn()
        say(f"- {name}: {time.perf_counter() - t0:.2f} s wall, "
            f"{time.process_time() - c0:.2f} s CPU, {len(frame):,} rows, "
            f"{frame.memory_usage(deep=True).sum() / 2**20:.0f} MB in pandas")
        del frame

    import streamlit as st

    AppTest = app_test()
    pages = re.findall(r'"(pages/\w+\.py)"', (ROOT / "dashboard.py").read_text())
    default = pages[0]  # the page dashboard.py opens on
    pages = [pg for pg in pages if (ROOT / pg).is_file()
             and (not args.pages or any(pg.endswith((x, f"{x}.py")) for x in args.pages))]
    outlets = ["Outlet 00", "Outlet 01"]
    say("")
    say("## Pages (server-side; aims: first render <= 2 s, filter change <= 0.5 s)")
    say("")
    say("Wall seconds, with this process's CPU seconds in brackets (CPU time is what the page "
        "costs; wall time also counts waiting for a busy machine's cores). The first row is "
        "the dashboard's first render with every cache empty (after a restart or an import); on "
        "a store of 1,000 articles or more it starts a thread that loads the other shared "
        "frames, and the second row is how long that went on after the first render. Every "
        "other row is a page's first render in a new browser session (a fresh AppTest) with "
        "the shared frame caches filled, then a filter change (two outlets picked in the "
        "sidebar).")
    say("")
    say("| page | first render (s) | filter change (s) | RSS after (MB) | problems | machine |")
    say("|---|---|---|---|---|---|")

    def timed(fn):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        return f"{time.perf_counter() - t0:.2f} ({time.process_time() - c0:.2f})"

    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=3600)
    first = timed(at.run)
    say(f"| {default}, every cache empty | {first} | - | {rss_mb():.0f} | {problems(at) or '-'} "
        f"| {load()} |")
    # The first render starts a thread loading the shared frames other pages need.
    warming = [t for t in threading.enumerate() if t.name == "coverage-lens-warm-up"]
    if warming:
        waited = timed(lambda: [t.join() for t in warming])
        say(f"| shared frames loaded in the background after it (wall: time after the first "
            f"render) | {waited.split()[0]} | - | {rss_mb():.0f} | - | {load()} |")
    for page in pages:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=600)
        if page != default:
            at.run()
            at.switch_page(page)
        first = timed(at.run)
        found = problems(at)
        change = "-"
        if not found:
            change = timed(at.multiselect(key="f_outlets").set_value(outlets).run)
            found = problems(at)
        say(f"| {page} | {first} | {change} | {rss_mb():.0f} | {found or '-'} | {load()} |")
        del at
        gc.collect()
    say("")
    say(f"Peak RSS of the process over the whole run: {peak_mb():.0f} MB (aim < 2048 MB).")
    say("")
    say("Each page opened by its address right after a restart, before the background thread "
        "has loaded anything (a new process each, every cache empty; wall seconds, CPU in "
        "brackets):")
    say("")
    say(f"Machine before these: {machine_speed()} (the loop: 10 million additions in Python).")
    say("")
    say("| page | first render (s) | problems | machine |")
    say("|---|---|---|---|")
    for page in pages:
        run = subprocess.run([sys.executable, __file__, "--articles", str(args.articles),
                              "--seed", str(args.seed), "--cold-page", page],
                             capture_output=True, text=True, check=True)
        seconds, found = run.stdout.strip().splitlines()[-1].split("\t")
        say(f"| {page} | {seconds} | {found} | {load()} |")
    out = ROOT / "benchmarks" / "results" / "dashboard_scale.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
