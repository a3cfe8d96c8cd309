"""Coverage across articles: fact groups, coverage views, quotes and copied passages.

The story set is hand-made: three outlets report a (fictional) flood barrier, with
paraphrased facts that must align and unrelated facts that must stay apart.
"""
from __future__ import annotations

import json

import pytest

from analysis import coverage as cv
from analysis import embeddings
from analysis.model import Article

HARBOR = Article(outlet="Harbor Times", title="Barrier plan moves ahead", text=(
    "Mayor Lena Ortiz said no specific deadline is in place for finishing the flood barrier. "
    "The council approved a budget of 40 million dollars for the project on Monday. "
    "Engineers warned that the old sea wall could fail during the next winter storm. "
    "Residents of the harbor district will be asked to vote on the plan in a referendum. "
    "Ortiz added that the city hopes to begin construction before the summer."))
COASTAL = Article(outlet="Coastal Post", title="Mayor sets no date", text=(
    "Mayor Lena Ortiz refuses to set a rigid deadline for completing the barrier. "
    "On Monday the council signed off on 40 million dollars to pay for the work. "
    "Fishermen fear the barrier will block boats from reaching the northern docks. "
    "A local school will close for two days while crews move heavy equipment."))
BAY = Article(outlet="Bay Herald", title="Sea wall could collapse", text=(
    "City engineers cautioned that the ageing sea wall might collapse in the coming winter "
    "storms. "
    "Ortiz declined to give a specific timeline for the barrier. "
    "The opposition leader called the project a waste of public money. "
    "Mayor Lena Ortiz said the barrier would protect three thousand homes. "
    "Construction is expected to start before summer, the mayor's office said."))
STORY = [HARBOR, COASTAL, BAY]

# (sentence start in one article, sentence start in another): the same fact.
SAME_FACT = [
    ("Mayor Lena Ortiz said no specific deadline", "Mayor Lena Ortiz refuses to set a rigid"),
    ("Mayor Lena Ortiz refuses to set a rigid", "Ortiz declined to give a specific timeline"),
    ("The council approved a budget", "On Monday the council signed off"),
    ("Engineers warned that the old sea wall", "City engineers cautioned"),
    ("Ortiz added that the city hopes to begin", "Construction is expected to start"),
]
DIFFERENT_FACTS = [
    ("The council approved a budget", "The opposition leader called the project"),
    ("Fishermen fear the barrier", "Engineers warned that the old sea wall"),
    ("A local school will close", "Residents of the harbor district"),
    ("Mayor Lena Ortiz said no specific deadline", "Construction is expected to start"),
    ("Residents of the harbor district", "The council approved a budget"),
    ("Mayor Lena Ortiz said the barrier would", "Mayor Lena Ortiz refuses to set a rigid"),
    ("Mayor Lena Ortiz said the barrier would", "Mayor Lena Ortiz said no specific deadline"),
]


@pytest.fixture(scope="module")
def groups():
    return cv.fact_groups(STORY)


def _group_of(groups, prefix):
    hits = [g for g in groups for s in g.sentences if s.text.startswith(prefix)]
    assert len(hits) == 1, prefix
    return hits[0]


@pytest.mark.parametrize("a, b", SAME_FACT)
def test_coverage_paraphrases_align(groups, a, b):
    assert _group_of(groups, a) is _group_of(groups, b)


@pytest.mark.parametrize("a, b", DIFFERENT_FACTS)
def test_coverage_different_facts_stay_apart(groups, a, b):
    assert _group_of(groups, a) is not _group_of(groups, b)


def test_coverage_groups_sorted_by_reach_and_offsets_index_text(groups):
    reach = [len(g.outlets) for g in groups]
    assert reach == sorted(reach, reverse=True)
    assert reach[0] == 3
    texts = {a.article_id: a.text for a in STORY}
    for g in groups:
        assert g.label in [s.text for s in g.sentences]
        for s in g.sentences:
            assert texts[s.article_id][s.start:s.end] == s.text
    # every sentence belongs to exactly one group
    spans = [(s.article_id, s.start) for g in groups for s in g.sentences]
    assert len(spans) == len(set(spans)) == 14


