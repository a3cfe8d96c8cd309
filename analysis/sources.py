"""Sources cited: who is quoted or paraphrased, and what kind of source they are.

An attribution links a *source* (who), a *cue* (the reporting verb or phrase) and a
*content* (what was said, believed or intended), as in the PolNeAR annotation scheme.
Everything is read off the dependency parse of the one spaCy doc of the article:

* reporting verbs (``lexicons/reporting_verbs.txt``: speech, stance, belief and intention)
  with their subject as source and their clause, object, to-infinitive, topic ("testified
  against the pipeline") or adjacent quotation as content ("X said", "said X", "X, he said,
  ...", "X said: “...”", "telling reporters, “...”", partial quotes inside a
  paraphrase, a quote split around its cue: "“X,” he said, “Y.”"); the subject above a
  to-infinitive cue ("is expected to endorse"), the agent of a passive one ("was reported by
  CNN"), "As X reported, <clause>", a name right after a quotation ("“...,” Bozell answers"),
  a cue ending its paragraph with a colon, whose content is the next paragraph, and, for a
  named or personal speaker, whatever complement follows a cue that took none of these
  ("proposed eliminating the tax", "agreed with the unions");
* nouns of saying or intending with a possessor and a clause ("his threat to sue", "her
  warning that ...");
* "according to X", "in a new poll" and "in X's view" before a clause; "Name: words"
  (headline and interview style, and the capital speaker labels of a transcript:
  "PENCE: ..."); title-case headlines ("Glenn Beck Blasts Drudge ..."); a quotation or
  post signed with a dash and a name ("“...” ― Carla Sanchez", "... — Paul Ryan
  (@SpeakerRyan) July 5, 2016");
* a full-sentence quotation with no cue of its own (a floating quote, or a quote continued
  in the next paragraph) inherits the speaker of the attribution just before it, unless
  another person is named in between;
* not speech: quoted words of three words or fewer that no reporting verb introduces, quoted
  titles, datelines ("PHILADELPHIA (AP) —"), actions named by a verb of saying ("called 911",
  "called the meeting to order"), and a country or place as the subject of a verb of evidence
  ("Ukraine has shown that ...").

The source is resolved to an actor: an overlapping actor mention (typed by the actor, so a
named person is a named person even when the parser took the name for a place), or else the
one actor whose name or surname it is ("PENCE", an untagged "Trump"); every actor
of a joint source ("Rubio and Waltz") is credited. A pronoun speaker goes to the subject of
the nearest earlier sentence holding an agreeing actor (gender, person or body; names in the
pronoun's own clause and inside quotations do not count), and stays unresolved when two
candidates stand equal (analysis/coref.py can decide instead: ``USE_COREF``).
Role nouns ("the president") go to the person named before with that role (said with the
name: right before it or in apposition); "the statement" goes to the author of the statement
named before. The source is typed with ``lexicons/sources.txt``.
"""
from __future__ import annotations

import bisect
import functools
import os
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .model import Actor, Attribution
from .nlp import text_of, word_offsets, word_sentences

SOURCE_TYPES = ("named_person", "named_organization", "media", "document", "anonymous",
                "vague", "unresolved")
NAMED_TYPES = ("named_person", "named_organization")
LEXICON_DIR = Path(__file__).parent / "lexicons"
USER_LEXICON_ENV = "COVERAGE_LENS_LEXICONS"
USER_LEXICON_DIR = Path("~/.config/coverage-lens/lexicons")

_PERSONAL = {"he": "person", "she": "person", "him": "person", "her": "person", "his": "person",
             "it": "nonperson", "its": "nonperson", "they": "any", "them": "any", "their": "any"}
_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f"}
_RELATIVE = {"who", "which", "that", "whom"}
_FIRST_PERSON = {"i", "we", "me", "us"}
_NONPERSON_PRONOUNS = {"it", "which", "that", "this", "these", "those", "what"}
_GENERIC = {"you", "one", "anyone", "everyone", "anybody", "everybody"}
_DETERMINERS = {"the", "a", "an", "this", "that", "these", "those"}
_OPEN_QUOTES, _CLOSE_QUOTES = "“„«", "”»"
_SCARE_MAX_WORDS = 3
_FLOATING_WINDOW = 700  # characters back to the attribution whose speaker a floating quote inherits


# --- lexicons --------------------------------------------------------------------------

def _read_sections(path: Path, into: dict[str, set[str]]) -> None:
    section = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip().lower()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
            continue
        entries = into.setdefault(section, set())
        if line.startswith("-"):
            entries.discard(line[1:].strip())
        else:
            entries.add(line)


def user_lexicon_dirs() -> list[Path]:
    """Where user additions to the lexicons are looked for, in reading order."""
    dirs = [USER_LEXICON_DIR.expanduser()]
    if os.environ.get(USER_LEXICON_ENV):
        dirs.append(Path(os.environ[USER_LEXICON_ENV]).expanduser())
    return dirs


@functools.lru_cache(maxsize=4)
def _lexicon(name: str, user_dirs: tuple[Path, ...]) -> dict[str, frozenset[str]]:
    sections: dict[str, set[str]] = {}
    for path in (LEXICON_DIR / name, *(d / name for d in user_dirs)):
        if path.is_file():
            _read_sections(path, sections)
    return {k: frozenset(v) for k, v in sections.items()}


def lexicon(name: str) -> dict[str, frozenset[str]]:
    """Sections of a lexicon file: the bundled file plus the user's additions and removals."""
    return _lexicon(name, tuple(user_lexicon_dirs()))


@dataclass(frozen=True)
class _Cues:
    speech: frozenset[str]
    belief: frozenset[str]
    clause_only: frozenset[str]
    nominal: frozenset[str] = frozenset()
    evidence: frozenset[str] = frozenset()
    stance: frozenset[str] = frozenset()

    @functools.cached_property
    def single_verbs(self) -> frozenset[str]:
        """The cues that are a verb alone, not a phrase ("say", not "go on")."""
        return frozenset(e for e in self.speech | self.belief if " " not in e)

    @functools.cached_property
    def verb_lemmas(self) -> frozenset[str]:
        """The lemmas a verb cue can start with ("hop": the lemmatizer's "hoping")."""
        return frozenset(e.split()[0] for e in self.speech | self.belief) | {"hop"}

    def match(self, tok) -> tuple[str | None, object]:
        """("speech" | "belief" | None, the particle or preposition of a phrasal cue)."""
        lemma = tok.lemma_.lower()
        if lemma == "hop" and tok.lower_.startswith(("hope", "hoping")):
            lemma = "hope"  # the lemmatizer takes "hoping" for a form of "hop"
        # "calling for the United States to act" may be parsed with "for" marking the clause
        marks = [m for c in tok.children if c.dep_ == "advcl" for m in c.children if m.dep_ == "mark"]
        for c in [*tok.children, *marks]:
            if c.dep_ in ("prt", "prep", "mark") and c.i > tok.i:
                phrase = f"{lemma} {c.lower_}"
                if phrase in self.speech:
                    return "speech", c
                if phrase in self.belief:
                    return "belief", c
        if lemma in self.speech:
            return "speech", None
        if lemma in self.belief:
            return "belief", None
        return None, None


def _cues() -> _Cues:
    lex = lexicon("reporting_verbs.txt")
    return _Cues(lex.get("speech", frozenset()), lex.get("belief", frozenset()),
                 lex.get("clause_only", frozenset()), lex.get("nominal", frozenset()),
                 lex.get("evidence", frozenset()), lex.get("stance", frozenset()))


# --- quotations ----------------------------------------------------------------------

@dataclass
class Quote:
    """A quoted stretch: ``start`` at the opening mark, ``end`` after the closing mark (or at
    the paragraph end when the quote continues in the next paragraph)."""
    start: int
    end: int
    text: str
    group: int  # segments of one quote continued over paragraphs share a group
    scare: bool = False  # a short quoted phrase or a title, not a quotation

    @property
    def words(self) -> int:
        return len(self.text.split())


def _paragraphs(text: str) -> Iterable[tuple[int, int]]:
    start = 0
    for m in re.finditer(r"\n", text):
        if m.start() > start:
            yield start, m.start()
        start = m.end()
    if start < len(text):
        yield start, len(text)


def _is_title(inner: str) -> bool:
    words = re.findall(r"[A-Za-z][\w'’-]*", inner)
    small = {"a", "an", "the", "of", "and", "or", "in", "on", "to", "for", "at", "by", "with"}
    return (len(words) >= 2 and not re.search(r"[.!?,;:]\s*$", inner)
            and all(w[0].isupper() or w.lower() in small for w in words))


def find_quotes(text: str) -> list[Quote]:
    """Quoted stretches, with straight and curly marks and doubled apostrophes (''...'', as
    some archives write quotation marks). A quote still open at a paragraph's end continues
    when the next paragraph opens with a quote mark (the typographic rule for quotes running
    over paragraphs); otherwise it ends with its paragraph."""
    text = text.replace("\'\'", '"\u200b')  # same length: offsets stay valid
    quotes: list[Quote] = []
    group = -1
    carried = False  # the previous paragraph ended inside a quote
    for p_start, p_end in _paragraphs(text):
        open_at = None
        for i in range(p_start, p_end):
            c = text[i]
            opening = c in _OPEN_QUOTES or (c == '"' and open_at is None)
            if opening and open_at is None:
                open_at = i
                if not (carried and i == p_start + len(text[p_start:p_end]) - len(text[p_start:p_end].lstrip())):
                    group += 1
                carried = False
            elif (c in _CLOSE_QUOTES or c == '"') and open_at is not None:
                quotes.append(Quote(open_at, i + 1, text[open_at + 1:i], group))
                open_at = None
            elif c in _OPEN_QUOTES and open_at is not None:
                # an opening mark inside an open quote: the first one was never closed
                quotes.append(Quote(open_at, i, text[open_at + 1:i], group))
                group += 1
                open_at = i
        carried = open_at is not None
        if open_at is not None:
            quotes.append(Quote(open_at, p_end, text[open_at + 1:p_end], group))
    for q in quotes:
        inner = q.text.strip()
        q.scare = len(inner.split()) <= _SCARE_MAX_WORDS or _is_title(inner)
    return quotes


# --- the parse -----------------------------------------------------------------------

def _span_chars(tokens) -> tuple[int, int]:
    tokens = [t for t in tokens if not (t.is_punct or t.is_space)] or list(tokens)
    first, last = min(tokens, key=lambda t: t.i), max(tokens, key=lambda t: t.i)
    return first.idx, last.idx + len(last)


def _tokens_where(doc, attr: str, values: Iterable[str]) -> list:
    """The tokens whose ``attr`` ("LEMMA", "LOWER" or "ORTH") is one of ``values``, found
    through one array read: each extraction rule looks only at its few candidate words
    rather than making a Token object of every token."""
    import numpy as np
    from spacy.attrs import IDS

    values = {w for v in values for w in (v, v.capitalize())} if attr == "LEMMA" else set(values)
    wanted = [doc.vocab.strings[v] for v in values]
    column = doc.to_array([IDS[attr]]).reshape(-1)
    return [doc[int(i)] for i in np.isin(column, wanted).nonzero()[0]]


def _subtree_chars(tok, *, exclude=None) -> tuple[int, int]:
    tokens = [t for t in tok.subtree if exclude is None or t not in exclude]
    return _span_chars(tokens)


def _is_passive(tok) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children)


# verbs of saying whose object is the person addressed ("“...,” the source told Fox News")
_ADDRESSING = frozenset({"tell", "ask", "inform", "notify", "remind", "assure", "reassure", "urge", "warn",
                         "advise", "thank", "brief", "email", "text", "message"})


_SENDING = frozenset({"send", "issue", "release", "post", "publish", "circulate", "email", "mail"})


