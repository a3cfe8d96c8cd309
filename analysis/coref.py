"""Within-article coreference of pronouns and role nouns to the actors (a learned model).

``resolve(doc, actors)`` ties third-person pronouns ("he", "her", "its", "they"), the
relative "who" as a subject, and definite role-noun phrases ("the president", "the agency",
"the Russian leader", "the GOP nominee") to the actor they refer to; ``antecedent`` gives
the same decision for one span (a speaker "he" or "the minister").

Method (docs/coreference.md): a mention-ranking model. Anaphors are taken in text order;
each is scored against every actor with a name mention before it (and, through the
anaphors already resolved to it, the actor's latest mention) within a window of sentences,
by a logistic regression over features of the pair: sentence and token distance, a
paragraph break between them, gender agreement (honorifics, pronouns already tied to the
actor, a first-name list), number and animacy (anaphor class x actor type), the
antecedent's and the anaphor's syntactic roles, salience (mentions so far, the first actor,
recency rank) and, for role nouns, whether the actor holds that office or bears that word
in its name. The best candidate wins only when its probability clears the threshold tuned
by cross-validation on GUM train for a precision of at least .90: a wrong antecedent is
worse than none, so an ambiguous anaphor stays unresolved.

The weights are plain JSON (analysis/models/coref.json, written by scripts/train_coref.py),
read with numpy; nothing is trained or downloaded at run time.
"""
from __future__ import annotations

import functools
import json
import math
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .actors.names import HONORIFICS, LEADER_ROLES, TITLE_HEADS
from .model import Actor, Mention
from .nlp import text_of

MODEL_FILE = Path(__file__).parent / "models" / "coref.json"
ACTOR_TYPES = ("person", "organization", "country", "place", "group")
# The classes the model scores; a subject "who" is decided by syntax alone (see _decide).
CLASSES = ("he", "she", "it", "they", "role_person", "role_org", "role_place")
GROUPS = {"he": "pronoun", "she": "pronoun", "it": "pronoun", "they": "pronoun",
          "who": "relative", "role_person": "role", "role_org": "role", "role_place": "role"}
# pronoun -> (class, possessive, reflexive)
PRONOUNS = {
    "he": ("he", False, False), "him": ("he", False, False), "his": ("he", True, False),
    "himself": ("he", False, True),
    "she": ("she", False, False), "her": ("she", True, False), "hers": ("she", True, False),
    "herself": ("she", False, True),
    "it": ("it", False, False), "its": ("it", True, False), "itself": ("it", False, True),
    "they": ("they", False, False), "them": ("they", False, False),
    "their": ("they", True, False), "theirs": ("they", True, False),
    "themselves": ("they", False, True),
}
# Offices a definite role noun names a person by; courtesy titles are not offices.
PERSON_ROLES = (TITLE_HEADS - HONORIFICS - {"sen.", "rep.", "gov.", "gen.", "col.", "lt.",
                                             "sgt.", "capt.", "prof.", "lady", "co-founder"}) \
    | {"nominee", "premier", "king", "queen", "lawmaker", "candidate", "incumbent",
       "challenger", "frontrunner", "front-runner", "billionaire", "businessman",
       "businesswoman", "star", "player", "striker", "singer", "rapper", "novelist",
       "politician", "strongman", "dictator", "pontiff", "monarch", "chief"}
ORG_ROLES = {
    "agency", "company", "firm", "group", "government", "administration", "party", "ministry",
    "department", "organization", "organisation", "committee", "campaign", "council", "court",
    "university", "team", "bank", "club", "corporation", "network", "union", "league", "board",
    "commission", "institute", "foundation", "band", "newspaper", "paper", "army", "military",
    "regime", "coalition", "alliance", "movement", "church", "school", "college", "hospital",
    "airline", "carrier", "startup", "retailer", "manufacturer", "automaker", "giant", "outlet",
    "publication", "magazine", "broadcaster", "bureau", "office", "senate", "congress",
    "parliament", "legislature", "business", "chain", "charity", "association", "society",
    "federation", "militia", "cabinet", "junta", "tribunal", "supplier", "insurer", "lender",
    "publisher", "studio", "label", "brand", "service", "body", "watchdog", "regulator",
}
PLACE_ROLES = {"country", "nation", "city", "state", "kingdom", "republic", "capital",
               "island", "town", "village", "region", "province", "territory", "county",
               "continent", "area", "neighborhood", "neighbourhood", "district"}
