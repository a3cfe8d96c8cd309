"""Mentioned actors: people, organisations, countries, places and groups, aliases merged.

How names become actors (each rule is pinned by a test in tests/test_actors.py):

1. Candidates are the spaCy entities PERSON, ORG, GPE, LOC, FAC and NORP; dates, numbers,
   money and the like are never actors. A name loses its leading "the", its possessive
   ("Putin's" -> "Putin") and the title in front of it ("Russian President Vladimir Putin"
   -> "Vladimir Putin", role "President"); the title is kept as the actor's role.
2. The sm model is noisy, so: an entity that runs over a paragraph break is cut at it;
   "X's Something" keeps only X; a name found only in a section heading is dropped unless
   the body names it too; an adjective of nationality ("Western sanctions") is not an
   actor unless the alias file maps it ("Russian forces" -> Russia).
3. The alias file (lexicons/aliases.json, plus the user's file on top) maps names to
   canonical actors; a capital city is its government only where it acts ("Kyiv rejected"),
   and stays a place after "in"/"to" ("a visit to Kyiv").
4. Within an article, a one-word person name joins the one full name ending (or starting)
   with it, whichever comes first in the text; two full names sharing the word keep the
   one-word name apart, and a one-word name with only organisation or place evidence
   never joins a person ("Washington" the city vs "George Washington"). Role nouns ("the
   president", "the Russian leader") join the one actor holding that role, or the only
   person just named, and stay unresolved when that is ambiguous.
5. The type of an actor is a vote over its mentions' entity labels, with a personal title
   counting for "person" and the alias file overriding.

Across the corpus, ``link_corpus`` maps each article-level name to one canonical name.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .model import Actor, Mention
from .nlp import text_of

LABEL_TYPES = {"PERSON": "person", "ORG": "organization", "GPE": "place", "LOC": "place",
               "FAC": "place", "NORP": "group"}
ACTOR_TYPES = ("person", "organization", "country", "place", "group")  # also the tie-break order
ALIAS_FILE = Path(__file__).parent / "lexicons" / "aliases.json"
USER_ALIASES_ENV = "COVERAGE_LENS_ALIASES"
DEFAULT_USER_ALIASES = Path("~/.config/coverage-lens/aliases.json")

# Offices and occupations that make a title; a title needs one of these.
TITLE_HEADS = {
    "president", "president-elect", "minister", "premier", "chancellor", "secretary",
    "secretary-general", "senator", "sen.", "representative", "rep.", "congressman",
    "congresswoman", "governor", "gov.", "mayor", "king", "queen", "prince", "princess",
    "emperor", "pope", "sheikh", "emir", "sultan", "ayatollah", "general", "gen.", "admiral",
    "colonel", "col.", "lieutenant", "lt.", "sergeant", "sgt.", "captain", "capt.", "commander",
    "ambassador", "envoy", "adviser", "advisor", "spokesman", "spokeswoman", "spokesperson",
    "chairman", "chairwoman", "chair", "ceo", "director", "judge", "justice", "speaker",
    "leader", "chief", "commissioner", "attorney", "prosecutor", "bishop", "archbishop",
    "cardinal", "rabbi", "imam", "coach", "founder", "co-founder", "head", "officer",
    "negotiator", "diplomat", "aide", "lawmaker", "official", "columnist", "journalist",
    "reporter", "editor", "author", "writer", "artist", "biologist", "scientist", "researcher",
    "professor", "prof.", "economist", "analyst", "activist", "lawyer", "actor", "actress",
    "singer", "comedian", "producer", "owner", "candidate", "nominee", "historian",
    "physicist", "executive", "lady", "vice-president", "deputy",
}
# Words that qualify an office ("Deputy Foreign Minister", "National Security Adviser").
TITLE_MODIFIERS = {
    "former", "acting", "vice", "special", "senior", "top", "interim", "first", "foreign",
    "defense", "defence", "state", "national", "security", "homeland", "interior", "finance",
    "treasury", "health", "trade", "commerce", "energy", "education", "affairs", "army", "navy",
    "prime", "supreme", "assistant", "associate", "principal", "majority", "minority", "house",
    "senate", "federal", "outgoing", "incoming", "presidential", "press", "communications",
    "economic", "military", "labor", "labour", "intelligence", "webcomic", "advice", "opposition",
    "party", "campaign", "general", "co", "managing", "then",
}
# Courtesy titles are stripped from names but are not roles.
HONORIFICS = {"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "dr", "dr.", "sir", "dame",
              "lord", "rev.", "reverend"}
TITLE_WORDS = TITLE_HEADS | TITLE_MODIFIERS | HONORIFICS
# A title that marks its name as a person even when spaCy calls the name an organisation;
# "General Motors" shows why not every title word does.
STRONG_TITLES = {"president", "minister", "premier", "chancellor", "secretary", "senator",
                 "sen.", "governor", "mayor", "ambassador", "envoy", "adviser", "advisor",
                 "spokesman", "spokeswoman", "rep.", "congressman", "congresswoman",
                 "president-elect", "columnist", "biologist"} | HONORIFICS
# Heads of state or government: what "the leader" can refer to.
LEADER_ROLES = {"president", "prime minister", "premier", "chancellor", "king", "queen",
                "leader", "emir", "sultan", "supreme leader"}
NAME_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
POSSESSIVE_TOKENS = {"'s", "’s", "'", "’"}
LOCATIVE_PREPS = {"in", "at", "to", "into", "from", "near", "toward", "towards", "across",
                  "around", "inside", "outside", "through", "throughout", "within", "via",
                  "over", "aboard", "on"}
PLACE_NOUNS = {"plant", "region", "city", "oblast", "province", "border", "airport", "port",
               "base", "area", "district", "town", "village", "station", "bridge", "river", "dam",
               "field", "site", "valley", "peninsula", "island", "coast", "front"}
_POSSESSIVE = re.compile(r"\s*['’]s?$")
_ABBREVIATION = re.compile(r"(?:[A-Za-z]\.){2,}$")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


# --- the alias file ----------------------------------------------------------------------

@dataclass(frozen=True)
class AliasTable:
    """The alias file(s) in lookup form; keys are case-folded names."""

    aliases: dict[str, tuple[str, str]] = field(default_factory=dict)   # name -> (canonical, type)
    metonyms: dict[str, tuple[str, str]] = field(default_factory=dict)  # capital -> its government
    ignore: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()
    forms: dict[str, list[str]] = field(default_factory=dict)  # canonical -> names as written

    def canonical(self, name: str) -> tuple[str, str] | None:
        return self.aliases.get(name.casefold())


def user_alias_path() -> Path:
    """The user's alias file: $COVERAGE_LENS_ALIASES, else ~/.config/coverage-lens/aliases.json."""
    return Path(os.environ.get(USER_ALIASES_ENV) or DEFAULT_USER_ALIASES).expanduser()


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path}: not a readable alias file ({exc})") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path}: an alias file holds a JSON object")
    return data


