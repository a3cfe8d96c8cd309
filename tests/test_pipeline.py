"""The pipeline's preparation of a text for the parser."""
import numpy as np
from spacy.attrs import SENT_START

from analysis import pipeline


def _starts(nlp, text: str) -> list[int]:
    """Indices of the tokens preset to start a sentence (SENT_START 1)."""
    starts = pipeline.bound_sentences(nlp.make_doc(text), text).to_array(SENT_START)
    return np.flatnonzero(starts.astype(np.int64) == 1).tolist()


def test_pipeline_bound_sentences_cuts_a_long_run_every_max_tokens(nlp):
    assert _starts(nlp, " ".join(["w"] * 450)) == [200, 400]


def test_pipeline_bound_sentences_cuts_after_a_clause_end_where_there_is_one(nlp):
    # tokens: 150 words, a comma (index 150), then 149 words: cut after the comma
    text = " ".join(["w"] * 150) + ", " + " ".join(["w"] * 149)
    assert _starts(nlp, text) == [151]


def test_pipeline_bound_sentences_leaves_runs_with_sentence_ends_to_the_parser(nlp):
    def untouched(text: str) -> bool:
        doc = pipeline.bound_sentences(nlp.make_doc(text))
        return np.array_equal(doc.to_array(SENT_START), nlp.make_doc(text).to_array(SENT_START))

    for end in (".", "!", "?", "…", "\n"):
        assert untouched(" ".join(["w"] * 150) + end + " " + " ".join(["w"] * 150)), repr(end)
    assert untouched(" ".join(["w"] * 150) + " line\nbreak " + " ".join(["w"] * 150))
    assert not untouched(" ".join(["w"] * 150) + " line break " + " ".join(["w"] * 150))


def test_pipeline_analysis_version_follows_lexicon_edits(tmp_path, monkeypatch):
    from analysis import sources

    monkeypatch.setenv(sources.USER_LEXICON_ENV, str(tmp_path))
    bundled = pipeline.analysis_version()
    assert pipeline.analysis_version() == bundled  # nothing changed: the kept hash
    lexicon = tmp_path / "hedges.txt"
    lexicon.write_text("perhaps\n", encoding="utf-8")
    added = pipeline.analysis_version()
    lexicon.write_text("perhapz\n", encoding="utf-8")  # same size, new contents and time
    edited = pipeline.analysis_version()
    lexicon.unlink()
    assert len({bundled, added, edited}) == 3 and pipeline.analysis_version() == bundled
