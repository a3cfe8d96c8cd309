"""Claims that an article or outlet does not mention an actor, checked against the text.

"Only Fox mentions ISIS" is the sentence a reader quotes, and the one the tagger's misses
make false. Before such a claim is made, the texts it is about are searched for the actor's
canonical name, every name the articles used for it, the alias file's names for it and, for
a person, the surname; a text naming any of them refutes the claim.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from .aliases import load_aliases
from .names import NAME_SUFFIXES, TITLE_WORDS

_CAPITALISED = re.compile(r"[A-Z]\w*")


def search_forms(name: str, written: Iterable[str] = (), type: str | None = None) -> list[str]:
    """The names to look for: ``name``, the ``written`` names (capitalised ones: "the
    president" is a role, not a name), the alias file's and a person's surname; for a
    party, its adjective ("a Republican senator" names the party), and for "The X Times",
    "the Times"."""
    forms = {*load_aliases().forms.get(name, ())}
    forms |= {w for w in written if isinstance(w, str) and w[:1].isupper()}
    words = [w for w in name.split() if w.casefold() not in NAME_SUFFIXES]
    if type == "person" and len(words) >= 2:
        forms.add(words[-1])
    if type == "organization" and len(words) == 2 and words[1] == "Party":
        forms.add(words[0])
        forms |= {f[:-1] for f in forms if f.endswith("s") and " " not in f}  # "Democrat"
    if type == "organization" and len(words) >= 3 and words[0] == "The":
        forms |= {f"the {words[-1]}", f"The {words[-1]}"}
    if type == "organization" and len(words) >= 3 and words[0] != "The" and words[-2][:1].isupper():
        forms.add(f"the {' '.join(words[-2:])}")  # "the Press Herald"
    if type == "organization" and re.search(r",\s|\s(?:and|&)\s", name):
        # a list the tagger took for one name ("Marriott, Apple and American Airlines"): a
        # text naming any part of it is not said to leave it out
        forms |= {part for part in re.split(r",\s+(?:and\s+)?|\s+(?:and|&)\s+", name)
                  if part[:1].isupper()}
    # A title word alone ("Senate", "House") is a name only when it is the actor's own.
    forms = {f for f in forms if len(f) >= 2 and f.casefold() not in TITLE_WORDS} | {name}
    return sorted(forms, key=len, reverse=True)


class TextIndex:
    """The article texts of each item (an outlet, or an article's label): ``frame`` has a
    ``text`` column and the ``by`` column naming the item. An item's texts are joined, and
    their capitalised words indexed, only when a claim about it is checked; most names are
    then ruled out without a scan."""

    def __init__(self, frame, by: str):
        self._frame = frame[[by, "text"]]
        self._by = by
        self._texts: dict[str, str] = {}
        self._words: dict[str, set[str]] = {}

    def _text(self, item: str) -> str:
        if item not in self._texts:
            rows = self._frame.loc[self._frame[self._by] == item, "text"]
            self._texts[item] = "\n".join(t for t in rows if isinstance(t, str))
            self._words[item] = set(_CAPITALISED.findall(self._texts[item]))
        return self._texts[item]

    def names(self, item: str, forms: Sequence[str]) -> bool:
        """Does ``item``'s text name any of ``forms`` (whole words, possessives included)?"""
        text = self._text(item)
        words = self._words[item]
        # a form is looked for only when its first capitalised word is in the text at all
        candidates = [f for f in forms if (_CAPITALISED.search(f) or re.match("", f)).group() in words]
        return any(re.search(rf"(?<![\w-]){re.escape(f)}(?![\w-])", text) for f in candidates)


def confirmed_absent(index: TextIndex, items: Iterable[str], forms: Sequence[str]) -> list[str]:
    """Those of ``items`` whose text names none of ``forms``."""
    return [item for item in items if not index.names(item, forms)]


def actor_forms(items) -> dict[str, list[str]]:
    """Canonical name -> ``search_forms`` for linked actor rows (``link_frame``: ``name``,
    ``type`` and the article's own names in ``article_name``)."""
    written = items["article_name"] if "article_name" in items else items["name"]
    frame = items.assign(_written=written.astype(str).str.split(", "))
    out = {}
    for name, rows in frame.groupby("name"):
        kind = rows["type"].iloc[0] if "type" in rows else None
        out[name] = search_forms(name, {w for ws in rows["_written"] for w in ws}, kind)
    return out