# Which actor types an anaphor class can refer to (the baseline's agreement rule).
COMPATIBLE = {
    "he": {"person"}, "she": {"person"}, "it": {"organization", "country", "place"},
    "they": {"organization", "group", "country"},
    "role_person": {"person"}, "role_org": {"organization", "country", "group"},
    "role_place": {"place", "country"},
}
GENERIC_OFFICES = {"leader", "head", "chief", "official"}
MALE_TITLES = {"mr", "mr.", "sir", "lord", "king", "prince", "congressman", "spokesman",
               "chairman", "businessman", "father", "brother", "emperor", "sultan", "emir"}
FEMALE_TITLES = {"mrs", "mrs.", "ms", "ms.", "miss", "dame", "lady", "queen", "princess",
                 "congresswoman", "spokeswoman", "chairwoman", "businesswoman", "actress",
                 "mother", "sister", "empress"}
SUBJECT_DEPS = {"nsubj", "nsubjpass"}
OBJECT_DEPS = {"dobj", "iobj", "dative", "pobj"}
WINDOW = {"pronoun": 5, "role": 20}  # sentences between the anaphor and the actor's last mention
MAX_CANDIDATES = 10  # the most recently mentioned actors within the window
_PARAGRAPH = re.compile(r"\n[ \t]*\n")
_DIST_BINS = ((0, 0), (1, 1), (2, 2), (3, 4), (5, 10 ** 9))

FEATURES = (
    *(f"cls_{c}_x_{t}" for c in CLASSES for t in ACTOR_TYPES),
    "sent_0", "sent_1", "sent_2", "sent_3_4", "sent_5p", "log_token_dist", "paragraph_break",
    "last_is_name", "rank_0", "rank_1", "rank_2p", "compat_rank_0", "compat_rank_1",
    "compat_rank_2p", "log_compatible", "log_mentions", "most_mentioned", "first_actor",
    "same_sentence", "previous_sentence", "ante_subject", "anaphor_subject", "parallel_subject",
    "same_dep", "anaphor_possessive", "anaphor_reflexive", "binding_violation",
    "clause_subject", "gender_name_agree", "gender_name_clash",
    "gender_title_agree", "gender_title_clash", "gender_pronoun_agree", "gender_pronoun_clash",
    "gender_unknown", "gender_rival", "only_compatible", "plural_they", "plural_singular", "role_office", "role_leader",
    "role_office_clash", "role_name_word", "role_modifier_match", "role_modifier_clash",
    "role_unique_holder", "role_rival", "in_name_paragraph",
)


@dataclass
class Anaphor:
    """One pronoun or role noun: char span, token span, class and what it says."""

    start: int
    end: int
    first: int                  # first token index
    head: int                   # head token index
    cls: str
    possessive: bool = False
    reflexive: bool = False
    office: str | None = None   # role noun's head word ("president", "agency")
    modifiers: tuple[str, ...] = ()  # its capitalised or adjectival modifiers, lower case

    @property
    def group(self) -> str:
        return GROUPS[self.cls]


@dataclass
class _Cand:
    """What the resolver knows of one actor as the text is read."""

    index: int
    type: str
    named: list[int]            # head token of each name mention, in order
    named_first: list[int]      # first token of each name mention
    named_para: list[int]       # paragraph of each name mention
    name_words: set[str]
    offices: set[str]
    context: set[str]           # lower-cased words just before its name mentions
    gender_name: str | None
    gender_title: str | None
    plural: bool
    linked: list[int] = field(default_factory=list)  # head tokens of anaphors tied to it
    he: int = 0
    she: int = 0


@dataclass
class _View:
    """Arrays of one parsed doc, read once (no Token objects in the loops)."""

    doc: object
    text: str
    idx: list[int]
    sent: list[int]
    para: list[int]
    dep: list[str]
    head: list[int]
    tag: list[str]


