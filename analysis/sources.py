"""Sources cited: who is quoted or paraphrased, and what kind of source they are."""
from __future__ import annotations

import re

from .model import Actor, Attribution

REPORTING_VERBS = {
    "say", "tell", "state", "stress", "warn", "emphasize", "emphasise", "acknowledge", "note",
    "argue", "claim", "insist", "confirm", "announce", "deny", "urge", "express", "add",
    "explain", "report", "reveal", "suggest", "demand", "assert", "declare", "write",
}
ANONYMOUS = {"official", "officials", "source", "sources", "aide", "aides", "spokesperson",
             "insider", "insiders", "diplomat", "diplomats"}
VAGUE = {"critic", "critics", "expert", "experts", "some", "many", "others", "observers",
         "analysts", "people", "reports", "supporters"}
PRONOUNS = {"he", "she", "they", "i", "we", "him", "her"}
_QUOTE = re.compile(r"[\"“]([^\"“”]{1,2000}?)[\"”]")


def _source_type(span, actors_by_offset) -> tuple[str, str | None]:
    head = span.root
    actor = actors_by_offset.get(head.idx)
    if head.ent_type_ == "PERSON":
        return "named_person", actor
    if head.ent_type_ in ("ORG", "GPE", "NORP"):
        return "named_organization", actor
    word = head.lower_
    if word in ANONYMOUS:
        return "anonymous", None
    if word in VAGUE:
        return "vague", None
    return "unresolved", None


def _actor_index(actors: list[Actor]) -> dict[int, str]:
    index: dict[int, str] = {}
    for a in actors:
        for m in a.mentions:
            index[m.start] = a.name
    return index


def _last_person_before(actors: list[Actor], offset: int) -> str | None:
    best, best_at = None, -1
    for a in actors:
        if a.type != "person":
            continue
        for m in a.mentions:
            if best_at < m.start < offset:
                best, best_at = a.name, m.start
    return best


def extract_attributions(doc, actors: list[Actor]) -> list[Attribution]:
    """Reporting-verb attributions (with their quote when the content is quoted) and
    "according to X"; quoted spans of three words or fewer are scare quotes, not quotes."""
    text = doc.text
    by_offset = _actor_index(actors)
    quotes = [(m.start(1), m.end(1)) for m in _QUOTE.finditer(text) if len(m.group(1).split()) > 3]
    out: list[Attribution] = []
    for tok in doc:
        if tok.lemma_ in REPORTING_VERBS and tok.pos_ == "VERB":
            subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is None:
                continue
            src = doc[subj.left_edge.i: subj.right_edge.i + 1]
            sent = tok.sent
            quote = next(((s, e) for s, e in quotes if sent.start_char - 2 <= s < sent.end_char), None)
            comp = next((c for c in tok.children if c.dep_ in ("ccomp", "xcomp", "dobj")), None)
            if quote:
                c_start, c_end, kind = quote[0], quote[1], "direct"
            elif comp is not None:
                c_start, c_end, kind = comp.left_edge.idx, comp.right_edge.idx + len(comp.right_edge), "indirect"
            else:
                continue
            stype, actor = _source_type(src, by_offset)
            if subj.lower_ in PRONOUNS:
                actor = _last_person_before(actors, src.start_char)
                stype = "named_person" if actor else "unresolved"
            out.append(Attribution(src.text, src.start_char, src.end_char, tok.text, tok.idx,
                                   tok.idx + len(tok), text[c_start:c_end], c_start, c_end,
                                   kind, stype, actor))
        elif tok.lower_ == "according" and tok.i + 2 < len(doc) and doc[tok.i + 1].lower_ == "to":
            obj = doc[tok.i + 1]
            pobj = next((c for c in obj.children if c.dep_ == "pobj"), None)
            if pobj is None:
                continue
            src = doc[pobj.left_edge.i: pobj.right_edge.i + 1]
            sent = tok.sent
            stype, actor = _source_type(src, by_offset)
            out.append(Attribution(src.text, src.start_char, src.end_char, "according to", tok.idx,
                                   obj.idx + len(obj), sent.text, sent.start_char, sent.end_char,
                                   "according_to", stype, actor))
    return out


def summarize(doc, attributions: list[Attribution], actors: list[Actor]) -> dict:
    named = [a for a in attributions if a.source_type in ("named_person", "named_organization")]
    names = sorted({a.actor or a.source for a in named if (a.actor or a.source)})
    return {
        "n_attributions": len(attributions),
        "n_direct_quotes": sum(a.kind in ("direct", "mixed") for a in attributions),
        "n_named_sources": len(names),
        "n_anonymous_sources": sum(a.source_type == "anonymous" for a in attributions),
        "n_vague_sources": sum(a.source_type == "vague" for a in attributions),
        "named_sources": names,
    }
