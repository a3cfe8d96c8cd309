"""Record types: the Article and the analysis results.

Every result is a plain dataclass with ``as_dict()``; offsets are ``str`` indices
into the text that was analyzed.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

_WS = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """Whitespace-folded, case-folded text: what identity of two articles is judged on."""
    return _WS.sub(" ", text).strip().casefold()


def article_id_for(text: str) -> str:
    """Stable id of an article's body: relabelling or re-importing keeps it."""
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()[:16]


_FIELDS: dict[type, tuple[str, ...]] = {}


def _plain(value: Any) -> Any:
    """``dataclasses.asdict``'s conversion without its deep copy of every leaf: results hold
    only scalars, lists, dicts and dataclasses, and ``asdict`` was a tenth of the analysis
    time after parsing."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    cls = type(value)
    names = _FIELDS.get(cls)
    if names is None:
        if not dataclasses.is_dataclass(value):
            return value
        names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(value))
    return {name: _plain(getattr(value, name)) for name in names}


class Record:
    """Mixin: ``as_dict`` for every dataclass result."""

    def as_dict(self) -> dict[str, Any]:
        return _plain(self)


@dataclass
class Article(Record):
    text: str
    outlet: str = "Unknown outlet"
    title: str | None = None
    url: str | None = None
    author: str | None = None
    published: dt.date | None = None
    story: str = "Unlabelled story"
    source_name: str = ""
    ingest_notes: list[str] = field(default_factory=list)
    article_id: str = ""

    def __post_init__(self) -> None:
        if not self.article_id:
            self.article_id = article_id_for(self.text)

    def as_dict(self) -> dict[str, Any]:
        d = super().as_dict()
        d["published"] = self.published.isoformat() if self.published else None
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Article":
        names = {f.name for f in dataclasses.fields(cls)}
        kwargs = {k: v for k, v in d.items() if k in names}
        pub = kwargs.get("published")
        if pub is None or pub != pub or pub == "":  # None, NaN or NaT from a data frame
            kwargs["published"] = None
        elif isinstance(pub, str):
            kwargs["published"] = dt.date.fromisoformat(pub[:10])
        elif isinstance(pub, dt.datetime):
            kwargs["published"] = pub.date()
        kwargs["ingest_notes"] = list(kwargs.get("ingest_notes") or [])
        return cls(**kwargs)


@dataclass
class Readability(Record):
    grade: float
    flesch_reading_ease: float
    flesch_kincaid_grade: float
    gunning_fog: float
    smog_index: float
    coleman_liau_index: float
    automated_readability_index: float
    dale_chall: float
    reading_time_s: float


@dataclass
class Attribution(Record):
    source: str | None
    source_start: int | None
    source_end: int | None
    cue: str | None
    cue_start: int | None
    cue_end: int | None
    content: str | None
    content_start: int | None
    content_end: int | None
    kind: str  # direct | indirect | mixed | according_to
    source_type: str  # named_person | named_organization | media | document | anonymous | vague | unresolved
    actor: str | None = None
    # how the source was tied to its actor: name | pronoun | role | relative | previous_speaker | none
    resolved_by: str = "name"
    actors: list[str] = field(default_factory=list)  # every actor of a conjoined source ("Rubio and Waltz")


@dataclass
class Mention(Record):
    start: int
    end: int


@dataclass
class Actor(Record):
    """One actor of one article. ``mentions``: where it is named; ``references``: the
    pronouns and role nouns that refer to it ("he", "the president"); ``role``: its most used
    title ("Secretary of State"), ``roles``: all of them; ``in_lead``: named in the lead
    paragraph; ``sentiment``: tone toward it in [-1, 1] (None without mentions)."""

    name: str
    type: str  # person | organization | country | place | group
    aliases: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    in_title: bool = False
    sentiment: float | None = None
    role: str | None = None
    in_lead: bool = False
    roles: list[str] = field(default_factory=list)
    # pronouns and role nouns tied to the actor ("he", "the president"): not name mentions
    references: list[Mention] = field(default_factory=list)

    @property
    def n_mentions(self) -> int:
        return len(self.mentions)

    @property
    def n_references(self) -> int:
        return len(self.references)

    @property
    def first_mention(self) -> int | None:
        return min((m.start for m in self.mentions), default=None)

    def as_dict(self) -> dict[str, Any]:
        d = super().as_dict()
        d["n_mentions"] = self.n_mentions
        d["n_references"] = self.n_references
        d["first_mention"] = self.first_mention
        return d
