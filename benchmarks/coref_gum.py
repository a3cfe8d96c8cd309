"""Pronoun and role-noun coreference (analysis/coref.py) measured on GUM dev, all genres.

Each GUM document's text is parsed with the project's spaCy model; the actors are
``extract_actors``'s, and their name mentions are aligned to GUM mentions by character
offsets (the smallest GUM mention containing the name). The anaphors are those
``coref.find_anaphors`` finds (pronouns, subject "who", definite role nouns), each aligned
to the GUM mention with its span (a role noun: starting where it starts and covering it).

A link "anaphor -> actor" is correct when the actor's latest name mention before the
anaphor is in the anaphor's GUM chain. Precision: correct links / links made. Recall:
correct links / anaphors whose GUM chain holds a name mention of some actor before them.

Compared in the same run, on the same anaphors:
- baseline: the actor of the nearest preceding name mention whose type agrees with the
  anaphor (he/she: person, with no gender clash from a title or first name; it: an
  organisation, country or place; they: an organisation, group or country; a role noun:
  a person for an office, an organisation for "the agency"...), within the same window;
  agreement rules only, no learning;
- for role nouns, the current rule of ``actors._resolve_role_nouns`` (the role-noun
  mentions ``extract_actors`` adds to an actor).

    .venv/bin/python benchmarks/coref_gum.py [--partition dev]
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import time
from bisect import bisect_left
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis import actors as actors_mod, coref  # noqa: E402
from analysis.nlp import get_nlp, model_name  # noqa: E402

DATA = Path(os.environ.get("COVERAGE_LENS_DEVDATA", ROOT.parent / "shared" / "data"))
RESULTS = ROOT / "benchmarks" / "results" / "coref_gum.md"
CACHE = Path(os.environ.get("COVERAGE_LENS_CACHE", "/tmp/coverage_lens_coref_cache"))


def load_devdata():
    spec = importlib.util.spec_from_file_location("devdata", DATA / "loaders.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def parsed_gum(partition: str) -> list[tuple[dict, object]]:
    """(GUM document, spaCy doc) of every document of ``partition``, all genres; the parses
    are cached outside the repository (they are the same for every run of one model)."""
    from spacy.tokens import DocBin

    nlp = get_nlp()
    docs = load_devdata().load_gum(partition)
    path = CACHE / f"gum_{partition}_{model_name()}.spacy"
    if path.is_file():
        parsed = list(DocBin().from_disk(path).get_docs(nlp.vocab))
        if [d.text for d in parsed] == [g["text"] for g in docs]:
            return list(zip(docs, parsed))
    parsed = list(nlp.pipe((g["text"] for g in docs), batch_size=8))
    CACHE.mkdir(parents=True, exist_ok=True)
    DocBin(store_user_data=False, docs=parsed).to_disk(path)
    return list(zip(docs, parsed))


class Gold:
    """GUM chains of one document, seen through our actors and anaphors."""

    def __init__(self, gum: dict, doc, actors: list):
        self.mentions = sorted(gum["mentions"], key=lambda m: (m["start"], m["end"]))
        view = coref._view(doc)
        # actor index -> sorted (head token of a name mention, its GUM chain)
        self.names: dict[int, list[tuple[int, str]]] = {}
        for n, a in enumerate(actors):
            rows = []
            for m in a.mentions:
                if coref.is_role_mention(view.text, m):
                    continue
                eid = self._chain_of(m.start, m.end)
                if eid is not None:
                    rows.append((coref._token_at(view, max(m.start, m.end - 1)), m.start, eid))
            self.names[n] = sorted(rows)

    def _chain_of(self, start: int, end: int) -> str | None:
        """The chain of the smallest GUM mention containing the span, else of the one
        overlapping it most."""
        inside = [m for m in self.mentions if m["start"] <= start and end <= m["end"]]
        if inside:
            return min(inside, key=lambda m: m["end"] - m["start"])["eid"]
        over = [(min(end, m["end"]) - max(start, m["start"]), m) for m in self.mentions
                if m["start"] < end and start < m["end"]]
        return max(over, key=lambda x: x[0])[1]["eid"] if over else None

    def anaphor_chain(self, a: coref.Anaphor) -> str | None:
        """The GUM chain of the anaphor, None when GUM marks no mention there (expletive
        "it", a generic "they")."""
        if a.office is None:
            hits = [m for m in self.mentions if m["start"] == a.start and m["end"] == a.end]
        else:
            hits = [m for m in self.mentions if a.start <= m["start"] <= a.start + 4
                    and m["end"] >= a.end]
        return min(hits, key=lambda m: m["end"] - m["start"])["eid"] if hits else None

    def nearest_name(self, index: int, a: coref.Anaphor) -> tuple[int, str] | None:
        rows = self.names.get(index, [])
        k = bisect_left(rows, (a.first, -1, "")) - 1
        while k >= 0 and rows[k][1] >= a.start:
            k -= 1
        return (rows[k][0], rows[k][2]) if k >= 0 else None

    def correct(self, index: int, a: coref.Anaphor, chain: str | None) -> bool:
        """The actor's latest name mention before the anaphor is in its chain (or, for a
        name in brackets or apposition right after a role noun, that name is)."""
        near = self.nearest_name(index, a)
        if near is None:
            near = next(((t, eid) for t, start, eid in self.names.get(index, [])
                         if a.end <= start <= a.end + 4), None)
        return chain is not None and near is not None and near[1] == chain

    def resolvable(self, a: coref.Anaphor, chain: str | None) -> bool:
        """Some actor has a name mention in the anaphor's chain before it."""
        return chain is not None and any(
            eid == chain and start < a.start for rows in self.names.values()
            for _, start, eid in rows)


