"""The actors of one article: name mentions from the spaCy entities, merged into actors
(the rules are numbered in the package docstring, ``analysis/actors/__init__.py``)."""
from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..model import Actor, Mention
from ..nlp import common_words, text_of, token_texts
from .aliases import ACTOR_TYPES, US_STATES, AliasTable, is_place_name, load_aliases
from .names import (DATE_PREPS, HONORIFICS, INITIAL_SKIP, INSTITUTION_NOUNS, ORG_SUFFIXES, LEAD_WORDS, LEADER_ROLES, LOCATIVE_PREPS, MONTHS,
                    PARAGRAPH_BREAK, PLACE_NOUNS, POSSESSIVE_TOKENS, STRONG_TITLES, TITLE_HEADS,
                    TITLE_WORDS, clean_name, fold, follow, is_epithet, is_full_name, is_given_name, leader_role,
                    name_words,
                    role_text, same_person, surname_owners, surname_skeleton,
                    title_flags)

# Verbs of headlines in title case, glued to the name before them by the tagger ("Obama Says").
HEADLINE_VERBS = {"says", "defends", "slams", "blasts", "rips", "tells", "vows", "warns",
                  "urges", "denies", "admits", "responds", "reacts", "announces", "unveils",
                  "endorses", "mocks", "accuses", "praises", "insists", "predicts", "explains",
                  "reveals", "claims", "jokes", "speaks", "wins", "loses", "trails", "leads"}
# Nouns only a person can be: a name in apposition to one is a person's ("his aide, X").
PERSON_NOUNS = STRONG_TITLES | {"spokesperson", "aide", "lawyer", "attorney", "lawmaker",
                                "official", "reporter", "journalist", "analyst", "activist",
                                "professor", "economist", "strategist", "pollster"}
# Prepositions after which a known place name is the place, whatever the tagger said.
PLACE_PREPS = {"in", "at", "near", "inside", "outside", "throughout", "across", "around"}
# Bracket and markup residue inside a name ("W]e" of a quote's "[W]e").
_RESIDUE = re.compile(r"[\[\]{}<>|]")
# "R-Fla.", "D-N.Y.": a lawmaker's party and state, not an actor.
_PARTY_STATE = re.compile(r"[RDI]-[A-Z][A-Za-z.]*")
LABEL_TYPES = {"PERSON": "person", "ORG": "organization", "GPE": "place", "LOC": "place",
               "FAC": "place", "NORP": "group"}


@dataclass
class _Mention:
    start: int
    end: int
    name: str
    label: str | None           # spaCy label, None when the entity was mis-bounded
    token: int                  # index of the name's last token
    role: str | None = None
    qualifier: str | None = None
    titled: bool = False        # a personal title stands before the name
    heading: bool = False
    kind: str | None = None     # fixed type (alias file, metonym)
    role_noun: bool = False
    surface: str = ""           # the name as written (before the alias file renamed it)
    determiner: bool = False    # "the" before the name
    modifier: bool = False      # the name modifies a noun ("the Ford plant")
    first_token: int = -1
    locative: bool = False      # a place after "in", "to", "from" ... ("a visit to Kyiv")
    honorific: str | None = None  # "mr.", "mrs." ... before the name


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for m in PARAGRAPH_BREAK.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _is_heading(par: str) -> bool:
    """A short paragraph that does not end as a sentence does: a section heading. A
    question is a heading only in title case ("Where Do We Go From Here?")."""
    words = par.split()
    if not 0 < len(words) <= 15 or re.search(r"[.;,:!\"”’']\s*$", par):
        return False
    if par.rstrip().endswith("?"):
        return sum(w[:1].isupper() for w in words) >= 0.6 * len(words)
    return True


def _lead_span(text: str, paragraphs: list[tuple[int, int]]) -> tuple[int, int]:
    """The lead: the first paragraph that is not a heading (with the next one when it is
    shorter than 30 words, as a one-line standfirst is)."""
    body = [(s, e) for s, e in paragraphs if not _is_heading(text[s:e])]
    if not body:
        return (0, 0)
    start, end = body[0]
    if len(text[start:end].split()) < 30 and len(body) > 1:
        end = body[1][1]
    return (start, end)


def _ent_tokens(doc, ent) -> list:
    """The entity's tokens, cut at a line break and before an inner possessive."""
    out = []
    for t in ent:
        if "\n" in t.text or (t.is_space and out):
            break
        if t.text in POSSESSIVE_TOKENS and t.i < ent.end - 1:
            break  # "Trump's Efforts": the entity is the possessor
        out.append(t)
    return out


def _qualifier_before(doc, k: int) -> tuple[str | None, list[int]]:
    """The nationality, institution or possessor qualifying a title that ends before token
    ``k`` ("Russian", "White House", "France's"), and the tokens it covers."""
    j = k - 1
    possessive = j >= 0 and doc[j].text in POSSESSIVE_TOKENS
    if possessive:
        j -= 1
    if j < 0 or not doc[j].ent_type_:
        return None, []
    start = j
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    tokens = list(range(start, j + 1)) + ([j + 1] if possessive else [])
    return doc[start:j + 1].text, tokens


def _appositive_role(root) -> tuple[str | None, str | None, bool]:
    """Role, qualifier and person evidence from an appositive ("Steve Witkoff, the U.S.
    envoy to Russia," -> "envoy", "U.S.")."""
    for child in root.children:
        if child.dep_ == "appos" and child.lower_ in TITLE_HEADS - HONORIFICS:
            words = [c for c in child.lefts if c.lower_ in TITLE_WORDS - HONORIFICS] + [child]
            qualifier = next((clean_name(c.text) for c in child.lefts
                              if c.ent_type_ in ("GPE", "NORP")), None)
            return " ".join(w.text for w in words), qualifier, child.lower_ in STRONG_TITLES
    return None, None, False


