"""Tone: each dimension on hand-written texts with a known answer."""
from __future__ import annotations

import json
import math
import re

import pytest

from analysis import tone
from analysis.model import Attribution


@pytest.fixture(scope="module")
def profile_of(nlp):
    """Tone profile of a text, optionally with direct quotes given as (start, end) spans."""
    def run(text, *, title=None, quotes=()):
        doc = nlp(text)
        atts = [Attribution(None, None, None, None, None, None, text[s:e], s, e, "direct",
                            "unresolved") for s, e in quotes]
        sentences = tone.sentence_tones(doc, atts)
        return tone.tone_profile(doc, sentences, atts, title=title), sentences
    return run


def span_of(text, phrase):
    start = text.index(phrase)
    return start, start + len(phrase)


@pytest.mark.parametrize("text,sign", [
    ("The rescue was a wonderful success and the families were overjoyed.", 1),
    ("The attack was a horrible disaster that killed dozens of people.", -1),
])
def test_tone_sentence_sentiment_sign(profile_of, text, sign):
    profile, sentences = profile_of(text)
    assert len(sentences) == 1
    assert profile["sentiment"] * sign > 0.3
    assert -1 <= profile["sentiment"] <= 1


def test_tone_sentence_shares_and_spread(profile_of):
    text = ("The new park is wonderful. Children love the beautiful gardens. "
            "Sadly, the old bridge collapsed and injured two workers. The council met on Monday.")
    profile, sentences = profile_of(text)
    assert len(sentences) == 4
    assert profile["positive_share"] == pytest.approx(0.5)
    assert profile["negative_share"] == pytest.approx(0.25)
    assert profile["sentiment_spread"] > 0.3
    assert profile["sentiment"] == pytest.approx(sum(s.sentiment for s in sentences) / 4, abs=1e-3)


def test_tone_sentence_word_counts(profile_of):
    text = "The mayor's new plan failed badly. Don't panic — it's fine!"
    _, sentences = profile_of(text)
    assert [s.words for s in sentences] == [6, 4]
    assert sentences[1].as_dict()["words"] == 4


def test_tone_narration_kept_apart_from_quotes(profile_of):
    text = ('The mayor opened the wonderful new library, a great gift to the city. '
            '"This is a disgraceful waste of money and a terrible mistake," a critic said.')
    profile, sentences = profile_of(text, quotes=[span_of(text, "This is a disgraceful waste "
                                                                "of money and a terrible mistake")])
    assert profile["narration_sentiment"] > 0.3
    assert profile["quote_sentiment"] < -0.3
    assert 0.3 < profile["quote_share"] < 0.6
    assert not sentences[0].in_quote and sentences[1].in_quote
    assert sentences[1].as_dict()["in_quote"] is True


def test_tone_no_quotes_gives_no_quote_sentiment(profile_of):
    profile, _ = profile_of("The council approved the budget on Monday after a short debate.")
    assert profile["quote_sentiment"] is None and profile["quote_share"] == 0


def test_tone_mixed_attribution_counts_only_quoted_words(nlp):
    text = 'She said the plan was "a total disaster" for the town.'
    start = text.index("the plan")
    att = Attribution("She", 0, 3, "said", 4, 8, text[start:-1], start, len(text) - 1, "mixed",
                      "unresolved")
    spans = tone.quote_spans(text, [att])
    assert [text[s:e] for s, e in spans] == ["a total disaster"]


@pytest.mark.parametrize("opinion,fact", [
    ("I think this is an absolutely brilliant and beautiful idea.",
     "The committee met on Tuesday in the town hall."),
])
def test_tone_subjectivity_orders_opinion_above_fact(profile_of, opinion, fact):
    assert profile_of(opinion)[0]["subjectivity"] > 0.5
    assert profile_of(fact)[0]["subjectivity"] < 0.2


