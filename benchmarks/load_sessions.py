"""Load: N dashboard sessions held at once while an import writes to the same store.

One ``streamlit run dashboard.py`` (127.0.0.1 only) serves a copy of a store built by
importing the sample corpus. For each N in --steps, N websocket clients speak Streamlit's
own protocol (what a browser tab sends: a ``BackMsg.rerun_script`` naming a page; what it
receives: ``ForwardMsg`` deltas until ``script_finished``) and rerun Overview, Compare,
Article and Report in turn for at least --duration seconds and on until
``python -m analysis ingest``, started with the step, has imported 30 freshly generated
articles into the same store file (at most --max-duration seconds).

A page run fails on: a script compilation error, an ``exception`` element, an ``alert`` of
the error kind (the dashboard shows page failures as st.error "This page could not be
drawn"), a page-not-found, a websocket error, or no ``script_finished`` within --timeout.
Warnings (the "store is in use" notice while the import holds the file) are counted apart.
Figures: page runs, errors, warnings, median/p95 seconds of a full page run, and the
server's RSS before, at peak during, and after each step, with the load average.

Run: /work/venv/bin/python benchmarks/load_sessions.py [--steps 5,10,20,30] [--duration 45]
     (writes benchmarks/results/load_sessions.md)
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import websockets
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "load_sessions.md"
# url paths of st.navigation's pages ("" is the default page, Overview).
PAGES = ("", "compare", "article", "report")
PAGE_TITLES = {"": "Overview", "compare": "Compare", "article": "Article", "report": "Report"}


# --- the server and the importer -----------------------------------------------------------

class ServerDidNotStart(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(proc: subprocess.Popen | None, grace_s: float = 20.0) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=grace_s)


class Server:
    """``streamlit run dashboard.py`` on 127.0.0.1 over the store ``db``, as a context manager
    that always stops the process it started (also on Ctrl-C or an exception)."""

    def __init__(self, db: Path, log: Path, *, port: int | None = None, start_s: float = 120.0):
        self.db, self.log, self.port, self.start_s = db, log, port or free_port(), start_s
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/_stcore/stream"

    def __enter__(self) -> Server:
        env = {**os.environ, "COVERAGE_LENS_DB": str(self.db)}
        cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"),
               "--server.port", str(self.port), "--server.address", "127.0.0.1",
               "--server.headless", "true", "--server.fileWatcherType", "none",
               "--browser.gatherUsageStats", "false"]
        # The log goes to a file: a pipe nobody reads would block the server once full.
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log,
                                         stderr=subprocess.STDOUT)
        try:
            self._wait_healthy()
        except BaseException:
            _stop(self.proc)
            raise
        return self

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + self.start_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/_stcore/health",
                                            timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        raise ServerDidNotStart(self.log.read_text(errors="replace")[-2000:])

    def __exit__(self, *exc) -> None:
        _stop(self.proc)

    def exit_code(self) -> int | None:
        """None while the server runs."""
        return self.proc.poll()

    def rss_mb(self) -> float:
        """Resident memory of the server and any children, in MiB."""
        try:
            root = psutil.Process(self.proc.pid)
            procs = [root, *root.children(recursive=True)]
            return sum(p.memory_info().rss for p in procs) / 2**20
        except psutil.Error:
            return float("nan")


NAMES = ["Amira Haddad", "Jonas Berg", "Lucia Ferreira", "Tomasz Wrobel", "Grace Okafor",
         "Minister Ruiz", "the harbour authority", "the city council", "union leaders"]
TOPICS = ["the bridge repair", "the water tariff", "the school merger", "the port expansion",
          "the night bus plan", "the flood barrier"]
TEMPLATES = [
    '{a} said {t} would "cost far more than anyone admitted".',
    "{a} told reporters that {t} was on schedule and within budget.",
    "According to {a}, {t} had been delayed by at least {n} weeks.",
    '"We were never consulted," {a} said of {t}.',
    "{a} criticised {b} for announcing {t} without a public vote.",
    "Critics, including {b}, argue that {t} favours a few districts.",
    "{a} and {b} are due to meet on day {n} to discuss {t}.",
    "Residents gathered outside the town hall, where {a} defended {t}.",
]


def write_articles(folder: Path, count: int, seed: int) -> list[Path]:
    """``count`` small made-up news texts (6-9 sentences), new content for every seed."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for k in range(count):
        topic = rng.choice(TOPICS)
        lines = [f"{topic.capitalize()} divides the city ({seed}-{k})", ""]
        for _ in range(rng.randint(6, 9)):
            a, b = rng.sample(NAMES, 2)
            lines.append(rng.choice(TEMPLATES).format(a=a, b=b, t=topic, n=rng.randint(2, 30)))
        path = folder / f"load_{seed}_{k:02d}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