def _subject(tok, depth: int = 0):
    """The token that is the source of a reporting verb, following conjunctions and
    participle clauses ("..., adding that", "countered by asserting that") up to the verb
    that has one."""
    if depth > 4:
        return None
    subjects = [c for c in tok.children if c.dep_ in ("nsubj", "csubj")]
    if subjects:
        # a parse that runs a time stamp or heading into the sentence ("12:15 p.m.: Obama
        # says ...") gives the verb two subjects: the one on the verb's line speaks
        line = _line(text_of(tok.doc), tok.idx)
        return next((c for c in subjects if line[0] <= c.idx < line[1]), subjects[0])
    if not _is_passive(tok) and tok.dep_ == "ROOT":
        # "..., her adviser, Jake Sullivan, said:" parsed with the speaker as an apposition
        appos = [c for c in tok.lefts if c.dep_ == "appos" and c.pos_ in ("PROPN", "NOUN")]
        if appos:
            return appos[0]
    if _is_passive(tok):
        agent = next((c for c in tok.children if c.dep_ == "agent"), None)
        return next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
    if tok.dep_ == "ROOT" and tok.lemma_.lower() not in _ADDRESSING:
        # "“...,” added another Republican", "“...,” summarized Senor": a speaker after the
        # verb, parsed as its object or attribute
        clause = next((c for c in tok.lefts if c.dep_ == "ccomp"), None)
        obj = next((c for c in tok.rights if c.dep_ in ("dobj", "attr")), None)
        between = tok.doc[clause.right_edge.i + 1:tok.i] if clause is not None else ()
        if obj is not None and any(t.text in _CLOSE_QUOTES + "\"'" for t in between) \
                and all(t.is_punct or t.is_space for t in between):
            return obj
    head = tok.head
    if tok.dep_ == "conj" and head.pos_ in ("VERB", "AUX"):
        return _subject(head, depth + 1)
    if tok.dep_ in ("advcl", "pcomp") and tok.tag_ == "VBG":
        verb = head if tok.dep_ == "advcl" else head.head
        if verb.pos_ in ("VERB", "AUX"):
            # "Mr. Trump was quoted as saying", "was heard saying": the passive's subject speaks
            return _subject(verb, depth + 1) or (next(
                (c for c in verb.children if c.dep_ == "nsubjpass"), None) if _is_passive(verb) else None)
    if tok.dep_ == "acl" and head.pos_ in ("NOUN", "PROPN", "PRON") and tok.tag_ == "VBG":
        if (head.dep_ == "pobj" and head.head.lower_ == "to") or (
                head.dep_ == "dobj" and head.head.lemma_.lower() in _SENDING):
            # "sent an e-mail to RNC members saying ...": the sender speaks, not the
            # addressees nor the e-mail
            verb = next((a for a in head.ancestors if a.pos_ in ("VERB", "AUX")), None)
            return _subject(verb, depth + 1) if verb is not None else None
        return head  # "officials insisting that ..."
    to_clause = tok.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)
    if tok.dep_ == "xcomp" or (tok.dep_ == "advcl" and to_clause):
        # "goes on to ridicule", "is expected to endorse", "went on Twitter to applaud", "are
        # more likely to say": the subject of the verb (or of "be" + adjective) above
        verb = head.head if head.pos_ == "ADJ" and head.dep_ == "acomp" else head
        if verb.pos_ in ("VERB", "AUX") and not any(c.dep_ == "dobj" for c in head.children):
            # not "asked Clinton to urge": Clinton urges; "X is expected to endorse": X
            subj = _subject(verb, depth + 1) or next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
            # "it's hard to say", "which helps explain": nobody in particular
            return None if subj is None or subj.lower_ in ("it", "there", "this", "that", "which") else subj
    return None


_DATELINE = re.compile(r"^[ \t]*(?:[A-Z][A-Z.'’ -]{2,}(?:,[ \t]*[A-Z][\w.’ ]{1,20})?[ \t]*"
                       r"(?:\([A-Za-z. ]{1,25}\))?"
                       r"|[A-Z][\w.'’ -]{2,25}(?:,[ \t]*[A-Z][\w.’ ]{1,20})?[ \t]*\([A-Z][A-Za-z]{1,9}\))"
                       r"[ \t]*(?:—|–|--|-)[ \t]*", re.M)


def datelines(text: str) -> list[tuple[int, int]]:
    """Spans of datelines opening a line ("PHILADELPHIA (AP) — ", "KYIV, Ukraine — ",
    "Washington (AFP) - "): a place and an agency credit, never a source."""
    return [m.span() for m in _DATELINE.finditer(text)]


def _line(text: str, offset: int) -> tuple[int, int]:
    """Bounds of the line (paragraph or headline) holding ``offset``."""
    end = text.find("\n", offset)
    return text.rfind("\n", 0, offset) + 1, len(text) if end < 0 else end


def _on_line(subj, line: tuple[int, int]):
    """The subject, or the part of it on the cue's line: a parse may take a subheading for
    the subject of the paragraph under it."""
    if line[0] <= subj.idx < line[1]:
        return subj
    part = [t for t in subj.subtree if line[0] <= t.idx < line[1] and not t.is_punct]
    roots = [t for t in part if t.head not in part and t.pos_ in ("NOUN", "PROPN", "PRON")]
    return roots[0] if roots else None


def _source_tokens(subj, cut_before: int = -1) -> list:
    """The source phrase: the subject's subtree without a relative clause, within the
    subject's line (a parse may run a headline into the first sentence) and after
    ``cut_before`` (the end of a dateline)."""
    cut = {t for c in subj.children if c.dep_ in ("relcl", "acl", "advcl") for t in c.subtree}
    tokens = [t for t in subj.subtree if t not in cut and t.idx >= cut_before] or [subj]
    line_start, line_end = _line(text_of(subj.doc), subj.idx)
    return [t for t in tokens if line_start <= t.idx < line_end] or [subj]


def _after_dateline(subj, spans: list[tuple[int, int]]):
    """The subject, or when the parse took a dateline for it ("PHILADELPHIA (AP) — Clinton
    said"), the head of the subject's part after the dateline; None when nothing is left."""
    span = next(((a, b) for a, b in spans if a <= subj.idx < b or (a <= subj.left_edge.idx < b)), None)
    if span is None:
        return subj, -1
    if subj.idx >= span[1]:
        return subj, span[1]
    other = next((c for c in subj.head.children if c.dep_ == subj.dep_ and c.idx >= span[1]), None)
    if other is not None:  # the parse gave the verb two subjects, the dateline and the speaker
        return other, span[1]
    part = [t for t in subj.subtree if t.idx >= span[1] and not t.is_punct]
    roots = [t for t in part if t.head not in part and t.pos_ in ("NOUN", "PROPN", "PRON")]
    return (roots[0], span[1]) if roots else (None, span[1])


class _QuoteIndex:
    def __init__(self, quotes: list[Quote]):
        self.quotes = quotes

    def covering(self, start: int, end: int) -> Quote | None:
        return next((q for q in self.quotes if q.start <= start and end <= q.end), None)

    def inside(self, offset: int) -> bool:
        return any(q.start < offset < q.end - 1 for q in self.quotes if not q.scare)

    def quoted_chars(self, start: int, end: int) -> int:
        return sum(max(0, min(end, q.end) - max(start, q.start)) for q in self.quotes)

    def adjacent(self, doc, tok, source_span) -> Quote | None:
        """A quotation right before the source or cue ("“...,” he said") or right after the
        cue ("He said: “...”"), with only punctuation or the attribution between them."""
        sent = tok.sent
        lo = min(tok.idx, source_span[0] if source_span else tok.idx)
        hi = max(tok.idx + len(tok), source_span[1] if source_span else 0)
        text = text_of(doc)
        for q in self.quotes:
            # a short quote may still be a quotation: "“Denver,” he answered."
            if q.scare and not (q.end <= lo and re.search(r"[,!?]\W?$", q.text) and not _is_title(q.text)):
                continue
            # a quote ending the paragraph before is not this attribution's ("“...” ¶ X
            # responded to ..."); one after it may open the next paragraph only after a colon
            # ... but not a quote that closed the sentence before ("“... in Afghanistan.”
            # Republican officials dismissed that criticism")
            if q.end <= lo and q.end >= sent.start_char - 3 and not text[q.end:lo].strip(" ,—–-") \
                    and not (re.search(r"\.\W?$", q.text) and text[lo:lo + 1].isupper()):
                return q
            between = text[hi:q.start]
            if q.start >= hi and not between.strip(" ,:—–-\n") and q.start <= sent.end_char + 3 \
                    and ("\n" not in between or ":" in between):
                return q
            # "He told the crowd: “...”", "said Tuesday: “...”": a few words, then a colon
            if q.start >= hi and q.start <= sent.end_char + 3 and not q.scare \
                    and re.fullmatch(r"[^.!?:;“”\"\n]{1,40}:\s*", between):
                return q
            # "telling reporters, “...”", "chiding him, “...”", "saying at one point, “...”":
            # the cue's own addressee or adverbial, a comma, then the quotation
            if q.start >= hi and q.start <= sent.end_char + 3 and not q.scare \
                    and re.fullmatch(r"[^.!?:;“”\"\n]{1,40},\s*", between) and _own_words(tok, hi, q.start):
                return q
        return None


def _own_words(tok, start: int, end: int) -> bool:
    """Whether the words between ``start`` and ``end`` (after the verb ``tok``) all hang on
    it without a verb of their own: its object or adverbials ("reporters", "at one point")."""
    words = [t for t in tok.doc[tok.i + 1:] if start <= t.idx < end and not (t.is_punct or t.is_space)]
    return bool(words) and all(t.pos_ not in ("VERB", "AUX") and tok in t.ancestors for t in words)


def _second_part(content: tuple[int, int], after: int, quotes: _QuoteIndex, doc) -> tuple[int, int]:
    """A quote split around its cue ("“X,” he said, “Y.”", "“X,” he said. “Y.”"): the content
    runs on to the end of the quotation that opens right after the attribution, in the same
    paragraph."""
    text = text_of(doc)
    for q in quotes.quotes:
        if q.scare or q.start < after:
            continue
        between = text[after:q.start]
        if not between.strip(" ,;:\n") or re.fullmatch(r"\.[ \t]*", between) \
                or re.fullmatch(r"[ ,]*(?:on|in|at)\b[^.\"“”]{0,40},[ ]*", between):
            return content[0], q.end
        break
    return content


# verbs whose to-infinitive is an aspect of another action, not what was said or intended;
# for a verb of saying or commitment the to-infinitive is the content ("pledged to expand",
# "threatened to pull out", "asked to see")
_ASPECTUAL = frozenset({"continue"})
# prepositions whose object is the topic of a verb of saying ("testified against the
# pipeline", "apologized for the delay"); "with" gives the addressee, "on" as often the
# medium ("posted on Facebook")
_TOPIC_PREPS = ("about", "against", "over", "for")
# prepositions that give what a cue is about ("agreed with", "objected to", "apologized for"),
# not where or when it was said ("elaborated at the briefing", "endorsed her in May")
_TOPICS = ("about", "against", "over", "for", "on", "with", "to", "of", "into", "toward", "towards", "as")


def _topical(tok) -> bool:
    """Not a preposition of place or time ("issued a statement on Friday afternoon")."""
    return tok.dep_ != "prep" or (tok.lower_ in _TOPICS and not any(
        c.ent_type_ in ("DATE", "TIME") for c in tok.children))


_NOT_CONTENT = ("nsubj", "nsubjpass", "aux", "neg", "advmod", "punct", "prep", "npadvmod")


def _with_what_follows(tok, first) -> tuple[int, int]:
    """``first``'s subtree and what follows it on the cue: "cited disparaging remarks as
    examples of his disrespect", "criticized Trump for taking the deduction" (a complement or
    a preposition of topic; not "on Tuesday", not ", saying ...")."""
    end = first.right_edge.idx + len(first.right_edge)
    for c in tok.rights:
        if c.i <= first.i:
            continue
        if c.dep_ in ("xcomp", "oprd", "ccomp", "prep") and _topical(c):
            end = max(end, c.right_edge.idx + len(c.right_edge))
        else:
            break
    return first.left_edge.idx, end


