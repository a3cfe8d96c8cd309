"""The report's key findings on hand-written rows (the page and the command line share them)."""
import pandas as pd

from ui import report


def test_report_findings_name_the_most_quoted_speakers_and_mentioned_people():
    metrics = pd.DataFrame({"article_id": ["a", "b"], "story": ["Talks", "Talks"], "outlet": ["A", "A"],
                            "sources_n_named_sources": [2, 1]})
    cited = pd.DataFrame(  # as store.source_counts gives them
        [("Marco Rubio", "Rubio", "named_person", 1), ("Marco Rubio", "he", "named_person", 2),
         (None, "Lena  Ortiz", "named_person", 2), (None, "officials", "anonymous", 9)],
        columns=["actor", "source", "source_type", "n"])
    actors = pd.DataFrame([("Donald Trump", "person", 3), ("NATO", "organization", 9),
                           ("Donald Trump", "person", 2), ("Marco Rubio", "person", 1)],
                          columns=["name", "type", "n_mentions"])
    found = report.key_findings(metrics, cited, actors)
    assert found[0] == "2 articles from 1 outlet on “Talks”."
    # a pronoun counts for the actor it stands for; anonymous sources are not speakers
    assert "Most quoted or paraphrased: Marco Rubio (3) and Lena Ortiz (2) attributions." in found
    assert "Most mentioned people: Donald Trump (5) and Marco Rubio (1) mentions." in found
    assert not any(f.startswith("Most") for f in report.key_findings(metrics, cited.iloc[3:], actors.iloc[1:2]))