class Importer:
    """``python -m analysis ingest FOLDER --db DB`` in the background; stopped on exit if still
    running (an import killed midway leaves the store as it was: see store.begin_import)."""

    def __init__(self, folder: Path, db: Path, log: Path):
        self.folder, self.db, self.log = folder, db, log
        self.proc: subprocess.Popen | None = None
        self.started = 0.0
        self.ended: float | None = None

    def __enter__(self) -> Importer:
        cmd = [sys.executable, "-m", "analysis", "ingest", str(self.folder), "--db", str(self.db),
               "--outlet", "Load Test Wire"]
        self.started = time.monotonic()
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        return self

    def poll(self) -> None:
        """Note when the import has ended (call it now and then)."""
        if self.ended is None and self.proc.poll() is not None:
            self.ended = time.monotonic()

    @property
    def succeeded(self) -> bool:
        return self.ended is not None and self.proc.returncode == 0

    def status(self) -> str:
        if self.ended is None:
            return "still running at the end of the step (stopped)"
        # The last line is the summary, or the error that ended the import.
        tail = self.log.read_text(errors="replace").strip().splitlines()[-1:] or [""]
        said = tail[0][tail[0].find("error:"):] if "error:" in tail[0] else tail[0]
        outcome = "done" if self.succeeded else f"FAILED (exit {self.proc.returncode})"
        return f"{outcome} after {self.ended - self.started:.0f} s: {said[:110]}"

    def __exit__(self, *exc) -> None:
        self.poll()
        _stop(self.proc, grace_s=10.0)


def build_store(dest: Path) -> None:
    """A store holding the analyzed sample corpus, built the way a user would."""
    subprocess.run([sys.executable, "-m", "analysis", "ingest", str(ROOT / "data" / "sample"),
                    "--db", str(dest)], cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=600)


def filter_links(db: Path) -> list[str]:
    """Query strings of shared links: all articles, each of two outlets, both together."""
    sys.path.insert(0, str(ROOT))
    from analysis import store

    outlets = sorted(store.metrics_frame(db)["outlet"].unique())[:2]
    return ["", *(urllib.parse.urlencode({"outlet": o}) for o in outlets),
            urllib.parse.urlencode([("outlet", o) for o in outlets])]


# --- the websocket client ------------------------------------------------------------------

@dataclass
class PageRun:
    page: str
    seconds: float
    error: str | None = None  # why the run failed; None when the page was drawn
    warnings: list[str] = field(default_factory=list)


def rerun_message(page: str, query: str = "") -> bytes:
    """What a browser tab sends to (re)draw ``page``: a rerun with no widget set yet, from a
    link whose ``query`` string sets the filters (they are read on a session's first run)."""
    msg = BackMsg()
    state = msg.rerun_script
    state.page_name = page
    state.query_string = query
    state.widget_states.SetInParent()
    return msg.SerializeToString()