def _content(tok, kind: str, quotes: _QuoteIndex, doc, source_span, cues: _Cues, particle=None):
    """((start, end) of the content of a reporting verb, the rule that found it); (None,
    "action") or (None, "aspect") when the verb is not speech here ("called 911", "continued
    campaigning"), (None, None) when no content was found."""
    if particle is not None and particle.dep_ == "prt":
        # "lashed out at the report": the preposition after the particle holds the content
        particle = next((c for c in tok.children if c.dep_ == "prep" and c.i == particle.i + 1
                         and c.lower_ in ("at", "against", "about", "over", "for", "to", "on")
                         and not (c.lower_ == "on" and any(p.ent_type_ in ("ORG", "DATE") for p in c.children))),
                        particle)
    if particle is not None and particle.dep_ == "prep":
        pobj = next((c for c in particle.children if c.dep_ in ("pobj", "pcomp")), None)
        dobj = next((c for c in tok.children if c.dep_ == "dobj"), None)
        if pobj is not None and particle.lower_ == "as" and dobj is not None:  # "sees the vote as a test"
            return _span_chars([*dobj.subtree, *particle.subtree]), "dobj"
        if pobj is not None:  # "called for a ceasefire", "called on Congress to act"
            return _with_what_follows(tok, pobj), "prep"
    if particle is not None and particle.dep_ == "mark":  # "calling for the US to act"
        return _subtree_chars(particle.head, exclude={particle}), "prep"
    if tok.lemma_.lower() == "call" and particle is None:
        # "called the plan 'a disaster'" names the plan; "called 911", "called the meeting
        # to order" and "called a vote" are actions
        objects = [c for c in tok.children if c.dep_ == "dobj"]
        dobj = objects[0] if objects else None
        around = {t for c in tok.children if c.dep_ in _NOT_CONTENT for t in c.subtree}
        # "calling Mr. Trump a “sniveling coward”" may be parsed as two objects; "Biden calls
        # Trump risk to U.S. safety" as a complement alone
        if (dobj is not None and (len(objects) > 1 or any(c.dep_ in ("appos", "oprd")
                                                          for c in (*dobj.children, *tok.children)))) \
                or (dobj is None and any(c.dep_ == "oprd" for c in tok.children) and tok.dep_ != "relcl"):
            return _subtree_chars(tok, exclude=around | {tok}), "dobj"
        if dobj is not None:
            # "called those advocating intervention “fools”", "called protesters “thugs”": the
            # name is a quotation after the object's first words, wherever the parse hung it
            end = dobj.right_edge.idx + len(dobj.right_edge)
            named = next((q for q in quotes.quotes if dobj.left_edge.idx < q.start <= end + 2
                          and q.end <= tok.sent.end_char + 2), None)
            if named is not None:
                return (dobj.left_edge.idx, named.end), "dobj"
        xcomp = next((c for c in tok.children if c.dep_ == "xcomp"), None)
        if xcomp is not None and any(c.dep_ == "aux" and c.lower_ == "to" for c in xcomp.children):
            return _subtree_chars(xcomp), "xcomp"  # "Trump called to ban ..."
        return None, "action"
    # a parse running two paragraphs into one sentence may hang the line before on the cue too
    lo, hi = _line(text_of(doc), tok.idx)
    clauses = [c for c in tok.children if c.dep_ in ("ccomp", "csubj")]
    # on the cue's line; with a clause on each side, the one after the cue unless the one
    # before is a quotation ("X's position is clear: it wants its territory restored", but
    # "“We got wiped out,” aides said Mr. Ryan told his colleagues")
    on_line = sorted((c for c in clauses if lo <= c.idx < hi),
                     key=lambda c: c.i < tok.i and not quotes.quoted_chars(*_subtree_chars(c)))
    ccomp = next(iter(on_line), clauses[0] if clauses else None)
    if ccomp is not None:
        return _subtree_chars(ccomp), "ccomp"
    if tok.dep_ == "advcl" and tok.head.pos_ in ("VERB", "AUX") and tok.lemma_.lower() not in _ASPECTUAL \
            and any(c.dep_ == "mark" and c.lower_ == "as" for c in tok.children):
        # not "As the conflict continues, ...": an aspect
        # "As Reuters reported, the talks collapsed": the content is the main clause
        return _subtree_chars(tok.head, exclude=set(tok.subtree)), "parataxis"
    if tok.dep_ == "parataxis" and tok.head.pos_ in ("VERB", "AUX"):
        # "The deal, he said, is dead": the content is the clause the cue interrupts
        return _subtree_chars(tok.head, exclude=set(tok.subtree)), "parataxis"
    xcomp = next((c for c in tok.children if c.dep_ == "xcomp"), None)
    if tok.lemma_.lower() in _ASPECTUAL:
        xcomp = None  # "continued to campaign": an aspect; a cue under it has its own attribution
    if xcomp is not None and any(c.dep_ == "aux" and c.lower_ == "to" for c in xcomp.children):
        return _subtree_chars(xcomp), "xcomp"
    adjacent = quotes.adjacent(doc, tok, source_span) if kind == "speech" else None
    if adjacent is not None:
        return (adjacent.start, adjacent.end), "quote"
    dobj = next((c for c in tok.children if c.dep_ == "dobj"), None)
    complement = next((c for c in tok.children if c.dep_ in ("oprd", "xcomp") or (c.dep_ == "prep" and c.lower_ == "as")), None)
    if dobj is not None and complement is not None and tok.lemma_.lower() != "call":
        # "which he declared “a total disaster”", "who he dubbed “the little senator”",
        # "Israel regards Jerusalem as its capital": the object and what it is called
        return _span_chars([*dobj.subtree, *complement.subtree]), "dobj"
    if dobj is not None and dobj.pos_ != "PRON" and tok.lemma_.lower() not in cues.clause_only:
        # "denied the allegations", "wants a wall", "fears a recession"; not "knew the
        # senator", "added two states" (the lexicon's [clause_only])
        return _with_what_follows(tok, dobj), "dobj"
    if kind == "speech":
        for prep in (c for c in tok.children if c.dep_ == "prep"):
            # "says in a statement that ...": the clause may hang on the statement
            for noun in (c for c in prep.children if c.dep_ == "pobj"):
                clause = next((c for c in noun.children if c.dep_ in ("ccomp", "acl") and any(
                    m.dep_ == "mark" and m.lower_ == "that" for m in c.children)), None)
                if clause is not None:
                    return _subtree_chars(clause), "ccomp"
        if tok.lemma_ in ("tell", "ask", "urge", "warn", "call"):
            prep = next((c for c in tok.children if c.dep_ in ("xcomp", "prep", "advcl")), None)
            if prep is not None:
                return _subtree_chars(prep), "prep"
        prep = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ in _TOPIC_PREPS), None)
        pobj = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None) if prep is not None else None
        if pobj is not None and pobj.ent_type_ not in ("DATE", "TIME"):  # not "spoke for an hour"
            return _subtree_chars(pobj), "prep"
        if any(c.dep_ == "agent" for c in tok.children):
            # "The move was first reported by MSNBC", "Trump has been criticized by his
            # rivals": the passive subject is what the agent said
            patient = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
            if patient is not None and patient.lower_ not in _RELATIVE:
                return _subtree_chars(patient), "passive"
    lemma = tok.lemma_.lower()
    return None, "aspect" if lemma in _ASPECTUAL else "action" if lemma == "call" else None


# --- resolving and typing the source ----------------------------------------------------

class _Actors:
    """Actor mentions in text order, for overlap look-ups and pronoun resolution. Mentions
    inside quotations and datelines are left out of the antecedents: a speaker is seldom
    named in their own words, and "PHILADELPHIA (AP)" names no speaker."""

    def __init__(self, actors: list[Actor], doc, quotes: _QuoteIndex, lex, datelines=()):
        self.doc = doc
        self.text = text_of(doc)
        self.actors = actors
        # names, and the pronouns and role nouns the actors' coreference tied to them
        self.mentions = sorted(((m.start, m.end, a) for a in actors
                                for m in [*a.mentions, *a.references]), key=lambda x: x[0])
        self._starts = [m[0] for m in self.mentions]
        self._of_actor: dict[int, list[tuple[int, int]]] = {}
        for start, end, a in self.mentions:
            self._of_actor.setdefault(id(a), []).append((start, end))
        self.quotes = quotes
        self.datelines = list(datelines)
        self.lex = lex
        self._gender: dict[int, str | None] = {}

    def overlapping(self, start: int, end: int, head: int | None = None) -> Actor | None:
        hits = [(s, e, a) for s, e, a in self.mentions if s < end and start < e]
        if not hits:
            return None
        if head is not None:
            on_head = [h for h in hits if h[0] <= head < h[1]]
            hits = on_head or hits
        people = [h for h in hits if _is_person(h[2], self.lex)]
        return (people or hits)[-1][2]

    def context(self, actor: Actor, before: int) -> str:
        """The titles said with the actor's mentions before ``before``: its roles, the words
        right before a mention ("Defense Secretary James Mattis", back to a punctuation mark or
        another actor's name) and an apposition right after one ("Mattis, the defense
        secretary,"). Not the words of the sentence around: "then-President Obama removed
        Mattis" gives Mattis no title."""
        parts = [actor.role or "", *actor.roles]
        for s, e in self._of_actor.get(id(actor), ()):
            if s >= before:
                break
            lead = self.text[max(0, s - 45):s]
            lead = re.split(r"[.,;:!?\"“”()\n—–]|--", lead)[-1]
            # only mentions starting inside the lead can cut it (a sorted slice, not all)
            for s2, e2, b in self.mentions[bisect.bisect_left(self._starts, s - len(lead)):
                                           bisect.bisect_left(self._starts, s)]:
                if b is not actor and s - len(lead) <= s2 and e2 <= s:
                    lead = self.text[e2:s]
            parts.append(lead + self.text[s:e])
            appos = re.match(r"\s*(?:,|--|—|–)\s*([^,.;:()\n—–\"“”]{0,60})", self.text[e:e + 70])
            if appos:
                parts.append(appos.group(1))
        return " ".join(parts).lower()

    @functools.cached_property
    def _by_name(self) -> dict[str, list[Actor]]:
        """Persons and organisations by their names, aliases and (a person) surname, lower case."""
        out: dict[str, list[Actor]] = {}
        for a in self.actors:
            if a.type not in ("person", "organization"):
                continue
            keys = {a.name.lower(), *(x.lower() for x in a.aliases)}
            if a.type == "person":
                keys.add(a.name.lower().split()[-1])
            for key in keys:
                out.setdefault(key, []).append(a)
        return out

    def named(self, words: str) -> Actor | None:
        """The one person or organisation called ``words``, case aside: its name, an alias or
        (a person) its surname. None when no actor or several are ("Clinton" for two)."""
        hits = self._by_name.get(words.lower(), [])
        return hits[0] if len(hits) == 1 else None

    def last_before(self, offset: int, accept) -> Actor | None:
        for s, e, a in reversed(self.mentions):
            if e <= offset and accept(a):
                return a
        return None

    def gender(self, actor: Actor) -> str | None:
        """"m", "f" or None (unknown): from the first name, an honorific or a gendered role
        right before a mention ("Mrs. Clinton", "Congresswoman Omar"), or the actor's roles."""
        key = id(actor)
        if key not in self._gender:
            lex = self.lex
            first = actor.name.split()[0].lower() if actor.name.split() else ""
            words = [r.lower() for r in (actor.roles or [])] + ([actor.role.lower()] if actor.role else [])
            for s, _e, a in self.mentions:
                if a is actor:
                    words += re.findall(r"[a-z]+\.?", self.text[max(0, s - 16):s].lower())[-2:]
            male = first in lex["male_names"] or any(w in lex["male_words"] for w in words)
            female = first in lex["female_names"] or any(w in lex["female_words"] for w in words)
            self._gender[key] = "m" if male and not female else "f" if female and not male else None
        return self._gender[key]

    def _token(self, start: int, end: int):
        span = self.doc.char_span(start, end, alignment_mode="expand")
        return span.root if span is not None and len(span) else None

    def antecedent(self, pron, want: str, gender: str | None, cue=None) -> Actor | None:
        """The actor a pronoun speaker stands for, or None when the evidence is weak.

        Looks back sentence by sentence (at most ``_PRONOUN_SENTENCES`` outside quotations,
        across paragraph breaks) for the nearest sentence holding an agreeing actor (type
        ``want``: "person" or "nonperson"; ``gender`` "m" / "f" / None) outside quotations and
        datelines. In the pronoun's own sentence only the subjects of other clauses count ("Of
        Obama, he said" is not Obama). In that sentence the highest ``_salience`` wins, an
        actor of the pronoun's known gender before one of unknown gender; two of the same
        standing leave it unresolved."""
        doc = self.doc
        sents = list(doc.sents)
        k = next((i for i, s in enumerate(sents) if s.start <= pron.i < s.end), 0)
        back, looked = 0, 0
        while looked <= _PRONOUN_SENTENCES and k - back >= 0:
            sent = sents[k - back]
            back += 1
            stop = pron.idx if back == 1 else sent.end_char
            if back > 1 and self.quotes.covering(sent.start_char, sent.end_char - 1):
                continue  # a sentence of a quotation: its words name no speaker
            looked += 1
            scores: dict[int, tuple[tuple[int, bool], Actor]] = {}
            for s, e, a in self.mentions:
                if not (sent.start_char <= s and e <= stop) or self.quotes.covering(s, e) \
                        or any(d0 <= s < d1 for d0, d1 in self.datelines):
                    continue
                if not _agrees(a, want, self.lex) or (gender and self.gender(a) not in (None, gender)):
                    continue
                tok = self._token(s, e)
                if tok is None:
                    continue
                # an actor of the pronoun's known gender outranks one of unknown gender
                score = (_salience(tok), bool(gender) and self.gender(a) == gender)
                # a name in the pronoun's own clause is not its antecedent, nor one that is no
                # subject ("Of Obama, he said"), except a body whose position or plan is the
                # subject ("Ukraine's position is clear: it wants ...")
                if back == 1 and (score[0] < (1 if want == "nonperson" else 2)
                                  or (cue is not None and _governs(cue, tok))):
                    continue
                best = scores.get(id(a))
                if best is None or score > best[0]:
                    scores[id(a)] = (score, a)
            if not scores:
                continue
            ranked = sorted(scores.values(), key=lambda x: x[0], reverse=True)
            if len(ranked) == 1 or ranked[0][0] > ranked[1][0]:
                return ranked[0][1]
            return None
        return None


