"""Who said it: the speakers of BASIL's quotes (dev half), as the project credits them.

    .venv/bin/python benchmarks/speakers_basil.py [--limit N] [--no-write]

Data: ../shared/data/basil_dev (or $COVERAGE_LENS_DEVDATA/basil_dev): 150 articles of Fox
News, The New York Times and HuffPost, 377 quoted phrases with their speaker. BASIL marks
quotes only on biased spans, so they are a sample of each article's quotes.

A quote is *found* when an attribution's content overlaps the phrase (the largest overlap
wins). A found quote whose gold speaker is named ("Donald_Trump", "Obama_campaign") is
* *right* when one of the attribution's actors (or, with no actor, its source text) matches
  it by normalized name: the same words, the gold words all in ours, or the same surname
  ("Trump" for "Donald_Trump"; a truncated gold name like "Felipe_Calder" matches by prefix);
* *no name* when our source names nobody (an unresolved pronoun, "officials", "critics");
* *wrong* otherwise: another name.
BASIL's "other_anti" / "other_pro" / "other_neutral" speakers are anyone outside the
article's main entities, named or not ("other_anti" may be a named senator), so their
speaker cannot be checked by name: only whether they are found is reported.
Rows: pronoun and role-noun speakers resolved by the rules of analysis/sources.py (the
default) and by analysis/coref.py (``sources.USE_COREF``), on the same parsed docs.
Every remaining error ("wrong" and "no name") of both rows is listed (phrase start, our speaker, gold speaker;
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
from benchmarks.sources_polnear import load_devdata, parsed_docs  # noqa: E402

DATA = Path(os.environ.get("COVERAGE_LENS_DEVDATA", ROOT.parent / "shared" / "data"))
RESULTS = ROOT / "benchmarks" / "results" / "speakers_basil.md"


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


NAMED = ("named_person", "named_organization", "media")
GROUP_WORDS = {"campaign", "officials", "democrats", "republicans", "party", "administration",
               "protestors", "protesters", "supporters", "critics", "leaders", "members"}


def is_person(gold: str) -> bool:
    """Whether a BASIL speaker id names one person ("Donald_Trump", "Trump"), not a group
    ("Romney_campaign", "Senate_Republicans", "NAACP", "Catholics")."""
    parts = gold.split("_")
    if any(p.lower() in GROUP_WORDS for p in parts) or not all(p[:1].isupper() for p in parts):
        return False
    return not (len(parts) == 1 and (gold.isupper() or gold.endswith("s")))


def judge(phrase: dict, attributions: list) -> tuple[str, object]:
    """("missed" | "right" | "no name" | "wrong" | "other", the attribution that holds the
    phrase); "other" for a found quote of an "other_*" speaker."""

    start, end = phrase["start"], phrase["end"]
    overlap = lambda a: min(end, a.content_end) - max(start, a.content_start)  # noqa: E731
    hits = [a for a in attributions if a.content_start is not None and overlap(a) > 0]
    if not hits:
        return "missed", None
    att = max(hits, key=overlap)
    gold = phrase["speaker"]
    if gold.startswith("other_"):
        return "other", att
    if any(same_speaker(gold, n) for n in credited(att)):
        return "right", att
    return ("wrong" if att.source_type in NAMED else "no name"), att


def evaluate(limit: int | None, cache: Path | None = None) -> dict:
    devdata = load_devdata()
    articles = [a for a in devdata.load_basil_dev()[:limit]]
    t0 = time.perf_counter()
    docs = parsed_docs([a["text"] for a in articles], "basil_dev", cache)
    parse_s = time.perf_counter() - t0
    rows = {"rules": [], "coref": []}
    default = sources.USE_COREF
    for art, doc in zip(articles, docs):
        actors = actors_mod.extract_actors(doc, title=art.get("title"))
        for name, use_coref in (("rules", False), ("coref", True)):
            sources.USE_COREF = use_coref
            try:
                found = sources.extract_attributions(doc, actors)
            finally:
                sources.USE_COREF = default
            for p in art["phrases"]:
                if p.get("quote") != "yes" or not p.get("speaker") or p.get("start") is None:
                    continue
                verdict, att = judge(p, found)
                rows[name].append({"article": art["id"], "outlet": art["outlet"], "start": p["start"],
                                   "gold": p["speaker"], "verdict": verdict,
                                   # actor names only: no other article text goes into the results
                                   "ours": ", ".join(att.actors or ([att.actor] if att.actor else []))
                                           if att is not None else "",
                                   "type": att.source_type if att is not None else "",
                                   "via": att.resolved_by if att is not None else ""})
    return {"articles": len(articles), "parse_s": parse_s, "rows": rows}


def _share(k: int, n: int) -> str:
    return f"{k / n:.3f} ({k}/{n})" if n else "-"


def report(res: dict) -> str:
    lines = ["# Who said it: BASIL quotes (dev half)", "",
             f"{res['articles']} articles, {len(res['rows']['rules'])} quoted phrases with a speaker. A quote "
             "is found when an attribution's content overlaps it. For the found quotes of a named gold "
             "speaker: right (matched by normalized name or surname), no name (our source names nobody: "
             "an unresolved pronoun, 'officials'), wrong (another name). BASIL's 'other_*' speakers "
             "(anyone outside the main entities, named or not) are only counted as found.", "",
             "| resolution | gold speakers | quotes found | right | no name | wrong | "
             "right among the names we give |",
             "|---|---|---|---|---|---|---|"]
    for name, label in (("rules", "rules (analysis/sources.py, the default)"),
                        ("coref", "analysis/coref.py for pronouns and role nouns")):
        rows = res["rows"][name]
        for group, keep in (("named persons", lambda g: is_person(g)),
                            ("named groups", lambda g: not g.startswith("other_") and not is_person(g)),
                            ("other_* (found only)", lambda g: g.startswith("other_"))):
            part = [r for r in rows if keep(r["gold"])]
            found = [r for r in part if r["verdict"] != "missed"]
            count = lambda v: sum(r["verdict"] == v for r in found)  # noqa: E731,B023
            scored = group != "other_* (found only)"
            cells = [_share(count(v), len(found)) if scored else "-" for v in ("right", "no name", "wrong")]
            named = _share(count("right"), count("right") + count("wrong")) if scored else "-"
            lines.append(f"| {label} | {group} | {_share(len(found), len(part))} | {' | '.join(cells)} | {named} |")
    sources.USE_COREF, default = True, sources.USE_COREF
    installed = sources._coref() is not None
    sources.USE_COREF = default
    lines += ["", f"analysis/coref.py weights installed in this run: {'yes' if installed else 'no'} "
              "(without them both rows are the rules).", f"Parsing {res['parse_s']:.0f} s."]
    for name, label in (("rules", "the rules"), ("coref", "analysis/coref.py")):
        errors = [r for r in res["rows"][name] if r["verdict"] in ("wrong", "no name")]
        lines += ["", f"## Remaining errors of {label} ({len(errors)})", "",
                  "| article | outlet | phrase start | our speaker (actor) | our type | resolved by | gold speaker |",
                  "|---|---|---|---|---|---|---|"]
        for r in sorted(errors, key=lambda r: (r["article"], r["start"])):
            lines.append(f"| {r['article']} | {r['outlet']} | {r['start']} | {r['ours'] or '-'} | {r['type']} | "
                         f"{r['via']} | {r['gold']} |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="first N articles only")
    ap.add_argument("--cache", type=Path, default=None, help="directory for parsed docs (DocBin)")
    ap.add_argument("--no-write", action="store_true", help="print only")
    args = ap.parse_args(argv)
    if not (DATA / "basil_dev").is_dir():
        sys.exit(f"BASIL not found under {DATA}; set COVERAGE_LENS_DEVDATA")
    text = report(evaluate(args.limit, args.cache))
    print(text)
    if not args.no_write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
