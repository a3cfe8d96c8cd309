"""Names, titles and the keys that say when two written names are one person."""
from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

from ..nlp import common_words, token_texts

# Offices and occupations that make a title; a title needs one of these.
TITLE_HEADS = {
    "president", "president-elect", "minister", "premier", "chancellor", "secretary",
    "secretary-general", "senator", "sen.", "representative", "rep.", "congressman", "cong.",
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
_POSSESSIVE = re.compile(r"\s*['’‘ʼ]s?$")  # a left quote or a modifier letter for an apostrophe too
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


def title_flags(doc) -> list[bool]:
    """Per token: could it be part of a title ("Secretary of the Army", "special envoy")?
    Read from the token texts (``nlp.token_texts``), not from a Token object per token."""
    texts = token_texts(doc)
    lower = [t.lower() for t in texts]
    cap = [t[:1].isupper() for t in texts]
    n = len(texts)
    flags = [False] * n
    for i, low in enumerate(lower):
        prev_flag = i > 0 and flags[i - 1]
        if low in TITLE_WORDS and not texts[i].isspace():
            flags[i] = True
        elif low == "of" and prev_flag and lower[i - 1] in TITLE_HEADS and i + 1 < n \
                and (cap[i + 1] or lower[i + 1] == "the"):
            flags[i] = True
        elif low == "the" and prev_flag and lower[i - 1] == "of" and i + 1 < n and cap[i + 1]:
            flags[i] = True
        elif cap[i] and prev_flag and lower[i - 1] in ("of", "the"):
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


def is_full_name(name: str) -> bool:
    words = [w for w in name.split() if w.casefold() not in NAME_SUFFIXES]
    return len(words) >= 2


def follow(target: dict[str, str], name: str) -> str:
    seen = set()
    while name in target and name not in seen:
        seen.add(name)
        name = target[name]
    return name


# --- keys: when two written names are one name ---------------------------------------------

# Short forms of first names, to their formal form: "Bill Clinton" is "William Clinton".
NICKNAMES = {
    "abe": "abraham", "al": "albert", "alex": "alexander", "andy": "andrew", "ben": "benjamin",
    "bernie": "bernard", "bibi": "benjamin", "bill": "william", "billy": "william",
    "bob": "robert", "bobby": "robert", "rob": "robert", "chris": "christopher",
    "chuck": "charles", "charlie": "charles", "dan": "daniel", "danny": "daniel",
    "dave": "david", "don": "donald", "ed": "edward", "eddie": "edward", "ted": "edward",
    "fred": "frederick", "greg": "gregory", "jim": "james", "jimmy": "james", "jamie": "james",
    "joe": "joseph", "john": "john", "jon": "jonathan", "ken": "kenneth", "larry": "lawrence",
    "liz": "elizabeth", "beth": "elizabeth", "betsy": "elizabeth", "matt": "matthew",
    "mike": "michael", "mick": "michael", "mitch": "mitchell", "nick": "nicholas",
    "pat": "patrick", "pete": "peter", "rick": "richard", "dick": "richard", "rich": "richard",
    "ron": "ronald", "sam": "samuel", "steve": "stephen", "steven": "stephen", "sue": "susan",
    "tim": "timothy", "tom": "thomas", "tony": "anthony", "vince": "vincent", "will": "william",
    "kathy": "katherine", "kate": "katherine", "cathy": "catherine", "jeff": "jeffrey",
    "geoff": "geoffrey", "jerry": "gerald", "gerry": "gerald", "hank": "henry",
    "harry": "henry", "jack": "john", "nate": "nathan", "newt": "newton", "randy": "randall",
    "walt": "walter", "zach": "zachary", "josh": "joshua", "becky": "rebecca", "meg": "margaret",
    "peggy": "margaret", "maggie": "margaret", "jenny": "jennifer", "jen": "jennifer",
    "mitt": "willard", "beto": "robert", "jeb": "john",
}
# A sentence's first word that spaCy glues to the name after it ("Plus Obama", "But Trump").
LEAD_WORDS = {
    "plus", "but", "and", "so", "yet", "still", "meanwhile", "then", "now", "also", "even",
    "only", "like", "as", "while", "when", "after", "before", "if", "though", "although",
    "because", "since", "instead", "indeed", "however", "moreover", "besides", "perhaps",
    "maybe", "today", "yesterday", "tonight", "thus", "hence", "overall", "finally", "later",
    "earlier", "there", "here", "why", "how", "what", "where", "with", "without", "for",
    "from", "of", "in", "on", "at", "by", "to", "about", "under", "over", "during", "against",
    "among", "until", "unless", "whether", "nor", "or", "not", "no", "yes", "oh", "well",
    "both", "either", "neither", "all", "every", "each", "many", "some", "most", "dear", "hey",
    "thanks", "sorry", "please", "unlike", "per", "via", "his", "her", "their", "our", "my",
    "your", "this", "that", "these", "those", "asked", "says", "said", "enter", "meet",
}
MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"}
# Words before a month that make it a date ("in May", "since June").
DATE_PREPS = {"in", "on", "since", "until", "till", "by", "early", "late", "last", "next",
              "this", "of", "mid", "through", "from", "before", "after", "during", "each",
              "every", "between"}
# Generic last words of an organisation's name: "Fox" is "Fox News", "Harrow" "Harrow School".
ORG_SUFFIXES = {"news", "inc", "corp", "corporation", "company", "co", "group", "llc", "ltd",
                "network", "channel", "party", "school", "university", "college", "institute",
                "foundation", "association", "society", "club", "bank", "times", "post"}
# Words an acronym skips ("Department of Justice" -> "DJ" is not how it goes, "DOJ" is).
INITIAL_SKIP = {"of", "the", "and", "for", "&", "on", "in"}
# The head word of an institution's name that a text uses alone for it ("the University").
INSTITUTION_NOUNS = {"university", "college", "school", "department", "agency", "committee",
                     "commission", "court", "company", "corporation", "bureau", "council",
                     "ministry", "institute", "foundation", "association", "union", "church",
                     "hospital", "board", "museum", "library", "bank", "campaign", "organization",
                     "organisation", "society", "network", "service", "authority", "office",
                     "government", "legislature", "caucus"}
# Surname particles that may be written joined, hyphenated or apart ("al-Assad", "al Assad").
NAME_PARTICLES = {"al", "el", "bin", "ibn", "abu", "van", "von", "de", "da", "di", "du", "la",
                  "le", "der", "den", "ben"}
GIVEN_NAME_PARTICLES = {"al", "ben"}  # also common first names in English-language news
_TRANSLIT = [(re.compile(r"(?:iy|yy|ii|ij|yi)$"), "y"), (re.compile(r"kh"), "h"),
             (re.compile(r"(.)\1+"), r"\1"), (re.compile(r"ph"), "f")]


@functools.lru_cache(maxsize=65536)
def fold(name: str) -> str:
    """A name compared loosely: without accents, case, periods, apostrophes or hyphens
    ("Peña Nieto" -> "pena nieto", "al-Assad" -> "al assad", "U.S." -> "us")."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"[.'’`]", "", text)
    return " ".join(re.sub(r"[-‐–—_/]", " ", text).split())


def _skeleton(word: str) -> str:
    """A surname's spelling reduced to what transliterations share ("Zelenskyy",
    "Zelenskiy" and "Zelensky" -> "zelensky")."""
    for pattern, repl in _TRANSLIT:
        word = pattern.sub(repl, word)
    return word


@functools.lru_cache(maxsize=65536)
def name_words(name: str) -> tuple[str, ...]:
    """The folded words of a person's name without courtesy titles, offices, suffixes and
    particles ("Mr. Bashar al-Assad Jr." -> ("bashar", "assad"))."""
    words = fold(name).split()
    while len(words) > 1 and (words[0] in HONORIFICS or f"{words[0]}." in HONORIFICS
                              or words[0] in TITLE_WORDS):
        words = words[1:]
    while len(words) > 1 and (words[-1] in NAME_SUFFIXES or f"{words[-1]}." in NAME_SUFFIXES):
        words = words[:-1]
    # "Al Gore", "Ben Sasse": a capitalised particle written apart before the other names is
    # a first name ("al-Assad", "al Assad" and "Bin Laden" keep theirs as a particle).
    keep = 1 if len(words) > 1 and words[0] in GIVEN_NAME_PARTICLES \
        and re.search(rf"(?:^|\s){words[0].capitalize()} [A-Z]", name) else 0
    return tuple(words[:keep]) + tuple(w for w in words[keep:] if w not in NAME_PARTICLES) \
        or tuple(words)


def name_suffix(name: str) -> str:
    """"jr", "sr", "ii" ... when the name ends with one, else ""."""
    words = fold(name).split()
    return words[-1] if len(words) > 1 and f"{words[-1]}." in NAME_SUFFIXES | {"ii.", "iii.", "iv."} \
        else ""


@functools.lru_cache(maxsize=65536)
def surname_skeleton(name: str) -> str:
    """The person's surname as compared across articles (see ``_skeleton``), with its
    suffix: "Trump Jr." is "trump jr", another person than "Trump"."""
    words = name_words(name)
    return " ".join(filter(None, [_skeleton(words[-1]) if words else "", name_suffix(name)]))


def surname_owners(index: dict[str, list[str]], key: str) -> list[str]:
    """The full names in ``index`` (surname skeleton -> names) a bare surname can be: those
    with the surname, else those with it and a suffix ("Sayoc" -> "Cesar Sayoc Jr.")."""
    if index.get(key):
        return index[key]
    suffixed = [n for suffix in ("jr", "sr", "ii", "iii", "iv") for n in index.get(f"{key} {suffix}", [])]
    return suffixed


@functools.lru_cache(maxsize=65536)
def person_key(name: str) -> tuple[str, str] | None:
    """(formal first name, surname skeleton) of a full person name, None for a one-word
    name: "Jim Mattis", "James N. Mattis" and "Mr. James Mattis" share one key."""
    words = name_words(name)
    if len(words) < 2:
        return None
    first = words[0]
    return NICKNAMES.get(first, first), _skeleton(words[-1])


def _middles(name: str) -> tuple[str, bool]:
    """The initials of a full name's middle names, and whether one is spelled out: "George
    H.W. Bush" -> ("hw", False), "Martin Luther King" -> ("l", True). A middle word of one or
    two letters is initials ("H.W." folds to "hw")."""
    words = name_words(name)[1:-1]
    return "".join(w if len(w) <= 2 else w[0] for w in words), any(len(w) > 2 for w in words)


def _middles_match(a: str, b: str) -> bool:
    """Middle names that can be one person's: either name without any; the same initials
    when both give initials only ("George H.W. Bush" is not "George W. Bush"); else the
    shorter's initials in order within the longer's ("Hillary Rodham Clinton", "Hillary Diane
    Rodham Clinton")."""
    (ia, spelled_a), (ib, spelled_b) = _middles(a), _middles(b)
    if not ia or not ib:
        return True
    if not (spelled_a or spelled_b):
        return ia == ib
    short, long_ = sorted((ia, ib), key=len)
    rest = iter(long_)
    return all(c in rest for c in short)


@functools.lru_cache(maxsize=1)
def _given_names() -> frozenset[str]:
    path = Path(__file__).resolve().parent.parent / "lexicons" / "first_names.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip().casefold() for w in lines if w.strip() and not w.startswith("#"))


def is_given_name(word: str) -> bool:
    """A first name of the shipped lists (``lexicons/first_names.txt`` and the coreference
    model's), any case."""
    from ..coref import is_first_name  # coref reads this module: imported here

    return word.casefold() in _given_names() or is_first_name(word)


def is_epithet(word: str) -> bool:
    """An English word that is not also a first name ("Crooked", "Fault", "Telling"; not
    "George" or "Mark": ``lexicons/first_names.txt`` and the coreference model's lists):
    before a person's full name, an epithet or a headline's word, not part of the name."""
    words = common_words()
    return bool(words) and word.casefold() in words and not is_given_name(word)


def first_names_match(a: str, b: str) -> bool:
    """Two written first names of one person: equal formal forms, an initial of the other,
    one letter apart when both are long ("Vincente" / "Vicente"), or one vowel apart when
    both have six letters or more ("Lindsey" / "Lindsay")."""
    a, b = NICKNAMES.get(a, a), NICKNAMES.get(b, b)
    if a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b)):
        return True
    if len(a) == len(b) >= 6:
        diff = [(x, y) for x, y in zip(a, b) if x != y]
        return len(diff) == 1 and all(c in "aeiouy" for c in diff[0])
    if min(len(a), len(b)) < 5 or a[0] != b[0] or abs(len(a) - len(b)) != 1:
        return False  # a letter added or dropped; "Mario" / "Maria" are two people
    return _one_edit(a, b)


def _one_edit(a: str, b: str) -> bool:
    """``b`` is ``a`` with one letter more or less."""
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1:]


def same_person(a: str, b: str) -> bool:
    """Two full names written for one person: one surname (accents, hyphens, suffixes,
    middle names and transliteration aside) and first names that match (``first_names_match``)."""
    ka, kb = person_key(a), person_key(b)
    if not (ka and kb and ka[1] == kb[1] and first_names_match(ka[0], kb[0])
            and _middles_match(a, b)):
        return False
    sa, sb = name_suffix(a), name_suffix(b)
    if sa == sb:
        return True
    # "Donald Trump" and "Donald Trump Jr." are father and son; "Martin L. King" is "Martin
    # Luther King Jr." and "Eric Holder" is "Eric H. Holder Jr.": with a middle name on
    # either side, the suffix is left out, not another person's.
    if sa and sb:
        return False
    return len(name_words(a)) >= 3 or len(name_words(b)) >= 3
