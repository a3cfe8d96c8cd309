"""Actors: who is in each article, how prominently, who appears together; merge and rename."""
import streamlit as st

from analysis import actors as actors_mod
from analysis import outlets, pipeline
from analysis.actors import claims
from ui import access, charts, data, filters, leaning, limits, safe, tables

df, sel = filters.page_start("Actors")

items = data.rows_of(data.load_actors(), df["article_id"])
if items.empty:
    st.info("No people, organisations or countries were found in these articles.")
    st.stop()

c1, c2, c3 = st.columns([3, 2, 2])
KIND_LABELS = {"person": "People", "organization": "Organisations", "country": "Countries",
               "place": "Places", "group": "Groups"}
kinds = c1.pills("Show", actors_mod.ACTOR_TYPES, selection_mode="multi", format_func=KIND_LABELS.get,
                 default=["person", "organization", "country"], key="actors_types")
by = c2.radio("Columns", ["outlet", "article"], horizontal=True, key="actors_by")
top = c3.slider("Actors shown", 5, 40, 15, key="actors_top")
kinds = tuple(kinds or actors_mod.ACTOR_TYPES)
group = leaning.group_control(df, key="actors_group")
by_group, colors = leaning.grouped(df, group)
grouped_items = leaning.regroup(items, by_group)  # by leaning, each row's outlet is its leaning


@st.cache_data(show_spinner=False, max_entries=16)
def views(selection: str, kinds: tuple[str, ...], grouping: str, _items, _grouped, _df) -> dict:
    """The actor tables of a selection: seconds at 100,000s of actor rows, so kept per selection.
    ``_grouped`` and ``_df``: the rows and articles with their outlets grouped as ``grouping`` says."""
    shown = _items[_items["type"].isin(kinds)]
    # outlet_gaps reads names, outlets and mention counts: one row per actor and outlet
    # gives it the same answer as 100,000s of article rows.
    per_outlet = (_grouped[_grouped["type"].isin(kinds)]
                  .groupby(["name", "outlet"], as_index=False)["n_mentions"].sum())
    # An outlet is said to leave an actor out only when its texts do not name it either.
    texts = claims.TextIndex(_df, "outlet")
    forms = claims.actor_forms(shown[["name", "type", "article_name"]].drop_duplicates())
    return {"prominence": actors_mod.prominence(_grouped),
            "gaps": actors_mod.outlet_gaps(per_outlet, _df["outlet"], texts, forms),
            "table": actors_mod.actor_table(shown, data.linked_aggregate("actor_names_used", _df)),
            "ranked": shown.groupby("name")["n_mentions"].sum().sort_values(ascending=False,
                                                                             kind="stable")}


# By leaning, the outlets files are part of the key: a new rating regroups the rows.
v = views(data.selection_key(df), kinds, group if group == "outlet" else outlets.outlet_fingerprint(),
          items, grouped_items, by_group)
leaders = v["ranked"].head(top).index.tolist()  # actors of the kinds shown
shown_top = grouped_items[grouped_items["name"].isin(leaders)]

st.subheader("Who is mentioned where")
note = ""
if by == "article" and shown_top["article_id"].nunique() > limits.ARTICLE_ROWS:
    busiest = (shown_top.groupby("article_id")["n_mentions"].sum()
               .nlargest(limits.ARTICLE_ROWS).index)
    note = (f" {shown_top['article_id'].nunique():,} articles mention them: the "
            f"{limits.ARTICLE_ROWS} with the most mentions are the columns; narrow the "
            "selection to see others.")
    shown_top = shown_top[shown_top["article_id"].isin(busiest)]
counts = (shown_top.assign(article=shown_top["article_id"].map(data.article_names(df)))
          if by == "article" else shown_top)
st.plotly_chart(charts.actor_heatmap(counts, by), key="actors-heatmap")
st.caption(f"Mentions by name of the {len(leaders)} most mentioned actors per {by}: names, "
           "surnames and titles merged into one actor, within an article and across the corpus; "
           "pronouns and role nouns (\"he\", \"the president\") tied to an actor are its "
           "references, counted apart in the table below." + note)