@pytest.mark.parametrize("text, expected", [
    ("The U.S. envoy met Mr. Smith on Jan. 5 in Moscow. Talks went well! Did they?",
     ["The U.S. envoy met Mr. Smith on Jan. 5 in Moscow.", "Talks went well!", "Did they?"]),
    ("“We want peace,” he said. “Maybe.” Then he left.\nA new paragraph",
     ["“We want peace,” he said.", "“Maybe.”", "Then he left.", "A new paragraph"]),
])
def test_coverage_split_sentences(text, expected):
    assert [text[a:b] for a, b in cv.split_sentences(text)] == expected


def test_coverage_stored_spans_are_used_and_cut_at_line_breaks():
    art = Article(text="Peace Talks Resume\nThe envoy will meet the president in Moscow next week. "
                       "Nothing else was agreed by the two sides today.")
    # One stored span glues the sub-heading to the first sentence, as spaCy may do.
    first_end = art.text.index("week.") + 5
    units = cv.sentence_units(art, [(0, first_end), (first_end + 1, len(art.text))])
    assert [u.text for u in units] == [
        "The envoy will meet the president in Moscow next week.",
        "Nothing else was agreed by the two sides today."]


@pytest.mark.parametrize("word, term", [
    ("refuses", "NOT"), ("won't", "NOT"), ("no", "NOT"), ("negotiations", "talks"),
    ("timeline", "deadline"), ("rigid", "specific"), ("said", None), ("the", None),
    ("it's", None), ("Witkoff", "witkoff"),
])
def test_coverage_term_normalization(word, term):
    assert (cv.terms(word) or [None]) == [term]


def test_coverage_tfidf_weighs_terms_as_scikit_learn():
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = ["The envoy met the president in Moscow.", "The president refused to meet the envoy.",
             "Talks talks talks resumed in Geneva on Monday.", "It was said.", ""]
    reference = TfidfVectorizer(analyzer=cv.terms, sublinear_tf=True).fit(texts)
    ours, rows = cv._vectors(texts)
    assert list(ours.column) == reference.get_feature_names_out().tolist()
    assert rows.toarray() == pytest.approx(reference.transform(texts).toarray(), abs=1e-12)
    unseen = ["Envoy and president in Paris."]
    assert ours.transform(unseen).toarray() == pytest.approx(
        reference.transform(unseen).toarray(), abs=1e-12)


def test_coverage_matrix_and_article_views(groups):
    m = cv.coverage_matrix(groups, STORY)
    assert list(m.columns[:3]) == ["fact", "n_outlets", "n_articles"]
    assert set(m.columns[3:]) == {"Harbor Times", "Coastal Post", "Bay Herald"}
    top = m.iloc[0]
    assert top["n_outlets"] == 3 and "deadline" in top["Harbor Times"]
    assert top["Bay Herald"].startswith("Ortiz declined")
    fish = m[m["Coastal Post"].str.startswith("Fishermen")].iloc[0]
    assert fish["Harbor Times"] == "" and fish["n_outlets"] == 1
    assert len(cv.coverage_matrix(groups, STORY, min_articles=2)) < len(m)

    rows = {r["outlet"]: r for r in cv.article_coverage(groups, STORY)}
    coastal = rows["Coastal Post"]
    assert coastal["shared_share"] + coastal["unique_share"] == pytest.approx(1.0)
    assert any(f.startswith("Fishermen") for f in coastal["unique_facts"])
    # Harbor and Bay both report the sea-wall warning; Coastal leaves it out.
    assert any("sea wall" in f for f in coastal["missing_facts"])
    assert not any("sea wall" in f for f in rows["Harbor Times"]["missing_facts"])
    assert 0 < rows["Bay Herald"]["unique_share"] < rows["Coastal Post"]["unique_share"]


def test_coverage_compare_two():
    out = cv.compare_two(HARBOR, COASTAL)
    both = [(d["a"][0].text[:20], d["b"][0].text[:20]) for d in out["both"]]
    assert ("Mayor Lena Ortiz sai", "Mayor Lena Ortiz ref") in both
    assert ("The council approve", "On Monday the counci")[0] in [b[0][:19] for b in both]
    assert any(s.text.startswith("Fishermen") for s in out["only_b"])
    assert any(s.text.startswith("Residents") for s in out["only_a"])
    assert not any(s.text.startswith("Mayor") for s in out["only_a"] + out["only_b"])