def _view(doc) -> _View:
    from spacy.attrs import DEP, HEAD, IDX, SENT_START, TAG

    key = "coverage_lens.coref_view"
    if key in doc.user_data:
        return doc.user_data[key]
    text = text_of(doc)
    rows = doc.to_array([IDX, SENT_START, DEP, TAG, HEAD]) if len(doc) else \
        np.zeros((0, 5), dtype=np.uint64)
    idx = rows[:, 0].astype(np.int64).tolist()
    sent = (np.cumsum(rows[:, 1] == 1) - 1).clip(min=0).tolist() if len(doc) else []
    # HEAD is the offset to the head, stored unsigned: int64 turns it back into a signed one.
    heads = (np.arange(len(doc)) + rows[:, 4].astype(np.int64)).tolist()
    breaks = [m.start() for m in _PARAGRAPH.finditer(text)]
    para = [bisect_right(breaks, i) for i in idx]
    strings = doc.vocab.strings
    dep_names: dict[int, str] = {}
    tag_names: dict[int, str] = {}
    dep = [dep_names[d] if d in dep_names else dep_names.setdefault(d, strings[d])
           for d in rows[:, 2].tolist()]
    tag = [tag_names[t] if t in tag_names else tag_names.setdefault(t, strings[t])
           for t in rows[:, 3].tolist()]
    view = _View(doc, text, idx, sent, para, dep, heads, tag)
    doc.user_data[key] = view
    return view


def _token_at(view: _View, char: int) -> int:
    return max(0, bisect_right(view.idx, char) - 1)


def is_role_mention(text: str, mention: Mention) -> bool:
    """Whether an actor mention is a role noun ("the president") rather than a name: names
    are stored without their "the", so a mention starting with it was added by a rule."""
    return text[mention.start:mention.start + 4].casefold() == "the "


# --- anaphors ------------------------------------------------------------------------------

def find_anaphors(doc, actors: list[Actor]) -> list[Anaphor]:
    """The pronouns, subject "who"s and definite role nouns of ``doc`` outside the actors'
    name mentions, in text order."""
    from spacy.attrs import LOWER, POS

    view = _view(doc)
    if not len(doc):
        return []
    named = np.zeros(len(doc), dtype=bool)
    for a in actors:
        for m in a.mentions:
            if not is_role_mention(view.text, m):
                named[_token_at(view, m.start):_token_at(view, max(m.start, m.end - 1)) + 1] = True
    rows = doc.to_array([LOWER, POS]).astype(np.uint64)
    strings = doc.vocab.strings
    want = {strings[w]: w for w in (*PRONOUNS, "who", *PERSON_ROLES, *ORG_ROLES, *PLACE_ROLES)}
    hits = np.isin(rows[:, 0], np.fromiter(want, dtype=np.uint64)).nonzero()[0].tolist()
    out = []
    for i in hits:
        if named[i]:
            continue
        word = want[int(rows[i, 0])]
        tok = doc[i]
        if word in PRONOUNS:
            if tok.pos_ not in ("PRON", "DET") or view.dep[i] == "expl":
                continue
            cls, poss, refl = PRONOUNS[word]
            if word == "her":
                poss = view.tag[i] == "PRP$"
            out.append(Anaphor(tok.idx, tok.idx + len(tok.text), i, i, cls, poss, refl))
        elif word == "who":
            if view.dep[i] in SUBJECT_DEPS and view.dep[view.head[i]] in ("relcl", "acl"):
                out.append(Anaphor(tok.idx, tok.idx + 3, i, i, "who"))
        else:
            ana = _role_noun(doc, view, i, word, named)
            if ana is not None:
                out.append(ana)
    return out


def _role_noun(doc, view: _View, i: int, word: str, named) -> Anaphor | None:
    """The definite role noun phrase headed by token ``i`` ("the Russian leader"), or None."""
    if view.tag[i] not in ("NN", "NNP") or doc[i].ent_type_:
        return None  # "The Brooklyn Paper": part of a name
    if i + 1 < len(doc) and named[i + 1]:
        return None  # "the company Neuralink": the name itself is the mention
    kids = [c.i for c in doc[i].children]
    left = [c for c in kids if c < i]
    if not left or doc[left[0]].lower_ != "the":
        return None
    if any(view.dep[c] == "prep" and doc[c].lower_ == "of" for c in kids if c > i):
        return None  # "the president of the club": an office of something else
    mods = []
    for c in left[1:]:
        if view.dep[c] in ("amod", "compound", "nmod", "npadvmod") and not named[c]:
            mods.append(doc[c].lower_)
        elif view.dep[c] in ("amod", "compound", "nmod") and named[c]:
            mods.append(doc[c].lower_)  # "the GOP nominee": a name as qualifier
        elif view.dep[c] == "poss":
            return None  # "the company's": a possessor phrase, not "the X"
    if word in PERSON_ROLES:
        cls = "role_person"
    elif word in ORG_ROLES:
        cls = "role_org"
    else:
        cls = "role_place"
    start = doc[left[0]].idx
    return Anaphor(start, doc[i].idx + len(doc[i].text), left[0], i, cls, office=word,
                   modifiers=tuple(m for m in mods if m not in ("former", "then", "new")))