left, right = st.columns(2)
with left:
    st.subheader("Prominence by outlet")
    prom = v["prominence"]
    st.plotly_chart(charts.actor_prominence(prom[prom["name"].isin(leaders)], colors),
                    key="actors-prominence")
    st.caption("Each actor's share of all actor mentions in an outlet's articles (a diamond: the "
               "outlet names it in a headline). Hover for lead mentions and first-mention rank.")
with right:
    st.subheader("Mentioned together")
    pairs = items.loc[items["name"].isin(leaders[:15]), ["name", "article_id"]]
    pairs = pairs.astype({"article_id": object})  # sets of Python strings build much faster
    st.plotly_chart(charts.co_mention_matrix(actors_mod.co_mentions(pairs, leaders[:15])),
                    key="actors-comention")
    st.caption("Articles that name both actors of a pair (the diagonal: articles naming the "
               "actor), for the 15 most mentioned actors shown.")

st.subheader("Actors some outlets leave out")
gaps = v["gaps"].rename(columns=lambda c: c.replace("outlets ", "leanings ") if group == "leaning" else c)
if gaps.empty:
    st.caption("Every actor shown is mentioned by every outlet in the selection.")
else:
    tables.show(gaps.drop(columns="n_outlets"), "actors missing from outlets", key="dl-actor-gaps")
    st.caption("Actors named by at least one outlet in the selection but not by all of them.")

st.subheader("All actors")
table = v["table"]
tables.show(table, "actors", key="dl-actors")
st.caption("Aliases are every name used for the actor, most used first; roles come from titles "
           "(\"Secretary of State Marco Rubio\") and appositions; references are the pronouns "
           "and role nouns tied to it; tone is the mean over its articles of the tone toward its "
           "mentions (−1 to +1; the Tone page gives each outlet's count of mentions and "
           "an interval).")


def focus(name: str) -> None:
    st.session_state["f_actors"] = [name]  # the shared sidebar filter: every page follows


pick = st.selectbox("Focus on an actor", table["actor"], key="actors_focus")
st.button(f"Show only articles mentioning {safe.md(pick)}", on_click=focus, args=(pick,),
          key="actors_focus_btn", disabled=sel.actors == [pick])

if access.can_edit():  # the alias file is the server's, shared by every visitor
    with st.expander("Merge, rename or hide actors"):
        st.caption(f"Changes are saved to your alias file ({safe.md(actors_mod.user_alias_path())}) and apply "
                   "to every analysis from now on; re-analyze to update stored results.")
        mapping, types = data.actor_links()
        article_names: dict[str, list[str]] = {}  # canonical name -> the names articles use
        for name, canonical in sorted(mapping.items()):
            article_names.setdefault(canonical, []).append(name)
        names = sorted(article_names)
        m1, m2, m3 = st.columns(3)
        with m1:
            src = st.selectbox("Merge", names, key="merge_src")
            dst = st.selectbox("into", [n for n in names if n != src], key="merge_dst")
            if st.button("Merge", key="merge_btn") and dst:
                path = actors_mod.save_user_alias(dst, [src, *article_names[src]], types[dst])
                st.success(f"{safe.md(src)} is now {safe.md(dst)} (saved to {safe.md(path)}).")
        with m2:
            old = st.selectbox("Rename", names, key="rename_src")
            new = st.text_input("to", key="rename_dst", placeholder="new name")
            if st.button("Rename", key="rename_btn") and new.strip():
                path = actors_mod.save_user_alias(new.strip(), [old, *article_names[old]], types[old])
                st.success(f"{safe.md(old)} is now {safe.md(new.strip())} (saved to {safe.md(path)}).")
        with m3:
            hide = st.selectbox("Hide (not an actor)", names, key="hide_src")
            if st.button("Hide", key="hide_btn"):
                for name in {hide, *article_names[hide]}:
                    path = actors_mod.ignore_user_name(name)
                st.success(f"{safe.md(hide)} will no longer be listed (saved to {safe.md(path)}).")
        if st.button("Re-analyze all articles with the new aliases", key="actors_reanalyze"):
            bar = st.progress(0.0, text="Re-analyzing…")

            def show(done: int, total: int) -> None:
                bar.progress(done / max(total, 1), text=f"Re-analyzed {done} of {total} articles")

            n = pipeline.reanalyze(data.db(), everything=True, progress=show)
            bar.empty()
            st.success(f"Re-analyzed {n} articles.")