def _candidates(doc, table: AliasTable, flags: list[bool]) -> list[_Mention]:
    """Name mentions from the entities, titles split off, junk dropped."""
    consumed: set[int] = set()   # tokens that belong to a title, not to an actor
    staged = [m for m in (_from_entity(doc, ent, table, flags, consumed) for ent in doc.ents) if m]
    mentions = []
    for m in staged:
        if consumed & set(range(m.first_token, m.token + 1)):
            continue
        if not any(c.isalpha() for c in m.name) or m.name[:1].islower() or len(m.name) < 2 \
                or m.name.casefold() in table.ignore or _PARTY_STATE.fullmatch(m.name) \
                or _RESIDUE.search(m.name) \
                or _is_month(doc, m) or _group_member(doc, m):
            continue
        if _resolve_alias(doc, m, table):
            mentions.append(m)
    return mentions


def _group_member(doc, m: _Mention) -> bool:
    """A group's adjective used as a singular noun names one member, not the group: "a
    Republican said", "the Arizona Republican" (often the lawmaker just named) is no mention
    of the Republican Party; "Republicans" and "a Republican senator" are."""
    tok = doc[m.token]
    return m.label == "NORP" and m.first_token == m.token and tok.tag_ in ("NNP", "NN") \
        and tok.dep_ not in ("amod", "compound", "nmod") \
        and any(c.dep_ == "det" or c.ent_type_ == "GPE" for c in tok.children)


def _starts_sentence(doc, token) -> bool:
    """``token`` opens its sentence (after any opening quotes or brackets)."""
    i = token.i
    while i > 0 and (doc[i - 1].is_quote or doc[i - 1].is_bracket or doc[i - 1].is_space):
        i -= 1
    return i == 0 or doc[i].is_sent_start or doc[i - 1].text in (".", "!", "?", ":", "\u2014", "--")


def _after_locative(doc, token, strict: bool = False) -> bool:
    """``token`` is the object of "in", "to", "from" ... but not of "according to"; with
    ``strict`` (a name the tagger did not call a place), only of "in", "at", "near" ...:
    "talked to Austin" may be a person, "a base in Austin" is not."""
    head = token.head
    preps = PLACE_PREPS if strict else LOCATIVE_PREPS
    return token.dep_ == "pobj" and head.lower_ in preps and not (
        head.lower_ == "to" and head.i > 0 and doc[head.i - 1].lower_ == "according")


def _is_month(doc, m: _Mention) -> bool:
    """"May" or "June" used as a date ("in May", "May 3"), not a person."""
    if m.name.casefold() not in MONTHS or m.first_token != m.token:
        return False
    before = doc[m.token - 1].lower_ if m.token > 0 else ""
    after = doc[m.token + 1] if m.token + 1 < len(doc) else None
    return before in DATE_PREPS or (after is not None and after.like_num)


