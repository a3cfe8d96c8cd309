"""Tone: a multi-dimensional tone profile of an article, and tone toward each actor.

Every figure can be traced to words or sentences: ``sentence_tones`` gives the per-sentence
scores the article means come from, and ``tone_profile`` lists every lexicon word it counted
with its offsets. Dimensions (all documented in the README):

- sentence sentiment (VADER compound, [-1, 1], higher => more positive), its spread and the
  share of negative / positive sentences; the outlet's narration apart from quoted speech;
- subjectivity (TextBlob's pattern lexicon, [0, 1], higher => more opinion);
- loaded wording, hedging, certainty and informal reader address per 1,000 narration words
  (0 upward, higher => more of it), from the lexicons in ``analysis/lexicons/``;
- headline style (question, colon, capitals, sensational words, headline vs body tone);
- loaded wording counts only the loaded terms of lexicons/sensational.txt; intensifiers,
  superlatives and NRC emotion associations are their own dimensions;
- tone toward a target (``target_sentiment``), from a small transformer fine-tuned on NewsMTSC
  (``scripts/train_target_sentiment_minilm.py``, run with onnxruntime), or with ``--fast-tone``
  from a linear model over lexicon, syntax and spaCy-context features
  (``scripts/train_target_sentiment.py``); per outlet with its evidence and a bootstrap
  interval (``actor_tone_cells``), and an article's stance toward an actor (``actor_stance``).
"""
from __future__ import annotations

import functools
import json
import math
import os
import re
import statistics
from bisect import bisect_left
from collections import defaultdict, deque
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .model import Record
from .nlp import (alpha_tokens, get_nlp, parse_titles, per_doc, sentence_of, subtree, text_of,
                  token_texts, tree, word_offsets, word_sentences)

NEGATIVE, POSITIVE = -0.05, 0.05  # VADER's recommended compound thresholds
LEXICON_DIR = Path(__file__).parent / "lexicons"
TARGET_MODEL = Path(__file__).parent / "models" / "target_sentiment.json"
QUOTED_KINDS = ("direct", "mixed")
# NRC tags that colour wording; "positive"/"negative" are polarity, and "trust" and
# "anticipation" tag too many neutral news words (president, plan) to count as emotive.
EMOTIONS = ("anger", "disgust", "fear", "joy", "sadness", "surprise")
# NRC nouns and verbs mostly name the topic (war, attack, peace); adjectives and adverbs
# are the outlet's choice of colour, so only they count as emotive wording.
EMOTIVE_POS = ("ADJ", "ADV")
SECOND_PERSON = {"you", "your", "yours", "yourself", "yourselves", "y'all", "ya"}
_CLOSERS = {'"', "”", "’", "'", ")", "]", "»"}
_QUOTE_PAIR = re.compile(r"[\"“”]([^\"“”]{2,}?)[\"“”]")


# --- sentence-level scores --------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


@functools.lru_cache(maxsize=4096)
def _vader_scores(text: str) -> dict:
    return _vader().polarity_scores(text)


def sentiment_of(text: str) -> float:
    """VADER compound score of ``text`` in [-1, 1]; higher => more positive."""
    return _vader_scores(text)["compound"]


@functools.lru_cache(maxsize=1)
def _textblob():
    """TextBlob's pattern sentiment, its tokenizer, the two rewrites its tokenizer makes
    across spaces (emoticons such as ": )", sarcasm "( ! )") and the words that can score."""
    from textblob._text import EMOTICONS, RE_EMOTICONS, RE_SARCASM
    from textblob.en import sentiment

    sentiment.load()
    scored = frozenset(sentiment.keys()) | {e.lower() for faces in EMOTICONS.values()
                                            for e in faces} | {"(!)"}
    return sentiment, sentiment.tokenizer, (RE_SARCASM, RE_EMOTICONS), scored


@functools.lru_cache(maxsize=1 << 16)
def _pattern_tokens(chunk: str) -> tuple[str, ...]:
    """TextBlob's tokens of one whitespace-free chunk of text (a word of letters and digits
    only is its own token: checked on 160,000 words, dictionary and random)."""
    if chunk.isalnum():
        return (chunk,)
    return tuple(" ".join(_textblob()[1](chunk)).split())


@functools.lru_cache(maxsize=4096)
def _pattern(text: str) -> tuple[float, float]:
    """(polarity, subjectivity) of TextBlob's pattern sentiment: the same figures as
    ``textblob.en.sentiment(text)``, which needs no NLTK corpora, computed faster.

    TextBlob tokenizes each whitespace-separated chunk on its own except for two rewrites
    across spaces, so the chunks' tokens are cached and the whole text goes to TextBlob only
    when a rewrite can apply; a text with no word that can score is (0, 0) at once."""
    sentiment, _, rewrites, scored = _textblob()
    tokens = [t for chunk in text.split() for t in _pattern_tokens(chunk)]
    words = [t.lower() for t in tokens]
    rewritten = any(r.search(" ".join(tokens)) for r in rewrites)
    if not rewritten and scored.isdisjoint(words):
        return 0.0, 0.0
    # Where a rewrite applies TextBlob tokenizes the text itself; elsewhere a word list is
    # scored as the text's words.
    polarity, subjectivity = sentiment(text if rewritten else words)
    return polarity, subjectivity


def subjectivity_of(text: str) -> float:
    """TextBlob (pattern lexicon) subjectivity of ``text`` in [0, 1]; higher => more opinion."""
    return _pattern(text)[1]


# --- quoted speech ----------------------------------------------------------------------