_PRONOUN_SENTENCES = 4  # sentences looked back for a pronoun's antecedent


def _is_person(actor: Actor, lex) -> bool:
    """Whether the actor is a person: typed so, or an organisation with a personal title
    (``lex``'s [role], [male_words] or [female_words]: "President", "Sen.", "Mr."): the parser
    may tag a person's name as an organisation ("President Trump" typed ORG), and a named
    person is a named person. An organisation named with a noun of a body ("House Foreign
    Affairs Committee", titled "chairman of the") stays a body."""
    if actor.type == "person":
        return True
    if actor.type != "organization":
        return False
    if any(w in lex["organization_nouns"] for w in actor.name.lower().split()):
        return False
    return any(w in lex["role"] or w in lex["male_words"] or w in lex["female_words"]
               for r in [actor.role or "", *actor.roles] for w in r.lower().split())


def _agrees(actor: Actor, want: str, lex) -> bool:
    if want == "person":
        return _is_person(actor, lex)
    return actor.type in ("organization", "country")


def _salience(tok) -> int:
    """3 for the subject of a clause (or a conjunct of it), 2 for the subject of a clause
    that is itself reported ("argued that Trump was ...") or inside a noun's modifier
    ("Kristol, who led the charge of conservatives calling for Steele to step down, said"), 1 for a subject's possessor ("Trump's campaign said"), 0 otherwise."""
    while tok.dep_ in ("conj", "compound", "flat", "appos") and tok.head.i != tok.i:
        tok = tok.head
    if tok.dep_ in ("nsubj", "nsubjpass", "csubj"):
        if tok.head.dep_ in ("ccomp", "acl") or any(a.dep_ == "acl" for a in tok.head.ancestors):
            return 2
        return 3
    if tok.dep_ == "poss" and tok.head.dep_ in ("nsubj", "nsubjpass"):
        return 1
    return 0


def _governs(verb, tok) -> bool:
    """Whether ``tok`` belongs to ``verb``'s own clause (not to a clause under it)."""
    while tok.i != verb.i and tok.head.i != tok.i:
        if tok.dep_ in ("ccomp", "advcl", "relcl", "acl", "xcomp", "parataxis", "conj") and tok.pos_ in ("VERB", "AUX"):
            return False
        tok = tok.head
    return tok.i == verb.i


@dataclass
class _Typed:
    source_type: str
    actor: Actor | None = None
    resolved_by: str = "name"  # name | pronoun | role | relative | none


def _head_of(tokens, subj):
    return subj if subj is not None else tokens[-1]


def _bare_words(tokens) -> str:
    return " ".join(t.lower_ for t in tokens if t.lower_ not in _DETERMINERS and not t.is_punct)


def _entity_name(tok) -> str:
    """The text of the named entity the token is part of ('' when none)."""
    if not tok.ent_type_:
        return ""
    doc = tok.doc
    for ent in doc.ents:
        if ent.start <= tok.i < ent.end:
            return re.sub(r"^the\s+", "", ent.text.lower()).strip()
    return ""


def _is_media_name(name: str, lex) -> bool:
    words = set(re.findall(r"[\w-]+", name))
    return name in lex["media"] or bool(words & lex["media_words"])


def _type_of_actor(actor: Actor, lex) -> str:
    if _is_person(actor, lex):
        return "named_person"
    names = {actor.name.lower(), *(a.lower() for a in actor.aliases)}
    if any(_is_media_name(re.sub(r"^the\s+", "", n), lex) for n in names):
        return "media"
    return "vague" if actor.type == "group" else "named_organization"


_ROLE_SYNONYMS = {"congressman": ("rep.", "representative", "congress"),
                  "congresswoman": ("rep.", "representative", "congress"),
                  "lawmaker": ("rep.", "sen.", "senator", "representative", "congress"),
                  "senator": ("sen.",), "governor": ("gov.",), "nominee": ("candidate",),
                  "candidate": ("nominee", "hopeful")}


def _role_match(head, actors: _Actors, offset: int) -> Actor | None:
    """The most recent person before ``offset`` described with the role noun ``head`` (and
    its modifiers: "the Russian leader" needs "Russian")."""
    word = head.lemma_.lower()
    # a capitalized modifier must fit ("the Russian leader"); "the four-term congressman" need not
    mods = [c.lower_ for c in head.children if c.dep_ in ("amod", "compound") and c.text[:1].isupper()]
    generic = word in ("leader", "head", "chief", "official")
    titles = ("president", "minister", "chancellor", "king", "queen", "premier", "leader",
              "secretary", "chief", "head", "director", "chairman")
    words = (word, *_ROLE_SYNONYMS.get(word, ()))

    def accept(actor: Actor) -> bool:
        if not _is_person(actor, actors.lex):
            return False
        ctx = actors.context(actor, offset)
        if not all(m in ctx for m in mods):
            return False
        return any(w in ctx for w in words) or (generic and any(t in ctx for t in titles))

    return actors.last_before(offset, accept)


_AUTHOR_TOKENS = 150  # tokens looked back for the statement a "the statement said" refers to


def _author(noun, actors: _Actors) -> Actor | None:
    """The person whose document a definite document noun speaker refers back to: "Trump
    said in a statement ... “...,” the statement continued" is Trump. The nearest earlier
    use of the same noun outside quotations decides: the possessor ("Trump's statement") or
    the subject of the verb it hangs on ("said in a statement", "issued a statement"), when
    that is a person."""
    doc = noun.doc
    for tok in reversed(doc[max(0, noun.i - _AUTHOR_TOKENS):noun.i]):
        if tok.lemma_.lower() != noun.lemma_.lower() or actors.quotes.inside(tok.idx):
            continue
        owner = next((c for c in tok.children if c.dep_ == "poss"), None)
        if owner is None:
            verb = tok
            while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
                verb = verb.head
            owner = _subject(verb) if verb.pos_ in ("VERB", "AUX") else None
        person = actors.overlapping(owner.idx, owner.idx + len(owner), owner.idx) if owner is not None else None
        return person if person is not None and _is_person(person, actors.lex) else None
    return None


def _resolve(actors: _Actors, head, want: str, gender: str | None, cue) -> Actor | None:
    """The actor a pronoun stands for: analysis.coref's answer when it decides (``_coref``;
    its None stays unresolved), else ``_Actors.antecedent``."""
    antecedent = _coref()
    if antecedent is not None:
        k = antecedent(actors.doc, actors.actors, head.idx, head.idx + len(head))
        return actors.actors[k] if k is not None else None
    return actors.antecedent(head, want, gender, cue)


# Whether analysis/coref.py (when its weights are installed) decides pronoun and role-noun
# speakers instead of the rules. Off: on BASIL dev the rules credit more quotes of a named
# person to the right one (0.978 against 0.793) and fewer to a wrong one (0.007 against
# 0.029); benchmarks/speakers_basil.py measures both.
USE_COREF = False


def _coref():
    """``analysis.coref.antecedent`` when ``USE_COREF`` and that module's trained weights are
    installed, else None: the rules of ``_Actors.antecedent`` decide."""
    if not USE_COREF:
        return None
    try:
        from . import coref
    except ImportError:
        return None
    return coref.antecedent if coref.MODEL_FILE.is_file() else None


