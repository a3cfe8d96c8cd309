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