def test_coverage_compare_two_reuses_story_groups(groups):
    out = cv.compare_two(COASTAL, BAY, groups=groups)
    assert [d["a"][0].text[:9] for d in out["both"]] == ["Mayor Len"]
    assert {s.text[:9] for s in out["only_b"]} >= {"City engi", "The oppos"}


PARAGRAPH = ("The barrier will rise six metres above the harbour floor and stretch for two "
             "kilometres along the northern shore, according to plans published by the city "
             "on Friday.")
WIRE_A = Article(outlet="Wire", text="Work on the barrier is due to begin in spring. "
                 + PARAGRAPH + " Critics say the cost is too high.")
WIRE_B = Article(outlet="Rewrite", text="Local shops are worried about the noise. "
                 + PARAGRAPH.replace("six metres", "6 metres") + " The mayor did not comment.")


def test_coverage_copied_paragraph_found():
    passages = cv.copied_passages([WIRE_A, WIRE_B, HARBOR])
    assert len(passages) == 1
    p = passages[0]
    assert {p.article_a, p.article_b} == {WIRE_A.article_id, WIRE_B.article_id}
    a_text = {WIRE_A.article_id: WIRE_A.text, WIRE_B.article_id: WIRE_B.text}
    assert a_text[p.article_a][p.a_start:p.a_end] == p.text
    # the one changed word does not split the passage
    assert p.text.startswith("The barrier will rise") and p.text.endswith("on Friday")
    assert p.n_words >= 25
    pair = cv.overlap_pairs([WIRE_A, WIRE_B, HARBOR], passages)
    assert len(pair) == 1 and 0.6 < pair[0]["share_a"] < 0.9


def test_coverage_no_copied_passages_between_paraphrases():
    assert cv.copied_passages(STORY) == []


QUOTE_A = Article(outlet="A", text='"We will not be rushed into a bad deal," Ortiz told reporters. '
                  'She called the plan “ambitious”.')
QUOTE_B = Article(outlet="B", text="Ortiz said: “We will not be rushed into a bad deal, and we will "
                  "listen to the harbour.” The plan is “ambitious”.")
QUOTE_C = Article(outlet="C", text="“The city will not be rushed into a bad deal,” Ortiz said on Monday.")
QUOTE_D = Article(outlet="D", text='"We will not be rushed into a bad deal," Ortiz told reporters.')


def test_coverage_shared_quotes_kinds():
    quotes = cv.shared_quotes([QUOTE_A, QUOTE_B, QUOTE_C])
    assert len(quotes) == 1  # the scare quote "ambitious" is not a quote
    q = quotes[0]
    assert q["n_articles"] == 3 and q["match"] == "paraphrased"
    assert {o["outlet"] for o in q["occurrences"]} == {"A", "B", "C"}
    row, = cv.quote_rows(quotes)
    assert row["quote"] == q["text"] and sorted(row["outlets"].split(", ")) == ["A", "B", "C"]
    assert cv.shared_quotes([QUOTE_A, QUOTE_B])[0]["match"] == "trimmed"
    assert cv.shared_quotes([QUOTE_A, QUOTE_D])[0]["match"] == "exact"


def test_coverage_quote_speakers_from_attributions():
    start = QUOTE_A.text.index("We will")
    att = {QUOTE_A.article_id: [{"content_start": start, "content_end": start + 30,
                                 "source": "Ortiz", "actor": "Lena Ortiz"}]}
    q = cv.shared_quotes([QUOTE_A, QUOTE_D], attributions=att)[0]
    speakers = {o["outlet"]: o["speaker"] for o in q["occurrences"]}
    assert speakers == {"A": "Lena Ortiz", "D": None}


def test_coverage_speakers_by_fact(groups):
    start = HARBOR.text.index("Ortiz added")
    att = {HARBOR.article_id: [{"source_start": start, "source_end": start + 5,
                                "source": "Ortiz", "actor": "Lena Ortiz"}]}
    rows = cv.speakers_by_fact(groups, STORY, att)
    assert rows == [{"fact": rows[0]["fact"], "article_id": HARBOR.article_id,
                     "outlet": "Harbor Times", "speakers": ["Lena Ortiz"]}]


def test_coverage_empty_and_single_article():
    assert cv.fact_groups([]) == []
    one = cv.fact_groups([HARBOR])
    assert all(g.n_articles == 1 for g in one)
    assert cv.shared_quotes([QUOTE_A]) == []