def _classify(tokens, subj, actors: _Actors, lex, start: int, end: int, cue=None) -> _Typed:
    head = _head_of(tokens, subj)
    low = head.lower_
    if low in _RELATIVE and head.head.dep_ in ("relcl", "acl") or (subj is not None and low in _RELATIVE):
        antecedent = head.head.head if head.head.dep_ in ("relcl", "acl") else None
        if antecedent is not None and antecedent.pos_ in ("NOUN", "PROPN"):
            typed = _classify(_source_tokens(antecedent), antecedent, actors, lex,
                              *_span_chars(_source_tokens(antecedent)), cue)
            typed.resolved_by = "relative"
            return typed
        return _Typed("unresolved", resolved_by="none")
    if low in _PERSONAL:
        want = _PERSONAL[low]
        if want == "any":
            return _Typed("unresolved", resolved_by="none")  # "they" is too often a group no actor stands for
        actor = _resolve(actors, head, want, _GENDER.get(low), cue)
        if actor is None:
            return _Typed("unresolved", resolved_by="none")
        return _Typed(_type_of_actor(actor, lex), actor, "pronoun")
    if low in _FIRST_PERSON:
        return _Typed("unresolved", resolved_by="none")

    actor = actors.overlapping(start, end, head.idx)
    if actor is None and (head.pos_ == "PROPN" or head.is_upper or head.is_title):
        # a name the model did not tag ("Trump: ..." in a headline, "PENCE:" in a transcript)
        actor = actors.named(_bare_words(tokens))
        if actor is not None:
            return _Typed(_type_of_actor(actor, lex), actor)
    if head.ent_type_ == "NORP" and actors.overlapping(head.idx, head.idx + len(head)) is None:
        actor = None  # "the Arizona Republican": one of the party, not the place qualifying him
    if actor is not None and head.pos_ == "NOUN" and actors.overlapping(head.idx, head.idx + len(head)) is None:
        # "the Trump administration" is not Trump; "his aide, Lauren Greene" is Lauren Greene
        named = [actors.overlapping(t.idx, t.idx + len(t), t.idx) for c in head.children if c.dep_ == "appos"
                 for t in c.subtree if t.pos_ == "PROPN"]
        actor = next((a for a in named if a is not None and _is_person(a, lex)), None)
        if actor is not None:
            return _Typed("named_person", actor)
    word, lemma = head.lower_, head.lemma_.lower()
    bare = _bare_words(tokens)
    if actor is not None and head.pos_ == "PROPN":
        kind = "named_person" if head.ent_type_ == "PERSON" else _type_of_actor(actor, lex)
        return _Typed(kind, actor)
    if word in lex["vague"] or bare in lex["vague"]:
        return _Typed("vague", resolved_by="none")
    if head.pos_ in ("NOUN", "ADJ", "PRON", "DET", "NUM") and lemma in lex["vague"]:
        return _Typed("vague", resolved_by="none")
    definite = any(c.lower_ in ("the", "this", "that") or c.dep_ == "poss" for c in head.children)
    plural = head.tag_ in ("NNS", "NNPS")
    if head.pos_ == "NOUN" and lemma in lex["role"] and definite and not plural:
        antecedent = _coref()
        if antecedent is not None:  # the learned model decides role nouns too
            k = antecedent(actors.doc, actors.actors, start, end)
            person = actors.actors[k] if k is not None else None
        else:
            person = _role_match(head, actors, start)
        if person is not None:
            return _Typed(_type_of_actor(person, lex), person, "role")
    if head.pos_ == "NOUN" and lemma in lex["anonymous"]:
        named = next((c for c in head.children if c.dep_ == "appos" and c.ent_type_ == "PERSON"), None)
        if named is None:
            return _Typed("anonymous", resolved_by="none")
    entity = _entity_name(head)
    if entity and _is_media_name(entity, lex) and head.ent_type_ in ("ORG", "WORK_OF_ART", "PERSON", "GPE"):
        return _Typed("media", actor)
    if head.pos_ == "NOUN" and (lemma in lex["media_nouns"] or bare in lex["media_nouns"]):
        return _Typed("media", resolved_by="none")
    if head.pos_ == "NOUN" and lemma in lex["document"]:
        author = _author(head, actors) if definite and not plural else None
        if author is not None:
            return _Typed(_type_of_actor(author, lex), author, "previous_speaker")
        return _Typed("document", resolved_by="none")
    if actor is not None:
        return _Typed(_type_of_actor(actor, lex), actor)
    if head.ent_type_ == "PERSON":
        return _Typed("named_person")
    if head.ent_type_ in ("ORG", "GPE", "FAC"):
        return _Typed("named_organization")
    if head.ent_type_ == "NORP":
        # "Republicans say" is vague; "the Arizona Republican" someone named before
        return _Typed("unresolved" if definite and not plural else "vague", resolved_by="none")
    if head.pos_ == "PROPN":
        return _Typed("named_person")
    if lemma in lex["organization_nouns"] or bare in lex["organization_nouns"]:
        return _Typed("named_organization", resolved_by="none")
    return _Typed("unresolved", resolved_by="none")


_PLAUSIBLE_PRONOUNS = {"he", "she", "they", "we", "i", "you", "who", "it", "whom", "one",
                       "another", "each", "either", "neither", "none"}


def _plausible_source(subj, lex) -> bool:
    """Whether the subject can be a speaker at all: a name, a pronoun, a noun of the source
    lexicons ("officials", "critics", "the report") or of a person's trade ("economist",
    "politician"), not "the stakes" or "the data"."""
    if subj.lower_ in _PLAUSIBLE_PRONOUNS or subj.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
        return True
    # a capitalized word inside the sentence is a name, however it was tagged ("Sanders")
    if subj.pos_ == "PROPN" or (subj.i > subj.sent.start and subj.text[:1].isupper()):
        return True
    return _lexicon_source(subj, lex) or (subj.pos_ == "NOUN" and subj.lemma_.lower().endswith(("ist", "ian")))


def _lexicon_source(tok, lex) -> bool:
    """Whether the word is a noun of the source lexicons ("officials", "critics", "the report")."""
    lemma, word = tok.lemma_.lower(), tok.lower_
    return any(lemma in lex[k] or word in lex[k] for k in
               ("vague", "anonymous", "role", "document", "media_nouns", "organization_nouns", "person_nouns"))


def _conjoined_actors(subj, actors: _Actors) -> list[Actor]:
    """Every actor of a conjoined source ("Rubio and Waltz")."""
    out = []
    for t in [subj, *[c for c in subj.conjuncts]]:
        a = actors.overlapping(t.idx, t.idx + len(t), t.idx)
        if a is not None and a not in out:
            out.append(a)
    return out


# --- extraction ----------------------------------------------------------------------

@dataclass
class _Found:
    source_tokens: list
    subj: object
    cue: tuple[int, int]
    content: tuple[int, int]
    kind: str
    cue_tok: object = None
    via: str = ""  # which rule found the content (for diagnostics)

    @property
    def source_span(self) -> tuple[int, int]:
        return _span_chars(self.source_tokens)


def _verb_attributions(doc, cues: _Cues, quotes: _QuoteIndex, lex, dates=()) -> list[_Found]:
    found = []
    for tok in _tokens_where(doc, "LEMMA", cues.verb_lemmas):
        if not tok.tag_.startswith("VB") or quotes.inside(tok.idx):
            continue
        kind, particle = cues.match(tok)
        if kind is None:
            continue
        subj = _subject(tok)
        if subj is None or subj.i == tok.i:
            continue
        if quotes.inside(subj.idx):
            # "“..., China,” Mr. Trump wrote": a parse giving the verb two subjects, one of
            # them in the quotation, means the one outside it; with none outside, no speaker
            subj = next((c for c in tok.children if c.dep_ == "nsubj" and not quotes.inside(c.idx)), None)
            if subj is None:
                continue
        if subj.lower_ in ("that", "this") and subj.i == tok.i - 1 and doc[tok.i + 1:tok.i + 2].text == ",":
            continue  # "That said, ...": a connective
        if kind == "belief" and (subj.lower_ in _FIRST_PERSON or quotes.inside(subj.idx)):
            continue
        if subj.lower_ in _GENERIC or (kind == "belief" and subj.lower_ in _RELATIVE
                                       and subj.head.dep_ == "relcl" and subj.head.head.tag_ == "NNS"):
            continue  # "if you want ...", "people who want ...": nobody in particular
        if tok.lemma_.lower() in cues.evidence and (subj.ent_type_ in ("GPE", "LOC", "NORP")
                                                   or subj.lower_ in _NONPERSON_PRONOUNS):
            continue  # "Ukraine has shown that ...", "which showed": no one speaks
        subj = _on_line(subj, _line(text_of(doc), tok.idx))
        if subj is None:
            continue
        subj, cut = _after_dateline(subj, dates)
        if subj is None:
            continue
        src = _source_tokens(subj, cut)
        src_span = _span_chars(src)
        content, via = _content(tok, kind, quotes, doc, src_span, cues, particle)
        if via in ("dobj", "xcomp", "prep") and not _plausible_source(subj, lex):
            continue  # "These developments highlight the challenges"
        if via == "dobj" and _nominal_content(content, doc, cues) is not None:
            continue  # "repeated his threat to sue": the noun is the cue, "his" the source
        if content is not None and via != "quote":
            lo, hi = _line(text_of(doc), tok.idx)
            content = (max(content[0], lo), min(content[1], hi))
        if kind == "speech" and (content is None or content[1] <= content[0]):
            # "Trump lashed out on Twitter, saying:" closing a paragraph: the next one is the content
            content, via = _next_paragraph(tok, text_of(doc), quotes) or (content, via)
        if content is None or content[1] <= content[0]:
            if via is not None:
                continue  # an action or an aspect, not speech
            content, via = _complement(tok, subj, cues, lex)
            if content is None:
                continue
        if via in ("ccomp", "quote") and content[1] <= min(tok.idx, src_span[0]):
            content = _second_part(content, max(tok.idx + len(tok), src_span[1]), quotes, doc)
        if kind == "belief" and tok.tag_ == "VBG" and tok.dep_ in ("advcl", "pcomp", "acl"):
            continue  # "hoping to ...": too often a purpose, not a stance
        if tok.lower_ == "say" and doc[tok.i + 1:tok.i + 3].text.lower() == "the least":
            continue  # "intriguing, to say the least": an idiom
        if _no_comment(tok, text_of(doc)[content[0]:content[1]]):
            continue  # "did not respond to requests for comment", "declined to comment"
        cue_end = tok.idx + len(tok)
        if particle is not None and particle.i <= tok.i + 2:
            cue_end = particle.idx + len(particle)
        found.append(_Found(src, subj, (tok.idx, cue_end), content, kind, tok, via))
    return found


_NO_COMMENT = re.compile(r"\W*(?:to\s+)?(?:(?:a|an|the|repeated|multiple|several)\s+)?"
                         r"(?:(?:requests?|calls?|messages?|emails?)\s+(?:for|seeking)\s+comment|comment\b)", re.IGNORECASE)


def _no_comment(tok, content: str) -> bool:
    """"did not respond to requests for comment", "declined to comment", "would not comment on
    the report": the boilerplate of a source that said nothing, not an attribution."""
    refused = tok.lemma_.lower() in ("decline", "refuse") or any(c.dep_ == "neg" for c in tok.children)
    if tok.lemma_.lower() == "comment":  # "would not comment on the report", "declined to comment on"
        return refused or (tok.dep_ == "xcomp" and tok.head.lemma_.lower() in ("decline", "refuse"))
    return refused and _NO_COMMENT.match(content) is not None


_COMPLEMENTS = ("dobj", "prep", "pcomp", "oprd", "xcomp", "advcl", "dative", "attr")


def _complement(tok, subj, cues: _Cues, lex) -> tuple[tuple[int, int] | None, str | None]:
    """What follows a cue that took no clause, object or quotation, as its content:
    "proposed eliminating the tax", "agreed with the unions", "objected to the legislation".
    Only for a plain statement by a named or personal speaker: a person, organisation or
    party, a pronoun, a noun of the source lexicons; not under a modal
    ("would argue"), not a verb modifying a noun ("the plan proposed"), not a verb the
    lexicon takes only with a clause or as evidence or only in a phrase ("go on"), not a lone
    pronoun ("decried them"); never where ``_content`` found no speech ("called the meeting
    to order"). On PolNeAR train about seven in ten of these are annotated attributions."""
    lemma = tok.lemma_.lower()
    if lemma not in cues.single_verbs or lemma in cues.clause_only or lemma in cues.evidence \
            or tok.dep_ in ("relcl", "acl") or any(c.tag_ == "MD" for c in tok.children):
        return None, None
    if not (subj.ent_type_ in ("PERSON", "ORG", "NORP") or subj.pos_ == "PROPN"
            or subj.lower_ in _PERSONAL or _lexicon_source(subj, lex)):
        return None, None
    rights = [c for c in tok.rights if c.dep_ in _COMPLEMENTS and _topical(c)]
    if not rights or (len(rights) == 1 and rights[0].pos_ == "PRON"):
        return None, None  # "decried them": no content a reader can use
    lo, hi = _line(text_of(tok.doc), tok.idx)
    last = rights[-1].right_edge
    start, end = max(lo, rights[0].left_edge.idx), min(hi, last.idx + len(last))
    return ((start, end), "complement") if end > start else (None, None)


def _tail_attributions(doc, cues: _Cues, quotes: _QuoteIndex) -> list[_Found]:
    """"“...,” Bozell answers.", "“...,” Trump barked and ...": a quotation, a name or
    pronoun and a verb of saying right after it, which a parse may leave without a subject
    (the name taken for a compound of the verb, the verb for a noun)."""
    text = text_of(doc)
    found = []
    for q in quotes.quotes:
        if q.scare or not re.search(r"[,!?]\W?$", q.text.rstrip()):
            continue
        after = doc.char_span(q.end, min(len(text), q.end + 60), alignment_mode="expand")
        if after is None:
            continue
        words = [t for t in after if not t.is_space][:6]
        k = 0
        while k < len(words) and words[k].is_punct and words[k].idx < q.end + 2:
            k += 1
        name = []
        if k < len(words) and words[k].lower_ in ("he", "she"):
            name, k = [words[k]], k + 1
        while not (name and name[0].lower_ in ("he", "she")) and k < len(words) and len(name) < 4 \
                and words[k].pos_ == "PROPN" and not quotes.inside(words[k].idx):
            name.append(words[k])
            k += 1
        if not name or k >= len(words):
            continue
        verb = words[k]
        lemma = verb.lemma_.lower()
        if lemma not in cues.speech:
            continue
        if k + 1 < len(words) and not (words[k + 1].is_punct or words[k + 1].lower_ in ("and", "in", "on", "at", "to")):
            continue
        found.append(_Found(name, name[-1], (verb.idx, verb.idx + len(verb)), (q.start, q.end), "speech", verb, "tail"))
    return found


