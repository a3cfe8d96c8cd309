"""The public contract of analysis.analyze_text and analysis.target_sentiment (DESIGN.md)."""
import json

import pytest

import analysis

TEXT = ('US President Donald Trump said on Monday that talks with Russia were "going very well". '
        "According to Reuters, Russian President Vladimir Putin rejected the plan. "
        "Critics warned that the deal would reward aggression. Officials said Kyiv was not consulted.")
READABILITY = ["grade", "flesch_reading_ease", "flesch_kincaid_grade", "gunning_fog", "smog_index",
               "coleman_liau_index", "automated_readability_index", "dale_chall", "reading_time_s"]
SOURCES = {"n_attributions": int, "n_direct_quotes": int, "n_named_sources": int,
           "n_anonymous_sources": int, "n_vague_sources": int, "named_sources": list}
ATTRIBUTION_KEYS = ["source", "source_start", "source_end", "cue", "cue_start", "cue_end", "content",
                    "content_start", "content_end", "kind", "source_type", "actor"]
SOURCE_TYPES = {"named_person", "named_organization", "media", "document", "anonymous", "vague",
                "unresolved"}
ACTOR_TYPES = {"person", "organization", "country", "place", "group"}


@pytest.fixture(scope="module")
def result():
    return analysis.analyze_text(TEXT, title="Trump says talks go well")


def test_contract_top_level_keys_and_types(result):
    assert isinstance(result["word_count"], int) and result["word_count"] == 39
    assert isinstance(result["sentence_count"], int) and result["sentence_count"] == 4
    for key in READABILITY:
        assert isinstance(result["readability"][key], float), key
    assert -1 <= result["tone"]["sentiment"] <= 1
    assert 0 <= result["tone"]["subjectivity"] <= 1
    for key, kind in SOURCES.items():
        assert isinstance(result["sources"][key], kind), key
    json.dumps(result)  # plain data all the way down


def test_contract_attribution_offsets_index_the_text(result):
    assert result["attributions"]
    for a in result["attributions"]:
        assert list(a)[:len(ATTRIBUTION_KEYS)] == ATTRIBUTION_KEYS or set(ATTRIBUTION_KEYS) <= set(a)
        assert a["source_type"] in SOURCE_TYPES
        for role in ("source", "cue", "content"):
            if a[f"{role}_start"] is not None:
                assert TEXT[a[f"{role}_start"]:a[f"{role}_end"]] == a[role]


def test_contract_actor_mentions_index_the_text(result):
    names = {a["name"] for a in result["actors"]}
    assert {"Donald Trump", "Vladimir Putin"} <= names
    for actor in result["actors"]:
        assert actor["type"] in ACTOR_TYPES
        assert isinstance(actor["aliases"], list) and isinstance(actor["in_title"], bool)
        assert actor["sentiment"] is None or -1 <= actor["sentiment"] <= 1
        assert actor["stance"] is None or -1 <= actor["stance"] <= 1  # an extension
        for m in actor["mentions"]:
            assert TEXT[m["start"]:m["end"]] in actor["aliases"] + [actor["name"]] or m["end"] > m["start"]


def test_contract_analyzes_text_exactly_as_given():
    raw = "  Leave a Reply\n\nShare This Post\n\nThe minister said the plan was fair.  "
    r = analysis.analyze_text(raw)
    for a in r["attributions"]:
        assert raw[a["content_start"]:a["content_end"]] == a["content"]


def test_contract_target_sentiment_range_and_sign():
    text = "The brave rescuers saved dozens of lives."
    score = analysis.target_sentiment(text, 4, 18)
    assert isinstance(score, float) and 0 < score <= 1
    bad = "The corrupt dictator murdered thousands of protesters."
    assert -1 <= analysis.target_sentiment(bad, 4, 21) < 0


def test_contract_empty_text():
    r = analysis.analyze_text("")
    assert r["word_count"] == 0 and r["attributions"] == [] and r["actors"] == []
