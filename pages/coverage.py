"""Coverage: what each outlet included and left out, shared quotes, and copied passages."""
import pandas as pd
import streamlit as st

from analysis import coverage, embeddings
from analysis.model import Article
from ui import charts, data, filters, leaning, limits, safe, tables

df, sel = filters.page_start("Coverage")

stories = df["story"].value_counts()
story = stories.index[0]  # the largest story in the selection, or the one filtered
pick_story, pick_limit = st.columns([3, 1])
if len(stories) > 1:
    story = pick_story.selectbox("Story", stories.index.tolist(), key="cov_story",
                                 format_func=lambda s: f"{s} ({stories[s]:,} articles)",
                                 help="Coverage compares the articles of one story at a time.")
df = df[df["story"] == story]
if len(df) < 2:
    st.info("Coverage compares articles of one story: this story has only one article in the "
            "selection. Import more articles about it, or widen the filters.")
    st.stop()
limit = len(df)
if len(df) > limits.ALIGNED:
    limit = pick_limit.number_input("Articles aligned", 2, max(limits.ALIGNED_MAX, limits.ALIGNED),
                                    limits.ALIGNED, step=10, key="cov_limit",
                                    help="More articles take longer: about 1 s for 40, 20 s for 200.")
if len(df) > limit:
    # The latest article of each outlet, then the next latest of each, and so on.
    recent = df.sort_values(["published", "added_at"], ascending=False, na_position="last")
    turn = recent.groupby("outlet").cumcount().sort_values(kind="stable")
    total, df = len(df), df.loc[df.index.isin(turn.index[:limit])]
    st.info(f"“{safe.md(story)}” has {total:,} articles in the selection: too many to align sentence by "
            f"sentence at once. Shown: {len(df)} of them, the latest article of each of its "
            f"{df['outlet'].nunique()} outlets first, then the next latest of each. To compare "
            "other articles, narrow the selection in the sidebar (outlets, dates, a text search), "
            "or align more (slower).", icon=":material/info:")


embed = embeddings.available() and st.toggle(
    "Also match paraphrases with the MiniLM sentence model (slower)", key="cov_embed",
    help="Adds the similarity of the all-MiniLM-L6-v2 sentence embeddings to the word-based "
         "one: more paraphrases align, at a few seconds per hundred sentences.")


@st.cache_data(show_spinner="Aligning the articles' sentences…", max_entries=8)
def story_coverage(ids: tuple[str, ...], rev: str, embed: bool) -> dict:
    rows = df.set_index("article_id").loc[list(ids)]
    articles = [Article(text=r.text, outlet=r.outlet, title=r.title, story=r.story, article_id=aid)
                for aid, r in rows.iterrows()]
    spans = coverage.spans_from_frame(data.select_items("sentences", ids))
    atts: dict[str, list[dict]] = {}
    for att in data.select_items("attributions", ids).to_dict("records"):
        atts.setdefault(att["article_id"], []).append(att)
    result = coverage.story_coverage(
        articles, sentences={a: spans[a] for a in ids if a in spans}, attributions=atts,
        embed=embed)
    return {"articles": articles, **result}


cov = story_coverage(tuple(df["article_id"]), data.revision(), embed)
articles, groups = cov["articles"], cov["groups"]
if not groups:
    st.info("These articles have no sentence long enough to compare.")
    st.stop()
label = data.article_names(df)
shared = [g for g in groups if g.n_articles > 1]

c1, c2, c3, c4 = st.columns(4)
c1.metric("Facts", f"{len(groups):,}", help="groups of sentences reporting one fact or claim")
c2.metric("Reported by 2+ outlets", f"{sum(len(g.outlets) > 1 for g in groups):,}")
c3.metric("Shared quotes", len(cov["quotes"]))
c4.metric("Copied passages", len(cov["passages"]))

st.subheader("Who reports which fact")
by = st.segmented_control("Columns", ["Outlets", "Articles"] + (["Leanings"] if leaning.known(df) else []),
                          default="Outlets", key="cov_by")
most = max(len(g.outlets) for g in groups)
min_outlets = (st.slider("Facts carried by at least this many outlets", 1, most, 2, key="cov_min")
               if most > 1 else 1)