def _file_key(path: Path) -> tuple:
    try:
        st = path.stat()
        return (str(path), st.st_mtime_ns, st.st_size)
    except OSError:
        return (str(path), None, None)


def load_aliases() -> AliasTable:
    """The shipped alias file with the user's file applied on top (user entries win)."""
    return _load_aliases(_file_key(ALIAS_FILE), _file_key(user_alias_path()))


@functools.lru_cache(maxsize=4)
def _load_aliases(shipped_key: tuple, user_key: tuple) -> AliasTable:
    aliases: dict[str, tuple[str, str]] = {}
    metonyms: dict[str, tuple[str, str]] = {}
    ignore: set[str] = set()
    countries: set[str] = set()
    forms: dict[str, list[str]] = defaultdict(list)
    for key in (shipped_key, user_key):
        data = _read_json(Path(key[0]))
        for canonical, entry in (data.get("actors") or {}).items():
            kind = entry.get("type") or "organization"
            if kind not in ACTOR_TYPES:
                raise ValueError(f"{key[0]}: {canonical!r} has type {kind!r}; "
                                 f"use one of {', '.join(ACTOR_TYPES)}")
            for name in [canonical, *entry.get("aliases", [])]:
                aliases[name.casefold()] = (canonical, kind)
                forms[canonical].append(name)
                ignore.discard(name.casefold())
            for name in entry.get("metonyms", []):
                metonyms[name.casefold()] = (canonical, kind)
        ignore |= {n.casefold() for n in data.get("ignore", [])}
        countries |= {n.casefold() for n in data.get("countries", [])}
    return AliasTable(aliases, metonyms, frozenset(ignore), frozenset(countries), dict(forms))


def alias_fingerprint() -> str:
    """Hash of the user's alias file (empty when there is none): part of the analysis version,
    so editing aliases makes stored results out of date."""
    path = user_alias_path()
    data = path.read_bytes() if path.is_file() else b""
    return hashlib.sha256(data).hexdigest()[:10] if data else ""


