"""Story detection (analysis.stories) on hand-written multi-story corpora, its edits, the
store's detected labels, and `ingest --story auto`."""
import datetime as dt
import json

import pytest

from analysis import store, stories
from analysis.model import Article

D = dt.date(2026, 3, 10)
LEADERS = ["Anna Berg", "Viktor Sorel"]

# Two events on one day with the same two leaders: a summit in Geneva, a phone call on a
# ceasefire. Each reported by three outlets, in their own words.
SUMMIT = [
    ("Berg and Sorel meet in Geneva summit",
     "Chancellor Anna Berg and President Viktor Sorel met for four hours at a lakeside villa in "
     "Geneva on Tuesday, their first summit since the trade dispute. The two leaders agreed to "
     "reopen border crossings and to set up a joint commission on tariffs. Berg called the "
     "summit frank. Sorel told reporters at the villa that the tariffs would be reviewed."),
    ("Geneva summit ends with tariff commission",
     "The Geneva summit between Anna Berg and Viktor Sorel ended with a promise of a joint "
     "tariff commission and reopened border crossings. Sorel and Berg spent four hours at the "
     "lakeside villa, aides said. Critics said the summit produced little on the trade dispute."),
    ("Leaders agree to review tariffs after villa talks in Geneva",
     "After four hours of talks at a villa on Lake Geneva, Viktor Sorel and Anna Berg announced "
     "a commission to review tariffs and said border crossings would reopen next month. The "
     "summit was the first meeting of the two since the trade dispute began."),
]
CALL = [
    ("Sorel and Berg discuss ceasefire by phone",
     "Viktor Sorel and Anna Berg spoke by telephone on Tuesday evening about the ceasefire in "
     "the northern province, where shelling resumed overnight. Sorel urged monitors to be sent "
     "to the front line. Berg said refugees needed safe corridors before winter."),
    ("Phone call focuses on northern ceasefire",
     "In a late phone call, Anna Berg pressed Viktor Sorel to hold to the ceasefire in the "
     "northern province after renewed shelling. The two discussed sending monitors and opening "
     "corridors for refugees, according to a readout of the call."),
    ("Shelling prompts call between Berg and Sorel",
     "Renewed shelling in the northern province led Berg to telephone Sorel on Tuesday night. "
     "The leaders agreed that ceasefire monitors should reach the front line and that refugees "
     "should be offered safe corridors, officials said after the call."),
]
# One event reported over three days: a dam failure, its flood and its clean-up.
FLOOD = [
    (0, "Dam bursts above Millbrook, flooding the valley",
     "The old dam above Millbrook burst early on Monday, sending a wall of water through the "
     "valley. Hundreds of residents were evacuated and the river reached its highest level in a "
     "century. Engineers had warned that the dam was cracked."),
    (1, "Millbrook valley still under water a day after dam failure",
     "A day after the dam burst, much of the Millbrook valley remained flooded. Rescue crews "
     "used boats to reach residents stranded on rooftops, and engineers inspected the cracked "
     "dam wall. The river level began to fall slowly."),
    (2, "Millbrook begins clean-up as flood water recedes",
     "Residents of Millbrook returned to mud-filled homes on Wednesday as the flood water from "
     "the burst dam receded. The mayor asked why warnings about the cracked dam had been ignored "
     "and promised an inquiry. Evacuated families were housed in the school."),
]


def corpus():
    arts, actors = [], {}
    for (title, text), outlet in zip(SUMMIT, ("Daily A", "Times B", "Post C")):
        a = Article(text=text, title=title, outlet=outlet, published=D, source_name=f"summit-{outlet}")
        arts.append(a)
        actors[a.article_id] = LEADERS + ["Geneva"]
    for (title, text), outlet in zip(CALL, ("Daily A", "Times B", "Post C")):
        a = Article(text=text, title=title, outlet=outlet, published=D, source_name=f"call-{outlet}")
        arts.append(a)
        actors[a.article_id] = LEADERS
    for (day, title, text), outlet in zip(FLOOD, ("Daily A", "Times B", "Post C")):
        a = Article(text=text, title=title, outlet=outlet, published=D + dt.timedelta(days=day),
                    source_name=f"flood-{outlet}")
        arts.append(a)
        actors[a.article_id] = ["Millbrook"]
    return arts, actors