def baseline_choice(gold_view):
    """Nearest preceding compatible name mention (agreement rules only)."""
    def choose(a, pool, rows):
        col = coref._COLUMNS
        best = None
        for k, c in enumerate(pool):
            if c.type not in coref.COMPATIBLE[a.cls]:
                continue
            if rows[k, col["gender_name_clash"]] or rows[k, col["gender_title_clash"]]:
                continue
            near = coref._last_named(c, a.first)
            if near is not None and (best is None or near > best[0]):
                best = (near, k)
        return best[1] if best else None
    return choose


class Tally:
    def __init__(self):
        self.made = Counter()
        self.right = Counter()

    def add(self, group: str, made: bool, right: bool) -> None:
        self.made[group] += made
        self.right[group] += made and right


def evaluate(parsed, model: dict) -> dict:
    systems = {"model": Tally(), "baseline": Tally(), "rule": Tally()}
    need = Counter()
    anaphors = Counter()
    per_class = defaultdict(lambda: [0, 0, 0])  # made, right, resolvable
    timing = 0.0
    for gum, doc in parsed:
        for key in list(doc.user_data):
            if str(key).startswith("coverage_lens."):
                del doc.user_data[key]
        acts = actors_mod.extract_actors(doc)
        gold = Gold(gum, doc, acts)
        t0 = time.perf_counter()
        decided = coref._decide(doc, acts, coref._model_choice(model), coref.UNSCORED)
        timing += time.perf_counter() - t0
        base = coref._decide(doc, acts, baseline_choice(gold))
        rule = {}  # the role nouns the actor rule tied (references, before the model's)
        for n, a in enumerate(acts):
            for m in [*a.mentions, *a.references]:
                if coref.is_role_mention(gold_text(doc), m):
                    rule[m.start] = n
        for (a, index), (_, b_index) in zip(decided, base):
            chain = gold.anaphor_chain(a)
            group = a.group
            anaphors[group] += 1
            ok = gold.resolvable(a, chain)
            need[group] += ok
            systems["model"].add(group, index is not None,
                                 index is not None and gold.correct(index, a, chain))
            systems["baseline"].add(group, b_index is not None,
                                    b_index is not None and gold.correct(b_index, a, chain))
            if group == "role":
                r = rule.get(a.start)
                systems["rule"].add(group, r is not None,
                                    r is not None and gold.correct(r, a, chain))
            row = per_class[a.cls]
            row[0] += index is not None
            row[1] += index is not None and gold.correct(index, a, chain)
            row[2] += ok
    return {"systems": systems, "need": need, "anaphors": anaphors, "per_class": per_class,
            "seconds": timing}


