"""Mentioned actors: people, organisations, countries, places and groups, aliases merged.

How names become actors (each rule is pinned by a test in tests/test_actors.py or
tests/test_actors_identity.py). Modules: ``aliases`` (the alias file), ``names`` (titles and
the keys that say two written names are one), ``extract`` (one article), ``link`` (across the
corpus), ``claims`` ("only X mentions Y" checked against the text), ``tables`` (the Actors
page's tables).

1. Candidates are the spaCy entities PERSON, ORG, GPE, LOC, FAC and NORP; dates, numbers,
   money and the like are never actors. A name loses its leading "the", its possessive
   ("Putin's" -> "Putin") and the title in front of it ("Russian President Vladimir Putin"
   -> "Vladimir Putin", role "President"); the title is kept as the actor's role.
2. The sm model is noisy, so: an entity that runs over a paragraph break is cut at it;
   "X's Something" keeps only X; a sentence's first word glued to a name ("Plus Obama")
   and trailing common words ("the Comey memos") are cut; a heading name is cut to the part
   the body names ("Obama Willing" -> "Obama") and dropped when the body names none of it;
   an adjective of nationality is not an actor unless the alias file maps it; "R-Fla.",
   months used as dates, the alias file's ignored names are never actors.
3. The alias file (lexicons/aliases.json, plus the user's file on top) maps names to
   canonical actors; a capital city is its government only where it acts ("Kyiv rejected"),
   and stays a place after "in"/"to" ("a visit to Kyiv"); known places are never surnames
   unless the tagger calls that very mention a person.
4. Within an article, full names of one person merge (``names.same_person``: accents,
   hyphens, suffixes, middle names, nicknames, transliterations; "Donald Trump Jr." is
   another person). A one-word name joins the full name ending (or, for a name the tagger
   calls a person, starting) with it, mention by mention: whatever its tag, except a place
   after "in" or an organisation with "the"; a surname several people share goes to the
   one named in full in this or the previous sentence, else to the most named, and stays
   apart where a "Mr."/"Mrs." or an office fits none of them. Names the tagger missed later
   are found again. Acronyms, short forms ("Penn State") and bare institution nouns ("the
   University") join the one institution they fit.
5. Role nouns ("the president") and pronouns are references, not name mentions: the
   role-noun rule and ``analysis.coref`` tie them to an actor when confident, and so does
   the speaker resolution of ``analysis.sources`` ("he said": ``add_speaker_references``).
6. The type of an actor is a vote over its mentions' entity labels, with a personal title
   counting for "person", the alias file overriding and known places voted organisations
   staying places.

Across the corpus, ``link_corpus`` maps each article-level name to one canonical name by the
same keys (its docstring numbers the steps), and types each actor from all its mentions.
"""
from __future__ import annotations

from .aliases import (ACTOR_TYPES, ALIAS_FILE, DEFAULT_USER_ALIASES, USER_ALIASES_ENV, AliasTable,
                      alias_fingerprint, ignore_user_name, load_aliases, save_user_alias,
                      user_alias_path)
from .extract import LABEL_TYPES, add_speaker_references, extract_actors
from .link import canonical_names, canonical_types, corpus_links, link_corpus, link_frame
from .names import clean_name
from .tables import actor_table, co_mentions, outlet_gaps, prominence

__all__ = ["ACTOR_TYPES", "ALIAS_FILE", "DEFAULT_USER_ALIASES", "LABEL_TYPES", "USER_ALIASES_ENV",
           "AliasTable", "actor_table", "add_speaker_references", "alias_fingerprint",
           "canonical_names", "canonical_types",
           "clean_name", "co_mentions", "corpus_links", "extract_actors", "ignore_user_name",
           "link_corpus", "link_frame", "load_aliases", "outlet_gaps", "prominence",
           "save_user_alias", "user_alias_path"]
