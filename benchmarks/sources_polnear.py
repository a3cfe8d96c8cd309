"""Accuracy of the attribution extractor on PolNeAR, next to a "X said / according to X" baseline.

    /work/venv/bin/python benchmarks/sources_polnear.py [--split dev|train] [--limit N] [--cache DIR]

Data: ../shared/data/polnear (or $COVERAGE_LENS_DEVDATA/polnear), first annotator per article.
Develop on train, report dev. Both systems run on the same parsed docs in the same run.

Scores (one-to-one matching between predicted and gold attributions of an article):
* source P/R/F1: gold = attributions with a source span; predicted = attributions with a
  source span. A prediction matches a gold attribution when their source spans overlap and
  their content spans or their cue spans overlap.
* content P/R/F1: gold = attributions with a content span; a prediction matches when its
  content covers at least 30% of the gold content's characters.
* source recall split by the gold content: direct (at least half of it inside quotation
  marks) and indirect (the rest).
Speaker resolution (which actor a pronoun stands for) does not enter these scores: see
benchmarks/speakers_basil.py.
Figures are printed and written to benchmarks/results/sources_polnear.md.
"""
from __future__ import annotations

import argparse
import functools
import importlib.util
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis import actors as actors_mod  # noqa: E402
from analysis import sources  # noqa: E402
from analysis.nlp import get_nlp  # noqa: E402

DATA = Path(os.environ.get("COVERAGE_LENS_DEVDATA", ROOT.parent / "shared" / "data"))
RESULTS = ROOT / "benchmarks" / "results" / "sources_polnear.md"
CONTENT_COVER = 0.30

Span = list[tuple[int, int]]


