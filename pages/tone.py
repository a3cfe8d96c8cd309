"""Tone: every tone dimension compared across outlets, tone along each article, tone toward
actors, and the loaded words each outlet used."""
import pandas as pd
import streamlit as st

from analysis import tone
from ui import charts, data, filters, leaning, limits, tables

DIMENSIONS = {
    "sentiment": "Sentiment", "narration_sentiment": "Narration sentiment",
    "quote_sentiment": "Quote sentiment", "sentiment_spread": "Sentiment spread",
    "negative_share": "Negative sentences", "positive_share": "Positive sentences",
    "subjectivity": "Subjectivity", "loaded_language": "Loaded words /1k",
    "emotion_words": "NRC emotion words /1k", "sensational_words": "Sensational /1k",
    "evaluative_words": "Evaluative /1k", "labels": "Labels /1k",
    "intensifiers": "Intensifiers /1k", "superlatives": "Superlatives /1k",
    "hedging": "Hedges /1k", "certainty": "Certainty /1k", "informality": "Informality /1k",
    "second_person": "Second person /1k", "exclamations": "Exclamations /1k",
    "questions": "Questions /1k", "colloquialisms": "Colloquialisms /1k",
    "quote_share": "Quoted words", "headline_sentiment": "Headline sentiment",
    "headline_body_gap": "Headline – body", "headline_sensationalism": "Headline sensationalism",
}

df, sel = filters.page_start("Tone")
df = df.assign(label=charts.article_labels(df))

c1, c2, c3, c4 = st.columns(4)
c1.metric("Sentiment", f"{df['tone_sentiment'].mean():+.2f}", help=tone.METHODS["sentiment"])
c2.metric("Subjectivity", f"{df['tone_subjectivity'].mean():.2f}", help=tone.METHODS["subjectivity"])
c3.metric("Loaded words /1k", f"{df['tone_loaded_language'].mean():.1f}",
          help=tone.METHODS["loaded_language"])
c4.metric("Informality /1k", f"{df['tone_informality'].mean():.1f}", help=tone.METHODS["informality"])

by = leaning.group_control(df, key="tone_by")
by_group, colors = leaning.grouped(df, by)

st.subheader("Every dimension by outlet")
means = tone.outlet_means(by_group, DIMENSIONS)
spread = df[[f"tone_{k}" for k in means.columns]].std().set_axis(means.columns)  # across articles
st.plotly_chart(charts.tone_dimensions(means, DIMENSIONS, spread), key="tone-dimensions")
st.caption("Mean of each tone dimension over an outlet's articles (the number in the cell); the "
           "colour says how far it sits above (purple) or below (orange) the outlets' mean, in "
           "standard deviations of the articles: full colour from "
           f"{charts.LARGE_GAP_SD} (a large gap); a pale cell is a gap smaller than the articles' "
           "own variation. Methods: the table below.")

left, right = st.columns([2, 3])
with left:
    key = st.selectbox("Dimension by article", list(DIMENSIONS), format_func=DIMENSIONS.get,
                       key="tone_dimension")
    column = f"tone_{key}"
with right:
    shown = by_group[by_group[column].notna()] if column in df else df.iloc[0:0]
    if shown.empty:
        st.caption("No article in the selection has this value (e.g. no headline or no quotes).")
    else:
        st.plotly_chart(charts.metric_by_article(shown, column, DIMENSIONS[key], colors),
                        key="tone-by-article")
        st.caption(f"{DIMENSIONS[key]}: {tone.METHODS[key]}"
                   + ("" if charts.per_article(len(shown)) else f" {charts.per_outlet_note(len(shown))}"))

st.subheader("Sentence tone along each article")
if charts.per_article(len(df)):
    sentences = data.select_items("sentences", df["article_id"])
    if not sentences.empty:
        texts = dict(zip(df["article_id"], df["text"]))
        sentences = sentences.merge(df[["article_id", "label"]], on="article_id").assign(
            in_quote=lambda d: d.get("in_quote", False), number=lambda d: d["idx"] + 1,
            excerpt=lambda d: [texts[a][i:j][:90] for a, i, j in zip(d["article_id"], d["start"], d["end"])])
        st.plotly_chart(charts.sentence_tone_strips(sentences), key="tone-strips")
        st.caption("VADER compound of each sentence (-1 red to +1 green) in reading order, one "
                   "row per article; ❞ marks a sentence mostly inside a direct quote. Hover for "
                   "the sentence.")
