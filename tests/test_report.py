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


def test_report_outlet_table_writes_counts_as_integers_and_names_each_measure():
    metrics = pd.DataFrame({"outlet": ["A", "B", "B"], "word_count": [500, 400, 601],
                            "sources_n_attributions": [7, 3, 4], "sources_n_distinct_named_sources": [2, 1, 2],
                            "tone_sentiment": [-0.25, 0.1, 0.2]})
    table = report.outlet_table(metrics)
    assert table.columns.tolist() == ["Outlet", "Articles", "Words per article", "Sentiment",
                                      "Attributions", "Distinct named sources"]
    assert table.iloc[0].tolist() == ["A", "1", "500", "-0.25", "7", "2"]  # "7", not "7.0"
    assert table.iloc[1].tolist() == ["B", "2", "500", "+0.15", "3.5", "1.5"]


def test_report_export_figure_draws_title_and_note_beside_a_legend_off_the_data():
    import plotly.graph_objects as go

    from ui import charts

    fig = charts.style(go.Figure(go.Bar(x=[3, -2], y=["Outlet <b>one</b>", "Two"], orientation="h")))
    slide = report.export_figure(fig, "Attributions by kind of source", "Quotes & paraphrases per article.")
    assert slide.layout.title.text == "<b>Attributions by kind of source</b>"
    assert slide.layout.title.subtitle.text == "Quotes &amp; paraphrases per article."
    assert slide.layout.legend.x > 1  # beside the plot area, never over it
    assert slide.layout.yaxis.automargin and slide.layout.xaxis.automargin
    assert slide.layout.template.layout.paper_bgcolor == "white"  # not the dashboard's template
    assert "Liberation Sans" in slide.layout.font.family  # a font with the minus sign U+2212
    assert fig.layout.title.text is None  # the dashboard's figure is left as it was
    long_note = report.export_figure(fig, "T", "word " * 100, width=800).layout.title.subtitle.text
    assert long_note.count("<br>") >= 4 and all(len(line) <= 94 for line in long_note.split("<br>"))


def test_report_findings_say_who_quotes_no_named_source():
    metrics = pd.DataFrame({"article_id": ["a", "b"], "story": ["Talks"] * 2, "outlet": ["A", "B"],
                            "sources_n_named_sources": [3, 0]})
    empty = pd.DataFrame(columns=["actor", "source", "source_type", "n"])
    found = report.key_findings(metrics, empty, pd.DataFrame(columns=["name", "type", "n_mentions"]))
    assert "B quotes or paraphrases no named source." in found


def test_report_most_quoted_counts_a_speaker_once_under_its_canonical_name():
    metrics = pd.DataFrame({"article_id": ["a", "b", "c"], "story": ["T"] * 3,
                            "outlet": ["A", "B", "C"], "sources_n_named_sources": [1, 1, 1]})
    cited = pd.DataFrame([("Trump", "Trump", "named_person", 2),
                          ("Donald J. Trump", "he", "named_person", 2),
                          ("Donald Trump", "Donald Trump", "named_person", 1),
                          ("Chuck Schumer", "Schumer", "named_person", 4)],
                         columns=["actor", "source", "source_type", "n"])
    links = {"Trump": "Donald Trump", "Donald J. Trump": "Donald Trump"}
    empty = pd.DataFrame(columns=["name", "type", "n_mentions"])
    found = report.key_findings(metrics, cited, empty, links)
    assert "Most quoted or paraphrased: Donald Trump (5) and Chuck Schumer (4) attributions." in found
