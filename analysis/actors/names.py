"""Names, titles and the keys that say when two written names are one person."""
from __future__ import annotations

import re

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
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


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


def is_cap(token) -> bool:
    return token.text[:1].isupper()


def title_flags(doc) -> list[bool]:
    """Per token: could it be part of a title ("Secretary of the Army", "special envoy")?"""
    flags = [False] * len(doc)
    for t in doc:
        i, low = t.i, t.lower_
        prev_flag = i > 0 and flags[i - 1]
        nxt = doc[i + 1] if i + 1 < len(doc) else None
        if low in TITLE_WORDS and not t.is_space:
            flags[i] = True
        elif low == "of" and prev_flag and doc[i - 1].lower_ in TITLE_HEADS and nxt is not None \
                and (is_cap(nxt) or nxt.lower_ == "the"):
            flags[i] = True
        elif low == "the" and prev_flag and doc[i - 1].lower_ == "of" and nxt is not None \
                and is_cap(nxt):
            flags[i] = True
        elif is_cap(t) and prev_flag and doc[i - 1].lower_ in ("of", "the"):
            flags[i] = True  # the office's object: "of State", "of the Army"
    return flags


def role_text(tokens) -> str | None:
    """The role in a title's tokens, or None for a bare courtesy title."""
    words = [t for t in tokens if t.lower_ not in HONORIFICS]
    if not any(t.lower_ in TITLE_HEADS for t in words):
        return None
    while words and words[0].lower_ in ("of", "the"):
        words = words[1:]
    return " ".join(t.text for t in words) or None


def leader_role(role: str) -> str:
    """The office a role names, lower case, without modifiers ("Deputy Foreign Minister" ->
    "minister", "Prime Minister" -> "prime minister", "Secretary of State" -> "secretary")."""
    words = role.casefold().split(" of ")[0].split()
    if len(words) >= 2 and " ".join(words[-2:]) in LEADER_ROLES:
        return " ".join(words[-2:])
    return words[-1] if words else ""


def surname_key(name: str) -> str:
    words = name.split()
    if len(words) >= 2 and words[-1].casefold() in NAME_SUFFIXES:
        return " ".join(words[-2:]).casefold()
    return words[-1].casefold() if words else ""


def is_full_name(name: str) -> bool:
    words = [w for w in name.split() if w.casefold() not in NAME_SUFFIXES]
    return len(words) >= 2


def follow(target: dict[str, str], name: str) -> str:
    seen = set()
    while name in target and name not in seen:
        seen.add(name)
        name = target[name]
    return name