def classify(msg: ForwardMsg) -> tuple[str | None, str | None]:
    """(error, warning) that one ForwardMsg shows the user, each None when it shows none."""
    kind = msg.WhichOneof("type")
    if kind == "session_event" and msg.session_event.HasField("script_compilation_exception"):
        return f"compilation error: {msg.session_event.script_compilation_exception.message}", None
    if kind == "page_not_found":
        return "page not found", None
    if kind == "delta" and msg.delta.HasField("new_element"):
        element = msg.delta.new_element
        which = element.WhichOneof("type")
        if which == "exception":
            return f"exception: {element.exception.type}: {element.exception.message}", None
        if which == "alert" and element.alert.format == Alert.ERROR:
            return f"error alert: {element.alert.body}", None
        if which == "alert" and element.alert.format == Alert.WARNING:
            return None, element.alert.body
    return None, None


async def run_page(ws, page: str, timeout_s: float, query: str = "") -> PageRun:
    """Rerun ``page`` on an open session and read until the script has finished."""
    start = time.monotonic()
    run = PageRun(page, 0.0)
    try:
        await ws.send(rerun_message(page, query))
        async with asyncio.timeout(timeout_s):
            while True:
                msg = ForwardMsg()
                msg.ParseFromString(await ws.recv())
                error, warning = classify(msg)
                run.error = run.error or (error and f"{error} (page {PAGE_TITLES.get(page, page)})")
                if warning:
                    run.warnings.append(warning)
                if msg.WhichOneof("type") == "script_finished":
                    if msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                        run.error = run.error or "compile error"
                    break
    except TimeoutError:
        run.error = f"timeout: no script_finished within {timeout_s:.0f} s"
    except (OSError, websockets.WebSocketException) as exc:
        run.error = f"websocket: {type(exc).__name__}: {exc}"
    run.seconds = time.monotonic() - start
    return run


async def hold_session(url: str, pages: list[str], *, stop: Callable[[], bool], max_runs: int,
                       timeout_s: float, links: list[str] = ("",), think_s: float = 0.0,
                       rng: random.Random | None = None) -> list[PageRun]:
    """One viewer: rerun ``pages`` in turn, at least once, until ``stop()`` or ``max_runs``.
    With several ``links`` (query strings that set the filters), the viewer opens the next
    link after each round of the pages, as someone following another shared link does;
    ``think_s``: the mean pause before each click (uniform between half and one and a half
    times it), a person reading the page."""
    runs: list[PageRun] = []
    rng = rng or random.Random(0)
    for round_no in range(max_runs):
        query = links[round_no % len(links)]
        try:
            # No client pings (a browser sends none), no message size limit (plotly figures).
            async with websockets.connect(url, subprotocols=["streamlit"], max_size=None,
                                          ping_interval=None, open_timeout=timeout_s) as ws:
                while len(runs) < max_runs and not (runs and stop()):
                    if runs and think_s:
                        await asyncio.sleep(think_s * rng.uniform(0.5, 1.5))
                    run = await run_page(ws, pages[len(runs) % len(pages)], timeout_s, query)
                    runs.append(run)
                    if run.error and run.error.startswith(("websocket", "timeout")):
                        return runs  # the session is unusable
                    if len(links) > 1 and len(runs) % len(pages) == 0:
                        break  # the next link
        except (OSError, TimeoutError, websockets.WebSocketException) as exc:
            runs.append(PageRun("(connect)", 0.0, error=f"websocket: {type(exc).__name__}: {exc}"))
            return runs
        if len(runs) >= max_runs or stop():
            return runs
    return runs


async def hold_sessions(url: str, n: int, *, timeout_s: float, duration_s: float = 0.0,
                        stop: Callable[[], bool] | None = None, max_runs: int = 1000,
                        ramp_s: float = 0.0, pages: tuple[str, ...] = PAGES,
                        links: list[str] = ("",), think_s: float = 0.0) -> list[list[PageRun]]:
    """``n`` concurrent sessions for ``duration_s`` (or until ``stop()``); session k starts
    k*ramp_s/n seconds in and begins at page k and link k, so that the pages and filters
    are mixed at any moment."""
    until = time.monotonic() + duration_s
    stop = stop or (lambda: time.monotonic() >= until)

    async def one(k: int) -> list[PageRun]:
        await asyncio.sleep(k * ramp_s / n)
        order = [pages[(k + i) % len(pages)] for i in range(len(pages))]
        mine = [links[(k + i) % len(links)] for i in range(len(links))]
        return await hold_session(url, order, stop=stop, max_runs=max_runs, timeout_s=timeout_s,
                                  links=mine, think_s=think_s, rng=random.Random(k))

    return await asyncio.gather(*(one(k) for k in range(n)))