matrix = (coverage.coverage_matrix(groups, leaning.as_leanings(articles, df)) if by == "Leanings" else
          coverage.coverage_matrix(groups, articles, by="article" if by == "Articles" else "outlet"))
matrix = matrix[matrix["n_outlets"] >= min_outlets].rename(columns=label)
columns = [c for c in matrix.columns if c not in ("fact", "n_outlets", "n_articles")]
if matrix.empty:
    st.info("No fact is carried by that many outlets.")
else:
    st.plotly_chart(charts.fact_coverage(matrix.head(60), columns), key="cov-matrix")
    st.caption("Each row is one fact: sentences of different articles aligned by TF-IDF similarity "
               "of their normalized words (synonyms and negations folded), clause by clause"
               + (", or by MiniLM sentence embeddings. " if embed else ". ") +
               "Blue: the column reports it (hover for its sentence). Most widely carried first"
               + ("; the first 60 rows are drawn, the table has all." if len(matrix) > 60 else "."))
    tables.show(matrix, "coverage matrix", key="dl-cov-matrix")

st.subheader("What each article adds and leaves out")
per = pd.DataFrame(cov["per_article"]).assign(label=lambda d: d["article_id"].map(label))
st.plotly_chart(charts.coverage_shares(per, data.colors()), key="cov-shares")
st.caption("Share of each article's sentences (by characters) that report a fact some other "
           "article also reports, and share found in no other article.")
pick = st.selectbox("Article", per["article_id"].tolist(), format_func=label.get, key="cov_article")
mine = per.set_index("article_id").loc[pick]
left, right = st.columns(2)
with left:
    st.markdown(f"**Only this article reports** ({len(mine['unique_facts'])})")
    st.dataframe(pd.DataFrame({"fact": mine["unique_facts"]}), hide_index=True, width="stretch")
with right:
    st.markdown("**Most other articles report, this one leaves out** "
                f"({len(mine['missing_facts'])})")
    st.dataframe(pd.DataFrame({"fact": mine["missing_facts"]}), hide_index=True, width="stretch")
counts = per.assign(unique_facts=per["unique_facts"].map(len),
                    missing_facts=per["missing_facts"].map(len))
tables.show(counts.drop(columns=["label"]).rename(columns={"unique_facts": "n_unique_facts",
                                                          "missing_facts": "n_missing_facts"}),
            "per-article coverage", key="dl-cov-articles")

st.subheader("Quotes across outlets")
if cov["quotes"]:
    quotes = pd.DataFrame(coverage.quote_rows(cov["quotes"]))
    tables.show(quotes, "shared quotes", key="dl-cov-quotes")
    st.caption("Quoted passages of 4 or more words used by several articles: exact (same words), "
               "trimmed (one is a cut of the other) or paraphrased (TF-IDF cosine 0.5 or more).")
else:
    st.info("No quote of four or more words appears in more than one of these articles.")
if cov["speakers"]:
    speakers = pd.DataFrame(cov["speakers"])
    tables.show(speakers.assign(speakers=speakers["speakers"].map(", ".join)),
                "speakers per fact", key="dl-cov-speakers")
    st.caption("For facts reported by several articles: whom each article quotes or cites on it "
               "(attributions found in the article's sentence).")

st.subheader("Copied passages")
if cov["passages"]:
    pairs = pd.DataFrame(cov["overlap"]).assign(label_a=lambda d: d["article_a"].map(label),
                                                label_b=lambda d: d["article_b"].map(label))
    names = [label[a] for a in df["article_id"]]
    st.plotly_chart(charts.copy_overlap(pairs, names), key="cov-copy")
    st.caption(f"Share of each row article's words inside passages of {coverage.MIN_PASSAGE}+ "
               "words it shares nearly verbatim with the column article (wire copy, rewrites).")
    passages = pd.DataFrame([{"article A": label[p.article_a], "article B": label[p.article_b],
                              "words": p.n_words, "passage": p.text} for p in cov["passages"]])
    tables.show(passages, "copied passages", key="dl-cov-passages")
else:
    st.info(f"No passage of {coverage.MIN_PASSAGE} or more words is shared nearly verbatim "
            "between these articles.")