def _from_entity(doc, ent, table: AliasTable, flags: list[bool], consumed: set[int]):
    """The name mention in one entity (title, possessive, stray words removed), or None.
    Title qualifiers that are not mentions themselves are added to ``consumed``."""
    label = ent.label_
    if label not in LABEL_TYPES:
        return None
    toks = _ent_tokens(doc, ent)
    if toks and toks[-1].i + 1 < ent.end and doc[toks[-1].i + 1].text in POSSESSIVE_TOKENS:
        label = None  # mis-bounded ("Trump's Efforts"): the possessor's own type is unknown
    determiner = ent[0].lower_ == "the" or (ent.start > 0 and doc[ent.start - 1].lower_ == "the")
    lowercase_lead = []
    while len(toks) > 1 and (toks[0].lower_ in ("the", "a", "an") or toks[0].is_lower):
        if len(toks) > 2 and not toks[0].whitespace_ and toks[1].text in ("-", "–"):
            # "ex-Republican" is a former member, not the party; "anti-Trump" names Trump
            if label == "NORP":
                return None
            toks = toks[2:]
            continue
        if toks[0].lower_ not in ("the", "a", "an"):
            lowercase_lead.append(toks[0])  # "magician David Gish": a descriptor
        toks = toks[1:]
    # "Plus Obama is nominating ...", "But Trump said": a sentence's first word glued to a name.
    while len(toks) > 1 and toks[0].lower_ in LEAD_WORDS and _starts_sentence(doc, toks[0]):
        toks = toks[1:]
    # "the super PAC America Rising": an acronym that is never an actor describes the name
    while len(toks) > 1 and toks[0].text.isupper() and toks[0].text.casefold() in table.ignore:
        toks = toks[1:]
    # "Crooked Hillary Clinton", "Fault Ted Cruz" (title-case tweets and headlines): an English
    # word that is no first name before a person's name of two words or more
    while label == "PERSON" and len(toks) > 2 and toks[0].is_title and toks[0].is_alpha \
            and is_epithet(toks[0].text):
        toks = toks[1:]
    # "Jeb Bush Super PAC": a word after a name the article names without it elsewhere
    if label == "PERSON" and len(toks) > 2 and toks[-1].is_title and toks[-1].is_alpha \
            and is_epithet(toks[-1].text):
        rest = doc[toks[0].i:toks[-2].i + 1].text
        if any(e.label_ == "PERSON" and e.text == rest for e in doc.ents):
            toks = toks[:-1]
    while toks and (toks[-1].text in POSSESSIVE_TOKENS or toks[-1].is_punct
                    or (len(toks) > 1 and (toks[-1].is_lower or toks[-1].lower_ in HEADLINE_VERBS))):
        toks = toks[:-1]  # "the Comey memos", "Ben Carson Defends": the name is the first part
    if label == "ORG" and ent.end < len(doc) and doc[ent.end].lower_ in TITLE_HEADS:
        # "the DNC Communications Director", "White House Press Secretary": the office's
        # words before the title are not the organisation's name
        while len(toks) > 1 and toks[-1].lower_ in common_words() \
                and toks[-1].lower_ not in INSTITUTION_NOUNS | ORG_SUFFIXES:
            toks = toks[:-1]
    if not toks:
        return None
    # A title inside the entity ("Russian President Vladimir Putin" as one PERSON).
    cut = 0
    for n, t in enumerate(toks[:-1]):
        # a title stands apart from the name: "Spokesman-Review" is one word
        if t.whitespace_ and (flags[t.i] or (toks[n + 1].lower_ in TITLE_WORDS
                                             and (t.lower_ in table.aliases or t.pos_ == "ADJ"))):
            cut = n + 1
        else:
            break
    # ... unless the entity names an institution ("National Rifle Association", "National
    # Association for the Advancement of Colored People"): "National" is then its own word.
    institution = label != "PERSON" and any(t.lower_ in INSTITUTION_NOUNS | ORG_SUFFIXES
                                            for t in toks[cut:])
    if cut and not institution and (label == "PERSON" or len(toks) - cut >= 2
                                    or {t.lower_ for t in toks[:cut]} & STRONG_TITLES):
        toks = toks[cut:]
    # The object of an office ("State" in "Secretary of State") continues a title run.
    office_object = all(flags[t.i] for t in toks) and toks[0].i > 0 and flags[toks[0].i - 1]
    if office_object and (ent.end < len(doc) and doc[ent.end].ent_type_ == "PERSON"
                          or all(t.lower_ in TITLE_WORDS for t in toks)):
        return None  # "State" in "Secretary of State Marco Rubio"
    if label == "PERSON" and toks[-1].lower_ in TITLE_HEADS:
        label = None  # "Virginia Governor": an office, not a person's name
    first, last = toks[0].i, toks[-1]
    j = first
    while j > 0 and flags[j - 1]:
        j -= 1
    while j < first and doc[j].ent_iob_ == "I":
        j += 1  # a title does not start inside a name ("White House special envoy")
    # "Governor of Virginia": the name is the office's object and has no title of its own.
    title_tokens = [] if office_object else lowercase_lead or list(doc[j:first])
    role = role_text(title_tokens)
    titled = bool({t.lower_ for t in title_tokens} & STRONG_TITLES) or \
        (role is not None and label == "PERSON")
    qualifier = None
    if role:
        qualifier, q_tokens = _qualifier_before(doc, j)
        if q_tokens and (doc[q_tokens[0]].ent_type_ in ("NORP", "GPE")
                         or is_place_name(doc[q_tokens[-1]].text, table)):
            # "Russian President X" is not a mention of Russia, nor "Controversial Maine
            # Gov. X" (one ORG to the tagger) an organisation
            consumed.update(q_tokens)
        qualifier = clean_name(qualifier) if qualifier else None
    else:
        role, qualifier, strong = _appositive_role(last)
        # "A spokesman for the party, Brad Woodhouse,": the name a person noun stands for
        titled = titled or strong or (last.dep_ == "appos" and last.head.lower_ in PERSON_NOUNS)
    if label == "PERSON" and len(toks) == 1 and not titled and not role \
            and last.dep_ in ("compound", "nmod", "amod") and last.head.pos_ == "NOUN":
        # "the Zaporizhzhia nuclear power plant": a modifier is weak evidence of a person
        label = "FAC" if last.head.lower_ in PLACE_NOUNS else None
    name = clean_name(doc[first:last.i + 1].text)
    if not name:
        return None
    start = toks[0].idx
    honorific = next((t.lower_ for t in title_tokens if t.lower_ in HONORIFICS), None)
    return _Mention(start, start + len(name), name, label, last.i, role, qualifier, titled,
                    surface=name, determiner=determiner, first_token=first,
                    modifier=last.dep_ in ("compound", "nmod") and last.head.pos_ == "NOUN",
                    locative=_after_locative(doc, last, strict=label not in ("GPE", "LOC", "FAC")),
                    honorific=honorific)


def _resolve_alias(doc, m: _Mention, table: AliasTable) -> bool:
    """Apply the alias file to a mention; False when the mention is not an actor."""
    folded = m.name.casefold()
    root = doc[m.token]
    if folded in table.metonyms:
        head = root.head
        locative = (root.dep_ == "pobj" and head.lower_ in LOCATIVE_PREPS) or \
                   (root.dep_ in ("compound", "nmod") and head.pos_ in ("NOUN", "PROPN")
                    and not m.name.casefold() in table.aliases)
        if not locative:
            m.name, m.kind = table.metonyms[folded]
            return True
        m.kind = "place"
        return True
    hit = table.canonical(m.name)
    if hit:
        m.name, m.kind = hit
        return True
    if m.label == "NORP" and (root.dep_ in ("amod", "compound") or root.pos_ == "ADJ"):
        return False  # "Western sanctions": an adjective, not an actor
    return True


# --- merging within an article --------------------------------------------------------------

@dataclass
class _Group:
    """All mentions with one name."""

    name: str
    mentions: list[_Mention]
    kind: str | None = None

    @property
    def first(self) -> int:
        return min(m.start for m in self.mentions)

    def votes(self) -> Counter:
        votes: Counter = Counter()
        for m in self.mentions:
            if m.label:
                votes[LABEL_TYPES[m.label]] += 1
            if m.titled:
                votes["person"] += 2
        return votes

    def org_syntax(self) -> bool:
        return any(m.label == "ORG" and (m.determiner or m.modifier) for m in self.mentions)

    def person_evidence(self) -> bool:
        return any(m.label == "PERSON" or m.titled for m in self.mentions)


def _type_of(votes: Counter, name: str, table: AliasTable) -> str:
    if not votes:
        kind = "organization"
    else:
        kind = max(ACTOR_TYPES, key=lambda k: (votes[k], -ACTOR_TYPES.index(k)))
    if kind == "organization" and name.casefold() in table.places:
        kind = "place"  # "Crimea" tagged ORG
    if kind == "place" and name.casefold() in table.countries:
        kind = "country"
    return kind