# --- the benchmark -------------------------------------------------------------------------

def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


@dataclass
class Step:
    n: int
    runs: list[PageRun]
    rss_before: float
    rss_peak: float
    rss_after: float
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]
    import_status: str
    import_ok: bool
    seconds: float
    server_exit: int | None = None  # set when the server was gone at the end of the step

    @property
    def errors(self) -> list[PageRun]:
        return [r for r in self.runs if r.error]

    @property
    def warnings(self) -> int:
        return sum(bool(r.warnings) for r in self.runs)

    def latencies(self) -> list[float]:
        return [r.seconds for r in self.runs if not r.error]


async def _step(server: Server, importer: Importer | None, n: int, args
                ) -> tuple[list[PageRun], float]:
    """The sessions of one step, sampling the server's RSS every second meanwhile."""
    start, peak = time.monotonic(), server.rss_mb()

    def stop() -> bool:
        # At least --duration, and on until the import has ended (at most --max-duration),
        # so that its final publish, the longest write, happens under load.
        elapsed = time.monotonic() - start
        if importer is None:
            return elapsed >= args.duration
        importer.poll()
        return elapsed >= args.max_duration or (elapsed >= args.duration
                                                and importer.ended is not None)

    task = asyncio.ensure_future(hold_sessions(
        server.url, n, stop=stop, timeout_s=args.timeout, ramp_s=min(5.0, args.duration / 4),
        links=args.links, think_s=args.think))
    while not task.done():
        peak = max(peak, server.rss_mb())
        await asyncio.wait([task], timeout=1.0)
    return [r for runs in task.result() for r in runs], peak


def measure(server: Server, n: int, importer: Importer | None, args) -> Step:
    rss_before, load_before, start = server.rss_mb(), os.getloadavg(), time.monotonic()
    runs, peak = asyncio.run(_step(server, importer, n, args))
    status = importer.status() if importer else ("none (baseline)" if n == 1 else "none")
    rss_after = server.rss_mb()
    step = Step(n, runs, rss_before, max(peak, rss_after), rss_after, load_before,
                os.getloadavg(), status, importer is None or importer.succeeded,
                time.monotonic() - start, server.exit_code())
    print(summary_line(step), flush=True)
    return step


def run_steps(server: Server, db: Path, work: Path, args) -> tuple[Step, list[Step]]:
    """The baseline (one session, no import), then each N of --steps with an import."""
    baseline = measure(server, 1, None, args)
    steps = []
    if baseline.server_exit is not None:
        return baseline, steps
    for i, n in enumerate(args.steps):
        if args.no_import:
            step = measure(server, n, None, args)
        else:
            folder = work / f"import_{n}"
            write_articles(folder, args.articles, seed=1000 + i)
            with Importer(folder, db, work / f"import_{n}.log") as importer:
                importer.poll()
                step = measure(server, n, importer, args)
        steps.append(step)
        if step.server_exit is not None:
            break
        if step.errors and not args.keep_going:
            break  # the largest N is known; spare the shared machine the bigger steps
    return baseline, steps


def summary_line(s: Step) -> str:
    lat = s.latencies()
    return (f"N={s.n:>3}  runs={len(s.runs):>4}  errors={len(s.errors):>3}  "
            f"warned={s.warnings:>3}  median={median(lat):.2f}s "
            f"p95={percentile(lat, 0.95):.2f}s  RSS {s.rss_before:.0f}->{s.rss_after:.0f} MiB "
            f"(peak {s.rss_peak:.0f})  load {s.load_before[0]:.1f}->{s.load_after[0]:.1f}  "
            f"import: {s.import_status}")