def save_user_alias(canonical: str, aliases: Iterable[str] = (), type: str | None = None) -> Path:
    """Record in the user's alias file that ``aliases`` are ``canonical`` (of ``type``).

    Merging actor B into A is ``save_user_alias(A, [B, *B_aliases])``; renaming A to C is
    ``save_user_alias(C, [A, *A_aliases])``. An entry the user had for an alias is folded
    into the new one, so no name points two ways. Returns the file written.
    """
    canonical = canonical.strip()
    if not canonical:
        raise ValueError("an actor needs a name")
    if type is not None and type not in ACTOR_TYPES:
        raise ValueError(f"type {type!r}: use one of {', '.join(ACTOR_TYPES)}")
    path = user_alias_path()
    data = _read_json(path)
    actors = data.setdefault("actors", {})
    entry = actors.pop(canonical, None) or {}
    names = list(entry.get("aliases", []))
    for alias in aliases:
        alias = alias.strip()
        folded = actors.pop(alias, None)
        for name in [alias, *((folded or {}).get("aliases", []))]:
            if name and name != canonical and name not in names:
                names.append(name)
    known = load_aliases().canonical(canonical)
    kind = type or entry.get("type") or (known[1] if known else "person")
    actors[canonical] = {"type": kind, "aliases": names,
                         "metonyms": entry.get("metonyms", [])}
    _write_json(path, data)
    return path


def ignore_user_name(name: str) -> Path:
    """Record in the user's alias file that ``name`` is never an actor."""
    path = user_alias_path()
    data = _read_json(path)
    names = data.setdefault("ignore", [])
    if name not in names:
        names.append(name)
    _write_json(path, data)
    return path


def _write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)  # atomic: a reader never sees half a file


# --- names and titles ----------------------------------------------------------------------

def clean_name(text: str) -> str:
    """``text`` without a leading "the", a possessive or trailing punctuation."""
    name = re.sub(r"\s+", " ", text).strip()
    name = _POSSESSIVE.sub("", name)
    name = re.sub(r"^(?:the|The|THE)\s+", "", name)
    name = name.strip(" ,:;!?\"“”()[]")
    if name.count("(") != name.count(")"):
        name = name.split("(")[0].strip()  # "Governor(s" cut short by the tokenizer
    last = name.rsplit(" ", 1)[-1].casefold()
    if name.endswith(".") and not _ABBREVIATION.search(name) and last not in NAME_SUFFIXES \
            and last not in TITLE_WORDS:
        name = name.rstrip(".")
    return name


def _is_cap(token) -> bool:
    return token.text[:1].isupper()


def _title_flags(doc) -> list[bool]:
    """Per token: could it be part of a title ("Secretary of the Army", "special envoy")?"""
    flags = [False] * len(doc)
    for t in doc:
        i, low = t.i, t.lower_
        prev_flag = i > 0 and flags[i - 1]
        nxt = doc[i + 1] if i + 1 < len(doc) else None
        if low in TITLE_WORDS and not t.is_space:
            flags[i] = True
        elif low == "of" and prev_flag and doc[i - 1].lower_ in TITLE_HEADS and nxt is not None \
                and (_is_cap(nxt) or nxt.lower_ == "the"):
            flags[i] = True
        elif low == "the" and prev_flag and doc[i - 1].lower_ == "of" and nxt is not None \
                and _is_cap(nxt):
            flags[i] = True
        elif _is_cap(t) and prev_flag and doc[i - 1].lower_ in ("of", "the"):
            flags[i] = True  # the office's object: "of State", "of the Army"
    return flags


def _role_text(tokens) -> str | None:
    """The role in a title's tokens, or None for a bare courtesy title."""
    words = [t for t in tokens if t.lower_ not in HONORIFICS]
    if not any(t.lower_ in TITLE_HEADS for t in words):
        return None
    while words and words[0].lower_ in ("of", "the"):
        words = words[1:]
    return " ".join(t.text for t in words) or None