def _short_form(short: str, long_: str) -> bool:
    """``short`` starts ``long_`` word by word, each word a beginning of the long one's
    ("Penn" of "Pennsylvania"), and the long name's other words are generic ("School",
    "University", "News")."""
    few, many = fold(short).split(), fold(long_).split()
    if len(few) >= len(many) or not all(b.startswith(a) for a, b in zip(few, many)):
        return False
    return all(w in ORG_SUFFIXES or w in INSTITUTION_NOUNS for w in many[len(few):])


def _merge_persons(groups: dict[str, _Group], table: AliasTable,
                   sentence: Callable[[int], int]) -> tuple[dict[str, str], dict[int, str]]:
    """Full person names absorb their variants and short forms: (name -> name of the group
    it joins, id of a mention -> the full name it joins when its group is split)."""
    target: dict[str, str] = {}
    types = {n: g.kind or _type_of(g.votes(), n, table) for n, g in groups.items()}
    full = sorted((n for n in groups if types[n] == "person" and is_full_name(n)),
                  key=lambda n: (-len(groups[n].mentions), groups[n].first))
    # Variants of one full name ("Donald J. Trump", "Donald Trump", "Jim Mattis" / "James
    # Mattis") share a surname and first names; "Peña Nieto" is the end of "Enrique Peña Nieto".
    for i, name in enumerate(full):
        if groups[name].kind:
            continue
        owner = next((o for o in full[:i] if o not in target and same_person(name, o)), None)
        if owner:
            target[name] = owner
    heads = [n for n in full if n not in target]
    for name in heads:
        words = fold(name).split()
        owners = [h for h in heads if h != name and fold(h).split()[-len(words):] == words]
        if len(owners) == 1 and not groups[name].kind:
            target[name] = owners[0]
    heads = [n for n in heads if n not in target]
    by_last: dict[str, list[str]] = defaultdict(list)
    by_first: dict[str, list[str]] = defaultdict(list)
    for name in heads:
        by_last[surname_skeleton(name)].append(name)
        by_first[name_words(name)[0]].append(name)
    owner_of: dict[int, str] = {}
    for name, group in groups.items():
        if is_full_name(name) or group.kind:
            continue
        if name.casefold() in table.countries or name.casefold() in table.metonyms:
            continue
        key = surname_skeleton(name)
        owners = surname_owners(by_last, key)
        joining = [m for m in group.mentions if _joins_person(m, table)]
        if not owners and key not in by_last:
            # a first name ("Hillary") joins only where spaCy calls it a person: "the Mets"
            # are not "Mets Poet" Frank Messina
            owners = by_first.get(fold(name), [])
            joining = [m for m in joining if m.label == "PERSON" or m.titled]
        if not owners:
            continue
        # "President Obama" in an article naming only Sasha and Malia Obama in full is
        # another person: the surname joins them only right after their full name.
        held = {leader_role(r) for o in owners for n in groups[o].mentions if n.role
                for r in [n.role]}
        # "Mr. Obama" in an article naming only Malia Obama in full is another person
        clash = [m for m in group.mentions if _gender_clash(m, owners)]
        own = bool(clash) or len(owners) > 1 and any(m.role and leader_role(m.role) not in held
                                                     for m in group.mentions)
        named = {o: groups[o].mentions for o in owners}
        for m in joining:
            if own and (m in clash or m.role and leader_role(m.role) not in held):
                continue  # "President Obama" himself is none of them
            fits = _gender_fits(m, owners)
            if len(fits) == 1:
                owner = fits[0]
            elif len(owners) == 1 and not own:
                owner = owners[0]
            else:
                owner = _bearer(m, owners, named, sentence, near_only=own)
            if owner:
                owner_of[id(m)] = owner
        if all(id(m) in owner_of for m in group.mentions) \
                and len({owner_of[id(m)] for m in group.mentions}) == 1:
            target[name] = owner_of[id(group.mentions[0])]
    return {n: follow(target, n) for n in target}, owner_of


_HONORIFIC_GENDER = {"mr": "m", "mr.": "m", "mrs": "f", "mrs.": "f", "ms": "f", "ms.": "f", "miss": "f"}


def _gender_clash(m: _Mention, owners: list[str]) -> bool:
    """A "Mr." or "Mrs." before the surname that fits none of the full names' first names."""
    from ..coref import first_name_gender  # coref reads this package's names: imported here

    said = _HONORIFIC_GENDER.get(m.honorific or "")
    if said is None:
        return False
    genders = {first_name_gender(name_words(o)[0]) for o in owners}
    return said not in genders and None not in genders


def _gender_fits(m: _Mention, owners: list[str]) -> list[str]:
    """The full names whose first name has the gender of the "Mr." or "Mrs." before the
    surname ("Mr. Clinton" of Bill and Hillary Clinton); none without an honorific."""
    from ..coref import first_name_gender  # coref reads this package's names: imported here

    said = _HONORIFIC_GENDER.get(m.honorific or "")
    return [o for o in owners if said and first_name_gender(name_words(o)[0]) == said]


def _joins_person(m: _Mention, table: AliasTable) -> bool:
    """May this mention of a one-word name be the surname of a person named in full? Not a
    known place unless spaCy calls this very mention a person ("in Austin" vs "Austin
    said"), not a place after "in" or "to", not an organisation with "the" ("the Ford plant")."""
    if is_place_name(m.name, table) and m.locative:
        return False
    if m.label == "PERSON" or m.titled:
        return True
    if is_place_name(m.name, table) or m.locative:
        return False
    return not (m.label == "ORG" and m.determiner)