def report(baseline: Step, steps: list[Step], rss_start: float, rss_warm: float, args) -> str:
    ok = [s.n for s in steps if not s.errors]
    ok_import = [s.n for s in steps if not s.errors and s.import_ok]
    last = (steps or [baseline])[-1]
    during = ("while `python -m analysis ingest` imports "
              f"{args.articles} generated articles into the same store" if not args.no_import
              else "with no import (the store as it is)")
    how = ("flat out, the next click as soon as a page is drawn" if not args.think else
           f"a pause of {args.think / 2:g}-{args.think * 1.5:g} s (mean {args.think:g} s) before "
           "each click, a person reading the page")
    filters = ("; after each round of the pages a session opens the next of the shared links "
               f"{', '.join(repr('?' + q) for q in args.links)} (filters set from the URL), so "
               "that sessions switch filters" if len(args.links) > 1 else
               "; every session on the unfiltered selection")
    lines = [
        "# Load: concurrent dashboard sessions" + (" during an import" if not args.no_import else ""),
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {os.cpu_count()} cores "
        f"shared with other work (load average in the table; `uptime` at the end: "
        f"{'/'.join(f'{x:.2f}' for x in os.getloadavg())}).",
        f"One `streamlit run dashboard.py` on 127.0.0.1; each step holds N websocket sessions "
        f"for at least {args.duration:.0f} s" + ("" if args.no_import else
        f" and on until the import has ended (at most {args.max_duration:.0f} s") +
        f"; sessions started over the first {min(5.0, args.duration / 4):.0f} s), "
        f"each rerunning {', '.join(PAGE_TITLES[p] for p in PAGES)} in turn ({how}{filters}), "
        f"{during}. A page run fails on an exception element, an error alert, a compilation error, "
        f"a websocket error or no `script_finished` within {args.timeout:.0f} s. Latency = one "
        f"full page run (rerun sent to script_finished), successful runs only. Baseline: one "
        f"session for {args.duration:.0f} s with no import, in the same run.",
        "",
        f"**Largest N held with zero page errors: {max(ok) if ok else 'none'}; "
        f"with zero page errors and the concurrent import completed: "
        f"{max(ok_import) if ok_import else 'none'}** "
        f"(steps tried: {', '.join(str(s.n) for s in steps)}).",
        f"Server RSS: {rss_start:.0f} MiB after start, {rss_warm:.0f} MiB after one warm-up run "
        f"of each page, {last.rss_after:.0f} MiB after the last step "
        f"(growth over the steps: {last.rss_after - rss_warm:+.0f} MiB).",
        "",
        "| N | step s | page runs | errors | runs with warning | median s | p95 s | max s "
        "| RSS before MiB | peak MiB | after MiB | load avg (1 min) before/after | import |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for s in [baseline, *steps]:
        lat = s.latencies()
        lines.append(
            f"| {s.n} | {s.seconds:.0f} | {len(s.runs)} | {len(s.errors)} | {s.warnings} | {median(lat):.2f} | "
            f"{percentile(lat, 0.95):.2f} | {max(lat, default=float('nan')):.2f} | "
            f"{s.rss_before:.0f} | {s.rss_peak:.0f} | {s.rss_after:.0f} | "
            f"{s.load_before[0]:.1f} / {s.load_after[0]:.1f} | {s.import_status} |")
    lines += ["", "Per page, successful runs: median / p95 seconds, baseline (1 session) "
              "vs all steps with N sessions", ""]
    for page in PAGES:
        lat = [r.seconds for s in steps for r in s.runs if r.page == page and not r.error]
        base = [r.seconds for r in baseline.runs if r.page == page and not r.error]
        if lat:
            lines.append(f"- {PAGE_TITLES[page]}: baseline {median(base):.2f}"
                         f" / {percentile(base, 0.95):.2f} ({len(base)} runs); under load "
                         f"{median(lat):.2f} / {percentile(lat, 0.95):.2f} "
                         f"({len(lat)} runs)")
    every = [baseline, *steps]
    dead = [s for s in every if s.server_exit is not None]
    if dead:
        lines[2:2] = [f"**The server process ended (exit {dead[0].server_exit}) during step "
                      f"N={dead[0].n}: that step's figures are void; the run stopped there.**",
                      ""]
    problems = Counter(f"N={s.n}: {r.error[:160]}" for s in every for r in s.errors)
    warnings = Counter(f"N={s.n}: {w[:160]}" for s in every for r in s.runs for w in r.warnings)
    for title, seen in (("Errors", problems), ("Warnings", warnings)):
        lines += ["", f"{title} seen:" if seen else f"{title} seen: none."]
        lines += [f"- {count}x {text}" for text, count in seen.items()]
    options = (" --filters" if len(args.links) > 1 else "") + \
        (f" --think {args.think:g}" if args.think else "") + (" --no-import" if args.no_import else "")
    lines += ["", f"Command: `.venv/bin/python benchmarks/load_sessions.py --steps "
              f"{','.join(map(str, args.steps))} --duration {args.duration:g} "
              f"--max-duration {args.max_duration:g} --timeout {args.timeout:g}{options}`", ""]
    return "\n".join(lines)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=lambda s: [int(x) for x in s.split(",")],
                        default=[5, 10, 20, 30], help="session counts to try, in order")
    parser.add_argument("--duration", type=float, default=45.0,
                        help="seconds per step at least (longer while the import runs)")
    parser.add_argument("--max-duration", type=float, default=240.0,
                        help="seconds per step at most (the import is stopped then)")
    parser.add_argument("--timeout", type=float, default=90.0, help="seconds per page run")
    parser.add_argument("--articles", type=int, default=30, help="articles imported per step")
    parser.add_argument("--keep-going", action="store_true",
                        help="try the larger steps even after a step with errors")
    parser.add_argument("--filters", action="store_true",
                        help="viewers switch filters: after each round of the pages a viewer "
                             "opens the next of several links (all articles, one outlet, two)")
    parser.add_argument("--think", type=float, default=0.0, metavar="S",
                        help="mean pause in seconds before each click (default 0: flat out)")
    parser.add_argument("--no-import", action="store_true",
                        help="no import during the steps (a room looking at a finished store)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="results file")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--server-log", type=Path, help="keep the server's log in this file")
    args = parser.parse_args(argv)
    # SIGTERM ends the run like Ctrl-C does, so the context managers stop both processes.
    signal.signal(signal.SIGTERM, _interrupt)

    with tempfile.TemporaryDirectory(prefix="load_sessions_") as tmp:
        work = Path(tmp)
        db = work / "store.duckdb"
        print("building the sample store ...", flush=True)
        build_store(work / "base.duckdb")
        shutil.copy(work / "base.duckdb", db)
        args.links = filter_links(db) if args.filters else [""]
        with Server(db, work / "server.log") as server:
            rss_start = server.rss_mb()
            warm = asyncio.run(hold_sessions(server.url, 1, stop=lambda: False,
                                             max_runs=len(PAGES), timeout_s=args.timeout))[0]
            print("warm-up:", ", ".join(f"{PAGE_TITLES[r.page]} {r.seconds:.1f}s"
                                        + (f" ERROR {r.error}" if r.error else "") for r in warm))
            rss_warm = server.rss_mb()
            baseline, steps = run_steps(server, db, work, args)
            failures = server.log.read_text(errors="replace").count("page failed")
        if args.server_log:
            shutil.copy(server.log, args.server_log)
        text = report(baseline, steps, rss_start, rss_warm, args)
        if failures:
            text += f"\nThe server log holds {failures} 'page failed' tracebacks.\n"
    print(text)
    if not args.no_write:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
        print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