@pytest.mark.parametrize("text", [
    "I think this is an absolutely brilliant and beautiful idea.",
    "The committee met on Tuesday in the town hall.",  # no word that scores
    "He didn't say it wasn't good; it's not very good at all!",
    "What a great plan ( ! ) they said.",  # sarcasm, rewritten across spaces
    "Loved it : ) but the ending was sad :-(",  # emoticons split by spaces, and whole
    "Malcolm X D. Smith was happy.\n\nEND. Mr. Jones, U.S. envoy, was \u201cfurious\u201d.",
    "xd <3 o . O",
    "",
])
def test_tone_pattern_sentiment_equals_textblob(text):
    from textblob.en import sentiment

    assert tone._pattern.__wrapped__(text) == tuple(sentiment(text)[:2])


@pytest.mark.parametrize("chunk", ["café", "1990", "COVID19", "Straße", "²", "xD", "OK"])
def test_tone_textblob_tokens_of_a_plain_word_are_the_word(chunk):
    tokenizer = tone._textblob()[1]
    assert tone._pattern_tokens.__wrapped__(chunk) == tuple(" ".join(tokenizer(chunk)).split()) == (chunk,)


def test_tone_loaded_language_lists_words_with_offsets(profile_of):
    text = ("In a shocking bombshell, the furious senator slammed the absolutely devastating "
            "report, the worst in history.")
    profile, _ = profile_of(text)
    words = {w["word"].lower(): w["category"] for w in profile["loaded_words"]}
    assert {"shocking", "bombshell", "slammed", "devastating"} <= set(words)
    assert words["absolutely"] == "intensifier" and words["worst"] == "superlative"
    assert words["furious"] == "sensational"
    for w in profile["loaded_words"]:
        assert text[w["start"]:w["end"]] == w["word"]
    assert profile["loaded_language"] == pytest.approx(1000 * 5 / 16, abs=0.01)  # 16 words
    neutral, _ = profile_of("The committee published its annual report on Tuesday.")
    assert neutral["loaded_language"] == 0 and neutral["loaded_words"] == []


def test_tone_loaded_language_counts_evaluative_terms_not_negated_ones(profile_of):
    profile, _ = profile_of("The embattled mayor touted his so-called reform. "
                            "The plan is not reckless, aides said.")
    words = {w["word"].lower(): w for w in profile["loaded_words"]}
    assert {k: words[k]["category"] for k in ("embattled", "touted", "so-called")} == dict.fromkeys(
        ("embattled", "touted", "so-called"), "evaluative")
    assert words["reckless"]["negated"] and not words["embattled"]["negated"]
    assert profile["loaded_language"] == pytest.approx(1000 * 3 / 15, abs=0.01)  # so-called: 2 words
    assert profile["evaluative_words"] == profile["loaded_language"]


def test_tone_emotion_words_are_their_own_dimension_not_loaded_language(profile_of):
    profile, _ = profile_of("The happy children played in the peaceful, sunny park.")
    emotions = [w for w in profile["loaded_words"] if w["category"].startswith("emotion: ")]
    assert "happy" in {w["word"] for w in emotions}
    assert profile["emotion_words"] > 0 and profile["loaded_language"] == 0


def test_tone_loaded_words_in_quotes_are_not_the_outlets(profile_of):
    text = 'The minister spoke on Monday. "It is a shocking disaster," she said.'
    profile, _ = profile_of(text, quotes=[span_of(text, "It is a shocking disaster")])
    assert all(w["in_quote"] for w in profile["loaded_words"])
    assert profile["loaded_language"] == 0


@pytest.mark.parametrize("text,hedging,certainty", [
    ("The deal may possibly collapse, and it seems the talks could apparently fail.", True, False),
    ("The deal will certainly collapse; it is undoubtedly and obviously a failure.", False, True),
    ("The council approved the budget on Monday.", False, False),
])
def test_tone_hedging_and_certainty(profile_of, text, hedging, certainty):
    profile, _ = profile_of(text)
    assert (profile["hedging"] > 0) is hedging
    assert (profile["certainty"] > 0) is certainty