def _bearer(m: _Mention, owners: list[str], named: dict[str, list[_Mention]],
            sentence: Callable[[int], int], near_only: bool = False) -> str | None:
    """Which of several people sharing a surname ("Hillary" / "Bill Clinton") a bare surname
    is: the one named in full in this sentence or the one before (the nearest), else the one
    the article names most (the earliest on a tie)."""
    here = sentence(m.token)
    near = [(n.start, owner) for owner in owners for n in named[owner]
            if " " in (n.surface or n.name) and n.start < m.start
            and here - 1 <= sentence(n.token) <= here]
    if near:
        return max(near)[1]
    if near_only:
        return None
    return min(owners, key=lambda o: (-len(named[o]), min(n.start for n in named[o])))


def _merge_acronyms(groups: dict[str, _Group], table: AliasTable) -> dict[str, str]:
    """"NATO" (or "N.A.T.O.") -> "North Atlantic Treaty Organization", and a short form
    (``_short_form``: "Harrow" -> "Harrow School", "Penn State" -> "Pennsylvania State
    University") when both appear in the article and the long name is the only match."""
    target = {}
    long_names = [n for n in groups if len(n.split()) >= 2]
    initials = defaultdict(list)
    by_initial = defaultdict(list)  # first letter -> long names: short forms share it
    for n in long_names:
        by_initial[fold(n)[:1]].append(n)
        initials["".join(w[0] for w in fold(n).split() if w not in INITIAL_SKIP)].append(n)
    for name in groups:
        letters = fold(name).replace(" ", "")
        if name.replace(".", "").isupper() and 2 <= len(letters) <= 6 and letters.isalpha():
            owners = initials.get(letters, [])
        elif not is_place_name(name, table):
            owners = [n for n in by_initial.get(fold(name)[:1], []) if n != name
                      and _short_form(name, n)]
        else:
            continue
        if len(owners) == 1:
            target[name] = owners[0]
    return target


# --- role nouns ("the president") ------------------------------------------------------------

def _role_nouns(doc, flags_named: set[int]) -> list[tuple[int, int, str, str | None, int]]:
    """Definite role noun phrases: (start, end, office, qualifier, head token index)."""
    out = []
    texts = token_texts(doc)
    offices = (LEADER_ROLES | TITLE_HEADS) - HONORIFICS
    for i in [i for i, w in enumerate(texts) if w.lower() in offices and i not in flags_named]:
        t = doc[i]
        if t.pos_ not in ("NOUN", "PROPN"):
            continue
        office = None
        if t.lower_ in LEADER_ROLES or t.lower_ in TITLE_HEADS - HONORIFICS:
            office = t.lower_
            if t.i > 0 and f"{doc[t.i - 1].lower_} {t.lower_}" in LEADER_ROLES:
                office = f"{doc[t.i - 1].lower_} {t.lower_}"
        if office is None or t.ent_type_ == "PERSON":
            continue
        left = list(t.lefts)
        if not left or left[0].lower_ != "the" or left[0].i != min(c.i for c in t.subtree):
            continue
        if any(c.dep_ == "prep" and c.lower_ == "of" for c in t.rights):
            continue  # "the president of the club": another office
        if (t.dep_ == "appos" and t.head.ent_type_) or \
                any(c.dep_ == "appos" and c.ent_type_ for c in t.children):
            continue  # "Witkoff, the U.S. envoy": the name itself is the mention
        if t.tag_ in ("NNS", "NNPS"):
            continue
        qualifier = next((c.text for c in left if c.ent_type_ in ("NORP", "GPE")), None)
        out.append((left[0].idx, t.idx + len(t.text), office, qualifier, t.i))
    return out


def _resolve_role_nouns(doc, clusters: dict[str, list[_Mention]], kinds: dict[str, str],
                        table: AliasTable, title_flags: list[bool]) -> None:
    """Add each definite role noun to the one actor it can refer to (see the module doc)."""
    named_tokens = {m.token for ms in clusters.values() for m in ms}
    named_tokens |= {i for i, f in enumerate(title_flags)
                     if f and i + 1 < len(doc) and doc[i + 1].ent_type_}
    sent_of = {}
    for n, s in enumerate(doc.sents):
        for i in range(s.start, s.end):
            sent_of[i] = n

    def country(q: str | None) -> str | None:
        if not q:
            return None
        hit = table.canonical(clean_name(q))
        return hit[0] if hit else clean_name(q)

    persons = {n: ms for n, ms in clusters.items() if kinds[n] == "person"}
    offices = {n: {leader_role(m.role) for m in ms if m.role} for n, ms in persons.items()}
    quals = {n: {country(m.qualifier) for m in ms if m.qualifier} for n, ms in persons.items()}
    for start, end, office, qualifier, head in _role_nouns(doc, named_tokens):
        q = country(qualifier)

        def fits(n: str) -> bool:
            held = offices[n] if office != "leader" else offices[n] & LEADER_ROLES
            if office == "leader" and offices[n] and not held:
                return False
            if office != "leader" and office not in held:
                return False
            return q is None or q in quals[n]

        def recent(names: Iterable[str]) -> list[str]:
            here = sent_of[head]
            return [n for n in names
                    if any(m.start < start and sent_of[m.token] in (here, here - 1)
                           for m in persons[n])]

        holders = [n for n in persons if fits(n)]
        pick = holders if len(holders) == 1 else recent(holders)
        if not holders:
            # No one holds the office by name: the only person just named, if compatible.
            near = recent(persons)
            pick = [n for n in near if not offices[n] and (q is None or not quals[n]
                                                            or q in quals[n])]
            pick = pick if len(near) == 1 else []
        if len(pick) == 1:
            clusters[pick[0]].append(_Mention(start, end, text_of(doc)[start:end], None, head,
                                              role_noun=True, surface=text_of(doc)[start:end]))
            # "the Russian leader" is Putin, not also a mention of Russia
            for name, ms in clusters.items():
                ms[:] = [m for m in ms if m.role_noun or not start <= m.start < end]


