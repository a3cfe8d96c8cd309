"""Overview: every article with all its metrics, and one chart per metric family."""
import streamlit as st

from ui import charts, data, filters, leaning, limits, tables

df, sel = filters.page_start("Overview")

df = df.assign(label=charts.article_labels(df))

c1, c2, c3, c4 = st.columns(4)
c1.metric("Articles", f"{len(df):,}", help="articles in the current selection")
c2.metric("Outlets", df["outlet"].nunique())
c3.metric("Words", f"{int(df['word_count'].sum()):,}")
c4.metric("Attributions", f"{int(df['sources_n_attributions'].sum()):,}",
          help="quotes, paraphrases and 'according to' statements, summed over articles")
leaning.show_distribution(df, key="ov-leaning")
by_group, colors = leaning.grouped(df, leaning.group_control(df, key="ov_by"))

left, right = st.columns(2)
with left:
    st.subheader("Sources cited")
    st.plotly_chart(charts.source_mix(df), key="ov-sources")
    st.caption("Attributions (quotes, paraphrases, \"according to\") per article by the kind of "
               "source: named (a person or organisation by name), anonymous (\"officials\") and "
               "vague (\"critics\", \"reports\"); a speaker quoted five times counts five."
               + ("" if charts.per_article(len(df)) else f" {charts.outlet_mean_note(len(df))}"))
with right:
    st.subheader("Tone")
    st.plotly_chart(charts.sentiment_vs_subjectivity(by_group, colors), key="ov-tone")
    st.caption("Mean VADER sentiment of the article's sentences against mean TextBlob "
               "subjectivity; dot size is the word count."
               + (f" {charts.sample_note(len(df))}" if len(df) > limits.POINTS else ""))

left, right = st.columns(2)
with left:
    st.subheader("Readability")
    st.plotly_chart(charts.metric_by_article(by_group, "readability_grade", "US school grade", colors),
                    key="ov-grade")
    st.caption("Consensus grade level: the median of Flesch-Kincaid, Gunning fog, SMOG, "
               "Coleman-Liau and ARI on the cleaned body. Higher means harder to read."
               + ("" if charts.per_article(len(df)) else f" {charts.per_outlet_note(len(df))}"))
with right:
    st.subheader("Mentioned actors")
    actors = data.rows_of(data.load_actors(), df["article_id"])
    if actors.empty:
        st.info("No people, organisations or countries were found in these articles.")
    else:
        st.plotly_chart(charts.actor_mentions(leaning.regroup(actors, by_group), colors), key="ov-actors")
        st.caption("Mentions of the most mentioned people, organisations and countries, "
                   "aliases merged, split by outlet (or leaning).")

st.subheader("All metrics")
shown = ["outlet", "title", "word_count", "sentence_count", "readability_grade",
         "readability_flesch_reading_ease", "tone_sentiment", "tone_subjectivity",
         "sources_n_attributions", "sources_n_direct_quotes", "sources_n_distinct_named_sources",
         "sources_n_anonymous_sources", "sources_n_vague_sources", "source_name"]
extra = [c for c in df.columns if c.startswith(("readability_", "tone_", "sources_")) and c not in shown]
table = df[[c for c in shown if c in df] + extra]
table = table.rename(columns={c: tables.column_label(c) for c in table.columns})
tables.show(table, "per-article metrics")
st.caption("Click a column header to sort. Every metric is explained in docs/metrics.md.")

st.subheader("Export the selection")
exports = {  # the item tables are cut out when a download button is clicked
    "Per-article metrics": table,
    "Attributions": lambda: data.export_items("attributions", df),
    "Actors": lambda: data.export_items("actors", df),
}
for name, frame in exports.items():
    tables.export_buttons(frame, name, key=f"export-{name}")
st.caption("Files cover the articles in the current selection. In CSV and Excel, cells that a "
           "spreadsheet would run as a formula are prefixed with an apostrophe.")
