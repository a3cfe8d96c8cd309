"""Coverage by side on a hand-written corpus of two stories (tests/side_corpus.py)."""
import datetime as dt

import pandas as pd
import pytest

from analysis import coverage, sides
from analysis.model import Article

from . import side_corpus as sc


@pytest.fixture(scope="module")
def corpus():
    arts = sc.articles()
    lean = {a.article_id: sc.OUTLETS[a.outlet]["leaning"] for a in arts}
    return arts, lean


def test_sides_side_of_leanings():
    assert [sides.side_of(v) for v in ("left", "lean left", "center", "lean right", "right", "unknown", None)] \
        == ["left", "left", "center", "right", "right", None, None]


def test_sides_distribution_counts_articles_and_outlets():
    frame = pd.DataFrame({"outlet": ["A", "A", "B", "C"], "leaning": ["left", "left", "right", "unknown"]})
    rows = sides.distribution(frame)
    assert [(r["leaning"], r["n_articles"], r["n_outlets"]) for r in rows] == \
        [("left", 2, 1), ("right", 1, 1), ("unknown", 1, 1)]
    assert rows[0]["share"] == 0.5


def test_sides_one_sided_facts_and_quotes(corpus):
    arts, lean = corpus
    dam = [a for a in arts if a.story == sc.DAM]
    found = sides.story_sides(dam, lean, groups=coverage.fact_groups(dam))
    facts = {f.label: f for f in found["facts"]}
    engineers = next(f for label, f in facts.items() if label.startswith("Engineers warned"))
    assert engineers.side == "left" and engineers.outlets == ["Left Daily", "Left Weekly"]
    assert engineers.absent == ["right"] and len(engineers.evidence) == 2
    jobs = next(f for label, f in facts.items() if "400 construction jobs" in label)
    assert jobs.side == "right" and set(jobs.outlets) == {"Right Post", "Right Wire"}
    # the vote itself is carried by both sides: not one-sided
    assert not any("approved the harbour dam" in label for label in facts)
    quote = found["quotes"][0]
    assert quote.side == "left" and quote.n_outlets == 2 and "ruin the valley" in quote.label
    assert all("ruin the valley" in e["text"] for e in quote.evidence)


def test_sides_nothing_one_sided_when_one_side_covers(corpus):
    arts, lean = corpus
    right_only = [a for a in arts if a.story == sc.BUDGET and a.outlet != "Left Daily"]
    found = sides.story_sides(right_only, lean, groups=coverage.fact_groups(right_only))
    assert found["facts"] == [] and found["quotes"] == []


def test_sides_unrated_outlet_does_not_count_but_is_listed():
    text = "The mayor opened the new bridge over the river on Sunday morning."
    arts = [Article(outlet="L", text=text), Article(outlet="U", text=text + " Crowds cheered."),
            Article(outlet="R", text="Traffic on the ring road was heavy all weekend long.")]
    lean = {arts[0].article_id: "left", arts[1].article_id: "unknown", arts[2].article_id: "right"}
    found = sides.story_sides(arts, lean, groups=coverage.fact_groups(arts))
    bridge = next(f for f in found["facts"] if "bridge" in f.label)
    assert bridge.side == "left" and bridge.outlets == ["L"] and bridge.unrated == ["U"]


def test_sides_speakers_and_actors_with_evidence():
    arts = [Article(outlet="L", text="Mayor Tom Reed said the dam will create jobs. Greenpeace opposes the dam."),
            Article(outlet="R", text="The dam will create jobs, the council said on Monday.")]
    lean = {arts[0].article_id: "left", arts[1].article_id: "right"}
    atts = {arts[0].article_id: [{"source": "Mayor Tom Reed", "actor": "Tom Reed", "source_type": "named_person",
                                  "source_start": 0, "source_end": 14, "cue_start": 15, "cue_end": 19,
                                  "content_start": 20, "content_end": 45}]}
    actors = pd.DataFrame({"article_id": [arts[0].article_id] * 2, "name": ["Tom Reed", "Greenpeace"],
                           "type": ["person", "organization"], "first_mention": [6, 47]})
    found = sides.story_sides(arts, lean, attributions=atts, actors=actors)
    assert [(s.label, s.side) for s in found["speakers"]] == [("Tom Reed", "left")]
    assert found["speakers"][0].evidence[0]["text"] == "Mayor Tom Reed said the dam will create jobs."
    assert {a.label for a in found["actors"]} == {"Tom Reed", "Greenpeace"}
    greenpeace = next(a for a in found["actors"] if a.label == "Greenpeace")
    assert greenpeace.evidence[0]["text"] == "Greenpeace opposes the dam."


def test_sides_actor_named_by_the_other_side_is_not_one_sided():
    arts = [Article(outlet="L", text="Greenpeace opposes the dam on the river."),
            Article(outlet="R", text="The dam, which Greenpeace opposes, got its permit.")]
    lean = {arts[0].article_id: "left", arts[1].article_id: "right"}
    actors = pd.DataFrame({"article_id": [arts[0].article_id], "name": ["Greenpeace"],
                           "type": ["organization"], "first_mention": [0]})  # the tagger missed R's
    assert sides.story_sides(arts, lean, actors=actors)["actors"] == []