def _verb_form_lemma(word: str, verbs: frozenset[str]) -> str | None:
    """The verb of ``verbs`` an inflected title-case form stands for ("Slams" -> "slam",
    "Says" -> "say", "Praised" -> "praise"), or None: a bare form ("Show", "State", "Joke") is
    as often a noun."""
    w = word.lower()
    for cut, add in (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("d", "")):
        if w.endswith(cut) and (w[:len(w) - len(cut)] + add) in verbs:
            return w[:len(w) - len(cut)] + add
    return None


def _headline_attributions(doc, cues: _Cues, quotes: _QuoteIndex) -> list[_Found]:
    """Title-case headlines, which the parser reads as one long name: "Glenn Beck Blasts
    Drudge ...", "Conservative Icon Morton Blackwell Endorses Ted Cruz". In a line whose words
    are nearly all capitalized, a word that is a form of a verb of saying, after two to six
    capitalized words that open the line, is the cue; those words are the source, the rest of
    the line the content."""
    text = text_of(doc)
    found = []
    for line_start, line_end in _paragraphs(text):
        words = re.findall(r"[A-Za-z][\w'’-]*", text[line_start:line_end])
        if not 3 <= len(words) <= 25 or sum(w[0].isupper() for w in words) < 0.8 * len(words) \
                or all(w.isupper() for w in words):
            continue
        span = doc.char_span(line_start, line_end, alignment_mode="expand")
        if span is None:
            continue
        tokens = [t for t in span if not t.is_space]
        for k, tok in enumerate(tokens[2:7], start=2):
            if not tok.text[:1].isupper() or quotes.inside(tok.idx) or tok.pos_ not in ("PROPN", "NOUN", "VERB"):
                continue
            if _verb_form_lemma(tok.text, cues.speech) is None:
                continue
            source = tokens[:k]
            rest = [t for t in tokens[k + 1:] if not t.is_punct]
            if any(not t.text[:1].isupper() for t in source) or len([t for t in rest if t.is_alpha]) < 2:
                break
            found.append(_Found(source, source[-1], (tok.idx, tok.idx + len(tok)), _span_chars(rest),
                                "speech", tok, "headline"))
            break
    return found


def _next_paragraph(tok, text: str, quotes: _QuoteIndex):
    """((start, end) of the paragraph after the cue's, "next_paragraph") when the cue's
    paragraph ends with a colon after the cue and nothing quoted ("He said:" ¶ "..." or the
    words of a post), else None."""
    lo, hi = _line(text, tok.idx)
    rest = text[tok.idx + len(tok):hi]
    if not rest.rstrip().endswith(":") or re.search(r"[“\"”.!?]", rest) or quotes.covering(tok.idx, tok.idx + 1):
        return None
    if any(t.pos_ in ("VERB", "AUX") for t in tok.doc[tok.i + 1:] if t.idx < hi):
        return None  # "lashed out on Twitter, saying:": the content is the later verb's
    m = re.compile(r"\S").search(text, hi)
    if m is None:
        return None
    start = m.start()
    end = text.find("\n", start)
    return (start, len(text) if end < 0 else end), "next_paragraph"


def _stance_attributions(doc, cues: _Cues, quotes: _QuoteIndex, lex) -> list[_Found]:
    """"Republicans have been critical of her email use", "Trump is confident that ...": a
    stance adjective after "be" with a person or body as subject and a clause or an object
    of the adjective's preposition as content."""
    found = []
    for tok in _tokens_where(doc, "LEMMA", ("be",)):
        if quotes.inside(tok.idx):
            continue
        adj = next((c for c in tok.children if c.dep_ == "acomp" and c.lemma_.lower() in cues.stance), None)
        subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if adj is None or subj is None or subj.lower_ in ("it", "there", "this", "that"):
            continue
        if not _plausible_source(subj, lex) or quotes.inside(subj.idx):
            continue
        clause = next((c for c in adj.children if c.dep_ in ("ccomp", "xcomp")), None)
        prep = next((c for c in adj.children if c.dep_ == "prep"), None)
        pobj = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None) if prep is not None else None
        content = clause if clause is not None else pobj
        if content is None:
            continue
        found.append(_Found(_source_tokens(subj), subj, (adj.idx, adj.idx + len(adj)), _subtree_chars(content),
                            "belief", adj, "stance"))
    return found


_LIGHT_VERBS = {"make", "issue", "deliver", "give", "voice", "lodge", "level", "raise", "release", "sign"}
_LIGHT_NOUNS = {"case", "point", "speech", "remarks", "address"}


def _light_verb_attributions(doc, cues: _Cues, quotes: _QuoteIndex, lex) -> list[_Found]:
    """"made the case that ...", "issued a warning that ...", "gave a speech on ...": a light
    verb whose object is a noun of saying; the cue is the noun, the content its clause or
    the rest of the object."""
    found = []
    for tok in _tokens_where(doc, "LEMMA", _LIGHT_VERBS):
        if tok.pos_ != "VERB" or quotes.inside(tok.idx):
            continue
        dobj = next((c for c in tok.children if c.dep_ == "dobj"), None)
        if dobj is None or (dobj.lemma_.lower() not in cues.nominal and dobj.lower_ not in _LIGHT_NOUNS):
            continue
        subj = _subject(tok)
        if subj is None or not _plausible_source(subj, lex) or quotes.inside(subj.idx):
            continue
        clause = next((c for c in dobj.children if c.dep_ in ("acl", "ccomp", "prep", "relcl")
                       and _topical(c)), None)
        clause = clause or next((c for c in tok.children if c.dep_ in ("ccomp", "prep", "xcomp")
                                 and _topical(c)), None)
        if clause is None:
            continue
        found.append(_Found(_source_tokens(subj), subj, (dobj.idx, dobj.idx + len(dobj)),
                            _subtree_chars(clause), "speech", dobj, "light_verb"))
    return found


def _nominal_content(span, doc, cues: _Cues):
    """The nominal cue heading ``span`` when it has a possessor and a clause ("his claim
    that ...", "her threat to sue"), else None."""
    head = doc.char_span(*span, alignment_mode="expand")
    head = head.root if head is not None and len(head) else None
    if head is None or head.lemma_.lower() not in cues.nominal:
        return None
    return head if _nominal_parts(head) is not None else None


def _nominal_parts(noun):
    """(possessor, clause) of a nominal cue, or None. Only a that-clause or to-infinitive
    counts: "his claim that ...", "her refusal to disavow ..."; with a prepositional object
    ("his support for", "Trump's response to") precision fell on PolNeAR train as much as
    recall rose."""
    poss = next((c for c in noun.children if c.dep_ == "poss"), None)
    clause = next((c for c in noun.children if c.dep_ in ("acl", "ccomp") and c.pos_ in ("VERB", "AUX")
                   and any(m.lower_ in ("that", "to") and m.dep_ in ("mark", "aux") for m in c.children)), None)
    return (poss, clause) if poss is not None and clause is not None else None


def _nominal_attributions(doc, cues: _Cues, quotes: _QuoteIndex) -> list[_Found]:
    """Nouns of saying or intending with a possessor and a clause: "his claim that ...",
    "Trump's threat to sue", "her warning that ..." (the possessor is the source)."""
    found = []
    for tok in _tokens_where(doc, "LEMMA", cues.nominal):
        if tok.pos_ != "NOUN" or quotes.inside(tok.idx):
            continue
        parts = _nominal_parts(tok)
        if parts is None:
            continue
        poss, clause = parts
        src = [t for t in poss.subtree if t.dep_ != "case"] or [poss]
        found.append(_Found(src, poss, (tok.idx, tok.idx + len(tok)), _subtree_chars(clause),
                            "speech", tok, "nominal"))
    return found


# findings that speak through "in": "In a new Fox News poll, 45 percent ...", "Sanders has led
# in every poll"
_IN_FINDINGS = frozenset({"poll", "survey", "study", "report", "analysis", "review", "audit", "census"})
# a point of view after "in" with its holder: "In Mr. Allen's view, ...", "in her words"
_IN_VIEWS = frozenset({"view", "opinion", "words", "estimation", "judgment", "judgement", "telling"})


def _in_finding(doc, cues: _Cues, quotes: _QuoteIndex) -> list[_Found]:
    """"In a September poll, 75 percent of Republicans ...", "Trump leads Cruz by 9 points in
    the latest poll": a poll, survey, study or report after "in" on the clause's verb is its
    source, the rest of the clause the content (as with "according to"); so is the holder of
    a view set off by a comma ("In Mr. Allen's view, it shows ..."). Not when the verb is a
    cue of its own ("In a report, the agency said ...": the agency speaks)."""
    found = []
    # the few nouns first, not every "in"
    for pobj in _tokens_where(doc, "LOWER", _IN_FINDINGS | _IN_VIEWS):
        tok = pobj.head
        if pobj.dep_ != "pobj" or tok.lower_ != "in" or quotes.inside(tok.idx):
            continue
        holder = next((c for c in pobj.children if c.dep_ == "poss"), None)
        after = tok.right_edge.i + 1
        if pobj.lower_ in _IN_VIEWS and holder is not None and after < len(doc) and doc[after].text == ",":
            source, subj = [t for t in holder.subtree if t.dep_ != "case"] or [holder], holder
        elif pobj.lower_ in _IN_FINDINGS and pobj.tag_ == "NN":  # not "rising in the polls"
            source, subj = _source_tokens(pobj), pobj
        else:
            continue
        verb = tok.head
        while verb.pos_ not in ("VERB", "AUX") and verb.dep_ not in ("ROOT", "ccomp", "advcl") \
                and verb.head.i != verb.i:
            verb = verb.head  # "a growing lead in the latest poll": up to the clause's verb
        if verb.pos_ not in ("VERB", "AUX") or verb.lemma_.lower() in cues.verb_lemmas:
            continue
        phrase = set(tok.subtree)
        rest = [t for t in verb.subtree if t not in phrase and not t.is_punct]
        if len(rest) < 3:
            continue
        found.append(_Found(source, subj, (tok.idx, tok.idx + len(tok)), _span_chars(rest),
                            "according_to", tok, "in_finding"))
    return found


def _according_to(doc) -> list[_Found]:
    found = []
    for tok in _tokens_where(doc, "LOWER", ("according",)):
        if tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "to":
            continue
        to = doc[tok.i + 1]
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
        if pobj is None:
            pobj = next((c for c in tok.children if c.dep_ == "pobj"), None)
        if pobj is None:
            continue
        src = _source_tokens(pobj)
        phrase = {tok, *tok.subtree, *to.subtree}
        sent = tok.sent
        rest = [t for t in sent if t not in phrase]
        before = [t for t in rest if t.i < tok.i and not t.is_punct]
        after = [t for t in rest if t.i > tok.i and not t.is_punct]
        side = after if len(after) >= len(before) else before
        if not side:
            continue
        found.append(_Found(src, pobj, (tok.idx, to.idx + len(to)), _span_chars(side),
                            "according_to", tok, "according_to"))
    return found


_COLON_MAX_WORDS = 8  # words of a "Name: words" source before the colon


