"""Article: the annotated reader, one article or two side by side."""

import pandas as pd
import streamlit as st

from ui import data, filters, highlight, safe

df, sel = filters.page_start("Article")

labels = data.article_names(df)
ids = list(labels)
wanted = st.query_params.get("article")
controls = st.columns(2)
first = controls[0].selectbox("Article", ids, format_func=labels.get,
                              index=ids.index(wanted) if wanted in ids else 0, key="article_pick")
second = controls[1].selectbox("Side by side with", [None, *[i for i in ids if i != first]],
                               format_func=lambda i: "— none —" if i is None else labels[i],
                               key="article_pick_2")
layers = tuple(st.pills("Highlight", highlight.LAYERS, selection_mode="multi",
                        default=list(highlight.LAYERS), key="article_layers"))
if st.query_params.get("article") != first:
    st.query_params["article"] = first

st.caption(
    "Legend: sentences shaded green (positive) or red (negative) by VADER sentiment, deeper "
    "for stronger tone; quoted or paraphrased content underlined in its speaker's colour, the "
    "speaker in bold; actor mentions, and the pronouns and role nouns tied to an actor, "
    "dotted-underlined; loaded words (sensational, evaluative and label terms not negated) in "
    "wavy italics. Hover a passage for details (whom a "
    "\"he\" refers to)."
)


def show(article_id: str) -> None:
    row = df.loc[df["article_id"] == article_id].iloc[0]
    result = data.load_result(article_id) or {}
    st.subheader(safe.md(row["title"]) if isinstance(row["title"], str) else "(no headline)")
    meta = [f"**Outlet:** {safe.md(row['outlet'])}", f"**Story:** {safe.md(row['story'])}"]
    if isinstance(row.get("author"), str):
        meta.append(f"**Author:** {safe.md(row['author'])}")
    if pd.notna(row.get("published")):
        meta.append(f"**Published:** {pd.Timestamp(row['published']):%d %b %Y}")
    meta.append(f"**File:** {safe.md(row['source_name'])}")
    st.markdown(" · ".join(meta))
    m = st.columns(4)
    m[0].metric("Words", int(row["word_count"]))
    m[1].metric("Grade", f"{row['readability_grade']:.1f}", help="consensus US school grade")
    m[2].metric("Sentiment", f"{row['tone_sentiment']:+.2f}", help="mean sentence VADER compound")
    m[3].metric("Attributions", int(row["sources_n_attributions"]),
                help="quotes, paraphrases and 'according to' statements")
    spans, speakers = highlight.layers_from_result(result)
    if speakers and "quotes and attributions" in layers:
        chips = " ".join(f'<span style="border-bottom: 4px solid {c}; margin-right: .8em">'
                         f"{highlight.inert(s)}</span>" for s, c in speakers.items())
        st.markdown(f"Speakers: {chips}", unsafe_allow_html=True)
    st.markdown(highlight.render(row["text"], spans, layers=layers), unsafe_allow_html=True)
    with st.expander("What cleaning removed from the file"):
        notes = row["ingest_notes"] or ["nothing was removed"]
        st.markdown("\n".join(f"- {safe.md(n)}" for n in notes))


if second:
    a, b = st.columns(2)
    with a:
        show(first)
    with b:
        show(second)
else:
    show(first)