def test_sides_blindspots_threshold(corpus):
    arts, lean = corpus
    frame = pd.DataFrame([{"story": a.story, "outlet": a.outlet, "leaning": lean[a.article_id]} for a in arts])
    spots = sides.blindspots(frame)
    assert [(b["story"], b["side"], b["n_side_outlets"], b["n_rated_outlets"]) for b in spots] == \
        [(sc.BUDGET, "right", 3, 4)]
    assert spots[0]["missing"] == ["left"]
    assert sides.blindspots(frame, share=0.8) == []          # 3 of 4 is below 80%
    no_left = frame[~frame["leaning"].isin(["left", "lean left"])]
    assert sides.blindspots(no_left) == []  # no left-side outlet in the corpus at all


def test_sides_first_reports_ties_on_a_day(corpus):
    arts, _ = corpus
    dam = [a for a in arts if a.story == sc.DAM]
    groups = coverage.fact_groups(dam)
    first = sides.first_reports(groups, {a.article_id: a.published for a in dam},
                                {a.article_id: a.outlet for a in dam})
    vote = next(f for f in first if "approved the harbour dam" in f["fact"])
    assert vote["first"] == dt.date(2024, 5, 1) and vote["first_outlets"] == ["Left Daily", "Right Post"]
    assert vote["last"] == dt.date(2024, 5, 3) and vote["n_outlets"] == 4
    undated = sides.first_reports(groups, {}, {a.article_id: a.outlet for a in dam})
    assert undated == []


def test_sides_report_findings_name_the_side(corpus):
    from analysis import findings

    arts, lean = corpus
    frame = pd.DataFrame([{"article_id": a.article_id, "story": a.story, "outlet": a.outlet,
                           "text": a.text, "leaning": lean[a.article_id]} for a in arts])
    reed = [a for a in arts if a.story == sc.DAM and a.outlet.startswith("Right")]
    atts = pd.DataFrame([{"article_id": a.article_id, "source": "Mayor Tom Reed", "actor": "Tom Reed",
                          "source_type": "named_person", "source_start": a.text.index("Mayor Tom Reed"),
                          "source_end": a.text.index("Mayor Tom Reed") + 14} for a in reed])
    said = findings.side_findings(frame, atts)
    assert said[0] == ("“School budget” was covered mostly by right-leaning outlets (3 of the 4 rated "
                       "outlets covering it); a blindspot for left-leaning outlets.")
    assert ("Right Post and 1 other right-leaning outlet quoted or cited Tom Reed on “Harbour dam”; "
            "no left-leaning outlet did.") in said
    assert any(s.startswith("Left Daily and 1 other left-leaning outlet carried the quote “This dam "
                            "will ruin the valley for our children”") for s in said)
    assert findings.side_findings(frame.assign(leaning="unknown"), atts) == []


def test_sides_report_findings_say_one_sided_facts_and_actors(corpus):
    from analysis import findings

    arts, lean = corpus
    frame = pd.DataFrame([{"article_id": a.article_id, "story": a.story, "outlet": a.outlet,
                           "text": a.text, "leaning": lean[a.article_id]} for a in arts])
    named = [(a, name) for a in arts for name in ("Maria Lopez", "Tom Reed", "Linda Moss") if name in a.text]
    actors = pd.DataFrame([{"article_id": a.article_id, "name": name, "type": "person",
                            "first_mention": a.text.index(name), "article_name": name} for a, name in named])
    said = findings.side_findings(frame, None, actors)
    assert any(s.startswith("Left Daily and 1 other left-leaning outlet reported “Engineers warned")
               and s.endswith("on “Harbour dam”; no right-leaning outlet did.") for s in said)
    assert ("Right Post and 2 other right-leaning outlets reported “The savings will fund new textbooks, "
            "board chair Linda Moss said.” on “School budget”; no left-leaning outlet did.") in said
    assert not any("reported “\"This dam" in s for s in said)  # the one-sided quote, said once
    assert ("Left Daily and 1 other left-leaning outlet named Maria Lopez on “Harbour dam”; "
            "no right-leaning outlet did.") in said
    assert ("Right Post and 2 other right-leaning outlets named Linda Moss on “School budget”; "
            "no left-leaning outlet did.") in said  # the budget story's left article names her nowhere
    # a source said as one-sided is not said again as an actor
    reed = [a for a in arts if a.story == sc.DAM and a.outlet.startswith("Right")]
    atts = pd.DataFrame([{"article_id": a.article_id, "source": "Mayor Tom Reed", "actor": "Tom Reed",
                          "source_type": "named_person", "source_start": a.text.index("Mayor Tom Reed"),
                          "source_end": a.text.index("Mayor Tom Reed") + 14} for a in reed])
    said = findings.side_findings(frame, atts, actors)
    assert any("quoted or cited Tom Reed" in s for s in said) and not any("named Tom Reed" in s for s in said)
    assert findings.side_findings(frame.assign(leaning="unknown"), atts, actors) == []


def test_sides_a_fact_the_other_side_says_in_other_words_is_not_one_sided():
    said = ("A group called the St. Louis Tea Party issued its own resolution on Tuesday "
            "calling on the NAACP to withdraw the proposal.")
    other = ("The nearby St. Louis Tea Party had a quick response to the NAACP's plan. The group "
             "has drafted a resolution of its own asking the NAACP to withdraw it.")
    unrelated = "The weather in the city was mild and the stadium was full on Sunday."
    assert sides._paraphrased(said, [sides.sentence_terms(other)])
    assert not sides._paraphrased(said, [sides.sentence_terms(unrelated)])