# --- candidates ----------------------------------------------------------------------------

@functools.cache
def _model() -> dict | None:
    if not MODEL_FILE.is_file():
        return None
    model = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    if tuple(model["features"]) != FEATURES:
        return None  # trained on other features: resolve nothing rather than guess
    return model | {"coef_": {g: np.asarray(m["coef"], dtype=float)
                              for g, m in model["groups"].items()},
                    "male": frozenset(model["first_names"]["male"]),
                    "female": frozenset(model["first_names"]["female"])}


def _first_names() -> tuple[frozenset, frozenset]:
    model = _model()
    if model is None:
        return frozenset(), frozenset()
    return model["male"], model["female"]


def is_first_name(word: str) -> bool:
    """Whether the shipped first-name lists hold ``word`` (any case)."""
    male, female = _first_names()
    return word.casefold() in male or word.casefold() in female


def first_name_gender(first: str) -> str | None:
    """"m" or "f" for a first name the shipped lists know on one side only, else None."""
    male, female = _first_names()
    word = first.casefold()
    if (word in male) == (word in female):
        return None
    return "m" if word in male else "f"


def _office_words(role: str) -> set[str]:
    words = role.casefold().replace("-", " ").split()
    out = set(words)
    if len(words) >= 2:
        out.add(" ".join(words[-2:]))
    return out


def _candidates(view: _View, actors: list[Actor]) -> list[_Cand]:
    male, female = _first_names()
    text = view.text
    out = []
    for n, a in enumerate(actors):
        named, firsts, context = [], [], set()
        title_gender = None
        for m in a.mentions:
            if is_role_mention(text, m):
                continue
            first = _token_at(view, m.start)
            last = _token_at(view, max(m.start, m.end - 1))
            named.append(last)
            firsts.append(first)
            before = text[max(0, m.start - 40):m.start].casefold().split()
            context.update(w.strip(",.'’\"()") for w in before[-4:])
            if before and a.type == "person":
                w = before[-1]
                if w in MALE_TITLES:
                    title_gender = "m"
                elif w in FEMALE_TITLES:
                    title_gender = "f"
        if not named:
            continue
        order = sorted(range(len(named)), key=named.__getitem__)
        offices = set()
        for role in [a.role or "", *a.roles]:
            if role:
                offices |= _office_words(role)
                low = role.casefold()
                if title_gender is None and any(w in FEMALE_TITLES for w in low.split()):
                    title_gender = "f"
                elif title_gender is None and any(w in MALE_TITLES for w in low.split()):
                    title_gender = "m"
        names = [a.name, *(n for n in a.aliases if not n.casefold().startswith("the "))]
        words = {w.casefold().strip(".,'’") for nm in names for w in nm.split()}
        gender_name = None
        if a.type == "person":
            for nm in names:
                first = nm.split()[0].casefold() if nm.split() else ""
                if first in male and first not in female:
                    gender_name = "m"
                    break
                if first in female and first not in male:
                    gender_name = "f"
                    break
        plural = a.type == "group" or any(view.tag[named[k]] in ("NNPS", "NNS") for k in order)
        out.append(_Cand(n, a.type, [named[k] for k in order], [firsts[k] for k in order],
                         [view.para[named[k]] for k in order], words, offices, context, gender_name, title_gender, plural))
    out.sort(key=lambda c: c.named_first[0])  # the first actor named comes first
    return out


def _last_named(c: _Cand, before: int) -> int | None:
    """Head token of the actor's latest name mention starting before token ``before``."""
    k = bisect_left(c.named, before) - 1
    while k >= 0 and c.named_first[k] >= before:
        k -= 1
    return c.named[k] if k >= 0 else None


