"""Pure helpers of ui/: labels and figure builders."""
import pandas as pd

from ui.charts import article_labels
from ui.colors import outlet_colors


def test_ui_article_labels_are_short_and_unique():
    df = pd.DataFrame({"outlet": ["Wire", "Wire", "Wire", "Blog"],
                       "title": ["Talks resume", "Talks resume", "A very long headline that goes on and on", None],
                       "source_name": ["a.txt", "b.txt", "c.txt", "d.txt"]})
    labels = article_labels(df).tolist()
    assert labels == ["Wire · Talks resume", "Wire · Talks resume (2)",
                      "Wire · A very long headline that go…", "Blog"]


def test_ui_outlet_colours_are_stable_whatever_the_order():
    assert outlet_colors(["B", "A", "C"]) == outlet_colors(["C", "A", "B", "A"])
    assert len(set(outlet_colors(["A", "B", "C"]).values())) == 3
