"""Differences between compared items, said in sentences."""
import pandas as pd

from analysis import findings


def items(**columns):
    return pd.DataFrame({"name": ["A", "B"], **columns})


def test_findings_named_sources_and_grade_gap():
    out = findings.differences(items(sources_n_distinct_named_sources=[8, 0],
                                     readability_grade=[10.2, 14.1], word_count=[500, 520]))
    assert "A cites 8 distinct named sources, B none." in out
    assert "B’s readability is grade 14, A’s grade 10: B is harder to read." in out


def test_findings_small_gaps_are_not_mentioned():
    out = findings.differences(items(sources_n_distinct_named_sources=[3, 2], tone_sentiment=[0.10, 0.05],
                                     word_count=[500, 520]))
    assert out == ["A and B are close on every metric."]


def test_findings_tone_wording_follows_the_sign():
    out = findings.differences(items(tone_sentiment=[0.4, 0.2], word_count=[100, 100]))
    assert out == ["A is the most positive in tone (+0.40), B the least positive (+0.20)."]


def test_findings_actors_only_one_item_mentions():
    actors = pd.DataFrame({"item": ["A", "A", "B"], "name": ["Putin", "Macron", "Putin"],
                           "type": ["person"] * 3, "n_mentions": [3, 2, 1]})
    assert findings.actor_differences(actors, ["A", "B"]) == ["Only A mentions Macron."]


def test_findings_many_close_items_are_not_all_listed():
    many = pd.DataFrame({"name": [f"Outlet {i}" for i in range(6)], "word_count": [500] * 6})
    assert findings.differences(many) == ["Outlet 0, Outlet 1, Outlet 2 and the 3 others are close "
                                          "on every metric."]


def test_findings_unnamed_sources_are_counted_as_attributions():
    out = findings.differences(items(sources_n_vague_sources=[4, 0], word_count=[500, 500]))
    assert out == ["A has 4 attributions to vague sources (B: 0)."]


def test_findings_default_pair_comes_from_the_largest_story_and_two_outlets():
    metrics = pd.DataFrame({"article_id": ["a", "b", "c", "d", "e"],
                            "story": ["Flood", "Talks", "Talks", "Talks", "Flood"],
                            "outlet": ["X", "Y", "Y", "Z", "Z"]})
    assert findings.default_pair(metrics) == ["b", "d"]
    assert findings.default_pair(metrics[metrics["outlet"] == "Y"]) == ["b", "c"]
    assert findings.default_pair(metrics.iloc[:1]) == ["a"]