def _resolve_institution_nouns(doc, clusters: dict[str, list[_Mention]],
                               kinds: dict[str, str]) -> None:
    """"The University", "the department", "the court": the one organisation of the article
    whose name ends with that word ("Pennsylvania State University", "Justice Department"),
    named before it. A bare "University" or "Department" the tagger took for a name goes
    the same way, or is no actor at all."""
    owners: dict[str, list[str]] = defaultdict(list)
    for name, kind in kinds.items():
        words = fold(name).split()
        if kind == "organization" and len(words) >= 2 and words[-1] in INSTITUTION_NOUNS \
                and clusters.get(name):
            owners[words[-1]].append(name)
    for name in list(clusters):
        if fold(name) in INSTITUTION_NOUNS and kinds[name] != "person" \
                and not any(m.kind for m in clusters[name]):
            found = owners.get(fold(name), [])
            for m in clusters.pop(name):
                if len(found) == 1:
                    m.role_noun = True
                    clusters[found[0]].append(m)
    owners = {word: found for word, found in owners.items() if len(found) == 1}
    if not owners:
        return
    named = {(m.start, m.end) for ms in clusters.values() for m in ms}
    text = text_of(doc)
    for hit in re.finditer(rf"\bthe ({'|'.join(owners)})\b", text, re.IGNORECASE):
        t = doc.char_span(*hit.span(1))
        if t is None:
            continue
        t, found = t[0], owners[hit.group(1).casefold()]
        if t.ent_iob_ == "I" or (t.i + 1 < len(doc) and doc[t.i + 1].ent_iob_ == "I") \
                or t.tag_ in ("NNS", "NNPS") or any(c.lower_ == "of" for c in t.rights):
            continue  # part of a longer name, plural, or "the court of appeals"
        start, end = doc[t.i - 1].idx, t.idx + len(t.text)
        if any(s < end and start < e for s, e in named) or \
                min(m.start for m in clusters[found[0]]) > start:
            continue
        clusters[found[0]].append(_Mention(start, end, found[0], None, t.i, role_noun=True,
                                           surface=text[start:end]))


# --- the actors of one article ---------------------------------------------------------------

def extract_actors(doc, *, title: str | None = None) -> list[Actor]:
    """Actors of ``doc``, most mentioned first.

    Per actor: canonical ``name``, ``type`` (person | organization | country | place | group),
    the ``aliases`` used for it, every mention's offsets (``n_mentions``, ``first_mention``:
    offset of the first mention), ``in_title`` (named in ``title``), ``in_lead`` (named in the
    lead paragraph), ``role`` (its title, e.g. "Secretary of State") and ``roles``.
    """
    table = load_aliases()
    text = text_of(doc)
    paragraphs = _paragraphs(text)
    headings = [(s, e) for s, e in paragraphs if _is_heading(text[s:e])]
    flags = title_flags(doc)
    mentions = _candidates(doc, table, flags)
    for m in mentions:
        m.heading = any(s <= m.start < e for s, e in headings)
    _complete_names(doc, mentions, flags)
    mentions += _shared_surnames(doc, mentions)
    body_names = [m.name.split() for m in mentions if not m.heading]

    def named_in_body(name: str) -> bool:
        words = name.split()
        return any(words == b[i:i + len(words)] for b in body_names
                   for i in range(len(b) - len(words) + 1))

    # Title-case headings make the sm model see organisations everywhere ("Stance and
    # Motivations"); a heading name counts when it is a person or the body names it too.
    # "Obama Willing" in a sub-headline is the body's "Obama" and a headline word.
    for m in mentions:
        if m.heading and not m.kind and not named_in_body(m.name):
            _shrink_to_known(m, named_in_body)
    mentions = [m for m in mentions if not m.heading or m.kind or m.label == "PERSON"
                or m.titled or named_in_body(m.name)]

    # One spelling per name regardless of case ("Republican party", "Republican Party").
    spellings: dict[str, Counter] = defaultdict(Counter)
    for m in mentions:
        spellings[m.name.casefold()][m.name] += 1
    for m in mentions:
        m.name = max(spellings[m.name.casefold()].items(),
                     key=lambda kv: (kv[1], sum(c.isupper() for c in kv[0])))[0]
    groups: dict[str, _Group] = {}
    for m in mentions:
        g = groups.setdefault(m.name, _Group(m.name, []))
        g.mentions.append(m)
        g.kind = g.kind or m.kind
    starts = [s.start for s in doc.sents]
    person_links, owner_of = _merge_persons(groups, table,
                                            lambda i: bisect.bisect_right(starts, i) - 1)
    person_targets = set(person_links.values()) | set(owner_of.values())
    target = {**_merge_acronyms(groups, table), **person_links}
    clusters: dict[str, list[_Mention]] = defaultdict(list)
    kinds: dict[str, str] = {}
    for name, g in groups.items():
        for m in g.mentions:
            clusters[owner_of.get(id(m)) or target.get(name, name)].append(m)
    for name, ms in clusters.items():
        fixed = next((m.kind for m in ms if m.kind), None)
        if fixed:
            kinds[name] = fixed
        elif name in person_targets:
            kinds[name] = "person"  # its short forms' organisation votes were spaCy's errors
        else:
            votes = _Group(name, ms).votes()  # the mentions it kept, not its whole name group
            kinds[name] = _type_of(votes, name, table)
    clusters = {name: ms for name, ms in clusters.items() if ms}
    # A country that is also a US state ("Georgia") is the state in an article naming another.
    for name in US_STATES & clusters.keys():
        if kinds[name] == "country" and US_STATES & (clusters.keys() - {name}):
            kinds[name] = "place"
    _add_missed_names(doc, clusters, kinds, table)
    _names_in_full(doc, clusters, kinds, flags)
    _resolve_role_nouns(doc, clusters, kinds, table, flags)
    _resolve_institution_nouns(doc, clusters, kinds)
    clusters = {name: ms for name, ms in clusters.items() if ms}

    lead = _lead_span(text, paragraphs)
    actors = [_actor(name, ms, kinds[name], title, lead) for name, ms in clusters.items()]
    _add_references(doc, actors)
    _mark_titles(actors, title, table)
    return sorted(actors, key=lambda a: (-a.n_mentions, a.first_mention or 0))