def _last_mention(c: _Cand, before: int) -> tuple[int, bool] | None:
    """The actor's latest mention token before token ``before``, and whether it is a name."""
    name = _last_named(c, before)
    link = c.linked[-1] if c.linked and c.linked[-1] < before else None
    if name is None and link is None:
        return None
    if link is not None and (name is None or link > name):
        return link, False
    return name, True


def _office_match(a: Anaphor, c: _Cand) -> tuple[bool, bool]:
    """(holds the office, holds a leader's office for a generic "the leader")."""
    if a.office is None:
        return False, False
    leader = a.office in GENERIC_OFFICES and bool(c.offices & (LEADER_ROLES | {"leader"}))
    return a.office in c.offices, leader


def features(view: _View, a: Anaphor, cands: list[_Cand]) -> tuple[list[_Cand], np.ndarray]:
    """The actors that may be ``a``'s antecedent and one feature row (``FEATURES``) each."""
    window = WINDOW[a.group]
    here = view.sent[a.head]
    pool = []
    for c in cands:
        last = _last_mention(c, a.first)
        if last is None:
            continue
        tok, is_name = last
        if here - view.sent[tok] > window:
            continue
        pool.append((c, tok, is_name))
    if not pool:
        return [], np.zeros((0, len(FEATURES)))
    pool.sort(key=lambda p: -p[1])
    del pool[MAX_CANDIDATES:]
    compat = COMPATIBLE[a.cls]
    n_compat = sum(c.type in compat for c, _, _ in pool)
    counts = {c.index: bisect_left(c.named, a.first) + sum(t < a.first for t in c.linked)
              for c, _, _ in pool}
    top = max(counts.values())
    first_actor = cands[0].index if cands else -1  # ``_candidates`` puts it first
    holders = sum(any(_office_match(a, c)) for c, _, _ in pool) if a.office else 0
    dep_a = view.dep[a.head]
    gov_a = view.head[a.head]
    if dep_a == "pobj":
        gov_a = view.head[gov_a]
    table = []  # Python lists while filling: item assignment into numpy rows is slower
    col = _COLUMNS
    compat_rank = 0
    for r, (c, tok, is_name) in enumerate(pool):
        row = [0.0] * len(FEATURES)
        table.append(row)
        row[col[f"cls_{a.cls}_x_{c.type}"]] = 1
        d = here - view.sent[tok]
        for lo, hi in _DIST_BINS:
            if lo <= d <= hi:
                row[col[f"sent_{lo}" if lo == hi else ("sent_3_4" if lo == 3 else "sent_5p")]] = 1
        row[col["log_token_dist"]] = math.log1p(max(0, a.first - tok))
        row[col["paragraph_break"]] = view.para[tok] != view.para[a.head]
        row[col["last_is_name"]] = is_name
        row[col["rank_0" if r == 0 else "rank_1" if r == 1 else "rank_2p"]] = 1
        if c.type in compat:
            row[col[("compat_rank_0", "compat_rank_1", "compat_rank_2p")[min(compat_rank, 2)]]] = 1
            compat_rank += 1
        row[col["log_compatible"]] = math.log1p(n_compat)
        row[col["log_mentions"]] = math.log1p(counts[c.index])
        row[col["most_mentioned"]] = counts[c.index] == top
        row[col["first_actor"]] = c.index == first_actor
        row[col["same_sentence"]] = d == 0
        row[col["previous_sentence"]] = d == 1
        dep_c = view.dep[tok]
        row[col["ante_subject"]] = dep_c in SUBJECT_DEPS
        row[col["anaphor_subject"]] = dep_a in SUBJECT_DEPS
        row[col["parallel_subject"]] = dep_c in SUBJECT_DEPS and dep_a in SUBJECT_DEPS
        row[col["same_dep"]] = dep_c == dep_a
        row[col["anaphor_possessive"]] = a.possessive
        row[col["anaphor_reflexive"]] = a.reflexive
        clause_subj = d == 0 and dep_c in SUBJECT_DEPS and view.head[tok] == gov_a
        row[col["binding_violation"]] = clause_subj and not (a.possessive or a.reflexive) \
            and dep_a in OBJECT_DEPS
        row[col["clause_subject"]] = clause_subj and (a.possessive or a.reflexive)
        if a.cls in ("he", "she"):
            g = "m" if a.cls == "he" else "f"
            row[col["gender_name_agree"]] = c.gender_name == g
            row[col["gender_name_clash"]] = c.gender_name not in (None, g)
            row[col["gender_title_agree"]] = c.gender_title == g
            row[col["gender_title_clash"]] = c.gender_title not in (None, g)
            same, other = (c.he, c.she) if g == "m" else (c.she, c.he)
            row[col["gender_pronoun_agree"]] = same > other
            row[col["gender_pronoun_clash"]] = other > same
            row[col["gender_unknown"]] = c.gender_name is None and c.gender_title is None \
                and same == other
        row[col["plural_they"]] = c.plural and a.cls == "they"
        row[col["plural_singular"]] = c.plural and a.cls in ("he", "she", "it")
        if a.office:
            office, leader = _office_match(a, c)
            row[col["role_office"]] = office
            row[col["role_leader"]] = leader
            row[col["role_office_clash"]] = bool(c.offices) and not (office or leader)
            row[col["role_name_word"]] = a.office in c.name_words
            if a.modifiers:
                hit = any(m in c.context or m in c.name_words or m in c.offices
                          for m in a.modifiers)
                row[col["role_modifier_match"]] = hit
                row[col["role_modifier_clash"]] = not hit
            row[col["role_unique_holder"]] = (office or leader) and holders == 1
        row[col["in_name_paragraph"]] = \
            view.para[a.head] in c.named_para[:bisect_left(c.named, a.first)]
    rows = np.asarray(table, dtype=float)
    # Rivals: a candidate lacking what another one has (the gender the pronoun names, the
    # office the role noun names) is less likely, whatever its own distance.
    if a.cls in ("he", "she"):
        agree = rows[:, col["gender_name_agree"]] + rows[:, col["gender_title_agree"]] \
            + rows[:, col["gender_pronoun_agree"]] > 0
        if agree.any():
            rows[:, col["gender_rival"]] = ~agree
    # The one candidate of the right type with no gender against it.
    fits = np.asarray([c.type in compat for c, _, _ in pool]) \
        & (rows[:, col["gender_name_clash"]] + rows[:, col["gender_title_clash"]]
           + rows[:, col["gender_pronoun_clash"]] == 0)
    if fits.sum() == 1:
        rows[:, col["only_compatible"]] = fits
    if a.office:
        held = rows[:, col["role_office"]] + rows[:, col["role_leader"]] \
            + rows[:, col["role_name_word"]] > 0
        if held.any():
            rows[:, col["role_rival"]] = ~held
    return [c for c, _, _ in pool], rows


