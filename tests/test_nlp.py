"""Loading what the analysis needs: TextBlob's pattern sentiment without NLTK."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_nlp_textblob_sentiment_loads_without_nltk_and_the_package_still_imports_whole():
    code = """
import sys
from analysis import tone
value = tone.subjectivity_of("A truly wonderful and terrible idea.")
print("nltk" in sys.modules, "sklearn" in sys.modules)
from textblob import TextBlob  # the whole package, later, shares the same modules
from textblob.en import sentiment
print(value == TextBlob("A truly wonderful and terrible idea.").sentiment.subjectivity > 0)
print(sentiment is sys.modules["textblob.en"].sentiment, "nltk" in sys.modules)
"""
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:3] == ["False False", "True", "True True"]


def test_nlp_subtree_matches_spacy_on_projective_and_non_projective_trees(nlp):
    from spacy.tokens import Doc

    from analysis.nlp import subtree

    parsed = nlp("The senator who led the inquiry said on Monday that she would not run again.")
    # "A hearing was held yesterday on the bill": "on the bill" attached to "hearing"
    # crosses "was held yesterday", a non-projective arc spaCy's parser can output too.
    words = ["A", "hearing", "was", "held", "yesterday", "on", "the", "bill"]
    heads = [1, 3, 3, 3, 3, 1, 7, 5]
    deps = ["det", "nsubjpass", "auxpass", "ROOT", "npadvmod", "prep", "det", "pobj"]
    crossing = Doc(nlp.vocab, words=words, heads=heads, deps=deps)
    for doc in (parsed, crossing):
        assert [subtree(doc, t.i) for t in doc] == [[s.i for s in t.subtree] for t in doc]
    assert subtree(crossing, 1) == [0, 1, 5, 6, 7]


def test_model_as_dict_equals_dataclasses_asdict_on_nested_records():
    import dataclasses

    from analysis.model import Actor, Mention

    actor = Actor(name="Angela Merkel", type="person", mentions=[Mention(0, 13), Mention(40, 46)],
                  roles=["chancellor"], references=[Mention(60, 63)])
    plain = actor.as_dict()
    assert {k: plain[k] for k in dataclasses.asdict(actor)} == dataclasses.asdict(actor)
    assert plain["mentions"][1] == {"start": 40, "end": 46} and plain["n_references"] == 1
    plain["roles"].append("leader")  # a copy, not the record's own list
    assert actor.roles == ["chancellor"]


def test_nlp_line_breaks_start_sentences_after_a_headline_or_a_paragraph(nlp):
    doc = nlp("Christie Says He Would Issue A Quarantine Over Zika Virus\n"
              "Chris Christie said he would quarantine people.\n\nHe spoke in Trenton.")
    sents = [s.text.strip() for s in doc.sents]
    assert sents == ["Christie Says He Would Issue A Quarantine Over Zika Virus",
                     "Chris Christie said he would quarantine people.", "He spoke in Trenton."]
    name = next(t for t in doc if t.text == "Christie" and t.i > 5)
    assert name.dep_ == "compound" or name.dep_ == "nsubj"  # the speaker, not the headline's apposition
    # a first word is not a sentence by itself, and a hard-wrapped sentence stays whole
    doc = nlp("Emperor Norton\n\nJoshua Abraham Norton was a citizen of San Francisco.")
    assert [e.text for e in doc.ents if e.label_ == "PERSON"][-1] == "Joshua Abraham Norton"
    doc = nlp("The senator said on Monday that the\nbill would pass in the spring.")
    assert len(list(doc.sents)) == 1