def quote_spans(text: str, attributions=()) -> list[tuple[int, int]]:
    """Sorted, merged (start, end) spans of quoted speech: the content of direct quotes, and
    the parts of a mixed attribution's content that sit inside quotation marks."""
    spans = []
    for a in attributions:
        start, end = a.content_start, a.content_end
        if a.kind not in QUOTED_KINDS or start is None or end is None:
            continue
        if a.kind == "direct":
            spans.append((start, end))
        else:
            spans.extend((start + m.start(1), start + m.end(1))
                         for m in _QUOTE_PAIR.finditer(text[start:end]))
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def _split_by_quotes(start: int, end: int, quotes) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(narration pieces, quoted pieces) of the character range [start, end)."""
    narration, quoted, pos = [], [], start
    for qs, qe in quotes:
        if qe <= start or qs >= end:
            continue
        qs, qe = max(qs, start), min(qe, end)
        if qs > pos:
            narration.append((pos, qs))
        quoted.append((qs, qe))
        pos = qe
    if pos < end:
        narration.append((pos, end))
    return narration, quoted


def _in_spans(offset: int, spans) -> bool:
    return any(s <= offset < e for s, e in spans)


def n_words(text: str) -> int:
    """Words in ``text``: runs of letters and digits, with inner apostrophes ("don't")."""
    return len(re.findall(r"[^\W_]+(?:['’][^\W_]+)*", text))


@dataclass
class SentenceTone(Record):
    """One sentence: VADER compound ([-1, 1]), TextBlob subjectivity ([0, 1]), the share of
    its characters inside direct quotes ([0, 1]), the tone of each part (None if absent) and
    its number of words (``n_words``)."""
    start: int
    end: int
    sentiment: float
    subjectivity: float
    quote_share: float = 0.0
    narration_sentiment: float | None = None
    quote_sentiment: float | None = None
    words: int = 0

    @property
    def in_quote(self) -> bool:
        return self.quote_share >= 0.5

    def as_dict(self) -> dict:
        d = super().as_dict()
        d["in_quote"] = self.in_quote
        return d


# A fragment shorter than this ("he said.") carries no tone of its own.
MIN_PART_WORDS = 3


def _part_sentiment(text: str, pieces) -> float | None:
    part = " ".join(text[s:e].strip() for s, e in pieces)
    return round(sentiment_of(part), 4) if n_words(part) >= MIN_PART_WORDS else None


def sentence_tones(doc, attributions=()) -> list[SentenceTone]:
    """Per-sentence tone of every sentence that has a word in it."""
    text = text_of(doc)
    quotes = quote_spans(text, attributions)
    out = []
    for s in word_sentences(doc):
        narration, quoted = _split_by_quotes(s.start_char, s.end_char, quotes)
        in_quote = sum(e - b for b, e in quoted)
        sentence = text[s.start_char:s.end_char]
        out.append(SentenceTone(
            s.start_char, s.end_char, round(sentiment_of(sentence), 4),
            round(subjectivity_of(sentence), 4),
            quote_share=round(in_quote / max(1, s.end_char - s.start_char), 4),
            narration_sentiment=_part_sentiment(text, narration),
            quote_sentiment=_part_sentiment(text, quoted), words=n_words(sentence)))
    return out


# --- lexicons ---------------------------------------------------------------------------

def _term_pattern(term: str) -> str:
    """Regex of one lexicon entry: words separated by any whitespace, straight or curly
    apostrophes alike, and a trailing ``*`` matching any word ending."""
    wildcard = term.endswith("*")
    words = term.rstrip("*").split()
    body = r"\s+".join(re.escape(w).replace("'", "['’]") for w in words)
    return body + (r"[\w’'-]*" if wildcard else "")


@functools.lru_cache(maxsize=None)
def load_lexicon(name: str) -> tuple[re.Pattern, dict[str, tuple[re.Pattern, list[str]]]]:
    """``analysis/lexicons/<name>.txt`` as (a regex of the places where a term may start,
    {first character: (one regex of the terms starting with it, each group's category)}).

    Format: one entry per line, ``term`` or ``term<TAB>category``; ``#`` starts a comment;
    case is ignored; a phrase matches across any whitespace; ``*`` at the end of a term
    matches any word ending (``slam*`` -> slams, slammed). Splitting the terms by first
    character means each word start is tried against a handful of terms, not all of them."""
    categories: dict[str, str] = {}
    for line in (LEXICON_DIR / f"{name}.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        term, _, category = line.partition("\t")
        categories[term.strip().lower()] = category.strip() or name
    by_first: dict[str, list[str]] = defaultdict(list)
    # Longest first, so that a phrase wins over a word it starts with.
    for term in sorted(categories, key=len, reverse=True):
        by_first[term[0]].append(term)
    regexes = {
        first: (re.compile("(?:" + "|".join(f"({_term_pattern(t)})" for t in terms)
                           + r")(?![\w’'])", re.IGNORECASE),
                [categories[t] for t in terms])
        for first, terms in by_first.items()
    }
    starts = re.compile(r"(?<![\w’'])[" + "".join(map(re.escape, by_first)) + "]", re.IGNORECASE)
    return starts, regexes


def _looks_like_name(text: str, start: int, word: str) -> bool:
    """A capitalized match inside a sentence is a name or title (May, Rather), not the word."""
    if not word[:1].isupper() or word.isupper():
        return False
    before = text[:start].rstrip(" \t\"“‘'([")
    return bool(before) and before[-1] not in ".!?:;\n"


def find_terms(text: str, name: str, offset: int = 0) -> list[dict]:
    """Occurrences of lexicon ``name`` in ``text``: [{word, start, end, category}], left to
    right without overlaps."""
    starts, regexes = load_lexicon(name)
    found, end = [], 0
    for start in starts.finditer(text):
        pos = start.start()
        regex, categories = regexes.get(text[pos].lower(), (None, None))
        if pos < end or regex is None or not (m := regex.match(text, pos)):
            continue
        end = m.end()
        if not _looks_like_name(text, pos, m.group(0)):
            found.append({"word": m.group(0), "start": pos + offset, "end": end + offset,
                          "category": categories[m.lastindex - 1]})
    return found


@functools.lru_cache(maxsize=None)
def word_list(name: str) -> frozenset[str]:
    """``analysis/lexicons/<name>.txt`` as a set of lower-case words (``#`` comments)."""
    lines = (LEXICON_DIR / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(w for line in lines if (w := line.split("#", 1)[0].strip().lower()))


@functools.lru_cache(maxsize=1)
def _nrc():
    # The NRC emotion lexicon shipped with nrclex, used through its token-list interface
    # (its raw-text interface needs TextBlob corpora, which are not installed offline).
    from nrclex import NRCLex

    return NRCLex()


def emotion_words(doc) -> list[dict]:
    """Adjectives and adverbs the NRC lexicon associates with a strong emotion (category
    ``emotion: anger, fear``): what the words are associated with, not the writer's slant."""
    candidates = alpha_tokens(doc, "POS", EMOTIVE_POS)
    nrc = _nrc()
    nrc.load_token_list([t.lower_ for t in candidates] + [t.lemma_.lower() for t in candidates])
    affect = nrc.affect_dict
    excluded = word_list("not_emotive")
    found = []
    for t in candidates:
        if t.lower_ in excluded or t.lemma_.lower() in excluded:
            continue
        emotions = [e for e in affect.get(t.lower_) or affect.get(t.lemma_.lower()) or ()
                    if e in EMOTIONS]
        if emotions:
            found.append({"word": t.text, "start": t.idx, "end": t.idx + len(t.text),
                          "category": "emotion: " + ", ".join(emotions)})
    return found


def superlatives(doc) -> list[dict]:
    """Superlative adjectives and adverbs (Penn tags JJS, RBS: biggest, best, most), except
    in idioms ("at least", "at most", "to say the least")."""
    def idiom(t) -> bool:
        before = [w.lower_ for w in doc[max(0, t.i - 2):t.i]]
        return before[-1:] == ["at"] or before == ["say", "the"]

    return [{"word": t.text, "start": t.idx, "end": t.idx + len(t.text), "category": "superlative"}
            for t in alpha_tokens(doc, "TAG", ("JJS", "RBS")) if not idiom(t)]


def _dedupe(items: list[dict]) -> list[dict]:
    """One item per character range, the first listed winning (so a word counts once)."""
    seen: set[int] = set()
    out = []
    for item in items:
        chars = set(range(item["start"], item["end"]))
        if chars & seen:
            continue
        seen |= chars
        out.append(item)
    return sorted(out, key=lambda i: i["start"])


# The categories of lexicons/sensational.txt: the words that make the loaded-language rate.
LEXICON_CATEGORIES = ("sensational", "evaluative", "label")
_NEGATION = re.compile(r"(?<![\w’'])(?:not|never|no|without|hardly|nor|[a-z]+n['’]t)"
                       r"(?:\s+[\w’'-]+){0,2}\s+$", re.IGNORECASE)


def _negated(text: str, start: int) -> bool:
    """A negation within the two words before ``start`` ("not reckless", "never a disaster")."""
    return bool(_NEGATION.search(text, max(0, start - 40), start))


def loaded_words(doc) -> list[dict]:
    """Word evidence of tone, each word once, in the first of these families it belongs to:
    loaded terms of lexicons/sensational.txt (categories ``LEXICON_CATEGORIES``, each with
    ``negated``), intensifiers, superlatives, and NRC emotion associations (category
    ``emotion: ...``). Only the loaded terms make the loaded-language rate: the other families
    are their own dimensions (measured against BASIL, they are almost never the writer's
    loaded wording: benchmarks/results/tone_basil.md)."""
    text = text_of(doc)
    terms = [t | {"negated": _negated(text, t["start"])} for t in find_terms(text, "sensational")]
    return _dedupe(terms + find_terms(text, "intensifiers") + superlatives(doc)
                   + emotion_words(doc))


def is_loaded(item: dict) -> bool:
    """True for an item of ``loaded_words`` that counts as loaded language: a lexicon term,
    not negated (quotes are left out by the rate, which counts narration)."""
    return item["category"] in LEXICON_CATEGORIES and not item.get("negated")


def informal_markers(doc, quotes=()) -> list[dict]:
    """Reader address outside quotes: second person, exclamations, questions, colloquialisms."""
    found = find_terms(text_of(doc), "informal")
    found += [{"word": t.text, "start": t.idx, "end": t.idx + len(t.text), "category": "second_person"}
              for t in doc if t.lower_.replace("’", "'") in SECOND_PERSON]
    for s in doc.sents:
        # The sentence's final mark, looking past closing quotes and brackets.
        last = next((t for t in reversed(s) if not (t.is_space or t.text in _CLOSERS)), None)
        if last is not None and last.text[-1:] in ("!", "?"):
            category = "exclamation" if last.text.endswith("!") else "question"
            found.append({"word": last.text, "start": last.idx, "end": last.idx + len(last.text),
                          "category": category})
    return _dedupe([f for f in found if not _in_spans(f["start"], quotes)])


# --- article profile --------------------------------------------------------------------

def _mean(values) -> float | None:
    values = [v for v in values if v is not None]
    return round(statistics.fmean(values), 4) if values else None


def _per_1k(n: int, words: int) -> float:
    return round(1000 * n / words, 2) if words else 0.0


def _mark_quotes(items: list[dict], quotes) -> list[dict]:
    for item in items:
        item["in_quote"] = _in_spans(item["start"], quotes)
    return items


def headline_style(title: str | None, body_sentiment: float | None, title_doc=None) -> dict:
    """Headline features; every value None when there is no headline.

    headline_sentiment: VADER compound, [-1, 1]. headline_body_gap: headline minus body
    sentiment, [-2, 2] (> 0 => headline rosier than the body). headline_question /
    headline_exclamation / headline_colon: 1 or 0. headline_caps: share of its words of 3+
    letters written in capitals, [0, 1]. headline_loaded: loaded or sensational words in it.
    headline_sensationalism: share of four signals present, [0, 1]: a question or exclamation
    mark, a loaded word, a word in capitals, strong tone (|sentiment| >= 0.5).
    ``title_doc``: the title already parsed (``nlp.parse_titles``), saving a parse.
    """
    keys = ("headline_sentiment", "headline_body_gap", "headline_question",
            "headline_exclamation", "headline_colon", "headline_caps", "headline_loaded",
            "headline_sensationalism")
    if not title or not title.strip():
        return {k: None for k in keys} | {"headline_words": []}
    words = re.findall(r"[^\W\d_]{3,}", title)
    caps = [w for w in words if w.isupper()]
    loaded = [w for w in loaded_words(title_doc if title_doc is not None
                                      else next(parse_titles([title]))) if is_loaded(w)]
    sentiment = round(sentiment_of(title), 4)
    question = int("?" in title)
    exclamation = int("!" in title)
    signals = [question or exclamation, bool(loaded), bool(caps), abs(sentiment) >= 0.5]
    return {
        "headline_sentiment": sentiment,
        "headline_body_gap": (round(sentiment - body_sentiment, 4)
                              if body_sentiment is not None else None),
        "headline_question": question,
        "headline_exclamation": exclamation,
        "headline_colon": int(":" in title),
        "headline_caps": round(len(caps) / len(words), 4) if words else 0.0,
        "headline_loaded": len(loaded),
        "headline_sensationalism": round(sum(map(bool, signals)) / len(signals), 4),
        "headline_words": loaded,
    }


def tone_profile(doc, sentences: list[SentenceTone], attributions=(), *,
                 title: str | None = None, title_doc=None) -> dict:
    """Article-level tone. Scalars (documented in the README, methods in ``METHODS``) plus
    evidence lists with offsets into ``doc.text``: ``loaded_words``, ``hedge_words``,
    ``certainty_words``, ``informal_markers`` ([{word, start, end, category, in_quote}]) and
    ``headline_words`` (offsets into the title)."""
    text = text_of(doc)
    quotes = quote_spans(text, attributions)
    scores = [s.sentiment for s in sentences]
    n = len(scores)
    offsets = word_offsets(doc)
    total_words = len(offsets)
    quoted_words = sum(bisect_left(offsets, e) - bisect_left(offsets, s) for s, e in quotes)
    words = total_words - quoted_words  # the rates are per 1,000 words of narration

    loaded = _mark_quotes(loaded_words(doc), quotes)
    hedges = _mark_quotes(find_terms(text, "hedges"), quotes)
    certainty = _mark_quotes(find_terms(text, "certainty"), quotes)
    informal = _mark_quotes(informal_markers(doc, quotes), quotes)

    def rate(items, category=None):
        return _per_1k(sum(not i["in_quote"] and not i.get("negated") and (
            category is None or i["category"].startswith(category)) for i in items), words)

    def loaded_rate(items):
        return _per_1k(sum(not i["in_quote"] and is_loaded(i) for i in items), words)

    sentiment = round(statistics.fmean(scores), 4) if n else 0.0
    profile = {
        "sentiment": sentiment,
        "sentiment_spread": round(statistics.pstdev(scores), 4) if n > 1 else 0.0,
        "negative_share": round(sum(x <= NEGATIVE for x in scores) / n, 4) if n else 0.0,
        "positive_share": round(sum(x >= POSITIVE for x in scores) / n, 4) if n else 0.0,
        "narration_sentiment": _mean(s.narration_sentiment for s in sentences),
        "quote_sentiment": _mean(s.quote_sentiment for s in sentences),
        "quote_share": round(quoted_words / total_words, 4) if total_words else 0.0,
        "subjectivity": _mean(s.subjectivity for s in sentences) or 0.0,
        "narration_subjectivity": _mean(
            subjectivity_of(" ".join(text[b:e] for b, e in _split_by_quotes(s.start, s.end, quotes)[0]))
            for s in sentences if s.quote_share < 1.0),
        "loaded_language": loaded_rate(loaded),
        "emotion_words": rate(loaded, "emotion"),
        "sensational_words": rate(loaded, "sensational"),
        "evaluative_words": rate(loaded, "evaluative"),
        "labels": rate(loaded, "label"),
        "intensifiers": rate(loaded, "intensifier"),
        "superlatives": rate(loaded, "superlative"),
        "hedging": rate(hedges),
        "certainty": rate(certainty),
        "informality": rate(informal),
        "second_person": rate(informal, "second_person"),
        "exclamations": rate(informal, "exclamation"),
        "questions": rate(informal, "question"),
        "colloquialisms": rate(informal, "colloquialism"),
    }
    profile |= headline_style(title, sentiment if n else None, title_doc)
    profile |= {"loaded_words": loaded, "hedge_words": hedges,
                "certainty_words": certainty, "informal_markers": informal}
    return profile


# --- tone toward a target ---------------------------------------------------------------

REPORTING_VERBS = {"say", "tell", "add", "claim", "state", "announce", "write", "note",
                   "argue", "insist", "explain", "warn", "report", "ask", "reply", "respond"}
ROLES = ("nsubj", "nsubjpass", "dobj", "pobj", "poss", "compound", "appos", "conj", "attr",
         "dative", "agent")
CLAUSE_DEPS = {"ROOT", "ccomp", "advcl", "relcl", "xcomp", "conj", "parataxis", "csubj",
               "acl", "pcomp", "acomp"}
N_TENSOR = 96




def _valence(token) -> float:
    """VADER lexicon valence of a token in [-1, 1], flipped when the token or its head is
    negated ("not good", "did not praise")."""
    lexicon = _vader().lexicon
    v = lexicon.get(token.lower_, lexicon.get(token.lemma_.lower(), 0.0)) / 4
    if v and (any(c.dep_ == "neg" for c in token.children)
              or any(c.dep_ == "neg" for c in token.head.children)):
        v = -0.74 * v  # VADER's own negation scalar
    return v


def _clause_head(token):
    """The verb heading the clause a token sits in (the sentence root at the latest)."""
    t = token
    while t.head.i != t.i:
        t = t.head
        if t.pos_ in ("VERB", "AUX") and t.dep_ in CLAUSE_DEPS:
            return t
    return t


def _distances(doc, root: int, sent) -> dict[int, int]:
    """Dependency-tree distance from token ``root`` to every token of its sentence."""
    heads, children = tree(doc)
    first, end = sent.start, sent.end
    dist = {root: 0}
    todo = deque([root])
    while todo:
        i = todo.popleft()
        for n in (*children[i], heads[i]):
            if n not in dist and first <= n < end:
                dist[n] = dist[i] + 1
                todo.append(n)
    return dist


@per_doc
def _valences(doc) -> list[float]:
    """``_valence`` of every token of ``doc``, by token index."""
    return [_valence(t) for t in doc]


def _pos_neg(values) -> tuple[float, float]:
    return sum(v for v in values if v > 0), -sum(v for v in values if v < 0)


def _target_clause(doc, start: int, end: int):
    """(target span, its sentence, the head of its clause, the clause's token indices
    without the target's) of ``doc.text[start:end]``; None when no token is there."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    head = _clause_head(span.root)
    clause = [i for i in subtree(doc, head.i) if not span.start <= i < span.end]
    return span, sentence_of(doc, span.root.i), head, clause


def clause_sentiment(doc, start: int, end: int) -> float:
    """VADER compound of the clause around the target ``doc.text[start:end]``, without the
    target's own words (the tone toward it without the trained model)."""
    found = _target_clause(doc, start, end)
    if found is None or not found[3]:
        return 0.0
    texts = token_texts(doc)
    return sentiment_of(" ".join(texts[i] for i in found[3]))


def target_features(doc, start: int, end: int) -> list[float] | None:
    """The feature vector of the target ``doc.text[start:end]`` (names in ``FEATURES``)."""
    found = _target_clause(doc, start, end)
    if found is None:
        return None
    span, sent, head, clause = found
    root = span.root
    s_first, s_end, t_first, t_end = sent.start, sent.end, span.start, span.end
    dist = _distances(doc, root.i, sent)
    valences = _valences(doc)
    val = {i: valences[i] for i in range(s_first, s_end) if not t_first <= i < t_end}
    clause_ids = set(clause)

    sent_text = text_of(doc)[sent.start_char:sent.end_char]
    s = _vader_scores(sent_text)
    weighted = _pos_neg(val[i] / dist.get(i, 10) for i in val)
    near = _pos_neg(v for i, v in val.items() if dist.get(i, 10) <= 2)
    in_clause = _pos_neg(v for i, v in val.items() if i in clause_ids)
    outside = _pos_neg(v for i, v in val.items() if i not in clause_ids)
    left = _pos_neg(val.get(i, 0.0) for i in range(max(s_first, t_first - 5), t_first))
    right = _pos_neg(val.get(i, 0.0) for i in range(t_end, min(s_end, t_end + 5)))

    dep = root.dep_
    subj = dep in ("nsubj", "csubj")
    obj = dep in ("dobj", "pobj", "dative", "nsubjpass")
    head_v = valences[head.i] if head.i != root.i else 0.0
    speaker = subj and head.lemma_.lower() in REPORTING_VERBS
    before = sent_text[:max(0, start - sent.start_char)]
    in_quote = (before.count('"') + before.count("“") - before.count("”")) % 2 == 1

    return [
        s["compound"], s["pos"], s["neg"], *weighted, *near, *in_clause, *outside, *left, *right,
        *(float(dep == r) for r in ROLES), float(root.dep_ not in ROLES),
        head_v, head_v * subj, head_v * obj, float(speaker), float(in_quote),
        math.log1p(s_end - s_first), (t_first - s_first) / max(1, s_end - s_first),
        *_mean_tensor(doc, t_first, t_end), *_mean_tensor(doc, head.i, head.i + 1),
        *_sentence_tensor(doc, s_first, s_end),
    ]


def _mean_tensor(doc, start: int, end: int) -> list[float]:
    """Mean spaCy context vector of tokens start..end-1."""
    if doc.tensor is None or doc.tensor.shape[0] != len(doc) or end <= start:
        return [0.0] * N_TENSOR
    if end == start + 1:  # the row itself: what its mean is, without the reduction
        return doc.tensor[start].tolist()
    return doc.tensor[start:end].mean(axis=0).tolist()


@per_doc
def _sentence_tensors(doc) -> dict[int, list[float]]:
    return {}


def _sentence_tensor(doc, start: int, end: int) -> list[float]:
    """``_mean_tensor`` of a sentence, once per sentence of the doc."""
    cache = _sentence_tensors(doc)
    if start not in cache:
        cache[start] = _mean_tensor(doc, start, end)
    return cache[start]


FEATURES = (
    "sent_compound", "sent_pos", "sent_neg", "weighted_pos", "weighted_neg", "near_pos", "near_neg",
    "clause_pos", "clause_neg", "outside_pos", "outside_neg", "left_pos", "left_neg",
    "right_pos", "right_neg", *(f"role_{r}" for r in ROLES), "role_other",
    "head_valence", "head_valence_subject", "head_valence_object", "speaker", "in_quote",
    "log_sentence_tokens", "relative_position",
    *(f"target_tensor_{i}" for i in range(N_TENSOR)),
    *(f"head_tensor_{i}" for i in range(N_TENSOR)),
    *(f"sentence_tensor_{i}" for i in range(N_TENSOR)),
)


@functools.lru_cache(maxsize=1)
def _target_model() -> dict | None:
    if not TARGET_MODEL.is_file():
        return None
    model = json.loads(TARGET_MODEL.read_text(encoding="utf-8"))
    if tuple(model["features"]) != FEATURES:
        return None  # trained on other features: fall back to the lexicon rule
    return model | {k: np.asarray(model[k], dtype=float)
                    for k in ("mean", "scale", "coef", "intercept")}


def target_probabilities(features: list[float], model: dict) -> dict[str, float]:
    """Class probabilities of a multinomial logistic regression stored as plain JSON."""
    x = (np.asarray(features, dtype=float) - model["mean"]) / model["scale"]
    logits = model["coef"] @ x + model["intercept"]
    exps = np.exp(logits - logits.max())
    return dict(zip(model["classes"], (exps / exps.sum()).tolist()))


def score_from_probabilities(p: dict[str, float]) -> float:
    """A score in [-1, 1] whose VADER-threshold label (±0.05) is the most probable class:
    p(positive) - p(negative), pushed past ±0.05 or pulled inside it to agree with argmax."""
    label = max(p, key=p.get)
    score = p["positive"] - p["negative"]
    if label == "neutral":
        return round(max(-0.049, min(0.049, score * 0.049)), 4)
    sign = 1 if label == "positive" else -1
    return round(sign * max(POSITIVE, abs(score)), 4)


def sentiment_toward(doc, start: int, end: int, *, fast: bool = False) -> float:
    """Tone toward ``doc.text[start:end]`` in [-1, 1] (<= -0.05 negative, >= 0.05 positive).

    With the transformer (``use_transformer``, unless ``fast``): ``transformer_scores``.
    Else with the linear model (analysis/models/target_sentiment.json): its class
    probabilities turned into a score by ``score_from_probabilities``. Without either: VADER
    on the clause around the target."""
    if not fast and use_transformer():
        return transformer_scores(doc, [(start, end)])[0]
    model = _target_model()
    if model is None:
        return clause_sentiment(doc, start, end)
    features = target_features(doc, start, end)
    if features is None:
        return 0.0
    return score_from_probabilities(target_probabilities(features, model))


def target_sentiment(text: str, start: int, end: int) -> float:
    """Tone toward ``text[start:end]`` in [-1, 1]; higher => more favourable to the target.

    Target-dependent: the same sentence can score negative for one actor and neutral or
    positive for another. Parses ``text`` once; inside the pipeline use ``sentiment_toward``
    on the already parsed doc."""
    return sentiment_toward(get_nlp()(text), start, end)


# --- tone toward a target: the fine-tuned transformer -----------------------------------

TRANSFORMER_MODEL = Path(__file__).parent / "models" / "target_sentiment_minilm.onnx"
TRANSFORMER_VOCAB = Path(__file__).parent / "models" / "target_sentiment_minilm_vocab.txt"
MAX_TARGET_TOKENS = 64   # the window the model was fine-tuned on (a news sentence rarely needs more)
MAX_NAME_TOKENS = 16
TARGET_OPEN, TARGET_CLOSE = "<", ">"  # the marks around the target inside its sentence
TRANSFORMER_LABELS = ("negative", "neutral", "positive")  # the order of the model's outputs


@functools.lru_cache(maxsize=1)
def _transformer_vocab() -> dict[str, int]:
    lines = TRANSFORMER_VOCAB.read_text(encoding="utf-8").splitlines()
    return {w: i for i, w in enumerate(lines)}


def _wordpieces(text: str, vocab: dict[str, int]) -> list[int]:
    from .embeddings import _basic_tokens, _wordpiece

    return [i for w in _basic_tokens(text) for i in _wordpiece(w, vocab)]


_WORD = re.compile(r"\S+")  # the tokenizer's first split (str.split: the same whitespace)


class SentencePieces:
    """The word pieces of a sentence's text before and after any offset, the same ids as
    ``_wordpieces`` of the slice but without tokenizing the sentence again for each target in
    it: the tokenizer splits at whitespace first, so a slice's pieces are those of the whole
    words it holds (computed once per word) plus those of the part of a word it cuts."""

    def __init__(self, sentence: str, vocab: dict[str, int], memo: dict[str, list[int]]):
        self.sentence, self.vocab = sentence, vocab
        self.words = [(m.start(), m.end()) for m in _WORD.finditer(sentence)]
        self.starts = [a for a, _ in self.words]
        self.pieces: list[int] = []
        self.cuts = [0]  # self.pieces[cuts[k]:cuts[k + 1]]: the pieces of word k
        for a, b in self.words:
            word = sentence[a:b]
            if word not in memo:
                memo[word] = _wordpieces(word, vocab)
            self.pieces += memo[word]
            self.cuts.append(len(self.pieces))

    def before(self, offset: int) -> list[int]:
        """``_wordpieces(sentence[:offset])``."""
        k = bisect_left(self.starts, offset)  # the words that start before offset
        if k and self.words[k - 1][1] > offset:  # the last of them goes on past it
            a = self.words[k - 1][0]
            return self.pieces[:self.cuts[k - 1]] + _wordpieces(self.sentence[a:offset], self.vocab)
        return self.pieces[:self.cuts[k]]

    def after(self, offset: int) -> list[int]:
        """``_wordpieces(sentence[offset:])``."""
        k = bisect_left(self.starts, offset)  # words k... start at or after offset
        if k and self.words[k - 1][1] > offset:  # word k - 1 starts before it and goes on past
            b = self.words[k - 1][1]
            return _wordpieces(self.sentence[offset:b], self.vocab) + self.pieces[self.cuts[k]:]
        return self.pieces[self.cuts[k]:]


def encode_target(sentence: str, start: int, end: int, vocab: dict[str, int],
                  max_tokens: int = MAX_TARGET_TOKENS,
                  pieces: SentencePieces | None = None) -> tuple[list[int], list[int], list[int]]:
    """BERT input of the target ``sentence[start:end]``: ``[CLS] left < target > right [SEP]
    target [SEP]`` as (token ids, segment ids, positions of the target's tokens inside the
    marks). A long sentence keeps a window around the target; the training script and the
    analysis both encode through this function, so they cannot drift apart. ``pieces``: the
    ``SentencePieces`` of ``sentence``, when several targets of one sentence are encoded."""
    target = _wordpieces(sentence[start:end], vocab)[:MAX_NAME_TOKENS] or [vocab["[UNK]"]]
    if pieces is None:
        left, right = _wordpieces(sentence[:start], vocab), _wordpieces(sentence[end:], vocab)
    else:
        left, right = pieces.before(start), pieces.after(end)
    room = max(0, max_tokens - 5 - 2 * len(target))  # CLS, 2 marks, 2 SEP, target twice
    n_left = min(len(left), max(room // 2, room - len(right)))
    n_right = min(len(right), room - n_left)
    left, right = left[len(left) - n_left:], right[:n_right]
    first = [vocab["[CLS]"], *left, vocab[TARGET_OPEN], *target, vocab[TARGET_CLOSE], *right,
             vocab["[SEP]"]]
    ids = first + target + [vocab["[SEP]"]]
    segments = [0] * len(first) + [1] * (len(target) + 1)
    positions = list(range(len(left) + 2, len(left) + 2 + len(target)))
    return ids, segments, positions


def batch_arrays(encoded: list[tuple[list[int], list[int], list[int]]]) -> dict:
    """Padded int64 ids / segment / attention arrays and a float32 target mask, the inputs the
    transformer takes (names as exported by the training script)."""
    n, length = len(encoded), max(len(e[0]) for e in encoded)
    arrays = {"input_ids": np.zeros((n, length), np.int64),
              "token_type_ids": np.zeros((n, length), np.int64),
              "attention_mask": np.zeros((n, length), np.int64),
              "target_mask": np.zeros((n, length), np.float32)}
    for i, (ids, segments, positions) in enumerate(encoded):
        arrays["input_ids"][i, :len(ids)] = ids
        arrays["token_type_ids"][i, :len(ids)] = segments
        arrays["attention_mask"][i, :len(ids)] = 1
        arrays["target_mask"][i, positions] = 1.0
    return arrays


FAST_TONE_ENV = "COVERAGE_LENS_FAST_TONE"
# Word pieces in one ONNX run (rows times the longest row): small batches of similar length
# stay in the CPU's cache and carry little padding; batches of 32 rows took 27% more CPU
# over 5,618 PolNeAR actor mentions (benchmarks/results/tone_transformer_size.md).
BATCH_TOKENS = 256
# Graph fusions ONNX Runtime is told not to make: its fused SkipLayerNormalization kernel took
# seven times the CPU of the Add and LayerNormalization it replaces (onnxruntime 1.32, one
# thread); unfused, the logits agree within 1e-6 and the transformer takes 15% less CPU.
UNFUSED = ("SkipLayerNormFusion",)


def use_transformer() -> bool:
    """Whether tone toward a target comes from the fine-tuned transformer: its file is there,
    onnxruntime is installed, and the fast model was not asked for (``--fast-tone`` on the
    command line, or the environment variable ``COVERAGE_LENS_FAST_TONE=1``, which worker
    processes inherit)."""
    return os.environ.get(FAST_TONE_ENV, "") not in ("1", "true", "yes") and _session() is not None


@functools.lru_cache(maxsize=1)
def _session():
    """The ONNX Runtime session of the transformer (one thread: the pipeline runs one process
    per core); None when the model file or onnxruntime is missing."""
    if not (TRANSFORMER_MODEL.is_file() and TRANSFORMER_VOCAB.is_file()):
        return None
    try:
        import onnxruntime as ort
    except ImportError:
        return None
    options = ort.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    options.log_severity_level = 3
    return ort.InferenceSession(str(TRANSFORMER_MODEL), options, providers=["CPUExecutionProvider"],
                                disabled_optimizers=list(UNFUSED))


def token_batches(lengths: list[int], budget: int = BATCH_TOKENS) -> list[list[int]]:
    """Indices of ``lengths`` in order of length, cut into batches whose rows times their
    longest length stay within ``budget`` (a longer row goes alone)."""
    batches: list[list[int]] = []
    for i in sorted(range(len(lengths)), key=lengths.__getitem__):
        if not batches or (len(batches[-1]) + 1) * lengths[i] > budget:
            batches.append([])
        batches[-1].append(i)
    return batches


def transformer_scores(doc, spans) -> list[float]:
    """Tone toward each target ``doc.text[start:end]`` of ``spans``, in [-1, 1], from the
    transformer: each target read in its sentence, the targets run in batches of similar
    length (``score_from_probabilities`` of its three class probabilities)."""
    vocab, text = _transformer_vocab(), text_of(doc)
    sentences: dict[tuple[int, int], SentencePieces] = {}
    memo: dict[str, list[int]] = {}
    encoded = []
    for start, end in spans:
        span = doc.char_span(start, end, alignment_mode="expand")
        sent = sentence_of(doc, span.root.i) if span is not None and len(span) else None
        a, b = (sent.start_char, sent.end_char) if sent is not None else (0, len(text))
        a, b = min(a, start), max(b, end)
        if (a, b) not in sentences:
            sentences[a, b] = SentencePieces(text[a:b], vocab, memo)
        encoded.append(encode_target(text[a:b], start - a, end - a, vocab,
                                     pieces=sentences[a, b]))
    scores = [0.0] * len(encoded)
    for idx in token_batches([len(ids) for ids, _, _ in encoded]):
        logits = _session().run(["logits"], batch_arrays([encoded[i] for i in idx]))[0]
        probs = np.exp(logits - logits.max(axis=1, keepdims=True))
        probs /= probs.sum(axis=1, keepdims=True)
        for i, p in zip(idx, probs.tolist()):
            scores[i] = score_from_probabilities(dict(zip(TRANSFORMER_LABELS, p)))
    return scores


def actor_sentiment(doc, actor) -> float | None:
    """Mean tone toward the actor's mentions in [-1, 1] (at most ``MAX_SCORED_MENTIONS`` of
    them); None when it has none."""
    return actor_sentiments(doc, [actor])[0]


# An actor's tone in an article is the mean over at most this many of its mentions, spread
# evenly over them: the transformer's cost grows with the mentions scored, and the few actors
# named more often than this (the article's main ones) carry most of them.
MAX_SCORED_MENTIONS = 8


def spread(items: list, k: int) -> list:
    """At most ``k`` of ``items``, evenly spread over them (the first and the last kept)."""
    n = len(items)
    if n <= k:
        return list(items)
    return [items[round(i * (n - 1) / (k - 1))] for i in range(k)] if k > 1 else items[:k]


def actor_sentiments(doc, actors) -> list[float | None]:
    """``actor_sentiment`` of each actor: the mean over ``MAX_SCORED_MENTIONS`` of its
    mentions at most (``spread``); with the transformer, the mentions of all of them go
    through it together, in batches of similar length."""
    length = len(text_of(doc))
    spans = [spread([(m.start, m.end) for m in a.mentions if 0 <= m.start < m.end <= length],
                    MAX_SCORED_MENTIONS) for a in actors]
    flat = [s for ss in spans for s in ss]
    scores = iter(transformer_scores(doc, flat) if use_transformer() and flat
                  else [sentiment_toward(doc, s, e, fast=True) for s, e in flat])
    out = []
    for ss in spans:
        mine = [next(scores) for _ in ss]
        out.append(round(sum(mine) / len(mine), 4) if mine else None)
    return out


# Chosen by a grid over the weights and the two bands on the tuning half of BASIL dev's
# events (macro-F1; an exploratory script, not kept), then scored once on the held-out half by
# benchmarks/tone_basil.py. The headline's tone was in the grid and got weight 0.
STANCE_BAND = 0.35           # within this of 0 on the negative side: neutral
STANCE_POSITIVE_BAND = 0.65  # a favourable stance needs more: most "positive" scores were neutral
STANCE_LOADED_WEIGHT = 0.5
STANCE_QUOTED_WEIGHT = 0.15


def actor_stance(actor: dict, result: dict, *, band: float = STANCE_BAND,
                 positive_band: float = STANCE_POSITIVE_BAND,
                 loaded_weight: float = STANCE_LOADED_WEIGHT,
                 quoted_weight: float = STANCE_QUOTED_WEIGHT) -> float | None:
    """The writer's stance toward an actor over a whole article, in [-1, 1] (<= -0.05
    negative, >= 0.05 positive, 0 neutral): the mean tone toward its mentions
    (``actor["sentiment"]``), plus ``loaded_weight`` times the mean valence of the loaded
    terms in the narration of the sentences that name it (most loaded terms are harsh), plus
    ``quoted_weight`` times the mean VADER compound of what the article quotes the actor
    saying; then 0 when the sum lies between ``-band`` and ``positive_band``: most articles
    are neutral toward most actors, and one mildly toned sentence should not make them
    otherwise. ``actor``: an item of ``result["actors"]``; ``result``: the ``analyze_doc``
    result (its ``sentences``, ``tone.loaded_words`` and ``attributions`` are read). None when
    the actor has no scored mention. Measured against BASIL dev: weak (macro-F1 about 0.4
    against 0.29 for always neutral; it finds negative stances, almost never positive ones:
    benchmarks/results/tone_basil.md)."""
    tone_ = actor.get("sentiment")
    if tone_ is None:
        return None
    sentences = [(s["start"], s["end"]) for s in result.get("sentences", [])
                 if any(s["start"] <= m["start"] < s["end"] for m in actor.get("mentions", []))]
    near = [w for w in result.get("tone", {}).get("loaded_words", [])
            if is_loaded(w) and not w.get("in_quote")
            and any(a <= w["start"] < b for a, b in sentences)]
    valence = sum(_vader().lexicon.get(w["word"].lower(), -1.5) / 4 for w in near)
    quoted = [sentiment_of(a["content"]) for a in result.get("attributions", [])
              if a.get("actor") == actor.get("name") and a.get("content")]
    score = (tone_ + loaded_weight * valence / max(1, len(sentences)) ** 0.5
             + quoted_weight * (statistics.fmean(quoted) if quoted else 0.0))
    return 0.0 if -band < score < positive_band else round(max(-1.0, min(1.0, score)), 4)


def stance_label(stance: float | None) -> str | None:
    """"negative", "neutral" or "positive" for an ``actor_stance`` value; None for None."""
    if stance is None or stance != stance:  # None or NaN
        return None
    return "negative" if stance <= NEGATIVE else "positive" if stance >= POSITIVE else "neutral"


def add_actor_stances(result: dict) -> dict:
    """Set ``stance`` (``actor_stance``) on every actor of an ``analyze_doc`` result; returns it."""
    for actor in result.get("actors", []):
        actor["stance"] = actor_stance(actor, result)
    return result


MAIN_ACTORS = 3  # an article's main actors: those in its headline and its 3 most mentioned


def main_actor_stances(actors) -> list[dict]:
    """``{"name", "stance", "label", "mentions"}`` of an article's main actors that have a
    stance (``add_actor_stances``): every actor named in the headline and the ``MAIN_ACTORS``
    most mentioned, most mentioned first. ``actors``: the result's ``actors`` list."""
    scored = sorted((a for a in actors or [] if a.get("stance") is not None),
                    key=lambda a: -len(a.get("mentions") or []))
    return [{"name": a["name"], "stance": a["stance"], "label": stance_label(a["stance"]),
             "mentions": len(a.get("mentions") or [])}
            for k, a in enumerate(scored) if k < MAIN_ACTORS or a.get("in_title")]


def stance_summary(actors) -> str:
    """The main actors' stances as one cell: "Donald Trump: negative; Joe Biden: neutral"."""
    return "; ".join(f"{a['name']}: {a['label']}" for a in main_actor_stances(actors))


# --- method notes and frames for the pages ----------------------------------------------

METHODS = {
    "sentiment": "Mean VADER compound of the article's sentences: -1 negative to +1 positive.",
    "sentiment_spread": "Standard deviation of the sentence compounds: how much the tone swings "
                        "(0 = even).",
    "negative_share": "Share of sentences with a VADER compound of -0.05 or less.",
    "positive_share": "Share of sentences with a VADER compound of +0.05 or more.",
    "narration_sentiment": "Mean VADER compound of the outlet's own words: each sentence without "
                           "its quoted parts (parts of 3+ words).",
    "quote_sentiment": "Mean VADER compound of quoted speech (direct quotes, quoted words of mixed "
                       "attributions); empty when the article quotes no one.",
    "quote_share": "Share of the article's words inside direct quotes.",
    "subjectivity": "Mean TextBlob (pattern lexicon) subjectivity of the sentences: 0 factual to "
                    "1 opinion.",
    "narration_subjectivity": "TextBlob subjectivity of the narration only (quoted parts removed).",
    "loaded_language": "Loaded terms per 1,000 narration words: the sensational, evaluative and "
                       "label terms of lexicons/sensational.txt, not negated (\"not reckless\" "
                       "does not count).",
    "emotion_words": "Adjectives and adverbs the NRC emotion lexicon (nrclex) associates with "
                     "anger, disgust, fear, joy, sadness or surprise, per 1,000 narration words: "
                     "the emotions the words evoke, not the writer's slant (not loaded language).",
    "sensational_words": "Sensational terms of lexicons/sensational.txt (bombshell, slammed, "
                         "chaos…) per 1,000 narration words.",
    "evaluative_words": "Evaluative terms of lexicons/sensational.txt, where the writer judges "
                        "(embattled, reckless, so-called, touted…), per 1,000 narration words.",
    "labels": "Labels that carry a verdict (regime, job-killing, nanny state…) of "
              "lexicons/sensational.txt per 1,000 narration words.",
    "intensifiers": "Words of lexicons/intensifiers.txt (very, extremely, absolutely…) per 1,000 "
                    "narration words.",
    "superlatives": "Superlatives (spaCy tags JJS/RBS: biggest, best, most) per 1,000 narration words.",
    "hedging": "Hedges of lexicons/hedges.txt (may, reportedly, appears, likely…) per 1,000 "
               "narration words.",
    "certainty": "Certainty markers of lexicons/certainty.txt (clearly, undoubtedly, must…) per "
                 "1,000 narration words.",
    "informality": "Reader address per 1,000 narration words: second person + exclamations + "
                   "questions + colloquialisms.",
    "second_person": "you / your / yourself outside quotes, per 1,000 narration words.",
    "exclamations": "Sentences ending in '!' outside quotes, per 1,000 narration words.",
    "questions": "Sentences ending in '?' outside quotes (questions put to the reader), per 1,000 "
                 "narration words.",
    "colloquialisms": "Phrases of lexicons/informal.txt (hey, guys, let's be real, stay tuned…) per "
                      "1,000 narration words.",
    "headline_sentiment": "VADER compound of the headline: -1 to +1.",
    "headline_body_gap": "Headline sentiment minus body sentiment: > 0 means the headline is rosier "
                         "than the body.",
    "headline_question": "1 when the headline asks a question.",
    "headline_exclamation": "1 when the headline has an exclamation mark.",
    "headline_colon": "1 when the headline has a colon (\"Label: story\" style).",
    "headline_caps": "Share of the headline's words (3+ letters) written in capitals.",
    "headline_loaded": "Loaded words in the headline (the body's lexicons).",
    "headline_sensationalism": "Share of four headline signals, 0 to 1: ? or !, a loaded word, a "
                               "word in capitals, strong tone (|VADER| >= 0.5).",
}
ACTOR_METHOD = ("Tone toward an actor: mean over its mentions (at most "
                f"{MAX_SCORED_MENTIONS} per article, spread evenly) of the target model's "
                "score (-1 harsh to +1 favourable): a small transformer (MiniLM) fine-tuned on NewsMTSC "
                "with the mention marked in its sentence (macro-F1 0.79 on NewsMTSC rw_dev), or "
                "with --fast-tone a linear model (0.63).")
STANCE_METHOD = ("Stance: the article's overall stance toward each of its main actors (in the "
                 f"headline or among its {MAIN_ACTORS} most mentioned): the tone toward its "
                 "mentions, plus the loaded terms in the sentences naming it and the tone of "
                 "what it is quoted saying; neutral unless the sum is clearly negative (below "
                 f"-{STANCE_BAND}) or clearly positive (above +{STANCE_POSITIVE_BAND}). A weak "
                 "figure, to read as a pointer to articles worth reading, not as a verdict: "
                 "against the writer's stance annotated in BASIL (150 articles) its macro-F1 is "
                 "0.42 against 0.29 for calling every stance neutral; about 4 in 10 of its "
                 "\"negative\" calls are right, and it almost never finds a positive stance.")


def outlet_means(df, keys=tuple(METHODS)):
    """Mean of each ``tone_<key>`` column per outlet (rows: outlets)."""
    columns = [f"tone_{k}" for k in keys if f"tone_{k}" in df]
    return df.groupby("outlet")[columns].mean(numeric_only=True).rename(
        columns=lambda c: c.removeprefix("tone_"))


MIN_MENTIONS = 3     # fewer scored mentions than this: a weak cell, shown greyed
N_BOOTSTRAP = 1000


def actor_tone_cells(rows, names=None, *, n_boot: int = N_BOOTSTRAP, seed: int = 0):
    """Tone toward each actor per outlet with its evidence: one row per ``name`` and
    ``outlet`` with ``tone`` (mean over the mentions, [-1, 1]; each article's mean from at most
    ``MAX_SCORED_MENTIONS`` of them), ``low`` and ``high`` (95% bootstrap interval, NaN with a
    single article), ``mentions`` (the actor's mentions), ``articles`` and ``weak`` (fewer
    than ``MIN_MENTIONS`` mentions: too little to read a colour from).

    ``rows``: actor rows (``name``, ``outlet``, ``article_id``, ``n_mentions``, ``sentiment``:
    the mean over the row's mentions), as ``ui.data.load_actors`` gives them. The store keeps
    each article's mean, not each mention's score, so the bootstrap resamples articles with
    their mentions together (a cluster bootstrap, each article weighted by its mentions): the
    mentions of one article share a writer and are not independent draws, so this interval is
    the honest one, and it needs two articles to exist. Rows sharing an article (two spellings
    linked into one actor) are merged first."""
    import pandas as pd

    scored = rows[rows["sentiment"].notna() & rows["n_mentions"].gt(0)]
    if names is not None:
        scored = scored[scored["name"].isin(names)]
    scored = scored.assign(weighted=scored["sentiment"] * scored["n_mentions"]).groupby(
        ["name", "outlet", "article_id"], sort=False)[["weighted", "n_mentions"]].sum()
    rng = np.random.default_rng(seed)
    out = []
    for (name, outlet), cell in scored.groupby(level=["name", "outlet"], sort=False):
        w, v = cell["n_mentions"].to_numpy(float), cell["weighted"].to_numpy(float)
        low = high = math.nan
        if len(cell) > 1:
            pick = rng.integers(0, len(cell), size=(n_boot, len(cell)))
            means = v[pick].sum(axis=1) / w[pick].sum(axis=1)
            low, high = np.quantile(means, [0.025, 0.975])
        out.append({"name": name, "outlet": outlet, "tone": v.sum() / w.sum(), "low": low,
                    "high": high, "mentions": int(w.sum()), "articles": len(cell),
                    "weak": w.sum() < MIN_MENTIONS})
    cells = pd.DataFrame(out, columns=["name", "outlet", "tone", "low", "high", "mentions",
                                       "articles", "weak"])
    if names is not None:
        order = {n: i for i, n in enumerate(names)}
        cells = cells.sort_values(["name", "outlet"], key=lambda c: c.map(order)
                                  if c.name == "name" else c, kind="stable")
    return cells.round({"tone": 3, "low": 3, "high": 3}).reset_index(drop=True)


def stance_table(rows, names=None):
    """The article's stance toward each of its main actors: one row per article and actor
    with ``article_id``, ``outlet``, ``name``, ``stance`` ([-1, 1], 0 neutral), ``label``
    and ``mentions``; main actors as in ``main_actor_stances`` (headline, or among the
    ``MAIN_ACTORS`` most mentioned rows of the article). ``rows``: actor rows with
    ``stance``, ``n_mentions`` and ``in_title`` (``ui.data.load_actors``); ``names``: only
    these actors. Rows stored before stances existed (``stance`` missing) are left out."""
    import pandas as pd

    columns = ["article_id", "outlet", "name", "stance", "label", "mentions"]
    if "stance" not in rows:
        return pd.DataFrame(columns=columns)
    scored = rows[rows["stance"].notna()].sort_values(
        ["article_id", "n_mentions"], ascending=[True, False], kind="stable")
    rank = scored.groupby("article_id").cumcount()
    main = scored[(rank < MAIN_ACTORS) | scored["in_title"].fillna(False).astype(bool)]
    if names is not None:
        main = main[main["name"].isin(names)]
    return pd.DataFrame({"article_id": main["article_id"], "outlet": main["outlet"],
                         "name": main["name"], "stance": main["stance"].round(3),
                         "label": main["stance"].map(stance_label),
                         "mentions": main["n_mentions"]}, columns=columns).reset_index(drop=True)


def tone_differences(cells) -> list[tuple[str, str, float, str, float]]:
    """The differences the evidence supports: per actor, the outlet friendliest to it and
    the harshest, as (actor, friendly outlet, its tone, harsh outlet, its tone), only when
    both have an interval (two articles or more, ``MIN_MENTIONS`` mentions) and the two
    intervals do not overlap."""
    found = []
    solid = cells[~cells["weak"] & cells["low"].notna()]
    for name, c in solid.groupby("name", sort=False):
        if len(c) < 2:
            continue
        hi, lo = c.loc[c["tone"].idxmax()], c.loc[c["tone"].idxmin()]
        if lo["high"] < hi["low"]:
            found.append((name, hi["outlet"], float(hi["tone"]), lo["outlet"], float(lo["tone"])))
    return found