def test_tone_capitalized_name_is_not_a_hedge(profile_of):
    profile, _ = profile_of("The vote was held on May 5 and Theresa May attended.")
    assert profile["hedging"] == 0
    profile, _ = profile_of("May the best team win.")
    assert [w["word"] for w in profile["hedge_words"]] == ["May"]


def test_tone_informality_finds_each_marker(profile_of):
    chatty = ("Hey guys! So, you won't believe this. Let's be real: who saw that coming? "
              "It's pretty huge, folks!")
    formal = "The ministry published the figures on Tuesday. Exports rose by two percent."
    profile, _ = profile_of(chatty)
    categories = {m["category"] for m in profile["informal_markers"]}
    assert categories == {"second_person", "exclamation", "question", "colloquialism"}
    assert profile["informality"] > 100
    assert profile["informality"] == pytest.approx(
        profile["second_person"] + profile["exclamations"] + profile["questions"]
        + profile["colloquialisms"], abs=0.05)
    assert profile_of(formal)[0]["informality"] == 0


def test_tone_questions_inside_quotes_are_not_reader_address(profile_of):
    text = 'The reporter asked a question. "Will you resign?" she asked the minister.'
    profile, _ = profile_of(text, quotes=[span_of(text, "Will you resign?")])
    assert profile["questions"] == 0 and profile["second_person"] == 0


@pytest.mark.parametrize("title,question,colon,sensational", [
    ("SHOCKING: Is this the end of the world?", 1, 1, True),
    ("Council approves budget for 2025", 0, 0, False),
])
def test_tone_headline_style(profile_of, title, question, colon, sensational):
    profile, _ = profile_of("The council met on Monday to discuss the budget.", title=title)
    assert profile["headline_question"] == question
    assert profile["headline_colon"] == colon
    assert (profile["headline_sensationalism"] >= 0.5) is sensational
    assert (profile["headline_caps"] > 0) is sensational
    assert profile["headline_body_gap"] == pytest.approx(
        profile["headline_sentiment"] - profile["sentiment"], abs=1e-3)


def test_tone_no_headline_gives_none(profile_of):
    profile, _ = profile_of("The council met on Monday.")
    assert profile["headline_sentiment"] is None and profile["headline_sensationalism"] is None


def test_tone_profile_scalars_are_dashboard_columns(profile_of):
    profile, _ = profile_of("The council met on Monday.", title="Council meets")
    for key in ("sentiment", "subjectivity", "loaded_language", "hedging", "certainty",
                "informality", "headline_sensationalism", "narration_sentiment", "quote_sentiment"):
        assert key in profile
    json.dumps(profile)


@pytest.mark.parametrize("term,text,found", [
    ("slam*", "She slammed the plan.", ["slammed"]),
    ("let's be real", "Let’s  be real here.", ["Let’s  be real"]),
    ("in part", "This is in partnership with them.", []),
])
def test_tone_lexicon_format(tmp_path, monkeypatch, term, text, found):
    (tmp_path / "demo.txt").write_text(f"# a comment\n{term}\tdemo\n", encoding="utf-8")
    monkeypatch.setattr(tone, "LEXICON_DIR", tmp_path)
    tone.load_lexicon.cache_clear()
    try:
        assert [m["word"] for m in tone.find_terms(text, "demo")] == found
    finally:
        tone.load_lexicon.cache_clear()


# --- tone toward a target ---------------------------------------------------------------

@pytest.fixture(params=["transformer", "fast"])
def target_model(request, monkeypatch):
    """Each target test runs on the transformer (the default) and on the --fast-tone model."""
    if request.param == "fast":
        monkeypatch.setenv(tone.FAST_TONE_ENV, "1")
    else:
        monkeypatch.delenv(tone.FAST_TONE_ENV, raising=False)
    return request.param


