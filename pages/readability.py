"""Readability: the textstat formulas compared across outlets and articles."""
import streamlit as st

from ui import charts, data, filters, leaning, tables

GRADE_FORMULAS = {
    "readability_flesch_kincaid_grade": "Flesch-Kincaid",
    "readability_gunning_fog": "Gunning fog",
    "readability_smog_index": "SMOG",
    "readability_coleman_liau_index": "Coleman-Liau",
    "readability_automated_readability_index": "ARI",
    "readability_grade": "Consensus",
}

df, sel = filters.page_start("Readability")
df = df.assign(label=charts.article_labels(df))
by_group, colors = leaning.grouped(df, leaning.group_control(df, key="rd_by"))

st.subheader("Grade level by formula")
st.plotly_chart(charts.formulas_by_outlet(by_group, GRADE_FORMULAS, colors), key="rd-formulas")
st.caption("Mean US school grade per outlet for each textstat formula, on spaCy sentences; "
           "the consensus is the median of the five. Higher means harder to read.")

left, right = st.columns(2)
with left:
    st.subheader("Reading ease")
    st.plotly_chart(charts.metric_by_article(by_group, "readability_flesch_reading_ease",
                                             "Flesch reading ease", colors), key="rd-fre")
    st.caption("Flesch reading ease, 0-100: higher means easier (60-70 is plain English, "
               "below 30 is academic)."
               + ("" if charts.per_article(len(df)) else f" {charts.per_outlet_note(len(df))}"))
with right:
    st.subheader("Sentence length")
    sentences = leaning.regroup(data.select_items("sentences", df["article_id"]), by_group)
    if charts.per_article(len(df)):
        sentences = sentences.merge(df[["article_id", "label"]], on="article_id")
    st.plotly_chart(charts.sentence_lengths(sentences, colors), key="rd-lengths")
    st.caption("Words per sentence (spaCy sentences): a long box means uneven sentence lengths."
               + ("" if charts.per_article(len(df)) else
                  f" {len(df):,} articles are too many for one box each: one box per outlet "
                  f"covers all its sentences ({len(sentences):,} in all)."))

st.subheader("Every formula, every article")
columns = {"outlet": "Outlet", "title": "Title", "word_count": "Words", "sentence_count": "Sentences",
           **{c: n for c, n in GRADE_FORMULAS.items()},
           "readability_flesch_reading_ease": "Reading ease", "readability_dale_chall": "Dale-Chall",
           "readability_reading_time_s": "Reading time (s)"}
tables.show(df[list(columns)].rename(columns=columns).round(2), "readability")