def _colon_attributions(doc, quotes: _QuoteIndex, lex, actors: _Actors) -> list[_Found]:
    """"Obama: I'm optimistic ...", "Pollsters agree - Carl Bialik: “...”" -- a short name or
    source noun opening a line (or following a dash on it), then a colon and what they said
    (headline, round-up and interview style). No verb before the colon ("He said: ..." is a
    verb's), and at least three words after it. A label in capitals is a speaker when it
    names an actor ("PENCE: ...") or the article is a transcript (several such labels open its
    lines); a name the parser missed counts when it is an actor's name or surname."""
    text = text_of(doc)
    found = []
    at_labels = {m.end() - 1: m.group(1) for m in re.finditer(r"(?m)^\W{0,2}([A-Z][A-Z.'’ -]{1,30}[A-Z.]):", text)
                 if not set(m.group(1).lower().split()) & lex["not_colon_sources"]}
    labels = Counter(at_labels.values())
    transcript = len(labels) >= 2 and sum(labels.values()) >= 3
    for colon in _tokens_where(doc, "ORTH", (":", "):")):
        label = transcript and at_labels.get(colon.idx)
        if quotes.inside(colon.idx) and not label:  # '"PENCE: ...': a transcript line in quotes
            continue
        line = _line(text, colon.idx)
        head_start = line[0]
        for m in re.finditer(r"\s[-–—]\s", text[line[0]:colon.idx]):
            head_start = line[0] + m.end()
        part = [t for t in colon.sent.doc[max(0, colon.i - 3 * _COLON_MAX_WORDS):colon.i]
                if t.idx >= head_start and not t.is_space]
        if colon.text == "):":  # "Rep. Trey Gowdy (R-S.C.): ...": the name before the brackets
            part = part[:next((k for k in range(len(part) - 1, -1, -1) if part[k].text == "("), 0)]
        words = [t for t in part if not t.is_punct]
        if not words or len(words) > _COLON_MAX_WORDS or not words[0].text[:1].isupper():
            continue
        known = label or actors.named(" ".join(t.text for t in words)) is not None
        if not known and (any(t.pos_ in ("VERB", "AUX") for t in words) or all(t.is_upper for t in words)):
            continue
        roots = [t for t in words if t.head not in part or t.head.i == t.i]
        subj = next((t for t in roots if t.pos_ in ("PROPN", "NOUN", "PRON")), None) or (words[-1] if known else None)
        if subj is None or any(t.lower_ in lex["not_colon_sources"] for t in words):
            continue
        if not known and subj.ent_type_ not in ("PERSON", "ORG", "NORP") and not _lexicon_source(subj, lex):
            continue  # "Bombshell: ...", "The Ninth Circle: ...": a headline's label
        after = [t for t in doc[colon.i + 1:min(len(doc), colon.i + 120)]
                 if not t.is_space and (t.idx < line[1] or (not label and quotes.covering(t.idx, t.idx + 1)))]
        after = after[:next((k for k, t in enumerate(after) if t.idx >= line[1]
                             and not quotes.covering(t.idx, t.idx + 1)), len(after))]
        if len([t for t in after if t.is_alpha]) < 3:
            continue
        mark = colon.idx + len(colon.text) - 1
        found.append(_Found(words, subj, (mark, mark + 1), _span_chars(after), "speech", colon, "colon"))
    return found


_NAME_WORD = r"[A-Z][\w.'’-]*"
# "— Paul Ryan (@SpeakerRyan) July 5, 2016": the signature of an embedded post; "” ― Carla
# Sanchez.", "- Bernie Sanders." or "-Michelle Marks, Philadelphia.": a quotation signed by its
# speaker on the same line or on a line of its own
_SIGNATURE = re.compile(
    r"(?:^|(?<=[\s”\"'’.!?]))(?:―|—|–|--?)[^\S\n]*(?P<name>" + _NAME_WORD + r"(?:[^\S\n]+(?:" + _NAME_WORD
    + r"|de|da|del|van|von|la|le))*)(?P<handle>[^\S\n]*\(@\w+\))?(?:,[^\S\n]*[A-Z][\w.'’ -]{0,40})?"
    r"(?:[^\S\n]+[A-Z][a-z]+\.?[^\S\n]+\d{1,2},[^\S\n]*\d{4})?[^\S\n]*(?:</\w+>)?[^\S\n]*[.,]?[^\S\n]*$")
_SIGNATURE_WORDS = 5  # at most this many words in a signing name


def _quoted_line(line: str) -> bool:
    """Whether a line is one quotation, whichever way its marks curl (”...” happens)."""
    marks = "\"“”„«»"
    return len(line) > 2 and line[0] in marks and line[-1] in marks


def _signed_attributions(doc, actors: _Actors) -> list[_Found]:
    """A quotation or post signed by a dash and its author's name at the end of its line or
    on the next line: "“...” ― Carla Sanchez", "“...” ¶ - Bernie Sanders.", "... — Paul Ryan
    (@SpeakerRyan) July 5, 2016" (embedded posts and vox-pop round-ups). A one-word signature
    counts only as a person or organisation (tagged, an actor) or with a handle."""
    text = text_of(doc)
    found = []
    previous: tuple[int, int] | None = None
    for start, end in _paragraphs(text):
        line = text[start:end]
        m = _SIGNATURE.search(line)
        if m is None or len(m.group("name").split()) > _SIGNATURE_WORDS:
            previous = (start, end)
            continue
        dash = start + m.start()
        body = line[:m.start()].strip()
        if body:
            lead = len(line) - len(line.lstrip())
            tag = re.match(r"<[^>]*>", line[lead:])  # the markup an extractor left around a post
            c_start = start + lead + (tag.end() if tag else 0)
            content = (c_start, start + len(line[:m.start()].rstrip()))
            if not m.group("handle") and not _quoted_line(body):
                previous = (start, end)
                continue  # a sentence of the writer's ending in a dash and a name
        elif previous is not None and _quoted_line(text[previous[0]:previous[1]].strip()):
            content = previous
        else:
            previous = (start, end)
            continue
        name_end = start + m.end("name")
        if m.group("name").endswith(".") and len(m.group("name").split()[-1]) > 2:
            name_end -= 1  # "― Karen Bobadilla.": the sentence's stop, not an initial's
        span = doc.char_span(start + m.start("name"), name_end, alignment_mode="expand")
        previous = (start, end)
        if span is None or content[1] - content[0] < 10:
            continue
        named = (m.group("handle") or len(m.group("name").split()) > 1
                 or any(t.ent_type_ in ("PERSON", "ORG") for t in span)
                 or actors.overlapping(span.start_char, span.end_char) is not None
                 or actors.named(m.group("name")) is not None)
        if not named:
            continue
        cue = doc.char_span(dash, dash + 1, alignment_mode="expand")
        found.append(_Found(list(span), span.root, (dash, dash + 1), content, "speech",
                            cue.root if cue is not None else span.root, "signature"))
    return found


def _whole_quotes(content: tuple[int, int], quotes: _QuoteIndex) -> tuple[int, int]:
    """The content widened to the quotation marks it starts or ends inside: a quote of
    several sentences is one content, though the parse ties the cue to its first sentence."""
    start, end = content
    for q in quotes.quotes:
        if q.scare or not (q.start < end and start < q.end):
            continue
        if q.start <= start <= q.start + 2 or start <= q.start:
            end = max(end, q.end)
        if q.end - 2 <= end <= q.end or end >= q.end:
            start = min(start, q.start)
    return start, end


def _kind(found: _Found, quotes: _QuoteIndex) -> str:
    if found.kind == "according_to":
        return "according_to"
    start, end = found.content
    quoted = quotes.quoted_chars(start, end)
    if quoted == 0:
        return "indirect"
    # a quote split around its attribution holds the source and cue: they are not content
    inner = sum(max(0, min(end, b) - max(start, a)) for a, b in (found.source_span, found.cue))
    return "direct" if quoted >= 0.9 * (end - start - inner) else "mixed"


def _drop_nested(found: list[_Found]) -> list[_Found]:
    """One attribution per cue, and none whose cue sits in another's content: a source
    quoted inside a quote speaks through the outer speaker."""
    out: list[_Found] = []
    # "They said:" ¶ "Jane Miller said that ...": a paragraph with an attribution of its own
    # is not the content of the line announcing it
    found = [f for f in found if f.via != "next_paragraph"
             or not any(g is not f and f.content[0] <= g.cue[0] < f.content[1]
                        and g.via not in ("light_verb", "nominal", "stance") for g in found)]
    # a verb's attribution first, then the longest; "Name: words" lines give way to a verb
    for f in sorted(found, key=lambda f: (f.via != "colon", f.content[1] - f.content[0]), reverse=True):
        # "According to CNN, the administration stated ...": both are kept
        if any(g.cue == f.cue or (g.content[0] <= f.cue[0] < g.content[1] and g.kind != "according_to")
               for g in out):
            continue
        out.append(f)
    return sorted(out, key=lambda f: f.cue[0])


def _attribution(doc, f: _Found, actors: _Actors, lex, quotes: _QuoteIndex) -> Attribution:
    text = text_of(doc)
    s_start, s_end = _span_chars(f.source_tokens)
    typed = _classify(f.source_tokens, f.subj, actors, lex, s_start, s_end, f.cue_tok)
    c_start, c_end = f.content
    members = _conjoined_actors(f.subj, actors) if typed.resolved_by == "name" else []
    actor = typed.actor or (members[0] if members else None)
    names = [a.name for a in members] or ([actor.name] if actor else [])
    return Attribution(
        text[s_start:s_end], s_start, s_end, text[f.cue[0]:f.cue[1]], f.cue[0], f.cue[1],
        text[c_start:c_end], c_start, c_end, _kind(f, quotes), typed.source_type,
        actor.name if actor else None, resolved_by=typed.resolved_by, actors=names)


def _floating_quotes(doc, attributions: list[Attribution], quotes: list[Quote],
                     actors: _Actors) -> list[Attribution]:
    """Quotations with no cue of their own: a quote continued from an attributed paragraph
    keeps its speaker; a full-sentence quote takes the speaker of the attribution just
    before it (within a few sentences) when no other person is named in between."""
    text = text_of(doc)
    covered = [a for a in attributions if a.content_start is not None]
    speaker_of_group: dict[int, Attribution] = {}
    out: list[Attribution] = []
    for q in quotes:
        owner = next((a for a in covered if a.content_start < q.end and q.start < a.content_end), None)
        if owner is not None:
            speaker_of_group.setdefault(q.group, owner)
            continue
        if q.scare and q.group not in speaker_of_group:
            continue
        prev = speaker_of_group.get(q.group)
        if prev is None:
            before = text[max(0, q.start - 3):q.start].strip()
            if q.words < 4 or (before and before[-1] not in ".!?:”\""):
                continue  # a quote inside a sentence of the writer's
            line_end = text.find("\n", q.end)
            rest = text[q.end:line_end if line_end >= 0 else None]
            if q.text.rstrip().endswith(",") and rest.strip(" .”\""):
                continue  # "“...,” summarized X": its sentence goes on to a speaker of its own
            if q.text.rstrip()[-1:] in "?!" and _people_named(actors, q.end, q.end + min(len(rest), 40)):
                continue  # "“...?” Mr. Trump was quoted as saying": the same
            previous = [a for a in covered + out if a.source is not None and a.content_end <= q.start
                        and q.start - a.content_end <= _FLOATING_WINDOW
                        and a.kind in ("direct", "mixed", "indirect")]
            if not previous:
                continue
            prev = max(previous, key=lambda a: a.content_end)
            last_end = prev.content_end
            # "“...,” Cruz said about the article alleging that ...": a paraphrase inside the
            # quoted speaker's sentence does not take the next quote from them
            quoted = [a for a in previous if a.kind in ("direct", "mixed") and a.cue_end is not None
                      and prev.cue_start is not None and a.cue_end <= prev.cue_start
                      and not re.search(r"[.!?]", text[a.cue_end:prev.cue_start])]
            if prev.kind == "indirect" and quoted:
                prev = max(quoted, key=lambda a: a.content_end)
            if _other_person_between(actors, prev, last_end, q.start):
                continue
            announced = text[:q.start].rstrip()
            if announced.endswith(":") and prev.content_end <= announced.rfind("\n"):
                continue  # "a post provides the following commentary:" ¶ "...": announced by another
        speaker_of_group.setdefault(q.group, prev)
        out.append(Attribution(prev.source, None, None, None, None, None, text[q.start:q.end],
                               q.start, q.end, "direct", prev.source_type, prev.actor,
                               resolved_by="previous_speaker", actors=list(prev.actors)))
    return out