elif not (cells := data.aggregate("tone_by_part", df)).empty:
    st.plotly_chart(charts.tone_by_position(cells), key="tone-strips")
    st.caption(f"{len(df):,} articles are too many for one strip each ({cells['n'].sum():,} "
               "sentences): each cell is the mean VADER compound of an outlet's sentences in "
               "that part of their articles (first tenth, second tenth…), so a tone arc shows "
               "as a change of colour along the row. Hover for the number of sentences and the "
               f"share inside quotes. Narrow the selection to {limits.ARTICLE_ROWS} "
               "articles or fewer to see every sentence.")

st.subheader("Tone toward actors")
rows = data.rows_of(data.load_actors(), df["article_id"])
scored = rows[rows["sentiment"].notna()]
if scored.empty:
    st.caption("No tone toward an actor in these articles: no actors were found, or no "
               "sentence naming one was scored.")
else:
    ranked = scored.groupby("name")["n_mentions"].sum().sort_values(ascending=False).index.tolist()
    names = st.multiselect("Actors", ranked, default=ranked[:10], key="tone_actors")
    cells = tone.actor_tone_cells(leaning.regroup(scored, by_group), names)
    if cells.empty:
        st.caption("Pick actors to compare.")
    else:
        st.plotly_chart(charts.actor_tone_heatmap(cells), key="tone-actors")
        st.caption(tone.ACTOR_METHOD + " Per outlet: the mean over its mentions (n in the cell; "
                   f"in each article at most {tone.MAX_SCORED_MENTIONS} of them, spread evenly, are "
                   f"scored); grey, value in brackets: fewer than {tone.MIN_MENTIONS} mentions, "
                   "too few to read. Hover for the 95% interval (bootstrap over the outlet's "
                   "articles); blank = never mentioned in a scored sentence.")
        tables.show(cells.rename(columns={"name": "Actor", "outlet": "Outlet", "tone": "Tone",
                                          "low": "95% low", "high": "95% high",
                                          "mentions": "Scored mentions", "articles": "Articles",
                                          "weak": f"Weak (< {tone.MIN_MENTIONS} mentions)"}),
                    "tone toward actors", key="dl-tone-actors")
    articles = df[["article_id", "label"]].rename(columns={"label": "Article"})
    stances = articles.merge(tone.stance_table(scored, names), on="article_id")
    if not stances.empty:
        st.markdown("**Each article's stance toward its main actors**")
        tables.show(stances.rename(columns={"outlet": "Outlet", "name": "Actor", "label": "Stance",
                                            "stance": "Score", "mentions": "Mentions"})[
                        ["Article", "Outlet", "Actor", "Stance", "Score", "Mentions"]],
                    "stance toward main actors", key="dl-tone-stance")
        st.caption(tone.STANCE_METHOD)

st.subheader("Loaded words each outlet used")


counts = data.aggregate("loaded_word_counts", df)
counts = leaning.per_outlet(counts[counts["category"].isin(tone.LEXICON_CATEGORIES)], df, by, "count")
if counts.empty:
    st.caption("No loaded (sensational, evaluative or label) terms in the narration of these "
               "articles.")
else:
    st.plotly_chart(charts.loaded_word_bars(counts, colors), key="tone-loaded")
    st.caption("The most used loaded terms in the outlets' own narration (quotes left out): the "
               "sensational, evaluative and label terms of lexicons/sensational.txt. Intensifiers, "
               "superlatives and NRC emotion words are their own dimensions above.")
    tables.show(counts.rename(columns=str.capitalize), "loaded words by outlet", key="dl-tone-words")

st.subheader("Every article, every dimension")
columns = {"outlet": "Outlet", "title": "Title",
           **{f"tone_{k}": DIMENSIONS.get(k, k.replace("_", " ").capitalize())
              for k in tone.METHODS if f"tone_{k}" in df}}
tables.show(df[list(columns)].rename(columns=columns).round(3), "tone by article", key="dl-tone-table")

with st.expander("How each number is computed"):
    methods = [{"Dimension": DIMENSIONS.get(k, k), "Column": f"tone_{k}", "Method": m}
               for k, m in tone.METHODS.items()]
    methods.append({"Dimension": "Tone toward an actor", "Column": "actors.sentiment",
                    "Method": tone.ACTOR_METHOD})
    methods.append({"Dimension": "Stance toward a main actor", "Column": "actors.stance",
                    "Method": tone.STANCE_METHOD})
    tables.show(pd.DataFrame(methods), "tone methods", key="dl-tone-methods")
