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

from .aliases import (
                      ACTOR_TYPES,
                      ALIAS_FILE,
                      DEFAULT_USER_ALIASES,
                      USER_ALIASES_ENV,
                      AliasTable,
                      alias_fingerprint,
                      ignore_user_name,
                      load_aliases,
                      save_user_alias,
                      user_alias_path,
)
from .extract import LABEL_TYPES, extract_actors
from .link import (
                      canonical_names,
                      canonical_types,
                      corpus_links,
                      link_corpus,
                      link_frame,
)
from .names import clean_name
from .tables import actor_table, co_mentions, outlet_gaps, prominence

__all__ = ["ACTOR_TYPES", "ALIAS_FILE", "DEFAULT_USER_ALIASES", "LABEL_TYPES", "USER_ALIASES_ENV",
           "AliasTable", "actor_table", "alias_fingerprint", "canonical_names", "canonical_types",
           "clean_name", "co_mentions", "corpus_links", "extract_actors", "ignore_user_name",
           "link_corpus", "link_frame", "load_aliases", "outlet_gaps", "prominence",
           "save_user_alias", "user_alias_path"]