_COLUMNS = {name: n for n, name in enumerate(FEATURES)}


def _appositive_actor(view: _View, a: Anaphor, cands: list[_Cand]) -> int | None:
    """"The agency (Federal Emergency Management Agency)": a name in brackets or as an
    appositive right after a role noun phrase is its referent."""
    if a.office is None:
        return None
    for c in cands:
        for f, h in zip(c.named_first, c.named):
            if not a.head < f <= a.head + 4:
                continue
            between = view.text[view.idx[a.head] + len(a.office):view.idx[f]].strip()
            if (between.startswith("(") and ")" not in between) or \
                    (between == "," and view.head[h] == a.head):
                return c.index
    return None


def _relative_actor(view: _View, a: Anaphor, cands: list[_Cand]) -> int | None:
    """"Merkel, who spoke later": the noun the relative clause hangs on, when it is one of
    an actor's name mentions or an anaphor already tied to an actor. (GUM does not mark
    relative pronouns, so this is a rule, not learnt.)"""
    noun = view.head[view.head[a.head]]
    for c in cands:
        if noun in c.linked or any(f <= noun <= h for f, h in zip(c.named_first, c.named)):
            return c.index
    return None


def _sole_holder(a: Anaphor, pool: list[_Cand], rows: np.ndarray) -> int | None:
    """A role noun whose office exactly one candidate holds by title ("President Donald
    Trump ... the president"), with no modifier against it: that candidate. GUM has too
    few such role nouns for the model to learn what news is full of."""
    if a.office is None or a.office in GENERIC_OFFICES:
        return None
    held = [k for k in (rows[:, _COLUMNS["role_office"]] > 0).nonzero()[0].tolist()
            if pool[k].type in COMPATIBLE[a.cls]]
    if len(held) == 1 and not rows[held[0], _COLUMNS["role_modifier_clash"]]:
        return held[0]
    return None


