"""Mentioned actors: people, organisations, countries, places and groups, aliases merged."""
from __future__ import annotations

import re

from .model import Actor, Mention

TYPES = {"PERSON": "person", "ORG": "organization", "GPE": "country", "LOC": "place",
         "FAC": "place", "NORP": "group"}
_POSSESSIVE = re.compile(r"['’]s?$")


def clean_name(text: str) -> str:
    name = _POSSESSIVE.sub("", text.strip())
    name = re.sub(r"^(the|The)\s+", "", name)
    return name.strip(" .,:;")


def extract_actors(doc, *, title: str | None = None) -> list[Actor]:
    """Actors of ``doc``; a one-word person name joins the full name it is part of."""
    found: dict[tuple[str, str], list[Mention]] = {}
    for ent in doc.ents:
        kind = TYPES.get(ent.label_)
        name = clean_name(ent.text) if kind else ""
        if not name or not any(c.isalpha() for c in name):
            continue
        found.setdefault((name, kind), []).append(Mention(ent.start_char, ent.start_char + len(name)))

    full_names = [n for (n, k) in found if k == "person" and " " in n]
    merged: dict[tuple[str, str], Actor] = {}
    for (name, kind), mentions in found.items():
        canonical = name
        if kind == "person" and " " not in name:
            owners = [f for f in full_names if name in (f.split()[0], f.split()[-1])]
            if len(owners) == 1:  # ambiguous surnames stay apart
                canonical = owners[0]
        actor = merged.setdefault((canonical, kind), Actor(name=canonical, type=kind))
        if name not in actor.aliases:
            actor.aliases.append(name)
        actor.mentions.extend(mentions)

    lowered_title = (title or "").casefold()
    for actor in merged.values():
        actor.mentions.sort(key=lambda m: m.start)
        actor.in_title = any(a.casefold() in lowered_title for a in actor.aliases) if title else False
    return sorted(merged.values(), key=lambda a: (-a.n_mentions, a.first_mention or 0))