def _sample_articles_and_spans(db):
    (name, (arts, spans)), = cv.stored_story(db).items()
    return arts, spans


def test_coverage_sample_story_aligns_known_facts(sample_db):
    arts, spans = _sample_articles_and_spans(sample_db)
    assert len(arts) == 5 and len(spans) == 5
    groups = cv.fact_groups(arts, sentences=spans)

    def together(a, b):
        return any(any(a in s.text for s in g.sentences) and any(b in s.text for s in g.sentences)
                   for g in groups)

    assert together("no specific deadline is in place", "refuses to set a rigid deadline")
    assert together("Witkoff is set to meet", "Witkoff met with Putin in Moscow")
    assert not together("no specific deadline is in place", "Witkoff met with Putin")
    assert not together("Grushko also demanded", "ironclad")


def test_coverage_command_line_writes_groups(sample_db, tmp_path):
    from analysis.__main__ import main

    out = tmp_path / "groups.json"
    arts, _ = _sample_articles_and_spans(sample_db)
    assert main(["coverage", "--out", str(out), "--db", str(sample_db),
                 "--story", arts[0].story]) == 0
    groups = json.loads(out.read_text(encoding="utf-8"))
    texts = {a.article_id: a.text for a in arts}
    assert groups and groups[0]["n_articles"] >= 2
    for g in groups:
        assert isinstance(g["label"], str) and g["articles"]
        assert {s["article_id"] for s in g["sentences"]} == set(g["articles"])
        for s in g["sentences"]:
            assert set(s) >= {"article_id", "text", "start", "end"}
            assert texts[s["article_id"]][s["start"]:s["end"]] == s["text"]
    assert main(["coverage", "--out", str(out), "--db", str(sample_db),
                 "--story", "no such story"]) == 1


needs_model = pytest.mark.skipif(not embeddings.available(),
                                 reason="the optional MiniLM model is not installed")


@needs_model
def test_coverage_embeddings_reproduce_the_published_model():
    vectors = embeddings.encode(["A man is eating food.", "A man is eating a piece of bread.",
                                 "A woman is playing violin."])
    # 0.7553 is the cosine sentence-transformers documents for this pair with this model.
    assert float(vectors[0] @ vectors[1]) == pytest.approx(0.7553, abs=0.005)
    assert float(vectors[0] @ vectors[2]) < 0.1


@needs_model
def test_coverage_embeddings_tokenizer():
    _, vocab = embeddings._model()
    names = {i: w for w, i in vocab.items()}
    assert [names[i] for i in embeddings.tokenize("Witkoff’s café!")] == [
        "[CLS]", "wit", "##koff", "’", "s", "cafe", "!", "[SEP]"]
    assert len(embeddings.tokenize("word " * 500)) == embeddings.MAX_TOKENS


@needs_model
def test_coverage_embed_option_keeps_facts_apart(groups):
    with_model = cv.fact_groups(STORY, embed=True)
    for a, b in SAME_FACT:
        assert _group_of(with_model, a) is _group_of(with_model, b)
    for a, b in DIFFERENT_FACTS:
        assert _group_of(with_model, a) is not _group_of(with_model, b)


def test_coverage_speakers_tolerate_missing_values(groups):
    start = HARBOR.text.index("Ortiz added")
    nan = float("nan")
    att = {HARBOR.article_id: [{"source_start": start, "source_end": start + 5, "cue_start": nan,
                                "cue_end": nan, "content_start": nan, "content_end": nan,
                                "source": "Ortiz", "actor": nan}]}
    assert cv.speakers_by_fact(groups, STORY, att)[0]["speakers"] == ["Ortiz"]


def test_coverage_fact_repeated_in_one_article_joins_its_group():
    echo = Article(outlet="Echo", text=(
        "Mayor Lena Ortiz refuses to set a rigid deadline for completing the barrier. "
        "A ferry service will run during the works, the port authority said. "
        "Again, Ortiz refused to set any rigid deadline for completing the flood barrier."))
    groups = cv.fact_groups([HARBOR, echo])
    deadline = _group_of(groups, "Mayor Lena Ortiz said no specific deadline")
    assert [s.text[:5] for s in deadline.sentences] == ["Mayor", "Mayor", "Again"]
    assert deadline.articles == [HARBOR.article_id, echo.article_id]