@pytest.mark.parametrize("text,good,bad", [
    ("Voters praised Smith for her honesty, but they condemned Jones for lying to them.",
     "Smith", "Jones"),
    ("The brave firefighters saved the family, while the landlord was charged with "
     "negligence and fraud.", "firefighters", "landlord"),
])
def test_tone_target_sentiment_depends_on_the_target(text, good, bad, target_model):
    import analysis

    toward_good = analysis.target_sentiment(text, *span_of(text, good))
    toward_bad = analysis.target_sentiment(text, *span_of(text, bad))
    assert toward_bad <= tone.NEGATIVE
    assert toward_good > toward_bad + 0.1
    assert -1 <= toward_bad <= toward_good <= 1


def test_tone_target_sentiment_neutral_mention(target_model):
    import analysis

    text = "Smith arrived in Paris on Tuesday for the annual meeting."
    assert abs(analysis.target_sentiment(text, 0, 5)) < tone.POSITIVE


@pytest.mark.parametrize("probs,label", [
    ({"negative": 0.5, "neutral": 0.3, "positive": 0.2}, "negative"),
    ({"negative": 0.34, "neutral": 0.33, "positive": 0.33}, "negative"),
    ({"negative": 0.1, "neutral": 0.3, "positive": 0.6}, "positive"),
    ({"negative": 0.05, "neutral": 0.6, "positive": 0.35}, "neutral"),
])
def test_tone_score_agrees_with_most_probable_class(probs, label):
    score = tone.score_from_probabilities(probs)
    got = "negative" if score <= tone.NEGATIVE else "positive" if score >= tone.POSITIVE else "neutral"
    assert got == label


def test_tone_without_the_model_the_clause_around_the_target_is_scored(nlp, monkeypatch):
    text = "Smith praised the wonderful plan. Jones attacked the terrible deal."
    doc = nlp(text)
    smith, jones = (text.index(name) for name in ("Smith", "Jones"))
    monkeypatch.setattr(tone, "_target_model", lambda: None)
    monkeypatch.setattr(tone, "_session", lambda: None)
    # VADER on the clause without the target's own words
    assert tone.sentiment_toward(doc, smith, smith + 5) == tone.sentiment_of("praised the wonderful plan .")
    assert tone.sentiment_toward(doc, jones, jones + 5) == tone.sentiment_of("attacked the terrible deal .")
    assert tone.sentiment_toward(doc, smith, smith + 5) >= tone.POSITIVE
    assert tone.sentiment_toward(doc, jones, jones + 5) <= tone.NEGATIVE


def test_tone_transformer_is_small_loads_offline_and_is_the_default(monkeypatch):
    monkeypatch.delenv(tone.FAST_TONE_ENV, raising=False)
    assert tone.TRANSFORMER_MODEL.stat().st_size < 50 * 1024 * 1024
    assert tone.use_transformer()
    monkeypatch.setenv(tone.FAST_TONE_ENV, "1")
    assert not tone.use_transformer()


def test_tone_fast_tone_flag_reaches_the_environment(monkeypatch):
    from analysis import __main__ as cli

    assert cli.build_parser().parse_args(["--fast-tone", "report", "--out", "r.html"]).fast_tone
    monkeypatch.setenv(tone.FAST_TONE_ENV, "0")  # so that the test's end restores it
    monkeypatch.setattr(cli.argparse.ArgumentParser, "parse_args",
                        lambda self, argv=None: cli.argparse.Namespace(fast_tone=True, func=lambda a: 0))
    assert cli.main(["--fast-tone", "export"]) == 0
    assert tone.use_transformer() is False


def test_tone_encode_target_marks_the_target_and_keeps_a_window_around_it():
    vocab = tone._transformer_vocab()
    sentence = "word " * 200 + "Smith won. " + "word " * 200
    start = sentence.index("Smith")
    ids, segments, positions = tone.encode_target(sentence, start, start + 5, vocab, 32)
    assert len(ids) == len(segments) <= 32 and ids[0] == vocab["[CLS]"]
    assert [ids[p] for p in positions] == [vocab["smith"]]
    assert ids[positions[0] - 1] == vocab["<"] and ids[positions[-1] + 1] == vocab[">"]
    assert ids[-2:] == [vocab["smith"], vocab["[SEP]"]] and segments[-2:] == [1, 1]