def _people_named(actors: _Actors, start: int, end: int) -> list[tuple[int, int, Actor]]:
    """The mentions of persons between ``start`` and ``end``."""
    return [(s, e, a) for s, e, a in actors.mentions if start <= s and e <= end and _is_person(a, actors.lex)]


def _other_person_between(actors: _Actors, prev: Attribution, start: int, end: int) -> bool:
    """Whether a person other than ``prev``'s speaker is named (outside quotations) between
    ``start`` and ``end``: a quote after that may be theirs."""
    own = set(prev.actors) | {prev.actor}
    return any(a.name not in own and actors.quotes.covering(s, e) is None
               for s, e, a in _people_named(actors, start, end))


def extract_attributions(doc, actors: list[Actor]) -> list[Attribution]:
    """Attributions of ``doc`` in text order (see the module docstring for the forms).

    Offsets index ``doc.text``. An attribution carried over to a floating quote has no
    source or cue offsets (``source_start`` is None) and ``resolved_by="previous_speaker"``.
    """
    lex = lexicon("sources.txt")
    quote_list = find_quotes(text_of(doc))
    quotes = _QuoteIndex(quote_list)
    dates = datelines(text_of(doc))
    cues = _cues()
    index = _Actors(actors, doc, quotes, lex, dates)
    found = (_verb_attributions(doc, cues, quotes, lex, dates) + _nominal_attributions(doc, cues, quotes)
             + _stance_attributions(doc, cues, quotes, lex) + _light_verb_attributions(doc, cues, quotes, lex)
             + _according_to(doc) + _in_finding(doc, cues, quotes) + _tail_attributions(doc, cues, quotes)
             + _headline_attributions(doc, cues, quotes)
             + _colon_attributions(doc, quotes, lex, index) + _signed_attributions(doc, index))
    for f in found:
        if f.kind != "according_to" and f.via != "colon":
            f.content = _whole_quotes(f.content, quotes)
    found = _drop_nested(found)
    attributions = [_attribution(doc, f, index, lex, quotes) for f in found]
    attributions += _floating_quotes(doc, attributions, quote_list, index)
    return sorted(attributions, key=lambda a: a.content_start if a.cue_start is None else a.cue_start)


# --- article metrics -----------------------------------------------------------------

def summarize(doc, attributions: list[Attribution], actors: list[Actor]) -> dict:
    """Per-article source metrics.

    n_attributions: attributions found (each quote, paraphrase or "according to"), >= 0.
    n_direct_quotes: attributions whose content is wholly or partly a quotation (kind
      direct or mixed), >= 0.
    n_named_sources / n_anonymous_sources / n_vague_sources / n_media_sources /
      n_document_sources / n_unresolved_sources: attributions per source type (named =
      named_person + named_organization), >= 0.
    n_distinct_named_sources and named_sources: the distinct named speakers (actor names).
    named_share / anonymous_share / vague_share: those counts over n_attributions, [0, 1]
      (0 when there is no attribution); higher named_share => more transparent sourcing.
    attribution_sentence_share: share of sentences holding the cue or content of an
      attribution, [0, 1]; higher => more of the article is reported speech.
    quote_word_share: share of words inside quotation marks (scare quotes and titles
      excluded), [0, 1].
    source_type_mix: {type: attributions}; quoted_actors: {actor: attributions};
    mentioned_only_actors: actors mentioned but never given a voice.
    """
    n = len(attributions)
    by_type = Counter(a.source_type for a in attributions)
    named = [a for a in attributions if a.source_type in NAMED_TYPES]
    names = sorted({name for a in named for name in (a.actors or [a.actor or a.source]) if name})
    speakers = Counter(name for a in attributions for name in (a.actors or ([a.actor] if a.actor else [])))
    sentences = word_sentences(doc)
    spans = [(a.cue_start, a.cue_end) for a in attributions if a.cue_start is not None]
    spans += [(a.content_start, a.content_end) for a in attributions if a.content_start is not None]
    carrying = sum(any(s < sent.end_char and sent.start_char < e for s, e in spans) for sent in sentences)
    words = word_offsets(doc)
    in_quotes = _QuoteIndex([q for q in find_quotes(text_of(doc)) if not q.scare])
    quoted_words = sum(in_quotes.inside(i) for i in words)
    share = lambda k: round(k / n, 4) if n else 0.0  # noqa: E731
    return {
        "n_attributions": n,
        "n_direct_quotes": sum(a.kind in ("direct", "mixed") for a in attributions),
        "n_indirect": sum(a.kind == "indirect" for a in attributions),
        "n_according_to": sum(a.kind == "according_to" for a in attributions),
        "n_named_sources": len(named),
        "n_anonymous_sources": by_type["anonymous"],
        "n_vague_sources": by_type["vague"],
        "n_media_sources": by_type["media"],
        "n_document_sources": by_type["document"],
        "n_unresolved_sources": by_type["unresolved"],
        "n_distinct_named_sources": len(names),
        "named_share": share(len(named)),
        "anonymous_share": share(by_type["anonymous"]),
        "vague_share": share(by_type["vague"]),
        "attribution_sentence_share": round(carrying / len(sentences), 4) if sentences else 0.0,
        "quote_word_share": round(quoted_words / len(words), 4) if words else 0.0,
        "named_sources": names,
        "source_type_mix": {t: by_type[t] for t in SOURCE_TYPES if by_type[t]},
        "quoted_actors": dict(speakers.most_common()),
        "mentioned_only_actors": [a.name for a in actors if a.name not in speakers],
    }


# --- corpus views (DataFrames for the Sources page; no Streamlit here) -------------------

def speaker_of(row) -> str:
    """How an attribution's speaker is named across articles: its actor, else its source
    text, else "(unresolved)"."""
    for value in (row.get("actor"), row.get("source")):
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
    return "(unresolved)"


def speakers(attributions):
    """``speaker_of`` of every row of an attributions frame, as a Series: the frame's own
    ``speaker`` column when it has one, else worked out once per distinct (actor, source)
    pair (100,000s of rows hold a few thousand)."""
    import pandas as pd

    if "speaker" in attributions:
        return attributions["speaker"]
    columns = [[v if isinstance(v, str) else None for v in attributions[c].tolist()]
               if c in attributions else [None] * len(attributions) for c in ("actor", "source")]
    keys = list(zip(*columns))
    named = {k: speaker_of({"actor": k[0], "source": k[1]}) for k in set(keys)}
    return pd.Series([named[k] for k in keys], index=attributions.index, dtype=object)


def corpus_source_types(attributions, types: dict[str, str]) -> list[str]:
    """Each attribution's ``source_type`` as the corpus types its speaker (the frame's
    ``speaker``: the canonical actor name; ``types``: canonical name -> actor type, from
    ``actors.corpus_links``). One article's tagger may call an outlet or a body a person
    ("Politico reported", typed PERSON) or a person an organisation; the corpus decides, as
    it does for the actors. Other source types are kept."""
    lex = lexicon("sources.txt")

    def corrected(kind: str, speaker: str) -> str:
        corpus = types.get(speaker)
        if kind == "named_person" and corpus in ("organization", "country", "place"):
            name = re.sub(r"^the\s+", "", speaker.lower())
            return "media" if _is_media_name(name, lex) else "named_organization"
        return "named_person" if kind == "named_organization" and corpus == "person" else kind

    pairs = list(zip(attributions["source_type"].tolist(), speakers(attributions).tolist()))
    known = {pair: corrected(*pair) for pair in set(pairs)}  # a few thousand distinct pairs
    return [known[pair] for pair in pairs]


def type_mix(attributions, by: str = "outlet"):
    """Attributions per ``by`` and source type: columns ``by``, source_type, count, share
    (share of that ``by`` value's attributions, [0, 1])."""
    import pandas as pd

    if attributions.empty:
        return pd.DataFrame(columns=[by, "source_type", "count", "share"])
    counts = attributions.groupby([by, "source_type"]).size().rename("count").reset_index()
    counts["share"] = counts["count"] / counts.groupby(by)["count"].transform("sum")
    order = {t: i for i, t in enumerate(SOURCE_TYPES)}
    return counts.sort_values([by, "source_type"], key=lambda s: s.map(order) if s.name == "source_type" else s)


def speaker_matrix(attributions, top: int = 15, by: str = "outlet"):
    """Attributions per speaker (rows, the ``top`` most cited named speakers, see
    ``speakers``) and ``by`` value (columns); a zero means that outlet never gives the speaker
    a voice. With an ``actors`` column, a joint statement ("Rubio and Waltz said") counts for
    each of its actors."""
    import pandas as pd

    named = attributions["source_type"].isin(NAMED_TYPES + ("media",))
    if not named.any():
        return pd.DataFrame()
    # Only the two columns needed are cut out of 100,000s of rows.
    named = pd.DataFrame({"speaker": speakers(attributions)[named], by: attributions.loc[named, by]})
    if "actors" in attributions:
        named = _each_actor(named, attributions.loc[named.index, "actors"])
    leaders = named["speaker"].value_counts().head(top).index
    matrix = (named[named["speaker"].isin(leaders)].groupby(["speaker", by]).size()
              .unstack(fill_value=0))
    return matrix.loc[leaders]


def _each_actor(named, actors):
    """``named`` with a row per actor of a joint statement ("Rubio and Waltz said"): the
    speaker column takes each of the row's ``actors`` (rows with one or none are kept)."""
    joint = actors.map(lambda v: len(v) > 1 if isinstance(v, (list, tuple)) or hasattr(v, "tolist") else False)
    if not joint.any():
        return named
    import pandas as pd

    extra = named[joint].assign(speaker=actors[joint].map(list)).explode("speaker")
    return pd.concat([named[~joint], extra])


def _quote_words(content: str) -> list[list[str]]:
    return [re.findall(r"[a-z0-9']+", q.text.lower().replace("’", "'"))
            for q in find_quotes(content) if not q.scare]


def shared_quotes(attributions, *, shingle: int = 6, by: str = "outlet"):
    """Quotations that appear in articles of several ``by`` values: two quotes are one
    when they share a run of ``shingle`` words (or are equal when shorter). Columns: quote
    (the longest wording), speakers, n_outlets, outlets, articles."""
    import pandas as pd

    quoted = attributions[attributions["kind"].isin(["direct", "mixed"]) & attributions["content"].notna()]
    items = []  # (words, row)
    for row in quoted.to_dict("records"):
        for words in _quote_words(row["content"]):
            if len(words) >= 3:
                items.append((words, row))
    parent = list(range(len(items)))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    seen: dict[tuple, int] = {}
    for i, (words, _) in enumerate(items):
        keys = {tuple(words)} if len(words) < shingle else {
            tuple(words[k:k + shingle]) for k in range(len(words) - shingle + 1)}
        for key in keys:
            if key in seen:
                parent[root(i)] = root(seen[key])
            else:
                seen[key] = i
    groups: dict[int, list[int]] = {}
    for i in range(len(items)):
        groups.setdefault(root(i), []).append(i)
    rows = []
    for members in groups.values():
        records = [items[i][1] for i in members]
        outlets = sorted({r[by] for r in records})
        if len(outlets) < 2:
            continue
        longest = max((items[i][0] for i in members), key=len)
        rows.append({"quote": " ".join(longest), "speakers": ", ".join(sorted({speaker_of(r) for r in records})),
                     "n_outlets": len(outlets), "outlets": ", ".join(outlets),
                     "articles": len({r["article_id"] for r in records})})
    columns = ["quote", "speakers", "n_outlets", "outlets", "articles"]
    return pd.DataFrame(rows, columns=columns).sort_values("n_outlets", ascending=False, ignore_index=True)