def groups_of(keys: dict[str, str], arts) -> set[frozenset[str]]:
    by = {}
    for a in arts:
        by.setdefault(keys[a.article_id], set()).add(a.source_name.split("-")[0])
    return {frozenset(v) for v in by.values()}


def test_stories_same_day_same_actors_stay_apart_and_three_days_stay_together():
    arts, actors = corpus()
    keys = stories.place(arts, {}, actors)
    by_key = {}
    for a in arts:
        by_key.setdefault(keys[a.article_id], []).append(a.source_name.split("-")[0])
    assert sorted(sorted(v) for v in by_key.values()) == [
        ["call"] * 3, ["flood"] * 3, ["summit"] * 3]


def test_stories_time_window_splits_a_repeat_weeks_later():
    arts, actors = corpus()
    flood = [a for a in arts if a.source_name.startswith("flood")]
    later = Article(text=FLOOD[0][2] + " Forty days on, the valley remembers.", title=FLOOD[0][1] + " (anniversary)", outlet="Post C",
                    published=D + dt.timedelta(days=40), source_name="flood-later")
    keys = stories.place(flood + [later], {}, actors)
    assert keys[later.article_id] != keys[flood[0].article_id]
    keys = stories.place(flood + [later], {}, actors, window_days=None)
    assert keys[later.article_id] == keys[flood[0].article_id]


def test_stories_cluster_splits_a_component_too_large_for_linkage_at_a_higher_floor(monkeypatch):
    import numpy as np
    import scipy.sparse as sp

    S = np.zeros((7, 7))
    for group in ([0, 1, 2], [3, 4, 5]):
        for i in group:
            for j in group:
                S[i, j] = 0.9 if i != j else 0
    S[2, 3] = S[3, 2] = 0.1  # one weak link makes one component of six
    S = sp.csr_matrix(S)
    whole = stories.cluster(S)
    assert whole == [[0, 1, 2], [3, 4, 5], [6]]
    monkeypatch.setattr(stories, "MAX_LINKAGE", 4)
    assert stories.cluster(S) == whole
    monkeypatch.setattr(stories, "MAX_LINKAGE", 2)  # still too large at the threshold: one group each
    assert stories.cluster(S) == whole


def test_stories_label_names_shared_actors_and_words():
    arts, actors = corpus()
    summit = [a for a in arts if a.source_name.startswith("summit")]
    label = stories.label_for(summit, actors)
    assert label.startswith("Anna Berg, Viktor Sorel: ")
    assert "summit" in label.split(": ")[1]
    flood = [a for a in arts if a.source_name.startswith("flood")]
    assert "dam" in stories.label_for(flood, actors)
    # no actors, no content words: the earliest headline
    bare = [Article(text="It is. It was.", title="Later", published=D + dt.timedelta(days=1)),
            Article(text="Is it? It was!", title="First", published=D)]
    assert stories.label_for(bare) == "First"


def test_stories_apply_edits_replays_rename_merge_move_split():
    keys = {"a": "k1", "b": "k1", "c": "k2", "d": "k3"}
    out = stories.apply_edits(dict(keys), [("merge", "a", "c"), ("rename", "c", "Vote"),
                                           ("move", "d", "a"), ("move", "b", ""),
                                           ("move", "gone", "a")])
    assert out["a"] == out["c"] == out["d"] == "\0name:Vote"
    assert out["b"] not in (out["a"], "k1")


# --- the store ----------------------------------------------------------------------------

def save(arts, actors, db):
    pairs = [(a, {"word_count": len(a.text.split()), "sentence_count": 3,
                  "actors": [{"name": n, "type": "person", "mentions": [], "aliases": []}
                             for n in actors.get(a.article_id, [])]}) for a in arts]
    store.save(pairs, "test", db)


