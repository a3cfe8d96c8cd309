"""The Stories page's table and timeline builders on hand-made frames."""
import datetime as dt

import pandas as pd

from ui import story_views


def frame():
    d = dt.date
    return pd.DataFrame({
        "article_id": list("abcd"), "story": ["S", "S", "S", "T"],
        "outlet": ["A", "B", "A", "C"], "leaning": ["left", "right", "left", "unknown"],
        "title": ["Late", "Early", None, "Other"], "published": [d(2024, 1, 3), d(2024, 1, 1), None, None],
        "added_at": pd.to_datetime(["2024-02-01"] * 4)})


def test_story_views_story_table_counts_dates_and_earliest_headline():
    table = story_views.story_table(frame()).set_index("Story")
    s = table.loc["S"]
    assert (s["Articles"], s["Outlets"]) == (3, 2)
    assert (s["First"], s["Last"]) == (dt.date(2024, 1, 1), dt.date(2024, 1, 3))
    assert s["Headline"] == "Early" and s["Leanings"] == "2 left · 1 right"
    assert table.index.tolist() == ["S", "T"]  # most articles first
    assert pd.isna(table.loc["T", "First"])


def test_story_views_timeline_sums_small_groups_as_others(monkeypatch):
    monkeypatch.setattr(story_views, "TIMELINE_GROUPS", 1)
    fig = story_views.timeline(frame(), "outlet", {})
    assert sorted(t.name for t in fig.data) == ["A", "others"]  # undated rows left out
    assert sum(sum(t.y) for t in fig.data) == 2


def test_story_views_headlines_earliest_first():
    heads = story_views.headlines(frame()[lambda d: d["story"] == "S"])
    assert heads["Headline"].tolist() == ["Early", "Late", "(no headline)"]


def test_story_views_timeline_counts_weeks_over_long_spans():
    d = dt.date
    df = frame().assign(published=[d(2024, 1, 3), d(2024, 1, 4), d(2024, 9, 1), None])
    fig = story_views.timeline(df, "story", {})
    days = sorted(pd.Timestamp(x) for t in fig.data for x in t.x)
    assert all(x.weekday() == 0 for x in days)  # Mondays: weekly counts
    assert [t.name for t in fig.data] == ["S"] and list(fig.data[0].y) == [2, 1]  # 3 and 4 Jan: one week
    short = story_views.timeline(frame(), "story", {})
    assert pd.Timestamp(short.data[0].x[0]).day in (1, 3)  # days as they are