@pytest.mark.parametrize("sentence", [
    "Critics said Ann Lee’s plan, “a disaster,” hurt the U.S. economy.",
    "The naïve Clintons\u00a0met\tPeña's team in São Paulo\n(again).",
    "",
])
def test_tone_sentence_pieces_give_the_pieces_of_each_slice(sentence):
    vocab = tone._transformer_vocab()
    pieces = tone.SentencePieces(sentence, vocab, {})
    for offset in range(len(sentence) + 1):  # inside words too: "Clinton|s"
        assert pieces.before(offset) == tone._wordpieces(sentence[:offset], vocab)
        assert pieces.after(offset) == tone._wordpieces(sentence[offset:], vocab)


def test_tone_encode_target_with_sentence_pieces_is_the_same_input():
    vocab = tone._transformer_vocab()
    sentence = "Voters praised Smith, but the Smiths' rival Jones-Baker lost to them."
    pieces = tone.SentencePieces(sentence, vocab, {})
    for name in ("Smith", "Smiths", "Jones", "Baker", "Jones-Baker", "them"):
        start = sentence.index(name)
        assert (tone.encode_target(sentence, start, start + len(name), vocab, pieces=pieces)
                == tone.encode_target(sentence, start, start + len(name), vocab))


def test_tone_token_batches_keep_within_the_budget():
    lengths = [30, 10, 64, 12, 70, 11, 31]
    batches = tone.token_batches(lengths, budget=64)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    assert [[lengths[i] for i in b] for b in batches] == [[10, 11, 12], [30, 31], [64], [70]]


def test_tone_transformer_session_leaves_fusions_out_without_changing_scores():
    import onnxruntime as ort

    vocab = tone._transformer_vocab()
    sentence = "Critics condemned Jones for lying, but voters praised Smith."
    encoded = [tone.encode_target(sentence, sentence.index(n), sentence.index(n) + 5, vocab)
               for n in ("Jones", "Smith")]
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    fused = ort.InferenceSession(str(tone.TRANSFORMER_MODEL), options,
                                 providers=["CPUExecutionProvider"])
    inputs = tone.batch_arrays(encoded)
    expected = fused.run(["logits"], inputs)[0]
    assert tone._session().run(["logits"], inputs)[0] == pytest.approx(expected, abs=1e-5)


def test_tone_target_model_is_small_and_current():
    assert tone.TARGET_MODEL.stat().st_size < 50 * 1024 * 1024
    assert tone._target_model() is not None, "model features differ from tone.FEATURES: retrain"


def test_tone_actor_sentiment_means_its_mentions(nlp):
    from analysis.model import Actor, Mention

    text = "Critics condemned Jones for lying. Jones arrived on Monday."
    doc = nlp(text)
    actor = Actor("Jones", "person", mentions=[Mention(18, 23), Mention(35, 40)])
    expected = sum(tone.sentiment_toward(doc, m.start, m.end) for m in actor.mentions) / 2
    # The transformer takes the mentions in batches, and int8 dynamic quantization scales
    # activations per batch: a mention's score moves with its batch (by 0.02 on average over
    # PolNeAR mentions, seldom across a label).
    assert tone.actor_sentiment(doc, actor) == pytest.approx(expected, abs=0.02)
    assert tone.actor_sentiment(doc, Actor("Nobody", "person")) is None


def test_tone_spread_keeps_the_first_and_last_and_spaces_the_rest_evenly():
    assert tone.spread(list(range(20)), 8) == [0, 3, 5, 8, 11, 14, 16, 19]
    assert tone.spread([1, 2, 3], 8) == [1, 2, 3]
    assert tone.spread([1, 2, 3], 1) == [1]