def _complete_names(doc, mentions: list[_Mention], flags: list[bool]) -> None:
    """The sm model often leaves a rare first name, or the second half of a hyphenated
    surname, outside the entity ("Reince Priebus" as "Priebus", "Mr. Campa-Najjar" as
    "Campa"): ``_first_name_before`` a one-word name joins it, and so does "-Name" right after
    a person's name, unless the whole modifies a noun ("the Harris-Trump debate" names two
    people). Not in headings, whose title case makes every word a proper noun, nor for a
    name the alias file settled."""
    text = text_of(doc)
    for m in mentions:
        if m.heading or m.kind or m.label not in ("PERSON", "ORG") or m.name != m.surface:
            continue
        first = _first_name_before(doc, m.first_token, flags) if m.first_token == m.token else None
        last = doc[m.token]
        if m.label == "PERSON" and m.token + 2 < len(doc) and not last.whitespace_:
            hyphen, rest = doc[m.token + 1], doc[m.token + 2]
            if hyphen.text == "-" and not hyphen.whitespace_ and rest.is_alpha \
                    and rest.text[:1].isupper() and not rest.ent_type_ \
                    and not (rest.dep_ in ("compound", "amod", "nmod") and rest.head.pos_ == "NOUN"):
                m.end, m.token = rest.idx + len(rest.text), rest.i
        if first is not None:
            m.start, m.first_token = first.idx, first.i
        if text[m.start:m.end] != m.name:
            m.name = m.surface = clean_name(text[m.start:m.end])


def _shared_surnames(doc, mentions: list[_Mention]) -> list[_Mention]:
    """"Malia and Sasha Obama", "Bill and Hillary Clinton": a first name joined by "and" to a
    person's full name shares the surname, and names another person ("Malia Obama"; the
    model had it as a place). Renames that first name's mention; the mentions to add when
    it had none. A later "President Obama" then matches two full names and is neither."""
    by_token = {m.token: m for m in mentions if m.first_token == m.token}
    added = []
    for m in [m for m in mentions if m.label == "PERSON" and not m.heading and " " in m.name]:
        i = m.first_token
        if i < 2 or doc[i - 1].lower_ not in ("and", "&"):
            continue
        first = doc[i - 2]
        own = by_token.get(first.i)
        if not (first.is_alpha and first.is_title and is_given_name(first.text)) or any(
                o is not own and o.first_token <= first.i <= o.token for o in mentions):
            continue  # not "Hillary Clinton and Bill Clinton": a surname, not a first name
        name = f"{first.text} {m.name.split()[-1]}"
        if own is not None and not own.kind:
            own.name, own.label = name, "PERSON"
        elif own is None:
            added.append(_Mention(first.idx, first.idx + len(first), name, "PERSON", first.i,
                                  surface=first.text, first_token=first.i))
    return added


def _first_name_before(doc, i: int, flags: list[bool]):
    """The token before token ``i`` when it is a first name the model left outside the
    name: a capitalised proper noun, not a title, not inside another entity, and not an
    English word that is no first name (``is_epithet``: "Agent Strzok", "Says Trump"); else
    None."""
    if i <= 0 or not common_words():
        return None
    before = doc[i - 1]
    word = before.text
    if before.tag_ == "NNP" and before.is_alpha and before.is_title and len(before) > 1 \
            and before.whitespace_ == " " and not before.ent_type_ and not flags[before.i] \
            and before.lower_ not in TITLE_WORDS | LEAD_WORDS and before.lower_ not in MONTHS \
            and not is_epithet(word) and not (word.endswith("s") and is_epithet(word[:-1])):
        return before
    return None


def _names_in_full(doc, clusters: dict[str, list[_Mention]], kinds: dict[str, str],
                   flags: list[bool]) -> None:
    """A person known by a surname alone ("Mr. Emanuel") whose full name the model missed
    where the article writes it ("Rahm Emanuel, the chief of staff," found again as
    "Emanuel" by ``_add_missed_names``) is named in full."""
    for name in [n for n in clusters if kinds[n] == "person" and " " not in n]:
        for m in clusters[name]:
            first = _first_name_before(doc, m.first_token, flags) if not m.heading else None
            full = f"{first.text} {name}" if first is not None else None
            if full and full not in clusters:
                m.start, m.first_token, m.surface = first.idx, first.i, full
                clusters[full], kinds[full] = clusters.pop(name), kinds.pop(name)
                for other in clusters[full]:
                    other.name = full
                break