def load_devdata():
    spec = importlib.util.spec_from_file_location("devdata", DATA / "loaders.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def parsed_docs(texts: list[str], name: str, cache: Path | None):
    """spaCy docs of the texts, from a DocBin cache (``name``_N.spacy in ``cache``) when one
    is given and matches."""
    from spacy.tokens import DocBin

    nlp = get_nlp()
    path = cache / f"{name}_{len(texts)}.spacy" if cache else None
    if path and path.is_file():
        docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
        if [d.text for d in docs] == texts:
            return docs
    docs = list(nlp.pipe(texts, batch_size=32))
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        DocBin(store_user_data=False, docs=docs).to_disk(path)
    return docs


# --- the baseline ------------------------------------------------------------------------

def baseline(doc) -> list[dict]:
    """"X said ..." (subject of "say", content = its clause or the rest of the sentence) and
    "according to X" (content = the rest of the sentence)."""
    out = []
    for tok in doc:
        if tok.lemma_ == "say" and tok.pos_ == "VERB":
            subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            if subj is None:
                continue
            comp = next((c for c in tok.children if c.dep_ == "ccomp"), None)
            content = [comp.left_edge.idx, comp.right_edge.idx + len(comp.right_edge)] if comp \
                else [tok.sent.start_char, tok.sent.end_char]
            out.append({"source": [(subj.left_edge.idx, subj.right_edge.idx + len(subj.right_edge))],
                        "cue": [(tok.idx, tok.idx + len(tok))], "content": [tuple(content)]})
        elif tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            to = doc[tok.i + 1]
            pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
            if pobj is None:
                continue
            sent = tok.sent
            out.append({"source": [(pobj.left_edge.idx, pobj.right_edge.idx + len(pobj.right_edge))],
                        "cue": [(tok.idx, to.idx + len(to))],
                        "content": [(sent.start_char, sent.end_char)]})
    return out


def system(doc) -> list[dict]:
    actors = actors_mod.extract_actors(doc)
    spans = lambda s, e: [(s, e)] if s is not None and e is not None else []  # noqa: E731
    return [{"source": spans(a.source_start, a.source_end), "cue": spans(a.cue_start, a.cue_end),
             "content": spans(a.content_start, a.content_end), "kind": a.kind}
            for a in sources.extract_attributions(doc, actors)]


# --- scoring -----------------------------------------------------------------------------

def _overlap(a: Span, b: Span) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def _match(n_pred: int, n_gold: int, ok) -> int:
    """Size of a maximum one-to-one matching (Kuhn's augmenting paths)."""
    owner: dict[int, int] = {}
    edges = [[g for g in range(n_gold) if ok(p, g)] for p in range(n_pred)]

    def augment(p, seen):
        for g in edges[p]:
            if g in seen:
                continue
            seen.add(g)
            if g not in owner or augment(owner[g], seen):
                owner[g] = p
                return True
        return False

    return sum(augment(p, set()) for p in range(n_pred))


@functools.lru_cache(maxsize=4)
def _quoted(text: str) -> list[tuple[int, int]]:
    return [(q.start, q.end) for q in sources.find_quotes(text) if not q.scare]


def _direct(text: str, gold: dict) -> bool:
    quoted = _quoted(text)
    size = sum(e - s for s, e in gold["content"])
    return bool(size) and _overlap(gold["content"], quoted) >= 0.5 * size


def score_article(pred: list[dict], gold: list[dict], text: str = "") -> dict:
    ps = [p for p in pred if p["source"]]
    gs = [g for g in gold if g["source"]]
    source_ok = lambda i, j: (_overlap(ps[i]["source"], gs[j]["source"]) > 0 and  # noqa: E731
                              (_overlap(ps[i]["content"], gs[j]["content"]) > 0
                               or _overlap(ps[i]["cue"], gs[j]["cue"]) > 0))
    pc = [p for p in pred if p["content"]]
    gc = [g for g in gold if g["content"]]
    glen = [sum(e - s for s, e in g["content"]) for g in gc]
    content_ok = lambda i, j: _overlap(pc[i]["content"], gc[j]["content"]) >= CONTENT_COVER * glen[j]  # noqa: E731
    out = {"source": (_match(len(ps), len(gs), source_ok), len(ps), len(gs)),
           "content": (_match(len(pc), len(gc), content_ok), len(pc), len(gc))}
    if text:
        for label, want in (("direct", True), ("indirect", False)):
            keep = [j for j, g in enumerate(gs) if _direct(text, g) == want]
            ok = lambda i, j, keep=keep: source_ok(i, keep[j])  # noqa: E731
            out[label] = (_match(len(ps), len(keep), ok), len(ps), len(keep))
    return out


def prf(hit: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = hit / n_pred if n_pred else 0.0
    r = hit / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def evaluate(split: str, limit: int | None, cache: Path | None) -> dict:
    devdata = load_devdata()
    articles = devdata.load_polnear(split)[:limit]
    t0 = time.perf_counter()
    docs = parsed_docs([a["text"] for a in articles], f"polnear_{split}", cache)
    parse_s = time.perf_counter() - t0
    runs = (("system", system), ("baseline", baseline))
    totals = {name: {k: [0, 0, 0] for k in ("source", "content", "direct", "indirect")} for name, _ in runs}
    t0 = time.perf_counter()
    for art, doc in zip(articles, docs):
        gold = art["attributions"]
        for name, run in runs:
            scores = score_article(run(doc), gold, art["text"])
            for key, triple in scores.items():
                for i, v in enumerate(triple):
                    totals[name][key][i] += v
    return {"split": split, "articles": len(articles), "parse_s": parse_s,
            "extract_s": time.perf_counter() - t0, "totals": totals}


def report(res: dict) -> str:
    lines = [f"# Sources cited on PolNeAR ({res['split']})", "",
             f"{res['articles']} articles, first annotator; one-to-one matching. Source match: source "
             f"spans overlap and content or cue spans overlap. Content match: predicted content covers "
             f">= {int(CONTENT_COVER * 100)}% of the gold content.", "",
             "| system | source P | source R | source F1 | content P | content R | content F1 | "
             "R direct | R indirect | predicted | gold (with source) |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, label in (("system", "Coverage Lens (analysis/sources.py)"),
                        ("baseline", 'baseline: "X said" / "according to X"')):
        t = res["totals"][name]
        sp, sr, sf = prf(*t["source"])
        cp, cr, cf = prf(*t["content"])
        rd, ri = prf(*t["direct"])[1], prf(*t["indirect"])[1]
        lines.append(f"| {label} | {sp:.3f} | {sr:.3f} | **{sf:.3f}** | {cp:.3f} | {cr:.3f} | {cf:.3f} | "
                     f"{rd:.3f} | {ri:.3f} | {t['source'][1]} | {t['source'][2]} |")
    gold = res["totals"]["system"]
    lines += ["", f"Gold attributions with a source: {gold['direct'][2]} direct, {gold['indirect'][2]} indirect."]
    lines += ["", f"Parsing {res['parse_s']:.0f} s, extraction (both systems) {res['extract_s']:.0f} s."]
    return "\n".join(lines) + "\n"


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="dev", choices=("dev", "train"))
    ap.add_argument("--limit", type=int, default=None, help="first N articles only")
    ap.add_argument("--cache", type=Path, default=None, help="directory for parsed docs (DocBin)")
    ap.add_argument("--no-write", action="store_true", help="print only")
    args = ap.parse_args(argv)
    if not (DATA / "polnear").is_dir():
        sys.exit(f"PolNeAR not found under {DATA}; set COVERAGE_LENS_DEVDATA")
    text = report(evaluate(args.split, args.limit, args.cache))
    print(text)
    if not args.no_write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