def test_tone_actor_sentiment_scores_at_most_the_cap_of_its_mentions(nlp, monkeypatch):
    from analysis.model import Actor, Mention

    monkeypatch.setenv(tone.FAST_TONE_ENV, "1")  # the linear model: no batch effects
    text = ("Critics condemned Jones for lying. Jones arrived. Voters praised Jones. "
            "Jones spoke. Fans cheered Jones.")
    doc = nlp(text)
    mentions = [Mention(m.start(), m.end()) for m in re.finditer("Jones", text)]
    monkeypatch.setattr(tone, "MAX_SCORED_MENTIONS", 3)
    kept = [mentions[i] for i in (0, 2, 4)]
    expected = sum(tone.sentiment_toward(doc, m.start, m.end, fast=True) for m in kept) / 3
    assert tone.actor_sentiment(doc, Actor("Jones", "person", mentions=mentions)) == pytest.approx(
        expected, abs=1e-4)


def test_tone_sample_chatty_post_is_most_informal(sample_db):
    from analysis import store

    metrics = store.metrics_frame(sample_db)
    top = metrics.sort_values("tone_informality", ascending=False).iloc[0]
    assert top["source_name"].startswith("003_")
    assert top["tone_informality"] > 2 * metrics["tone_informality"].drop(top.name).max()


def test_tone_newsmtsc_floor(devdata, nlp):
    """Evaluation gate: macro-F1 on NewsMTSC rw_dev stays above the recorded floor."""
    from sklearn.metrics import f1_score

    gold, pred = [], []
    sentences = devdata.load_newsmtsc("rw_dev")
    for s, doc in zip(sentences, nlp.pipe(s["sentence"] for s in sentences)):
        for t in s["targets"]:
            score = tone.sentiment_toward(doc, t["start"], t["end"])
            pred.append("negative" if score <= tone.NEGATIVE else
                        "positive" if score >= tone.POSITIVE else "neutral")
            gold.append(t["label"])
    assert f1_score(gold, pred, average="macro") >= 0.75  # the transformer; --fast-tone: 0.63


def _actor_rows(rows):
    import pandas as pd

    return pd.DataFrame(rows, columns=["name", "outlet", "article_id", "n_mentions", "sentiment"])


def test_tone_actor_tone_cells_weigh_mentions_count_evidence_and_mark_weak_cells():
    rows = _actor_rows([("Putin", "A", "a1", 4, -0.5), ("Putin", "A", "a2", 1, 1.0),
                        ("Putin", "A", "a2", 1, 1.0),  # a second spelling in the same article
                        ("Putin", "B", "b1", 2, None),  # mentioned, never scored
                        ("Zelensky", "B", "b1", 2, 0.5), ("Nobody", "B", "b1", 0, None)])
    cells = tone.actor_tone_cells(rows, ["Zelensky", "Putin", "Nobody"]).set_index(["name", "outlet"])
    assert cells.index.tolist() == [("Zelensky", "B"), ("Putin", "A")]  # order asked, scored only
    putin = cells.loc[("Putin", "A")]
    assert putin["tone"] == pytest.approx((4 * -0.5 + 2 * 1.0) / 6)
    assert (putin["mentions"], putin["articles"], putin["weak"]) == (6, 2, False)
    assert -0.5 <= putin["low"] <= putin["tone"] <= putin["high"] <= 1.0
    zelensky = cells.loc[("Zelensky", "B")]
    assert (zelensky["mentions"], zelensky["weak"]) == (2, True)
    assert math.isnan(zelensky["low"]) and math.isnan(zelensky["high"])  # one article: no interval


