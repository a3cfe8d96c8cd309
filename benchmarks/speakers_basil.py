"""Who said it: the speakers of BASIL's quotes (dev half), as the project credits them.

    .venv/bin/python benchmarks/speakers_basil.py [--limit N] [--no-write]

Data: ../shared/data/basil_dev (or $COVERAGE_LENS_DEVDATA/basil_dev): 150 articles of Fox
News, The New York Times and HuffPost, 377 quoted phrases with their speaker. BASIL marks
quotes only on biased spans, so they are a sample of each article's quotes.

A quote is *found* when an attribution's content overlaps the phrase (the largest overlap
wins). For a quote found:
* a named gold speaker ("Donald_Trump", "Obama_campaign") is *right* when one of the
  attribution's actors (or, with no actor, its source text) matches it by normalized name:
  the same words, the gold words all in ours, or the same surname ("Trump" for
  "Donald_Trump"; a truncated gold name like "Felipe_Calder" matches by prefix);
* an unnamed gold speaker ("other_anti", "other_pro", "other_neutral") is scored apart: right
  when our source is not a named person.
Rows: the project (pronoun and role-noun speakers by analysis/coref.py when its weights are
installed) and the same with the rule-based resolution only, on the same parsed docs.
Every remaining error of the first row is listed (phrase start, our speaker, gold speaker;
no article text beyond the speaker names). Written to benchmarks/results/speakers_basil.md.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis import actors as actors_mod  # noqa: E402
from analysis import sources  # noqa: E402
from analysis.nlp import get_nlp  # noqa: E402

DATA = Path(os.environ.get("COVERAGE_LENS_DEVDATA", ROOT.parent / "shared" / "data"))
RESULTS = ROOT / "benchmarks" / "results" / "speakers_basil.md"


def load_devdata():
    import importlib.util

    spec = importlib.util.spec_from_file_location("devdata", DATA / "loaders.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def words(name: str) -> list[str]:
    """Lower-case ASCII words of a name ("Donald_Trump" -> ["donald", "trump"])."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return [w for w in re.split(r"[\s_.'’-]+", plain) if w and w not in ("the", "mr", "mrs", "ms")]


def same_speaker(gold: str, ours: str) -> bool:
    g, o = words(gold), words(ours)
    if not g or not o:
        return False
    return g == o or set(g) <= set(o) or g[-1] == o[-1] or (len(g[-1]) >= 4 and o[-1].startswith(g[-1]))


def credited(att) -> list[str]:
    """The names an attribution credits: its actors, else its source text."""
    return list(att.actors) or ([att.actor] if att.actor else []) or ([att.source] if att.source else [])


def judge(phrase: dict, attributions: list) -> tuple[str, object]:
    """("missed" | "right" | "wrong", the attribution that holds the phrase)."""
    start, end = phrase["start"], phrase["end"]
    overlap = lambda a: min(end, a.content_end) - max(start, a.content_start)  # noqa: E731
    hits = [a for a in attributions if a.content_start is not None and overlap(a) > 0]
    if not hits:
        return "missed", None
    att = max(hits, key=overlap)
    gold = phrase["speaker"]
    if gold.startswith("other_"):
        return ("right" if att.source_type != "named_person" else "wrong"), att
    return ("right" if any(same_speaker(gold, n) for n in credited(att)) else "wrong"), att


def evaluate(limit: int | None) -> dict:
    devdata = load_devdata()
    articles = [a for a in devdata.load_basil_dev()[:limit]]
    nlp = get_nlp()
    t0 = time.perf_counter()
    docs = list(nlp.pipe([a["text"] for a in articles], batch_size=16))
    parse_s = time.perf_counter() - t0
    rows = {"system": [], "rules": []}
    for art, doc in zip(articles, docs):
        actors = actors_mod.extract_actors(doc, title=art.get("title"))
        for name, use_coref in (("system", True), ("rules", False)):
            sources.USE_COREF = use_coref
            try:
                found = sources.extract_attributions(doc, actors)
            finally:
                sources.USE_COREF = True
            for p in art["phrases"]:
                if p.get("quote") != "yes" or not p.get("speaker") or p.get("start") is None:
                    continue
                verdict, att = judge(p, found)
                rows[name].append({"article": art["id"], "outlet": art["outlet"], "start": p["start"],
                                   "gold": p["speaker"], "verdict": verdict,
                                   "ours": ", ".join(credited(att)) if att is not None else "",
                                   "type": att.source_type if att is not None else "",
                                   "via": att.resolved_by if att is not None else ""})
    return {"articles": len(articles), "parse_s": parse_s, "rows": rows}


def _share(k: int, n: int) -> str:
    return f"{k / n:.3f} ({k}/{n})" if n else "-"


def report(res: dict) -> str:
    lines = ["# Who said it: BASIL quotes (dev half)", "",
             f"{res['articles']} articles; quoted phrases with a speaker. A quote is found when an "
             "attribution's content overlaps it; named speakers are matched by normalized name or "
             "surname; unnamed ('other_*') speakers are right when our source is not a named person.", "",
             "| resolution | quotes found | named speaker right | unnamed speaker right | all right |",
             "|---|---|---|---|---|"]
    for name, label in (("system", "project (coref model when installed)"), ("rules", "rule-based only")):
        rows = res["rows"][name]
        found = [r for r in rows if r["verdict"] != "missed"]
        named = [r for r in found if not r["gold"].startswith("other_")]
        other = [r for r in found if r["gold"].startswith("other_")]
        right = lambda rs: sum(r["verdict"] == "right" for r in rs)  # noqa: E731
        lines.append(f"| {label} | {_share(len(found), len(rows))} | {_share(right(named), len(named))} | "
                     f"{_share(right(other), len(other))} | {_share(right(found), len(found))} |")
    errors = [r for r in res["rows"]["system"] if r["verdict"] == "wrong"]
    lines += ["", f"Parsing {res['parse_s']:.0f} s.", "",
              f"## Remaining errors of the project ({len(errors)})", "",
              "| article | outlet | phrase start | our speaker | our type | resolved by | gold speaker |",
              "|---|---|---|---|---|---|---|"]
    for r in sorted(errors, key=lambda r: (r["article"], r["start"])):
        lines.append(f"| {r['article']} | {r['outlet']} | {r['start']} | {r['ours'] or '-'} | {r['type']} | "
                     f"{r['via']} | {r['gold']} |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="first N articles only")
    ap.add_argument("--no-write", action="store_true", help="print only")
    args = ap.parse_args(argv)
    if not (DATA / "basil_dev").is_dir():
        sys.exit(f"BASIL not found under {DATA}; set COVERAGE_LENS_DEVDATA")
    text = report(evaluate(args.limit))
    print(text)
    if not args.no_write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
