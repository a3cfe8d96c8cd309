"""Tone: sentence sentiment (VADER), subjectivity (TextBlob's lexicon), and tone toward a target.

Every figure can be traced to sentences: ``sentence_tones`` returns the per-sentence
scores the article-level numbers are computed from.
"""
from __future__ import annotations

import functools
import statistics

from .model import Record
from dataclasses import dataclass

NEGATIVE, POSITIVE = -0.05, 0.05  # VADER's recommended compound thresholds


@functools.lru_cache(maxsize=1)
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def _subjectivity_of(text: str) -> float:
    # TextBlob's PatternAnalyzer works on a plain string without NLTK corpora.
    from textblob.en.sentiments import PatternAnalyzer

    return PatternAnalyzer().analyze(text).subjectivity


def sentiment_of(text: str) -> float:
    """VADER compound score of ``text`` in [-1, 1]; higher => more positive."""
    return _vader().polarity_scores(text)["compound"]


@dataclass
class SentenceTone(Record):
    start: int
    end: int
    sentiment: float
    subjectivity: float


def sentence_tones(doc, attributions=()) -> list[SentenceTone]:
    out = []
    for s in doc.sents:
        if not any(t.is_alpha for t in s):
            continue
        out.append(SentenceTone(s.start_char, s.end_char, sentiment_of(s.text),
                                _subjectivity_of(s.text)))
    return out


def tone_profile(doc, sentences: list[SentenceTone], attributions=(), *,
                 title: str | None = None) -> dict:
    """Article-level tone from its sentences.

    sentiment: mean sentence compound, [-1, 1]. subjectivity: mean TextBlob subjectivity,
    [0, 1]. negative_share / positive_share: share of sentences below -0.05 / above 0.05.
    sentiment_spread: standard deviation of sentence compounds.
    """
    scores = [s.sentiment for s in sentences]
    n = len(scores)
    return {
        "sentiment": round(statistics.fmean(scores), 4) if n else 0.0,
        "subjectivity": round(statistics.fmean(s.subjectivity for s in sentences), 4) if n else 0.0,
        "negative_share": round(sum(x < NEGATIVE for x in scores) / n, 4) if n else 0.0,
        "positive_share": round(sum(x > POSITIVE for x in scores) / n, 4) if n else 0.0,
        "sentiment_spread": round(statistics.pstdev(scores), 4) if n > 1 else 0.0,
        "headline_sentiment": round(sentiment_of(title), 4) if title else None,
    }


def target_sentiment(text: str, start: int, end: int) -> float:
    """Tone toward ``text[start:end]`` in [-1, 1]: VADER on the clause around the target."""
    from .nlp import get_nlp

    doc = get_nlp()(text)
    return sentiment_toward(doc, start, end)


def actor_sentiment(doc, actor) -> float | None:
    """Mean tone toward the actor's mentions; None when it has none."""
    scores = [sentiment_toward(doc, m.start, m.end) for m in actor.mentions]
    return round(sum(scores) / len(scores), 4) if scores else None


def sentiment_toward(doc, start: int, end: int) -> float:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return 0.0
    return sentiment_of(span.sent.text)
