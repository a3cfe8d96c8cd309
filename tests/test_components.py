"""The faster attribute ruler and lemmatizer annotate exactly as spaCy's own components."""
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import spacy
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG

from analysis.components import FastAttributeRuler, FastEnglishLemmatizer, speed_up
from analysis.nlp import get_nlp, model_name

ATTRS = [TAG, POS, MORPH, LEMMA, DEP, HEAD]
# Texts that reach the ruler's exceptions: contractions, "gonna"/"gotta", "let's", "y'all",
# "nothin'", "ain't", existential "there is", auxiliaries, negation, subordinators,
# pronoun case, determiners used as pronouns, and runs of white space.
TEXTS = [
    "I ain't gonna say it, and y'all know we gotta go. Let's see. Nothin' changes.",
    ("There is a plan, but it's not the one that they'd have liked.  \n\n  She said that "
     "he does whatever he wants, although that was before it got worse."),
    "It gets better if you do it. Did they? I have, and you have too: that is all.",
    "The senator, who had said she would not run, is running.\n\nThis is what we've got.",
    "",
]


@pytest.fixture(scope="module")
def stock():
    return spacy.load(model_name())


def test_components_swapped_in_the_shared_pipeline():
    kinds = {type(c) for _, c in get_nlp().pipeline}
    assert FastAttributeRuler in kinds and FastEnglishLemmatizer in kinds


@pytest.mark.parametrize("disable", [[], ["parser", "ner"]])
def test_components_annotate_as_the_stock_pipeline(stock, disable):
    fast = get_nlp()
    for a, b in zip(stock.pipe(TEXTS, disable=disable), fast.pipe(TEXTS, disable=disable)):
        assert np.array_equal(a.to_array(ATTRS), b.to_array(ATTRS)), a.text
    # the exceptions were reached: these are not the tagger's plain answers
    doc = fast("Let's go. We ain't done.")
    assert [t.lemma_ for t in doc][:2] == ["let", "us"]
    assert doc[-4].lemma_ == "be" and doc[-3].pos_ == "PART"  # ai, n't


def test_components_ruler_applies_patterns_added_later(stock):
    nlp = spacy.load(model_name())
    speed_up(nlp)
    ruler = nlp.get_pipe("attribute_ruler")
    nlp("Warm up.")  # compiled before the addition
    ruler.add([[{"LOWER": "zorb"}]], {"LEMMA": "zorbify", "POS": "VERB"})
    doc = nlp("They zorb daily.")
    assert (doc[1].lemma_, doc[1].pos_) == ("zorbify", "VERB")


def test_components_unknown_pattern_keeps_the_stock_ruler():
    nlp = spacy.load(model_name())
    nlp.get_pipe("attribute_ruler").add([[{"LENGTH": 4}]], {"POS": "X"})
    assert speed_up(nlp) == ["lemmatizer"]
    assert type(nlp.get_pipe("attribute_ruler")).__name__ == "AttributeRuler"


def test_nlp_common_words_read_without_loading_the_pipeline():
    code = ("from analysis import nlp; words = nlp.common_words(); "
            "print(len(words) > 50000, 'agent' in words, 'reince' in words, "
            "nlp.get_nlp.cache_info().currsize)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parent.parent)
    assert out.stdout.split() == ["True", "True", "False", "0"], out.stderr[-500:]