def stored_groups(db) -> set[frozenset[str]]:
    by = {}
    for a in store.articles(db):
        by.setdefault(a.story, set()).add(a.source_name)
    return {frozenset(v) for v in by.values()}


def names(prefix, arts):
    return frozenset(a.source_name for a in arts if a.source_name.startswith(prefix))


def test_stories_detect_incremental_join_keeps_stored_stories(tmp_db):
    arts, actors = corpus()
    first = [a for a in arts if a.outlet != "Post C"]
    save(first, actors, tmp_db)
    labels = stories.detect(tmp_db)
    assert len(set(labels.values())) == 3
    before = {a.article_id: a.story for a in store.articles(tmp_db)}
    rest = [a for a in arts if a.outlet == "Post C"]
    save(rest, actors, tmp_db)
    stories.detect(tmp_db, ids=[a.article_id for a in rest])
    after = {a.article_id: a.story for a in store.articles(tmp_db)}
    assert all(after[k] == v for k, v in before.items())  # nothing stored moved or was renamed
    assert stored_groups(tmp_db) == {names("summit", arts), names("call", arts), names("flood", arts)}


def test_stories_hand_label_wins_and_new_articles_may_join_it(tmp_db):
    arts, actors = corpus()
    hand = [a for a in arts if a.source_name.startswith("flood") and a.outlet != "Post C"]
    for a in hand:
        a.story = "Millbrook dam"
    save(arts, actors, tmp_db)
    stories.detect(tmp_db)
    got = {a.source_name: a.story for a in store.articles(tmp_db)}
    assert got["flood-Post C"] == "Millbrook dam"  # joined the hand-labelled story
    # a detected article relabelled by hand is left alone by the next detection
    summit_ids = [a.article_id for a in arts if a.source_name.startswith("summit")]
    store.update_labels(summit_ids[:1], story="My label", db=tmp_db)
    stories.detect(tmp_db, regroup=True)
    assert {a.article_id: a.story for a in store.articles(tmp_db)}[summit_ids[0]] == "My label"


def test_stories_edits_survive_regrouping_and_a_new_import(tmp_db):
    arts, actors = corpus()
    first = [a for a in arts if a.outlet != "Post C"]
    save(first, actors, tmp_db)
    stories.detect(tmp_db)
    story = {a.source_name: a.story for a in store.articles(tmp_db)}
    stories.rename(story["summit-Daily A"], "Geneva summit", tmp_db)
    stories.merge([story["call-Daily A"]], "Geneva summit", tmp_db)
    stories.move([first[0].article_id], None, tmp_db, name="Summit, first report")  # split
    flood = story["flood-Daily A"]
    stories.rename(flood, "Dam", tmp_db)
    expected = {a.source_name: s for a, s in zip(first, [
        "Summit, first report", "Geneva summit", "Geneva summit", "Geneva summit", "Dam", "Dam"])}
    assert {a.source_name: a.story for a in store.articles(tmp_db)} == expected
    stories.detect(tmp_db, regroup=True)  # everything regrouped, the edits replayed
    assert {a.source_name: a.story for a in store.articles(tmp_db)} == expected
    rest = [a for a in arts if a.outlet == "Post C"]
    save(rest, actors, tmp_db)
    stories.detect(tmp_db, ids=[a.article_id for a in rest])
    got = {a.source_name: a.story for a in store.articles(tmp_db)}
    assert {k: got[k] for k in expected} == expected
    assert got["flood-Post C"] == "Dam"
    assert got["call-Post C"] == "Geneva summit"
    assert got["summit-Post C"] in {"Geneva summit", "Summit, first report"}


def test_stories_rename_refuses_the_unlabelled_name(tmp_db):
    arts, actors = corpus()
    save(arts[:3], actors, tmp_db)
    label = next(iter(set(stories.detect(tmp_db).values())))
    with pytest.raises(ValueError, match="cannot be renamed"):
        stories.rename(label, "  ", tmp_db)
    with pytest.raises(ValueError, match="no story is called 'nope'"):
        stories.rename("nope", "Other", tmp_db)


