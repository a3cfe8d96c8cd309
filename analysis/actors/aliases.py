"""The alias file: names mapped to canonical actors, names never actors, country names.

The shipped file is ``analysis/lexicons/aliases.json``; a user file in the same format
($COVERAGE_LENS_ALIASES, default ~/.config/coverage-lens/aliases.json) goes on top of it.
"""
from __future__ import annotations

import functools
import hashlib
import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..userfiles import file_key, read_json_object, write_json

ACTOR_TYPES = ("person", "organization", "country", "place", "group")  # also the tie-break order
ALIAS_FILE = Path(__file__).parent.parent / "lexicons" / "aliases.json"
USER_ALIASES_ENV = "COVERAGE_LENS_ALIASES"
DEFAULT_USER_ALIASES = Path("~/.config/coverage-lens/aliases.json")


# --- the alias file ----------------------------------------------------------------------

@dataclass(frozen=True)
class AliasTable:
    """The alias file(s) in lookup form; keys are case-folded names."""

    aliases: dict[str, tuple[str, str]] = field(default_factory=dict)   # name -> (canonical, type)
    metonyms: dict[str, tuple[str, str]] = field(default_factory=dict)  # capital -> its government
    ignore: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()   # never a surname unless spaCy says person
    forms: dict[str, list[str]] = field(default_factory=dict)  # canonical -> names as written

    def canonical(self, name: str) -> tuple[str, str] | None:
        return self.aliases.get(name.casefold())


def user_alias_path() -> Path:
    """The user's alias file: $COVERAGE_LENS_ALIASES, else ~/.config/coverage-lens/aliases.json."""
    return Path(os.environ.get(USER_ALIASES_ENV) or DEFAULT_USER_ALIASES).expanduser()


def load_aliases() -> AliasTable:
    """The shipped alias file with the user's file applied on top (user entries win)."""
    return _load_aliases(file_key(ALIAS_FILE), file_key(user_alias_path()))


@functools.lru_cache(maxsize=4)
def _load_aliases(shipped_key: tuple, user_key: tuple) -> AliasTable:
    aliases: dict[str, tuple[str, str]] = {}
    metonyms: dict[str, tuple[str, str]] = {}
    ignore: set[str] = set()
    countries: set[str] = set()
    places: set[str] = set()
    forms: dict[str, list[str]] = defaultdict(list)
    for key in (shipped_key, user_key):
        data = read_json_object(Path(key[0]), "alias file")
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
        places |= {n.casefold() for n in data.get("places", [])}
    return AliasTable(aliases, metonyms, frozenset(ignore), frozenset(countries),
                      frozenset(places), dict(forms))


US_STATES = frozenset("""Alabama Alaska Arizona Arkansas California Colorado Connecticut Delaware
    Florida Georgia Hawaii Idaho Illinois Indiana Iowa Kansas Kentucky Louisiana Maine Maryland
    Massachusetts Michigan Minnesota Mississippi Missouri Montana Nebraska Nevada Ohio Oklahoma
    Oregon Pennsylvania Tennessee Texas Utah Vermont Virginia Washington Wisconsin Wyoming
    """.split()) | {"New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina",
                    "North Dakota", "Rhode Island", "South Carolina", "South Dakota", "West Virginia"}


def is_place_name(name: str, table: AliasTable) -> bool:
    """A country, capital or other known place: never a person's surname by itself."""
    folded = name.casefold()
    return folded in table.countries or folded in table.metonyms or folded in table.places


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
    data = read_json_object(path, "alias file")
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
    write_json(path, data)
    return path


def ignore_user_name(name: str) -> Path:
    """Record in the user's alias file that ``name`` is never an actor."""
    path = user_alias_path()
    data = read_json_object(path, "alias file")
    names = data.setdefault("ignore", [])
    if name not in names:
        names.append(name)
    write_json(path, data)
    return path