def gold_text(doc) -> str:
    return coref.text_of(doc)


def pr(t: Tally, need: Counter, group: str) -> tuple[float, float, int, int]:
    made, right = t.made[group], t.right[group]
    return (right / made if made else 0.0, right / need[group] if need[group] else 0.0,
            made, right)


def write(result: dict, n_docs: int, partition: str, seconds: float) -> str:
    s, need = result["systems"], result["need"]
    model = coref._model()
    thresholds = ", ".join(f"{g} {m['threshold']}" for g, m in model["groups"].items())
    lines = [f"# Pronoun and role-noun coreference on GUM {partition}", "",
             f"{n_docs} documents, all genres; model {model_name()}; "
             f"thresholds {thresholds}; {seconds:.0f} s in all.",
             "A link is correct when the chosen actor's latest name mention before the "
             "anaphor is in the anaphor's GUM chain; recall is over the anaphors whose GUM "
             "chain has a name mention of an actor before them.", "",
             "| anaphors | system | precision | recall | links made | correct | resolvable |",
             "|---|---|---|---|---|---|---|"]
    for group, label in (("pronoun", "pronouns (he/she/it/they)"),
                         ("role", "role nouns (the president, the agency)")):
        names = [("model", "coref model"), ("baseline", "baseline: nearest compatible name")]
        if group == "role":
            names.append(("rule", "current rule (actors._resolve_role_nouns)"))
        for key, name in names:
            p, r, made, right = pr(s[key], need, group)
            lines.append(f"| {label} ({result['anaphors'][group]} found) | {name} | {p:.3f} | "
                         f"{r:.3f} | {made} | {right} | {need[group]} |")
    lines += ["", "Model by anaphor class:", "",
              "| class | links made | correct | precision | resolvable | recall |",
              "|---|---|---|---|---|---|"]
    for cls in coref.CLASSES:
        made, right, ok = result["per_class"].get(cls, [0, 0, 0])
        lines.append(f"| {cls} | {made} | {right} | {right / made if made else 0:.3f} | {ok} | "
                     f"{right / ok if ok else 0:.3f} |")
    lines += ["", f"Time of the coreference decisions alone: {result['seconds']:.2f} s "
              f"for the {n_docs} documents.", ""]
    return "\n".join(lines)


def speed(n: int = 100) -> str:
    """Cost of ``coref.resolve`` next to the bare spaCy pass, on ``n`` PolNeAR texts (dev,
    then train), in the same run: the pass, then the actors (not coref's cost), then coref."""
    devdata = load_devdata()
    texts = [a["text"] for a in devdata.load_polnear("dev")]
    texts += [a["text"] for a in devdata.load_polnear("train")][:max(0, n - len(texts))]
    texts = texts[:n]
    nlp = get_nlp()
    list(nlp.pipe(texts[:5]))  # warm-up
    t0 = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=32))
    parse = time.perf_counter() - t0
    found = [actors_mod.extract_actors(doc) for doc in docs]
    t0 = time.perf_counter()
    links = sum(len(ms) for doc, acts in zip(docs, found) for ms in coref.resolve(doc, acts).values())
    cost = time.perf_counter() - t0
    words = sum(len(doc) for doc in docs)
    return (f"Speed on {len(texts)} PolNeAR texts ({words:,} tokens), same run: spaCy pass "
            f"(nlp.pipe) {parse:.2f} s, coref.resolve {cost:.3f} s = {100 * cost / parse:.1f} % "
            f"of the pass ({links} links).")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--partition", default="dev")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    model = coref._model()
    if model is None:
        sys.exit(f"{coref.MODEL_FILE}: missing or out of date; run scripts/train_coref.py")
    parsed = parsed_gum(args.partition)
    result = evaluate(parsed, model)
    report = write(result, len(parsed), args.partition, time.perf_counter() - t0)
    report += "\n" + speed() + "\n"
    print(report)
    if not args.no_write:
        RESULTS.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