def mixed_jsonl() -> bytes:
    """The nine articles as a news export without story labels (JSON lines)."""
    return "\n".join(json.dumps({"title": a.title, "text": a.text, "outlet": a.outlet,
                                 "published": a.published.isoformat()})
                     for a in corpus()[0]).encode("utf-8")


def test_stories_cli_ingest_story_auto_groups_a_mixed_file(tmp_path, tmp_db, capsys):
    from analysis.__main__ import main

    path = tmp_path / "mixed.jsonl"
    path.write_bytes(mixed_jsonl())
    assert main(["ingest", str(path), "--story", "auto", "--db", str(tmp_db)]) == 0
    by = {}
    for a in store.articles(tmp_db):
        by.setdefault(a.story, set()).add(a.title)
    assert stories.UNLABELLED not in by and stories.AUTO not in by
    assert sorted(map(len, by.values())) == [3, 3, 3]
    assert {a[0] for a in SUMMIT} in by.values()
    assert "stories: 9 articles without a story label placed in 3 stories" in capsys.readouterr().out
    # the stories command regroups them the same way and lists them
    assert main(["stories", "--regroup", "--db", str(tmp_db)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "stories: 9 articles without a story label placed in 3 stories"
    assert sorted(line.split()[0] for line in out[1:]) == ["3", "3", "3"]
    assert {a.story for a in store.articles(tmp_db)} == set(by)


# --- the Corpus page ----------------------------------------------------------------------

@pytest.fixture
def mixed_db(sample_db, tmp_path, monkeypatch):
    """The sample store plus the nine unlabelled articles of the three events, analyzed."""
    import shutil

    from analysis import pipeline

    path = tmp_path / "mixed.duckdb"
    shutil.copy(sample_db, path)
    monkeypatch.setenv("COVERAGE_LENS_DB", str(path))
    pipeline.import_articles(corpus()[0], path)
    return path


def test_stories_corpus_page_finds_and_renames_stories(mixed_db):
    from .helpers import assert_clean, open_dashboard

    at = open_dashboard("pages/corpus.py")
    next(b for b in at.button if b.label == "Find stories").click().run()
    assert_clean(at)
    assert any("Placed 9 articles in 3 stories" in s.value for s in at.success)
    table = next(d.value for d in at.dataframe if "Found by" in d.value)
    found = table[table["Found by"] == "detection"]
    assert sorted(found["Articles"]) == [3, 3, 3]
    assert stories.UNLABELLED not in set(table["Story"])
    old = found["Story"].iloc[0]
    at.selectbox(key="stories_rename_old").select(old).run()
    at.text_input(key="stories_rename_new").input("Renamed story").run()
    next(b for b in at.button if b.label == "Rename story").click().run()
    assert_clean(at)
    got = {a.story for a in store.articles(mixed_db)}
    assert "Renamed story" in got and old not in got


def test_stories_corpus_import_with_story_auto_finds_the_stories(sample_db, tmp_path, monkeypatch):
    import shutil

    from .helpers import assert_clean, open_dashboard

    path = tmp_path / "import.duckdb"
    shutil.copy(sample_db, path)
    monkeypatch.setenv("COVERAGE_LENS_DB", str(path))
    at = open_dashboard("pages/corpus.py")
    at.file_uploader(key="corpus_files").upload("mixed.jsonl", mixed_jsonl(), "application/json")
    at.text_input(key="corpus_story").input("auto")
    next(b for b in at.button if b.label == "Import").click().run()
    assert_clean(at)
    assert any("placed 9 articles without a story label in 3 stories" in s.value for s in at.success)
    got = [a.story for a in store.articles(path) if a.outlet in ("Daily A", "Times B", "Post C")]
    assert len(got) == 9 and len(set(got)) == 3 and stories.AUTO not in got