def _leader_role(role: str) -> str:
    """The office a role names, lower case, without modifiers ("Deputy Foreign Minister" ->
    "minister", "Prime Minister" -> "prime minister", "Secretary of State" -> "secretary")."""
    words = role.casefold().split(" of ")[0].split()
    if len(words) >= 2 and " ".join(words[-2:]) in LEADER_ROLES:
        return " ".join(words[-2:])
    return words[-1] if words else ""


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


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for m in _PARAGRAPH_BREAK.finditer(text):
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
                or m.name.casefold() in table.ignore:
            continue
        if _resolve_alias(doc, m, table):
            mentions.append(m)
    return mentions


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
        if toks[0].lower_ not in ("the", "a", "an"):
            lowercase_lead.append(toks[0])  # "magician David Gish": a descriptor
        toks = toks[1:]
    while toks and (toks[-1].text in POSSESSIVE_TOKENS or toks[-1].is_punct):
        toks = toks[:-1]
    if not toks:
        return None
    # A title inside the entity ("Russian President Vladimir Putin" as one PERSON).
    cut = 0
    for n, t in enumerate(toks[:-1]):
        if flags[t.i] or (toks[n + 1].lower_ in TITLE_WORDS
                          and (t.lower_ in table.aliases or t.pos_ == "ADJ")):
            cut = n + 1
        else:
            break
    if cut and (label == "PERSON" or len(toks) - cut >= 2
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
    role = _role_text(title_tokens)
    titled = bool({t.lower_ for t in title_tokens} & STRONG_TITLES) or \
        (role is not None and label == "PERSON")
    qualifier = None
    if role:
        qualifier, q_tokens = _qualifier_before(doc, j)
        if q_tokens and doc[q_tokens[0]].ent_type_ in ("NORP", "GPE"):
            consumed.update(q_tokens)  # "Russian President X" is not a mention of Russia
        qualifier = clean_name(qualifier) if qualifier else None
    else:
        role, qualifier, strong = _appositive_role(last)
        titled = titled or strong
    if label == "PERSON" and len(toks) == 1 and not titled and not role \
            and last.dep_ in ("compound", "nmod", "amod") and last.head.pos_ == "NOUN":
        # "the Zaporizhzhia nuclear power plant": a modifier is weak evidence of a person
        label = "FAC" if last.head.lower_ in PLACE_NOUNS else None
    name = clean_name(doc[first:last.i + 1].text)
    if not name:
        return None
    start = toks[0].idx
    return _Mention(start, start + len(name), name, label, last.i, role, qualifier, titled,
                    surface=name, determiner=determiner, first_token=first,
                    modifier=last.dep_ in ("compound", "nmod") and last.head.pos_ == "NOUN")


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

def _surname_key(name: str) -> str:
    words = name.split()
    if len(words) >= 2 and words[-1].casefold() in NAME_SUFFIXES:
        return " ".join(words[-2:]).casefold()
    return words[-1].casefold() if words else ""


def _is_full_name(name: str) -> bool:
    words = [w for w in name.split() if w.casefold() not in NAME_SUFFIXES]
    return len(words) >= 2


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
    if kind == "place" and name.casefold() in table.countries:
        kind = "country"
    return kind


def _merge_persons(groups: dict[str, _Group], table: AliasTable) -> dict[str, str]:
    """name -> name of the group it joins (full person names absorb their short forms)."""
    target: dict[str, str] = {}
    types = {n: g.kind or _type_of(g.votes(), n, table) for n, g in groups.items()}
    full = sorted((n for n in groups if types[n] == "person" and _is_full_name(n)),
                  key=lambda n: (-len(groups[n].mentions), groups[n].first))
    # Variants of one full name ("Donald J. Trump", "Donald Trump") share first and last word.
    for i, name in enumerate(full):
        for other in full[:i]:
            if other not in target and not groups[name].kind \
                    and name.split()[0] == other.split()[0] \
                    and _surname_key(name) == _surname_key(other):
                target[name] = other
                break
    heads = [n for n in full if n not in target]
    by_last: dict[str, list[str]] = defaultdict(list)
    by_first: dict[str, list[str]] = defaultdict(list)
    for name in heads:
        by_last[_surname_key(name)].append(name)
        by_first[name.split()[0].casefold()].append(name)
    for name, group in groups.items():
        if _is_full_name(name) or group.kind:
            continue
        if name.casefold() in table.countries or name.casefold() in table.metonyms:
            continue
        votes = group.votes()
        # Place evidence, or organisation evidence with an organisation's syntax ("the Ford
        # plant"), keeps a one-word name apart; the sm model's stray ORG labels on surnames
        # ("Herrick explains") do not.
        if not group.person_evidence() and (votes["place"] or group.org_syntax()):
            continue
        key = name.casefold()
        owners = by_last.get(key) or ([] if key in by_last else by_first.get(key, []))
        if len(owners) == 1:
            target[name] = owners[0]
    return {n: _follow(target, n) for n in target}


def _merge_acronyms(groups: dict[str, _Group]) -> dict[str, str]:
    """"NATO" -> "North Atlantic Treaty Organization" when both appear in the article."""
    target = {}
    long_names = [n for n in groups if len(n.split()) >= 2]
    for name in groups:
        if not (name.isupper() and 2 <= len(name) <= 6 and name.isalpha()):
            continue
        owners = [n for n in long_names
                  if "".join(w[0] for w in n.split() if w[0].isupper()) == name]
        if len(owners) == 1:
            target[name] = owners[0]
    return target


def _follow(target: dict[str, str], name: str) -> str:
    seen = set()
    while name in target and name not in seen:
        seen.add(name)
        name = target[name]
    return name


# --- role nouns ("the president") ------------------------------------------------------------

def _role_nouns(doc, flags_named: set[int]) -> list[tuple[int, int, str, str | None, int]]:
    """Definite role noun phrases: (start, end, office, qualifier, head token index)."""
    out = []
    for t in doc:
        if t.pos_ not in ("NOUN", "PROPN") or t.i in flags_named:
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
    offices = {n: {_leader_role(m.role) for m in ms if m.role} for n, ms in persons.items()}
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
    flags = _title_flags(doc)
    mentions = _candidates(doc, table, flags)
    for m in mentions:
        m.heading = any(s <= m.start < e for s, e in headings)
    body_names = [m.name.split() for m in mentions if not m.heading]

    def named_in_body(name: str) -> bool:
        words = name.split()
        return any(words == b[i:i + len(words)] for b in body_names
                   for i in range(len(b) - len(words) + 1))

    # Title-case headings make the sm model see organisations everywhere ("Stance and
    # Motivations"); a heading name counts when it is a person or the body names it too.
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
    person_links = _merge_persons(groups, table)
    person_targets = set(person_links.values())
    target = {**_merge_acronyms(groups), **person_links}
    clusters: dict[str, list[_Mention]] = defaultdict(list)
    kinds: dict[str, str] = {}
    for name, g in groups.items():
        clusters[target.get(name, name)].extend(g.mentions)
    for name, ms in clusters.items():
        fixed = next((m.kind for m in ms if m.kind), None)
        if fixed:
            kinds[name] = fixed
        elif name in person_targets:
            kinds[name] = "person"  # its short forms' organisation votes were spaCy's errors
        else:
            votes = sum((groups[n].votes() for n in {m.name for m in ms}), Counter())
            kinds[name] = _type_of(votes, name, table)
    _resolve_role_nouns(doc, clusters, kinds, table, flags)
    clusters = {name: ms for name, ms in clusters.items() if ms}

    lead = _lead_span(text, paragraphs)
    actors = [_actor(name, ms, kinds[name], title, lead) for name, ms in clusters.items()]
    _mark_titles(actors, title, table)
    return sorted(actors, key=lambda a: (-a.n_mentions, a.first_mention or 0))


def _actor(name: str, mentions: list[_Mention], kind: str, title: str | None,
           lead: tuple[int, int]) -> Actor:
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
    return Actor(
        name=name, type=kind, aliases=aliases,
        mentions=[Mention(m.start, m.end) for m in mentions],
        in_lead=any(lead[0] <= m.start < lead[1] for m in mentions),
        role=roles[counts.most_common(1)[0][0]] if counts else None,
        roles=list(roles.values()),
    )


def _mark_titles(actors: list[Actor], title: str | None, table: AliasTable) -> None:
    """``in_title``: the headline names the actor (any of its names, or a person's surname
    when no other actor shares it, or an alias from the alias file)."""
    if not isinstance(title, str) or not title:
        return
    surnames = Counter(_surname_key(a.name) for a in actors if a.type == "person")
    for actor in actors:
        forms = {a for a in actor.aliases if a[:1].isupper()} | {actor.name}
        if actor.type == "person" and surnames[_surname_key(actor.name)] == 1:
            forms.add(actor.name.split()[-1])
        forms |= set(table.forms.get(actor.name, ()))
        actor.in_title = any(re.search(rf"(?<!\w){re.escape(f)}(?!\w)", title) for f in forms if f)


# --- across the corpus ---------------------------------------------------------------------------

def _row_mentions(row: dict) -> int:
    n = row.get("n_mentions")
    if n is None or n != n:  # missing, or NaN from a DataFrame
        mentions = row.get("mentions")
        n = len(mentions) if isinstance(mentions, (list, tuple)) and mentions else 1
    return int(n)


def link_corpus(actor_rows: list[dict]) -> dict[str, str]:
    """Article-level actor name -> its canonical name across the corpus.

    ``actor_rows`` are items of the results' ``actors`` lists (``name``, ``type``, and when
    present ``n_mentions``, ``role``/``roles``). The alias files come first. Variants of a full
    person name sharing first and last word ("Donald J. Trump") go to the most mentioned one.
    A one-word name ("Trump", "Macron") goes to the only full person name in the corpus
    ending with it (else starting with it); when several do, to the only one holding the
    same office; otherwise it stays itself. A one-word name never typed person anywhere, or
    mostly typed place or country, never joins a person. Every name in the rows is a key.
    """
    table = load_aliases()
    votes: dict[str, Counter] = defaultdict(Counter)
    offices: dict[str, set[str]] = defaultdict(set)
    for row in actor_rows:
        name = row["name"]
        votes[name][row.get("type") or "organization"] += _row_mentions(row)
        roles = row.get("roles")
        roles = list(roles) if isinstance(roles, (list, tuple)) else [row.get("role")]
        offices[name] |= {_leader_role(r) for r in roles if isinstance(r, str) and r}
    mapping: dict[str, str] = {}
    for name in votes:
        hit = table.canonical(name)
        if hit:
            mapping[name] = hit[0]

    def majority(name: str) -> str:
        return max(ACTOR_TYPES, key=lambda k: (votes[name][k], -ACTOR_TYPES.index(k)))

    full = sorted((n for n in votes if n not in mapping and _is_full_name(n)
                   and majority(n) == "person"),
                  key=lambda n: (-sum(votes[n].values()), n))
    # Indexed by first word and surname: a corpus of months holds 10,000s of names.
    heads: dict[tuple[str, str], str] = {}  # (first word, surname key) -> most mentioned
    for name in full:
        head = heads.setdefault((name.split()[0], _surname_key(name)), name)
        if head != name:
            mapping[name] = head
    by_surname: dict[str, list[str]] = defaultdict(list)
    by_first: dict[str, list[str]] = defaultdict(list)
    for head in heads.values():
        by_surname[_surname_key(head)].append(head)
        by_first[head.split()[0].casefold()].append(head)
    for name in votes:
        if name in mapping or _is_full_name(name) or not votes[name]["person"]:
            continue
        if majority(name) in ("place", "country") or name.casefold() in table.countries:
            continue
        key = name.casefold()
        owners = by_surname.get(key) or by_first.get(key, [])
        if len(owners) > 1 and offices[name]:
            owners = [h for h in owners if offices[h] & offices[name]]
        if len(owners) == 1:
            mapping[name] = owners[0]
    return {name: _follow(mapping, name) if name in mapping else name for name in votes}


def canonical_names(names, mapping: dict[str, str]):
    """``names`` (a Series) with each name the ``link_corpus`` mapping knows replaced by its
    canonical name; the others stay as they are."""
    return names.map(mapping).fillna(names)


def canonical_types(votes: list[dict], mapping: dict[str, str]) -> dict[str, str]:
    """Canonical name -> the one type ``link_frame`` gives it, from the actors summed per
    (name, type) (``store.actor_votes``) and their ``link_corpus`` mapping: the types of the
    whole corpus, also for a frame of a few of its articles."""
    import pandas as pd

    frame = pd.DataFrame(votes, columns=["name", "type", "n_mentions"])
    return _canonical_types(frame.assign(name=canonical_names(frame["name"], mapping)))


def corpus_links(votes: list[dict]) -> tuple[dict[str, str], dict[str, str]]:
    """``link_corpus`` of the stored actors summed per (name, type) (``store.actor_votes``)
    and its ``canonical_types``: the ``mapping`` and ``types`` of ``link_frame`` for any rows
    of that store."""
    mapping = link_corpus(votes)
    return mapping, canonical_types(votes, mapping)


def link_frame(actors, mapping: dict[str, str] | None = None,
               types: dict[str, str] | None = None):
    """The actors table (one row per actor per article, as ``store.items_frame("actors")``
    returns it) linked across the corpus: ``name`` becomes the canonical name from
    ``link_corpus`` (the article's own name is kept in ``article_name``), ``type`` one type
    per canonical actor (the alias file's, else a full person name stays a person, else a
    mention-weighted vote), and rows of one article that now share a name are combined.
    ``mapping`` is ``link_corpus`` of these rows when the caller has it already (from
    ``store.actor_votes``), ``types`` their ``canonical_types``. Calling it on a linked table
    returns the table unchanged."""
    import pandas as pd

    if "article_name" in actors.columns:
        return actors
    frame = actors.copy(deep=False)  # copy-on-write: assigning a column leaves ``actors`` as it is
    frame["article_name"] = frame["name"] if "name" in frame else pd.Series(dtype=str)
    if frame.empty:
        return frame
    if mapping is None:
        used = [c for c in ("name", "type", "n_mentions", "mentions", "roles", "role") if c in frame]
        mapping = link_corpus(frame[used].to_dict("records"))
    # Each distinct name is linked once and spread over its rows by code: 100,000s of rows
    # hold a few thousand names.
    codes, names = pd.factorize(frame["name"], use_na_sentinel=False)
    names = canonical_names(pd.Series(names), mapping)
    frame["name"] = names.array.take(codes)
    if "n_mentions" not in frame:
        frame["n_mentions"] = [_row_mentions(r) for r in frame.to_dict("records")]
    types = _canonical_types(frame) if types is None else types
    frame["type"] = names.map(types).array.take(codes)
    # Rows of one article that now share a name, found by their (article, name) codes.
    key = pd.factorize(names, use_na_sentinel=False)[0][codes].astype("int64")
    if "article_id" in frame:
        key += pd.factorize(frame["article_id"], use_na_sentinel=False)[0] * (key.max() + 1)
    dup = pd.Series(key).duplicated(keep=False).to_numpy()
    if not dup.any():
        return frame.reset_index(drop=True)
    # Only the (article, actor) groups that linking made several rows are combined.
    groups: dict[int, list[dict]] = {}
    for k, record in zip(key[dup].tolist(), frame[dup].to_dict("records")):
        groups.setdefault(k, []).append(record)
    combined = pd.DataFrame([_combine(records) for records in groups.values()])
    return pd.concat([frame[~dup], combined], ignore_index=True)


def _canonical_types(frame) -> dict[str, str]:
    """One type per canonical name: the alias file's, else a full person name stays a person,
    else the type with most mentions (ties to the earlier of ACTOR_TYPES)."""
    import pandas as pd

    table = load_aliases()
    counts = frame.groupby(["name", "type"])["n_mentions"].sum().unstack(fill_value=0)
    counts = counts[[t for t in ACTOR_TYPES if t in counts] + [t for t in counts if t not in ACTOR_TYPES]]
    persons = counts["person"] if "person" in counts else pd.Series(0, index=counts.index)
    types = {}
    for name, voted in counts.idxmax(axis=1).items():
        hit = table.canonical(name)
        if hit:
            types[name] = hit[1]
        elif persons[name] and _is_full_name(name):
            types[name] = "person"
        else:
            types[name] = voted
    return types


def _combine(records: list[dict]) -> dict:
    """One article's rows of one canonical actor as one row (of the fields they have)."""
    if len(records) == 1:
        return records[0]
    out = dict(records[0])
    lists = lambda key: [x for r in records if isinstance(r.get(key), list) for x in r[key]]
    for key in ("aliases", "roles"):
        if key in out:
            out[key] = list(dict.fromkeys(lists(key)))
    if "mentions" in out:
        out["mentions"] = sorted(lists("mentions"), key=lambda m: m.get("start", 0))
    out["n_mentions"] = int(sum(r.get("n_mentions") or 0 for r in records))
    for key in ("in_title", "in_lead"):
        if key in out:
            out[key] = any(bool(r.get(key)) for r in records)
    if "first_mention" in out:
        firsts = [r["first_mention"] for r in records if r["first_mention"] is not None
                  and r["first_mention"] == r["first_mention"]]
        out["first_mention"] = min(firsts) if firsts else None
    if "sentiment" in out:
        scored = [(r["sentiment"], r.get("n_mentions") or 1) for r in records
                  if r["sentiment"] is not None and r["sentiment"] == r["sentiment"]]
        out["sentiment"] = (round(sum(v * w for v, w in scored) / sum(w for _, w in scored), 4)
                            if scored else None)
    if "role" in out:
        out["role"] = next((r["role"] for r in records if isinstance(r.get("role"), str)), None)
    out["article_name"] = ", ".join(dict.fromkeys(r["article_name"] for r in records))
    return out


# --- tables for the Actors page (pure pandas: items in, frame out) --------------------------------

def prominence(items):
    """Per actor and outlet: ``articles`` mentioning it, ``mentions``, ``mention_share`` (its
    share of all actor mentions in those outlet's articles, 0-1; higher => more central),
    ``in_title`` / ``in_lead`` (share of the outlet's articles naming it in the headline /
    lead, 0-1) and ``first_rank`` (mean rank of its first mention among the article's
    actors; 1 => named first)."""
    import pandas as pd

    if items.empty:
        return pd.DataFrame(columns=["name", "outlet", "articles", "mentions", "mention_share",
                                     "in_title", "in_lead", "first_rank"])
    d = items.copy()
    d["first_rank"] = d.groupby("article_id")["first_mention"].rank(method="min")
    per_outlet = d.groupby("outlet").agg(total=("n_mentions", "sum"), n_articles=("article_id", "nunique"))
    out = d.groupby(["name", "outlet"], as_index=False).agg(
        articles=("article_id", "nunique"), mentions=("n_mentions", "sum"),
        in_title=("in_title", "sum"), in_lead=("in_lead", "sum"), first_rank=("first_rank", "mean"))
    out = out.join(per_outlet, on="outlet")
    out["mention_share"] = (out["mentions"] / out["total"]).round(4)
    out["in_title"] = (out["in_title"] / out["n_articles"]).round(4)
    out["in_lead"] = (out["in_lead"] / out["n_articles"]).round(4)
    out["first_rank"] = out["first_rank"].round(2)
    return out.drop(columns=["total", "n_articles"])


def outlet_gaps(items, outlets: Iterable[str]):
    """Per actor: the outlets that mention it and those (of ``outlets``) that do not, most
    mentioned actors first; only actors some outlet leaves out."""
    import pandas as pd

    outlets = sorted(set(outlets))
    rows = []
    for name, rows_ in items.groupby("name"):
        present = sorted(set(rows_["outlet"]))
        missing = [o for o in outlets if o not in present]
        if missing:
            rows.append({"actor": name, "mentions": int(rows_["n_mentions"].sum()),
                         "outlets mentioning": ", ".join(present),
                         "outlets not mentioning": ", ".join(missing),
                         "n_outlets": len(present)})
    frame = pd.DataFrame(rows, columns=["actor", "mentions", "outlets mentioning",
                                        "outlets not mentioning", "n_outlets"])
    return frame.sort_values(["mentions", "actor"], ascending=[False, True]).reset_index(drop=True)


def co_mentions(items, names: list[str]):
    """Square frame over ``names``: the number of articles naming both actors (the diagonal:
    articles naming the actor)."""
    import pandas as pd

    sets = items[items["name"].isin(names)].groupby("name")["article_id"].agg(set)
    sets = [sets.get(name, set()) for name in names]
    return pd.DataFrame([[len(a & b) for b in sets] for a in sets], index=names, columns=names)


def actor_table(items, used):
    """One row per actor of ``items`` (linked actor rows, see ``link_frame``): type, the names
    and roles used for it, most used first (from ``used``: ``store.actor_names_used`` rows of
    the same articles under their canonical names), articles, outlets, mentions, headlines and
    leads naming it, and mean tone toward it ([-1, 1], None when unscored)."""
    import pandas as pd

    columns = ["actor", "type", "aliases", "roles", "articles", "outlets", "mentions",
               "in headline", "in lead", "tone"]
    if items.empty:
        return pd.DataFrame(columns=columns)
    out = items.groupby("name").agg(
        type=("type", "first"), articles=("article_id", "nunique"), outlets=("outlet", "nunique"),
        mentions=("n_mentions", "sum"), **{"in headline": ("in_title", "sum"),
                                           "in lead": ("in_lead", "sum")},
        tone=("sentiment", "mean"))
    out["tone"] = out["tone"].round(3)
    used = (used.groupby(["name", "field", "text"], as_index=False)["n"].sum()
            .sort_values(["n", "text"], ascending=[False, True], kind="stable"))
    names = used.groupby(["name", "field"])["text"].agg(", ".join).unstack()
    out = out.join(names.reindex(columns=["aliases", "roles"])).fillna({"aliases": "", "roles": ""})
    out = out.reset_index().rename(columns={"name": "actor"})[columns]
    return out.sort_values(["mentions", "actor"], ascending=[False, True]).reset_index(drop=True)