def test_tone_actor_tone_cells_interval_narrows_with_agreeing_articles():
    agree = _actor_rows([("X", "A", f"a{i}", 3, 0.4 + 0.01 * (i % 2)) for i in range(20)])
    spread = _actor_rows([("X", "A", f"a{i}", 3, 0.9 if i % 2 else -0.1) for i in range(20)])
    narrow, wide = (tone.actor_tone_cells(r).iloc[0] for r in (agree, spread))
    assert narrow["high"] - narrow["low"] < 0.02 < wide["high"] - wide["low"]


def test_tone_differences_only_where_intervals_do_not_overlap():
    rows = _actor_rows([("X", "Friendly", f"f{i}", 3, 0.6 + 0.05 * (i % 2)) for i in range(6)]
                       + [("X", "Harsh", f"h{i}", 3, -0.6 - 0.05 * (i % 2)) for i in range(6)]
                       + [("Y", "Friendly", f"f{i}", 3, 0.9 if i % 2 else -0.9) for i in range(6)]
                       + [("Y", "Harsh", f"h{i}", 3, 0.8 if i % 2 else -0.9) for i in range(6)]
                       + [("Z", "Friendly", "f0", 2, 0.9), ("Z", "Harsh", "h0", 2, -0.9)])
    found = tone.tone_differences(tone.actor_tone_cells(rows))
    assert [(a, hi, lo) for a, hi, _, lo, _ in found] == [("X", "Friendly", "Harsh")]


def test_tone_report_states_a_difference_only_beyond_the_uncertainty():
    from ui import report

    rows = _actor_rows([("X", "Friendly", f"f{i}", 3, 0.6 + 0.05 * (i % 2)) for i in range(6)]
                       + [("X", "Harsh", f"h{i}", 3, -0.6 - 0.05 * (i % 2)) for i in range(6)])
    assert report.tone_findings(rows) == [
        "Tone toward X: Friendly is warmer (+0.62) than Harsh (-0.62); their 95% intervals do "
        "not overlap."]
    close = rows.assign(sentiment=rows["sentiment"].abs())  # both outlets alike
    assert "no outlet differs" in report.tone_findings(close)[0]


def test_tone_actor_stance_adds_loaded_terms_near_the_actor_and_keeps_mild_tone_neutral():
    actor = {"name": "X", "sentiment": -0.2, "mentions": [{"start": 0, "end": 1}]}
    harsh = {"sentences": [{"start": 0, "end": 40}, {"start": 41, "end": 80}],
             "tone": {"loaded_words": [
                 {"word": "reckless", "start": 10, "end": 18, "category": "evaluative"},
                 {"word": "disgraceful", "start": 20, "end": 31, "category": "evaluative"},
                 {"word": "bombshell", "start": 50, "end": 59, "category": "sensational"}]}}
    assert tone.actor_stance(actor, {"sentences": [], "tone": {}}) == 0.0  # mild: neutral
    stance = tone.actor_stance(actor, harsh)
    assert stance < -0.35  # two harsh terms in its sentence; the one elsewhere does not count
    quoted = {**harsh, "tone": {"loaded_words": [dict(w, in_quote=True)
                                                 for w in harsh["tone"]["loaded_words"]]}}
    assert tone.actor_stance(actor, quoted) == 0.0  # a speaker's words, not the writer's
    assert tone.actor_stance({"sentiment": None, "mentions": []}, harsh) is None


def test_tone_actor_stance_adds_what_the_actor_is_quoted_saying():
    actor = {"name": "X", "sentiment": -0.3, "mentions": [{"start": 0, "end": 1}]}
    said = {"sentences": [], "tone": {}, "attributions": [
        {"actor": "X", "content": "This is a horrible, disgusting, shameful disaster."},
        {"actor": "Y", "content": "What a wonderful, lovely, excellent day."}]}
    assert tone.sentiment_of(said["attributions"][0]["content"]) < -0.9
    assert tone.actor_stance(actor, {"sentences": [], "tone": {}}) == 0.0  # -0.3: neutral
    # -0.3 + 0.15 * (about -0.95): past the band, from X's words only (Y's are not counted)
    assert tone.actor_stance(actor, said) == pytest.approx(-0.3 + 0.15 * tone.sentiment_of(
        said["attributions"][0]["content"]), abs=1e-4)
    assert tone.actor_stance(actor, said, quoted_weight=0.0) == 0.0