def _add_missed_names(doc, clusters: dict[str, list[_Mention]], kinds: dict[str, str],
                      table: AliasTable) -> None:
    """The sm model misses names it found elsewhere in the article ("Trump left at nine"):
    each further occurrence of a person's or organisation's name as the model found it
    written, or of a person's surname where the tagger calls it a proper noun, becomes a
    mention, unless it lies inside another entity ("Trump Tower"); a bare surname shared by
    several people goes to the one the context points to (``_bearer``)."""
    text = text_of(doc)
    forms: dict[str, set[str]] = defaultdict(set)
    surnames: set[str] = set()  # found only where the tagger calls the word a proper noun
    for name, ms in clusters.items():
        if kinds[name] not in ("person", "organization"):
            continue  # places and countries: the model finds them; adjectives are not names
        written = {m.surface or m.name for m in ms if not m.role_noun}
        if kinds[name] == "person" and is_full_name(name):
            surname = name.split()[-1]
            surnames |= {surname} - written
            written.add(surname)
        for form in written:
            if form[:1].isupper() and len(form) >= 2 and form.casefold() not in LEAD_WORDS \
                    and form.casefold() not in TITLE_WORDS:
                forms[form].add(name)
    surnames -= {m.surface or m.name for ms in clusters.values() for m in ms}
    taken = [(m.start, m.end) for ms in clusters.values() for m in ms]
    # other entities ("Trump Tower" as a building); one that is just a name above ("Brewer"
    # tagged a product) is that name
    taken += [(e.start_char, e.end_char) for e in doc.ents
              if e.label_ not in LABEL_TYPES and e.text not in forms]
    # one written name for two actors is not a surname the context can settle
    forms = {f: sorted(o) for f, o in forms.items()
             if len(o) == 1 or (" " not in f and all(kinds[n] == "person" for n in o))}
    if not forms:
        return
    used = bytearray(len(text))  # characters already inside a mention or another entity
    for s, e in taken:
        used[s:e] = b"\x01" * (e - s)
    ents = [(e.start_char, e.end_char, e.text) for e in doc.ents if e.label_ in LABEL_TYPES]
    starts = [s.start for s in doc.sents]

    def sentence(i: int) -> int:
        return bisect.bisect_right(starts, i) - 1

    names = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    for hit in re.finditer(rf"(?<![\w.-])(?:{names})(?![\w-])", text):
        start, end = hit.span()
        form = hit.group()
        if any(used[start:end]) or any(s <= start and end <= e and t != form for s, e, t in ents):
            continue  # a mention already, or inside a longer name of another actor
        before = text[max(0, start - 16):start].split()[-1:] or [""]
        if before[0].casefold() in LOCATIVE_PREPS and is_place_name(form, table):
            continue  # "flew to Austin": the city, not Lloyd Austin
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or (form in surnames and span[-1].pos_ != "PROPN"):
            continue
        m = _Mention(start, end, form, None, span[-1].i, surface=form, first_token=span[0].i)
        people = forms[form]
        # a surname shared by several people: the one the context points to (as above)
        m.name = people[0] if len(people) == 1 else _bearer(m, people, clusters, sentence)
        clusters[m.name].append(m)
        used[start:end] = b"\x01" * (end - start)


def _shrink_to_known(m: _Mention, known: Callable[[str], bool]) -> None:
    """Cut a heading's name to its longest run of words that the body names."""
    words = m.name.split()
    for size in range(len(words) - 1, 0, -1):
        for i in range(len(words) - size + 1):
            part = " ".join(words[i:i + size])
            if known(part) and part[:1].isupper():
                offset = m.name.find(part)
                m.start, m.end = m.start + offset, m.start + offset + len(part)
                m.name = m.surface = part
                return


def _add_references(doc, actors: list[Actor]) -> None:
    """Pronouns and role nouns the coreference model ties to an actor join its references;
    where the model and the role-noun rule above disagree on a span, the model decides."""
    from .. import coref  # coref reads the actors' names module: imported here, not above

    decided = {}
    for i, refs in coref.resolve(doc, actors).items():
        decided.update({(m.start, m.end): i for m in refs})
    for i, actor in enumerate(actors):
        kept = [m for m in actor.references if decided.get((m.start, m.end), i) == i]
        spans = {(m.start, m.end) for m in kept}
        kept += [Mention(*span) for span, owner in decided.items() if owner == i and span not in spans]
        actor.references = sorted(kept, key=lambda m: m.start)


def add_speaker_references(actors: list[Actor], attributions) -> None:
    """The speakers that ``sources.extract_attributions`` resolved from a pronoun, a role noun
    or "who" ("he said", "the senator warned") become references of their actor too, where
    the coreference above did not already tie that span: the speaker rules look at the
    reporting clause, which the coreference model does not."""
    by_name = {a.name: a for a in actors}
    taken = [(m.start, m.end) for a in actors for m in [*a.mentions, *a.references]]
    for att in attributions:
        actor = by_name.get(att.actor or "")
        if actor is None or att.resolved_by not in ("pronoun", "role", "relative") \
                or att.source_start is None:
            continue
        span = (att.source_start, att.source_end)
        if not any(s < span[1] and span[0] < e for s, e in taken):
            actor.references = sorted([*actor.references, Mention(*span)], key=lambda m: m.start)
            taken.append(span)


def _actor(name: str, mentions: list[_Mention], kind: str, title: str | None,
           lead: tuple[int, int]) -> Actor:
    """The record of one actor: its name mentions, and the role nouns tied to it as
    references."""
    mentions = sorted(mentions, key=lambda m: m.start)
    aliases: list[str] = []
    for m in mentions:
        if (m.surface or m.name) not in aliases:
            aliases.append(m.surface or m.name)
    roles: dict[str, str] = {}  # case-folded role -> as first written
    for m in mentions:
        if m.role:
            roles.setdefault(m.role.casefold(), m.role)
    counts = Counter(m.role.casefold() for m in mentions if m.role)
    names = [m for m in mentions if not m.role_noun]
    return Actor(
        name=name, type=kind, aliases=aliases,
        mentions=[Mention(m.start, m.end) for m in names],
        references=[Mention(m.start, m.end) for m in mentions if m.role_noun],
        in_lead=any(lead[0] <= m.start < lead[1] for m in names),
        role=roles[counts.most_common(1)[0][0]] if counts else None,
        roles=list(roles.values()),
    )


def _mark_titles(actors: list[Actor], title: str | None, table: AliasTable) -> None:
    """``in_title``: the headline names the actor (any of its names, or a person's surname
    when no other actor shares it, or an alias from the alias file)."""
    if not isinstance(title, str) or not title:
        return
    surnames = Counter(surname_skeleton(a.name) for a in actors if a.type == "person")
    for actor in actors:
        forms = {a for a in actor.aliases if a[:1].isupper()} | {actor.name}
        if actor.type == "person" and surnames[surname_skeleton(actor.name)] == 1:
            forms.add(actor.name.split()[-1])
        forms |= set(table.forms.get(actor.name, ()))
        actor.in_title = any(re.search(rf"(?<!\w){re.escape(f)}(?!\w)", title) for f in forms if f)


