"""Compare: 2 to 4 articles or outlets side by side, differences said in sentences."""

import pandas as pd
import streamlit as st

from analysis import coverage, findings
from analysis.actors import claims
from analysis.model import Article
from ui import charts, data, filters, leaning, safe

df, sel = filters.page_start("Compare")

modes = ["Articles", "Outlets"] + (["Leanings"] if leaning.known(df) else [])
mode = st.segmented_control("Compare", modes, default="Articles", key="cmp_mode")
grouped = mode in ("Outlets", "Leanings")  # leanings compare as outlets do, their articles pooled
if mode == "Leanings":
    df = leaning.grouped(df, "leaning")[0]
if grouped:
    pool = findings.outlet_means(df)
    options = pool["name"].tolist()
    names = dict(zip(options, options))
else:
    pool = df.assign(name=charts.article_labels(df))
    options = pool["article_id"].tolist()
    names = dict(zip(pool["article_id"], pool["name"]))
    pool = pool.set_index("article_id", drop=False)
first_pair = options[:2] if grouped else findings.default_pair(df)

wanted = [v for v in st.query_params.get_all("cmp") if v in options]
picked = st.multiselect(f"Choose 2 to 4 {mode.lower()}", options, default=wanted or first_pair,
                        format_func=names.get, max_selections=4, key=f"cmp_pick_{mode}")
if st.query_params.get_all("cmp") != picked:
    st.query_params["cmp"] = picked
if len(picked) < 2:
    st.info(f"Choose at least two {mode.lower()} to compare"
            + (" (only one matches the filters)." if len(options) < 2 else "."))
    st.stop()

items = (pool.set_index("name", drop=False).loc[[names[p] for p in picked]] if grouped
         else pool.loc[picked])
if mode == "Articles":
    # Named among themselves: by outlet alone when they come from different outlets, so the
    # sentences read "Fox News cites…", not a clipped headline (the cards show the headline).
    items = items.assign(name=charts.article_labels(items).to_numpy())
    names = {**names, **dict(zip(items["article_id"], items["name"]))}
colors = leaning.LEANING_COLORS if mode == "Leanings" else data.colors()

st.subheader("Main differences")
if grouped:
    actors = data.rows_of(data.load_actors(), df.loc[df["outlet"].isin(picked), "article_id"])
    actors = leaning.regroup(actors, df)  # by leaning, an actor row's item is its article's leaning
    actors = actors.assign(item=actors["outlet"])
else:
    actors = data.rows_of(data.load_actors(), picked)
    actors = actors.assign(item=actors["article_id"].map(names))


def main_differences() -> list[str]:
    texts = (claims.TextIndex(df, "outlet") if grouped else
             claims.TextIndex(df[df["article_id"].isin(picked)].assign(
                 item=lambda d: d["article_id"].map(names)), "item"))
    return findings.differences(items) + findings.actor_differences(
        actors, items["name"].tolist(), texts)


sentences = data.per_selection("compare", df, main_differences,
                               parts=(mode, tuple(picked), tuple(items["name"])))
st.markdown("\n".join(f"- {safe.md(s)}" for s in sentences))
st.caption("Only gaps worth a look are said: e.g. 2 or more distinct named sources, 2 grades of "
           "readability, 0.1 of sentiment" + ("; outlet figures are means per article." if grouped else "."))

st.subheader("Side by side")
metrics_shown = [m for m in findings.METRICS if m.column in items]
means = items[[m.column for m in metrics_shown]].astype(float).mean()
cols = st.columns(len(items))
for col, (_, row) in zip(cols, items.iterrows()):
    with col, st.container(border=True):
        st.markdown(f"**{safe.md(row['name'])}**")
        if grouped:
            st.caption(f"{int(row['n_articles'])} article(s)")
        elif isinstance(row.get("title"), str):
            st.caption(safe.md(row["title"]))
        for m in metrics_shown:
            value = float(row[m.column])
            spread = items[m.column].astype(float)
            notable = spread.max() - spread.min() >= max(m.notable, 1e-9) and value in (spread.max(), spread.min())
            delta_fmt = "{:+.1f}" if m.fmt == "{:.0f}" else m.fmt.replace("{:", "{:+").replace("++", "+")
            st.metric(m.label, m.fmt.format(value),
                      delta=delta_fmt.format(value - means[m.column]) + " vs mean" if notable else None,
                      delta_color="off" if m.column == "word_count" else "normal")
        top = actors[actors["item"] == row["name"]].groupby("name")["n_mentions"].sum().nlargest(5)
        st.markdown("**Most mentioned:** " + (", ".join(f"{safe.md(n)} ({c})" for n, c in top.items()) or "—"))
st.caption("A delta marks the highest and lowest item of a metric when the gap is notable; it "
           "is the difference from the mean of the compared items.")

st.subheader("Profile")
profile_metrics = [(m.column, m.label) for m in metrics_shown]
corpus = findings.outlet_means(df) if grouped else df
bounds = pd.DataFrame({"min": corpus[[c for c, _ in profile_metrics]].min(),
                       "max": corpus[[c for c, _ in profile_metrics]].max()})
st.plotly_chart(charts.profile(items, profile_metrics, bounds, colors), key="cmp-profile")
st.caption("Each axis runs from 0 (or the lowest value, when below 0) to the highest value among "
           f"the {mode.lower()} in the current selection, so "
           "equal values sit at the same place; outward means more sources or quotes, harder to "
           "read, more positive, more subjective, longer. The values are in the table below.")
st.dataframe(pd.DataFrame([{"Metric": m.label, **{row["name"]: m.fmt.format(float(row[m.column]))
                                                   for _, row in items.iterrows()}}
                           for m in metrics_shown]), hide_index=True, width="stretch")



@st.cache_data(show_spinner="Aligning the two articles' sentences…", max_entries=32)
def compare_two(a_id: str, b_id: str, rev: str) -> tuple[Article, Article, dict]:
    a, b = (Article(text=r.text, outlet=r.outlet, title=r.title, story=r.story,
                    article_id=r.article_id) for r in pool.loc[[a_id, b_id]].itertuples())
    spans = coverage.spans_from_frame(data.select_items("sentences", [a_id, b_id]))
    return a, b, coverage.compare_two(a, b, sentences=spans)


if mode == "Articles" and len(picked) == 2:
    st.subheader("What each reports")
    a, b, parts = compare_two(*picked, data.revision())
    name_a, name_b = names[a.article_id], names[b.article_id]
    only_a, both, only_b = st.columns(3)
    for col, title, sentences in ((only_a, f"Only in {name_a}", parts["only_a"]),
                                  (only_b, f"Only in {name_b}", parts["only_b"])):
        with col:
            st.markdown(f"**{safe.md(title)}** ({len(sentences)})")
            with st.container(height=420):
                st.markdown("\n".join(f"- {safe.md(s.text)}" for s in sentences) or "—")
    with both:
        st.markdown(f"**In both** ({len(parts['both'])})")
        with st.container(height=420):
            st.markdown("\n".join(f"- {safe.md(g['label'])}" for g in parts["both"]) or "—")
    st.caption("Sentences aligned by fact (TF-IDF similarity of content words, with negations and "
               "common news synonyms normalised; see the Coverage page): a fact is in both when a "
               "sentence of each article reports it.")