def test_tone_actor_stance_needs_a_larger_score_to_call_a_stance_positive():
    empty = {"sentences": [], "tone": {}}
    stance = lambda s: tone.actor_stance({"name": "X", "sentiment": s, "mentions": []}, empty)
    assert stance(-0.5) == -0.5 and tone.stance_label(stance(-0.5)) == "negative"
    assert stance(0.5) == 0.0 and tone.stance_label(stance(0.5)) == "neutral"
    assert stance(0.8) == 0.8 and tone.stance_label(stance(0.8)) == "positive"
    assert tone.stance_label(None) is None and tone.stance_label(float("nan")) is None


def test_tone_add_actor_stances_sets_a_stance_on_every_actor():
    result = {"sentences": [], "tone": {}, "attributions": [],
              "actors": [{"name": "A", "sentiment": -0.9, "mentions": []},
                         {"name": "B", "sentiment": None, "mentions": []}]}
    assert [a["stance"] for a in tone.add_actor_stances(result)["actors"]] == [-0.9, None]


def test_tone_main_actor_stances_are_the_headline_and_most_mentioned_actors():
    def actor(name, n, stance, in_title=False):
        return {"name": name, "mentions": [{"start": i, "end": i + 1} for i in range(n)],
                "stance": stance, "in_title": in_title}

    actors = [actor("Minor", 1, -0.6, in_title=True), actor("Lead", 9, -0.7), actor("Second", 5, 0.0),
              actor("Third", 4, 0.9), actor("Fourth", 3, -0.5), actor("Unscored", 8, None)]
    main = tone.main_actor_stances(actors)
    assert [a["name"] for a in main] == ["Lead", "Second", "Third", "Minor"]
    assert [a["label"] for a in main] == ["negative", "neutral", "positive", "negative"]
    assert tone.stance_summary(actors) == ("Lead: negative; Second: neutral; Third: positive; "
                                           "Minor: negative")
    assert tone.stance_summary([]) == "" and tone.stance_summary(None) == ""


def test_tone_stance_table_lists_each_articles_main_actors_with_a_stance():
    import pandas as pd

    rows = pd.DataFrame(
        [("a1", "Out", "Lead", 9, -0.7, False), ("a1", "Out", "Two", 5, 0.0, False),
         ("a1", "Out", "Three", 4, 0.9, False), ("a1", "Out", "Four", 3, -0.5, False),
         ("a1", "Out", "Title", 1, -0.6, True), ("a2", "Other", "Lead", 2, None, False)],
        columns=["article_id", "outlet", "name", "n_mentions", "stance", "in_title"])
    table = tone.stance_table(rows)
    assert table["name"].tolist() == ["Lead", "Two", "Three", "Title"]  # a2: no stance stored
    assert table["label"].tolist() == ["negative", "neutral", "positive", "negative"]
    assert tone.stance_table(rows, ["Three"])[["article_id", "stance", "mentions"]].values.tolist() == [
        ["a1", 0.9, 4]]
    assert tone.stance_table(rows.drop(columns="stance")).empty  # a store from before stances


def test_tone_actor_sentiments_batch_gives_each_actors_own_mean(nlp):
    from analysis import actors as actors_mod

    doc = nlp("Critics said Ann Lee ruined the plan. Ann Lee denied it. Bob Stone praised "
              "the hospital and Bob Stone thanked the nurses.")
    found = [a for a in actors_mod.extract_actors(doc) if a.mentions]
    together = tone.actor_sentiments(doc, found)
    alone = [tone.actor_sentiment(doc, a) for a in found]
    assert together == pytest.approx(alone, abs=0.02)  # int8 scales by batch
    assert len(together) == len(found) >= 2
