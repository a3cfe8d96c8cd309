"""Readability formulas against textstat, and easy vs hard text."""
import pytest
import textstat

from textstat.backend import counts

from analysis.readability import LANG, _word, _word_counts, readability, sentence_count

EASY = "The cat sat on the mat. The dog ran to the park. We had fun in the sun."
HARD = ("Notwithstanding considerable epistemological uncertainty, institutional stakeholders "
        "systematically underestimated the macroeconomic ramifications of unprecedented "
        "quantitative interventions. Consequently, international organizations reconsidered "
        "multilateral commitments.")
FORMULAS = {
    "flesch_reading_ease": textstat.flesch_reading_ease,
    "flesch_kincaid_grade": textstat.flesch_kincaid_grade,
    "gunning_fog": textstat.gunning_fog,
    "smog_index": textstat.smog_index,
    "coleman_liau_index": textstat.coleman_liau_index,
    "automated_readability_index": textstat.automated_readability_index,
    "dale_chall": textstat.dale_chall_readability_score,
    "reading_time_s": textstat.reading_time,
}


@pytest.mark.parametrize("text", [EASY, HARD])
@pytest.mark.parametrize("name", FORMULAS)
def test_readability_matches_textstat_when_sentences_agree(nlp, text, name):
    # Both texts split the same way for textstat's regex and spaCy.
    assert getattr(readability(nlp(text)), name) == pytest.approx(FORMULAS[name](text), abs=0.02)


@pytest.mark.parametrize("text", [
    EASY, HARD, "", "DON'T stop: we'll co-operate, 'tis naïve rock'n'roll e-mail x'.t",
])
def test_readability_word_counts_equal_textstats(text):
    assert _word_counts(text) == (
        counts.count_syllables(text, LANG), counts.count_polysyllable_words(text, LANG),
        counts.count_difficult_words(text, LANG, syllable_threshold=3),
        counts.count_difficult_words(text, LANG, syllable_threshold=0))


def test_readability_easy_text_scores_easier(nlp):
    easy, hard = readability(nlp(EASY)), readability(nlp(HARD))
    assert easy.grade < 4 < 14 < hard.grade
    assert easy.flesch_reading_ease > 90 > 0 > hard.flesch_reading_ease


def test_readability_sentences_survive_abbreviations_and_quotes(nlp):
    text = ('The U.S. envoy met Mr. Putin on Jan. 5 in Moscow. "We made progress," he said. '
            "Talks resume next week.")
    assert sentence_count(nlp(text)) == 3


def test_readability_consensus_is_median_grade(nlp):
    r = readability(nlp(HARD))
    grades = sorted([r.flesch_kincaid_grade, r.gunning_fog, r.smog_index, r.coleman_liau_index,
                     r.automated_readability_index])
    assert r.grade == pytest.approx(grades[2], abs=0.01)


def test_readability_empty_text_is_zero(nlp):
    assert readability(nlp("")).grade == 0.0


WORDS = ["the", "Cat", "naïve", "co-operate", "rock'n'roll", "DON'T", "xyzzyq", "e-mail", "",
         "epistemological", "Frankfurt", "1990s", "two words", "ramifications", "'tis", "x'.t"]


@pytest.mark.parametrize("word", WORDS)
def test_readability_word_figures_equal_textstats(word):
    from textstat.backend.validations import is_difficult_word

    assert _word(word) == (counts.count_syllables(word, LANG),
                           counts.count_syllables(word, LANG) >= 3,
                           is_difficult_word(word, 3, LANG), is_difficult_word(word, 0, LANG))


def test_readability_syllable_table_is_cached_on_disk_and_read_back(tmp_path, monkeypatch):
    from analysis import readability as mod

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    mod._cmu_syllables.cache_clear()
    try:
        table = mod._cmu_syllables()
        [cached] = (tmp_path / "coverage-lens").glob("cmu-syllables-*.json")
        assert table["epistemological"] == 7 and "xyzzyq" not in table
        cached.write_text('{"epistemological": 99}', encoding="utf-8")  # read back, not rebuilt
        mod._cmu_syllables.cache_clear()
        assert mod._cmu_syllables() == {"epistemological": 99}
        cached.write_text("{not json", encoding="utf-8")  # a damaged cache is rebuilt
        mod._cmu_syllables.cache_clear()
        assert mod._cmu_syllables() == table
    finally:
        mod._cmu_syllables.cache_clear()