def _link(a: Anaphor, c: _Cand) -> None:
    c.linked.append(a.head)
    if a.cls == "he":
        c.he += 1
    elif a.cls == "she":
        c.she += 1


# "it" and "they" almost never clear the pronoun threshold (2 links of 1,052 on PolNeAR dev,
# none on GUM dev): they are not scored, which spares a third of the anaphors' features.
UNSCORED = frozenset({"it", "they"})


def _decide(doc, actors: list[Actor], choose,
            unscored: frozenset[str] = frozenset()) -> list[tuple[Anaphor, int | None]]:
    """Walk the anaphors in text order; ``choose(anaphor, pool, rows)`` returns the position
    in ``pool`` of the antecedent, or None; anaphors of the ``unscored`` classes stay
    unresolved. Chosen links become candidates' latest mentions."""
    view = _view(doc)
    cands = _candidates(view, actors)
    by_index = {c.index: c for c in cands}
    out = []
    for a in find_anaphors(doc, actors):
        if a.cls == "who":
            forced = _relative_actor(view, a, cands)
        else:
            forced = _appositive_actor(view, a, cands)
        if forced is not None:
            _link(a, by_index[forced])
            out.append((a, forced))
            continue
        if a.cls in unscored:
            out.append((a, None))
            continue
        pool, rows = features(view, a, cands) if a.cls != "who" else ([], None)
        k = _sole_holder(a, pool, rows) if pool else None
        if k is None and pool:
            k = choose(a, pool, rows)
        if k is None:
            out.append((a, None))
            continue
        _link(a, pool[k])
        out.append((a, pool[k].index))
    return out


def _model_choice(model: dict):
    groups, coefs = model["groups"], model["coef_"]

    def choose(a: Anaphor, pool, rows) -> int | None:
        scores = rows @ coefs[a.group] + groups[a.group]["intercept"]
        k = int(scores.argmax())
        p = 1.0 / (1.0 + math.exp(-float(scores[k])))
        return k if p >= groups[a.group]["threshold"] else None

    return choose


def resolve(doc, actors: list[Actor]) -> dict[int, list[Mention]]:
    """Actor index (position in ``actors``) -> the pronoun and role-noun mentions that refer
    to it, in text order; only confident links (unresolved anaphors are left out).

    ``actors`` are ``extract_actors(doc)``'s; their name mentions are the antecedents. A
    mention that starts with "the " counts as a role noun the actor rules already tied, not
    as a name, and is decided again here. Empty when the model file is missing."""
    model = _model()
    if model is None or not actors:
        return {}
    out: dict[int, list[Mention]] = {}
    for a, index in _decide(doc, actors, _model_choice(model), UNSCORED):
        if index is not None:
            out.setdefault(index, []).append(Mention(a.start, a.end))
    return out


def antecedent(doc, actors: list[Actor], start: int, end: int) -> int | None:
    """The index in ``actors`` of the actor the pronoun or role noun at ``doc.text[start:end]``
    refers to, or None when it is not an anaphor or its antecedent is not confident. The same
    decision as ``resolve`` (computed once per doc and actor list, then looked up)."""
    key = "coverage_lens.coref_links"
    cached = doc.user_data.get(key)
    if cached is None or cached[0] != _actors_key(actors):
        links = resolve(doc, actors)
        spans = {}
        for index, mentions in links.items():
            for m in mentions:
                spans[(m.start, m.end)] = index
        cached = (_actors_key(actors), spans)
        doc.user_data[key] = cached
    spans = cached[1]
    if (start, end) in spans:
        return spans[(start, end)]
    # A span around the anaphor ("the former president", "he himself") still finds it.
    hits = {i for (s, e), i in spans.items() if start <= s and e <= end}
    return hits.pop() if len(hits) == 1 else None


def _actors_key(actors: list[Actor]) -> tuple:
    return tuple((a.name, len(a.mentions), a.mentions[0].start if a.mentions else -1)
                 for a in actors)
